"""NSEuDist: the WARP-weighted metric hinge over K sampled negatives of WCML (Hsieh et al.,
"Collaborative Metric Learning", WWW 2017)."""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.interactions.sampled_negatives_interaction import SampledNegativesInteraction
from openrec2.modules.interactions.scoring import all_item_distance_scores, pair_distance_scores
from openrec2.validation import check_non_negative


class NSEuDist(SampledNegativesInteraction):
    """``sum_b w_b * max_k max(0, margin - s(u, i+) + s(u, j_k))`` with ``s = -||u - i||^2 + b_i``.

    The hardest negative's hinge counts, weighted by the WARP estimate of the positive's
    rank from the ``v`` negatives that violate the margin (CML's weighted approximate
    rank loss). Serving scores are the distances as for
    :class:`~openrec2.modules.interactions.pairwise_eu_dist.PairwiseEuDist`.

    Args:
        user: ``[B, d]`` user representations.
        max_item: Number of items.
        item, item_bias: All items and their biases (serving).
        p_item, p_item_bias: Positives (training) or the items of scored pairs (serving).
        neg_num: Negatives per row.
        n_item, n_item_bias: ``[B, K, d]`` negatives and their biases (training).
        margin: Required distance gap (>= 0).
        train: Training or serving graph.
        scope: Variable scope (default ``ns_eu_dist``).
        reuse: Reuse flag.

    Raises:
        SettingError: a negative ``margin``.
    """

    def __init__(self, user, max_item: int, item=None, item_bias=None, p_item=None, neg_num: int = 5,
                 p_item_bias=None, n_item=None, n_item_bias=None, margin: float = 1.0, train: bool = True,
                 scope: Optional[str] = None, reuse=False):
        self._margin = check_non_negative(margin, "margin", scope or self.default_scope_name())
        super().__init__(user, max_item, item=item, item_bias=item_bias, p_item=p_item, p_item_bias=p_item_bias,
                         neg_num=neg_num, n_item=n_item, n_item_bias=n_item_bias, train=train, scope=scope,
                         reuse=reuse)

    def _scores(self, user, item, bias):
        return pair_distance_scores(user, item, bias)

    def _all_item_scores(self, user, items, bias):
        return all_item_distance_scores(user, items, bias)

    def _weighted_loss(self, positive, negative):
        hinges = tf.nn.relu(self._margin - positive[:, None] + negative)
        weights = self._rank_weights(tf.reduce_sum(tf.cast(hinges > 0.0, tf.int32), axis=1))
        return tf.reduce_sum(weights * tf.reduce_max(hinges, axis=1))
