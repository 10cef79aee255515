"""Tests of VBPR: the VBPR score, variable sharing, settings, learning on ML-100K.

The evaluation attacks on its features are tested in tests/trainer/test_adversarial_evaluation.py.
"""

import h5py
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.datasets import make_planted_implicit
from openrec2.errors import DataError, DTypeError, SettingError, ShapeError
from openrec2.recommenders import VBPR
from openrec2.trainer.adversarial_evaluation import attack_perturbation
from openrec2.utils.evaluators import NDCG, HitRatio
from openrec2.utils.samplers import EvaluationSampler, PairwiseSampler

from visual_data import (ml100k_with_genres, planted_with_features, popularity_metrics, ranking_metrics,
                         small_model)

TRAINABLE = ["vbpr/item/embedding", "vbpr/item_bias/embedding", "vbpr/user/embedding",
             "vbpr/user_visual/embedding", "vbpr/visual_projection/projection",
             "vbpr/visual_projection/visual_bias"]


def make_model(split, features, **kwargs):
    settings = dict(l_w=0.01, l_b=0.01, l_e=0.01, nb_iter=4, epochs=10)
    return small_model(VBPR, split, features, batch_size=128, **{**settings, **kwargs})


@pytest.fixture(scope="module")
def trained():
    """A VBPR fitted on a small planted problem whose features are informative."""
    split, features = planted_with_features()
    model = make_model(split, features)
    model.fit(split.train, seed=0, verbose=False)
    yield model, split, features
    model.close()


def variable_values(model):
    return {v.op.name: value for v, value in zip(model.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES),
                                                model.sess.run(model.graph.get_collection(
                                                    tf.GraphKeys.GLOBAL_VARIABLES)))}


def test_serving_computes_the_vbpr_score(trained):
    model, split, features = trained
    values = variable_values(model)
    expected = (values["vbpr/user/embedding"] @ values["vbpr/item/embedding"].T
                + values["vbpr/user_visual/embedding"] @ (features @ values["vbpr/visual_projection/projection"]).T
                + values["vbpr/item_bias/embedding"].T
                + (features @ values["vbpr/visual_projection/visual_bias"]).T)
    users = np.array([0, 5, 7], np.int32)
    scores = model.serve({"user_id": users})
    assert scores.shape == (3, split.max_item)
    np.testing.assert_allclose(scores, expected[users], rtol=1e-4, atol=1e-5)
    items = np.array([1, 2, 79], np.int32)
    np.testing.assert_allclose(model.serve({"user_id": users, "item_id": items}), expected[users, items],
                               rtol=1e-4, atol=1e-5)


def test_training_and_serving_share_variables_without_duplicates(trained):
    model = trained[0]
    trainable = sorted(v.op.name for v in model.graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES))
    assert trainable == TRAINABLE
    names = [v.op.name for v in model.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)]
    assert len(names) == len(set(names))
    for train_name, serve_name in [("user_vec", "user_vec"), ("user_visual", "user_visual"),
                                   ("p_item_vec", "item_vec"), ("n_item_bias", "item_bias"),
                                   ("visual", "visual"), ("item_features", "item_features")]:
        shared = model._get_module(train_name, True).get_variables()
        assert shared and shared == model._get_module(serve_name, False).get_variables()
    features = [v for v in model.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
                if v.op.name == "vbpr/item_features/embedding"]
    np.testing.assert_array_equal(model.sess.run(features[0]), trained[2])  # stored, never trained


def test_loss_is_bpr_plus_the_three_regularisers():
    split, features = planted_with_features()
    bias = np.random.default_rng(3).standard_normal((split.max_item, 1)).astype(np.float32)
    with make_model(split, features, l_w=0.3, l_b=0.2, l_e=0.1, init_dict={"item_bias/embedding": bias}) as model:
        values = variable_values(model)
        batch = {"user_id": np.array([0, 1, 1], np.int32), "p_item_id": np.array([2, 3, 4], np.int32),
                 "n_item_id": np.array([5, 6, 2], np.int32)}
        loss = model.train(batch)
    p, theta, q = (values[f"vbpr/{n}/embedding"] for n in ("user", "user_visual", "item"))
    e, beta = values["vbpr/visual_projection/projection"], values["vbpr/visual_projection/visual_bias"]
    u, i, j = batch["user_id"], batch["p_item_id"], batch["n_item_id"]

    def score(items):
        return (np.sum(p[u] * q[items], 1) + np.sum(theta[u] * (features[items] @ e), 1) + bias[items, 0]
                + (features[items] @ beta)[:, 0])

    half_sq = lambda x: 0.5 * np.sum(x ** 2)  # noqa: E731 (tf.nn.l2_loss)
    expected = (np.sum(np.log1p(np.exp(score(j) - score(i))))
                + 0.3 * (half_sq(p[u]) + half_sq(theta[u]) + half_sq(q[i]) + half_sq(q[j]))
                + 0.2 * (half_sq(bias[i]) + half_sq(bias[j])) + 0.1 * (half_sq(e) + half_sq(beta)))
    assert loss == pytest.approx(expected, rel=1e-4)


