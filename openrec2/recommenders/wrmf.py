"""WRMF: weighted regularised matrix factorisation for implicit feedback.

Hu, Koren and Volinsky, "Collaborative Filtering for Implicit Feedback Datasets", ICDM
2008. Every user-item cell is a training example: preference 1 on observed cells with
confidence ``a`` (the paper's ``1 + alpha * r`` for binary ``r``), preference 0 with
confidence ``b`` everywhere else. The loss over all ``U x N`` cells is computed from the
observed cells and an item Gram matrix, never from the dense matrix.
"""

from __future__ import annotations

from typing import Optional

from openrec2.modules.interactions import FullMatrixWeightedMSE
from openrec2.recommenders.matrix_factorization import MatrixFactorization
from openrec2.validation import check_non_negative


class WRMF(MatrixFactorization):
    """Matrix factorisation ``<p_u, q_i> + b_i`` fitted to 1/0 preferences on every cell.

    Loss: ``sum_{u,i} c_ui (y_ui - s_ui)^2`` plus ``l2_reg`` on the looked-up factors and
    biases, with ``c_ui = a, y_ui = 1`` on observed cells and ``c_ui = b, y_ui = 0``
    elsewhere (see :class:`~openrec2.modules.interactions.FullMatrixWeightedMSE` for the
    Gram-matrix form). The hyper-parameter names ``a`` / ``b`` are OpenRec's (its tf2
    WRMF); Hu et al.'s ``alpha`` is ``a - 1`` with ``b = 1``.

    Training runs gradient steps through :class:`~openrec2.ModelTrainer` on batches of
    *observed cells* (:class:`~openrec2.utils.samplers.PositiveCellSampler`). Each row
    carries its user's share ``1 / n_u`` of that user's whole-row term ``b p_u^T G p_u``,
    so one pass over the observed cells is the whole loss exactly once, the epoch is the
    usual one (``#positives / batch_size`` steps) and every input has one row per
    example, as the trainer and the feeding checks expect. (Batches of users with all
    their items would need ragged per-user item lists as inputs.) Every step recomputes
    the ``(d + 1) x (d + 1)`` Gram matrix of all items, ``O(N d^2)``, and so updates every
    item row: the unobserved cells are where most of the item gradient comes from.

    Training inputs: ``user_id``, ``item_id`` (int32 ``[B]``), ``user_share`` (float32
    ``[B]``). Serving: ``user_id`` alone scores every item (``[B, max_item]``), ``user_id``
    + ``item_id`` scores those pairs (``[B]``).

    Args:
        batch_size: Observed cells per training batch.
        max_user: Number of users.
        max_item: Number of items.
        dim_embed: Size of the latent factors.
        test_batch_size: Users per serving call in evaluation.
        l2_reg: L2 weight on the looked-up factors and biases (per observed cell).
        opt: Optimiser name; ``'Adam'`` (lazy Adam) by default.
        lr: Learning rate.
        init_dict: Initial values by variable name (e.g. ``'user/embedding'``).
        sess_config: Session configuration.
        seed: Graph-level seed.
        a: Confidence of observed cells (>= 0); 2 ranked best on the ML-1M validation
            split among 2, 3, 5, 10 and 20 (``benchmarks/wrmf_ml1m.py``).
        b: Confidence of unobserved cells (>= 0).

    Raises:
        SettingError: ``a`` or ``b`` is not a number >= 0, or a setting of
            :class:`~openrec2.recommenders.MatrixFactorization` is invalid.
    """

    training_sampler = "PositiveCellSampler"
    training_item_inputs = ["item_id"]

    def __init__(self, batch_size: int, max_user: int, max_item: int, dim_embed: int = 20,
                 test_batch_size: Optional[int] = None, l2_reg: Optional[float] = None, opt: str = "Adam",
                 lr: Optional[float] = None, init_dict=None, sess_config=None, seed: Optional[int] = None,
                 a: float = 2.0, b: float = 1.0):
        scope = type(self).__name__.lower()
        self._a, self._b = (check_non_negative(value, name, scope) for name, value in (("a", a), ("b", b)))
        super().__init__(batch_size, max_user, max_item, dim_embed=dim_embed, test_batch_size=test_batch_size,
                         l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict, sess_config=sess_config, seed=seed)

    def _build_extra_inputs(self, train=True):
        if train:
            self._add_input("user_share", "float32", [None], train=True)

    def _build_training_interaction(self):
        item, item_bias = self._training_item("item_id")
        self._add_module("interaction", FullMatrixWeightedMSE(
            user=self._user(True), item=item, item_bias=item_bias,
            all_items=self._get_module("item_vec").embedding, all_item_bias=self._get_module("item_bias").embedding,
            user_share=self._get_input("user_share"), a=self._a, b=self._b))

    def _scoring_interaction(self, user, item, item_bias, all_items, scope):
        return FullMatrixWeightedMSE(user=user, item=item, item_bias=item_bias, a=self._a, b=self._b, train=False,
                                     batch_serving=all_items, scope=scope)
