"""AGRU: a GRU whose update gate is replaced by an attention score (Zhou et al., "Deep
Interest Evolution Network for Click-Through Rate Prediction", AAAI 2019)::

    h' = (1 - a) * h + a * h~

so a behaviour with attention 0 leaves the interest state unchanged.
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.recurrent.gru_cell import GRUCell


class AGRUCell(GRUCell):
    """GRU with attentional gate (the attention score is the update gate).

    Takes the arguments of :class:`GRUCell` (default scope ``agru_cell``).
    """

    def update_gate(self, update: tf.Tensor, attention: Optional[tf.Tensor]) -> tf.Tensor:
        """The attention score itself (the GRU update gate is ignored).

        See :meth:`GRUCell.update_gate`; ``attention`` is required here.
        """
        return self._require_attention(attention)
