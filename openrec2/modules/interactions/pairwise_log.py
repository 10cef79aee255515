"""PairwiseLog: the BPR loss (Rendle et al., UAI 2009) and dot-product scores."""

from __future__ import annotations

import tensorflow.compat.v1 as tf

from openrec2.modules.interactions.pairwise_interaction import PairwiseInteraction


class PairwiseLog(PairwiseInteraction):
    """Bayesian personalised ranking: ``sum -log sigmoid(s(u, i+) - s(u, i-))``.

    Scores are ``<u, i> + b_i``. The loss is computed as ``softplus(s- - s+)``, which
    never overflows (unlike ``log(1 + exp(.))``). Arguments as
    :class:`~openrec2.modules.interactions.pairwise_interaction.PairwiseInteraction`
    (legacy order ``user, item, item_bias, p_item, p_item_bias, n_item, n_item_bias``).
    """

    def _difference_loss(self, difference: tf.Tensor) -> tf.Tensor:
        return tf.reduce_sum(tf.nn.softplus(-difference))
