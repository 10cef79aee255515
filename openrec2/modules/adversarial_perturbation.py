"""Adversarial perturbations of item feature rows: FGSM and MSAP (iterative, projected).

AMR (Tang, Du, He, Yuan, Tian and Chua, "Adversarial Training Towards Robust Multimedia
Recommender System", TKDE 2019, arXiv 1809.07062) trains with :func:`fgsm_perturbation`.
:func:`msap_perturbation` is the in-graph form of the MSAP attack of Anelli, Deldjoo,
Di Noia, Di Sciascio and Merra ("Multi-Step Adversarial Perturbations on Recommender
Systems Embeddings", FLAIRS 2021) for models whose loss over the rows fits one graph
run; VBPR's evaluation attack accumulates the same steps over chunks of training pairs
in its own ops (:meth:`~openrec2.recommenders.vbpr.VBPR.attack_perturbation`), from
:func:`projected_step` here.

Every perturbation here is *per item*: the perturbation ``delta_i`` of item ``i``'s
feature row lives in the L2 ball of radius ``eps`` centred on zero (one ball per item,
not one ball for the whole matrix), and each step moves ``delta_i`` along the
L2-normalised gradient of the loss with respect to that item's features:

* FGSM (fast gradient sign method, L2 variant): ``delta_i = eps * g_i / ||g_i||`` with
  ``g_i`` taken at zero perturbation.
* MSAP: start from zero; ``nb_iter`` times ``delta_i <- P_eps(delta_i + eps_iter *
  g_i / ||g_i||)`` with ``g_i`` taken at the current perturbation and ``P_eps`` the
  projection onto the per-item L2 ball of radius ``eps``.

An item whose gradient is zero (it does not affect the loss) is not perturbed.
"""

from __future__ import annotations

from typing import Callable, Tuple

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, TrainingError, scoped
from openrec2.modules.row_norms import project_rows
from openrec2.validation import check_int, check_non_negative, check_positive

_SCOPE = "adversarial_perturbation"

#: Gradient rows with a squared norm below this count as zero (not perturbed).
_ZERO_GRADIENT = 1e-24


def default_eps_iter(eps: float, nb_iter: int) -> float:
    """The usual MSAP / PGD step size, ``2.5 * eps / nb_iter``.

    Args:
        eps: Radius of the per-item L2 ball.
        nb_iter: Number of steps.

    Returns:
        The step size.
    """
    return 2.5 * float(eps) / int(nb_iter)


def check_attack_settings(eps: float, eps_iter: float, nb_iter: int, scope: str = _SCOPE) -> None:
    """Check the budget, step size and number of steps of an attack.

    Args:
        eps: Radius of the per-item ball (>= 0).
        eps_iter: MSAP step size (> 0).
        nb_iter: MSAP number of steps (>= 1).
        scope: Scope of the caller, for the message.

    Raises:
        SettingError: a setting is out of range.
    """
    check_non_negative(eps, "eps", scope)
    check_positive(eps_iter, "eps_iter", scope)
    check_int(nb_iter, "nb_iter", scope)


def normalize_rows(gradient: tf.Tensor) -> tf.Tensor:
    """L2-normalise every row of ``gradient``; zero rows stay zero.

    Args:
        gradient: ``[N, F]`` float tensor.

    Returns:
        ``[N, F]`` rows of norm 1 (or 0).
    """
    squared = tf.reduce_sum(tf.square(gradient), axis=1, keepdims=True)
    return gradient * tf.rsqrt(tf.maximum(squared, _ZERO_GRADIENT))


def projected_step(delta: tf.Tensor, gradient: tf.Tensor, step, eps) -> tf.Tensor:
    """One ascent step per row, projected back onto the per-row ball.

    ``P_eps(delta + step * gradient / ||gradient||)`` row by row; FGSM is this step
    from zero with ``step = eps``, MSAP repeats it.

    Args:
        delta: ``[N, F]`` current perturbation.
        gradient: ``[N, F]`` gradient of the loss at ``delta``.
        step: Step size (scalar).
        eps: Radius of the per-row ball (scalar).

    Returns:
        The new ``[N, F]`` perturbation.
    """
    return project_rows(delta + step * normalize_rows(gradient), eps)


