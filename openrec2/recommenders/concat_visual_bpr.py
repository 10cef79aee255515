"""ConcatVisualBPR: BPR on item vectors that concatenate latent factors and projected features.

He and McAuley, "VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback",
AAAI 2016: the item vector is ``[q_i, E f_i]`` with ``q_i`` of size ``dim_embed -
dim_ve`` and a linear projection ``E`` of the features to ``dim_ve``, trained with the
BPR loss (Rendle et al., UAI 2009).
"""

from __future__ import annotations

from openrec2.errors import ShapeError, scoped
from openrec2.recommenders.bpr import BPR
from openrec2.recommenders.side_features import FeatureTower, ItemContent
from openrec2.validation import check_int


class ConcatVisualBPR(ItemContent, BPR):
    """BPR on ``<p_u, [q_i, E f_i]> + b_i``.

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        dim_embed: Size of the user factors and of the whole item vector.
        dim_ve: Size of the projected features (``< dim_embed``).
        item_f_source: ``[max_item, F]`` item features (numpy array or h5py dataset).
        item_serving_size: Accepted for legacy scripts (serving encodes every item at once).
        l2_reg: L2 weight on the looked-up factors and biases.
        sess_config: Session configuration.
        test_batch_size: Users per serving call.
        opt: Optimiser name.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        seed: Graph-level seed.

    Raises:
        ShapeError: ``dim_ve >= dim_embed``.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed, dim_ve: int, item_f_source, item_serving_size=None,
                 l2_reg=None, sess_config=None, test_batch_size=None, opt="Adam", lr=None, init_dict=None, seed=None):
        scope = type(self).__name__.lower()
        self._dim_ve = check_int(dim_ve, "dim_ve", scope)
        if self._dim_ve >= check_int(dim_embed, "dim_embed", scope):
            raise ShapeError(scoped(scope, (
                f"dim_ve={dim_ve} must be smaller than dim_embed={dim_embed}: the item vector is "
                "[latent (dim_embed - dim_ve), projected features (dim_ve)].")))
        self._item_tower = FeatureTower("item", item_f_source, max_item, [self._dim_ve], fusion="concat",
                                        scope=scope)
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item, dim_embed=dim_embed,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict,
                         sess_config=sess_config, seed=seed)

    @property
    def _item_factor_size(self) -> int:
        return self._dim_embed - self._dim_ve
