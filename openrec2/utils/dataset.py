"""Interaction datasets held as numpy structured arrays.

A :class:`Dataset` wraps a structured array of interactions (fields ``user_id``,
``item_id``, optional ``label`` and ``timestamp``, any other fields kept as they are)
together with the id ranges ``max_user`` / ``max_item``. It indexes the *positive*
interactions of every user as an :class:`~openrec2.utils.item_lists.ItemLists` (a
compressed sparse row structure, :attr:`Dataset.positives`), the same structure the
samplers and evaluators use, so membership tests, per-user item lists and negative
sampling never need a dense user x item matrix.

This is the successor of the legacy OpenRec ``Dataset`` / ``ImplicitDataset``; the
legacy accessors (``get_unique_user_list``, ``get_unique_item_list``,
``unique_user_count``, ``contain_user``, ``get_interactions_by_user_gb_item(user_id)``,
``get_interactions_by_item_gb_user(item_id)``, ``shuffle``, ``raw_data``, ...) are kept
with their legacy meaning, over the same positive index.
"""

from __future__ import annotations

from typing import Iterable, Optional

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.item_lists import ItemLists, keys_contain  # noqa: F401  (keys_contain: old import path)
from openrec2.validation import check_int

_REQUIRED_FIELDS = ('user_id', 'item_id')


