"""The most-popular baseline as a scoring function for the evaluation runner.

Every user gets the same item scores: the number of training users of each item.
Printing it next to a model on the same split shows what the model adds beyond
popularity.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from openrec2.utils.dataset import Dataset


def popularity_scorer(train: Dataset) -> Callable[[dict], np.ndarray]:
    """A ``score_fn`` for :func:`~openrec2.utils.evaluators.evaluate_with_scorer`.

    Ties between equally popular items are broken by the evaluator (lower item id
    first), so the baseline is deterministic.

    Args:
        train: Training interactions; item popularity is counted on them.

    Returns:
        ``score_fn(batch)``: ``[B, max_item]`` scores for ``{'user_id'}`` batches (full
        ranking) and ``[M]`` pair scores for ``{'user_id', 'item_id'}`` batches (sampled).
    """
    popularity = train.item_popularity.astype(np.float32)

    def score(batch: dict) -> np.ndarray:
        if 'item_id' in batch:
            return popularity[np.asarray(batch['item_id'])]
        return np.broadcast_to(popularity, (len(batch['user_id']), popularity.size))

    return score
