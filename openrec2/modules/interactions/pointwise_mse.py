"""PointwiseMSE: confidence-weighted squared error (PMF / WRMF / CDL style)."""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.checks import require_labels, require_tensor
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.scoring import all_item_scores, pair_scores


class PointwiseMSE(Interaction):
    """Weighted squared error between labels and ``<u, i> + b_i``.

    Training loss ``sum_b c_b (label_b - pred_b)^2`` with confidence ``c = a`` for
    positive labels and ``b`` for zero labels (``c = b + (a - b) * label`` for labels
    in [0, 1], the confidence weights of Hu et al. / Wang et al.). With ``sigmoid`` the
    prediction is squashed to (0, 1). Serving scores every item (``item`` holds all
    items, ``batch_serving=True``) or the aligned pairs. The argument order is legacy
    OpenRec's.

    Args:
        user: ``[B, d]`` user representations.
        item: ``[B, d]`` item representations, or ``[N, d]`` all items (serving).
        item_bias: item biases (``[B]``/``[B,1]`` or ``[N]``/``[N,1]``), optional.
        labels: ``[B]`` float labels (training).
        a: Confidence of positive labels.
        b: Confidence of zero labels.
        sigmoid: Squash predictions with a sigmoid.
        train: Training or serving graph.
        batch_serving: Serving only: ``item`` is the whole item table (scores ``[B, N]``,
            the default, as in legacy OpenRec) or aligned pairs (``[B]``).
        scope: Variable scope (default ``pointwise_mse``).
        reuse: Reuse flag.

    Raises:
        MissingInputError: training without ``labels``.
    """

    def __init__(self, user, item, item_bias=None, labels=None, a: float = 1.0, b: float = 1.0,
                 sigmoid: bool = False, train: bool = True, batch_serving: bool = True,
                 scope: Optional[str] = None, reuse=False):
        name = scope or "pointwise_mse"
        self._user = require_tensor(user, name, "user", ranks=[2], integer=False)
        self._item = require_tensor(item, name, "item", ranks=[2], integer=False)
        self._item_bias = item_bias
        self._labels = require_labels(labels, train, name)
        self._a, self._b, self._sigmoid, self._batch_serving = a, b, sigmoid, bool(batch_serving)
        super().__init__(train=train, scope=scope, reuse=reuse)

    def _squash(self, scores: tf.Tensor) -> tf.Tensor:
        return tf.sigmoid(scores) if self._sigmoid else scores

    def _build_training_graph(self) -> None:
        predictions = self._squash(pair_scores(self._user, self._item, self._item_bias))
        weights = self._b + (self._a - self._b) * self._labels
        self._loss += tf.reduce_sum(weights * tf.square(self._labels - predictions))
        self._outputs.append(predictions)

    def _build_serving_graph(self) -> None:
        if self._batch_serving:
            self._outputs.append(self._squash(all_item_scores(self._user, self._item, self._item_bias)))
        else:
            self._outputs.append(self._squash(pair_scores(self._user, self._item, self._item_bias)))
