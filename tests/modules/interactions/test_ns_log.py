"""Tests of NsLog (NBPR's loss over K negatives with WARP weights) against numpy."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, ShapeError
from openrec2.modules.interactions import NsLog


def _numpy_ns_log(user, p_item, p_bias, n_item, n_bias, max_item):
    positive = (user * p_item).sum(-1) + p_bias
    negative = (user[:, None, :] * n_item).sum(-1) + n_bias
    gaps = positive[:, None] - negative
    violations = (gaps < 0).sum(1)
    weights = np.log(np.floor(max_item * (violations + 1) / (n_item.shape[1] + 1)) + 1.0)
    return np.log1p(np.exp(-weights * gaps.min(1))).sum()


def test_loss_equals_numpy(tf_run):
    rng = np.random.default_rng(3)
    user, p_item = rng.normal(size=(8, 3)).astype(np.float32), rng.normal(size=(8, 3)).astype(np.float32)
    n_item = rng.normal(size=(8, 4, 3)).astype(np.float32)
    p_bias, n_bias = rng.normal(size=8).astype(np.float32), rng.normal(size=(8, 4)).astype(np.float32)
    module = NsLog(user=tf.constant(user), max_item=100, p_item=tf.constant(p_item), p_item_bias=tf.constant(p_bias),
                   n_item=tf.constant(n_item), n_item_bias=tf.constant(n_bias[..., None]))
    expected = _numpy_ns_log(user, p_item, p_bias, n_item, n_bias, 100)
    assert tf_run(module.get_loss()) == pytest.approx(expected, rel=1e-5)
    assert tf_run(module.get_outputs()[0]).shape == (8, 4)


def test_rows_without_violation_still_learn(tf_run):
    """A positive above all its negatives keeps a gradient (legacy gave it weight 0 and none)."""
    p_item = tf.Variable([[1.0, 0.0]])
    module = NsLog(user=tf.constant([[1.0, 0.0]]), max_item=10, p_item=p_item,
                   n_item=tf.constant([[[0.0, 1.0], [-1.0, 0.0]]]))
    (grad,) = tf.gradients(module.get_loss(), [p_item])
    assert tf_run(grad)[0, 0] < 0  # descending raises the positive's score further


def test_serving_and_input_checks(tf_run):
    user = tf.constant([[1.0, 2.0]])
    scores = NsLog(user=user, max_item=2, item=tf.constant([[1.0, 0.0], [0.0, 1.0]]), train=False)
    np.testing.assert_allclose(tf_run(scores.get_outputs()[0]), [[1.0, 2.0]])
    with pytest.raises(MissingInputError, match="n_item"):
        NsLog(user=user, max_item=2, p_item=user)
    with pytest.raises(ShapeError, match="n_item"):
        NsLog(user=user, max_item=2, p_item=user, n_item=user)
