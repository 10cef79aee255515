"""InterestEvolvingLayer: the interest evolving layer of DIEN (Zhou et al., "Deep
Interest Evolution Network for Click-Through Rate Prediction", AAAI 2019).

Target-aware attention over the interest states drives a second GRU, one of:

* ``'GRU'``: a plain GRU over the interests, its outputs pooled by attention;
* ``'AIGRU'``: the interests scaled by their attention before a plain GRU;
* ``'AGRU'``: attention replaces the update gate (:class:`AGRUCell`);
* ``'AUGRU'``: attention scales the update gate (:class:`AUGRUCell`), DIEN's choice.

The output is the final evolved interest (for ``'GRU'`` the attention-pooled outputs).
"""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.modules.checks import require_dims, require_tensor
from openrec2.modules.extractions.extraction import Extraction
from openrec2.modules.extractions.sequence_attention import SequenceAttLayer
from openrec2.modules.recurrent.agru_cell import AGRUCell
from openrec2.modules.recurrent.augru_cell import AUGRUCell
from openrec2.modules.recurrent.dynamic_gru import dynamic_gru
from openrec2.modules.recurrent.gru_cell import GRUCell
from openrec2.validation import check_choice

GRU_TYPES = ('AGRU', 'AUGRU', 'AIGRU', 'GRU')


class InterestEvolvingLayer(Extraction):
    """Evolve the interest states towards a target item.

    Outputs: ``[evolved_interest [B, H], attention [B, T]]``.

    Args:
        query: Float ``[B, H]`` target representation (same width as the interests).
        keys: Float ``[B, T, H]`` interest states.
        keys_length: Integer ``[B]`` real lengths.
        gru_type: One of ``'AGRU'``, ``'AUGRU'``, ``'AIGRU'``, ``'GRU'``.
        attention_mlp_dims: Hidden widths of the attention MLP.
        train: Training or serving graph.
        scope: Variable scope (default ``interest_evolving_layer``).
        reuse: Reuse flag.

    Raises:
        UnknownOptionError: Unknown ``gru_type``.
        ShapeError: ``query`` and ``keys`` widths differ.
    """

    def __init__(self, query, keys, keys_length, gru_type: str = 'AUGRU',
                 attention_mlp_dims: Sequence[int] = (80, 40), train: bool = True,
                 scope: Optional[str] = None, reuse=False):
        name = scope or 'interest_evolving_layer'
        check_choice(gru_type, 'gru_type', name, GRU_TYPES)
        self._query = require_tensor(query, name, 'query', ranks=[2], integer=False)
        self._keys = require_tensor(keys, name, 'keys', ranks=[3], integer=False)
        self._keys_length = require_tensor(keys_length, name, 'keys_length', ranks=[1], integer=True)
        self._gru_type = gru_type
        self._attention_mlp_dims = require_dims(attention_mlp_dims, name, 'attention_mlp_dims')
        super().__init__(train=train, scope=scope, reuse=reuse)

    def _attention(self, keys: tf.Tensor) -> tf.Tensor:
        return SequenceAttLayer(self._query, keys, self._keys_length, mlp_dims=self._attention_mlp_dims,
                                train=self._train, scope='attention').get_outputs()[0]

    def _build_shared_graph(self) -> None:
        width = int(self._keys.shape[-1])
        if self._gru_type == 'GRU':
            outputs, _ = dynamic_gru(GRUCell(width, width), self._keys, self._keys_length)
            attention = self._attention(outputs)
            evolved = tf.reduce_sum(outputs * attention[:, :, None], axis=1)
        else:
            attention = self._attention(self._keys)
            if self._gru_type == 'AIGRU':
                _, evolved = dynamic_gru(GRUCell(width, width), self._keys * attention[:, :, None],
                                         self._keys_length)
            else:
                cell_class = AGRUCell if self._gru_type == 'AGRU' else AUGRUCell
                _, evolved = dynamic_gru(cell_class(width, width), self._keys, self._keys_length,
                                         attention=attention)
        self._outputs.extend([evolved, attention])
