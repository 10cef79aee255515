"""Base of the pairwise interactions: a loss on (positive, negative) scores, scores to serve.

PairwiseLog (BPR), PairwiseHinge and PairwiseEuDist differ only in how a (user, item)
pair is scored and how a positive and a negative score make a loss; everything else
(the inputs, their checks, serving every item or given pairs) is here. The argument
order is legacy OpenRec's: ``(user, item, item_bias, p_item, p_item_bias, n_item,
n_item_bias, ...)``; pass them by keyword.
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.checks import optional_matrix, require_item_inputs
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.scoring import all_item_scores, flat_bias, pair_scores
from openrec2.ops.pair_dot_difference import pair_dot_difference


class PairwiseInteraction(Interaction):
    """A loss on positive vs negative pair scores (training); scores (serving).

    Subclasses set :meth:`_pair_scores`, :meth:`_all_item_scores` (default: dot products
    plus biases) and :meth:`_difference_loss`. With the default dot-product scores the
    training difference is one fused kernel (:func:`~openrec2.ops.pair_dot_difference.pair_dot_difference`). In training the outputs are
    ``positive - negative`` score differences ``[B]``; at serving time the scores of every
    item ``[B, N]`` when ``item`` (all items) is given, else of the pairs ``(user, p_item)``
    ``[B]``.

    Args:
        user: ``[B, d]`` user representations.
        item: ``[N, d]`` representations of all items (serving, all-item scores).
        item_bias: ``[N]`` or ``[N, 1]`` biases of all items (optional).
        p_item: ``[B, d]`` positive items (training), or the items of scored pairs (serving).
        p_item_bias: Their biases ``[B]`` or ``[B, 1]`` (optional).
        n_item: ``[B, d]`` negative items (training).
        n_item_bias: Their biases (optional).
        train: Training or serving graph.
        scope: Variable scope.
        reuse: Reuse flag.

    Raises:
        MissingInputError: training without ``p_item``/``n_item``, or serving without
            ``item`` or ``p_item``.
        ShapeError: a representation is not 2-d.
    """

    def __init__(self, user, item=None, item_bias=None, p_item=None, p_item_bias=None, n_item=None,
                 n_item_bias=None, train: bool = True, scope: Optional[str] = None, reuse=False):
        name = scope or self.default_scope_name()
        self._user = optional_matrix(user, name, "user")
        self._p_item, self._n_item, self._item = require_item_inputs(p_item, n_item, item, train, name)
        self._p_item_bias, self._n_item_bias, self._item_bias = p_item_bias, n_item_bias, item_bias
        super().__init__(train=train, scope=scope, reuse=reuse)

    def _pair_scores(self, user: tf.Tensor, item: tf.Tensor, bias) -> tf.Tensor:
        """``[B]`` scores of aligned rows (dot product plus bias here)."""
        return pair_scores(user, item, bias)

    def _all_item_scores(self, user: tf.Tensor, items: tf.Tensor, bias) -> tf.Tensor:
        """``[B, N]`` scores of every user against every item."""
        return all_item_scores(user, items, bias)

    def _difference_loss(self, difference: tf.Tensor) -> tf.Tensor:
        """Scalar loss of the ``[B]`` score differences ``s(u, i+) - s(u, i-)``."""
        raise NotImplementedError

    def _score_difference(self) -> tf.Tensor:
        """``[B]`` positive minus negative scores of the training rows."""
        if type(self)._pair_scores is not PairwiseInteraction._pair_scores:
            return (self._pair_scores(self._user, self._p_item, self._p_item_bias)
                    - self._pair_scores(self._user, self._n_item, self._n_item_bias))
        difference = pair_dot_difference(self._user, self._p_item, self._n_item)
        for bias, sign in ((self._p_item_bias, 1.0), (self._n_item_bias, -1.0)):
            if bias is not None:
                difference += sign * tf.reshape(flat_bias(bias), tf.shape(difference))
        return difference

    def _build_training_graph(self) -> None:
        difference = self._score_difference()
        self._loss += self._difference_loss(difference)
        self._outputs.append(difference)

    def _build_serving_graph(self) -> None:
        if self._item is not None:
            self._outputs.append(self._all_item_scores(self._user, self._item, self._item_bias))
        else:
            self._outputs.append(self._pair_scores(self._user, self._p_item, self._p_item_bias))
