"""Dot-product scoring shared by the interaction modules."""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf


def flat_bias(bias: Optional[tf.Tensor]) -> Optional[tf.Tensor]:
    """Flatten a ``[n, 1]`` (or ``[n]``) bias tensor to ``[n]``; None stays None."""
    return None if bias is None else tf.reshape(bias, [-1])


def pair_scores(user: tf.Tensor, item: tf.Tensor, item_bias: Optional[tf.Tensor] = None) -> tf.Tensor:
    """Score aligned (user, item) rows: ``<user_b, item_b> (+ bias_b)``.

    Args:
        user: ``[..., d]`` user representations (broadcast against ``item``).
        item: ``[..., d]`` item representations, e.g. ``[B, d]`` or ``[B, K, d]``.
        item_bias: Biases of the scores' shape (or with a trailing 1), or None.

    Returns:
        Scores of the leading shape (``[B]`` for ``[B, d]`` rows).
    """
    scores = tf.reduce_sum(user * item, axis=-1)
    return scores if item_bias is None else scores + tf.reshape(item_bias, tf.shape(scores))


def all_item_scores(user: tf.Tensor, items: tf.Tensor, item_bias: Optional[tf.Tensor] = None) -> tf.Tensor:
    """Score every user of the batch against every item: ``user @ items^T (+ bias)``.

    Args:
        user: ``[B, d]`` user representations.
        items: ``[N, d]`` representations of all items.
        item_bias: ``[N]`` or ``[N, 1]`` item biases, or None.

    Returns:
        ``[B, N]`` scores.
    """
    scores = tf.matmul(user, items, transpose_b=True)
    return scores if item_bias is None else scores + tf.expand_dims(flat_bias(item_bias), 0)


def pair_distance_scores(user: tf.Tensor, item: tf.Tensor, item_bias: Optional[tf.Tensor] = None) -> tf.Tensor:
    """Metric-learning score of aligned rows: ``-||user_b - item_b||^2 (+ bias_b)``.

    Args:
        user: ``[..., d]`` user representations.
        item: ``[..., d]`` item representations (same leading shape).
        item_bias: Biases of that leading shape (or with a trailing 1), or None.

    Returns:
        Scores of the leading shape.
    """
    scores = -tf.reduce_sum(tf.square(user - item), axis=-1)
    return scores if item_bias is None else scores + tf.reshape(item_bias, tf.shape(scores))


def all_item_distance_scores(user: tf.Tensor, items: tf.Tensor,
                             item_bias: Optional[tf.Tensor] = None) -> tf.Tensor:
    """``-||u - i||^2 (+ b_i)`` of every user against every item, without a ``[B, N, d]`` tensor.

    ``-||u - i||^2 = 2 <u, i> - ||i||^2 - ||u||^2``: one matrix product and two norms.

    Args:
        user: ``[B, d]`` user representations.
        items: ``[N, d]`` representations of all items.
        item_bias: ``[N]`` or ``[N, 1]`` item biases, or None.

    Returns:
        ``[B, N]`` scores (the same values :func:`pair_distance_scores` gives per pair).
    """
    user_norms = tf.reduce_sum(tf.square(user), axis=1, keepdims=True)
    item_norms = tf.reduce_sum(tf.square(items), axis=1)[None, :]
    return all_item_scores(2.0 * user, items, item_bias) - item_norms - user_norms
