"""UserVisualPMF: PMF with both user and item side features.

Probabilistic matrix factorisation (Salakhutdinov and Mnih, NIPS 2007) on user vectors
``p_u + MLP_u(g_u)`` and item vectors ``q_i + MLP_i(f_i)``: the union of
:class:`~openrec2.recommenders.UserPMF` and :class:`~openrec2.recommenders.VisualPMF`
(item content after He and McAuley, VBPR, AAAI 2016).
"""

from __future__ import annotations

from typing import Optional, Sequence

from openrec2.recommenders.side_features import FeatureTower, UserContent
from openrec2.recommenders.visual_pmf import VisualPMF


class UserVisualPMF(UserContent, VisualPMF):
    """PMF on ``<p_u + MLP_u(g_u), q_i + MLP_i(f_i)> + b_i``.

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        dim_embed: Size of the latent factors (= ``dims_user[-1]`` = ``dims_item[-1]``).
        dims_user: Widths of the user feature MLP.
        dims_item: Widths of the item feature MLP.
        user_f_source: ``[max_user, F_u]`` user features.
        item_f_source: ``[max_item, F_i]`` item features.
        test_batch_size: Users per serving call.
        item_serving_size: Accepted for legacy scripts (serving scores every item at once).
        dropout_rate: Drop probability inside both MLPs.
        l2_reg: L2 weight on the looked-up factors and biases.
        l2_reg_mlp: L2 weight on the MLP weights.
        opt: Optimiser name (``'Adam'``; legacy OpenRec defaulted to ``'SGD'``).
        sess_config: Session configuration.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        seed: Graph-level seed.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed, dims_user: Sequence[int], dims_item: Sequence[int],
                 user_f_source, item_f_source, test_batch_size=None, item_serving_size=None,
                 dropout_rate: Optional[float] = None, l2_reg=None, l2_reg_mlp: Optional[float] = None, opt="Adam",
                 sess_config=None, lr=None, init_dict=None, seed=None):
        self._user_tower = FeatureTower("user", user_f_source, max_user, dims_user, dropout_rate, l2_reg_mlp,
                                        scope=type(self).__name__.lower(), argument="user_f_source",
                                        dims_setting="dims_user")
        self._user_tower.check_latent_size(dim_embed, "dim_embed")
        super().__init__(batch_size, max_user, max_item, dim_embed, dims_item, item_f_source,
                         test_batch_size=test_batch_size, dropout_rate=dropout_rate, l2_reg=l2_reg,
                         l2_reg_mlp=l2_reg_mlp, opt=opt, sess_config=sess_config, lr=lr, init_dict=init_dict,
                         seed=seed)
