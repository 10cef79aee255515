"""VBPR pairwise sampler: BPR triples with the feature rows of their items (He and McAuley,
"VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback", AAAI 2016).

The triples are exactly :class:`~openrec2.utils.samplers.PairwiseSampler`'s (same seed,
same stream); each batch also holds the features of its positive and negative items, as
legacy OpenRec 0.2's ``VBPRPairwiseSampler`` did for a VBPR reading them from inputs.
"""

from __future__ import annotations

from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.item_feature_rows import read_only_item_features, with_item_features
from openrec2.utils.samplers.pairwise import PairwiseSampler
from openrec2.utils.samplers.sampler import Batch


class VBPRPairwiseSampler(PairwiseSampler):
    """Endless stream of pairwise batches with ``p_item_vfeature`` / ``n_item_vfeature`` rows.

    Keys: ``user_id``, ``p_item_id``, ``n_item_id`` (int32 ``[B]``, equal to
    :class:`PairwiseSampler`'s batches of the same seed and mode) and
    ``p_item_vfeature``, ``n_item_vfeature`` (float32 ``[B, F]``, the rows of
    ``item_vfeature``). Seeded, parallel and resumable like its base: batch ``i``
    depends only on the seed and ``i``.

    openrec2's :class:`~openrec2.recommenders.VBPR` holds the features in its graph; its
    ``train`` feeds only its id inputs, so it trains from these batches exactly as from
    the plain sampler's.

    Args:
        dataset: Dataset whose positives are sampled.
        batch_size: Triples per batch.
        item_vfeature: ``[max_item, F]`` item features (numpy array or h5py dataset).
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.
        mode: ``'interaction'`` or ``'user'`` (see :class:`PairwiseSampler`).

    Raises:
        DTypeError / ShapeError / DataError: ``item_vfeature`` is not a finite
            ``[max_item, F]`` matrix of numbers.
        SettingError / DataError: as :class:`PairwiseSampler`.
    """

    def __init__(self, dataset: Dataset, batch_size: int, item_vfeature, num_process: int = 1, seed: int = 100,
                 prefetch: int = 8, mode: str = 'interaction') -> None:
        super().__init__(dataset, batch_size, num_process=num_process, seed=seed, prefetch=prefetch, mode=mode)
        self.item_vfeature = read_only_item_features(item_vfeature, self.dataset.max_item, self.scope)

    def _make_batch(self, index, rng) -> Batch:
        return with_item_features(super()._make_batch(index, rng), self.item_vfeature, ('p_item_id', 'n_item_id'))
