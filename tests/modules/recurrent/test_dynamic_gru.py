"""Tests of the length-aware GRU unroll."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError
from openrec2.modules.recurrent import AUGRUCell, GRUCell, dynamic_gru


def test_final_state_stops_at_the_length_and_padding_is_ignored(tf_run):
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(3, 6, 2)).astype(np.float32)
    garbage = inputs.copy()
    garbage[0, 2:] = 100.0
    garbage[1, 4:] = -7.0
    lengths = np.array([2, 4, 0], np.int32)
    cell = GRUCell(2, 3)
    placeholder = tf.placeholder(tf.float32, [None, 6, 2])
    outputs, final = dynamic_gru(cell, placeholder, tf.constant(lengths))
    clean = tf_run([outputs, final], {placeholder: inputs})
    dirty = tf_run([outputs, final], {placeholder: garbage})
    np.testing.assert_array_equal(clean[1], dirty[1])
    np.testing.assert_array_equal(clean[0], dirty[0])
    np.testing.assert_array_equal(clean[1][2], np.zeros(3))  # empty sequence: initial state
    np.testing.assert_array_equal(clean[0][0, 2:], np.zeros((4, 3)))
    np.testing.assert_array_equal(clean[1][0], clean[0][0, 1])


def test_step_by_step_equals_unroll(tf_run):
    rng = np.random.default_rng(1)
    inputs = rng.normal(size=(2, 3, 2)).astype(np.float32)
    attention = rng.uniform(size=(2, 3)).astype(np.float32)
    cell = AUGRUCell(2, 3)
    _, final = dynamic_gru(cell, tf.constant(inputs), tf.constant([3, 3]), attention=tf.constant(attention))
    state = tf.zeros([2, 3])
    for t in range(3):
        state = cell(tf.constant(inputs[:, t]), state, tf.constant(attention[:, t]))
    unrolled, manual = tf_run([final, state])
    np.testing.assert_allclose(unrolled, manual, rtol=1e-5)


def test_gradient_reaches_the_cell(tf_run):
    cell = GRUCell(2, 3)
    _, final = dynamic_gru(cell, tf.ones([2, 4, 2]), tf.constant([4, 1]))
    grads = tf.gradients(tf.reduce_sum(final), [cell.input_weights, cell.state_weights])
    assert all(np.abs(g).sum() > 0 for g in tf_run(grads))


def test_width_mismatch(tf_run):
    with pytest.raises(ShapeError, match='input_size=3'):
        dynamic_gru(GRUCell(3, 2), tf.ones([1, 2, 4]), tf.constant([2]))
