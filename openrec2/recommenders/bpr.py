"""BPR: Bayesian Personalized Ranking from implicit feedback.

Rendle, Freudenthaler, Gantner and Schmidt-Thieme, "BPR: Bayesian Personalized Ranking
from Implicit Feedback", UAI 2009. Matrix-factorisation scores ``<p_u, q_i> + b_i``
trained on (user, positive item, negative item) triples with the pairwise log loss.
"""

from __future__ import annotations

from openrec2.modules.interactions import PairwiseLog
from openrec2.recommenders.matrix_factorization import MatrixFactorization


class BPR(MatrixFactorization):
    """Matrix factorisation with item bias, trained with the BPR loss.

    Training inputs: ``user_id``, ``p_item_id``, ``n_item_id`` (int32 ``[B]``), as the
    pairwise samplers yield them. Serving: ``user_id`` alone scores every item
    (``[B, max_item]``); ``user_id`` + ``item_id`` scores those pairs (``[B]``).

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        dim_embed: Size of the latent factors.
        test_batch_size: Users per serving call in evaluation.
        l2_reg: L2 weight on the looked-up factors and biases (per example).
        opt: Optimiser name; ``'Adam'`` (sparse, lazy Adam) by default.
        lr: Learning rate.
        init_dict: Initial values by variable name (e.g. ``'user/embedding'``).
        sess_config: Session configuration.
        seed: Graph-level seed.
    """

    training_sampler = "PairwiseSampler"
    training_item_inputs = ["p_item_id", "n_item_id"]

    def _build_training_interaction(self):
        p_item, p_bias = self._training_item("p_item_id")
        n_item, n_bias = self._training_item("n_item_id")
        self._add_module("interaction", PairwiseLog(
            user=self._user(True), p_item=p_item, p_item_bias=p_bias,
            n_item=n_item, n_item_bias=n_bias))

    def _scoring_interaction(self, user, item, item_bias, all_items, scope):
        if all_items:
            return PairwiseLog(user=user, item=item, item_bias=item_bias, train=False, scope=scope)
        return PairwiseLog(user=user, p_item=item, p_item_bias=item_bias, train=False, scope=scope)
