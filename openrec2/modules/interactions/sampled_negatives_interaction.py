"""Base of the interactions that weigh a positive by its estimated rank among K negatives.

NsLog (NBPR) and NSEuDist (WCML) train on a positive and ``K`` sampled negatives per row
(``n_item`` is ``[B, K, d]``, as :class:`~openrec2.utils.samplers.NPairwiseSampler`
batches give it), weigh each row by the WARP estimate of the positive's rank
(:func:`~openrec2.modules.interactions.rank_weights.warp_rank_weights`) and serve like
their pairwise counterparts. Arguments follow legacy OpenRec's order; pass them by
keyword.
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, scoped
from openrec2.modules.checks import optional_matrix, require_tensor
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.rank_weights import warp_rank_weights
from openrec2.validation import check_int


class SampledNegativesInteraction(Interaction):
    """Rank-weighted loss over ``K`` negatives per positive; pairwise scores to serve.

    Subclasses set :meth:`_scores` (aligned rows of any leading shape),
    :meth:`_all_item_scores` and :meth:`_weighted_loss`.

    Args:
        user: ``[B, d]`` user representations.
        max_item: Number of items (the rank estimate's scale).
        item, item_bias: All items and their biases (serving, ``[B, N]`` scores).
        p_item, p_item_bias: ``[B, d]`` positives and their biases (training; at serving
            time, the items of scored pairs).
        neg_num: Negatives per row ``K`` (taken from ``n_item`` when its shape says).
        n_item: ``[B, K, d]`` negatives (training).
        n_item_bias: ``[B, K]`` or ``[B, K, 1]`` their biases (optional).
        train: Training or serving graph.
        scope: Variable scope.
        reuse: Reuse flag.

    Raises:
        MissingInputError: a missing training or serving input.
        ShapeError: ``n_item`` is not ``[B, K, d]``.
        SettingError: bad ``max_item`` / ``neg_num`` (the number of negatives is taken
            from ``n_item``'s shape when it is known).
    """

    def __init__(self, user, max_item: int, item=None, item_bias=None, p_item=None, p_item_bias=None,
                 neg_num: int = 5, n_item=None, n_item_bias=None, train: bool = True, scope: Optional[str] = None,
                 reuse=False):
        name = scope or self.default_scope_name()
        self._max_item = check_int(max_item, "max_item", name)
        self._user = optional_matrix(user, name, "user")
        self._item, self._p_item = optional_matrix(item, name, "item"), optional_matrix(p_item, name, "p_item")
        self._item_bias, self._p_item_bias, self._n_item_bias = item_bias, p_item_bias, n_item_bias
        self._n_item = None if n_item is None else require_tensor(n_item, name, "n_item", ranks=[3], integer=False)
        if train and (self._p_item is None or self._n_item is None):
            raise MissingInputError(scoped(name, "training needs `p_item` [B, d] and `n_item` [B, K, d]."))
        if not train and self._item is None and self._p_item is None:
            raise MissingInputError(scoped(name, "serving needs `item` (all items) or `p_item` (pairs)."))
        known = None if self._n_item is None else self._n_item.shape[1]
        # The negatives' own shape says how many there are; ``neg_num`` is for unknown shapes.
        self._neg_num = check_int(int(known) if known is not None else neg_num, "neg_num", name)
        super().__init__(train=train, scope=scope, reuse=reuse)

    def _scores(self, user: tf.Tensor, item: tf.Tensor, bias) -> tf.Tensor:
        """Scores of aligned rows (any leading shape)."""
        raise NotImplementedError

    def _all_item_scores(self, user: tf.Tensor, items: tf.Tensor, bias) -> tf.Tensor:
        """``[B, N]`` scores of every user against every item."""
        raise NotImplementedError

    def _weighted_loss(self, positive: tf.Tensor, negative: tf.Tensor) -> tf.Tensor:
        """Scalar loss of ``[B]`` positive and ``[B, K]`` negative scores."""
        raise NotImplementedError

    def _rank_weights(self, violations: tf.Tensor, sampled: Optional[int] = None) -> tf.Tensor:
        """WARP weights of rows with ``violations`` offending items among ``sampled`` (default
        the ``K`` negatives); no gradient flows through them."""
        return tf.stop_gradient(warp_rank_weights(violations, sampled or self._neg_num, self._max_item))

    def _build_training_graph(self) -> None:
        positive = self._scores(self._user, self._p_item, self._p_item_bias)
        negative = self._scores(self._user[:, None, :], self._n_item, self._n_item_bias)
        self._loss += self._weighted_loss(positive, negative)
        self._outputs.append(positive[:, None] - negative)

    def _build_serving_graph(self) -> None:
        if self._item is not None:
            self._outputs.append(self._all_item_scores(self._user, self._item, self._item_bias))
        else:
            self._outputs.append(self._scores(self._user, self._p_item, self._p_item_bias))
