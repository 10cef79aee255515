"""Tests of PairwiseHinge: its loss against numpy, the sign legacy OpenRec got wrong, serving."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import SettingError
from openrec2.modules.interactions import PairwiseHinge


def test_loss_equals_numpy_hinge(tf_run):
    rng = np.random.default_rng(0)
    user, p_item, n_item = (rng.normal(size=(6, 3)).astype(np.float32) for _ in range(3))
    p_bias, n_bias = rng.normal(size=6).astype(np.float32), rng.normal(size=(6, 1)).astype(np.float32)
    module = PairwiseHinge(user=tf.constant(user), p_item=tf.constant(p_item), n_item=tf.constant(n_item),
                           p_item_bias=tf.constant(p_bias), n_item_bias=tf.constant(n_bias), margin=0.7)
    positive = (user * p_item).sum(1) + p_bias
    negative = (user * n_item).sum(1) + n_bias[:, 0]
    expected = np.maximum(0.0, 0.7 - positive + negative).sum()
    assert tf_run(module.get_loss()) == pytest.approx(expected, rel=1e-5)


def test_minimising_lowers_the_hinge(tf_run):
    """Gradient steps on the loss reduce it (legacy returned the negated hinge)."""
    p_item = tf.Variable([[0.1, 0.0], [0.0, 0.1]])
    n_item = tf.Variable([[0.2, 0.1], [0.1, 0.2]])
    module = PairwiseHinge(user=tf.constant([[1.0, 0.5], [0.5, 1.0]]), p_item=p_item, n_item=n_item)
    step = tf.train.GradientDescentOptimizer(0.1).minimize(module.get_loss())
    before = tf_run(module.get_loss())
    for _ in range(20):
        tf_run(step)
    after = tf_run(module.get_loss())
    assert before > 0 and after < before
    gaps = tf_run(module.get_outputs()[0])
    assert (gaps > 0).all()  # positives now score above negatives


def test_serving_scores_every_item_and_pairs(tf_run):
    user = tf.constant([[1.0, 2.0]])
    items = tf.constant([[1.0, 0.0], [0.0, 1.0]])
    scores = PairwiseHinge(user=user, item=items, item_bias=tf.constant([0.5, 0.0]), train=False, scope="a")
    np.testing.assert_allclose(tf_run(scores.get_outputs()[0]), [[1.5, 2.0]])
    pairs = PairwiseHinge(user=user, p_item=items[1:], train=False, scope="b")
    np.testing.assert_allclose(tf_run(pairs.get_outputs()[0]), [2.0])


def test_negative_margin_is_refused():
    with tf.Graph().as_default(), pytest.raises(SettingError, match="margin"):
        PairwiseHinge(user=tf.ones([2, 2]), p_item=tf.ones([2, 2]), n_item=tf.ones([2, 2]), margin=-1.0)
