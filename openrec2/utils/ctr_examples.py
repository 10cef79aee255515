"""Labelled click-through-rate examples with dense and categorical features.

A :class:`CTRExamples` holds one row per shown (user, item) pair: a 0/1 ``label``, a
float32 matrix of ``dense`` features and an integer matrix of ``sparse`` (categorical)
features whose column ``j`` takes ids in ``[0, cardinalities[j])``. This is the input
of feature-interaction CTR models such as DLRM (Naumov et al., "Deep Learning
Recommendation Model for Personalization and Recommendation Systems", 2019), which give
each categorical column its own embedding table. The ``user_id`` / ``item_id`` of each
row travel with it, so the rows are also an interaction :class:`Dataset` (what the
sampler base class and the popularity baseline read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional, Sequence

import numpy as np

from openrec2.errors import DataError, ShapeError, scoped
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.validation import check_int, check_int_list

#: Batch keys of the feature inputs (the names CTR models declare).
DENSE_KEY, SPARSE_KEY, LABEL_KEY = 'dense_features', 'sparse_features', 'label'


@dataclass
class CTRExamples:
    """Rows of labelled CTR examples.

    Attributes:
        name: Name, e.g. ``'ml-100k-ctr/train'`` (evaluations take the last part).
        user_id: int64 ``[n]`` user of each row.
        item_id: int64 ``[n]`` item of each row.
        label: float32 ``[n]`` labels in {0, 1}.
        dense: float32 ``[n, D]`` dense features (``D`` may be 0).
        sparse: int32 ``[n, C]`` categorical ids, column ``j`` in ``[0, cardinalities[j])``.
        cardinalities: ``C`` ints, the id range of every categorical column.
        max_user: Number of user ids.
        max_item: Number of item ids.
        dense_names: ``D`` names of the dense columns.
        sparse_names: ``C`` names of the categorical columns.

    Raises:
        SettingError: A cardinality, ``max_user`` or ``max_item`` that is not a positive integer.
        ShapeError: The arrays disagree in length, or names / cardinalities in width.
        DataError: A label is not 0/1, a dense value is not finite, or an id lies out of
            its range.
    """

    name: str
    user_id: np.ndarray
    item_id: np.ndarray
    label: np.ndarray
    dense: np.ndarray
    sparse: np.ndarray
    cardinalities: Sequence[int]
    max_user: int
    max_item: int
    dense_names: Optional[list] = None
    sparse_names: Optional[list] = None
    metadata: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        scope = f'CTRExamples {self.name!r}'
        self.user_id = np.asarray(self.user_id, dtype=np.int64).ravel()
        self.item_id = np.asarray(self.item_id, dtype=np.int64).ravel()
        self.label = np.asarray(self.label, dtype=np.float32).ravel()
        self.dense = np.asarray(self.dense, dtype=np.float32)
        self.sparse = np.asarray(self.sparse)
        self.cardinalities = tuple(check_int_list(self.cardinalities, 'cardinalities', scope, allow_empty=True))
        check_int(self.max_user, 'max_user', scope)
        check_int(self.max_item, 'max_item', scope)
        rows = {'user_id': len(self.user_id), 'item_id': len(self.item_id), 'label': len(self.label),
                'dense': len(self.dense), 'sparse': len(self.sparse)}
        if len(set(rows.values())) != 1 or self.dense.ndim != 2 or self.sparse.ndim != 2:
            raise ShapeError(scoped(scope, f'user_id, item_id, label need one row per example and dense / sparse '
                                           f'must be 2-d matrices with as many rows; got rows {rows}, dense '
                                           f'{self.dense.shape}, sparse {self.sparse.shape}.'))
        if self.sparse.shape[1] != len(self.cardinalities):
            raise ShapeError(scoped(scope, f'{self.sparse.shape[1]} categorical columns but '
                                           f'{len(self.cardinalities)} cardinalities; give one per column.'))
        self.dense_names = list(self.dense_names or [f'dense{j}' for j in range(self.dense.shape[1])])
        self.sparse_names = list(self.sparse_names or [f'sparse{j}' for j in range(self.sparse.shape[1])])
        if len(self.dense_names) != self.dense.shape[1] or len(self.sparse_names) != self.sparse.shape[1]:
            raise ShapeError(scoped(scope, 'dense_names / sparse_names need one name per column.'))
        self._check_values(scope)
        self.sparse = self.sparse.astype(np.int32)

    def _check_values(self, scope: str) -> None:
        if not np.isin(self.label, (0.0, 1.0)).all():
            raise DataError(scoped(scope, 'labels must be 0 or 1; binarise them first (e.g. rating >= 4).'))
        if not np.isfinite(self.dense).all():
            raise DataError(scoped(scope, 'dense features hold NaN or infinity; fill or drop those values.'))
        if not np.issubdtype(self.sparse.dtype, np.integer):
            raise DataError(scoped(scope, f'sparse features must be integer ids, got dtype {self.sparse.dtype}.'))
        if len(self):
            low, high = self.sparse.min(axis=0), self.sparse.max(axis=0)
            bad = [self.sparse_names[j] for j in range(len(self.cardinalities))
                   if low[j] < 0 or high[j] >= self.cardinalities[j]]
            if bad:
                raise DataError(scoped(scope, f'categorical column(s) {bad} hold ids outside [0, cardinality); '
                                              'remap them to 0-based ids or raise the cardinalities.'))

    def __len__(self) -> int:
        return int(self.label.size)

    def __repr__(self) -> str:
        return (f'CTRExamples(name={self.name!r}, rows={len(self)}, dense={self.dense.shape[1]}, '
                f'sparse={list(self.cardinalities)}, positive_rate={self.label.mean() if len(self) else 0:.3f})')

    @property
    def num_dense(self) -> int:
        """Number of dense feature columns."""
        return int(self.dense.shape[1])

    def inputs(self, rows: Optional[np.ndarray] = None) -> dict[str, np.ndarray]:
        """The model inputs of some rows (all by default), keyed as CTR models name them.

        Args:
            rows: Row indices, or None for every row.

        Returns:
            ``{'dense_features': float32 [r, D], 'sparse_features': int32 [r, C], 'label': float32 [r]}``.
        """
        pick = slice(None) if rows is None else rows
        return {DENSE_KEY: self.dense[pick], SPARSE_KEY: self.sparse[pick], LABEL_KEY: self.label[pick]}

    @cached_property
    def interactions(self) -> ImplicitDataset:
        """The rows as an interaction dataset (``user_id``, ``item_id``, ``label``; positives = clicks)."""
        return ImplicitDataset(make_interactions(self.user_id, self.item_id, label=self.label), self.max_user,
                               self.max_item, name=self.name)
