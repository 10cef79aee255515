"""CTRHead: the MLP head of DIN/DIEN-style click-through-rate models (Zhou et al., "Deep
Interest Evolution Network for Click-Through Rate Prediction", AAAI 2019).

Hidden layers ``dense -> Dice -> dropout`` then one logit; serving outputs the click
probability ``sigmoid(logit)``, training adds the mean binary cross-entropy against the
labels.
"""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.modules.checks import require_dims, require_labels, require_rate, require_tensor
from openrec2.modules.dice import Dice
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.layers import dense, dropout


class CTRHead(Interaction):
    """Click probability of concatenated example features.

    Outputs: ``[probabilities [B], logits [B]]``.

    Args:
        features: Float ``[B, d]`` example representation.
        hidden_dims: Widths of the hidden layers (each followed by Dice and dropout).
        labels: ``[B]`` 0/1 labels (training graph).
        dropout_prob: Drop probability after each hidden layer (training only).
        l2_reg: L2 weight on the layer weights.
        train: Training or serving graph.
        scope: Variable scope (default ``ctr_head``).
        reuse: Reuse flag.

    Raises:
        MissingInputError: Training without ``labels``.
        ShapeError: ``features`` is not 2-d or ``hidden_dims`` is invalid.
        UnknownOptionError: ``dropout_prob`` outside [0, 1).
    """

    def __init__(self, features, hidden_dims: Sequence[int], labels=None, dropout_prob: Optional[float] = None,
                 l2_reg: Optional[float] = None, train: bool = True, scope: Optional[str] = None, reuse=False):
        name = scope or 'ctr_head'
        self._features = require_tensor(features, name, 'features', ranks=[2], integer=False)
        self._hidden_dims = require_dims(hidden_dims, name, 'hidden_dims')
        self._dropout_prob = require_rate(dropout_prob, name, 'dropout_prob')
        self._labels = require_labels(labels, train, name)
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        hidden = self._features
        for index, width in enumerate(self._hidden_dims):
            hidden = dense(hidden, width, scope=f'layer{index}')
            hidden = Dice(hidden, train=self._train, scope=f'dice{index}').get_outputs()[0]
            hidden = dropout(hidden, self._dropout_prob, self._train)
        self._logits = tf.reshape(dense(hidden, 1, scope='logit'), [-1])
        self._outputs.extend([tf.sigmoid(self._logits), self._logits])
        self._add_l2_on_weights()

    def _build_training_graph(self) -> None:
        self._loss += tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=self._labels, logits=self._logits))
