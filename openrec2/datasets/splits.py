"""Per-user train/validation/test split protocols for interaction arrays.

Three protocols, all vectorised over users (one ``lexsort`` and a few array passes,
fast on millions of rows):

* :func:`split_random_per_user`: each user's interactions shuffled (seeded) and cut by
  ratio with RecBole's per-user count rule (RecBole ``RS`` ordering, ``split_by_ratio``
  grouped by user).
* :func:`split_leave_one_out`: last interaction (by timestamp) to test, second-last to
  validation; seeded random order when there is no timestamp.
* :func:`split_temporal`: each user's interactions in time order cut by ratio with the
  same count rule (RecBole ``TO`` ordering).

:func:`split_interactions` picks one by name and returns the protocol sentence that a
:class:`~openrec2.datasets.data_split.DataSplit` reports.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from openrec2.errors import DataError, UnknownOptionError, scoped
from openrec2.validation import check_bool, check_int

SPLIT_NAMES = ('random', 'leave_one_out', 'temporal')


def normalise_ratios(ratios: Sequence[float], scope: str = 'splits') -> np.ndarray:
    """Check split ratios and scale them to sum to one (as RecBole does).

    Args:
        ratios: Two (train, test) or three (train, validation, test) non-negative numbers.
        scope: Name for error messages.

    Returns:
        float64 array of the normalised ratios.

    Raises:
        UnknownOptionError: Wrong length, a negative ratio, or a zero train ratio.
    """
    values = [float(r) for r in ratios]
    if len(values) not in (2, 3) or min(values) < 0 or values[0] <= 0:
        raise UnknownOptionError(scoped(scope, (
            f'ratios must be (train, test) or (train, validation, test) non-negative numbers '
            f'with a positive train share, e.g. (0.8, 0.1, 0.1); got {tuple(ratios)!r}.')))
    total = sum(values)
    return np.array([v / total for v in values], dtype=np.float64)


def recbole_split_counts(sizes: np.ndarray, ratios: Sequence[float]) -> np.ndarray:
    """Per-user part sizes by RecBole's ratio rule, for all users at once.

    For a user with ``n`` interactions: ``cnt = [int(r * n) for r in ratios]``, then
    ``cnt[0] = n - sum(cnt[1:])``; then for ``i = 1 .. len(ratios) - 1``: stop if
    ``cnt[0] <= 1``, else if ``0 < ratios[-i] * n < 1`` move one interaction from
    train to part ``-i``. So a small user still gets a test interaction while train
    keeps at least one.

    Args:
        sizes: int array ``[n_users]`` of interaction counts.
        ratios: Ratios summing to one (see :func:`normalise_ratios`).

    Returns:
        int64 array ``[n_users, len(ratios)]`` whose rows sum to ``sizes``.
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    ratios = np.asarray(ratios, dtype=np.float64)
    products = ratios[None, :] * sizes[:, None].astype(np.float64)
    counts = np.floor(products).astype(np.int64)
    counts[:, 0] = sizes - counts[:, 1:].sum(axis=1)
    for i in range(1, len(ratios)):
        # cnt[0] only decreases, so "not stopped yet" is simply cnt[0] > 1 now.
        bump = (counts[:, 0] > 1) & (products[:, -i] > 0) & (products[:, -i] < 1)
        counts[bump, -i] += 1
        counts[bump, 0] -= 1
    return counts


def _assign_parts(user_ids: np.ndarray, order_key: np.ndarray, part_counts_of) -> np.ndarray:
    """Rank each row within its user by ``order_key`` and map ranks to parts.

    Args:
        user_ids: int array of each row's user.
        order_key: Sort key inside a user (ties keep row order).
        part_counts_of: Function from the per-user sizes to an int64 array
            ``[n_users, n_parts]`` of part sizes, in order.

    Returns:
        int64 array with each row's part index.
    """
    n_rows = len(user_ids)
    order = np.lexsort((np.arange(n_rows), order_key, user_ids))
    sorted_users = user_ids[order]
    _, starts, group, sizes = np.unique(sorted_users, return_index=True, return_inverse=True,
                                        return_counts=True)
    rank = np.arange(n_rows, dtype=np.int64) - starts[group]
    bounds = np.cumsum(part_counts_of(sizes), axis=1)[:, :-1]
    part_sorted = (rank[:, None] >= bounds[group]).sum(axis=1)
    part = np.empty(n_rows, dtype=np.int64)
    part[order] = part_sorted
    return part


def _parts(data: np.ndarray, part: np.ndarray, n_parts: int) -> list[np.ndarray]:
    return [data[part == j] for j in range(n_parts)]


def _check_data(data: np.ndarray, scope: str) -> None:
    if not isinstance(data, np.ndarray) or data.dtype.names is None or 'user_id' not in data.dtype.names:
        raise DataError(scoped(scope, 'data must be a structured array with a user_id field.'))


def split_random_per_user(data: np.ndarray, ratios: Sequence[float] = (0.8, 0.1, 0.1),
                          seed: int = 2020) -> list[np.ndarray]:
    """Shuffle each user's interactions (seeded) and cut them by ratio (RecBole's rule).

    Args:
        data: Structured interaction array with a ``user_id`` field.
        ratios: (train, test) or (train, validation, test) shares.
        seed: Seed of the shuffle.

    Returns:
        One structured array per ratio, rows in their original order.

    Raises:
        DataError: ``data`` has no ``user_id`` field.
        UnknownOptionError: Invalid ``ratios``.
    """
    _check_data(data, 'split_random_per_user')
    shares = normalise_ratios(ratios, 'split_random_per_user')
    random_key = np.random.default_rng(seed).permutation(len(data))
    part = _assign_parts(data['user_id'], random_key, lambda sizes: recbole_split_counts(sizes, shares))
    return _parts(data, part, len(shares))