def test_features_from_h5py_are_stored_and_restored(tmp_path):
    split, features = planted_with_features()
    with h5py.File(tmp_path / "features.h5", "w") as handle:
        handle["features"] = features
    with h5py.File(tmp_path / "features.h5", "r") as handle:
        model = make_model(split, handle["features"])
    with model, make_model(split, np.zeros_like(features)) as other:
        with PairwiseSampler(split.train, batch_size=64, seed=0) as sampler:
            for _ in range(20):
                model.train(next(sampler))
        other.load(model.save(str(tmp_path / "ckpt")))
        users = np.arange(10, dtype=np.int32)
        np.testing.assert_allclose(other.serve({"user_id": users}), model.serve({"user_id": users}), rtol=1e-6)
        np.testing.assert_array_equal(other.item_features, np.zeros_like(features))  # the constructor's copy
        np.testing.assert_array_equal(attack_perturbation(other, split.train, "clean"), np.zeros_like(features))


def _with_nan(features):
    bad = features.copy()
    bad[3, 1] = np.nan
    return bad


@pytest.mark.parametrize("edit_features, change, error, match", [
    (lambda f: f[:-1], {}, ShapeError, r"`item_features` must be a \[80, F\] matrix"),
    (_with_nan, {}, DataError, "`item_features` holds NaN"),
    (lambda f: f.astype(str), {}, DTypeError, "`item_features` must hold numbers"),
    (None, dict(factors_d=0), SettingError, "`factors_d` must be an integer >= 1"),
    (None, dict(factors=8.0), SettingError, r"`factors` must be an integer >= 1, got 8.0 \(a float\)"),
    (None, dict(l_e=-1.0), SettingError, "`l_e` must be a finite number >= 0"),
    (None, dict(lr=-1.0), SettingError, "`lr` must be a finite number > 0"),
    (None, dict(nb_iter=0), SettingError, "`nb_iter` must be an integer >= 1")])
def test_rejects_bad_settings(edit_features, change, error, match):
    split, features = planted_with_features()
    features = edit_features(features) if edit_features else features
    with tf.Graph().as_default(), pytest.raises(error, match=f"^vbpr: {match}"):
        make_model(split, features, **change)


def test_vbpr_beats_most_popular_on_ml100k():
    split, features = ml100k_with_genres()
    test = EvaluationSampler(split.test, 1024, [split.train])
    with VBPR(batch_size=512, max_user=split.max_user, max_item=split.max_item, item_features=features,
              seed=0) as model:
        history = model.fit(split.train, epochs=4, eval_samplers={"test": test}, evaluators=[HitRatio(10), NDCG(10)],
                            verbose=False)
        assert [window["objective"] for window in history.losses] == ["bpr"] * 4
        learned = history.evaluations[-1]["metrics"]
        assert learned == pytest.approx(dict(ranking_metrics(model.serve_all_items(
            np.arange(split.max_user)), split)))
    popular = popularity_metrics(split)
    assert learned["NDCG@10"] > 1.2 * popular["NDCG@10"]
    assert learned["Hit@10"] > popular["Hit@10"]


def test_large_feature_matrices_are_fed_not_embedded_and_score_the_same(monkeypatch):
    from openrec2.modules import array_initializer

    split, features = planted_with_features()
    features = np.hstack([features, np.zeros((split.max_item, 2000), np.float32)])  # 640 kB
    with make_model(split, features) as embedded:
        expected = embedded.serve({"user_id": np.arange(10, dtype=np.int32)})
        embedded_bytes = embedded.graph.as_graph_def().ByteSize()
    monkeypatch.setattr(array_initializer, "EMBED_LIMIT_BYTES", 0)  # as for a matrix over 64 MB
    with make_model(split, features) as fed:
        np.testing.assert_array_equal(fed.serve({"user_id": np.arange(10, dtype=np.int32)}), expected)
        assert embedded_bytes > features.nbytes > 2 * fed.graph.as_graph_def().ByteSize()


@pytest.mark.slow
def test_a_feature_matrix_over_two_gigabytes_trains_and_serves():
    # TensorFlow refuses graphs over 2 GB, so this only works because the matrix is fed.
    # Peak memory about 15 GB: VBPR also keeps the evaluation attack's perturbation and
    # gradient, each the size of the matrix.
    split = make_planted_implicit(num_users=50, num_items=140_000, rank=2, per_user=5)
    features = np.zeros((split.max_item, 4096), np.float32)  # 140,000 items x 4096-d = 2.29 GB
    features[np.arange(split.max_item), np.arange(split.max_item) % 4096] = 1.0
    with make_model(split, features, factors_d=2) as model:
        with PairwiseSampler(split.train, batch_size=64, seed=0) as sampler:
            losses = [model.train(next(sampler)) for _ in range(3)]
        scores = model.serve({"user_id": np.arange(4, dtype=np.int32)})
    assert np.isfinite(losses).all() and scores.shape == (4, split.max_item) and np.isfinite(scores).all()
