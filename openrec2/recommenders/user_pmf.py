"""UserPMF: PMF whose user factors include an encoding of user side features.

Probabilistic matrix factorisation (Salakhutdinov and Mnih, NIPS 2007) with the user
vector ``p_u + MLP(g_u)`` of the user's features ``g_u`` (e.g. demographics), the
user-side counterpart of the content models of legacy OpenRec.
"""

from __future__ import annotations

from typing import Optional, Sequence

from openrec2.recommenders.pmf import PMF
from openrec2.recommenders.side_features import FeatureTower, UserContent


class UserPMF(UserContent, PMF):
    """PMF on user vectors ``p_u + MLP(g_u)``.

    Training inputs as :class:`~openrec2.recommenders.PMF`; the user features are
    gathered by id inside the graph.

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        dim_embed: Size of the latent factors (= ``dims[-1]``).
        dims: Widths of the user feature MLP.
        user_f_source: ``[max_user, F]`` user features (numpy array or h5py dataset).
        test_batch_size: Users per serving call.
        item_serving_size: Accepted for legacy scripts (serving scores every item at once).
        dropout_rate: Drop probability inside the MLP.
        l2_reg: L2 weight on the looked-up factors and biases.
        l2_reg_mlp: L2 weight on the MLP weights.
        opt: Optimiser name (``'Adam'``; legacy OpenRec defaulted to ``'SGD'``).
        sess_config: Session configuration.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        seed: Graph-level seed.

    Raises:
        ShapeError: a feature matrix that is not ``[max_user, F]``, or ``dims[-1] != dim_embed``.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed, dims: Sequence[int], user_f_source,
                 test_batch_size=None, item_serving_size=None, dropout_rate: Optional[float] = None, l2_reg=None,
                 l2_reg_mlp: Optional[float] = None, opt="Adam", sess_config=None, lr=None, init_dict=None, seed=None):
        self._user_tower = FeatureTower("user", user_f_source, max_user, dims, dropout_rate, l2_reg_mlp,
                                        scope=type(self).__name__.lower(), argument="user_f_source")
        self._user_tower.check_latent_size(dim_embed, "dim_embed")
        super().__init__(batch_size=batch_size, dim_embed=dim_embed, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, sess_config=sess_config, lr=lr,
                         init_dict=init_dict, seed=seed)
