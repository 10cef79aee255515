"""PairwiseHinge: a margin ranking loss on dot-product scores."""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.interactions.pairwise_interaction import PairwiseInteraction
from openrec2.validation import check_non_negative


class PairwiseHinge(PairwiseInteraction):
    """Hinge ranking loss ``sum max(0, margin - s(u, i+) + s(u, i-))``, scores ``<u, i> + b_i``.

    Minimising it pushes each positive at least ``margin`` above its negative (legacy
    OpenRec returned the negated hinge, so minimising it maximised the loss).

    Args:
        user: ``[B, d]`` user representations.
        item, item_bias: All items and their biases (serving).
        p_item, p_item_bias, n_item, n_item_bias: Positives and negatives (training).
        margin: Required score gap (>= 0).
        train: Training or serving graph.
        scope: Variable scope (default ``pairwise_hinge``).
        reuse: Reuse flag.

    Raises:
        SettingError: a negative ``margin``.
    """

    def __init__(self, user, item=None, item_bias=None, p_item=None, p_item_bias=None, n_item=None,
                 n_item_bias=None, margin: float = 1.0, train: bool = True, scope: Optional[str] = None,
                 reuse=False):
        self._margin = check_non_negative(margin, "margin", scope or self.default_scope_name())
        super().__init__(user, item, item_bias, p_item, p_item_bias, n_item, n_item_bias, train, scope, reuse)

    def _difference_loss(self, difference: tf.Tensor) -> tf.Tensor:
        return tf.reduce_sum(tf.nn.relu(self._margin - difference))
