"""CML: collaborative metric learning.

Hsieh, Yang, Cui, Lin, Belongie and Estrin, "Collaborative Metric Learning", WWW 2017.
Users and items are points of one Euclidean space; a user's positive item must be
closer to the user than a negative one by a margin. After every step the rows just
updated are projected back into the unit ball (the paper's norm constraint).
"""

from __future__ import annotations

from openrec2.modules.interactions import PairwiseEuDist
from openrec2.recommenders.bpr import BPR
from openrec2.validation import check_non_negative


class CML(BPR):
    """Metric learning on (user, positive, negative) triples: scores ``-||u - i||^2 + b_i``.

    Training inputs as :class:`~openrec2.recommenders.BPR`; serving scores are negative
    squared distances plus the item bias (higher is closer). The rows of the users and
    items of a batch are censored to norm <= 1 after each step (``censor_l2_norm_op``);
    for content models built on it, the latent part is censored.

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        dim_embed: Size of the embeddings.
        test_batch_size: Users per serving call.
        l2_reg: L2 weight on the looked-up rows.
        opt: Optimiser name (``'Adam'``; legacy OpenRec defaulted to ``'SGD'``).
        lr: Learning rate.
        init_dict: Initial values by variable name.
        sess_config: Session configuration.
        seed: Graph-level seed.
        margin: Required distance gap of the hinge.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed=20, test_batch_size=None, l2_reg=None, opt="Adam",
                 lr=None, init_dict=None, sess_config=None, seed=None, margin=1.0):
        self._margin = check_non_negative(margin, "margin", type(self).__name__.lower())
        super().__init__(batch_size, max_user, max_item, dim_embed=dim_embed, test_batch_size=test_batch_size,
                         l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict, sess_config=sess_config, seed=seed)

    def _build_training_interaction(self):
        p_item, p_bias = self._training_item("p_item_id")
        n_item, n_bias = self._training_item("n_item_id")
        self._add_module("interaction", PairwiseEuDist(user=self._user(True), p_item=p_item, p_item_bias=p_bias,
                                                       n_item=n_item, n_item_bias=n_bias, margin=self._margin))

    def _scoring_interaction(self, user, item, item_bias, all_items, scope):
        if all_items:
            return PairwiseEuDist(user=user, item=item, item_bias=item_bias, train=False, scope=scope)
        return PairwiseEuDist(user=user, p_item=item, p_item_bias=item_bias, train=False, scope=scope)

    def _build_post_training_ops(self):
        # Project the rows this step updated back into the unit ball.
        self._add_post_training_op(self._norm_constraint_op(self._get_module("user_vec"), self._get_input("user_id")))
        self._add_post_training_op(self._norm_constraint_op(self._get_module("item_vec"), self._trained_item_ids))

    def _norm_constraint_op(self, factors, ids):
        """The op run after each step on the rows ``ids`` of a latent-factor module (norm <= 1)."""
        return factors.censor_l2_norm_op(ids)
