"""PointwiseMLPCE: an MLP over concatenated representations with a cross-entropy loss."""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, ShapeError, scoped
from openrec2.modules.checks import require_dims, require_labels, require_tensor
from openrec2.modules.extractions.multi_layer_fc import MultiLayerFC
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.block_map import all_pair_scores
from openrec2.modules.interactions.scoring import flat_bias
from openrec2.validation import check_int


class PointwiseMLPCE(Interaction):
    """Click probability ``sigmoid(MLP([user, item, extra]) + b_i (+ b_u))``.

    Training minimises the summed sigmoid cross-entropy against ``labels`` plus the MLP
    regularisation and outputs the probabilities of the aligned rows. Serving outputs
    probabilities too: of every (user, item) pair (``batch_serving=True``, the legacy
    default; ``item``, ``item_bias`` and ``extra`` then hold all items, and the MLP runs
    over the pairs ``block_users`` users at a time) or of the aligned rows. The argument
    order is legacy OpenRec's; ``use_user_bias``, ``user_bias`` and ``batch_norm`` follow.

    Args:
        user: ``[B, d_u]`` user representations.
        item: ``[B, d_i]`` item representations (``[N, d_i]``: all items, batch serving).
        dims: MLP widths; the last must be 1 (one logit).
        item_bias: ``[B]`` or ``[B, 1]`` item biases (``[N]``: batch serving), optional.
        extra: ``[B, d_e]`` extra features concatenated to the input (``[N, d_e]``,
            per item, in batch serving), optional.
        l2_reg: L2 weight on the MLP weights.
        labels: ``[B]`` labels in {0, 1} (training).
        dropout: Drop probability of the inner layers.
        train: Training or serving graph.
        batch_serving: Serving: every (user, item) pair (``[B, N]``) or aligned rows (``[B]``).
        scope: Variable scope (default ``pointwise_mlp_ce``).
        reuse: Reuse flag.
        use_user_bias: Add ``user_bias``.
        user_bias: ``[B]`` or ``[B, 1]`` user biases.
        batch_norm: Batch-normalise the MLP layers.
        block_users: Users per block in batch serving.

    Raises:
        ShapeError: ``dims[-1] != 1``.
        MissingInputError: training without ``labels``, or ``use_user_bias`` without
            ``user_bias``.
    """

    default_scope = "pointwise_mlp_ce"

    def __init__(self, user, item, dims: Sequence[int], item_bias=None, extra=None,
                 l2_reg: Optional[float] = None, labels=None, dropout: Optional[float] = None,
                 train: bool = True, batch_serving: bool = True, scope: Optional[str] = None, reuse=False,
                 use_user_bias: bool = False, user_bias=None, batch_norm: bool = False, block_users: int = 64):
        name = scope or self.default_scope
        self._dims = require_dims(dims, name)
        if self._dims[-1] != 1:
            raise ShapeError(scoped(name, f"the last of `dims` must be 1 (one logit), got {self._dims}."))
        self._user = require_tensor(user, name, "user", ranks=[2], integer=False)
        self._item = require_tensor(item, name, "item", ranks=[2], integer=False)
        self._extra = None if extra is None else require_tensor(extra, name, "extra", ranks=[2], integer=False)
        self._labels = require_labels(labels, train, name)
        if use_user_bias and user_bias is None:
            raise MissingInputError(scoped(name, "`use_user_bias=True` needs `user_bias`."))
        self._item_bias, self._user_bias = item_bias, user_bias if use_user_bias else None
        self._dropout, self._batch_norm = dropout, batch_norm
        self._batch_serving = bool(batch_serving) and not train
        self._block_users = check_int(block_users, "block_users", name)
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _mlp_logits(self, users: tf.Tensor, items: tf.Tensor) -> tf.Tensor:
        """``[M]`` MLP logits of aligned rows (``items`` may carry the extra features)."""
        mlp = MultiLayerFC(tf.concat([users, items], axis=1), self._dims, dropout_mid=self._dropout,
                           batch_norm=self._batch_norm, train=self._train, l2_reg=self._l2_reg, scope="mlp",
                           reuse=tf.AUTO_REUSE)
        if self._train:
            self._loss += mlp.get_loss()
        return tf.reshape(mlp.get_outputs()[0], [-1])

    def _build_shared_graph(self) -> None:
        items = self._item if self._extra is None else tf.concat([self._item, self._extra], axis=1)
        if self._batch_serving:
            logits = all_pair_scores(self._mlp_logits, self._user, items, self._block_users)
            if self._item_bias is not None:
                logits += flat_bias(self._item_bias)[None, :]
            if self._user_bias is not None:
                logits += flat_bias(self._user_bias)[:, None]
        else:
            logits = self._mlp_logits(self._user, items)
            for bias in (self._item_bias, self._user_bias):
                if bias is not None:
                    logits += flat_bias(bias)
        self._logits = logits
        self._outputs.append(tf.sigmoid(logits))

    def _build_training_graph(self) -> None:
        self._loss += tf.reduce_sum(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=self._labels, logits=self._logits))