class LegacyKeyError(DataError, KeyError):
    """A legacy per-user / per-item lookup of an id without any positive.

    Legacy OpenRec raised ``KeyError`` there; this is both that and a :class:`DataError`.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ''


class CallableCount(int):
    """An ``int`` that also answers when called: ``dataset.max_user`` and legacy ``dataset.max_user()``.

    Legacy OpenRec's datasets had ``max_user()`` / ``max_item()`` methods; openrec2's have
    int attributes. A ``CallableCount`` is both, so code written either way keeps working.
    """

    def __call__(self) -> int:
        return int(self)


class Dataset:
    """A set of (user, item) interactions with a CSR index of each user's positives.

    Positives are the rows whose ``label`` is greater than zero when the array has a
    ``label`` field, otherwise every row. Duplicate (user, item) rows count once in
    the positive index (the rows themselves are kept in :attr:`data`, a read-only
    view of ``raw_data``).

    Args:
        raw_data: Structured array with integer fields ``user_id`` and ``item_id``;
            optional numeric ``label`` and ``timestamp`` fields; other fields are kept.
        max_user: Number of user ids; every ``user_id`` must lie in ``[0, max_user)``.
        max_item: Number of item ids; every ``item_id`` must lie in ``[0, max_item)``.
        name: Name used in error messages and reprs.

    Raises:
        DataError: ``raw_data`` is not a structured array with integer ``user_id`` /
            ``item_id`` fields, a ``label`` field is not numeric, or an id lies out of
            range.
        SettingError: ``max_user`` / ``max_item`` are not positive integers.
    """

    def __init__(self, raw_data: np.ndarray, max_user: int, max_item: int,
                 name: str = 'dataset') -> None:
        self.name = str(name)
        self._validate(raw_data, max_user, max_item)
        # A read-only view: the positive index below stays in step with the rows.
        self._raw_data = raw_data.view()
        self._raw_data.flags.writeable = False
        self.data = self._raw_data
        self._users_by_item = None
        # ints that legacy code may also call: max_user()
        self.max_user = CallableCount(max_user)
        self.max_item = CallableCount(max_item)
        self._build_positive_index()

    # ------------------------------------------------------------------ validation
    def _error(self, message: str) -> DataError:
        return DataError(scoped(f'Dataset {self.name!r}', message))

    def _validate(self, raw_data: np.ndarray, max_user: int, max_item: int) -> None:
        if not isinstance(raw_data, np.ndarray) or raw_data.dtype.names is None:
            raise self._error(
                'raw_data must be a numpy structured array with fields user_id and item_id '
                f'(got {type(raw_data).__name__}); build one with np.zeros(n, dtype=[("user_id", '
                'np.int64), ("item_id", np.int64)]) or np.rec.fromarrays.')
        if raw_data.ndim != 1:
            raise self._error(f'raw_data must be one-dimensional, got shape {raw_data.shape}.')
        missing = [f for f in _REQUIRED_FIELDS if f not in raw_data.dtype.names]
        if missing:
            raise self._error(f'raw_data lacks field(s) {missing}; it has {list(raw_data.dtype.names)}.')
        for field in _REQUIRED_FIELDS:
            if not np.issubdtype(raw_data.dtype[field], np.integer):
                raise self._error(f'field {field!r} must be an integer dtype, got {raw_data.dtype[field]}.')
        if 'label' in raw_data.dtype.names and not (
                np.issubdtype(raw_data.dtype['label'], np.number)
                or np.issubdtype(raw_data.dtype['label'], np.bool_)):
            raise self._error(f"field 'label' must be numeric, got {raw_data.dtype['label']}.")
        for arg_name, value in (('max_user', max_user), ('max_item', max_item)):
            check_int(value, arg_name, f'Dataset {self.name!r}')
        for field, limit, arg_name in (('user_id', max_user, 'max_user'),
                                       ('item_id', max_item, 'max_item')):
            ids = raw_data[field]
            if len(ids) == 0:
                continue
            low, high = int(ids.min()), int(ids.max())
            if low < 0 or high >= limit:
                raise self._error(
                    f'{field} values must lie in [0, {arg_name}={limit}); found range '
                    f'[{low}, {high}]. Remap ids to 0-based or raise {arg_name} to at least {high + 1}.')

    # ------------------------------------------------------------------ indexing
    def _build_positive_index(self) -> None:
        self._positives = ItemLists.from_keys(self._positive_row_keys(), self.max_user, self.max_item,
                                              name=self.name, overwrite_keys=True)
        self._users = np.flatnonzero(self._positives.lengths).astype(np.int64)
        self._item_popularity = np.bincount(self._positives.indices, minlength=self.max_item).astype(np.int64)

    def _positive_row_keys(self) -> np.ndarray:
        """int64 keys ``user * max_item + item`` of :meth:`positive_rows`, in dataset order.

        The same rows as :meth:`positive_rows`, built in place in one new int64 array (plus
        the selected id columns when some label is not positive); the id columns of the
        structured array are read as strided views.
        """
        users, items = self.data['user_id'], self.data['item_id']
        selected = False
        if 'label' in self.data.dtype.names:
            positive = self.data['label'] > 0
            if not positive.all():
                users, items = users[positive], items[positive]
                selected = True
        # A selection is already a new array (widened only if not int64); a column is a
        # view of the rows, so it is copied.
        keys = users.astype(np.int64, copy=not selected)
        keys *= self.max_item
        keys += items.astype(np.int64, copy=False)  # no copy for int64 ids
        return keys

    # ------------------------------------------------------------------ public API
    def __len__(self) -> int:
        return int(self.data.shape[0])

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(name={self.name!r}, rows={len(self)}, '
                f'positives={self.num_positives}, max_user={self.max_user}, max_item={self.max_item})')

    @property
    def positives(self) -> ItemLists:
        """Every user's positive items: :class:`~openrec2.utils.item_lists.ItemLists` with
        ``max_user`` rows (the structure samplers and evaluators take as it is)."""
        return self._positives

    @property
    def indptr(self) -> np.ndarray:
        """int64 ``[max_user + 1]``: user ``u``'s positives are ``indices[indptr[u]:indptr[u+1]]``."""
        return self._positives.indptr

    @property
    def indices(self) -> np.ndarray:
        """int64 ``[num_positives]``: positive item ids, sorted ascending within each user."""
        return self._positives.indices

    @property
    def positive_keys(self) -> np.ndarray:
        """int64 sorted unique keys ``user * max_item + item`` of all positive pairs."""
        return self._positives.keys

    @property
    def num_positives(self) -> int:
        """Number of distinct positive (user, item) pairs."""
        return int(self._positives.indices.shape[0])

    @property
    def positive_counts(self) -> np.ndarray:
        """int64 ``[max_user]``: number of distinct positive items of each user."""
        return self._positives.lengths

    @property
    def users(self) -> np.ndarray:
        """int64 sorted ids of the users having at least one positive."""
        return self._users

    @property
    def item_popularity(self) -> np.ndarray:
        """int64 ``[max_item]``: number of users having each item as a positive."""
        return self._item_popularity

    def positive_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The positive rows in dataset order, repeats kept (every row, or the rows with
        ``label > 0`` when there is a label field).

        Returns:
            ``(user_ids, item_ids)``, two int64 arrays.
        """
        users = self.data['user_id'].astype(np.int64)
        items = self.data['item_id'].astype(np.int64)
        if 'label' in self.data.dtype.names:
            positive = self.data['label'] > 0
            users, items = users[positive], items[positive]
        return users, items

    def positive_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """All distinct positive pairs, ordered by user then item.

        Returns:
            ``(user_ids, item_ids)``, two int64 arrays of length :attr:`num_positives`.
        """
        return self._positives.row_ids, self._positives.indices

    def positive_items(self, user_id: int) -> np.ndarray:
        """Sorted positive item ids of one user.

        Args:
            user_id: A user id in ``[0, max_user)``.

        Returns:
            int64 array (a read-only view; empty when the user has no positive).

        Raises:
            DataError: ``user_id`` is out of range.
        """
        user_id = int(user_id)
        if not 0 <= user_id < self.max_user:
            raise self._error(f'user_id {user_id} is out of range [0, {self.max_user}).')
        return self._positives[user_id]

    def item_lists(self, user_ids: Optional[Iterable[int]] = None) -> list[np.ndarray]:
        """Per-user sorted positive item ids, e.g. the test items of evaluation.

        Args:
            user_ids: Users to list, in the order wanted; ``None`` means :attr:`users`
                (every user with at least one positive, ascending).

        Returns:
            A list with one int64 array per requested user (empty for a user with none).

        Raises:
            DataError: A user id is out of range.
        """
        if user_ids is None:
            ids = self._users
        else:
            if not isinstance(user_ids, (np.ndarray, list, tuple)):
                user_ids = list(user_ids)
            ids = np.asarray(user_ids, dtype=np.int64).ravel()
        self._check_user_range(ids)
        indptr, indices = self._positives.indptr, self._positives.indices
        return [indices[indptr[u]:indptr[u + 1]] for u in ids.tolist()]

    def contains(self, user_ids, item_ids) -> np.ndarray:
        """Vectorised test of whether each (user, item) pair is a positive.

        Args:
            user_ids: Array-like of user ids (broadcast against ``item_ids``).
            item_ids: Array-like of item ids.

        Returns:
            Boolean array of the broadcast shape; out-of-range ids give ``False``.
        """
        users, items = np.broadcast_arrays(np.asarray(user_ids, dtype=np.int64),
                                           np.asarray(item_ids, dtype=np.int64))
        in_range = (users >= 0) & (users < self.max_user) & (items >= 0) & (items < self.max_item)
        return in_range & self.contains_keys(np.where(in_range, users * self.max_item + items, -1))

    def contains_keys(self, keys: np.ndarray) -> np.ndarray:
        """Membership of pair keys ``user * max_item + item`` among the positives.

        Args:
            keys: int64 array of keys of in-range pairs (any shape).

        Returns:
            Boolean array shaped like ``keys``.
        """
        return self._positives.contains_keys(keys)

    # ------------------------------------------------------------------ legacy aliases
    @property
    def raw_data(self) -> np.ndarray:
        """Legacy name of the rows as given (read-only; :meth:`shuffle` never reorders it)."""
        return self._raw_data

    def shuffle(self, seed: Optional[int] = None) -> None:
        """Legacy: put the rows of :attr:`data` in a random order (``raw_data`` keeps its own).

        Only the row order changes; the positive index (and so every per-user accessor)
        is the same before and after.

        Args:
            seed: Seed of the order; ``None`` draws it from numpy's global generator, as
                legacy OpenRec's ``np.random.shuffle`` did.
        """
        rng = np.random if seed is None else np.random.default_rng(seed)
        self.data = self._raw_data[rng.permutation(len(self._raw_data))]
        self.data.flags.writeable = False

    def get_unique_user_list(self) -> np.ndarray:
        """Legacy alias of :attr:`users`.

        Returns:
            int64 sorted ids of users with at least one positive.
        """
        return self._users

    def get_unique_item_list(self) -> np.ndarray:
        """Legacy: ids of the items with at least one positive.

        Returns:
            int64 sorted item ids.
        """
        return np.flatnonzero(self._item_popularity).astype(np.int64)

    def unique_user_count(self) -> int:
        """Legacy: number of users with at least one positive."""
        return int(self._users.size)

    def unique_item_count(self) -> int:
        """Legacy: number of items with at least one positive."""
        return int(np.count_nonzero(self._item_popularity))

    def contain_user(self, user_id: int) -> bool:
        """Legacy: whether a user has at least one positive (False for an id out of range)."""
        user_id = int(user_id)
        return 0 <= user_id < self.max_user and bool(self._positives.lengths[user_id] > 0)

    def contain_item(self, item_id: int) -> bool:
        """Legacy: whether an item is a positive of at least one user (False for an id out of range)."""
        item_id = int(item_id)
        return 0 <= item_id < self.max_item and bool(self._item_popularity[item_id] > 0)

    def get_interactions_by_user_gb_item(self, user_id: Optional[int] = None):
        """Legacy accessor of a user's positive items.

        Args:
            user_id: A user with at least one positive: legacy OpenRec's call, which
                returns that user's items as a set. ``None`` (openrec2's call) returns
                every user's items at once.

        Returns:
            With ``user_id``: the set of the user's positive item ids (python ints).
            Without: dict ``{user_id: sorted int64 array of positive item ids}`` for
            :attr:`users`.

        Raises:
            DataError: ``user_id`` has no positive (legacy raised ``KeyError``; this
                error is also a ``KeyError``) or is out of range.
        """
        if user_id is None:
            return dict(zip(self._users.tolist(), self.item_lists()))
        return set(self._items_of('user', user_id, self.max_user, self._positives.lengths).tolist())

    def get_interactions_by_item_gb_user(self, item_id: int) -> set:
        """Legacy: the set of users having an item as a positive.

        Args:
            item_id: An item with at least one positive.

        Returns:
            Set of user ids (python ints).

        Raises:
            DataError: ``item_id`` has no positive (also a ``KeyError``, as in legacy) or
                is out of range.
        """
        self._items_of('item', item_id, self.max_item, self._item_popularity)
        if self._users_by_item is None:
            order = np.argsort(self._positives.indices, kind='stable')
            self._users_by_item = (np.concatenate([[0], np.cumsum(self._item_popularity)]),
                                   self._positives.row_ids[order])
        starts, users = self._users_by_item
        return set(users[starts[int(item_id)]:starts[int(item_id) + 1]].tolist())

    def _items_of(self, what: str, key, limit: int, counts: np.ndarray) -> np.ndarray:
        """Check a legacy per-user/per-item lookup; a user's positives for ``what='user'``."""
        if isinstance(key, (bool, np.bool_)) or not isinstance(key, (int, np.integer)):
            raise self._error(f'{what}_id must be an integer, got {key!r}.')
        key = int(key)
        if not 0 <= key < limit:
            raise self._error(f'{what}_id {key} is out of range [0, {limit}).')
        if counts[key] == 0:
            raise LegacyKeyError(self._error(
                f'{what} {key} has no positive interaction; check contain_{what}({key}) first '
                f'(legacy OpenRec raised KeyError here too).'))
        return self._positives[key] if what == 'user' else np.zeros(0, np.int64)

    def contain_user_item(self, user_id: int, item_id: int) -> bool:
        """Legacy scalar membership test.

        Args:
            user_id: A user id.
            item_id: An item id.

        Returns:
            Whether (user_id, item_id) is a positive pair.
        """
        return bool(self.contains(user_id, item_id))

    def _check_user_range(self, ids: np.ndarray) -> None:
        if ids.size and (ids.min() < 0 or ids.max() >= self.max_user):
            raise self._error(f'user ids must lie in [0, {self.max_user}); got range '
                              f'[{int(ids.min())}, {int(ids.max())}].')


