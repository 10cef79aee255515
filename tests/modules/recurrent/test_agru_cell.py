"""Tests of the AGRU cell (attention replaces the update gate)."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import UnknownOptionError
from openrec2.modules.recurrent import AGRUCell


def test_attention_interpolates_between_state_and_candidate(tf_run):
    rng = np.random.default_rng(1)
    x, h = rng.normal(size=(3, 4)).astype(np.float32), rng.normal(size=(3, 2)).astype(np.float32)
    cell = AGRUCell(4, 2)
    attention = tf.constant([0.0, 0.5, 1.0])
    new_state = cell(tf.constant(x), tf.constant(h), attention)
    _, candidate = cell.gates(tf.constant(x), tf.constant(h))
    got, cand = tf_run([new_state, candidate])
    np.testing.assert_array_equal(got[0], h[0])  # attention 0 keeps the state
    np.testing.assert_allclose(got[1], 0.5 * h[1] + 0.5 * cand[1], rtol=1e-6)
    np.testing.assert_allclose(got[2], cand[2], rtol=1e-6)


def test_attention_is_required(tf_run):
    with pytest.raises(UnknownOptionError, match='needs `attention`'):
        AGRUCell(2, 2)(tf.zeros([1, 2]), tf.zeros([1, 2]))
