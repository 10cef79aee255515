"""Tests of st_gumbel_softmax and convert_to_one_hot."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import DTypeError, SettingError, ShapeError, UnknownOptionError
from openrec2.modules.gumbel_softmax import convert_to_one_hot, st_gumbel_softmax


def test_forward_is_exactly_one_hot_and_every_logit_gets_a_gradient(tf_run):
    logits = tf.constant(np.random.default_rng(0).normal(size=(64, 7)), tf.float32)
    output = st_gumbel_softmax(logits, temperature=0.5)
    weights = tf.constant(np.random.default_rng(1).normal(size=(64, 7)), tf.float32)
    gradient = tf.gradients(tf.reduce_sum(output * weights), logits)[0]
    values, grads = tf_run([output, gradient])
    assert set(np.unique(values).tolist()) == {0.0, 1.0}
    assert np.array_equal(values.sum(axis=1), np.ones(64, np.float32))
    assert np.all(grads != 0.0)


def test_noise_changes_choices_in_training_only(tf_run):
    logits = tf.zeros([2000, 4])  # all classes equally likely: noise decides
    noisy = st_gumbel_softmax(logits, noise=True)
    quiet = st_gumbel_softmax(tf.constant(np.random.default_rng(2).normal(size=(50, 4)), tf.float32), noise=False)
    counts = tf_run(noisy).sum(axis=0)
    assert np.all(counts > 350)  # about 500 each: every class is drawn
    first, second = tf_run(quiet), tf_run(quiet)
    assert np.array_equal(first, second)


def test_serving_choice_is_the_argmax(tf_run):
    raw = np.random.default_rng(3).normal(size=(30, 5)).astype(np.float32)
    chosen = tf_run(st_gumbel_softmax(tf.constant(raw), temperature=2.0, noise=False))
    assert np.array_equal(chosen, np.eye(5, dtype=np.float32)[raw.argmax(axis=1)])


def test_convert_to_one_hot(tf_run):
    values = tf_run(convert_to_one_hot(tf.constant([[2, 0], [1, 3]]), 4))
    assert values.shape == (2, 2, 4) and values.dtype == np.float32
    assert np.array_equal(values.argmax(-1), [[2, 0], [1, 3]]) and np.all(values.sum(-1) == 1)


def test_errors(tf_run):
    with pytest.raises(UnknownOptionError, match="`num_classes` must be an integer >= 1"):
        convert_to_one_hot(tf.constant([1]), 0)
    with pytest.raises(DTypeError, match="must hold integer ids"):
        convert_to_one_hot(tf.constant([1.0]), 3)
    with pytest.raises(SettingError, match="`temperature` must be a finite number > 0"):
        st_gumbel_softmax(tf.zeros([2, 3]), temperature=0.0)
    with pytest.raises(DTypeError, match="must be floating point"):
        st_gumbel_softmax(tf.constant([[1, 2]]))
    with pytest.raises(ShapeError, match="class axis"):
        st_gumbel_softmax(tf.constant(1.0))
