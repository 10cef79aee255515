"""Tests of PointwiseGeCE (GMF): logits and cross-entropy against numpy, serving modes."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError
from openrec2.modules.interactions import PointwiseGeCE


def _sigmoid_ce(labels, logits):
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


def test_loss_equals_numpy_with_learned_weights(tf_run):
    rng = np.random.default_rng(5)
    user, item = rng.normal(size=(6, 3)).astype(np.float32), rng.normal(size=(6, 3)).astype(np.float32)
    bias = rng.normal(size=6).astype(np.float32)
    labels = np.array([1, 0, 1, 1, 0, 0], dtype=np.float32)
    module = PointwiseGeCE(user=tf.constant(user), item=tf.constant(item), item_bias=tf.constant(bias),
                           labels=tf.constant(labels), l2_reg=0.1)
    h = np.array([0.5, 2.0, -1.0], dtype=np.float32)
    weights = [v for v in tf.global_variables() if v.name.endswith("ge_weights:0")][0]
    tf_run(weights.assign(h))
    logits = (user * item * h).sum(1) + bias
    expected = _sigmoid_ce(labels, logits).sum() + 0.1 * 0.5 * (h ** 2).sum()
    assert tf_run(module.get_loss()) == pytest.approx(expected, rel=1e-5)


def test_serving_all_items_matches_pairs(tf_run):
    rng = np.random.default_rng(6)
    user, items = tf.constant(rng.normal(size=(2, 3)), tf.float32), tf.constant(rng.normal(size=(4, 3)), tf.float32)
    bias = tf.constant(rng.normal(size=4), tf.float32)
    with tf.variable_scope("gmf"):
        all_items = PointwiseGeCE(user=user, item=items, item_bias=bias, train=False, scope="s")
    with tf.variable_scope("gmf", reuse=True):
        pairs = PointwiseGeCE(user=tf.repeat(user, 4, axis=0), item=tf.tile(items, [2, 1]),
                              item_bias=tf.tile(bias, [2]), train=False, scope="s", batch_serving=False)
    full, paired = tf_run([all_items.get_outputs()[0], pairs.get_outputs()[0]])
    np.testing.assert_allclose(full.reshape(-1), paired, rtol=1e-5)


def test_training_needs_labels():
    with tf.Graph().as_default(), pytest.raises(MissingInputError, match="labels"):
        PointwiseGeCE(user=tf.ones([2, 2]), item=tf.ones([2, 2]))
