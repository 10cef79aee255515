"""Norm penalty with RecBole's scaling: a weight times the sum of Frobenius norms.

RecBole's ConvNCF (He et al., IJCAI 2018 reimplementation) regularises with
``reg_weight * ||W||_2`` (the norm itself, not its square and not halved), unlike
``tf.nn.l2_loss`` (``||W||^2 / 2``) that the other openrec2 modules use.
"""

from __future__ import annotations

from typing import Sequence

import tensorflow.compat.v1 as tf

#: Added under the square root so that the gradient stays finite at zero.
NORM_EPSILON = 1e-12


def norm_penalty(tensors: Sequence[tf.Tensor], weight: float) -> tf.Tensor:
    """Return ``weight * sum_t sqrt(sum(t ** 2) + eps)`` over ``tensors``.

    Args:
        tensors: Float tensors (variables, looked-up embedding rows, ...).
        weight: Penalty weight.

    Returns:
        A scalar float32 tensor.
    """
    norms = [tf.sqrt(tf.reduce_sum(tf.square(t)) + NORM_EPSILON) for t in tensors]
    return float(weight) * tf.add_n(norms)
