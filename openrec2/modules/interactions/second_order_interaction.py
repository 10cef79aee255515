"""SecondOrderFeatureInteraction: the pairwise dot products of DLRM's feature vectors.

Naumov et al., "Deep Learning Recommendation Model for Personalization and
Recommendation Systems", 2019, section 2: the ``n`` vectors of an example (the bottom
MLP's output and one embedding per categorical feature, all of width ``d``) interact
through their dot products ``<x_a, x_b>``. Stacking them as ``X`` ``[B, n, d]`` gives
the Gram matrices ``X X^T`` ``[B, n, n]``; being symmetric, only the pairs ``a < b``
carry information (``a <= b`` with ``self_interaction``, adding the squared norms).
They are read off in a fixed order (row by row of the upper triangle), so feature ``k``
of the output always means the same pair.

The legacy OpenRec TF2 layer zeroed the lower triangle and then kept the strict upper
one, so without self interaction it returned only zeros; here the upper triangle is
read directly.
"""

from __future__ import annotations

from typing import Optional, Sequence, Union

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_tensor
from openrec2.modules.interactions.interaction import Interaction
from openrec2.validation import check_bool


def pair_indices(num_vectors: int, self_interaction: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The (row, column) pairs of the upper triangle of an ``n x n`` matrix, row by row.

    Args:
        num_vectors: ``n``.
        self_interaction: Include the diagonal.

    Returns:
        ``(rows, columns)``: int arrays of ``n (n - 1) / 2`` (``n (n + 1) / 2``) pairs.
    """
    return np.triu_indices(num_vectors, k=0 if self_interaction else 1)


class SecondOrderFeatureInteraction(Interaction):
    """Dot products of every pair of an example's feature vectors.

    Outputs: ``[interactions [B, P]]`` with ``P = n (n - 1) / 2`` (``n (n + 1) / 2``
    with ``self_interaction``); column ``k`` is ``<x_a, x_b>`` for the ``k``-th pair of
    :func:`pair_indices`. The module has no variables and adds no loss.

    Args:
        features: A list of ``n`` float ``[B, d]`` tensors (same ``d``) or one float
            ``[B, n, d]`` tensor.
        self_interaction: Also output each vector's dot product with itself (the
            legacy ``arch_interaction_itself``).
        train: Training or serving graph.
        scope: Variable scope (default ``second_order_feature_interaction``).
        reuse: Reuse flag.

    Raises:
        ShapeError: Fewer than two vectors without self interaction, widths that differ,
            or a tensor that is not 2-d (list items) / 3-d.
        DTypeError: A feature tensor is not floating point.
        SettingError: ``self_interaction`` is not a bool.
    """

    def __init__(self, features: Union[Sequence, tf.Tensor], self_interaction: bool = False, train: bool = True,
                 scope: Optional[str] = None, reuse=False):
        name = scope or self.default_scope_name()
        self._self_interaction = check_bool(self_interaction, 'self_interaction', name)
        self._stacked = self._stack(features, name)
        count = int(self._stacked.shape[1])
        if count < 2 and not self._self_interaction:
            raise ShapeError(scoped(name, f'pairwise interactions need at least two vectors, got {count}.'))
        self._rows, self._columns = pair_indices(count, self._self_interaction)
        super().__init__(train=train, scope=scope, reuse=reuse)

    @staticmethod
    def _stack(features, name: str) -> tf.Tensor:
        if isinstance(features, (list, tuple)):
            vectors = [require_tensor(one, name, f'features[{k}]', ranks=[2], integer=False)
                       for k, one in enumerate(features)]
            widths = sorted({int(v.shape[-1]) for v in vectors})
            if len(widths) > 1:
                raise ShapeError(scoped(name, f'every feature vector needs the same width for dot products, got '
                                              f'widths {widths}; project them to one width first.'))
            return tf.stack(vectors, axis=1)
        stacked = require_tensor(features, name, 'features', ranks=[3], integer=False)
        if stacked.shape[1] is None or stacked.shape[2] is None:
            raise ShapeError(scoped(name, f'features [B, n, d] needs known n and d, got {stacked.shape}.'))
        return stacked

    def _build_shared_graph(self) -> None:
        count = int(self._stacked.shape[1])
        gram = tf.matmul(self._stacked, self._stacked, transpose_b=True)  # [B, n, n]
        flat = tf.reshape(gram, [-1, count * count])
        # Entry (a, b) of the flattened Gram matrix sits at a * n + b.
        self._outputs.append(tf.gather(flat, self._rows * count + self._columns, axis=1))

    @property
    def num_pairs(self) -> int:
        """Width ``P`` of the output."""
        return int(self._rows.size)
