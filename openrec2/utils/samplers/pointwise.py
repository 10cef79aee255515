"""Stratified pointwise sampler: labelled (user, item) rows with a fixed share of
positives per batch, for pointwise losses (e.g. the cross-entropy of GMF/NCF, He et
al., "Neural Collaborative Filtering", WWW 2017).
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.negatives import sample_negatives
from openrec2.utils.samplers.sampler import Batch, Sampler
from openrec2.validation import check_probability


class StratifiedPointwiseSampler(Sampler):
    """Endless stream of ``{'user_id', 'item_id'}`` int32 / ``'label'`` float32 batches.

    Each batch has exactly ``round(pos_ratio * batch_size)`` positives (uniform over the
    positive interactions, label 1) and the rest negatives (a uniform user with a
    positive, then a uniform non-positive item, label 0), in shuffled order.

    Args:
        dataset: Dataset to sample from.
        batch_size: Rows per batch.
        pos_ratio: Share of positives per batch, in ``[0, 1]``.
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.
        chronological: Legacy OpenRec's setting: True takes the positives in dataset
            order, one pass, then ends the stream (negatives as usual); False/None:
            uniform positives.

    Raises:
        SettingError: ``pos_ratio`` outside ``[0, 1]`` or invalid sizes.
        DataError: No positive, or a user has every item as positive.
    """

    def __init__(self, dataset: Dataset, batch_size: int, pos_ratio: float = 0.5, num_process: int = 1,
                 seed: int = 100, prefetch: int = 8, chronological: Optional[bool] = None) -> None:
        super().__init__(dataset, batch_size, num_process=num_process, seed=seed, prefetch=prefetch)
        self.pos_ratio = check_probability(pos_ratio, 'pos_ratio', self.scope, allow_none=False, allow_one=True)
        self._require_positive_pairs()
        self.num_positives_per_batch = int(round(self.pos_ratio * self.batch_size))
        self._set_chronological(chronological, self.num_positives_per_batch)

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        rows = (self._chronological_rows(index) if self.chronological
                else rng.integers(0, self.dataset.num_positives, size=self.num_positives_per_batch))
        n_pos = rows.size
        n_neg = self.batch_size - self.num_positives_per_batch
        negative_users = rng.choice(self.dataset.users, size=n_neg)
        negative_items = sample_negatives(rng, negative_users, self.dataset)
        order = rng.permutation(n_pos + n_neg)
        users = np.concatenate([self._positive_users[rows], negative_users])[order]
        items = np.concatenate([self._positive_items[rows], negative_items])[order]
        labels = np.concatenate([np.ones(n_pos, np.float32), np.zeros(n_neg, np.float32)])[order]
        return {'user_id': users.astype(np.int32), 'item_id': items.astype(np.int32), 'label': labels}


PointwiseSampler = StratifiedPointwiseSampler
