"""PairwiseEuDist: the metric-learning hinge of CML (Hsieh et al., "Collaborative Metric
Learning", WWW 2017) on squared Euclidean distances."""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.interactions.pairwise_interaction import PairwiseInteraction
from openrec2.modules.interactions.scoring import all_item_distance_scores, pair_distance_scores
from openrec2.validation import check_non_negative


class PairwiseEuDist(PairwiseInteraction):
    """Scores ``-||u - i||^2 + b_i``; loss ``sum weights * max(0, margin - s(u, i+) + s(u, i-))``.

    A positive must be closer to the user than a negative by ``margin``. Serving every
    item computes the distances through one matrix product (no ``[B, N, d]`` tensor).

    Args:
        user: ``[B, d]`` user representations.
        item, item_bias: All items and their biases (serving).
        p_item, p_item_bias, n_item, n_item_bias: Positives and negatives (training).
        weights: Weight of each row's hinge (a scalar or ``[B]``).
        margin: Required distance gap (>= 0).
        train: Training or serving graph.
        scope: Variable scope (default ``pairwise_eu_dist``).
        reuse: Reuse flag.

    Raises:
        SettingError: a negative ``margin``.
    """

    def __init__(self, user, item=None, item_bias=None, p_item=None, p_item_bias=None, n_item=None,
                 n_item_bias=None, weights=1.0, margin: float = 1.0, train: bool = True,
                 scope: Optional[str] = None, reuse=False):
        self._weights = weights
        self._margin = check_non_negative(margin, "margin", scope or self.default_scope_name())
        super().__init__(user, item, item_bias, p_item, p_item_bias, n_item, n_item_bias, train, scope, reuse)

    def _pair_scores(self, user, item, bias):
        return pair_distance_scores(user, item, bias)

    def _all_item_scores(self, user, items, bias):
        return all_item_distance_scores(user, items, bias)

    def _difference_loss(self, difference: tf.Tensor) -> tf.Tensor:
        return tf.reduce_sum(self._weights * tf.nn.relu(self._margin - difference))
