"""Tests of the AUGRU cell (attention scales the update gate)."""

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.modules.recurrent import AUGRUCell, GRUCell


def test_zero_attention_keeps_the_hidden_state(tf_run):
    rng = np.random.default_rng(2)
    x, h = rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=(5, 4)).astype(np.float32)
    new_state = AUGRUCell(3, 4)(tf.constant(x), tf.constant(h), tf.zeros([5, 1]))
    np.testing.assert_array_equal(tf_run(new_state), h)


def test_full_attention_is_a_plain_gru_step(tf_run):
    rng = np.random.default_rng(3)
    x, h = rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=(5, 4)).astype(np.float32)
    with tf.variable_scope('shared'):
        augru = AUGRUCell(3, 4, scope='cell')
    with tf.variable_scope('shared', reuse=True):
        gru = GRUCell(3, 4, scope='cell')
    full, plain = tf_run([augru(tf.constant(x), tf.constant(h), tf.ones([5])), gru(tf.constant(x), tf.constant(h))])
    np.testing.assert_allclose(full, plain, rtol=1e-6)
    half = tf_run(augru(tf.constant(x), tf.constant(h), 0.5 * tf.ones([5])))
    assert np.abs(half - h).sum() < np.abs(plain - h).sum()  # a smaller step towards the candidate
