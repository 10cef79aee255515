"""Explicit sampler: one pass over a dataset's labelled rows (e.g. ratings for a
regression loss), then ``StopIteration``.
"""

from __future__ import annotations

import math
from typing import Optional

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.sampler import Batch, Sampler
from openrec2.validation import check_bool

_SHUFFLE_STREAM = 0x5AFF  # tags the seed stream of the pass order, apart from batch streams


class ExplicitSampler(Sampler):
    """Every row of the dataset exactly once as ``{'user_id', 'item_id'}`` int32 / ``'label'`` float32.

    Batches hold ``batch_size`` rows except possibly the last one. Without ``shuffle``
    rows come in dataset order; with it, in a permutation seeded by ``seed``.

    Args:
        dataset: Dataset with a ``label`` field.
        batch_size: Rows per batch.
        shuffle: Whether to visit the rows in a seeded random order.
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the order.
        prefetch: Batches made ahead.
        chronological: Legacy OpenRec's setting: True visits the rows in dataset order
            (``shuffle=False``), False in a seeded random order; it overrides ``shuffle``.

    Raises:
        DataError: The dataset has no ``label`` field.
    """

    def __init__(self, dataset: Dataset, batch_size: int, shuffle: bool = False, num_process: int = 1,
                 seed: int = 100, prefetch: int = 8, chronological: Optional[bool] = None) -> None:
        super().__init__(dataset, batch_size, num_process=num_process, seed=seed, prefetch=prefetch)
        if chronological is not None:  # the legacy name: chronological = dataset order, else shuffled
            shuffle = not check_bool(chronological, 'chronological', self.scope)
        if 'label' not in self.dataset.data.dtype.names:
            raise DataError(scoped(self.scope, (
                f"dataset {self.dataset.name!r} has no 'label' field; ExplicitSampler feeds the labels. "
                'Add a label field, or use PairwiseSampler / StratifiedPointwiseSampler for implicit data.')))
        self.shuffle = bool(shuffle)
        rows = len(self.dataset)
        self._order = (np.random.default_rng([self.seed, _SHUFFLE_STREAM]).permutation(rows) if self.shuffle
                       else np.arange(rows))

    @property
    def batches_per_epoch(self) -> int:
        """Batches in the single pass: ``ceil(len(dataset) / batch_size)``."""
        return math.ceil(len(self.dataset) / self.batch_size)

    def _num_batches(self) -> Optional[int]:
        return self.batches_per_epoch

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        rows = self._order[index * self.batch_size:(index + 1) * self.batch_size]
        data = self.dataset.data
        return {'user_id': data['user_id'][rows].astype(np.int32),
                'item_id': data['item_id'][rows].astype(np.int32),
                'label': data['label'][rows].astype(np.float32)}
