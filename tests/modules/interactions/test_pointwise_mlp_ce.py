"""Tests of PointwiseMLPCE: probabilities, cross-entropy learning, errors."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, ShapeError
from openrec2.modules.interactions import PointwiseMLPCE


def test_learns_a_separable_problem_and_serves_probabilities(tf_run):
    rng = np.random.default_rng(0)
    user = rng.normal(size=(256, 3)).astype(np.float32)
    item = rng.normal(size=(256, 3)).astype(np.float32)
    labels = ((user * item).sum(axis=1) > 0).astype(np.float32)
    u, i, y = (tf.placeholder(tf.float32, s) for s in ([None, 3], [None, 3], [None]))
    train = PointwiseMLPCE(u, i, dims=[16, 1], labels=y, dropout=0.1)
    serve = PointwiseMLPCE(u, i, dims=[16, 1], dropout=0.1, train=False, batch_serving=False,
                           scope="pointwise_mlp_ce", reuse=True)
    step = tf.train.AdamOptimizer(0.02).minimize(train.get_loss())
    feed = {u: user, i: item, y: labels}
    for _ in range(300):
        tf_run(step, feed)
    probs = tf_run(serve.get_outputs()[0], feed)
    assert probs.min() >= 0 and probs.max() <= 1
    assert ((probs > 0.5) == labels.astype(bool)).mean() > 0.85


def test_batch_serving_scores_every_pair_as_the_aligned_rows_do(tf_run):
    rng = np.random.default_rng(1)
    users, items = (tf.constant(rng.normal(size=shape), tf.float32) for shape in ((3, 2), (5, 2)))
    bias = tf.constant(rng.normal(size=5), tf.float32)
    extra = tf.constant(rng.normal(size=(5, 1)), tf.float32)
    every = PointwiseMLPCE(users, items, dims=[4, 1], item_bias=bias, extra=extra, train=False, block_users=2,
                           scope="m", reuse=tf.AUTO_REUSE)
    pairs = PointwiseMLPCE(tf.repeat(users, 5, axis=0), tf.tile(items, [3, 1]), dims=[4, 1],
                           item_bias=tf.tile(bias, [3]), extra=tf.tile(extra, [3, 1]), train=False,
                           batch_serving=False, scope="m", reuse=tf.AUTO_REUSE)
    full, aligned = tf_run([every.get_outputs()[0], pairs.get_outputs()[0]])
    assert full.shape == (3, 5)
    np.testing.assert_allclose(full.reshape(-1), aligned, rtol=1e-5)


def test_errors():
    with tf.Graph().as_default():
        with pytest.raises(ShapeError, match="last of `dims` must be 1"):
            PointwiseMLPCE(tf.ones([2, 2]), tf.ones([2, 2]), dims=[4, 2], labels=tf.ones([2]))
        with pytest.raises(MissingInputError, match="training needs `labels`"):
            PointwiseMLPCE(tf.ones([2, 2]), tf.ones([2, 2]), dims=[1])
        with pytest.raises(MissingInputError, match="needs `user_bias`"):
            PointwiseMLPCE(tf.ones([2, 2]), tf.ones([2, 2]), dims=[1], labels=tf.ones([2]), use_user_bias=True)
