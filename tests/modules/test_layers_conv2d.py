"""Tests of the plain-TF conv2d layer functions added to openrec2.modules.layers."""

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.modules.layers import conv2d


def test_valid_strided_convolution_matches_numpy(tf_run):
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(2, 6, 6, 3)).astype(np.float32)
    outputs = conv2d(tf.constant(inputs), filters=4, kernel_size=2, stride=2, scope="c")
    kernel, bias = tf.global_variables()
    assert [v.op.name for v in (kernel, bias)] == ["c/weights", "c/bias"]
    tf_run([])
    bias.load(np.arange(4, dtype=np.float32), tf_run.sess)
    result, k = tf_run([outputs, kernel])
    expected = np.zeros((2, 3, 3, 4))
    for p in range(3):
        for q in range(3):
            patch = inputs[:, 2 * p:2 * p + 2, 2 * q:2 * q + 2, :]
            expected[:, p, q, :] = np.einsum("nabc,abcf->nf", patch, k) + np.arange(4)
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-5)


def test_shares_variables_under_reuse():
    with tf.Graph().as_default():
        x = tf.ones([1, 4, 4, 1])
        conv2d(x, 2, 3, scope="c")
        with tf.variable_scope("", reuse=True):
            conv2d(x, 2, 3, scope="c")
        assert len(tf.global_variables()) == 2
