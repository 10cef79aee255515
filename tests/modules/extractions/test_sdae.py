"""Tests of SDAE: bottleneck output, reconstruction loss, corruption only in training."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import SettingError
from openrec2.modules.extractions import SDAE


def test_outputs_bottleneck_and_learns_to_reconstruct(tf_run):
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(3, 20)).astype(np.float32)
    data = (rng.normal(size=(256, 3)) @ basis).astype(np.float32)     # rank-3 data
    x = tf.placeholder(tf.float32, [None, 20])
    train = SDAE(x, dims=[16, 3], dropout=0.1, l2_reconst=1.0)
    serve = SDAE(x, dims=[16, 3], train=False, scope="sdae", reuse=True)
    assert tf_run(serve.get_outputs()[0], {x: data}).shape == (256, 3)
    step = tf.train.AdamOptimizer(0.01).minimize(train.get_loss())
    tf_run.sess.run(tf.variables_initializer(tf.global_variables()))
    tf_run._initialised = True
    first = tf_run(train.get_loss(), {x: data})
    for _ in range(400):
        tf_run(step, {x: data})
    # Serving reconstruction error of the clean input falls well below the start.
    error = tf_run(tf.reduce_mean(tf.square(serve.reconstruction - x)), {x: data})
    assert tf_run(train.get_loss(), {x: data}) < 0.3 * first
    assert error < 0.3 * np.mean(data ** 2)


def test_serving_is_deterministic_and_training_is_corrupted(tf_run):
    x = tf.ones([64, 10])
    train = SDAE(x, dims=[4], dropout=0.5)
    serve = SDAE(x, dims=[4], train=False, scope="sdae", reuse=True)
    assert not np.allclose(tf_run(train.get_outputs()[0]), tf_run(train.get_outputs()[0]))
    np.testing.assert_array_equal(tf_run(serve.get_outputs()[0]), tf_run(serve.get_outputs()[0]))


def test_bad_dims_rejected():
    with tf.Graph().as_default(), pytest.raises(SettingError, match="^sdae: `dims`"):
        SDAE(tf.ones([2, 3]), dims=[])
