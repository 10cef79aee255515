"""PointwiseMLPCE: an MLP over concatenated representations with a cross-entropy loss."""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, ShapeError, scoped
from openrec2.modules.checks import require_dims, require_labels, require_tensor
from openrec2.modules.extractions.multi_layer_fc import MultiLayerFC
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.scoring import flat_bias


class PointwiseMLPCE(Interaction):
    """Click probability ``sigmoid(MLP([user, item, extra]) + b_i (+ b_u))``.

    Training minimises the summed sigmoid cross-entropy against ``labels`` plus the MLP
    regularisation; serving outputs the probabilities of the aligned (user, item) rows.

    Args:
        user: ``[B, d_u]`` user representations.
        item: ``[B, d_i]`` item representations.
        dims: MLP widths; the last must be 1 (one logit).
        item_bias: ``[B]`` or ``[B, 1]`` item biases, optional.
        extra: ``[B, d_e]`` extra features concatenated to the input, optional.
        l2_reg: L2 weight on the MLP weights.
        labels: ``[B]`` labels in {0, 1} (training).
        dropout: Drop probability of the inner layers.
        use_user_bias: Add ``user_bias``.
        user_bias: ``[B]`` or ``[B, 1]`` user biases.
        batch_norm: Batch-normalise the MLP layers.
        train: Training or serving graph.
        scope: Variable scope (default ``pointwise_mlp_ce``).
        reuse: Reuse flag.

    Raises:
        ShapeError: ``dims[-1] != 1``.
        MissingInputError: training without ``labels``, or ``use_user_bias`` without
            ``user_bias``.
    """

    default_scope = "pointwise_mlp_ce"

    def __init__(self, user, item, dims: Sequence[int], item_bias=None, extra=None,
                 l2_reg: Optional[float] = None, labels=None, dropout: Optional[float] = None,
                 use_user_bias: bool = False, user_bias=None, batch_norm: bool = False,
                 train: bool = True, scope: Optional[str] = None, reuse=False):
        name = scope or self.default_scope
        self._dims = require_dims(dims, name)
        if self._dims[-1] != 1:
            raise ShapeError(scoped(name, f"the last of `dims` must be 1 (one logit), got {self._dims}."))
        parts = [require_tensor(user, name, "user", ranks=[2], integer=False),
                 require_tensor(item, name, "item", ranks=[2], integer=False)]
        if extra is not None:
            parts.append(require_tensor(extra, name, "extra", ranks=[2], integer=False))
        self._mlp_input = tf.concat(parts, axis=1)
        self._labels = require_labels(labels, train, name)
        if use_user_bias and user_bias is None:
            raise MissingInputError(scoped(name, "`use_user_bias=True` needs `user_bias`."))
        self._biases = [b for b in (item_bias, user_bias if use_user_bias else None) if b is not None]
        self._dropout, self._batch_norm = dropout, batch_norm
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        mlp = MultiLayerFC(self._mlp_input, self._dims, dropout_mid=self._dropout,
                           batch_norm=self._batch_norm, train=self._train,
                           l2_reg=self._l2_reg, scope="mlp")
        logits = tf.reshape(mlp.get_outputs()[0], [-1])
        for bias in self._biases:
            logits += flat_bias(bias)
        self._logits = logits
        self._loss += mlp.get_loss()
        self._outputs.append(tf.sigmoid(logits))

    def _build_training_graph(self) -> None:
        self._loss += tf.reduce_sum(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=self._labels, logits=self._logits))
