"""Tests of the TransH geometry functions."""

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.modules.transh import (norm_excess_loss, orthogonality_loss, project_to_hyperplane, transh_distance,
                                     unit_rows)


def test_projections_are_orthogonal_to_the_normalised_normals(tf_run):
    rng = np.random.default_rng(0)
    vectors, normals = rng.normal(size=(100, 16)), 3.0 * rng.normal(size=(100, 16))
    projected, twice = tf_run([project_to_hyperplane(tf.constant(vectors), tf.constant(normals)),
                               project_to_hyperplane(project_to_hyperplane(tf.constant(vectors), tf.constant(normals)),
                                                     tf.constant(normals))])
    unit = normals / np.linalg.norm(normals, axis=1, keepdims=True)
    assert np.max(np.abs(np.sum(projected * unit, axis=1))) < 1e-9
    assert np.allclose(twice, projected)  # a projection is idempotent
    # What is removed is parallel to the normal.
    removed = vectors - projected
    assert np.allclose(removed, np.sum(vectors * unit, axis=1, keepdims=True) * unit)


def test_transh_distance_matches_numpy(tf_run):
    rng = np.random.default_rng(1)
    h, r, w, t = (rng.normal(size=(20, 8)) for _ in range(4))
    unit = w / np.linalg.norm(w, axis=1, keepdims=True)

    def project(v):
        return v - np.sum(v * unit, axis=1, keepdims=True) * unit

    residual = project(h) + r - project(t)
    l1, l2 = tf_run([transh_distance(*map(tf.constant, (h, r, w, t)), l1=True),
                     transh_distance(*map(tf.constant, (h, r, w, t)), l1=False)])
    assert np.allclose(l1, np.abs(residual).sum(1)) and np.allclose(l2, np.square(residual).sum(1))


def test_orthogonality_and_norm_losses(tf_run):
    translations = tf.constant([[1.0, 0.0], [0.0, 2.0]])
    orthogonal = tf.constant([[0.0, 5.0], [3.0, 0.0]])
    tilted = tf.constant([[1.0, 1.0], [0.0, 1.0]])
    values = tf_run([orthogonality_loss(translations, orthogonal), orthogonality_loss(translations, tilted),
                     norm_excess_loss(tf.constant([[0.6, 0.8], [2.0, 0.0], [0.1, 0.1]])),
                     unit_rows(tf.constant([[3.0, 4.0], [0.0, 0.0]]))])
    assert values[0] == 0.0
    assert np.isclose(values[1], 0.5 + 1.0)  # cos^2 of 45 degrees, then of 0 degrees
    assert np.isclose(values[2], 3.0)  # only the second row exceeds the unit ball: 4 - 1
    assert np.allclose(values[3], [[0.6, 0.8], [0.0, 0.0]])
