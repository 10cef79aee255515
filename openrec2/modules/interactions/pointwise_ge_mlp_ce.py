"""PointwiseGeMLPCE: NeuMF, the fusion of GMF and an MLP (He et al., "Neural Collaborative
Filtering", WWW 2017), with a cross-entropy loss."""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_dims, require_labels, require_rate, require_tensor
from openrec2.modules.extractions.multi_layer_fc import MultiLayerFC
from openrec2.modules.interactions.block_map import all_pair_scores
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.pointwise_ge_ce import generalized_dot_weights
from openrec2.modules.interactions.scoring import all_item_scores, flat_bias, pair_scores
from openrec2.validation import check_int, check_number


class PointwiseGeMLPCE(Interaction):
    """Logits ``alpha * h . (u_ge * i_ge) + (1 - alpha) * MLP([u_mlp, i_mlp]) + b_i``.

    GMF and MLP parts read separate user and item representations. Training takes
    aligned rows and minimises the summed sigmoid cross-entropy (plus the MLP's and
    ``h``'s L2); serving scores every item for each user (item inputs are then all
    items ``[N, .]``): GMF by one matrix product, the MLP over every (user, item) pair,
    ``block_users`` users at a time so that memory stays bounded; ``batch_serving=False``
    scores aligned pairs. Legacy OpenRec's serving graph referred to attributes that
    never existed; this one is tested against its training graph.

    Args:
        user_mlp: ``[B, d_m]`` user representations of the MLP part.
        user_ge: ``[B, d_g]`` user representations of the GMF part.
        item_mlp: ``[B or N, d_m']`` item representations of the MLP part.
        item_ge: ``[B or N, d_g]`` item representations of the GMF part.
        item_bias: ``[B or N]`` item biases, or None.
        dims: MLP widths; the last must be 1.
        labels: ``[B]`` labels in {0, 1} (training).
        dropout: Drop probability inside the MLP.
        alpha: Weight of the GMF part in ``[0, 1]``.
        l2_reg: L2 weight on the MLP weights and ``h``.
        train: Training or serving graph.
        scope: Variable scope (default ``pointwise_ge_mlp_ce``).
        reuse: Reuse flag.
        batch_serving: Serving: every item (True) or aligned pairs (False).
        block_users: Users per block when serving every item.

    Raises:
        ShapeError: ``dims[-1] != 1``.
        MissingInputError: training without ``labels``.
        SettingError: ``alpha`` outside ``[0, 1]`` or a bad size.
    """

    default_scope = "pointwise_ge_mlp_ce"

    def __init__(self, user_mlp, user_ge, item_mlp, item_ge, item_bias, dims: Sequence[int], labels=None,
                 dropout: Optional[float] = None, alpha: float = 0.5, l2_reg: Optional[float] = None,
                 train: bool = True, scope: Optional[str] = None, reuse=False, batch_serving: bool = True,
                 block_users: int = 16):
        name = scope or self.default_scope_name()
        self._user_mlp, self._user_ge, self._item_mlp, self._item_ge = (
            require_tensor(value, name, what, ranks=[2], integer=False) for value, what in (
                (user_mlp, "user_mlp"), (user_ge, "user_ge"), (item_mlp, "item_mlp"), (item_ge, "item_ge")))
        self._item_bias = item_bias
        self._dims = require_dims(dims, name)
        if self._dims[-1] != 1:
            raise ShapeError(scoped(name, f"the last of `dims` must be 1 (one logit), got {self._dims}."))
        self._labels = require_labels(labels, train, name)
        self._dropout = require_rate(dropout, name, "dropout")
        self._alpha = check_number(alpha, "alpha", name, minimum=0.0, maximum=1.0)
        self._batch_serving = bool(batch_serving)
        self._block_users = check_int(block_users, "block_users", name)
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _mlp_logits(self, users: tf.Tensor, items: tf.Tensor) -> tf.Tensor:
        """``[M]`` MLP logits of aligned rows (the MLP's variables are shared by every call)."""
        mlp = MultiLayerFC(tf.concat([users, items], axis=1), self._dims, dropout_mid=self._dropout,
                           train=self._train, l2_reg=self._l2_reg, scope="mlp", reuse=tf.AUTO_REUSE)
        if self._train:
            self._loss += mlp.get_loss()
        return tf.reshape(mlp.get_outputs()[0], [-1])

    def _build_shared_graph(self) -> None:
        self._weights = generalized_dot_weights(int(self._user_ge.shape[-1]))
        self._add_l2([self._weights])

    def _combine(self, generalized: tf.Tensor, mlp: tf.Tensor, bias) -> tf.Tensor:
        """``alpha * GMF + (1 - alpha) * MLP + bias`` (``bias`` already shaped like the logits)."""
        logits = self._alpha * generalized + (1.0 - self._alpha) * mlp
        return logits if bias is None else logits + bias

    def _build_training_graph(self) -> None:
        bias = None if self._item_bias is None else flat_bias(self._item_bias)
        logits = self._combine(pair_scores(self._user_ge * self._weights, self._item_ge),
                               self._mlp_logits(self._user_mlp, self._item_mlp), bias)
        self._loss += tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=self._labels, logits=logits))
        self._outputs.append(logits)

    def _build_serving_graph(self) -> None:
        weighted = self._user_ge * self._weights
        bias = None if self._item_bias is None else flat_bias(self._item_bias)
        if not self._batch_serving:
            self._outputs.append(self._combine(pair_scores(weighted, self._item_ge),
                                               self._mlp_logits(self._user_mlp, self._item_mlp), bias))
            return
        mlp = all_pair_scores(self._mlp_logits, self._user_mlp, self._item_mlp, self._block_users)
        self._outputs.append(self._combine(all_item_scores(weighted, self._item_ge), mlp,
                                           None if bias is None else bias[None, :]))
