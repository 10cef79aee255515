"""Item exposure of top-K recommendation lists: how evenly the slots of the lists are
spread over the catalogue (beyond-accuracy measures of diversity and item fairness).

A set of top-K lists is an int array ``[n_users, K]`` of item ids, ``-1`` marking an
empty slot (:func:`~openrec2.utils.evaluators.top_k_indices` pads short lists that
way). An item's *exposure* is the number of lists that show it. From it:

* :func:`catalog_coverage`: the share of the catalogue shown to at least one user
  (aggregate diversity, Adomavicius and Kwon, IEEE TKDE 2012);
* :func:`exposure_gini`: the Gini index of the exposure over all items, 0 when every
  item is shown equally often, close to 1 when a few items take every slot
  (Fleder and Hosanagar, Management Science 2009);
* :func:`tail_share`: the share of the filled slots that go to a given set of items
  (e.g. the long tail of rarely consumed items);
* :func:`mean_popularity`: the average popularity (e.g. training interactions) of
  the recommended items, per list or overall.

numpy only; every function takes the lists as they come out of a ranking.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from openrec2.errors import DTypeError, ShapeError, scoped

_SCOPE = 'exposure'


def _check_lists(top_k: np.ndarray, num_items: Optional[int] = None) -> np.ndarray:
    """``top_k`` as a 2-D int64 array; ids in ``[-1, num_items)``."""
    top_k = np.asarray(top_k)
    if top_k.size and not np.issubdtype(top_k.dtype, np.integer):
        raise DTypeError(scoped(_SCOPE, f'top_k must hold integer item ids, got dtype {top_k.dtype}; pass '
                                        'item ids, not scores.'))
    if top_k.ndim != 2:
        raise ShapeError(scoped(_SCOPE, f'top_k must be a 2-D array [n_users, K] of item ids, got shape '
                                        f'{top_k.shape}; stack the lists (pad short ones with -1).'))
    top_k = top_k.astype(np.int64, copy=False)
    if top_k.size and top_k.min() < -1:
        raise ShapeError(scoped(_SCOPE, f'top_k holds item id {top_k.min()}; ids are >= 0 and -1 marks an '
                                        'empty slot.'))
    if num_items is not None and top_k.size and top_k.max() >= num_items:
        raise ShapeError(scoped(_SCOPE, f'top_k holds item id {top_k.max()} but num_items is {num_items}; '
                                        'pass the catalogue size the lists were ranked over.'))
    return top_k


def _check_num_items(num_items: int) -> int:
    if isinstance(num_items, bool) or not isinstance(num_items, (int, np.integer)) or num_items < 1:
        raise ShapeError(scoped(_SCOPE, f'num_items must be a positive integer (the catalogue size), got '
                                        f'{num_items!r}.'))
    return int(num_items)


def item_exposure(top_k: np.ndarray, num_items: int) -> np.ndarray:
    """How many lists show each item.

    Args:
        top_k: int array ``[n_users, K]`` of item ids (``-1``: empty slot).
        num_items: Catalogue size.

    Returns:
        int64 ``[num_items]`` exposure counts (their sum is the number of filled slots).

    Raises:
        ShapeError: ``top_k`` is not 2-D, or an id is outside ``[-1, num_items)``.
        DTypeError: ``top_k`` is not integer.
    """
    num_items = _check_num_items(num_items)
    top_k = _check_lists(top_k, num_items)
    shown = top_k[top_k >= 0]
    return np.bincount(shown, minlength=num_items).astype(np.int64)


def catalog_coverage(top_k: np.ndarray, num_items: int) -> float:
    """Share of the catalogue that appears in at least one list.

    Args:
        top_k: int array ``[n_users, K]`` of item ids (``-1``: empty slot).
        num_items: Catalogue size.

    Returns:
        A value in ``[0, 1]``.

    Raises:
        ShapeError / DTypeError: As :func:`item_exposure`.
    """
    return float(np.count_nonzero(item_exposure(top_k, num_items)) / num_items)


def exposure_gini(exposure: np.ndarray) -> float:
    """Gini index of an exposure (or any non-negative count) vector over all items.

    ``G = sum_i (2 i - n - 1) x_(i) / (n sum_i x_i)`` over the counts sorted ascending
    (``i`` from 1): 0 when every item has the same exposure, ``1 - 1/n`` when one item
    has all of it.

    Args:
        exposure: Non-negative counts ``[n_items]`` (e.g. :func:`item_exposure`),
            zeros included for items never shown.

    Returns:
        The Gini index; 0.0 when nothing was shown.

    Raises:
        ShapeError: ``exposure`` is not a non-empty 1-D array.
        DTypeError: ``exposure`` is not numeric or has negative entries.
    """
    values = np.asarray(exposure)
    if values.ndim != 1 or values.size == 0:
        raise ShapeError(scoped(_SCOPE, f'exposure must be a non-empty 1-D array (one count per item), got shape '
                                        f'{values.shape}.'))
    if not np.issubdtype(values.dtype, np.number) or np.any(values < 0):
        raise DTypeError(scoped(_SCOPE, 'exposure must hold non-negative numbers (counts per item).'))
    values = np.sort(values.astype(np.float64))
    total = values.sum()
    if total == 0:
        return 0.0
    n = values.size
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float(np.sum((2 * ranks - n - 1) * values) / (n * total))


def tail_share(top_k: np.ndarray, tail_items: np.ndarray) -> float:
    """Share of the filled slots of the lists that show one of ``tail_items``.

    Args:
        top_k: int array ``[n_users, K]`` of item ids (``-1``: empty slot).
        tail_items: Item ids of the group (e.g. items with few training interactions).

    Returns:
        A value in ``[0, 1]``; NaN when no slot is filled.

    Raises:
        ShapeError / DTypeError: As :func:`item_exposure` (for ``top_k``).
    """
    top_k = _check_lists(top_k)
    shown = top_k[top_k >= 0]
    if shown.size == 0:
        return float('nan')
    return float(np.isin(shown, np.asarray(tail_items, dtype=np.int64)).mean())


def mean_popularity(top_k: np.ndarray, popularity: np.ndarray, per_list: bool = False):
    """Average popularity of the recommended items.

    Args:
        top_k: int array ``[n_users, K]`` of item ids (``-1``: empty slot).
        popularity: ``[num_items]`` popularity of every item (e.g.
            ``train.item_popularity``, the number of training users of each item).
        per_list: Return one average per list instead of one over all filled slots.

    Returns:
        A float, or float64 ``[n_users]`` (NaN for an empty list) when ``per_list``.

    Raises:
        ShapeError / DTypeError: As :func:`item_exposure`, with
            ``num_items = len(popularity)``.
    """
    popularity = np.asarray(popularity, dtype=np.float64)
    if popularity.ndim != 1:
        raise ShapeError(scoped(_SCOPE, f'popularity must be 1-D (one value per item), got shape '
                                        f'{popularity.shape}.'))
    top_k = _check_lists(top_k, popularity.size)
    filled = top_k >= 0
    values = np.where(filled, popularity[np.maximum(top_k, 0)], 0.0)
    if per_list:
        counts = filled.sum(axis=1)
        with np.errstate(invalid='ignore', divide='ignore'):
            return np.where(counts > 0, values.sum(axis=1) / np.maximum(counts, 1), np.nan)
    return float(values.sum() / filled.sum()) if filled.any() else float('nan')
