"""Tests of IdentityMapping."""

import numpy as np

import tensorflow.compat.v1 as tf

from openrec2.modules.extractions import IdentityMapping


def test_passes_value_through_with_gradient(tf_run):
    value = tf.constant([[1.0, 2.0]])
    module = IdentityMapping(value)
    np.testing.assert_array_equal(tf_run(module.get_outputs()[0]), [[1.0, 2.0]])
    (grad,) = tf.gradients(tf.reduce_sum(module.get_outputs()[0] * 3.0), [value])
    np.testing.assert_array_equal(tf_run(grad), [[3.0, 3.0]])
    assert tf_run(module.get_loss()) == 0.0