class ImplicitDataset(Dataset):
    """Implicit-feedback dataset (clicks, purchases, ratings treated as positives).

    Same API as :class:`Dataset`; the legacy OpenRec name is kept so that legacy
    scripts port by changing their imports. Rows without a ``label`` field are all
    positives; with one, rows with ``label > 0`` are.
    """


def _checked_column(name: str, dtype, values) -> np.ndarray:
    """One column of :func:`make_interactions` as a flat array, refused rather than truncated.

    Integer columns take integers, or floats that are whole numbers (a float column of a
    data frame); float columns take finite numbers.
    """
    column = np.asarray(values).ravel()
    kind = column.dtype.kind
    if kind not in 'iuf' or (kind == 'f' and not np.isfinite(column).all()):
        raise DataError(scoped('make_interactions', f'`{name}` must hold finite numbers, got dtype '
                                                    f'{column.dtype} (first values {column[:3].tolist()}); map '
                                                    'text ids to integers first (np.unique(ids, '
                                                    'return_inverse=True)).'))
    if np.dtype(dtype).kind == 'i' and kind == 'f':
        fractional = np.flatnonzero(column != np.round(column))
        if fractional.size:
            raise DataError(scoped('make_interactions', f'`{name}` must hold whole numbers; {fractional.size} '
                                                        f'value(s) are not, e.g. {column[fractional[0]].item()!r} at '
                                                        f'position {fractional[0]}.'))
    return column


