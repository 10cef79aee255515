"""``<u, p> - <u, n>`` per row, the score difference of BPR-style losses, as one kernel.

:func:`pair_dot_difference` runs the fused kernel ``openrec2/ops/pair_dot_difference.cc``
(forward and gradient each one pass over the rows) where it is available and the inputs
are three ``[B, d]`` matrices of one static width; otherwise the same value from
TensorFlow operations.
"""

from __future__ import annotations

import tensorflow.compat.v1 as tf

from openrec2.ops.build import load_custom_op

_OP_NAME = "Openrec2PairDotDifference"


@tf.RegisterGradient(_OP_NAME)
def _pair_dot_difference_grad(op, grad):
    """Gradients for user, positive and negative from the fused gradient kernel."""
    return load_custom_op("pair_dot_difference").openrec2_pair_dot_difference_grad(grad, *op.inputs)


def _fits_kernel(user: tf.Tensor, positive: tf.Tensor, negative: tf.Tensor) -> bool:
    """Three rank-2 float tensors of one static width and dtype (the kernel's contract)."""
    shapes = [t.shape for t in (user, positive, negative)]
    if any(s.ndims != 2 for s in shapes) or len({t.dtype.base_dtype for t in (user, positive, negative)}) != 1:
        return False
    widths = {s.as_list()[1] for s in shapes}
    return len(widths) == 1 and None not in widths and user.dtype.base_dtype in (tf.float32, tf.float64)


def pair_dot_difference(user: tf.Tensor, positive: tf.Tensor, negative: tf.Tensor) -> tf.Tensor:
    """Row-wise ``<user_b, positive_b> - <user_b, negative_b>``.

    Args:
        user: ``[B, d]`` user representations.
        positive: ``[B, d]`` positive items.
        negative: ``[B, d]`` negative items.

    Returns:
        ``[B]`` differences (the last axis summed out for other shapes, which take the
        TensorFlow-operations path).
    """
    if _fits_kernel(user, positive, negative):
        kernel = load_custom_op("pair_dot_difference")
        if kernel is not None:
            return kernel.openrec2_pair_dot_difference(user, positive, negative)
    return tf.reduce_sum(user * (positive - negative), axis=-1)
