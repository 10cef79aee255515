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
        user: ``[B, d]`` user representations.
        item: ``[B, d]`` item representations.
        item_bias: ``[B]`` or ``[B, 1]`` item biases, or None.

    Returns:
        ``[B]`` scores.
    """
    scores = tf.reduce_sum(user * item, axis=1)
    return scores if item_bias is None else scores + flat_bias(item_bias)


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
