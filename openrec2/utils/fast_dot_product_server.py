"""Exact top-K retrieval over every item from exported dot-product factors (numpy, threaded).

A matrix-factorisation model scores user ``u`` and item ``i`` as
``<user_factors[u], item_factors[i]> + item_biases[i]``. Once it is trained, serving
needs none of its graph: :class:`FastDotProductServer` keeps the factors as numpy
arrays and returns, for a batch of users, the K best items that are not excluded
(typically the items each user already had in training).

How it works. Users are cut into blocks of ``user_block_size`` and items into chunks
of ``item_chunk_size``. For every (block, chunk) pair one matmul scores the chunk, the
user's excluded items are set to ``-inf`` and the chunk's exact top-K is selected with
``np.argpartition`` (:func:`~openrec2.utils.evaluators.top_k_indices`); the per-chunk
candidates of a block are then merged by one more selection and a final sort of K
entries. Pairs are processed on a thread pool (numpy's matmul and partitions release
the GIL). Memory stays at a few ``user_block_size x item_chunk_size`` score blocks per
thread, never a full ``users x items`` matrix.

Exactness. The result is the one a full sort of the whole score matrix gives, with the
excluded items removed: items by score, highest first, **ties broken by the lower item
id first**; a user with fewer than K items left gets them all, followed by item ``-1``
and score ``-inf``. Both the selection within a chunk and the merge resolve ties at the
K-th score by item id, so nothing depends on how items are chunked or on the number of
threads. Scores are the float results of numpy's matmul on each (block, chunk) pair;
:meth:`FastDotProductServer.score_matrix` returns exactly those scores as a full matrix,
so the top-K can be checked against a plain sort of it. (BLAS may round a product by
one unit in the last place differently for operands of other shapes, so a score
computed by some other program can differ by that much; with exactly representable
products, e.g. small integer factors, the scores are bit-for-bit those of
``user_factors @ item_factors.T + item_biases``.)

This is the successor of legacy OpenRec's ``FastDotProductServer``, which copied the
factors into a second TensorFlow model; here serving needs numpy only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional, Union

import numpy as np

from openrec2.errors import DataError, DTypeError, OpenRecError, ShapeError, UnknownOptionError, scoped
from openrec2.utils.dataset import Dataset
from openrec2.utils.evaluators import top_k_indices
from openrec2.utils.item_lists import ItemLists
from openrec2.validation import check_int

_SCOPE = 'FastDotProductServer'
#: Users scored against the model's own serving graph to confirm it is a plain dot-product model.
_PROBE_USERS = 4

ExcludedItems = Union[None, ItemLists, Dataset, Sequence]


class FastDotProductServer:
    """Top-K items for batches of users from user factors, item factors and item biases.

    Args:
        user_factors: Float array ``[num_users, d]``.
        item_factors: Float array ``[num_items, d]``.
        item_biases: Float array ``[num_items]`` (or ``[num_items, 1]``, as models store
            it), or ``None`` for no bias.
        excluded_items: Items each user must never be recommended, one row per user id:
            an :class:`~openrec2.utils.item_lists.ItemLists` (e.g. a dataset's
            ``positives`` or an ``EvaluationSampler``'s ``excluded_items``), a list with
            one array of item ids per user, a :class:`~openrec2.utils.Dataset` (its
            interactions), a list of Datasets (all of their interactions), or ``None``.
        item_chunk_size: Items scored per matmul.
        user_block_size: Users scored per matmul.
        num_threads: Threads scoring (block, chunk) pairs; ``None`` means one per CPU.
            The results do not depend on it.

    Raises:
        DTypeError: A factor array is not floating point, or ``excluded_items`` has an
            unsupported type.
        ShapeError: Shapes disagree (factor widths, bias length, excluded rows) or an
            excluded item id is out of range.
        DataError: A factor is NaN or infinite, or factors so large that scores could
            overflow; or an excluded Dataset has other id ranges.
        SettingError: A chunk or block size or the thread count is not a positive int.
    """

    def __init__(self, user_factors: np.ndarray, item_factors: np.ndarray, item_biases: Optional[np.ndarray] = None,
                 excluded_items: ExcludedItems = None, item_chunk_size: int = 32768, user_block_size: int = 256,
                 num_threads: Optional[int] = None) -> None:
        self._item_chunk_size = check_int(item_chunk_size, 'item_chunk_size', _SCOPE)
        self._user_block_size = check_int(user_block_size, 'user_block_size', _SCOPE)
        self._num_threads = check_int(num_threads, 'num_threads', _SCOPE, allow_none=True) or os.cpu_count() or 1
        users, items, biases = _factor_arrays(user_factors, item_factors, item_biases)
        _check_no_overflow(users, items, biases)
        self._user_factors, self._item_factors, self._item_biases = users, items, biases
        self._excluded = _excluded_lists(excluded_items, users.shape[0], items.shape[0])

    # ------------------------------------------------------------------ building from a model
    @classmethod
    def from_model(cls, model: Any, excluded_items: ExcludedItems = None, **settings: Any) -> 'FastDotProductServer':
        """Build a server from a trained openrec2 matrix-factorisation model (BPR, PMF, ...).

        Reads the model's tables ``<scope>/user/embedding``, ``<scope>/item/embedding``
        and (when present) ``<scope>/item_bias/embedding`` from its session, then checks
        on a few users that the model's own serving scores equal
        ``<user factor, item factor> + item bias``, so a model that scores differently
        (GMF's weighted product, CML's distances, content models that add feature
        projections, PMF with ``sigmoid=True``) is refused instead of served wrongly.

        Args:
            model: A trained :class:`~openrec2.recommenders.Recommender`.
            excluded_items: As in the constructor (e.g. the training Dataset).
            **settings: ``item_chunk_size``, ``user_block_size``, ``num_threads``.

        Returns:
            The server.

        Raises:
            UnknownOptionError: ``model`` is not an openrec2 recommender, has no plain
                user/item factor tables, or does not score by their dot product.
        """
        tables = _read_factor_tables(model)
        server = cls(tables['user'], tables['item'], tables.get('item_bias'), excluded_items=excluded_items,
                     **settings)
        _check_serves_dot_product(model, server)
        return server

    # ------------------------------------------------------------------ properties
    @property
    def num_users(self) -> int:
        """Number of user ids (rows of the user factors)."""
        return self._user_factors.shape[0]

    @property
    def num_items(self) -> int:
        """Number of item ids (rows of the item factors)."""
        return self._item_factors.shape[0]

    @property
    def dim(self) -> int:
        """Width of the factors."""
        return self._user_factors.shape[1]

    @property
    def user_factors(self) -> np.ndarray:
        """The user factors ``[num_users, d]`` as served (contiguous, one float dtype)."""
        return self._user_factors

    @property
    def item_factors(self) -> np.ndarray:
        """The item factors ``[num_items, d]`` as served."""
        return self._item_factors

    @property
    def item_biases(self) -> Optional[np.ndarray]:
        """The item biases ``[num_items]``, or None."""
        return self._item_biases

    @property
    def excluded_items(self) -> ItemLists:
        """The items excluded for every user (one row per user id)."""
        return self._excluded

    def __repr__(self) -> str:
        return (f'FastDotProductServer(users={self.num_users}, items={self.num_items}, dim={self.dim}, '
                f'biases={self._item_biases is not None}, excluded={self._excluded.indices.size}, '
                f'item_chunk_size={self._item_chunk_size}, user_block_size={self._user_block_size}, '
                f'num_threads={self._num_threads})')

    # ------------------------------------------------------------------ serving
    def recommend(self, user_ids: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """The K best non-excluded items of every user, best first.

        Args:
            user_ids: 1-D integer array of user ids in ``[0, num_users)`` (repeats allowed).
            k: Number of items per user, in ``[1, num_items]``.

        Returns:
            ``(items, scores)``: int64 ``[len(user_ids), k]`` item ids and their scores
            (the factors' dtype), sorted by score descending, ties by lower item id. A
            user with fewer than ``k`` items left is padded with item ``-1`` and score
            ``-inf``.

        Raises:
            SettingError: ``k`` is not an integer in ``[1, num_items]``.
            DTypeError: ``user_ids`` is not an integer array.
            ShapeError: ``user_ids`` is not 1-D or holds an id out of range.
        """
        users = self._check_user_ids(user_ids)
        k = check_int(k, 'k', _SCOPE, maximum=self.num_items)
        blocks = [users[start:start + self._user_block_size] for start in range(0, users.size, self._user_block_size)]
        chunks = range(0, self.num_items, self._item_chunk_size)
        pairs = [(block, start) for block in blocks for start in chunks]
        chunk_tops = self._map(lambda pair: self._chunk_top_k(pair[0], pair[1], k), pairs)
        top_items = np.empty((users.size, k), dtype=np.int64)
        top_scores = np.empty((users.size, k), dtype=self._item_factors.dtype)
        try:
            for number, block in enumerate(blocks):
                parts = [next(chunk_tops) for _ in chunks]
                rows = slice(number * self._user_block_size, number * self._user_block_size + block.size)
                top_items[rows], top_scores[rows] = _merge_chunk_tops(parts, k)
        finally:
            chunk_tops.close()  # shuts the thread pool down
        return top_items, top_scores

    def score_matrix(self, user_ids: np.ndarray) -> np.ndarray:
        """Scores of every item for some users, computed exactly as :meth:`recommend` computes them.

        Excluded items keep their scores here (nothing is masked). Meant for checks and
        small batches: the result is ``len(user_ids) x num_items``.

        Args:
            user_ids: 1-D integer array of user ids.

        Returns:
            ``[len(user_ids), num_items]`` scores.

        Raises:
            DTypeError: ``user_ids`` is not an integer array.
            ShapeError: ``user_ids`` is not 1-D or holds an id out of range.
        """
        users = self._check_user_ids(user_ids)
        scores = np.empty((users.size, self.num_items), dtype=self._item_factors.dtype)
        for first in range(0, users.size, self._user_block_size):
            block = users[first:first + self._user_block_size]
            for start in range(0, self.num_items, self._item_chunk_size):
                chunk = self._chunk_scores(block, start)
                scores[first:first + block.size, start:start + chunk.shape[1]] = chunk
        return scores

    # ------------------------------------------------------------------ internals
    def _chunk_scores(self, block: np.ndarray, start: int) -> np.ndarray:
        """Scores ``[len(block), chunk]`` of the items ``start .. start + item_chunk_size``."""
        stop = min(start + self._item_chunk_size, self.num_items)
        scores = self._user_factors[block] @ self._item_factors[start:stop].T
        if self._item_biases is not None:
            scores += self._item_biases[start:stop]
        return scores

    def _chunk_top_k(self, block: np.ndarray, start: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-k of one (block, chunk) pair: item ids (best first, ``-1`` padded) and scores."""
        scores = self._chunk_scores(block, start)
        positions, items = self._excluded.take(block)
        in_chunk = (items >= start) & (items < start + scores.shape[1])
        scores[positions[in_chunk], items[in_chunk] - start] = -np.inf
        columns = top_k_indices(scores, k)  # best first, equal scores in item-id order
        valid = columns >= 0
        values = np.where(valid, np.take_along_axis(scores, np.maximum(columns, 0), axis=1), -np.inf)
        return np.where(valid, columns + start, -1), values.astype(scores.dtype, copy=False)

    def _map(self, function, items: list) -> Iterator:
        """``map`` on the thread pool, results yielded in order as the caller consumes them
        (in this thread for one thread or one item)."""
        if self._num_threads <= 1 or len(items) <= 1:
            yield from map(function, items)
            return
        with ThreadPoolExecutor(max_workers=min(self._num_threads, len(items))) as pool:
            yield from pool.map(function, items)

    def _check_user_ids(self, user_ids: Any) -> np.ndarray:
        users = np.asarray(user_ids)
        if users.size and not np.issubdtype(users.dtype, np.integer):
            raise DTypeError(scoped(_SCOPE, f'user_ids must be integers, got dtype {users.dtype}.'))
        if users.ndim != 1:
            raise ShapeError(scoped(_SCOPE, f'user_ids must be a 1-D array of user ids, got shape {users.shape}.'))
        users = users.astype(np.int64)
        if users.size and (users.min() < 0 or users.max() >= self.num_users):
            bad = int(users[(users < 0) | (users >= self.num_users)][0])
            raise ShapeError(scoped(_SCOPE, f'user id {bad} is out of range [0, {self.num_users}); the user '
                                    'factors have one row per user id.'))
        return users


# ---------------------------------------------------------------------- merging
def _merge_chunk_tops(parts: list, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Merge per-chunk top-k lists (chunks in item order) into the block's top-k, best first."""
    if len(parts) == 1:
        items, scores = parts[0]
    else:
        items = np.concatenate([part[0] for part in parts], axis=1)
        scores = np.concatenate([part[1] for part in parts], axis=1)
    # Chunks come in item order and each lists equal scores in item order, so among equal
    # scores the column order is the item-id order: "ties go to the lower column" is "ties
    # go to the lower item id". Padding columns hold -inf and never rank.
    columns = top_k_indices(scores, k)
    valid = columns >= 0
    safe = np.maximum(columns, 0)
    top_items = np.where(valid, np.take_along_axis(items, safe, axis=1), -1)
    top_scores = np.where(valid, np.take_along_axis(scores, safe, axis=1), -np.inf).astype(scores.dtype)
    return top_items, top_scores


# ---------------------------------------------------------------------- validation
def _float_matrix(value: Any, name: str, ndim: int) -> np.ndarray:
    array = np.asarray(value)
    if not np.issubdtype(array.dtype, np.floating):
        raise DTypeError(scoped(_SCOPE, f'{name} must be a floating-point array (float32 or float64), got dtype '
                                f'{array.dtype}; convert it with .astype(np.float32).'))
    if array.ndim != ndim or 0 in array.shape:
        raise ShapeError(scoped(_SCOPE, f'{name} must be a non-empty {ndim}-D array, got shape {array.shape}.'))
    if not np.isfinite(array).all():
        raise DataError(scoped(_SCOPE, f'{name} holds NaN or infinite values; the model diverged or the export '
                               'is broken. Fix the factors before serving.'))
    return array


def _factor_arrays(user_factors: Any, item_factors: Any,
                   item_biases: Any) -> tuple[np.ndarray, np.ndarray, Optional[np.ndarray]]:
    """Checked factor arrays in one float dtype (float32 unless one of them is float64)."""
    users = _float_matrix(user_factors, 'user_factors', 2)
    items = _float_matrix(item_factors, 'item_factors', 2)
    if users.shape[1] != items.shape[1]:
        raise ShapeError(scoped(_SCOPE, f'user_factors have width {users.shape[1]} but item_factors {items.shape[1]}; '
                                'export both tables of the same model.'))
    biases = None
    if item_biases is not None:
        biases = np.asarray(item_biases)
        if biases.ndim == 2 and biases.shape[1:] == (1,):
            biases = biases[:, 0]  # the [num_items, 1] table models store
        biases = _float_matrix(biases, 'item_biases', 1)
        if biases.shape[0] != items.shape[0]:
            raise ShapeError(scoped(_SCOPE, f'item_biases has {biases.shape[0]} entries for {items.shape[0]} '
                                    'items; give one bias per item row.'))
    arrays = [a for a in (users, items, biases) if a is not None]
    dtype = np.float64 if any(a.dtype == np.float64 for a in arrays) else np.float32
    users, items = (np.ascontiguousarray(a, dtype=dtype) for a in (users, items))
    return users, items, None if biases is None else np.ascontiguousarray(biases, dtype=dtype)


def _check_no_overflow(users: np.ndarray, items: np.ndarray, biases: Optional[np.ndarray]) -> None:
    """Refuse factors whose scores could overflow: excluded items are the only ``-inf`` scores."""
    # |<u, q> + b| <= |u| |q| + |b| (Cauchy-Schwarz) bounds every partial sum of the matmul too.
    largest = float(np.linalg.norm(users.astype(np.float64), axis=1).max()
                    * np.linalg.norm(items.astype(np.float64), axis=1).max())
    largest += 0.0 if biases is None else float(np.abs(biases).max())
    if largest >= float(np.finfo(users.dtype).max) / 2:
        raise DataError(scoped(_SCOPE, f'scores could reach {largest:.3g} and overflow {users.dtype}; scale the '
                               'factors down or pass float64 arrays.'))


def _excluded_lists(excluded: ExcludedItems, num_users: int, num_items: int) -> ItemLists:
    """The excluded items as ItemLists with one row per user id."""
    if excluded is None or (isinstance(excluded, (list, tuple)) and not excluded):
        return ItemLists.empty(num_users, num_items, name='excluded_items')
    if isinstance(excluded, Dataset):
        excluded = [excluded]
    if isinstance(excluded, (list, tuple)) and all(isinstance(d, Dataset) for d in excluded):
        return _dataset_union(excluded, num_users, num_items)
    if isinstance(excluded, (str, bytes, dict)) or not isinstance(excluded, (ItemLists, Sequence, np.ndarray)):
        raise DTypeError(scoped(_SCOPE, f'excluded_items must be an ItemLists, a list of item-id arrays (one per '
                                f'user), a Dataset or a list of Datasets, got {type(excluded).__name__}.'))
    lists = ItemLists.coerce(excluded, 'excluded_items', num_items=num_items)
    if len(lists) != num_users:
        raise ShapeError(scoped(_SCOPE, f'excluded_items has {len(lists)} rows for {num_users} users; give one '
                                'list (possibly empty) per user id.'))
    return lists


def _dataset_union(datasets: Sequence[Dataset], num_users: int, num_items: int) -> ItemLists:
    union = ItemLists.empty(num_users, num_items, name='excluded_items')
    for dataset in datasets:
        if (dataset.max_user, dataset.max_item) != (num_users, num_items):
            raise DataError(scoped(_SCOPE, f'dataset {dataset.name!r} has max_user={dataset.max_user}, '
                                   f'max_item={dataset.max_item} but the factors have {num_users} users and '
                                   f'{num_items} items; exclude the splits of the data the model was trained on.'))
        union = union.union(dataset.positives)
    return union


# ---------------------------------------------------------------------- models
def _read_factor_tables(model: Any) -> dict:
    """``{'user': ..., 'item': ..., 'item_bias': ...}`` arrays read from a model's session."""
    import tensorflow.compat.v1 as tf  # only models need TensorFlow; the server itself is numpy

    graph, sess, scope = (getattr(model, name, None) for name in ('graph', 'sess', 'scope'))
    if not isinstance(graph, tf.Graph) or sess is None or not isinstance(scope, str):
        raise UnknownOptionError(scoped(_SCOPE, f'from_model needs a trained openrec2 recommender, got '
                                        f'{type(model).__name__}; for other models pass the factor arrays to '
                                        'FastDotProductServer(user_factors, item_factors, item_biases).'))
    variables = {v.name: v for v in graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)}
    wanted = {table: variables.get(f'{scope}/{table}/embedding:0') for table in ('user', 'item', 'item_bias')}
    missing = [f'{scope}/{table}/embedding' for table in ('user', 'item') if wanted[table] is None]
    if missing:
        raise UnknownOptionError(scoped(_SCOPE, f'{type(model).__name__} has no plain factor table {missing[0]} '
                                        '(models such as BPR and PMF have user/item/item_bias tables); export '
                                        'its user and item representations and pass them to '
                                        'FastDotProductServer(user_factors, item_factors, item_biases).'))
    present = {table: variable for table, variable in wanted.items() if variable is not None}
    return dict(zip(present, sess.run(list(present.values()))))


def _check_serves_dot_product(model: Any, server: FastDotProductServer) -> None:
    """Refuse a model whose own serving scores are not the factors' dot product plus bias."""
    probe = np.unique(np.linspace(0, server.num_users - 1, min(server.num_users, _PROBE_USERS)).astype(np.int64))
    expected = server.score_matrix(probe)
    try:
        served = np.asarray(model.serve({'user_id': probe.astype(np.int32)}))
    except OpenRecError as err:
        raise UnknownOptionError(scoped(_SCOPE, f'{type(model).__name__} cannot score every item from user ids '
                                        f'alone ({err}), so it is no plain dot-product model.')) from err
    scale = float(np.abs(expected).max()) or 1.0
    if served.shape != expected.shape or not np.allclose(served, expected, rtol=1e-4, atol=1e-5 * scale):
        raise UnknownOptionError(scoped(_SCOPE, f'{type(model).__name__} does not score <user factor, item factor> '
                                        '+ item bias from its user/item/item_bias tables (it weights, transforms '
                                        'or squashes them), so serving its tables would rank differently; export '
                                        'the representations it scores with and pass them to '
                                        'FastDotProductServer(user_factors, item_factors, item_biases).'))
