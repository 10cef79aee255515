"""ScorePairwiseLog (RecBole's ``ConvNCFBPRLoss``): the BPR loss over given scores.

The pairwise log loss of Rendle et al. (UAI 2009) as ConvNCF (He et al., IJCAI 2018)
uses it: the scores come from any scoring network, not from a dot product.
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_tensor
from openrec2.modules.interactions.interaction import Interaction


class ScorePairwiseLog(Interaction):
    """Loss ``sum_b softplus(negative_b - positive_b)`` = ``-sum log sigmoid(pos - neg)``.

    ``softplus`` never overflows, unlike ``log(1 + exp(.))`` (RecBole's form). The
    output is the score difference ``positive - negative`` (``[B]``).

    Args:
        positive: ``[B]`` scores of the positive items.
        negative: ``[B]`` scores of the negative items.
        scope: Variable scope (default ``score_pairwise_log``).
        reuse: Reuse flag.

    Raises:
        ShapeError: the scores are not 1-d, or their known lengths differ.
        DTypeError: the scores are not floating point.
    """

    def __init__(self, positive, negative, scope: Optional[str] = None, reuse=False):
        name = scope or "score_pairwise_log"
        self._positive = require_tensor(positive, name, "positive", ranks=[1], integer=False)
        self._negative = require_tensor(negative, name, "negative", ranks=[1], integer=False)
        lengths = (self._positive.shape.as_list()[0], self._negative.shape.as_list()[0])
        if None not in lengths and lengths[0] != lengths[1]:
            raise ShapeError(scoped(name, (
                f"`positive` and `negative` must be aligned, got {lengths[0]} and {lengths[1]} scores.")))
        super().__init__(train=True, scope=scope, reuse=reuse)

    def _build_training_graph(self) -> None:
        difference = self._positive - self._negative
        self._loss += tf.reduce_sum(tf.nn.softplus(-difference))
        self._outputs.append(difference)


#: RecBole's name for the same loss.
ConvNCFBPRLoss = ScorePairwiseLog
