"""Dice, the data-adaptive activation of DIN (Zhou et al., "Deep Interest Network for
Click-Through Rate Prediction", KDD 2018), also used by DIEN::

    p(x) = sigmoid(batch_norm(x))
    dice(x) = p(x) * x + (1 - p(x)) * alpha * x

The rectification point follows the data: batch statistics while training, their
moving averages at serving time (the batch-norm updates run with each training step).
``alpha`` is learned per dimension and starts at 0.
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.checks import require_tensor
from openrec2.modules.layers import batch_norm
from openrec2.modules.module import Module


class Dice(Module):
    """Dice activation of a ``[..., dim]`` tensor.

    Args:
        inputs: Float tensor ``[..., dim]`` with a known last dimension.
        train: Batch statistics (training) or moving averages (serving).
        scope: Variable scope (default ``dice``).
        reuse: Reuse flag.

    Raises:
        DTypeError: ``inputs`` is not floating point.
    """

    def __init__(self, inputs, train: bool = True, scope: Optional[str] = None, reuse=False):
        self._inputs = require_tensor(inputs, scope or 'dice', 'inputs', integer=False)
        super().__init__(train=train, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        dim = int(self._inputs.shape[-1])
        alpha = tf.get_variable('alpha', [dim], initializer=tf.zeros_initializer())
        probability = tf.sigmoid(batch_norm(self._inputs, self._train))
        self._outputs.append(probability * self._inputs + (1.0 - probability) * alpha * self._inputs)
