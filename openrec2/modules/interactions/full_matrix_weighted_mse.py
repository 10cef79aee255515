"""FullMatrixWeightedMSE: confidence-weighted squared error over every user-item cell,
computed from observed cells and a Gram matrix (the loss of WRMF, Hu, Koren and
Volinsky, "Collaborative Filtering for Implicit Feedback Datasets", ICDM 2008).
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, scoped
from openrec2.modules.checks import optional_matrix, require_tensor
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.scoring import all_item_scores, pair_scores
from openrec2.validation import check_non_negative


def with_bias_column(factors: tf.Tensor, bias: Optional[tf.Tensor], fill_ones: bool) -> tf.Tensor:
    """Append the bias as one more latent column, so ``<p', q'> = <p, q> + b_i``.

    Args:
        factors: ``[n, d]`` user or item factors.
        bias: ``[n]`` / ``[n, 1]`` item biases, or None (no column is added).
        fill_ones: Users' side: append a column of ones instead of ``bias``.

    Returns:
        ``[n, d + 1]`` (or ``factors`` itself when ``bias`` is None).
    """
    if bias is None:
        return factors
    column = tf.ones_like(factors[:, :1]) if fill_ones else tf.reshape(bias, [-1, 1])
    return tf.concat([factors, column], axis=1)


class FullMatrixWeightedMSE(Interaction):
    """Weighted squared error of ``s_ui = <p_u, q_i> + b_i`` against 1 (observed) / 0 (not), on all cells.

    The loss over the whole matrix is ``sum_{u,i} c_ui (y_ui - s_ui)^2`` with ``c_ui = a``,
    ``y_ui = 1`` on observed cells and ``c_ui = b``, ``y_ui = 0`` elsewhere. It is never
    formed cell by cell. Written as ``b * sum_{u,i} s_ui^2`` plus a correction on the
    observed cells, ``a (1 - s_ui)^2 - b s_ui^2``, its first part is, per user,
    ``b * p_u^T G p_u`` with the item Gram matrix ``G = Q^T Q`` (``d x d``, biases as one
    more column), so the cost is ``O(N d^2)`` for ``N`` items instead of ``O(U N d)``.

    A training batch is a set of observed cells; each carries ``user_share``, the share
    of its user's whole-row term it accounts for (``1 / n_u`` for a user with ``n_u``
    observed cells, see :class:`~openrec2.utils.samplers.PositiveCellSampler`), so that
    the sum over all observed cells is the full loss exactly. The batch loss is the sum
    over its rows (the scale of :class:`PointwiseMSE`).

    Serving scores every item (``item`` holds all items, ``batch_serving=True``) or the
    aligned pairs, like :class:`PointwiseMSE`.

    Args:
        user: ``[B, d]`` user representations (of the observed cells in training).
        item: ``[B, d]`` item representations of the observed cells, or ``[N, d]`` all
            items (serving).
        item_bias: ``[B]``/``[B, 1]`` (or ``[N]``/``[N, 1]``) item biases, or None.
        all_items: Training: ``[N, d]`` representations of every item (the Gram matrix).
        all_item_bias: Training: ``[N]``/``[N, 1]`` biases of every item (with ``item_bias``).
        user_share: Training: ``[B]`` share of the row's user's whole-row term.
        a: Confidence of observed cells (Hu et al.'s ``1 + alpha``).
        b: Confidence of unobserved cells (1 in Hu et al.).
        train: Training or serving graph.
        batch_serving: Serving only: score every item (``[B, N]``) or aligned pairs (``[B]``).
        scope: Variable scope (default ``full_matrix_weighted_mse``).
        reuse: Reuse flag.

    Raises:
        MissingInputError: Training without ``all_items`` or ``user_share``, or with
            only one of ``item_bias`` and ``all_item_bias``.
        SettingError: ``a`` or ``b`` is not a number >= 0.
    """

    def __init__(self, user, item, item_bias=None, all_items=None, all_item_bias=None, user_share=None,
                 a: float = 1.0, b: float = 1.0, train: bool = True, batch_serving: bool = True,
                 scope: Optional[str] = None, reuse=False):
        name = scope or "full_matrix_weighted_mse"
        self._user = require_tensor(user, name, "user", ranks=[2], integer=False)
        self._item = require_tensor(item, name, "item", ranks=[2], integer=False)
        self._item_bias = item_bias
        self._all_items = optional_matrix(all_items, name, "all_items")
        self._all_item_bias = all_item_bias
        self._user_share = None if user_share is None else tf.reshape(tf.cast(user_share, tf.float32), [-1])
        self._a, self._b = (check_non_negative(value, key, name) for key, value in (("a", a), ("b", b)))
        self._batch_serving = bool(batch_serving)
        if train:
            self._require_training_inputs(name)
        super().__init__(train=train, scope=scope, reuse=reuse)

    def _require_training_inputs(self, name: str) -> None:
        missing = [what for what, value in (("all_items", self._all_items), ("user_share", self._user_share))
                   if value is None]
        if (self._item_bias is None) != (self._all_item_bias is None):
            missing.append("item_bias and all_item_bias together (or neither)")
        if missing:
            raise MissingInputError(scoped(name, (
                f"training needs {', '.join(missing)}: the loss over unobserved cells is computed from every "
                "item's factors and each row's user_share.")))

    def _build_training_graph(self) -> None:
        scores = pair_scores(self._user, self._item, self._item_bias)
        observed = self._a * tf.square(1.0 - scores) - self._b * tf.square(scores)
        users = with_bias_column(self._user, self._all_item_bias, fill_ones=True)
        items = with_bias_column(self._all_items, self._all_item_bias, fill_ones=False)
        gram = tf.matmul(items, items, transpose_a=True)
        # p'^T G p' = sum over every item of s_ui^2, for each row's user.
        whole_row = tf.reduce_sum(tf.matmul(users, gram) * users, axis=1)
        self._loss += tf.reduce_sum(observed + self._b * self._user_share * whole_row)
        self._outputs.append(scores)

    def _build_serving_graph(self) -> None:
        if self._batch_serving:
            self._outputs.append(all_item_scores(self._user, self._item, self._item_bias))
        else:
            self._outputs.append(pair_scores(self._user, self._item, self._item_bias))
