"""Tests of FullMatrixWeightedMSE: the Gram-matrix loss equals the dense all-cells loss, serving, errors."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, SettingError
from openrec2.modules.interactions import FullMatrixWeightedMSE


def dense_loss(users, items, bias, observed, a, b):
    """``sum_{u,i} c_ui (y_ui - s_ui)^2`` over the whole dense matrix (the definition)."""
    scores = users @ items.T + bias[None, :]
    confidence = np.where(observed, a, b)
    return float((confidence * (observed.astype(float) - scores) ** 2).sum())


@pytest.mark.parametrize("with_bias", [True, False])
def test_one_pass_over_observed_cells_is_the_dense_loss(tf_run, with_bias):
    rng = np.random.default_rng(0)
    users, items = rng.normal(size=(5, 3)), rng.normal(size=(7, 3))
    bias = rng.normal(size=7) if with_bias else np.zeros(7)
    observed = rng.random((5, 7)) < 0.4
    observed[:, 0] = True  # every user has a cell
    rows, cols = np.nonzero(observed)
    share = 1.0 / observed.sum(1)[rows]
    f32 = np.float32
    module = FullMatrixWeightedMSE(
        user=tf.constant(users[rows], f32), item=tf.constant(items[cols], f32),
        item_bias=tf.constant(bias[cols], f32) if with_bias else None,
        all_items=tf.constant(items, f32), all_item_bias=tf.constant(bias, f32) if with_bias else None,
        user_share=tf.constant(share, f32), a=4.0, b=0.5)
    expected = dense_loss(users, items, bias, observed, 4.0, 0.5)
    assert tf_run(module.get_loss()) == pytest.approx(expected, rel=1e-5)


def test_serving_scores_every_item_or_pairs(tf_run):
    user = tf.constant([[1.0, 2.0]])
    items = tf.constant([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    bias = tf.constant([[0.5], [0.0], [-1.0]])
    every = FullMatrixWeightedMSE(user, items, item_bias=bias, train=False)
    pair = FullMatrixWeightedMSE(user, items[1:2], item_bias=bias[1:2], train=False, batch_serving=False)
    np.testing.assert_allclose(tf_run(every.get_outputs()[0]), [[1.5, 2.0, 2.0]])
    np.testing.assert_allclose(tf_run(pair.get_outputs()[0]), [2.0])


def test_training_needs_every_item_and_the_user_shares():
    with tf.Graph().as_default(), pytest.raises(
            MissingInputError, match="^full_matrix_weighted_mse: training needs all_items, user_share"):
        FullMatrixWeightedMSE(tf.ones([2, 2]), tf.ones([2, 2]))
    for name, rows in (("item_bias", 2), ("all_item_bias", 3)):
        with tf.Graph().as_default(), pytest.raises(MissingInputError, match="item_bias and all_item_bias together"):
            FullMatrixWeightedMSE(tf.ones([2, 2]), tf.ones([2, 2]), all_items=tf.ones([3, 2]), user_share=tf.ones([2]),
                                  **{name: tf.ones([rows])})


def test_negative_confidence_is_refused():
    with tf.Graph().as_default(), pytest.raises(SettingError, match="full_matrix_weighted_mse.*`b`"):
        FullMatrixWeightedMSE(tf.ones([2, 2]), tf.ones([2, 2]), b=-1.0, train=False)
