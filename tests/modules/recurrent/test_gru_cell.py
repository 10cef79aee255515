"""Tests of the plain-TensorFlow GRU cell."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import SettingError, UnknownOptionError
from openrec2.modules.recurrent import GRUCell


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def test_gru_step_matches_numpy(tf_run):
    rng = np.random.default_rng(0)
    x, h = rng.normal(size=(4, 3)).astype(np.float32), rng.normal(size=(4, 5)).astype(np.float32)
    cell = GRUCell(3, 5)
    new_state = cell(tf.constant(x), tf.constant(h))
    got, w_x, w_h, b_x, b_h = tf_run([new_state, cell.input_weights, cell.state_weights, cell.input_bias,
                                      cell.state_bias])
    a, s = x @ w_x + b_x, h @ w_h + b_h
    reset, update = sigmoid(a[:, :5] + s[:, :5]), sigmoid(a[:, 5:10] + s[:, 5:10])
    candidate = np.tanh(a[:, 10:] + reset * s[:, 10:])
    np.testing.assert_allclose(got, (1 - update) * h + update * candidate, rtol=1e-5, atol=1e-6)


def test_variables_live_in_the_cell_scope_and_bias_is_optional(tf_run):
    with tf.variable_scope('outer'):
        GRUCell(2, 3, bias=False)
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == ['outer/gru_cell/input_weights', 'outer/gru_cell/state_weights']


def test_errors(tf_run):
    with pytest.raises(SettingError, match='`hidden_size` must be an integer >= 1'):
        GRUCell(2, 0)
    cell = GRUCell(2, 3)
    with pytest.raises(UnknownOptionError, match='takes no attention'):
        cell(tf.zeros([1, 2]), tf.zeros([1, 3]), attention=tf.ones([1]))
