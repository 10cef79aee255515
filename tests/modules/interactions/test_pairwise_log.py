"""Tests of PairwiseLog: the BPR loss value, its stability, gradients and serving modes."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, ShapeError
from openrec2.modules.interactions import PairwiseLog


def test_loss_equals_summed_negative_log_sigmoid(tf_run):
    user = tf.constant([[1.0, 0.0], [0.0, 2.0]])
    p_item = tf.constant([[2.0, 0.0], [0.0, 1.0]])
    n_item = tf.constant([[0.0, 1.0], [1.0, 0.0]])
    module = PairwiseLog(user=user, p_item=p_item, n_item=n_item,
                         p_item_bias=tf.constant([[0.5], [0.0]]), n_item_bias=tf.constant([0.0, 1.0]))
    diffs = np.array([2.0 + 0.5 - 0.0, 2.0 - 1.0])
    expected = -np.log(1.0 / (1.0 + np.exp(-diffs))).sum()
    assert tf_run(module.get_loss()) == pytest.approx(expected, rel=1e-6)


def test_loss_is_stable_for_extreme_scores(tf_run):
    user = tf.constant([[100.0]])
    module = PairwiseLog(user=user, p_item=tf.constant([[-100.0]]), n_item=tf.constant([[100.0]]))
    loss = tf_run(module.get_loss())
    assert np.isfinite(loss) and loss == pytest.approx(20000.0)
    (grad,) = tf.gradients(module.get_loss(), [user])
    assert np.isfinite(tf_run(grad)).all()


def test_gradient_pushes_positive_up_and_negative_down(tf_run):
    p_item = tf.Variable([[0.5, 0.5]])
    n_item = tf.Variable([[0.5, 0.5]])
    module = PairwiseLog(user=tf.constant([[1.0, 1.0]]), p_item=p_item, n_item=n_item)
    g_pos, g_neg = tf.gradients(module.get_loss(), [p_item, n_item])
    assert (tf_run(g_pos) < 0).all() and (tf_run(g_neg) > 0).all()


def test_serving_all_items_and_pairs(tf_run):
    user = tf.constant([[1.0, 2.0]])
    items = tf.constant([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    bias = tf.constant([[0.0], [1.0], [-1.0]])
    all_scores = PairwiseLog(user=user, item=items, item_bias=bias, train=False, scope="a")
    np.testing.assert_allclose(tf_run(all_scores.get_outputs()[0]), [[1.0, 3.0, 2.0]])
    pairs = PairwiseLog(user=tf.constant([[1.0, 2.0], [1.0, 2.0]]), p_item=items[1:],
                        p_item_bias=bias[1:], train=False, scope="b")
    np.testing.assert_allclose(tf_run(pairs.get_outputs()[0]), [3.0, 2.0])


def test_missing_inputs_are_rejected():
    with tf.Graph().as_default():
        with pytest.raises(MissingInputError, match="^pairwise_log: training needs both"):
            PairwiseLog(user=tf.ones([2, 2]), p_item=tf.ones([2, 2]))
        with pytest.raises(MissingInputError, match="serving needs `item`"):
            PairwiseLog(user=tf.ones([2, 2]), train=False)
        with pytest.raises(ShapeError, match="`user` must have rank 2"):
            PairwiseLog(user=tf.ones([2]), p_item=tf.ones([2, 2]), n_item=tf.ones([2, 2]))
