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


def normalize_rows(rows: tf.Tensor, norm) -> tf.Tensor:
    """Rescale every non-zero row to L2 norm ``norm`` (onto the sphere of that radius).

    Args:
        rows: ``[N, F]`` rows.
        norm: Target norm (scalar).

    Returns:
        ``[N, F]``; the direction of each row is kept, an all-zero row stays zero.
    """
    norms = tf.norm(rows, axis=1, keepdims=True)
    return rows * (norm / tf.maximum(norms, 1e-12))
