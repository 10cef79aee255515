"""Tests of the Dice activation (batch statistics in training, moving ones at serving)."""

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.modules.dice import Dice
from openrec2.modules.layers import BATCH_NORM_EPSILON


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def test_train_uses_batch_statistics_and_serving_the_moving_ones(tf_run):
    x = np.array([[1.0, -2.0], [3.0, 0.5], [-1.0, 4.0]], np.float32)
    train = Dice(tf.constant(x), train=True, scope='dice')
    serve = Dice(tf.constant(x), train=False, scope='dice', reuse=True)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    alpha = [v for v in tf.global_variables() if v.op.name == 'dice/alpha'][0]
    trained, served = tf_run([train.get_outputs()[0], serve.get_outputs()[0]])
    normalised = (x - x.mean(0)) / np.sqrt(x.var(0) + BATCH_NORM_EPSILON)
    np.testing.assert_allclose(trained, sigmoid(normalised) * x, rtol=1e-5)  # alpha starts at 0
    # Fresh moving statistics are mean 0, variance 1.
    np.testing.assert_allclose(served, sigmoid(x / np.sqrt(1 + BATCH_NORM_EPSILON)) * x, rtol=1e-5)
    for _ in range(2000):
        tf_run(updates)
    np.testing.assert_allclose(tf_run(serve.get_outputs()[0]), trained, rtol=1e-3, atol=1e-4)
    alpha.load(np.array([0.5, 0.5], np.float32), tf_run.sess)
    p = sigmoid(normalised)
    np.testing.assert_allclose(tf_run(train.get_outputs()[0]), p * x + (1 - p) * 0.5 * x, rtol=1e-5)


def test_one_serving_example_does_not_depend_on_the_others(tf_run):
    x = tf.placeholder(tf.float32, [None, 3])
    Dice(x, train=True, scope='dice')
    serve = Dice(x, train=False, scope='dice', reuse=True).get_outputs()[0]
    rows = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(tf_run(serve, {x: rows})[:1], tf_run(serve, {x: rows[:1]}))
