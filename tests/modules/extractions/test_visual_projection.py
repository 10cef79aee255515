"""Tests of VisualProjection: E f_i and the visual bias <beta', f_i> of VBPR."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import DTypeError, SettingError, ShapeError, VariableSharingError
from openrec2.modules.extractions.visual_projection import VisualProjection


def test_outputs_projection_and_bias_with_l2_on_both(tf_run):
    rng = np.random.default_rng(0)
    features = rng.standard_normal((4, 3)).astype(np.float32)
    module = VisualProjection(tf.constant(features), dim=2, l2_reg=0.5, init=rng.standard_normal((3, 2)))
    tf_run(module.bias_weights.assign([[1.0], [2.0], [3.0]]))
    vec, bias, loss, e, beta = tf_run(module.get_outputs() + [module.get_loss(), module.projection,
                                                               module.bias_weights])
    assert vec.shape == (4, 2) and bias.shape == (4, 1)
    np.testing.assert_allclose(vec, features @ e, rtol=1e-5)
    np.testing.assert_allclose(bias, features @ beta, rtol=1e-5)
    np.testing.assert_allclose(loss, 0.5 * 0.5 * (np.sum(e ** 2) + np.sum(beta ** 2)), rtol=1e-5)
    assert sorted(v.op.name for v in module.get_variables()) == ["visual_projection/projection",
                                                                 "visual_projection/visual_bias"]


def test_project_reuses_the_variables_and_gradients_reach_them(tf_run):
    module = VisualProjection(tf.ones([2, 3]), dim=2)
    count = len(tf.global_variables())
    other = tf.constant([[1.0, 0.0, 0.0]])
    vec, bias = module.project(other)
    assert len(tf.global_variables()) == count
    gradients = tf.gradients(tf.reduce_sum(vec) + tf.reduce_sum(bias), [module.projection, module.bias_weights])
    assert all(g is not None for g in gradients)
    np.testing.assert_allclose(tf_run(vec), tf_run(module.projection)[:1], rtol=1e-6)


def test_reuse_shares_the_matrix():
    with tf.Graph().as_default():
        first = VisualProjection(tf.ones([2, 3]), dim=2)
        second = VisualProjection(tf.zeros([5, 3]), dim=2, reuse=True)
        assert first.get_variables() == second.get_variables()
        with pytest.raises(VariableSharingError, match="^visual_projection: a variable with this name"):
            VisualProjection(tf.ones([2, 3]), dim=2)


def test_rejects_bad_inputs():
    with tf.Graph().as_default():
        with pytest.raises(ShapeError, match="^visual: `features` must have rank 2"):
            VisualProjection(tf.ones([3]), dim=2, scope="visual")
        with pytest.raises(DTypeError, match="^visual: `features` must be floating point"):
            VisualProjection(tf.ones([3, 2], tf.int32), dim=2, scope="visual")
        with pytest.raises(ShapeError, match="^visual: `features` must have a known width"):
            VisualProjection(tf.placeholder(tf.float32, [None, None]), dim=2, scope="visual")
        with pytest.raises(SettingError, match="^visual: `dim` must be an integer >= 1"):
            VisualProjection(tf.ones([3, 2]), dim=0, scope="visual")
        module = VisualProjection(tf.ones([3, 2]), dim=2, scope="visual")
        with pytest.raises(ShapeError, match="^visual: `features` has width 4"):
            module.project(tf.ones([1, 4]))
