"""SequenceAverage: the mean of a padded sequence of vectors over its real steps only.

The pooling of a watch history in Covington, Adams and Sargin, "Deep Neural Networks
for YouTube Recommendations", RecSys 2016: the embeddings of the watched items are
averaged. Histories are padded to one length; the padded tail must not count, so the
sum of the real steps is divided by the real length (an empty history gives zeros).
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_tensor
from openrec2.modules.fusions.fusion import Fusion


class SequenceAverage(Fusion):
    """Average ``[B, L, D]`` step vectors over the first ``lengths[b]`` steps of each row.

    Outputs: ``[B, D]`` means (zero rows for ``lengths[b] == 0``).

    Args:
        sequence: Float tensor ``[B, L, D]`` (or a module whose first output is one).
        lengths: Integer tensor ``[B]`` of real lengths (``0 .. L``).
        scope: Variable scope (default ``sequence_average``).
        reuse: Reuse flag.

    Raises:
        ShapeError: ``sequence`` is not 3-d or ``lengths`` not 1-d.
        DTypeError: ``sequence`` is not floating point or ``lengths`` not integer.
    """

    def __init__(self, sequence, lengths, scope: Optional[str] = None, reuse=False):
        name = scope or 'sequence_average'
        self._lengths = require_tensor(lengths, name, 'lengths', ranks=[1], integer=True)
        super().__init__(module_list=[sequence], scope=scope, reuse=reuse)
        if len(self._inputs) != 1:
            raise ShapeError(scoped(name, f'pass one sequence tensor, got {len(self._inputs)}.'))

    def _build_shared_graph(self) -> None:
        sequence = require_tensor(self._inputs[0], self._scope, 'sequence', ranks=[3], integer=False)
        real = tf.sequence_mask(self._lengths, tf.shape(sequence)[1], dtype=sequence.dtype)[:, :, None]
        count = tf.maximum(tf.reduce_sum(real, axis=1), 1.0)
        self._outputs.append(tf.reduce_sum(sequence * real, axis=1) / count)
