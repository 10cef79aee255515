"""Tests of DIEN's interest evolving layer."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import UnknownOptionError
from openrec2.modules.extractions.interest_evolving import GRU_TYPES, InterestEvolvingLayer


@pytest.mark.parametrize('gru_type', GRU_TYPES)
def test_every_type_builds_ignores_padding_and_has_gradients(tf_run, gru_type):
    rng = np.random.default_rng(0)
    keys = tf.placeholder(tf.float32, [None, 4, 3])
    query = tf.constant(rng.normal(size=(2, 3)).astype(np.float32))
    layer = InterestEvolvingLayer(query, keys, tf.constant([2, 4]), gru_type=gru_type)
    evolved, attention = layer.get_outputs()
    values = rng.normal(size=(2, 4, 3)).astype(np.float32)
    garbage = values.copy()
    garbage[0, 2:] = 9.0
    clean = tf_run(evolved, {keys: values})
    np.testing.assert_array_equal(clean, tf_run(evolved, {keys: garbage}))
    assert clean.shape == (2, 3)
    variables = layer.get_variables(trainable_only=True)
    grads = tf.gradients(tf.reduce_sum(evolved), variables)
    assert all(g is not None for g in grads)


def test_types_give_different_results(tf_run):
    rng = np.random.default_rng(1)
    keys = tf.constant(rng.normal(size=(3, 4, 3)).astype(np.float32))
    query = tf.constant(rng.normal(size=(3, 3)).astype(np.float32))
    tf.set_random_seed(0)
    results = [InterestEvolvingLayer(query, keys, tf.constant([4, 3, 1]), gru_type=t, scope=t).get_outputs()[0]
               for t in GRU_TYPES]
    values = tf_run(results)
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            assert np.abs(values[i] - values[j]).max() > 1e-4


def test_unknown_type(tf_run):
    with pytest.raises(UnknownOptionError, match="`gru_type` must be one of .*got 'LSTM'"):
        InterestEvolvingLayer(tf.ones([1, 2]), tf.ones([1, 3, 2]), tf.constant([3]), gru_type='LSTM')
