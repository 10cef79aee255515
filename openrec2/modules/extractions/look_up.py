"""LookUp: a fixed (non-trainable) embedding matrix, looked up by ids."""

from __future__ import annotations

from typing import Optional

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.array_initializer import array_initializer
from openrec2.modules.checks import require_tensor
from openrec2.modules.extractions.extraction import Extraction


class LookUp(Extraction):
    """Look rows up in a fixed embedding matrix (for example pre-computed features).

    The matrix is stored in a non-trainable variable, so it is saved with the model
    and no gradient ever changes it. A matrix over 64 MB is fed when the variable is
    initialised instead of being stored in the graph (see
    :mod:`openrec2.modules.array_initializer`), so its size is limited by memory only.

    Args:
        embed: 2-d numpy array ``[rows, dim]``.
        ids: Integer tensor of row ids, or None to output the whole matrix.
        scope: Variable scope (default ``look_up``).
        reuse: Share the matrix of an earlier LookUp with the same scope.

    Raises:
        ShapeError: ``embed`` is not 2-d.
        DTypeError: ``ids`` is not integer.
    """

    def __init__(self, embed: np.ndarray, ids=None, scope: Optional[str] = None, reuse=False):
        embed = np.asarray(embed, dtype=np.float32)
        if embed.ndim != 2:
            raise ShapeError(scoped(scope or "look_up", (
                f"`embed` must be a 2-d array [rows, dim], got shape {embed.shape}.")))
        self._embed = embed
        self._ids = None if ids is None else require_tensor(ids, scope or "look_up", "ids", integer=True)
        super().__init__(train=True, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        self._embedding = tf.get_variable(
            "embedding", shape=self._embed.shape, dtype=tf.float32, trainable=False,
            initializer=array_initializer(self._embed))
        table = tf.stop_gradient(self._embedding)  # fixed: no gradient ever reaches it
        self._outputs.append(table if self._ids is None else tf.gather(table, self._ids))
