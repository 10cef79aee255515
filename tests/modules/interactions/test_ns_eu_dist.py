"""Tests of NSEuDist (WCML's WARP-weighted metric hinge over K negatives) against numpy."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.modules.interactions import NSEuDist


def test_loss_equals_numpy(tf_run):
    rng = np.random.default_rng(4)
    user, p_item = rng.normal(size=(6, 3)).astype(np.float32), rng.normal(size=(6, 3)).astype(np.float32)
    n_item = rng.normal(size=(6, 5, 3)).astype(np.float32)
    module = NSEuDist(user=tf.constant(user), max_item=50, p_item=tf.constant(p_item), n_item=tf.constant(n_item),
                      margin=0.5)
    positive = -((user - p_item) ** 2).sum(-1)
    negative = -((user[:, None, :] - n_item) ** 2).sum(-1)
    hinges = np.maximum(0.0, 0.5 - positive[:, None] + negative)
    weights = np.log(np.floor(50 * (hinges > 0).sum(1) / 5) + 1.0)
    assert tf_run(module.get_loss()) == pytest.approx((weights * hinges.max(1)).sum(), rel=1e-5)


def test_serving_scores_are_negative_squared_distances(tf_run):
    user = tf.constant([[0.0, 0.0], [1.0, 1.0]])
    items = tf.constant([[1.0, 0.0], [1.0, 1.0]])
    scores = NSEuDist(user=user, max_item=2, item=items, item_bias=tf.constant([0.0, 0.5]), train=False)
    np.testing.assert_allclose(tf_run(scores.get_outputs()[0]), [[-1.0, -1.5], [-1.0, 0.5]], atol=1e-6)
