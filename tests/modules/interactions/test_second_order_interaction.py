"""Tests of DLRM's pairwise dot-product interaction."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import DTypeError, SettingError, ShapeError
from openrec2.modules.interactions import SecondOrderFeatureInteraction, pair_indices


def explicit_pairs(vectors, itself=False):
    """Dot products of every pair a < b (a <= b with itself), row by row, by loops."""
    count = vectors.shape[1]
    return np.stack([np.einsum('bd,bd->b', vectors[:, a], vectors[:, b])
                     for a in range(count) for b in range(a if itself else a + 1, count)], axis=1)


@pytest.mark.parametrize('itself', [False, True])
def test_outputs_the_dot_product_of_every_pair_in_upper_triangle_order(tf_run, itself):
    vectors = np.random.default_rng(0).normal(size=(5, 4, 3)).astype(np.float32)
    module = SecondOrderFeatureInteraction([tf.constant(vectors[:, k]) for k in range(4)], self_interaction=itself)
    out = tf_run(module.get_outputs()[0])
    assert out.shape == (5, 10 if itself else 6) and module.num_pairs == out.shape[1]
    np.testing.assert_allclose(out, explicit_pairs(vectors, itself), rtol=1e-5, atol=1e-6)
    assert np.abs(out).min() > 0  # the legacy layer returned zeros here
    assert module.get_variables() == [] and tf_run(module.get_loss()) == 0.0


def test_a_stacked_tensor_gives_the_same_output_as_the_list(tf_run):
    vectors = np.random.default_rng(1).normal(size=(3, 3, 2)).astype(np.float32)
    stacked = SecondOrderFeatureInteraction(tf.constant(vectors), scope='stacked').get_outputs()[0]
    listed = SecondOrderFeatureInteraction([tf.constant(vectors[:, k]) for k in range(3)], scope='listed')
    np.testing.assert_allclose(tf_run(stacked), tf_run(listed.get_outputs()[0]), rtol=1e-6)


def test_gradients_reach_every_vector(tf_run):
    vectors = [tf.constant(np.ones((2, 3), np.float32) * k) for k in (1, 2, 3)]
    out = SecondOrderFeatureInteraction(vectors).get_outputs()[0]
    grads = tf_run(tf.gradients(tf.reduce_sum(out), vectors))
    # d/dx_a of sum_{a<b} <x_a, x_b> is the sum of the other vectors.
    np.testing.assert_allclose([g[0, 0] for g in grads], [5.0, 4.0, 3.0])


def test_pair_indices():
    rows, columns = pair_indices(3)
    assert list(zip(rows, columns)) == [(0, 1), (0, 2), (1, 2)]
    assert len(pair_indices(3, self_interaction=True)[0]) == 6


def test_errors_name_the_fix(tf_run):
    with pytest.raises(ShapeError, match='same width'):
        SecondOrderFeatureInteraction([tf.zeros([2, 3]), tf.zeros([2, 4])])
    with pytest.raises(ShapeError, match='at least two vectors'):
        SecondOrderFeatureInteraction([tf.zeros([2, 3])])
    with pytest.raises(ShapeError, match='rank 3'):
        SecondOrderFeatureInteraction(tf.zeros([2, 3]))
    with pytest.raises(DTypeError, match='floating point'):
        SecondOrderFeatureInteraction([tf.zeros([2, 3], tf.int32)] * 2)
    with pytest.raises(SettingError, match='self_interaction'):
        SecondOrderFeatureInteraction([tf.zeros([2, 3])] * 2, self_interaction='yes')
