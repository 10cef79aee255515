"""VisualBPR: BPR whose item factors include an encoding of the item features.

He and McAuley, "VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback",
AAAI 2016, as legacy OpenRec built it: the item vector is ``q_i + MLP(f_i)`` (the
paper's ``[q_i, E f_i]`` with a deeper, shared projection), trained with the BPR loss
(Rendle et al., UAI 2009). :class:`~openrec2.recommenders.VBPR` is the paper's exact form.
"""

from __future__ import annotations

from openrec2.recommenders.bpr import BPR
from openrec2.recommenders.side_features import ItemContent


class VisualBPR(ItemContent, BPR):
    """BPR on item vectors ``q_i + MLP(f_i)``.

    Training inputs as :class:`~openrec2.recommenders.BPR` (``user_id``, ``p_item_id``,
    ``n_item_id``); features are gathered by id inside the graph. Legacy OpenRec
    dropped ``opt`` here (always SGD); it is honoured.

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        dim_embed: Size of the latent factors (= ``dims[-1]``).
        dims: Widths of the item feature MLP.
        item_f_source: ``[max_item, F]`` item features (numpy array or h5py dataset).
        test_batch_size: Users per serving call.
        item_serving_size: Accepted for legacy scripts (serving encodes every item at once).
        dropout_rate: Drop probability inside the MLP.
        l2_reg: L2 weight on the looked-up factors and biases.
        l2_reg_mlp: L2 weight on the MLP weights.
        opt: Optimiser name.
        sess_config: Session configuration.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        seed: Graph-level seed.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed, dims, item_f_source, test_batch_size=None,
                 item_serving_size=None, dropout_rate=None, l2_reg=None, l2_reg_mlp=None, opt="Adam",
                 sess_config=None, lr=None, init_dict=None, seed=None):
        self._set_item_features(item_f_source, max_item, dims, dropout_rate, l2_reg_mlp, dim_embed)
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item, dim_embed=dim_embed,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict,
                         sess_config=sess_config, seed=seed)
