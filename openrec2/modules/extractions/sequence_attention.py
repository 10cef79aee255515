"""SequenceAttLayer: target-aware attention over a behaviour sequence, as in DIN (Zhou et
al., "Deep Interest Network for Click-Through Rate Prediction", KDD 2018) and DIEN (Zhou
et al., "Deep Interest Evolution Network for Click-Through Rate Prediction", AAAI 2019).

For query ``q`` and key ``k_t`` a small MLP scores ``[q, k_t, q - k_t, q * k_t]``;
padded positions get ``-inf`` before the softmax over time, so they receive exactly zero
weight and the real positions' weights sum to one.
"""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_dims, require_tensor
from openrec2.modules.extractions.extraction import Extraction
from openrec2.modules.layers import dense
from openrec2.validation import check_choice

ACTIVATIONS = {'sigmoid': tf.sigmoid, 'relu': tf.nn.relu, 'tanh': tf.tanh}


class SequenceAttLayer(Extraction):
    """Attention weights ``[B, T]`` of the keys for each query.

    Outputs: ``[weights]``; rows of sequences with length 0 are all zero.

    Args:
        query: Float ``[B, D]`` (e.g. the target item embedding).
        keys: Float ``[B, T, D]`` (behaviour embeddings or interest states).
        keys_length: Integer ``[B]`` real lengths; later positions are padding.
        mlp_dims: Hidden widths of the scoring MLP (a final width-1 layer is added).
        activation: ``'sigmoid'`` (DIN's choice), ``'relu'`` or ``'tanh'``.
        softmax: Normalise with a masked softmax (else output the raw masked scores).
        train: Training or serving graph.
        scope: Variable scope (default ``sequence_att_layer``).
        reuse: Reuse flag.

    Raises:
        ShapeError: Ranks or widths of ``query`` and ``keys`` disagree.
        UnknownOptionError: Unknown ``activation``.
    """

    def __init__(self, query, keys, keys_length, mlp_dims: Sequence[int] = (80, 40),
                 activation: str = 'sigmoid', softmax: bool = True, train: bool = True,
                 scope: Optional[str] = None, reuse=False):
        name = scope or 'sequence_att_layer'
        self._query = require_tensor(query, name, 'query', ranks=[2], integer=False)
        self._keys = require_tensor(keys, name, 'keys', ranks=[3], integer=False)
        self._keys_length = require_tensor(keys_length, name, 'keys_length', ranks=[1], integer=True)
        if int(self._query.shape[-1]) != int(self._keys.shape[-1]):
            raise ShapeError(scoped(name, (
                f'query width {int(self._query.shape[-1])} differs from key width {int(self._keys.shape[-1])}; '
                'project one of them first.')))
        self._mlp_dims = require_dims(mlp_dims, name, 'mlp_dims')
        self._activation = ACTIVATIONS[check_choice(activation, 'activation', name, sorted(ACTIVATIONS))]
        self._softmax = bool(softmax)
        super().__init__(train=train, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        steps = tf.shape(self._keys)[1]
        queries = tf.tile(self._query[:, None, :], [1, steps, 1])
        hidden = tf.concat([queries, self._keys, queries - self._keys, queries * self._keys], axis=2)
        for index, width in enumerate(self._mlp_dims):
            hidden = self._activation(dense(hidden, width, scope=f'layer{index}'))
        scores = tf.squeeze(dense(hidden, 1, scope='score'), axis=2)  # [B, T]
        real = tf.sequence_mask(self._keys_length, steps)
        if self._softmax:
            # exp(-1e30 - max) is exactly 0 in float32: padding gets no weight at all.
            weights = tf.nn.softmax(tf.where(real, scores, tf.fill(tf.shape(scores), -1e30)), axis=1)
        else:
            weights = scores
        # Rows without a real position (uniform after the softmax) become all zero.
        weights = tf.where(real, weights, tf.zeros_like(weights))
        self._outputs.append(weights)
