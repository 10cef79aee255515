"""Tests of norm_penalty (RecBole's Frobenius-norm scaling)."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.modules.norm_penalty import norm_penalty


def test_weighted_sum_of_norms_with_finite_gradient_at_zero(tf_run):
    a, b = np.array([[3.0, 4.0]], np.float32), np.array([1.0, 2.0, 2.0], np.float32)
    assert tf_run(norm_penalty([tf.constant(a), tf.constant(b)], 0.5)) == pytest.approx(0.5 * (5.0 + 3.0))
    zero = tf.zeros([3])
    (grad,) = tf.gradients(norm_penalty([zero], 1.0), [zero])
    assert np.isfinite(tf_run(grad)).all()
