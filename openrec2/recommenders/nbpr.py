"""NBPR: BPR with several sampled negatives per positive.

The BPR criterion of Rendle et al. ("BPR: Bayesian Personalized Ranking from Implicit
Feedback", UAI 2009) applied to the hardest of ``neg_num`` sampled negatives and
weighted by the WARP estimate of the positive's rank (Weston, Bengio and Usunier,
"WSABIE", IJCAI 2011), as legacy OpenRec's NBPR does (:class:`~openrec2.modules.interactions.NsLog`).
"""

from __future__ import annotations

from openrec2.modules.interactions import NsLog
from openrec2.recommenders.bpr import BPR
from openrec2.recommenders.sampled_negatives import SampledNegatives


class NBPR(SampledNegatives, BPR):
    """BPR trained on ``(user, positive, neg_num negatives)`` rows.

    Training inputs: ``user_id``, ``p_item_id`` (int32 ``[B]``) and ``n_item_id`` (int32
    ``[B, neg_num]``), as :class:`~openrec2.utils.samplers.NPairwiseSampler` yields them.
    Serving as :class:`~openrec2.recommenders.BPR` (dot products plus item bias).

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        dim_embed: Size of the latent factors.
        neg_num: Negatives per positive.
        test_batch_size: Users per serving call.
        l2_reg: L2 weight on the looked-up factors and biases.
        opt: Optimiser name (``'Adam'``; legacy OpenRec defaulted to ``'SGD'``).
        lr: Learning rate.
        init_dict: Initial values by variable name.
        sess_config: Session configuration.
        seed: Graph-level seed.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed, neg_num=5, test_batch_size=None, l2_reg=None,
                 opt="Adam", lr=None, init_dict=None, sess_config=None, seed=None):
        self._set_neg_num(neg_num)
        super().__init__(batch_size, max_user, max_item, dim_embed=dim_embed, test_batch_size=test_batch_size,
                         l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict, sess_config=sess_config, seed=seed)

    def _build_training_interaction(self):
        p_item, p_bias = self._training_item("p_item_id")
        n_item, n_bias = self._training_item("n_item_id")
        self._add_module("interaction", NsLog(user=self._user(True), max_item=self._max_item, p_item=p_item,
                                              p_item_bias=p_bias, n_item=n_item, n_item_bias=n_bias))
