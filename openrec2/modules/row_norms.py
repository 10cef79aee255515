"""Row-norm bounds shared by modules (norm censoring of embeddings, perturbation balls)."""

from __future__ import annotations

import tensorflow.compat.v1 as tf


def project_rows(delta: tf.Tensor, eps) -> tf.Tensor:
    """Project every row onto the L2 ball of radius ``eps`` centred on zero.

    Args:
        delta: ``[N, F]`` perturbation rows.
        eps: Radius (scalar).

    Returns:
        ``[N, F]``; rows already inside the ball are unchanged, the others are rescaled
        to norm ``eps``.
    """
    norms = tf.norm(delta, axis=1, keepdims=True)
    return delta * tf.minimum(1.0, eps / tf.maximum(norms, 1e-12))
