"""Tests of ConvNCF: graph, sharing, errors, pretraining, chunked serving, learning."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import CheckpointError, MissingInputError, ShapeError, UnknownOptionError
from openrec2.recommenders import BPR, ConvNCF
from openrec2.utils.samplers import PairwiseSampler

from planted import planted_split, popularity_metrics, test_metrics

SMALL_TOWER = dict(embedding_size=16, cnn_channels=[1, 8, 8], cnn_kernels=[4, 4], cnn_strides=[4, 1])


def table(model, name):
    """Value of a model variable by name (under the model scope)."""
    with model.graph.as_default():
        (variable,) = [v for v in tf.global_variables() if v.op.name == f"{model.scope}/{name}"]
    return model.sess.run(variable)


def triples(rng, batch, max_user, max_item):
    return {"user_id": rng.integers(0, max_user, batch).astype(np.int32),
            "p_item_id": rng.integers(0, max_item, batch).astype(np.int32),
            "n_item_id": rng.integers(0, max_item, batch).astype(np.int32)}


def test_shapes_variables_and_training_step():
    rng = np.random.default_rng(0)
    with ConvNCF(batch_size=8, max_user=20, max_item=30, seed=0) as model:
        assert model.input_names(True) == ["user_id", "p_item_id", "n_item_id"]
        assert model.input_names(False) == ["user_id", "item_id"]
        with model.graph.as_default():
            trainable = sorted(v.op.name for v in tf.trainable_variables())
        assert trainable == sorted(["conv_ncf/user/embedding", "conv_ncf/item/embedding"]
                                   + [f"conv_ncf/cnn/conv{i}/{n}" for i in range(4) for n in ("weights", "bias")]
                                   + ["conv_ncf/cnn/prediction/weights", "conv_ncf/cnn/prediction/bias"])
        assert table(model, "user/embedding").shape == (20, 64)
        before = table(model, "cnn/conv1/weights")
        loss = model.train(triples(rng, 8, 20, 30))
        assert np.isfinite(loss) and loss > 8 * np.log(2) * 0.9
        assert not np.array_equal(before, table(model, "cnn/conv1/weights"))
        assert model.serve({"user_id": np.array([0, 3])}).shape == (2, 30)
        assert model.serve({"user_id": np.array([0, 3]), "item_id": np.array([1, 2])}).shape == (2,)


def test_all_item_scores_equal_pair_scores():
    rng = np.random.default_rng(1)
    with ConvNCF(batch_size=8, max_user=9, max_item=70, block_users=4, block_items=16, block_pairs=50,
                 seed=1) as model:
        with model.graph.as_default():
            for variable in tf.trainable_variables():  # non-trivial weights everywhere
                variable.load(rng.normal(size=variable.shape.as_list()) * 0.3, model.sess)
        users = np.array([0, 4, 8, 2, 5], np.int32)
        scores = model.serve({"user_id": users})
        pairs = model.serve({"user_id": np.repeat(users, 70), "item_id": np.tile(np.arange(70), 5)})
    assert np.std(scores) > 1e-3
    np.testing.assert_allclose(scores, pairs.reshape(5, 70), atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("tower, message", [
    (dict(cnn_kernels=[4, 4, 2], cnn_strides=[4, 4, 2], cnn_channels=[1, 32, 32, 32]),
     r"the last conv layer \(3\) outputs 2x2"),
    (dict(cnn_kernels=[8, 16], cnn_strides=[8, 1], cnn_channels=[1, 8, 8]),
     r"conv layer 2 has kernel 16x16 but its input is only 8x8"),
])
def test_impossible_cnn_shapes_are_rejected(tower, message):
    with pytest.raises(ShapeError, match="^conv_ncf: " + message):
        ConvNCF(batch_size=8, max_user=5, max_item=5, **tower)


def test_bad_options_are_rejected(tmp_path):
    with pytest.raises(UnknownOptionError, match="`train_method` must be one of .*got 'pretrain'"):
        ConvNCF(batch_size=8, max_user=5, max_item=5, train_method="pretrain")
    with pytest.raises(UnknownOptionError, match="`reg_weights` must be a list of 2 finite numbers >= 0"):
        ConvNCF(batch_size=8, max_user=5, max_item=5, reg_weights=[0.1])
    with pytest.raises(MissingInputError, match="needs `pre_model_path`"):
        ConvNCF(batch_size=8, max_user=5, max_item=5, train_method="after_pretrain")
    with pytest.raises(CheckpointError, match="no checkpoint at"):
        ConvNCF(batch_size=8, max_user=5, max_item=5, train_method="after_pretrain",
                pre_model_path=str(tmp_path))


def test_after_pretrain_starts_from_bpr_embeddings(tmp_path):
    with BPR(batch_size=8, max_user=12, max_item=15, dim_embed=16, seed=3) as bpr:
        bpr.train(triples(np.random.default_rng(3), 8, 12, 15))
        prefix = bpr.save(str(tmp_path))
        users, items = table(bpr, "user/embedding"), table(bpr, "item/embedding")
    with ConvNCF(batch_size=8, max_user=12, max_item=15, train_method="after_pretrain",
                 pre_model_path=str(tmp_path), seed=4, **SMALL_TOWER) as model:
        np.testing.assert_array_equal(table(model, "user/embedding"), users)
        np.testing.assert_array_equal(table(model, "item/embedding"), items)
    with pytest.raises(ShapeError, match=r"has shape \[12, 16\], this model needs \[12, 64\]"):
        ConvNCF(batch_size=8, max_user=12, max_item=15, train_method="after_pretrain", pre_model_path=prefix)


def test_learns_planted_problem_after_bpr_pretraining(tmp_path):
    split = planted_split()
    sizes = dict(max_user=split.max_user, max_item=split.max_item)
    with BPR(batch_size=256, dim_embed=16, lr=0.01, seed=0, **sizes) as bpr, \
            PairwiseSampler(split.train, batch_size=256, seed=0) as sampler:
        for _ in range(300):
            bpr.train(next(sampler))
        bpr.save(str(tmp_path))
    with ConvNCF(batch_size=256, train_method="after_pretrain", pre_model_path=str(tmp_path), lr=0.002,
                 dropout_prob=0.2, reg_weights=[0.01, 0.01], seed=0, **SMALL_TOWER, **sizes) as model, \
            PairwiseSampler(split.train, batch_size=256, seed=1) as sampler:
        losses = [model.train(next(sampler)) for _ in range(150)]
        scores = model.serve_all_items(np.arange(split.max_user))
    learned, popular = test_metrics(scores, split), popularity_metrics(split)
    assert np.mean(losses[-10:]) < np.mean(losses[:10])
    assert learned["AUC"] > popular["AUC"] + 0.1
    assert learned["Recall@10"] > 1.5 * popular["Recall@10"]


@pytest.mark.slow
def test_ml100k_after_pretrain_beats_most_popular():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "seed_models" / "convncf.py"
    spec = importlib.util.spec_from_file_location("convncf_benchmark", path)
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    rows = {row["model"]: row for row in benchmark.run()}
    assert rows["ConvNCF (after_pretrain)"]["NDCG@10"] > rows["MostPop"]["NDCG@10"] * 1.2
