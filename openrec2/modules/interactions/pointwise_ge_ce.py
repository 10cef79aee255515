"""PointwiseGeCE: generalized matrix factorisation (GMF) with a cross-entropy loss.

He, Liao, Zhang, Nie, Hu and Chua, "Neural Collaborative Filtering", WWW 2017: the
logit of a (user, item) pair is ``h . (u * i) + b_i``, an element-wise product weighted
by a learned vector ``h`` (plain matrix factorisation when ``h`` is all ones, its
initial value).
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.checks import require_labels, require_tensor
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.scoring import all_item_scores, pair_scores


def generalized_dot_weights(dim: int) -> tf.Variable:
    """The GMF weight vector ``h`` ``[dim]`` (initialised to ones) in the current scope."""
    return tf.get_variable("ge_weights", [dim], dtype=tf.float32, initializer=tf.ones_initializer())


class PointwiseGeCE(Interaction):
    """GMF logits ``h . (u * i) + b_i`` and the summed sigmoid cross-entropy against labels.

    Training takes aligned (user, item) rows; serving scores every item for each user
    (``item`` all items, ``[B, N]``, computed as ``(u * h) @ items^T``), or aligned pairs
    with ``batch_serving=False``. Serving outputs logits (their order is the probabilities').

    Args:
        user: ``[B, d]`` user representations.
        item: ``[B, d]`` (training, pairs) or ``[N, d]`` (serving all items) item representations.
        item_bias: Matching ``[B]``/``[N]`` (or ``[., 1]``) item biases, or None.
        l2_reg: L2 weight on ``h``.
        labels: ``[B]`` labels in {0, 1} (training).
        train: Training or serving graph.
        scope: Variable scope (default ``pointwise_ge_ce``).
        reuse: Reuse flag.
        batch_serving: Serving: score every item (True) or aligned pairs (False).

    Raises:
        MissingInputError: training without ``labels``.
        ShapeError / DTypeError: a representation is not a 2-d float tensor.
    """

    def __init__(self, user, item, item_bias=None, l2_reg: Optional[float] = None, labels=None, train: bool = True,
                 scope: Optional[str] = None, reuse=False, batch_serving: bool = True):
        name = scope or self.default_scope_name()
        self._user = require_tensor(user, name, "user", ranks=[2], integer=False)
        self._item = require_tensor(item, name, "item", ranks=[2], integer=False)
        self._item_bias = item_bias
        self._labels = require_labels(labels, train, name)
        self._batch_serving = bool(batch_serving)
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        self._weights = generalized_dot_weights(int(self._user.shape[-1]))
        self._add_l2([self._weights])

    def _build_training_graph(self) -> None:
        logits = pair_scores(self._user * self._weights, self._item, self._item_bias)
        self._loss += tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=self._labels, logits=logits))
        self._outputs.append(logits)

    def _build_serving_graph(self) -> None:
        weighted = self._user * self._weights
        self._outputs.append(all_item_scores(weighted, self._item, self._item_bias) if self._batch_serving
                             else pair_scores(weighted, self._item, self._item_bias))
