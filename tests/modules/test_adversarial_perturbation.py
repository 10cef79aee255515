"""Tests of the per-item FGSM / MSAP perturbation helpers."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, TrainingError, UnknownOptionError
from openrec2.modules.adversarial_perturbation import (check_attack_settings, default_eps_iter,
                                                       fgsm_perturbation, item_gradients, msap_perturbation,
                                                       normalize_rows, projected_step)


def _toy_loss(rows, weights):
    """A smooth non-linear loss of feature rows (its gradient direction changes with the rows)."""
    return tf.reduce_sum(tf.nn.softplus(tf.matmul(rows, weights))) + tf.reduce_sum(tf.sin(3.0 * rows))


def test_normalize_rows_gives_unit_rows_and_keeps_zero_rows(tf_run):
    gradient = np.array([[3.0, 4.0], [0.0, 0.0], [0.0, -2.0]], np.float32)
    result = tf_run(normalize_rows(tf.constant(gradient)))
    np.testing.assert_allclose(result, [[0.6, 0.8], [0.0, 0.0], [0.0, -1.0]], atol=1e-6)


def test_projected_step_moves_along_the_normalised_gradient_then_projects(tf_run):
    delta = np.array([[0.4, 0.0]], np.float32)
    gradient = np.array([[0.0, 10.0]], np.float32)
    result = tf_run(projected_step(tf.constant(delta), tf.constant(gradient), 0.3, 0.5))
    np.testing.assert_allclose(result, [[0.4, 0.3]], atol=1e-6)  # norm 0.5: on the ball, unchanged
    result = tf_run(projected_step(tf.constant(delta), tf.constant(gradient), 0.6, 0.5))
    np.testing.assert_allclose(np.linalg.norm(result), 0.5, atol=1e-6)


def test_item_gradients_sums_rows_of_the_same_item(tf_run):
    summed, position = tf_run(item_gradients(tf.constant([[1.0], [2.0], [4.0]]), tf.constant([7, 3, 7])))
    np.testing.assert_allclose(summed[position], [[5.0], [2.0], [5.0]])


def test_fgsm_has_norm_eps_per_item_and_shares_it_between_rows_of_one_item(tf_run):
    rng = np.random.default_rng(0)
    rows = tf.constant(rng.standard_normal((5, 3)), tf.float32)
    ids = tf.constant([4, 1, 4, 2, 1])
    weights = tf.constant(rng.standard_normal((3, 2)), tf.float32)
    loss = _toy_loss(rows, weights)
    delta = fgsm_perturbation(loss, rows, ids, 0.25)
    gradient = tf.gradients(loss, rows)[0]
    delta_value, gradient_value = tf_run([delta, gradient])
    np.testing.assert_allclose(np.linalg.norm(delta_value, axis=1), 0.25, rtol=1e-5)
    for item in (4, 1):  # the summed gradient of an item's rows decides its direction
        where = np.flatnonzero(np.array([4, 1, 4, 2, 1]) == item)
        summed = gradient_value[where].sum(axis=0)
        for row in where:
            np.testing.assert_allclose(delta_value[row], 0.25 * summed / np.linalg.norm(summed), rtol=1e-4)
    assert tf.gradients(tf.reduce_sum(delta), rows) == [None]  # a constant for the optimiser
    assert tf_run(_toy_loss(rows + delta, weights)) > tf_run(loss)


def test_fgsm_leaves_items_without_gradient_unperturbed(tf_run):
    rows = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    loss = tf.reduce_sum(tf.square(rows[0]))  # row 1 does not enter the loss
    delta = tf_run(fgsm_perturbation(loss, rows, tf.constant([0, 1]), 0.5))
    np.testing.assert_allclose(np.linalg.norm(delta, axis=1), [0.5, 0.0], atol=1e-6)


def test_fgsm_rejects_a_loss_without_the_rows():
    with tf.Graph().as_default():
        rows = tf.constant([[1.0]])
        with pytest.raises(TrainingError, match="^adversarial_perturbation: the loss does not depend"):
            fgsm_perturbation(tf.constant(1.0), rows, tf.constant([0]), 0.1)


def _numpy_msap(rows, weights, eps, eps_iter, nb_iter):
    """Reference MSAP with the toy loss's analytic gradient."""
    delta = np.zeros_like(rows)
    for _ in range(nb_iter):
        x = rows + delta
        gradient = (1.0 / (1.0 + np.exp(-(x @ weights)))) @ weights.T + 3.0 * np.cos(3.0 * x)
        delta = delta + eps_iter * gradient / np.linalg.norm(gradient, axis=1, keepdims=True)
        norms = np.linalg.norm(delta, axis=1, keepdims=True)
        delta = delta * np.minimum(1.0, eps / norms)
    return delta


def test_msap_matches_the_reference_stays_in_the_ball_and_beats_fgsm(tf_run):
    rng = np.random.default_rng(1)
    rows_value = rng.standard_normal((6, 3)).astype(np.float32)
    weights_value = rng.standard_normal((3, 2)).astype(np.float32)
    rows, weights = tf.constant(rows_value), tf.constant(weights_value)
    eps, nb_iter = 0.5, 6
    eps_iter = default_eps_iter(eps, nb_iter)
    msap = msap_perturbation(lambda x: _toy_loss(x, weights), rows, eps, eps_iter, nb_iter)
    fgsm = fgsm_perturbation(_toy_loss(rows, weights), rows, tf.range(6), eps)
    msap_value, fgsm_value = tf_run([msap, fgsm])
    np.testing.assert_allclose(msap_value, _numpy_msap(rows_value, weights_value, eps, eps_iter, nb_iter),
                               atol=1e-4)
    assert np.all(np.linalg.norm(msap_value, axis=1) <= eps + 1e-5)
    clean, with_fgsm, with_msap = tf_run([_toy_loss(rows + d, weights) for d in (0.0, fgsm, msap)])
    assert with_fgsm > clean
    assert with_msap >= with_fgsm


def test_default_eps_iter():
    assert default_eps_iter(0.5, 10) == pytest.approx(0.125)


@pytest.mark.parametrize("eps, eps_iter, nb_iter, match", [
    (-0.1, 0.1, 2, "`eps` must be a finite number >= 0"), (0.1, 0.0, 2, "`eps_iter` must be a finite number > 0"),
    (0.1, 0.1, 0, "`nb_iter` must be an integer >= 1"), (0.1, 0.1, 1.5, "`nb_iter` must be an integer")])
def test_check_attack_settings_rejects(eps, eps_iter, nb_iter, match):
    with pytest.raises(UnknownOptionError, match=f"^amr: {match}"):
        check_attack_settings(eps, eps_iter, nb_iter, scope="amr")


def test_msap_rejects_rows_of_unknown_width():
    with tf.Graph().as_default():
        rows = tf.placeholder(tf.float32, [None, None])
        with pytest.raises(ShapeError, match="^adversarial_perturbation: `rows` must be"):
            msap_perturbation(tf.reduce_sum, rows, 0.1, 0.1, 2)
