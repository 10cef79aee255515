"""Every legacy OpenRec recommender and interaction is at its openrec2 path with the legacy
constructor parameters, in the legacy order (openrec2 may add parameters after them).

The legacy lists are read from ``openrec/tf1/legacy`` of the public OpenRec repository
(``ylongqi/openrec``); classes without their own constructor there (CML, VisualCML,
VisualGMF) take their base's.
"""

import inspect

import pytest

import openrec2
import openrec2.modules as modules
import openrec2.modules.extractions as extractions
import openrec2.modules.fusions as fusions
import openrec2.modules.interactions as interactions
import openrec2.recommenders as recommenders
import openrec2.utils.evaluators as evaluators

_BPR = ["batch_size", "max_user", "max_item", "dim_embed", "test_batch_size", "l2_reg", "opt", "lr", "init_dict",
        "sess_config"]
_PMF = ["batch_size", "dim_embed", "max_user", "max_item", "test_batch_size", "l2_reg", "opt", "sess_config"]
_VISUAL = ["batch_size", "max_user", "max_item", "dim_embed", "dims", "item_f_source", "test_batch_size",
           "item_serving_size", "dropout_rate", "l2_reg", "l2_reg_mlp", "opt", "sess_config"]

RECOMMENDERS = {
    "BPR": _BPR, "CML": _BPR, "PMF": _PMF, "GMF": _PMF,
    "NBPR": ["batch_size", "max_user", "max_item", "dim_embed", "neg_num", "test_batch_size", "l2_reg", "opt", "lr",
             "init_dict", "sess_config"],
    "WCML": _BPR + ["neg_num"],
    "VisualPMF": _VISUAL, "VisualGMF": _VISUAL, "VisualBPR": _VISUAL, "VisualCML": _VISUAL,
    "UserPMF": ["batch_size", "max_user", "max_item", "dim_embed", "dims", "user_f_source", "test_batch_size",
                "item_serving_size", "dropout_rate", "l2_reg", "l2_reg_mlp", "opt", "sess_config"],
    "UserVisualPMF": ["batch_size", "max_user", "max_item", "dim_embed", "dims_user", "dims_item", "user_f_source",
                      "item_f_source", "test_batch_size", "item_serving_size", "dropout_rate", "l2_reg", "l2_reg_mlp",
                      "opt", "sess_config"],
    "ConcatVisualBPR": ["batch_size", "max_user", "max_item", "dim_embed", "dim_ve", "item_f_source",
                        "item_serving_size", "l2_reg", "sess_config"],
    "CDL": ["batch_size", "max_user", "max_item", "dim_embed", "item_f", "dims", "dropout", "test_batch_size",
            "item_serving_size", "l2_reg", "l2_reg_mlp", "l2_reconst", "opt", "sess_config"],
    "ItrMLP": ["batch_size", "dim_embed", "max_user", "max_item", "pretrained_user_embeddings",
               "pretrained_item_embeddings", "user_dims", "item_dims", "test_batch_size", "l2_reg", "opt",
               "sess_config"],
}

_PAIRWISE = ["user", "item", "item_bias", "p_item", "p_item_bias", "n_item", "n_item_bias"]
INTERACTIONS = {
    "PairwiseLog": _PAIRWISE + ["train", "scope", "reuse"],
    "PairwiseHinge": _PAIRWISE + ["margin", "train", "scope", "reuse"],
    "PairwiseEuDist": _PAIRWISE + ["weights", "margin", "train", "scope", "reuse"],
    "NsLog": ["user", "max_item", "item", "item_bias", "p_item", "p_item_bias", "neg_num", "n_item", "n_item_bias",
              "train", "scope", "reuse"],
    "NSEuDist": ["user", "max_item", "item", "item_bias", "p_item", "neg_num", "p_item_bias", "n_item",
                 "n_item_bias", "margin", "train", "scope", "reuse"],
    "PointwiseGeCE": ["user", "item", "item_bias", "l2_reg", "labels", "train", "scope", "reuse"],
    "PointwiseGeMLPCE": ["user_mlp", "user_ge", "item_mlp", "item_ge", "item_bias", "dims", "labels", "dropout",
                         "alpha", "l2_reg", "train", "scope", "reuse"],
    "PointwiseMLPCE": ["user", "item", "dims", "item_bias", "extra", "l2_reg", "labels", "dropout", "train",
                       "batch_serving", "scope", "reuse"],
    "PointwiseMSE": ["user", "item", "item_bias", "labels", "a", "b", "sigmoid", "train", "batch_serving", "scope",
                     "reuse"],
    "Interaction": ["train", "l2_reg", "scope", "reuse"],
}


