"""Random pointwise sampler: uniform random (user, item) pairs labelled by whether the
pair is a positive of the dataset (the legacy OpenRec ``RandomPointwiseSampler``).
"""

from __future__ import annotations

import numpy as np

from openrec2.utils.samplers.sampler import Batch, Sampler


class RandomPointwiseSampler(Sampler):
    """Endless stream of ``{'user_id', 'item_id'}`` int32 / ``'label'`` float32 batches.

    Users are uniform over ``0 .. max_user - 1`` and items over ``0 .. max_item - 1``;
    ``label`` is 1.0 for a positive pair and 0.0 otherwise.

    Args:
        dataset: Dataset that labels the pairs.
        batch_size: Rows per batch.
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.
    """

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        users = rng.integers(0, self.dataset.max_user, size=self.batch_size, dtype=np.int64)
        items = rng.integers(0, self.dataset.max_item, size=self.batch_size, dtype=np.int64)
        labels = self.dataset.contains(users, items).astype(np.float32)
        return {'user_id': users.astype(np.int32), 'item_id': items.astype(np.int32), 'label': labels}
