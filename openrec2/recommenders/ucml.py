"""UCML: collaborative metric learning on uniformly sampled triples (OpenRec 0.2's CML).

Hsieh, Yang, Cui, Lin, Belongie and Estrin, "Collaborative Metric Learning", WWW 2017.
OpenRec 0.2 (``openrec.tf1`` and ``openrec.tf2``) ships the paper's model as UCML: one
uniformly drawn negative per (user, positive) pair and the plain margin hinge on
``s(u, i) = -||u - i||^2 + b_i``, i.e. without the WARP rank weights of the paper's
full loss (:class:`~openrec2.recommenders.WCML`). What the two OpenRec versions add to
the maths is the norm constraint run after each step on the rows a batch touched:
``openrec.tf1`` keeps them inside the unit ball (the paper's ``||u|| <= 1``, as
:class:`~openrec2.recommenders.CML` does), ``openrec.tf2`` rescales them onto the unit
sphere and uses a margin of 0.5. Both are available here through ``norm_constraint``;
the default is ``openrec.tf2``'s (on ML-100K, with margin 0.5, it ranks a little better
than the ball). ``openrec.tf2`` divides a row by ``max(norm, 0.1)``, so rows shorter than 0.1 end at ten
times their norm; here every non-zero row ends at norm 1.
"""

from __future__ import annotations

from typing import Optional

from openrec2.errors import SettingError, scoped
from openrec2.recommenders.cml import CML
from openrec2.validation import check_choice, check_int

#: Norm constraints UCML can apply after each training step.
NORM_CONSTRAINTS = ("ball", "sphere")


class UCML(CML):
    """CML with OpenRec 0.2's settings: ``dim_user_embed``/``dim_item_embed``, a unit ball or sphere.

    Training inputs as :class:`~openrec2.recommenders.BPR` (``user_id``, ``p_item_id``,
    ``n_item_id`` from :class:`~openrec2.utils.samplers.PairwiseSampler`); serving scores
    are ``-||u - i||^2 + b_i`` for every item or for given pairs. The positional order is
    OpenRec 0.2's (``batch_size, dim_user_embed, dim_item_embed, total_users,
    total_items, l2_reg``), with openrec2's names ``max_user``/``max_item`` for the
    numbers of users and items, so a positional 0.2 call means the same here.

    Args:
        batch_size: Training batch size.
        dim_user_embed: Size of the user points.
        dim_item_embed: Size of the item points; users and items live in one space, so
            it must equal ``dim_user_embed`` (OpenRec 0.2 asked for both).
        max_user: Number of users (OpenRec 0.2's ``total_users``).
        max_item: Number of items (OpenRec 0.2's ``total_items``).
        l2_reg: L2 weight on the looked-up rows and biases.
        test_batch_size: Users per serving call.
        opt: Optimiser name.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        sess_config: Session configuration.
        seed: Graph-level seed.
        margin: Required gap between the positive's and the negative's score
            (``openrec.tf2``'s 0.5).
        norm_constraint: ``'sphere'`` (rows of the batch rescaled to norm 1,
            ``openrec.tf2``) or ``'ball'`` (rows scaled down to norm <= 1, ``openrec.tf1``
            and :class:`~openrec2.recommenders.CML`).

    Raises:
        SettingError: ``dim_item_embed`` differs from ``dim_user_embed``, an unknown
            ``norm_constraint``, or a setting out of range.
    """

    def __init__(self, batch_size: int, dim_user_embed: int, dim_item_embed: int, max_user: int, max_item: int,
                 l2_reg: Optional[float] = None, test_batch_size: Optional[int] = None, opt: str = "Adam",
                 lr: Optional[float] = None, init_dict: Optional[dict] = None, sess_config=None,
                 seed: Optional[int] = None, margin: float = 0.5, norm_constraint: str = "sphere"):
        scope = type(self).__name__.lower()
        dim_user_embed = check_int(dim_user_embed, "dim_user_embed", scope)
        if check_int(dim_item_embed, "dim_item_embed", scope) != dim_user_embed:
            raise SettingError(scoped(scope, (
                f"dim_item_embed={dim_item_embed} differs from dim_user_embed={dim_user_embed}; users and items "
                "are points of one space, so give both the same size.")))
        self.norm_constraint = check_choice(norm_constraint, "norm_constraint", scope, NORM_CONSTRAINTS)
        super().__init__(batch_size, max_user, max_item, dim_embed=dim_user_embed, test_batch_size=test_batch_size,
                         l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict, sess_config=sess_config, seed=seed,
                         margin=margin)

    def _norm_constraint_op(self, factors, ids):
        if self.norm_constraint == "sphere":
            return factors.normalize_l2_norm_op(ids)
        return factors.censor_l2_norm_op(ids)