def item_gradients(row_gradients: tf.Tensor, row_item_ids: tf.Tensor) -> Tuple[tf.Tensor, tf.Tensor]:
    """Sum the gradients of rows that hold the same item (an item may appear many times).

    Args:
        row_gradients: ``[R, F]`` gradient of the loss w.r.t. each feature row.
        row_item_ids: ``[R]`` item id of each row.

    Returns:
        ``(item_gradient [U, F], position [R])``: one summed gradient per distinct item,
        and the index of each row's item in it.
    """
    unique_ids, position = tf.unique(tf.reshape(row_item_ids, [-1]))
    summed = tf.unsorted_segment_sum(row_gradients, position, tf.size(unique_ids))
    return summed, position


def fgsm_perturbation(loss: tf.Tensor, rows: tf.Tensor, row_item_ids: tf.Tensor, eps) -> tf.Tensor:
    """FGSM perturbation of feature rows, per item, at zero perturbation.

    ``loss`` must be computed from ``rows`` (the clean features, so the gradient is the
    one at zero perturbation). The gradients of rows holding the same item are summed,
    L2-normalised per item and scaled by ``eps``; each row gets its item's
    perturbation. The result is a constant for the optimiser (``stop_gradient``).

    Args:
        loss: Scalar loss.
        rows: ``[R, F]`` clean feature rows the loss was computed from.
        row_item_ids: ``[R]`` item id of each row.
        eps: Radius of the per-item L2 ball.

    Returns:
        ``[R, F]`` perturbation to add to ``rows``.

    Raises:
        TrainingError: ``loss`` does not depend on ``rows``.
    """
    row_gradients = tf.gradients(loss, rows)[0]
    if row_gradients is None:
        raise TrainingError(scoped(_SCOPE, "the loss does not depend on the feature rows; compute it from "
                                           "`rows` so that FGSM has a gradient to follow."))
    summed, position = item_gradients(row_gradients, row_item_ids)
    per_item = projected_step(tf.zeros_like(summed), summed, eps, eps)
    return tf.stop_gradient(tf.gather(per_item, position))


def msap_perturbation(loss_fn: Callable[[tf.Tensor], tf.Tensor], rows: tf.Tensor, eps: float,
                      eps_iter: float, nb_iter: int) -> tf.Tensor:
    """MSAP perturbation of ``[N, F]`` feature rows (one row per item), built in the graph.

    Starts from zero and takes ``nb_iter`` steps of size ``eps_iter`` along the
    per-row L2-normalised gradient of ``loss_fn(rows + delta)``, projecting every row
    back onto its L2 ball of radius ``eps`` after each step (a ``tf.while_loop``).

    Args:
        loss_fn: ``perturbed rows [N, F] -> scalar loss``.
        rows: ``[N, F]`` clean feature rows, one per item.
        eps: Radius of the per-item L2 ball.
        eps_iter: Step size.
        nb_iter: Number of steps (>= 1).

    Returns:
        ``[N, F]`` perturbation (``stop_gradient``).

    Raises:
        ShapeError: ``rows`` is not 2-d with a known width.
        SettingError: ``eps`` < 0, ``eps_iter`` <= 0 or ``nb_iter`` < 1.
        TrainingError: the loss does not depend on the rows.
    """
    if rows.shape.ndims != 2 or rows.shape[1] is None:
        raise ShapeError(scoped(_SCOPE, f"`rows` must be [N, F] with a known F, got {rows.shape}."))
    check_attack_settings(eps, eps_iter, nb_iter)

    def body(step, delta):
        perturbed = rows + delta
        gradient = tf.gradients(loss_fn(perturbed), perturbed)[0]
        if gradient is None:  # the loop body is traced now, so this raises at graph build
            raise TrainingError(scoped(_SCOPE, "the loss does not depend on the feature rows."))
        return step + 1, projected_step(delta, gradient, eps_iter, eps)

    _, delta = tf.while_loop(lambda step, _: step < int(nb_iter), body,
                             [tf.constant(0), tf.zeros_like(rows)])
    return tf.stop_gradient(delta)
