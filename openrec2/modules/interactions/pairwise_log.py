"""PairwiseLog: the BPR loss (Rendle et al., UAI 2009) and dot-product scores."""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.checks import optional_matrix, require_item_inputs
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.scoring import all_item_scores, pair_scores


class PairwiseLog(Interaction):
    """Bayesian personalised ranking: ``-log sigmoid(s(u, i+) - s(u, i-))``.

    Scores are ``<u, i> + b_i``. In training the loss is summed over the batch and
    computed as ``softplus(s- - s+)``, which never overflows (unlike
    ``log(1 + exp(.))``). At serving time it scores every item when ``item`` (the whole
    item table) is given (``[B, N]``), else the pairs ``(user, p_item)`` (``[B]``).

    Args:
        user: ``[B, d]`` user representations.
        p_item, n_item: ``[B, d]`` positive / negative item representations (training).
        p_item_bias, n_item_bias: their biases ``[B]`` or ``[B, 1]`` (optional).
        item: ``[N, d]`` all item representations (serving, all-item scores).
        item_bias: ``[N]`` or ``[N, 1]`` biases of all items.
        train: Training or serving graph.
        scope: Variable scope (default ``pairwise_log``).
        reuse: Reuse flag.

    Raises:
        MissingInputError: training without ``p_item``/``n_item``, or serving without
            ``item`` or ``p_item``.
        ShapeError: a representation is not 2-d.
    """

    def __init__(self, user, p_item=None, n_item=None, p_item_bias=None, n_item_bias=None,
                 item=None, item_bias=None, train: bool = True, scope: Optional[str] = None,
                 reuse=False):
        name = scope or "pairwise_log"
        self._user = optional_matrix(user, name, "user")
        self._p_item, self._n_item, self._item = require_item_inputs(p_item, n_item, item, train, name)
        self._p_item_bias, self._n_item_bias, self._item_bias = p_item_bias, n_item_bias, item_bias
        super().__init__(train=train, scope=scope, reuse=reuse)

    def _build_training_graph(self) -> None:
        positive = pair_scores(self._user, self._p_item, self._p_item_bias)
        negative = pair_scores(self._user, self._n_item, self._n_item_bias)
        self._loss += tf.reduce_sum(tf.nn.softplus(negative - positive))
        self._outputs.append(positive - negative)

    def _build_serving_graph(self) -> None:
        if self._item is not None:
            self._outputs.append(all_item_scores(self._user, self._item, self._item_bias))
        else:
            self._outputs.append(pair_scores(self._user, self._p_item, self._p_item_bias))
