"""Tests of AMR: the adversarial objective, its FGSM on the batch, the epoch schedule, learning."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2 import ModelTrainer
from openrec2.errors import SettingError
from openrec2.recommenders import AMR, VBPR
from openrec2.trainer.adversarial_evaluation import AdversarialEvaluation
from openrec2.utils.evaluators import NDCG, HitRatio
from openrec2.utils.samplers import EvaluationSampler, PairwiseSampler

from visual_data import ml100k_with_genres, planted_with_features, popularity_metrics, small_model

BATCH = {"user_id": np.array([0, 1, 2, 3, 4, 5], np.int32),
         "p_item_id": np.array([7, 7, 3, 9, 11, 2], np.int32),
         "n_item_id": np.array([3, 20, 30, 7, 40, 50], np.int32)}


def make_model(split, features, cls=AMR, **kwargs):
    settings = dict(nb_iter=3, epochs=6, **(dict(l_adv=1.0, adversarial_epochs=2) if cls is AMR else {}))
    return small_model(cls, split, features, **{**settings, **kwargs})


@pytest.fixture(scope="module")
def warmed():
    """An AMR after some BPR steps on a planted problem (so that gradients are informative)."""
    split, features = planted_with_features()
    model = make_model(split, features)
    with PairwiseSampler(split.train, batch_size=64, seed=0) as sampler:
        for _ in range(60):
            model.train(next(sampler), "bpr")
    yield model, split, features
    model.close()


def test_objectives_and_its_one_way_schedule():
    split, features = planted_with_features()
    with make_model(split, features) as model:
        assert model.objectives == ["bpr", "adversarial"] and not model.schedule_cycles
        assert model.default_schedule({"bpr": 10, "adversarial": 10}) == [("bpr", 40), ("adversarial", 20)]
        test = EvaluationSampler(split.test, 64, [split.train])
        history = model.fit(split.train, epochs=3, eval_samplers={"test": AdversarialEvaluation(test, split.train)},
                            verbose=False)
        per_epoch = history.batches_per_epoch
        # The model's epochs=6 with 2 adversarial ones switches after epoch 4: fit's 3 epochs stay in BPR.
        assert [w["objective"] for w in history.losses] == ["bpr"] * 3
        assert {"fgsm/NDCG@10", "msap/NDCG@10", "NDCG@10"} <= set(history.evaluations[-1]["metrics"])
        assert model.train(BATCH) > 0  # the default objective is 'bpr'
        with PairwiseSampler(split.train, 64, seed=1) as sampler:
            history = ModelTrainer(model, verbose=False).train(8 * per_epoch, per_epoch, None, sampler)
        assert [w["objective"] for w in history.losses] == ["bpr"] * 4 + ["adversarial"] * 4  # stays adversarial
    with make_model(split, features, adversarial_epochs=None, epochs=9) as model:
        assert model.adversarial_epochs == 6  # two thirds of the epochs by default
    with make_model(split, features, adversarial_epochs=6, epochs=6) as model:
        assert model.default_schedule({"bpr": 5, "adversarial": 5}) == [("adversarial", 30)]


def test_early_stopping_watches_only_the_adversarial_phase():
    split, features = planted_with_features()
    with make_model(split, features, epochs=4, adversarial_epochs=2) as model, \
            PairwiseSampler(split.train, 64, seed=0) as sampler:
        per_epoch = sampler.batches_per_epoch
        history = ModelTrainer(model, early_stop_metric="NDCG@10", patience=1, verbose=False).train(
            4 * per_epoch, per_epoch, None, sampler, eval_samplers=[EvaluationSampler(split.validation, 64,
                                                                                      [split.train])])
    assert history.best_iteration > 2 * per_epoch  # the best model is an adversarially trained one


def test_shares_variables_with_serving_and_adds_none_for_the_adversary():
    split, features = planted_with_features()
    with make_model(split, features) as amr, make_model(split, features, cls=VBPR) as vbpr:
        def trainable(model):
            return sorted(v.op.name.split("/", 1)[1] for v in model.graph.get_collection(
                tf.GraphKeys.TRAINABLE_VARIABLES))
        assert trainable(amr) == trainable(vbpr)
        names = [v.op.name for v in amr.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)]
        assert len(names) == len(set(names))
        for train_name, serve_name in [("user_visual", "user_visual"), ("p_item_vec", "item_vec"),
                                       ("visual", "visual")]:
            assert amr._get_module(train_name, True).get_variables() == amr._get_module(serve_name, False).get_variables()


def test_training_fgsm_has_norm_eps_per_item_and_increases_the_batch_loss(warmed):
    model, _, _ = warmed
    result = model.inspect_adversarial_batch(BATCH)
    delta = result["perturbation"]
    assert delta.shape == (12, 4)
    np.testing.assert_allclose(np.linalg.norm(delta, axis=1), 0.5, rtol=1e-4)
    ids = np.concatenate([BATCH["p_item_id"], BATCH["n_item_id"]])
    for item in (7, 3):  # positive in some rows, negative in others: one perturbation per item
        rows = np.flatnonzero(ids == item)
        assert len(rows) >= 2
        for row in rows[1:]:
            np.testing.assert_allclose(delta[row], delta[rows[0]], rtol=1e-5)
    assert result["adversarial_bpr_loss"] > result["bpr_loss"]


def test_fgsm_beats_random_perturbations_of_the_same_norm(warmed):
    model, _, features = warmed
    result = model.inspect_adversarial_batch(BATCH)
    ids = np.concatenate([BATCH["p_item_id"], BATCH["n_item_id"]])
    # Recompute the batch BPR loss in numpy from the model's variables to score random directions.
    variables = {v.op.name.split("/", 1)[1]: v for v in model.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)}
    p, theta, q, b, e, beta = model.sess.run([variables[n] for n in (
        "user/embedding", "user_visual/embedding", "item/embedding", "item_bias/embedding",
        "visual_projection/projection", "visual_projection/visual_bias")])
    u = BATCH["user_id"]

    def batch_loss(delta):
        rows = features[ids] + delta
        scores = [np.sum(p[u] * q[part], 1) + np.sum(theta[u] * (rows[k * 6:(k + 1) * 6] @ e), 1)
                  + b[part, 0] + (rows[k * 6:(k + 1) * 6] @ beta)[:, 0]
                  for k, part in enumerate((BATCH["p_item_id"], BATCH["n_item_id"]))]
        return np.sum(np.logaddexp(0.0, scores[1] - scores[0]))

    assert batch_loss(0.0) == pytest.approx(result["bpr_loss"], rel=1e-4)
    assert batch_loss(result["perturbation"]) == pytest.approx(result["adversarial_bpr_loss"], rel=1e-4)
    rng = np.random.default_rng(0)
    for _ in range(20):
        unique, position = np.unique(ids, return_inverse=True)
        random = rng.standard_normal((unique.size, 4))
        random *= 0.5 / np.linalg.norm(random, axis=1, keepdims=True)
        assert batch_loss(random[position]) < result["adversarial_bpr_loss"]


def test_perturb_negative_false_leaves_negatives_clean():
    split, features = planted_with_features()
    with make_model(split, features, perturb_negative=False) as model:
        delta = model.inspect_adversarial_batch(BATCH)["perturbation"]
    np.testing.assert_array_equal(delta[6:], 0.0)
    np.testing.assert_allclose(np.linalg.norm(delta[:6], axis=1), 0.5, rtol=1e-4)
    np.testing.assert_allclose(delta[0], delta[1], rtol=1e-5)  # item 7 twice among the positives


def test_adversarial_objective_adds_l_adv_times_the_perturbed_loss():
    split, features = planted_with_features()
    with make_model(split, features, l_adv=0.7) as model:
        result = model.inspect_adversarial_batch(BATCH)
        bpr = model.train(BATCH, "bpr")  # loss before the update; the update changes the model
    with make_model(split, features, l_adv=0.7) as fresh:
        adversarial = fresh.train(BATCH, "adversarial")
    assert adversarial - bpr == pytest.approx(0.7 * result["adversarial_bpr_loss"], rel=1e-4)


def test_rejects_bad_settings():
    split, features = planted_with_features()
    with tf.Graph().as_default():
        with pytest.raises(SettingError, match=r"^amr: `adversarial_epochs` must be an integer >= 0 and <= 6"):
            make_model(split, features, adversarial_epochs=7)
        with pytest.raises(SettingError, match="^amr: `l_adv` must be a finite number >= 0"):
            make_model(split, features, l_adv=-0.5)


def test_amr_beats_most_popular_on_ml100k():
    split, features = ml100k_with_genres()
    test = EvaluationSampler(split.test, 1024, [split.train])
    with AMR(batch_size=512, max_user=split.max_user, max_item=split.max_item, item_features=features,
             epochs=4, adversarial_epochs=2, seed=0) as model:
        history = model.fit(split.train, eval_samplers={"test": test}, evaluators=[HitRatio(10), NDCG(10)],
                            verbose=False)
    assert [w["objective"] for w in history.losses] == ["bpr", "bpr", "adversarial", "adversarial"]
    learned, popular = history.evaluations[-1]["metrics"], popularity_metrics(split)
    assert learned["NDCG@10"] > 1.2 * popular["NDCG@10"]
    assert learned["Hit@10"] > popular["Hit@10"]
