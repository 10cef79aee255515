"""Positive-cell sampler: the observed (user, item) cells of a dataset, each with its
user's share of the whole-row term, for losses over every cell of the user-item matrix
(WRMF, Hu, Koren and Volinsky, "Collaborative Filtering for Implicit Feedback
Datasets", ICDM 2008).

A loss over all cells splits into a part over the observed cells and, per user, a
whole-row part (one value per user, computed from a Gram matrix). Spreading each
user's whole-row part evenly over that user's ``n_u`` observed cells, at ``1 / n_u``
per cell, turns the full loss into a sum over observed cells alone; one shuffled pass
of this sampler then covers the full loss exactly once.
"""

from __future__ import annotations

import numpy as np

from openrec2.utils.samplers.pairwise import PairwiseSampler
from openrec2.utils.samplers.sampler import Batch


class PositiveCellSampler(PairwiseSampler):
    """Endless stream of ``{'user_id', 'item_id'}`` int32 / ``'user_share'`` float32 batches.

    The rows are the dataset's positive interactions in the order of
    :class:`PairwiseSampler` (the same seeded shuffled passes, or the legacy uniform
    user-then-positive draw with ``mode='user'``), without negatives: the loss that
    consumes them covers the unobserved cells through a Gram matrix instead.
    ``user_share`` is ``1 / n_u``, ``n_u`` the row's user's number of positives.

    Args:
        dataset: Dataset whose positives are streamed.
        batch_size: Cells per batch.
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.
        mode: ``'interaction'`` (shuffled passes over all positives) or ``'user'``.

    Raises:
        SettingError: Unknown ``mode`` or invalid sizes.
        DataError: The dataset has no positive, or a user has every item as positive.
    """

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        rows = self._positive_rows(index, rng)
        users = self._positive_users[rows]
        return {'user_id': users.astype(np.int32),
                'item_id': self._positive_items[rows].astype(np.int32),
                'user_share': (1.0 / self.dataset.positive_counts[users]).astype(np.float32)}
