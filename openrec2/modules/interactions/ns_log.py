"""NsLog: BPR over K sampled negatives with WARP rank weights (legacy OpenRec's NBPR loss)."""

from __future__ import annotations

import tensorflow.compat.v1 as tf

from openrec2.modules.interactions.sampled_negatives_interaction import SampledNegativesInteraction
from openrec2.modules.interactions.scoring import all_item_scores, pair_scores


class NsLog(SampledNegativesInteraction):
    """``sum_b softplus(-w_b * min_k (s(u, i+) - s(u, j_k)))`` with ``s = <u, i> + b_i``.

    Each row's hardest negative (the smallest positive-minus-negative gap) is pushed
    below the positive, and the gap is scaled by the WARP weight ``w_b`` of the
    positive's estimated rank: with ``v`` of the ``K`` negatives scoring above it, the
    positive ranks ``v + 1`` among the ``K + 1`` sampled items, so about ``N (v + 1) /
    (K + 1)`` among all ``N``, and ``w_b = log(floor(N (v + 1) / (K + 1)) + 1)``.

    Legacy OpenRec (``-log sigmoid(max(w * min gap, -30))``) estimated the rank as ``N v
    / K``, which is 0 once the positive beats its ``K`` negatives: those rows got weight
    0 and no gradient, so training stalled as soon as positives beat a handful of random
    items (on ML-100K, NBPR then ranked no better than most-popular). Counting the
    positive itself keeps every row learning, the harder ones more. Computed by softplus
    (no clamp needed). Arguments as
    :class:`~openrec2.modules.interactions.sampled_negatives_interaction.SampledNegativesInteraction`.
    """

    def _scores(self, user, item, bias):
        return pair_scores(user, item, bias)

    def _all_item_scores(self, user, items, bias):
        return all_item_scores(user, items, bias)

    def _weighted_loss(self, positive, negative):
        gaps = positive[:, None] - negative
        violations = tf.reduce_sum(tf.cast(gaps < 0.0, tf.int32), axis=1)
        weights = self._rank_weights(violations + 1, sampled=self._neg_num + 1)
        return tf.reduce_sum(tf.nn.softplus(-weights * tf.reduce_min(gaps, axis=1)))
