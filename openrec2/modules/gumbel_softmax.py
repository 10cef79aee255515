"""Straight-through Gumbel-softmax (Jang, Gu and Poole, "Categorical Reparameterization
with Gumbel-Softmax", ICLR 2017) and the one-hot helper it uses.

The straight-through estimator outputs a hard one-hot choice in the forward pass and
lets the gradient of the soft (relaxed) distribution flow back to every logit. KTUP
(Cao et al., WWW 2019) uses it to pick one user preference per (user, item) pair.
"""

from __future__ import annotations

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_tensor
from openrec2.modules.step_random import step_uniform
from openrec2.validation import check_int, check_positive

#: Keeps the logarithms of the Gumbel noise finite.
GUMBEL_EPSILON = 1e-20


def convert_to_one_hot(indices, num_classes: int) -> tf.Tensor:
    """One-hot float32 rows of class indices.

    Args:
        indices: Integer tensor of class ids, any shape ``[...]``.
        num_classes: Number of classes ``C``.

    Returns:
        float32 tensor ``[..., C]`` with a single 1 per row (all zeros for an index
        outside ``[0, C)``).

    Raises:
        SettingError: ``num_classes`` is not a positive integer.
        DTypeError: ``indices`` is not an integer tensor.
    """
    num_classes = check_int(num_classes, "num_classes", "convert_to_one_hot")
    indices = require_tensor(indices, "convert_to_one_hot", "indices", integer=True)
    return tf.one_hot(indices, num_classes, dtype=tf.float32)


def st_gumbel_softmax(logits, temperature: float = 1.0, noise: bool = True) -> tf.Tensor:
    """Straight-through Gumbel-softmax over the last axis.

    Forward: the exact one-hot of ``argmax(logits + g)`` (``g`` Gumbel noise when
    ``noise``, else zero). Backward: the gradient of ``softmax((logits + g) / T)``, so
    every logit receives a gradient. Serving graphs pass ``noise=False``, which makes
    the choice deterministic (the argmax of the logits).

    Args:
        logits: float tensor ``[..., C]`` of unnormalised class scores.
        temperature: Softmax temperature ``T > 0`` of the relaxed distribution.
        noise: Add Gumbel noise (training) or not (serving).

    Returns:
        float32 tensor ``[..., C]`` whose values are one-hot.

    Raises:
        SettingError: ``temperature`` is not positive.
        DTypeError: ``logits`` is not floating point.
        ShapeError: ``logits`` is a scalar.
    """
    scope = "st_gumbel_softmax"
    check_positive(temperature, "temperature", scope)
    logits = require_tensor(logits, scope, "logits", integer=False)
    if logits.shape.ndims == 0:
        raise ShapeError(scoped(scope, "logits must have a class axis (rank >= 1), got a scalar."))
    if noise:
        uniform = step_uniform(tf.shape(logits), dtype=logits.dtype)
        logits = logits - tf.log(-tf.log(uniform + GUMBEL_EPSILON) + GUMBEL_EPSILON)
    soft = tf.nn.softmax(logits / temperature, axis=-1)
    hard = tf.one_hot(tf.argmax(soft, axis=-1), tf.shape(soft)[-1], dtype=soft.dtype)
    # hard + (soft - soft) is exactly ``hard`` forward while its gradient is soft's.
    return hard + (soft - tf.stop_gradient(soft))
