"""Tests of PairwiseEuDist: the CML hinge on squared distances against numpy, and serving."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.modules.interactions import PairwiseEuDist


def _distances(user, item):
    return ((user - item) ** 2).sum(-1)


def test_loss_equals_numpy_metric_hinge(tf_run):
    rng = np.random.default_rng(1)
    user, p_item, n_item = (rng.normal(size=(5, 4)).astype(np.float32) for _ in range(3))
    p_bias, n_bias = rng.normal(size=(5, 1)).astype(np.float32), rng.normal(size=5).astype(np.float32)
    weights = rng.uniform(0.5, 2.0, size=5).astype(np.float32)
    module = PairwiseEuDist(user=tf.constant(user), p_item=tf.constant(p_item), n_item=tf.constant(n_item),
                            p_item_bias=tf.constant(p_bias), n_item_bias=tf.constant(n_bias),
                            weights=tf.constant(weights), margin=0.5)
    positive = -_distances(user, p_item) + p_bias[:, 0]
    negative = -_distances(user, n_item) + n_bias
    expected = (weights * np.maximum(0.0, 0.5 - positive + negative)).sum()
    assert tf_run(module.get_loss()) == pytest.approx(expected, rel=1e-5)


def test_serving_all_items_equals_pair_distances(tf_run):
    rng = np.random.default_rng(2)
    user, items = rng.normal(size=(3, 4)).astype(np.float32), rng.normal(size=(7, 4)).astype(np.float32)
    bias = rng.normal(size=7).astype(np.float32)
    scores = PairwiseEuDist(user=tf.constant(user), item=tf.constant(items), item_bias=tf.constant(bias),
                            train=False, scope="all")
    expected = -((user[:, None, :] - items[None, :, :]) ** 2).sum(-1) + bias[None, :]
    np.testing.assert_allclose(tf_run(scores.get_outputs()[0]), expected, rtol=1e-4, atol=1e-4)
    pairs = PairwiseEuDist(user=tf.constant(user), p_item=tf.constant(items[:3]), train=False, scope="pairs")
    np.testing.assert_allclose(tf_run(pairs.get_outputs()[0]), -_distances(user, items[:3]), rtol=1e-5)


def test_training_pulls_positive_closer(tf_run):
    p_item = tf.Variable([[1.0, 1.0]])
    n_item = tf.Variable([[0.0, 0.1]])
    module = PairwiseEuDist(user=tf.constant([[0.0, 0.0]]), p_item=p_item, n_item=n_item)
    step = tf.train.GradientDescentOptimizer(0.1).minimize(module.get_loss())
    before = tf_run(module.get_loss())
    for _ in range(30):
        tf_run(step)
    assert tf_run(module.get_loss()) < before
    assert _distances(np.zeros(2), tf_run(p_item)[0]) < 2.0
