"""InterestExtractorNetwork: the interest extractor layer of DIEN (Zhou et al., "Deep
Interest Evolution Network for Click-Through Rate Prediction", AAAI 2019).

A GRU runs over the embedded behaviours; its state ``h_t`` is the interest after
behaviour ``t``. The auxiliary loss asks ``h_t`` to tell the next real behaviour
``e_{t+1}`` from a sampled behaviour the user never had, with a small MLP on
``[h_t, e]`` and binary cross-entropy averaged over the real transitions only.
"""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_dims, require_tensor
from openrec2.modules.extractions.extraction import Extraction
from openrec2.modules.extractions.multi_layer_fc import MultiLayerFC
from openrec2.modules.recurrent.dynamic_gru import dynamic_gru
from openrec2.modules.recurrent.gru_cell import GRUCell


class InterestExtractorNetwork(Extraction):
    """GRU interest states of a behaviour sequence, with DIEN's auxiliary loss.

    Outputs: ``[interests]`` of shape ``[B, T, hidden_size]`` (zero at padding). In the
    training graph, when ``noclick_seq`` is given, the loss is ``aux_weight *``
    :meth:`auxiliary_loss` of the behaviours.

    Args:
        click_seq: Float ``[B, T, D]`` embedded behaviours, left-aligned.
        keys_length: Integer ``[B]`` real lengths.
        hidden_size: Width of the interest states.
        noclick_seq: Float ``[B, T, D]`` embedded negative behaviours (training only).
        aux_weight: Weight of the auxiliary loss in the module loss (DIEN's ``alpha``).
        aux_mlp_dims: Hidden widths of the auxiliary classifier.
        train: Training or serving graph.
        scope: Variable scope (default ``interest_extractor_network``).
        reuse: Reuse flag.

    Raises:
        ShapeError: ``noclick_seq`` differs in width from ``click_seq``.
    """

    def __init__(self, click_seq, keys_length, hidden_size: int, noclick_seq=None, aux_weight: float = 1.0,
                 aux_mlp_dims: Sequence[int] = (100, 50), train: bool = True, scope: Optional[str] = None,
                 reuse=False):
        name = scope or 'interest_extractor_network'
        self._click_seq = require_tensor(click_seq, name, 'click_seq', ranks=[3], integer=False)
        self._keys_length = require_tensor(keys_length, name, 'keys_length', ranks=[1], integer=True)
        self._noclick_seq = None if noclick_seq is None else require_tensor(
            noclick_seq, name, 'noclick_seq', ranks=[3], integer=False)
        if self._noclick_seq is not None and int(self._noclick_seq.shape[-1]) != int(self._click_seq.shape[-1]):
            raise ShapeError(scoped(name, 'noclick_seq must have the width of click_seq.'))
        self._hidden_size = require_dims([hidden_size], name, 'hidden_size')[0]
        self._aux_weight = float(aux_weight)
        self._aux_mlp_dims = require_dims(aux_mlp_dims, name, 'aux_mlp_dims') + [1]
        super().__init__(train=train, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        cell = GRUCell(int(self._click_seq.shape[-1]), self._hidden_size)
        interests, _ = dynamic_gru(cell, self._click_seq, self._keys_length)
        self._outputs.append(interests)

    def _build_training_graph(self) -> None:
        if self._noclick_seq is not None and self._aux_weight:
            self._loss += self._aux_weight * self.auxiliary_loss(
                self._outputs[0], self._click_seq, self._noclick_seq, self._keys_length)

    def auxiliary_loss(self, h_states: tf.Tensor, click_seq: tf.Tensor, noclick_seq: tf.Tensor,
                       keys_length: tf.Tensor) -> tf.Tensor:
        """Mean cross-entropy of telling next behaviours from negative ones.

        Transition ``t`` (state ``h_t`` against behaviours ``t + 1``) counts when
        ``t + 1 < keys_length``; padded positions never contribute.

        Args:
            h_states: ``[B, T, H]`` interest states.
            click_seq: ``[B, T, D]`` embedded real behaviours.
            noclick_seq: ``[B, T, D]`` embedded negative behaviours.
            keys_length: ``[B]`` real lengths.

        Returns:
            A scalar: summed positive and negative cross-entropy per real transition
            (0 when there is none).
        """
        with tf.variable_scope(self._variable_scope, reuse=tf.AUTO_REUSE):
            states = h_states[:, :-1, :]
            transitions = tf.sequence_mask(keys_length - 1, tf.shape(states)[1], dtype=tf.float32)
            width = int(states.shape[-1]) + int(click_seq.shape[-1])
            pairs = tf.concat([tf.concat([states, click_seq[:, 1:, :]], axis=2),
                               tf.concat([states, noclick_seq[:, 1:, :]], axis=2)], axis=0)
            classifier = MultiLayerFC(tf.reshape(pairs, [-1, width]), self._aux_mlp_dims, train=self._train,
                                      scope='auxiliary_net', reuse=tf.AUTO_REUSE)
            logits = tf.reshape(classifier.get_outputs()[0], tf.shape(pairs)[:2])
            labels = tf.concat([tf.ones_like(transitions), tf.zeros_like(transitions)], axis=0)
            entropy = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
            mask = tf.concat([transitions, transitions], axis=0)
            return tf.reduce_sum(entropy * mask) / tf.maximum(tf.reduce_sum(transitions), 1.0)
