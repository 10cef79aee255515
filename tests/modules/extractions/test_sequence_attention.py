"""Tests of the target-aware sequence attention."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, UnknownOptionError
from openrec2.modules.extractions.sequence_attention import SequenceAttLayer


def test_softmax_over_real_positions_only(tf_run):
    rng = np.random.default_rng(0)
    keys = tf.placeholder(tf.float32, [None, 5, 3])
    weights = SequenceAttLayer(tf.ones([3, 3]), keys, tf.constant([2, 5, 0])).get_outputs()[0]
    values = rng.normal(size=(3, 5, 3)).astype(np.float32)
    garbage = values.copy()
    garbage[0, 2:] = 1e3
    clean, dirty = tf_run(weights, {keys: values}), tf_run(weights, {keys: garbage})
    np.testing.assert_array_equal(clean, dirty)
    np.testing.assert_allclose(clean.sum(1), [1.0, 1.0, 0.0], rtol=1e-6)
    assert (clean[0, 2:] == 0).all() and (clean[0, :2] > 0).all() and (clean[2] == 0).all()


def test_weights_depend_on_the_query(tf_run):
    rng = np.random.default_rng(1)
    keys = tf.constant(rng.normal(size=(2, 4, 3)).astype(np.float32))
    query = tf.constant(rng.normal(size=(2, 3)).astype(np.float32))
    first = SequenceAttLayer(query, keys, tf.constant([4, 4]), scope='att').get_outputs()[0]
    second = SequenceAttLayer(-query, keys, tf.constant([4, 4]), scope='att', reuse=True).get_outputs()[0]
    a, b = tf_run([first, second])
    assert np.abs(a - b).max() > 1e-4


def test_errors(tf_run):
    with pytest.raises(ShapeError, match='query width 2 differs from key width 3'):
        SequenceAttLayer(tf.ones([1, 2]), tf.ones([1, 4, 3]), tf.constant([1]))
    with pytest.raises(UnknownOptionError, match="`activation` must be one of .*got 'dice'"):
        SequenceAttLayer(tf.ones([1, 3]), tf.ones([1, 4, 3]), tf.constant([1]), activation='dice')
