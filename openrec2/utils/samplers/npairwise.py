"""N-pairwise sampler: each (user, positive) row comes with ``n`` negatives, for losses
that compare a positive with several negatives (e.g. WARP-style or sampled softmax).
"""

from __future__ import annotations

from typing import Optional

from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.pairwise import PairwiseSampler
from openrec2.validation import check_int


class NPairwiseSampler(PairwiseSampler):
    """Endless stream of ``{'user_id' [B], 'p_item_id' [B], 'n_item_id' [B, n]}`` int32 batches.

    Positives follow :class:`PairwiseSampler` (same ``mode``); each row gets
    ``num_negatives`` independent uniform negatives (not positives of the user).

    Args:
        dataset: Dataset whose positives are sampled.
        batch_size: Rows per batch.
        num_negatives: Negatives per row (``negativenum`` is accepted as the legacy name).
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.
        mode: ``'interaction'`` or ``'user'`` (see :class:`PairwiseSampler`).
        negativenum: Legacy alias of ``num_negatives``.

    Raises:
        SettingError: ``num_negatives`` < 1, unknown ``mode`` or invalid sizes.
        DataError: No positive, or a user has every item as positive.
    """

    def __init__(self, dataset: Dataset, batch_size: int, num_negatives: int = 5, num_process: int = 1,
                 seed: int = 100, prefetch: int = 8, mode: str = 'interaction',
                 negativenum: Optional[int] = None, chronological: Optional[bool] = None) -> None:
        super().__init__(dataset, batch_size, num_process=num_process, seed=seed, prefetch=prefetch, mode=mode,
                         chronological=chronological)
        if negativenum is not None:
            num_negatives = negativenum
        self.num_negatives = check_int(num_negatives, 'num_negatives', self.scope)

    def _negatives_per_user(self) -> Optional[int]:
        return self.num_negatives
