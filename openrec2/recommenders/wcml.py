"""WCML: collaborative metric learning with the weighted approximate-rank loss.

Hsieh et al., "Collaborative Metric Learning", WWW 2017, section 3.2: the hinge of the
hardest of ``neg_num`` sampled negatives, weighted by ``log(rank + 1)`` with the rank
of the positive estimated from how many sampled negatives violate the margin (WARP,
Weston et al., IJCAI 2011; :class:`~openrec2.modules.interactions.NSEuDist`).
"""

from __future__ import annotations

from openrec2.modules.interactions import NSEuDist
from openrec2.recommenders.cml import CML
from openrec2.recommenders.sampled_negatives import SampledNegatives


class WCML(SampledNegatives, CML):
    """CML trained on ``neg_num`` negatives per positive with WARP rank weights.

    Training inputs: ``user_id``, ``p_item_id`` (int32 ``[B]``), ``n_item_id`` (int32
    ``[B, neg_num]``) from :class:`~openrec2.utils.samplers.NPairwiseSampler`. Serving
    and the norm constraint as :class:`~openrec2.recommenders.CML`. The argument order
    is legacy OpenRec's (``neg_num`` after ``sess_config``).

    Args:
        The arguments of :class:`~openrec2.recommenders.CML` (``batch_size, max_user,
        max_item, dim_embed, test_batch_size, l2_reg, opt, lr, init_dict, sess_config``),
        then ``neg_num`` (negatives per positive), ``seed`` and ``margin``.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed, test_batch_size=None, l2_reg=None, opt="Adam",
                 lr=None, init_dict=None, sess_config=None, neg_num=5, seed=None, margin=1.0):
        self._set_neg_num(neg_num)
        super().__init__(batch_size, max_user, max_item, dim_embed=dim_embed, test_batch_size=test_batch_size,
                         l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict, sess_config=sess_config, seed=seed,
                         margin=margin)

    def _build_training_interaction(self):
        p_item, p_bias = self._training_item("p_item_id")
        n_item, n_bias = self._training_item("n_item_id")
        self._add_module("interaction", NSEuDist(user=self._user(True), max_item=self._max_item, p_item=p_item,
                                                 p_item_bias=p_bias, n_item=n_item, n_item_bias=n_bias,
                                                 margin=self._margin))
