"""Pairwise sampler: (user, positive item, negative item) triples for BPR-style losses
(Rendle et al., "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009).

Default ``mode='interaction'``: an endless stream of shuffled passes over all positive
interactions, each positive once per pass (as RecBole's training data loader does);
the stream position ``p`` is interaction ``perm_e[p mod #positives]`` with
``e = p // #positives`` and ``perm_e`` a seeded permutation per pass, so every batch
has exactly ``batch_size`` rows and batches may straddle two passes.
``mode='user'``: the legacy OpenRec scheme, a uniform user with at least one positive
then a uniform positive of that user.
"""

from __future__ import annotations

import threading
from typing import Optional

import numpy as np

from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.negatives import sample_negatives
from openrec2.utils.samplers.sampler import Batch, Sampler, shuffled_pass_rows
from openrec2.validation import check_choice

PAIRWISE_MODES = ('interaction', 'user')
_PASS_STREAM = 0x9A55  # tags the seed stream of per-pass permutations, apart from batch streams
_CACHED_PASSES = 2


class PairwiseSampler(Sampler):
    """Endless stream of ``{'user_id', 'p_item_id', 'n_item_id'}`` int32 batches.

    Negatives are uniform over all item ids minus the user's positives.

    Args:
        dataset: Dataset whose positives are sampled (legacy order ``(batch_size,
            dataset)`` accepted).
        batch_size: Triples per batch.
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.
        mode: ``'interaction'`` (shuffled passes over all positives) or ``'user'``
            (legacy: uniform user, then uniform positive).
        chronological: Legacy OpenRec's setting: True makes one pass over the positive
            rows in dataset order and ends the stream (see
            :meth:`~openrec2.utils.samplers.Sampler._set_chronological`); False/None: ``mode``.

    Raises:
        SettingError: Unknown ``mode`` or invalid sizes.
        DataError: The dataset has no positive, or a user has every item as positive.
    """

    def __init__(self, dataset: Dataset, batch_size: int, num_process: int = 1, seed: int = 100,
                 prefetch: int = 8, mode: str = 'interaction', chronological: Optional[bool] = None) -> None:
        super().__init__(dataset, batch_size, num_process=num_process, seed=seed, prefetch=prefetch)
        check_choice(mode, 'mode', self.scope, PAIRWISE_MODES)
        self._require_positive_pairs()
        self._set_chronological(chronological, self.batch_size)
        self.mode = mode
        self._thread_cache = threading.local()

    def _negatives_per_user(self) -> Optional[int]:
        """``None``: one negative per row; an int ``n``: ``[B, n]`` negatives."""
        return None

    def _pass_permutation(self, pass_index: int) -> np.ndarray:
        """Seeded permutation of the positives for one pass (cached per thread)."""
        cache = getattr(self._thread_cache, 'passes', None)
        if cache is None:
            cache = self._thread_cache.passes = {}
        if pass_index not in cache:
            if len(cache) >= _CACHED_PASSES:
                cache.pop(min(cache))
            rng = np.random.default_rng([self.seed, _PASS_STREAM, pass_index])
            cache[pass_index] = rng.permutation(self.dataset.num_positives)
        return cache[pass_index]

    def _positive_rows(self, index: int, rng: np.random.Generator) -> np.ndarray:
        """Rows of :meth:`Dataset.positive_pairs` that form batch ``index``."""
        if self.chronological:
            return self._chronological_rows(index)
        if self.mode == 'user':
            users = rng.choice(self.dataset.users, size=self.batch_size)
            offsets = np.floor(rng.random(self.batch_size) * self.dataset.positive_counts[users])
            return self.dataset.indptr[users] + offsets.astype(np.int64)
        return shuffled_pass_rows(index * self.batch_size, self.batch_size, self.dataset.num_positives,
                                  self._pass_permutation)

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        rows = self._positive_rows(index, rng)
        users = self._positive_users[rows]
        negatives = sample_negatives(rng, users, self.dataset, self._negatives_per_user())
        return {'user_id': users.astype(np.int32),
                'p_item_id': self._positive_items[rows].astype(np.int32),
                'n_item_id': negatives.astype(np.int32)}


RandomPairwiseSampler = PairwiseSampler
