"""Per-user item id lists in CSR form: the one structure datasets, samplers and evaluators share.

A dataset's positives (each user's items), the test items, the items excluded from a
ranking and the candidates of sampled evaluation are all, for every row (user), a
sorted list of distinct item ids. :class:`ItemLists` stores such lists as one
compressed sparse row structure (``indptr``/``indices``) together with the sorted pair
keys ``row * num_items + item``, so that membership tests, gathers of a block of rows,
row-wise unions and differences and negative sampling run vectorised, without a Python
loop per row and without a dense user x item matrix. It is also a read-only sequence
of arrays, so ``lists[r]`` works like a list.

:class:`~openrec2.utils.Dataset` builds its positive index as an :class:`ItemLists`
(``dataset.positives``); :class:`~openrec2.utils.samplers.EvaluationSampler` and the
negative samplers use those lists as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional, Union

import numpy as np

from openrec2.errors import DTypeError, ShapeError, scoped
from openrec2.utils.ragged import ragged_positions

_SCOPE = 'item lists'
_SORT_QUERIES_FROM = 1024  # query count from which keys_contain sorts its queries first


class ItemLists(Sequence):
    """Sorted, de-duplicated item-id lists, one per row, in CSR form.

    Args:
        indptr: int array ``[num_rows + 1]``; row ``r`` holds
            ``indices[indptr[r]:indptr[r + 1]]``.
        indices: int array of item ids.
        num_items: Number of item ids (every id must lie in ``[0, num_items)``), or
            ``None`` when unknown (then only non-negativity is checked).
        name: Name used in error messages (e.g. ``'test_items'``).

    Raises:
        ShapeError: ``indptr`` is not a non-decreasing array starting at 0 and ending at
            ``len(indices)``, or an item id is out of range.
        DTypeError: ``indptr`` or ``indices`` is not an integer array.
    """

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, num_items: Optional[int] = None,
                 name: str = 'item_lists') -> None:
        indptr = np.asarray(indptr)
        indices = np.asarray(indices)
        for label, array in (('indptr', indptr), ('indices', indices)):
            if array.size and not np.issubdtype(array.dtype, np.integer):
                raise DTypeError(scoped(_SCOPE, f'{name}.{label} must hold integers, got dtype {array.dtype}.'))
        indptr = indptr.astype(np.int64).ravel()
        indices = indices.astype(np.int64).ravel()
        if (indptr.size == 0 or indptr[0] != 0 or indptr[-1] != indices.size
                or np.any(np.diff(indptr) < 0)):
            raise ShapeError(scoped(_SCOPE, f'{name}: indptr must start at 0, never decrease and end at '
                                    f'len(indices)={indices.size}.'))
        num_items = None if num_items is None else int(num_items)
        _check_item_range(indices, num_items, name)
        rows = np.repeat(np.arange(indptr.size - 1, dtype=np.int64), np.diff(indptr))
        # Sort and de-duplicate within rows through one int64 key per (row, item).
        base = _key_base(indices, num_items)
        self._set_keys(sorted_unique(rows * base + indices), indptr.size - 1, base, num_items, name)

    def _set_keys(self, keys: np.ndarray, num_rows: int, base: int, num_items: Optional[int], name: str) -> None:
        """Fill the structure from sorted distinct keys ``row * base + item``."""
        self.name = name
        self.num_items = num_items
        self._base = int(base)
        self._keys = keys
        # keys are sorted, so row r's entries start where the first key >= r * base lies.
        self._indices = np.remainder(keys, self._base)
        self._indptr = np.searchsorted(keys, np.arange(num_rows + 1, dtype=np.int64) * self._base).astype(
            np.int64, copy=False)
        self._lengths: Optional[np.ndarray] = None  # computed on first use (the structure never changes)
        # A 32-bit copy of the keys halves the memory binary searches walk, when they fit.
        fits_int32 = num_rows * self._base <= np.iinfo(np.int32).max
        self._search_keys = keys.astype(np.int32) if fits_int32 else keys

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_lists(cls, lists: Sequence, num_items: Optional[int] = None,
                   name: str = 'item_lists') -> 'ItemLists':
        """Build from one array-like of item ids per row.

        Args:
            lists: Sequence of array-likes (lists, numpy arrays); may be empty rows.
            num_items: Number of item ids, or ``None`` when unknown.
            name: Name used in error messages.

        Returns:
            The :class:`ItemLists`.

        Raises:
            DTypeError: A row holds non-integer values.
            ShapeError: A row is not one-dimensional, or an id is out of range.
        """
        arrays = []
        for row, values in enumerate(lists):
            array = np.asarray(values)
            if array.ndim != 1:
                raise ShapeError(scoped(_SCOPE, f'{name}[{row}] must be a 1-D list of item ids, '
                                        f'got shape {array.shape}.'))
            if array.size and not np.issubdtype(array.dtype, np.integer):
                raise DTypeError(scoped(_SCOPE, f'{name}[{row}] must hold integer item ids, '
                                        f'got dtype {array.dtype}.'))
            arrays.append(array.astype(np.int64, copy=False))
        lengths = np.fromiter((a.size for a in arrays), dtype=np.int64, count=len(arrays))
        indptr = np.zeros(len(arrays) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        indices = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
        return cls(indptr, indices, num_items=num_items, name=name)

    @classmethod
    def from_pairs(cls, rows: np.ndarray, items: np.ndarray, num_rows: int,
                   num_items: Optional[int] = None, name: str = 'item_lists') -> 'ItemLists':
        """Build from parallel arrays of row ids and item ids (any order).

        Args:
            rows: int array of row ids in ``[0, num_rows)``.
            items: int array of item ids, same length.
            num_rows: Number of rows.
            num_items: Number of item ids, or ``None`` when unknown.
            name: Name used in error messages.

        Returns:
            The :class:`ItemLists`.

        Raises:
            ShapeError: Lengths differ or a row id is out of range.
        """
        rows = np.asarray(rows, dtype=np.int64).ravel()
        items = np.asarray(items).ravel()
        if rows.size != items.size:
            raise ShapeError(scoped(_SCOPE, f'{name}: {rows.size} row ids but {items.size} item ids.'))
        if rows.size and (rows.min() < 0 or rows.max() >= num_rows):
            raise ShapeError(scoped(_SCOPE, f'{name}: row ids must lie in [0, {num_rows}).'))
        order = np.argsort(rows, kind='stable')
        indptr = np.zeros(num_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=num_rows), out=indptr[1:])
        return cls(indptr, items[order], num_items=num_items, name=name)

    @classmethod
    def from_keys(cls, keys: np.ndarray, num_rows: int, num_items: int, name: str = 'item_lists',
                  overwrite_keys: bool = False) -> 'ItemLists':
        """Build from pair keys ``row * num_items + item`` (any order, repeats allowed).

        This is how a :class:`~openrec2.utils.Dataset` indexes its positives: one sort
        of one int64 array, a pass that drops repeats and one that splits off the item
        ids; no per-row work and no hashing.

        Args:
            keys: int array of keys of pairs with ``0 <= row < num_rows`` and
                ``0 <= item < num_items``.
            num_rows: Number of rows.
            num_items: Number of item ids.
            name: Name used in error messages.
            overwrite_keys: When ``keys`` is an int64 array the caller no longer needs,
                True lets the build sort it in place and keep it as :attr:`keys` (saves
                a copy of the largest array); False (the default) leaves ``keys`` as given.

        Returns:
            The :class:`ItemLists`.
        """
        keys = np.asarray(keys).ravel()
        if keys.dtype != np.int64 or not overwrite_keys:
            keys = keys.astype(np.int64)
        lists = cls.__new__(cls)
        lists._set_keys(_sort_unique_in_place(keys), int(num_rows), int(num_items), int(num_items), name)
        return lists

    @classmethod
    def empty(cls, num_rows: int, num_items: Optional[int] = None, name: str = 'item_lists') -> 'ItemLists':
        """``num_rows`` empty rows.

        Args:
            num_rows: Number of rows.
            num_items: Number of item ids, or ``None`` when unknown.
            name: Name used in error messages.

        Returns:
            The :class:`ItemLists`.
        """
        return cls(np.zeros(int(num_rows) + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), num_items, name)

    @classmethod
    def from_dataset(cls, dataset, name: Optional[str] = None) -> 'ItemLists':
        """The positive items of every user of a :class:`~openrec2.utils.Dataset`.

        Args:
            dataset: A Dataset.
            name: Unused (kept for callers of earlier releases); the lists keep the
                dataset's name.

        Returns:
            ``dataset.positives``: :class:`ItemLists` with ``max_user`` rows and
            ``num_items = max_item`` (the dataset's own index, not a copy).
        """
        return dataset.positives

    @classmethod
    def coerce(cls, value: Union['ItemLists', Sequence], name: str,
               num_items: Optional[int] = None) -> 'ItemLists':
        """Return ``value`` as :class:`ItemLists` (a list of per-row arrays is converted).

        Args:
            value: An :class:`ItemLists` or a sequence of per-row item-id array-likes.
            name: Name used in error messages.
            num_items: Number of item ids when known.

        Returns:
            The :class:`ItemLists`.

        Raises:
            ShapeError: ``value`` is not a sequence of rows, or ids are out of range.
        """
        if isinstance(value, ItemLists):
            if num_items is not None:
                _check_item_range(value.indices, num_items, name)
            return value
        if isinstance(value, (str, bytes)) or not hasattr(value, '__len__'):
            raise ShapeError(scoped(_SCOPE, f'{name} must be a list with one array of item ids per row '
                                    f'(or an ItemLists), got {type(value).__name__}.'))
        return cls.from_lists(value, num_items=num_items, name=name)

    # ------------------------------------------------------------------ sequence API
    def __len__(self) -> int:
        return self._indptr.size - 1

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[r] for r in range(*row.indices(len(self)))]
        row = int(row)
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(f'{self.name}: row {row} out of range [0, {len(self)}).')
        view = self._indices[self._indptr[row]:self._indptr[row + 1]]
        view.flags.writeable = False
        return view

    def __repr__(self) -> str:
        return (f'ItemLists(name={self.name!r}, rows={len(self)}, items={self._indices.size}, '
                f'num_items={self.num_items})')

    # ------------------------------------------------------------------ properties
    @property
    def indptr(self) -> np.ndarray:
        """int64 ``[num_rows + 1]`` row offsets."""
        return self._indptr

    @property
    def indices(self) -> np.ndarray:
        """int64 item ids, sorted ascending within each row."""
        return self._indices

    @property
    def lengths(self) -> np.ndarray:
        """int64 ``[num_rows]``: number of items in each row (read-only; computed once, as
        samplers and evaluators index it on every batch)."""
        if self._lengths is None:
            lengths = np.diff(self._indptr)
            lengths.flags.writeable = False
            self._lengths = lengths
        return self._lengths

    @property
    def keys(self) -> np.ndarray:
        """int64 sorted keys ``row * base + item`` of every entry (``base = num_items``
        when known)."""
        return self._keys

    @property
    def row_ids(self) -> np.ndarray:
        """int64 row id of every entry of :attr:`indices`."""
        return self._keys // self._base

    # ------------------------------------------------------------------ operations
    def take(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Gather the entries of some rows, vectorised.

        Args:
            rows: int array of row ids (any order, repeats allowed).

        Returns:
            ``(positions, items)``: for every gathered entry, the position of its row in
            ``rows`` and its item id.
        """
        positions, flat = self.gather(rows)
        return positions, self._indices[flat]

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Locate the entries of some rows in :attr:`indices`, vectorised.

        Args:
            rows: int array of row ids (any order, repeats allowed).

        Returns:
            ``(positions, flat)``: for every entry of the gathered rows (row by row, in
            item order), the position of its row in ``rows`` and its index in
            :attr:`indices`.
        """
        rows = np.asarray(rows, dtype=np.int64)
        starts = self._indptr[rows]
        positions, offsets = ragged_positions(self._indptr[rows + 1] - starts)
        return positions, starts[positions] + offsets

    def contains(self, rows: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Vectorised membership test of (row, item) pairs.

        Args:
            rows: int array of row ids.
            items: int array of item ids, same shape.

        Returns:
            Boolean array: whether ``items[j]`` is in row ``rows[j]``.
        """
        rows = np.asarray(rows, dtype=np.int64)
        items = np.asarray(items, dtype=np.int64)
        in_range = (items >= 0) & (items < self._base)
        return in_range & self.contains_keys(rows * self._base + np.where(in_range, items, 0))

    def contains_by_row(self, rows: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Membership of in-range (row, item) pairs by a bisection inside each pair's row.

        The same answers as :meth:`contains`, faster on large lists: a search over all
        the keys misses the cache at most of its ~log2(entries) steps, a search inside
        one row at a few (a row is short and contiguous). Each step is one vectorised
        pass over the pairs still searching, so the number of passes is log2 of the
        longest row touched.

        Args:
            rows: int array ``[n]`` of row ids in ``[0, len(self))``.
            items: int array ``[n]`` of item ids.

        Returns:
            Boolean array ``[n]``.
        """
        rows = np.asarray(rows, dtype=np.int64).ravel()
        items = np.asarray(items, dtype=np.int64).ravel()
        found = np.zeros(rows.size, dtype=bool)
        low, high = self._indptr[rows], self._indptr[rows + 1]
        searching = np.flatnonzero(low < high)
        low, high, wanted = low[searching], high[searching], items[searching]
        while searching.size:
            middle = (low + high) >> 1
            value = self._indices[middle]
            below = value < wanted
            low = np.where(below, middle + 1, low)
            high = np.where(below, high, middle)
            hit = value == wanted
            found[searching[hit]] = True
            going_on = (low < high) & ~hit
            searching, low, high, wanted = searching[going_on], low[going_on], high[going_on], wanted[going_on]
        return found

    def contains_keys(self, keys: np.ndarray) -> np.ndarray:
        """Membership of pair keys ``row * base + item`` (``base`` is ``num_items`` when
        it is known and every item lies below it).

        Args:
            keys: int64 array of keys of in-range pairs (any shape).

        Returns:
            Boolean array shaped like ``keys``.
        """
        return keys_contain(self._search_keys, np.asarray(keys).astype(self._search_keys.dtype, copy=False))

    def difference(self, other: 'ItemLists') -> 'ItemLists':
        """Row-wise set difference ``self[r] - other[r]``.

        Args:
            other: Lists with the same number of rows.

        Returns:
            New :class:`ItemLists` named like ``self``.

        Raises:
            ShapeError: The row counts differ.
        """
        self._check_same_rows(other)
        keep = ~other.contains(self.row_ids, self._indices)
        return ItemLists.from_pairs(self.row_ids[keep], self._indices[keep], len(self),
                                    num_items=self.num_items, name=self.name)

    def union(self, other: 'ItemLists') -> 'ItemLists':
        """Row-wise set union ``self[r] | other[r]``.

        Args:
            other: Lists with the same number of rows.

        Returns:
            New :class:`ItemLists` named like ``self``.

        Raises:
            ShapeError: The row counts differ.
        """
        self._check_same_rows(other)
        num_items = self.num_items if other.num_items is None else other.num_items
        return ItemLists.from_pairs(np.concatenate([self.row_ids, other.row_ids]),
                                    np.concatenate([self._indices, other._indices]), len(self),
                                    num_items=num_items, name=self.name)

    def _check_same_rows(self, other: 'ItemLists') -> None:
        if len(other) != len(self):
            raise ShapeError(scoped(_SCOPE, f'{self.name} has {len(self)} rows but {other.name} has '
                                    f'{len(other)}; give both one list per evaluated user.'))


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int array (a sort and a diff; skips the sort when sorted).

    Args:
        keys: 1-D int array.

    Returns:
        Sorted unique values (a new array).
    """
    return _sort_unique_in_place(np.array(keys))


def _sort_unique_in_place(keys: np.ndarray) -> np.ndarray:
    """Sort a 1-D int array in place and return its distinct values.

    A sort (skipped when already sorted) and one comparison of neighbours; numpy's
    ``np.unique`` hashes first, which is many times slower on large key arrays.

    Args:
        keys: 1-D int array, overwritten (sorted).

    Returns:
        The sorted distinct values: ``keys`` itself when it holds no repeat, else a
        new array.
    """
    if keys.size < 2:
        return keys
    # An unsorted head settles it without a pass over the whole array.
    head = min(keys.size, 1025)
    if np.any(keys[1:head] < keys[:head - 1]) or np.any(keys[1:] < keys[:-1]):
        keys.sort()
    keep = np.empty(keys.size, dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    return keys if keep.all() else keys[keep]


def _key_base(indices: np.ndarray, num_items: Optional[int]) -> int:
    """Multiplier that makes ``row * base + item`` unique and order-preserving."""
    largest = int(indices.max()) + 1 if indices.size else 1
    return max(largest, num_items or 1)


def _check_item_range(indices: np.ndarray, num_items: Optional[int], name: str) -> None:
    if indices.size == 0:
        return
    low, high = int(indices.min()), int(indices.max())
    if low < 0:
        raise ShapeError(scoped(_SCOPE, f'{name} holds a negative item id ({low}); item ids start at 0.'))
    if num_items is not None and high >= num_items:
        raise ShapeError(scoped(_SCOPE, f'{name} holds item id {high} but there are only {num_items} items '
                                f'(scores have {num_items} columns); remap ids to [0, {num_items}) or score '
                                f'all {high + 1} items.'))


def keys_contain(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Membership of ``keys`` in a sorted key array, via ``searchsorted``.

    Args:
        sorted_keys: Sorted 1-D int array.
        keys: int array of any shape.

    Returns:
        Boolean array shaped like ``keys``.
    """
    keys = np.asarray(keys)
    if sorted_keys.size == 0:
        return np.zeros(keys.shape, dtype=bool)
    if keys.size < _SORT_QUERIES_FROM:
        position = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
        return sorted_keys[position] == keys
    # Sorted queries walk the key array in order, which is about twice as fast on
    # large key arrays (cache-friendly binary searches) even after the argsort.
    flat = keys.ravel()
    order = np.argsort(flat)
    ordered = flat[order]
    position = np.searchsorted(sorted_keys, ordered)
    np.minimum(position, sorted_keys.size - 1, out=position)
    found = np.empty(flat.size, dtype=bool)
    found[order] = sorted_keys[position] == ordered
    return found.reshape(keys.shape)
