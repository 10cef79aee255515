"""VisualBPR: BPR whose item factors include an encoding of the item features.

He and McAuley, "VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback",
AAAI 2016, as legacy OpenRec built it: the item vector is ``q_i + MLP(f_i)`` (the
paper's ``[q_i, E f_i]`` with a deeper, shared projection), trained with the BPR loss
(Rendle et al., UAI 2009). :class:`~openrec2.recommenders.VBPR` is the paper's exact form.
"""

from __future__ import annotations

from typing import Optional, Sequence

from openrec2.recommenders.bpr import BPR
from openrec2.recommenders.side_features import ItemContent


class VisualBPR(ItemContent, BPR):
    """BPR on item vectors ``q_i + MLP(f_i)``.

    Training inputs as :class:`~openrec2.recommenders.BPR` (``user_id``, ``p_item_id``,
    ``n_item_id``); features are gathered by id inside the graph. Legacy OpenRec
    dropped ``opt`` here (always SGD); it is honoured.

    Args:
        The arguments of :class:`~openrec2.recommenders.VisualPMF`, in the same (legacy)
        order: ``batch_size, max_user, max_item, dim_embed, dims, item_f_source,
        test_batch_size, item_serving_size, dropout_rate, l2_reg, l2_reg_mlp, opt,
        sess_config``, then ``lr, init_dict, seed``.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed, dims: Sequence[int], item_f_source,
                 test_batch_size=None, item_serving_size=None, dropout_rate: Optional[float] = None, l2_reg=None,
                 l2_reg_mlp: Optional[float] = None, opt="Adam", sess_config=None, lr=None, init_dict=None, seed=None):
        self._set_item_features(item_f_source, max_item, dims, dropout_rate, l2_reg_mlp, dim_embed)
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item, dim_embed=dim_embed,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict,
                         sess_config=sess_config, seed=seed)
