"""Tests of the plain-TensorFlow LSTM cell and its unroll by dynamic_gru."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import SettingError, UnknownOptionError
from openrec2.modules.recurrent import LSTMCell, dynamic_gru


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def numpy_step(x, c, h, w_x, w_h, b):
    gates = x @ w_x + h @ w_h + b
    i, f, g, o = np.split(gates, 4, axis=1)
    c = sigmoid(f + 1.0) * c + sigmoid(i) * np.tanh(g)
    return c, sigmoid(o) * np.tanh(c)


def test_lstm_step_matches_numpy(tf_run):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3)).astype(np.float32)
    c, h = rng.normal(size=(4, 5)).astype(np.float32), rng.normal(size=(4, 5)).astype(np.float32)
    cell = LSTMCell(3, 5)
    # A random bias, so that the gate order matters.
    bias = rng.normal(size=20).astype(np.float32)
    new_state = cell(tf.constant(x), tf.constant(np.concatenate([c, h], 1)))
    tf_run(cell.bias.assign(bias))
    got, w_x, w_h = tf_run([new_state, cell.input_weights, cell.state_weights])
    want_c, want_h = numpy_step(x, c, h, w_x, w_h, bias)
    assert cell.state_size == 10
    np.testing.assert_allclose(got, np.concatenate([want_c, want_h], 1), rtol=1e-5, atol=1e-6)


def test_unroll_returns_the_output_half_and_ignores_padding(tf_run):
    rng = np.random.default_rng(1)
    inputs = rng.normal(size=(2, 4, 3)).astype(np.float32)
    dirty = inputs.copy()
    dirty[0, 2:] = 50.0
    cell = LSTMCell(3, 5)
    placeholder = tf.placeholder(tf.float32, [None, 4, 3])
    outputs, final = dynamic_gru(cell, placeholder, tf.constant([2, 4]))
    clean = tf_run([outputs, final], {placeholder: inputs})
    garbage = tf_run([outputs, final], {placeholder: dirty})
    np.testing.assert_array_equal(clean[1], garbage[1])
    w_x, w_h, b = tf_run([cell.input_weights, cell.state_weights, cell.bias])
    c, h = np.zeros((1, 5)), np.zeros((1, 5))
    for t in range(2):
        c, h = numpy_step(inputs[0, t:t + 1], c, h, w_x, w_h, b)
    assert clean[0].shape == (2, 4, 5) and clean[1].shape == (2, 5)
    np.testing.assert_allclose(clean[1][0], h[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(clean[0][0, 2:], np.zeros((2, 5)))


def test_statically_empty_sequences_give_the_initial_output(tf_run):
    cell = LSTMCell(3, 2)
    outputs, final = dynamic_gru(cell, tf.zeros([4, 0, 3]), tf.zeros([4], tf.int32))
    got = tf_run([outputs, final])
    assert got[0].shape == (4, 0, 2)
    np.testing.assert_array_equal(got[1], np.zeros((4, 2)))


def test_errors(tf_run):
    with pytest.raises(SettingError, match='`hidden_size` must be an integer >= 1'):
        LSTMCell(2, 0)
    cell = LSTMCell(2, 3)
    with pytest.raises(UnknownOptionError, match='takes no attention'):
        cell.step(tf.zeros([1, 12]), tf.zeros([1, 6]), attention=tf.ones([1]))
