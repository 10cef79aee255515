"""Rank weights estimated from sampled negatives (WARP), for NsLog and NSEuDist.

Weston, Bengio and Usunier ("WSABIE: Scaling Up to Large Vocabulary Image Annotation",
IJCAI 2011) weight a positive by ``log(rank + 1)``: a positive that many negatives
outscore is ranked low and its loss should count more. With ``K`` sampled negatives of
which ``v`` outscore the positive, the rank among ``N`` items is estimated as
``floor(N * v / K)``; legacy OpenRec's NBPR and WCML use this weight.
"""

from __future__ import annotations

import tensorflow.compat.v1 as tf


def warp_rank_weights(violations: tf.Tensor, num_negatives: int, max_item: int) -> tf.Tensor:
    """``log(floor(max_item * violations / num_negatives) + 1)`` per row.

    Args:
        violations: ``[B]`` number of sampled negatives that outscore (or come within the
            margin of) each row's positive.
        num_negatives: Negatives sampled per row ``K``.
        max_item: Number of items ``N``.

    Returns:
        ``[B]`` float32 weights (0 for a row without violation).
    """
    estimated_rank = tf.floor(float(max_item) * tf.cast(violations, tf.float32) / float(num_negatives))
    return tf.log(estimated_rank + 1.0)
