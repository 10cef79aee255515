"""VisualPMF: PMF whose item factors include an encoding of the item features.

Probabilistic matrix factorisation (Salakhutdinov and Mnih, NIPS 2007) with item
content in the spirit of VBPR (He and McAuley, "VBPR: Visual Bayesian Personalized
Ranking from Implicit Feedback", AAAI 2016): the item vector is ``q_i + MLP(f_i)``, so
items with few interactions still get a representation from their features.
"""

from __future__ import annotations

from typing import Optional, Sequence

from openrec2.recommenders.pmf import PMF
from openrec2.recommenders.side_features import ItemContent


class VisualPMF(ItemContent, PMF):
    """PMF on item vectors ``q_i + MLP(f_i)`` (weighted squared error on 1/0 labels).

    Training inputs as :class:`~openrec2.recommenders.PMF` (``user_id``, ``item_id``,
    ``label``); the features are gathered by id inside the graph. Serving: every item
    (its features encoded in one pass) or given pairs.

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        dim_embed: Size of the latent factors (= ``dims[-1]``).
        dims: Widths of the item feature MLP.
        item_f_source: ``[max_item, F]`` item features (numpy array or h5py dataset).
        test_batch_size: Users per serving call.
        item_serving_size: Accepted for legacy scripts; serving encodes every item's
            features in one pass, so it is not needed.
        dropout_rate: Drop probability inside the MLP.
        l2_reg: L2 weight on the looked-up factors and biases.
        l2_reg_mlp: L2 weight on the MLP weights.
        opt: Optimiser name (``'Adam'``; legacy OpenRec defaulted to ``'SGD'``).
        sess_config: Session configuration.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        seed: Graph-level seed.

    Raises:
        ShapeError: a feature matrix that is not ``[max_item, F]``, or ``dims[-1] != dim_embed``.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed, dims: Sequence[int], item_f_source,
                 test_batch_size=None, item_serving_size=None, dropout_rate: Optional[float] = None, l2_reg=None,
                 l2_reg_mlp: Optional[float] = None, opt="Adam", sess_config=None, lr=None, init_dict=None, seed=None):
        self._set_item_features(item_f_source, max_item, dims, dropout_rate, l2_reg_mlp, dim_embed)
        super().__init__(batch_size=batch_size, dim_embed=dim_embed, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, sess_config=sess_config, lr=lr,
                         init_dict=init_dict, seed=seed)
