"""AUGRU: a GRU whose update gate is scaled by an attention score (Zhou et al., "Deep
Interest Evolution Network for Click-Through Rate Prediction", AAAI 2019)::

    u' = a * u
    h' = (1 - u') * h + u' * h~

so a behaviour with attention 0 leaves the interest state unchanged, while the update
gate still decides, dimension by dimension, how much the relevant ones change it.
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.recurrent.gru_cell import GRUCell


class AUGRUCell(GRUCell):
    """GRU with attentional update gate.

    Takes the arguments of :class:`GRUCell` (default scope ``augru_cell``).
    """

    def update_gate(self, update: tf.Tensor, attention: Optional[tf.Tensor]) -> tf.Tensor:
        """The GRU update gate scaled by the attention score.

        See :meth:`GRUCell.update_gate`; ``attention`` is required here.
        """
        return self._require_attention(attention) * update
