"""Vectorised uniform negative sampling against a dataset's positives.

Negatives are drawn uniformly from all item ids ``0 .. max_item - 1`` (the last one
included; the legacy sampler never drew it) minus the user's positives, by rejection:
draw uniformly, look the keys ``user * max_item + item`` up in the dataset's sorted
positive keys with ``searchsorted``, redraw the hits. The rare entries still rejected
after many rounds (users who own almost every item) are drawn exactly from their
complement.
"""

from __future__ import annotations

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.dataset import Dataset

_MAX_REJECTION_ROUNDS = 32


def check_negatives_exist(dataset: Dataset, user_ids: np.ndarray, scope: str = 'negative sampling') -> None:
    """Raise if a user has every item as a positive (no negative exists).

    Args:
        dataset: The dataset.
        user_ids: Users that negatives will be drawn for.
        scope: Name for the error message.

    Raises:
        DataError: Some user has all ``max_item`` items as positives.
    """
    full = np.asarray(user_ids)[dataset.positive_counts[user_ids] >= dataset.max_item]
    if full.size:
        raise DataError(scoped(scope, (
            f'user(s) {np.unique(full)[:5].tolist()} of dataset {dataset.name!r} have all {dataset.max_item} '
            'items as positives, so no negative item exists; drop those users or add items.')))


def _from_complement(rng: np.random.Generator, user: int, dataset: Dataset) -> int:
    """One uniform draw from the items that are not positives of ``user``."""
    positives = dataset.positive_items(user)
    rank = int(rng.integers(0, dataset.max_item - positives.size))
    # The rank-th non-positive is rank + (number of positives p with p - (#positives before p) <= rank).
    return rank + int(np.searchsorted(positives - np.arange(positives.size), rank, side='right'))


def sample_negatives(rng: np.random.Generator, user_ids: np.ndarray, dataset: Dataset,
                     per_user: int | None = None) -> np.ndarray:
    """Draw items uniformly from each user's non-positive items.

    Args:
        rng: Generator to draw from.
        user_ids: int array ``[B]`` of users.
        dataset: Dataset whose positives are excluded.
        per_user: ``None`` for one negative per user (shape ``[B]``), else the number of
            negatives per user (shape ``[B, per_user]``).

    Returns:
        int64 array of negative item ids.

    Raises:
        DataError: A user has every item as a positive.
    """
    users = np.asarray(user_ids, dtype=np.int64)
    check_negatives_exist(dataset, users)
    if per_user is not None:
        users = np.repeat(users, per_user)
    max_item = dataset.max_item
    items = rng.integers(0, max_item, size=users.size, dtype=np.int64)
    rejected = np.flatnonzero(dataset.contains_keys(users * max_item + items))
    for _ in range(_MAX_REJECTION_ROUNDS):
        if rejected.size == 0:
            break
        items[rejected] = rng.integers(0, max_item, size=rejected.size, dtype=np.int64)
        still = dataset.contains_keys(users[rejected] * max_item + items[rejected])
        rejected = rejected[still]
    for position in rejected.tolist():
        items[position] = _from_complement(rng, int(users[position]), dataset)
    return items if per_user is None else items.reshape(-1, per_user)