def split_temporal(data: np.ndarray, ratios: Sequence[float] = (0.8, 0.1, 0.1)) -> list[np.ndarray]:
    """Cut each user's interactions in time order by ratio (earliest go to train).

    Args:
        data: Structured interaction array with ``user_id`` and ``timestamp`` fields.
        ratios: (train, test) or (train, validation, test) shares.

    Returns:
        One structured array per ratio, rows in their original order.

    Raises:
        DataError: ``data`` has no ``timestamp`` field.
        UnknownOptionError: Invalid ``ratios``.
    """
    _check_data(data, 'split_temporal')
    if 'timestamp' not in data.dtype.names:
        raise DataError(scoped('split_temporal', "data has no 'timestamp' field; use split='random' "
                                                 "or split='leave_one_out' instead."))
    shares = normalise_ratios(ratios, 'split_temporal')
    part = _assign_parts(data['user_id'], data['timestamp'],
                         lambda sizes: recbole_split_counts(sizes, shares))
    return _parts(data, part, len(shares))


def split_leave_one_out(data: np.ndarray, validation: bool = True,
                        seed: int = 2020) -> list[np.ndarray]:
    """Hold out each user's last interaction for test (and second-last for validation).

    Order is by ``timestamp`` (ties keep row order) or, without a timestamp field, a
    seeded random order. A user keeps at least one interaction in train: with ``n``
    interactions, test gets one when ``n >= 2`` and validation one when ``n >= 3``.

    Args:
        data: Structured interaction array with a ``user_id`` field.
        validation: Whether to hold out the second-last interaction for validation.
        seed: Seed of the random order used when there is no timestamp.

    Returns:
        ``[train, validation, test]`` when ``validation`` else ``[train, test]``.

    Raises:
        DataError: ``data`` has no ``user_id`` field.
    """
    _check_data(data, 'split_leave_one_out')
    if 'timestamp' in data.dtype.names:
        order_key = data['timestamp']
    else:
        order_key = np.random.default_rng(seed).permutation(len(data))

    def counts_of(sizes: np.ndarray) -> np.ndarray:
        test = (sizes >= 2).astype(np.int64)
        columns = [test]
        if validation:
            columns.insert(0, (sizes >= 3).astype(np.int64))
        held_out = np.stack(columns, axis=1)
        return np.concatenate([(sizes - held_out.sum(axis=1))[:, None], held_out], axis=1)

    part = _assign_parts(data['user_id'], order_key, counts_of)
    return _parts(data, part, 3 if validation else 2)


def _ratio_text(shares: np.ndarray) -> str:
    return ':'.join(f'{s:g}' for s in shares)


def split_interactions(data: np.ndarray, split: str, ratios: Sequence[float] = (0.8, 0.1, 0.1),
                       seed: int = 2020, validation: bool = True, scope: str = 'splits'
                       ) -> tuple[np.ndarray, Optional[np.ndarray], np.ndarray, str]:
    """Split by protocol name and describe the protocol exactly.

    Args:
        data: Structured interaction array.
        split: ``'random'``, ``'leave_one_out'`` or ``'temporal'``.
        ratios: Shares for the ratio protocols; two values mean no validation part.
        seed: Seed of the random protocols.
        validation: For ``'leave_one_out'``: hold out a validation interaction.
        scope: Loader name for error messages.

    Returns:
        ``(train, validation_or_None, test, protocol_sentence)``.

    Raises:
        UnknownOptionError: Unknown ``split`` or invalid ``ratios``.
        DataError: ``'temporal'`` on data without timestamps.
    """
    check_int(seed, 'seed', scope, minimum=0)
    check_bool(validation, 'validation', scope)
    has_time = 'timestamp' in data.dtype.names
    if split == 'random':
        shares = normalise_ratios(ratios, scope)
        parts = split_random_per_user(data, shares, seed)
        protocol = (f'per-user random {_ratio_text(shares)} '
                    f"({'train:validation:test' if len(shares) == 3 else 'train:test'}), seed {seed} "
                    '(RecBole RS rule: per user cnt = int(r*n), train takes the rest, a part with '
                    '0 < r*n < 1 gets one interaction while train keeps more than one)')
    elif split == 'temporal':
        shares = normalise_ratios(ratios, scope)
        parts = split_temporal(data, shares)
        protocol = (f"per-user temporal {_ratio_text(shares)} "
                    f"({'train:validation:test' if len(shares) == 3 else 'train:test'}) by timestamp, "
                    'earliest to train (RecBole TO + RS count rule)')
    elif split == 'leave_one_out':
        parts = split_leave_one_out(data, validation, seed)
        order = 'timestamp (ties keep file order)' if has_time else f'a random order (seed {seed})'
        protocol = (f'leave-one-out per user by {order}: last interaction -> test'
                    + (', second-last -> validation' if validation else '')
                    + (', rest -> train (users with fewer than 3 interactions keep the extra in train)'
                       if validation else ', rest -> train (single-interaction users stay in train)'))
    else:
        raise UnknownOptionError(scoped(scope, f'unknown split {split!r}; valid: {list(SPLIT_NAMES)}.'))
    if len(parts) == 3:
        return parts[0], parts[1], parts[2], protocol
    return parts[0], None, parts[1], protocol
