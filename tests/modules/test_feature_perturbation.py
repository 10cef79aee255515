"""Tests of FeaturePerturbation: clean serving untouched, perturbed serving adds the held delta."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError
from openrec2.modules import FeaturePerturbation


def test_clean_unless_active_and_the_attack_ops_follow_the_scores():
    features = np.arange(12, dtype=np.float32).reshape(4, 3)
    with tf.Graph().as_default():
        module = FeaturePerturbation(tf.constant(features), 'toy')
        user_id = tf.placeholder(tf.int32, [None])
        weights = tf.constant([[1.0, 0.0, 0.0], [0.0, 1.0, -1.0]])
        scores = tf.matmul(tf.gather(weights, user_id), module.perturbed, transpose_b=True)
        module.build_attack(scores, user_id)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            np.testing.assert_array_equal(sess.run(module.perturbed), features)
            delta = np.full((4, 3), 0.5, np.float32)
            module.hold(sess, delta)
            np.testing.assert_array_equal(sess.run(module.perturbed), features)  # off by default
            np.testing.assert_array_equal(sess.run(module.perturbed, {module.active: True}), features + delta)
            module.hold(sess, None)
            users, items = np.array([0, 1]), np.array([3, 0])
            clean = module.loss(sess, users, items)
            module.accumulate_gradient(sess, users, items)
            module.step(sess, 0.1, 0.1)
            stepped = module.value(sess)
            np.testing.assert_allclose(np.linalg.norm(stepped, axis=1), 0.1, rtol=1e-5)
            assert module.loss(sess, users, items) > clean  # the step ascends the loss
            with pytest.raises(ShapeError, match="^toy: a perturbation must have the feature matrix's shape"):
                module.hold(sess, np.zeros((2, 3)))


def test_the_shape_must_be_known():
    with tf.Graph().as_default(), pytest.raises(ShapeError, match='known shape'):
        FeaturePerturbation(tf.placeholder(tf.float32, [None, 3]), 'toy')