def parameters(cls):
    return [name for name in inspect.signature(cls).parameters if name not in ("args", "kwargs")]


@pytest.mark.parametrize("name", sorted(RECOMMENDERS))
def test_recommender_takes_the_legacy_parameters_in_order(name):
    legacy = RECOMMENDERS[name]
    assert parameters(getattr(recommenders, name))[:len(legacy)] == legacy


@pytest.mark.parametrize("name", sorted(INTERACTIONS))
def test_interaction_takes_the_legacy_parameters_in_order(name):
    legacy = INTERACTIONS[name]
    assert parameters(getattr(interactions, name))[:len(legacy)] == legacy


def test_itr_mlp_model_trainer_is_at_the_top_level():
    assert parameters(openrec2.ItrMLPModelTrainer) == ["batch_size", "test_batch_size", "train_dataset", "model",
                                                       "sampler", "save_dir", "verbose", "progress"]


def test_a_positional_legacy_pmf_call_is_not_reinterpreted():
    with recommenders.PMF(10, 8, 30, 50) as model:  # (batch_size, dim_embed, max_user, max_item)
        assert (model.batch_size, model.max_user, model.max_item) == (10, 30, 50)
        assert model.serve({"user_id": [0, 29]}).shape == (2, 50)


BASES = {  # legacy OpenRec's base classes (openrec/tf1/legacy/...), positional order included
    "Recommender": (recommenders.Recommender,
                    ["batch_size", "max_user", "max_item", "extra_interactions_funcs", "extra_fusions_funcs",
                     "test_batch_size", "l2_reg", "opt", "lr", "init_dict", "sess_config"]),
    "Module": (modules.Module, ["train", "l2_reg", "scope", "reuse"]),
    "Extraction": (extractions.Extraction, ["train", "l2_reg", "scope", "reuse"]),
    "Interaction": (interactions.Interaction, ["train", "l2_reg", "scope", "reuse"]),
    "Fusion": (fusions.Fusion, ["train", "l2_reg", "scope", "reuse"]),
    "Average": (fusions.Average, ["module_list", "weight", "scope", "reuse"]),
    "Concat": (fusions.Concat, ["module_list", "axis", "scope", "reuse"]),
    "LatentFactor": (extractions.LatentFactor, ["shape", "init", "ids", "l2_reg", "scope", "reuse"]),
    "SDAE": (extractions.SDAE, ["in_tensor", "dims", "dropout", "l2_reconst", "train", "l2_reg", "scope", "reuse"]),
    "TemporalLatentFactor": (extractions.TemporalLatentFactor,
                             ["shape", "mlp_dims", "ids", "init", "mlp_pretrain", "l2_reg", "train", "scope",
                              "reuse"]),
    "Evaluator": (evaluators.Evaluator, ["etype", "name"]),
    "AUC": (evaluators.AUC, ["name"]),
    "MSE": (evaluators.MSE, ["name"]),
    "Recall": (evaluators.Recall, ["recall_at", "name"]),
    "Precision": (evaluators.Precision, ["precision_at", "name"]),
    "NDCG": (evaluators.NDCG, ["ndcg_at", "name"]),
    "ImplicitEvalManager": (evaluators.ImplicitEvalManager, ["evaluators"]),
}


@pytest.mark.parametrize("name", sorted(BASES))
def test_bases_modules_and_evaluators_take_the_legacy_parameters_in_order(name):
    cls, legacy = BASES[name]
    assert parameters(cls)[:len(legacy)] == legacy


def test_a_module_list_given_first_to_fusion_fails_instead_of_becoming_train():
    import tensorflow.compat.v1 as tf

    from openrec2.errors import UnknownOptionError
    with tf.Graph().as_default(), pytest.raises(UnknownOptionError, match="legacy order"):
        fusions.Fusion([tf.zeros([2, 3])])


def test_a_positional_legacy_pairwise_sampler_call_fails_clearly():
    import numpy as np

    from openrec2.errors import SettingError
    from openrec2.utils import ImplicitDataset
    from openrec2.utils.samplers import NPairwiseSampler, PairwiseSampler
    raw = np.array([(0, 1), (1, 2)], dtype=[("user_id", np.int32), ("item_id", np.int32)])
    dataset = ImplicitDataset(raw, 2, 4)
    for sampler in (PairwiseSampler, NPairwiseSampler):  # legacy: (dataset, batch_size, chronological, ...)
        with pytest.raises(SettingError, match="legacy OpenRec's PairwiseSampler / NPairwiseSampler had chronological"):
            sampler(dataset, 2, False, 1) if sampler is PairwiseSampler else sampler(dataset, 2, 3, False)