def make_interactions(user_ids, item_ids, label=None, timestamp=None) -> np.ndarray:
    """Build the structured array a :class:`Dataset` takes from plain columns.

    Args:
        user_ids: Integer user ids.
        item_ids: Integer item ids (same length).
        label: Optional float labels (same length).
        timestamp: Optional int64 timestamps (same length).

    Returns:
        Structured array with fields ``user_id``, ``item_id`` (int64) and, when given,
        ``label`` (float32) and ``timestamp`` (int64).

    Raises:
        DataError: The columns differ in length; ids or timestamps that are not whole
            numbers (text, 1.5, NaN); labels that are not finite numbers.
    """
    columns = [('user_id', np.int64, user_ids), ('item_id', np.int64, item_ids)]
    if label is not None:
        columns.append(('label', np.float32, label))
    if timestamp is not None:
        columns.append(('timestamp', np.int64, timestamp))
    arrays = [_checked_column(name, dtype, values) for name, dtype, values in columns]
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise DataError(scoped('make_interactions', f'columns differ in length: '
                               f'{ {name: len(a) for (name, _, _), a in zip(columns, arrays)} }.'))
    out = np.empty(lengths.pop(), dtype=[(name, dtype) for name, dtype, _ in columns])
    for (name, _, _), values in zip(columns, arrays):
        out[name] = values
    return out
