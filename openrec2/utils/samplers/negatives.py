"""Vectorised uniform negative sampling against a dataset's positives.

Negatives are drawn uniformly from all item ids ``0 .. max_item - 1`` (the last one
included; the legacy sampler never drew it) minus the user's positives, by rejection:
draw uniformly, look the keys ``user * max_item + item`` up, redraw the hits. The
look-up is a bitset of every (user, item) cell when that fits in 256 MB (ML-1M: 2.8 MB,
a few array operations per draw), else a vectorised bisection inside each user's sorted
row of known items. The rare entries still rejected
after many rounds (users who own almost every item) are drawn exactly from their
complement. The known items are an :class:`~openrec2.utils.item_lists.ItemLists` with
one row per user (a dataset's ``positives``, or a union of splits), or a
:class:`~openrec2.utils.Dataset` (its positives).
"""

from __future__ import annotations

import weakref
from typing import Callable, Union

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.dataset import Dataset
from openrec2.utils.item_lists import ItemLists

_MAX_REJECTION_ROUNDS = 32
#: Largest bitset of known cells built for the rejection test (bytes).
BITSET_MAX_BYTES = 256 << 20
_MEMBERSHIP: 'weakref.WeakKeyDictionary[ItemLists, Callable]' = weakref.WeakKeyDictionary()


def _bitset_membership(lists: ItemLists) -> Callable[[np.ndarray], np.ndarray]:
    """Membership of keys ``row * num_items + item`` as bits of one packed array."""
    rows = np.repeat(np.arange(len(lists), dtype=np.int64), lists.lengths)
    keys = rows * lists.num_items + lists.indices
    bits = np.zeros((len(lists) * lists.num_items + 7) // 8, dtype=np.uint8)
    np.bitwise_or.at(bits, keys >> 3, np.left_shift(1, keys & 7).astype(np.uint8))

    def contains(query: np.ndarray) -> np.ndarray:
        return (bits[query >> 3] >> (query & 7).astype(np.uint8)) & 1 == 1
    return contains


def key_membership(lists: ItemLists) -> Callable[[np.ndarray], np.ndarray]:
    """The fastest membership test of pair keys ``row * num_items + item`` in ``lists``:
    a bitset when the key space fits :data:`BITSET_MAX_BYTES`, else a search inside each
    key's row (cached per lists object).

    Args:
        lists: Per-user item lists whose ``num_items`` is set.

    Returns:
        A function from an int64 key array to a boolean array of its shape.
    """
    test = _MEMBERSHIP.get(lists)
    if test is None:
        fits = len(lists) * lists.num_items <= 8 * BITSET_MAX_BYTES
        test = _bitset_membership(lists) if fits else _row_search_membership(lists)
        _MEMBERSHIP[lists] = test
    return test


def _row_search_membership(lists: ItemLists) -> Callable[[np.ndarray], np.ndarray]:
    """Membership of keys ``row * num_items + item`` by a search inside each key's row
    (:meth:`ItemLists.contains_by_row`; 6x faster than a search over all the keys at 30M
    positives over 1M x 1M)."""
    def contains(query: np.ndarray) -> np.ndarray:
        rows, items = np.divmod(query, lists.num_items)
        return lists.contains_by_row(rows, items).reshape(np.shape(query))
    return contains


def known_items(known: Union[Dataset, ItemLists]) -> ItemLists:
    """The per-user known items: a dataset's positives, or the lists themselves.

    Args:
        known: A :class:`~openrec2.utils.Dataset` or an :class:`ItemLists` whose
            ``num_items`` is set.

    Returns:
        The :class:`ItemLists`.
    """
    return known.positives if isinstance(known, Dataset) else known


def check_negatives_exist(known: Union[Dataset, ItemLists], user_ids: np.ndarray,
                          scope: str = 'negative sampling') -> None:
    """Raise if a user has every item as a positive (no negative exists).

    Args:
        known: The dataset (or per-user item lists) whose items are excluded.
        user_ids: Users that negatives will be drawn for.
        scope: Name for the error message.

    Raises:
        DataError: Some user has all ``max_item`` items as positives.
    """
    lists = known_items(known)
    full = np.asarray(user_ids)[lists.lengths[user_ids] >= lists.num_items]
    if full.size:
        raise DataError(scoped(scope, (
            f'user(s) {np.unique(full)[:5].tolist()} of dataset {lists.name!r} have all {lists.num_items} '
            'items as positives, so no negative item exists; drop those users or add items.')))


def _from_complement(rng: np.random.Generator, user: int, lists: ItemLists) -> int:
    """One uniform draw from the items that are not in row ``user``."""
    positives = lists[user]
    rank = int(rng.integers(0, lists.num_items - positives.size))
    # The rank-th non-positive is rank + (number of positives p with p - (#positives before p) <= rank).
    return rank + int(np.searchsorted(positives - np.arange(positives.size), rank, side='right'))


def sample_negatives(rng: np.random.Generator, user_ids: np.ndarray, known: Union[Dataset, ItemLists],
                     per_user: int | None = None) -> np.ndarray:
    """Draw items uniformly from each user's unknown items.

    Args:
        rng: Generator to draw from.
        user_ids: int array ``[B]`` of users.
        known: Dataset (its positives) or per-user :class:`ItemLists` to exclude.
        per_user: ``None`` for one negative per user (shape ``[B]``), else the number of
            negatives per user (shape ``[B, per_user]``).

    Returns:
        int64 array of negative item ids.

    Raises:
        DataError: A user has every item as a positive.
    """
    lists = known_items(known)
    users = np.asarray(user_ids, dtype=np.int64)
    check_negatives_exist(lists, users)
    if per_user is not None:
        users = np.repeat(users, per_user)
    max_item = lists.num_items
    known = key_membership(lists)
    items = rng.integers(0, max_item, size=users.size, dtype=np.int64)
    rejected = np.flatnonzero(known(users * max_item + items))
    for _ in range(_MAX_REJECTION_ROUNDS):
        if rejected.size == 0:
            break
        items[rejected] = rng.integers(0, max_item, size=rejected.size, dtype=np.int64)
        still = known(users[rejected] * max_item + items[rejected])
        rejected = rejected[still]
    for position in rejected.tolist():
        items[position] = _from_complement(rng, int(users[position]), lists)
    return items if per_user is None else items.reshape(-1, per_user)
