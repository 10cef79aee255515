"""MultiLayerFC: a stack of fully connected layers."""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.modules.checks import require_dims, require_rate, require_tensor
from openrec2.modules.extractions.extraction import Extraction
from openrec2.modules.layers import batch_norm as batch_norm_layer
from openrec2.modules.layers import dense, dropout


class MultiLayerFC(Extraction):
    """Fully connected layers ``dims[0] -> ... -> dims[-1]`` over ``in_tensor``.

    Order inside the stack: optional ReLU and dropout on the input; then for each layer
    the affine map, batch norm (when asked), and ReLU/dropout (``*_mid`` for inner
    layers, ``*_out`` for the last one). Dropout is active only in the training graph;
    batch norm uses batch statistics in training and moving averages at serving time.
    ``bias_in`` / ``bias_mid`` / ``bias_out`` choose a bias for the first, the inner and
    the last layer (a single-layer stack uses ``bias_out``).

    Args:
        in_tensor: Float tensor ``[batch, in_dim]``.
        dims: Widths of the layers.
        relu_in, relu_mid, relu_out: Where to apply ReLU.
        dropout_in, dropout_mid, dropout_out: Drop probabilities (None for none).
        bias_in, bias_mid, bias_out: Where to add biases.
        batch_norm: Batch-normalise every layer's affine output.
        train: Training or serving graph.
        l2_reg: L2 weight on all layer weights.
        scope: Variable scope (default ``multi_layer_fc``).
        reuse: Share the variables of an earlier stack with the same scope.

    Raises:
        ShapeError: ``in_tensor`` is not 2-d, or ``dims`` is empty / not positive.
        DTypeError: ``in_tensor`` is not floating point.
        UnknownOptionError: a dropout rate outside [0, 1).
    """

    def __init__(self, in_tensor, dims: Sequence[int], relu_in: bool = False,
                 relu_mid: bool = True, relu_out: bool = False,
                 dropout_in: Optional[float] = None, dropout_mid: Optional[float] = None,
                 dropout_out: Optional[float] = None, bias_in: bool = True,
                 bias_mid: bool = True, bias_out: bool = True, batch_norm: bool = False,
                 train: bool = True, l2_reg: Optional[float] = None,
                 scope: Optional[str] = None, reuse=False):
        name = scope or "multi_layer_fc"
        self._in_tensor = require_tensor(in_tensor, name, "in_tensor", ranks=[2], integer=False)
        self._dims = require_dims(dims, name)
        self._relu = (relu_in, relu_mid, relu_out)
        self._dropout = tuple(require_rate(r, name, w) for r, w in (
            (dropout_in, "dropout_in"), (dropout_mid, "dropout_mid"), (dropout_out, "dropout_out")))
        self._bias = (bias_in, bias_mid, bias_out)
        self._batch_norm = batch_norm
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        relu_in, relu_mid, relu_out = self._relu
        drop_in, drop_mid, drop_out = self._dropout
        hidden = self._in_tensor
        if relu_in:
            hidden = tf.nn.relu(hidden)
        hidden = dropout(hidden, drop_in, self._train)
        last = len(self._dims) - 1
        for index, width in enumerate(self._dims):
            use_bias = self._bias[2] if index == last else (self._bias[0] if index == 0 else self._bias[1])
            hidden = dense(hidden, width, use_bias=use_bias, scope=f"layer{index}")
            if self._batch_norm:
                hidden = batch_norm_layer(hidden, self._train, scope=f"batch_norm{index}")
            if (relu_out if index == last else relu_mid):
                hidden = tf.nn.relu(hidden)
            hidden = dropout(hidden, drop_out if index == last else drop_mid, self._train)
        self._outputs.append(hidden)
        self._add_l2_on_weights()
