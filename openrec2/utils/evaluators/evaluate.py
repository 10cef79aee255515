"""The evaluation functions: full ranking, sampled ranking and labelled data.

They need no model and no trainer, so any scores (another library's included) can be
evaluated, and the trainer uses the very same functions.

* :func:`evaluate` — full ranking: every user is scored against all items; the user's
  excluded items (training items, and any other split the caller names) are removed
  from the ranking. Test items that are also excluded are dropped from the positives.
* :func:`evaluate_sampled` — each user's positives against the user's own candidate
  set (positives plus fixed sampled negatives).
* :func:`evaluate_labelled` — one prediction per labelled example (CTR, ratings).

Ranking rules (see :mod:`openrec2.utils.evaluators.ranking`): score descending, ties
broken by the lower item id first; top-K holds exactly ``min(K, candidates)`` items.
A user (row) without any positive left is skipped and counted in
``results.num_skipped``; metrics average over the evaluated users
(``results.num_evaluated``).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional, Union

import numpy as np

from openrec2.errors import DataError, DTypeError, ShapeError, UnknownOptionError, scoped
from openrec2.utils.evaluators.auc import AUC
from openrec2.utils.evaluators.evaluator import Evaluator
from openrec2.utils.evaluators.ranking import legacy_rank_above, mask_scores, rank_block
from openrec2.utils.evaluators.ranking_metrics import MAP, MRR, NDCG, HitRatio, Precision, Recall
from openrec2.utils.evaluators.results import MetricAccumulator, MetricResults
from openrec2.utils.item_lists import ItemLists, keys_contain
from openrec2.utils.ragged import ragged_positions
from openrec2.validation import check_int

_SCOPE = 'evaluate'
#: Score entries ranked at once (2 MB of float32): a chunk and its working copies stay in cache.
_CACHE_ELEMENTS = 1 << 19

ItemListsLike = Union[ItemLists, Sequence]
ScoreBlocks = Iterable[tuple[np.ndarray, np.ndarray]]


def default_ranking_evaluators() -> list[Evaluator]:
    """AUC and every top-K metric at 10: the evaluators used when none are given.

    Returns:
        A new list of evaluators.
    """
    return [AUC(), Recall(10), Precision(10), NDCG(10), HitRatio(10), MRR(10), MAP(10)]


def evaluate(scores: Union[np.ndarray, ScoreBlocks], test_items: ItemListsLike,
             excluded_items: Optional[ItemListsLike] = None,
             evaluators: Optional[Sequence[Evaluator]] = None, batch_size: int = 1024,
             num_items: Optional[int] = None, num_threads: Optional[int] = None) -> MetricResults:
    """Full-ranking evaluation of a score matrix (or of blocks of it).

    Args:
        scores: Either a ``[n_rows, n_items]`` array (row ``r`` scores user ``r`` of
            ``test_items``), or an iterable of ``(row_indices, score_block)`` pairs with
            ``score_block`` of shape ``[len(row_indices), n_items]`` — e.g. a generator
            that scores users batch by batch. Every row with a test item left after
            exclusion must be scored exactly once.
        test_items: One array of item ids per row (or an :class:`ItemLists`).
        excluded_items: One array of item ids per row to remove from the ranking
            (training items, ...), or ``None``.
        evaluators: Ranking evaluators; default :func:`default_ranking_evaluators`.
        batch_size: Rows ranked at once (bounds memory to a few ``batch_size x n_items``
            arrays).
        num_items: Expected number of score columns; inferred from the item lists or
            the scores when ``None``.
        num_threads: Threads ranking blocks while the next block is produced (numpy
            releases the GIL); ``None`` means ``min(2, cpu count)``. Results do not
            depend on it.

    Returns:
        :class:`MetricResults` ``{'Recall@10': ..., 'AUC': ...}``.

    Raises:
        ShapeError: Lengths or widths disagree, an item id is out of range, a row is
            scored twice or a row with test items is never scored.
        DTypeError: Scores are not numeric or item ids not integers.
        DataError: Scores hold NaN.
        UnknownOptionError: An evaluator is not a ranking metric.
    """
    evaluators = _ranking_evaluators(evaluators)
    batch_size = _check_batch_size(batch_size)
    test = ItemLists.coerce(test_items, 'test_items')
    excluded = _coerce_excluded(excluded_items, test)
    num_items = num_items if num_items is not None else (test.num_items or excluded.num_items)
    scored = np.zeros(len(test), dtype=bool)

    def checked_blocks() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        nonlocal num_items
        first_block = None
        for rows, block in _row_blocks(scores, len(test), batch_size):
            first_block = block if first_block is None else first_block
            if num_items is None:
                num_items = block.shape[1]
            if block.shape[1] != num_items:
                raise ShapeError(scoped(_SCOPE, f'score block has {block.shape[1]} columns but there are '
                                        f'{num_items} items; score every item id in [0, {num_items}).'))
            if block is first_block:  # the width is known now: check the item ids against it
                ItemLists.coerce(test, 'test_items', num_items)
                ItemLists.coerce(excluded, 'excluded_items', num_items)
            if scored[rows].any() or np.unique(rows).size != rows.size:
                raise ShapeError(scoped(_SCOPE, 'a row was scored twice; give each row index once.'))
            scored[rows] = True
            yield rows, block

    def rank(rows_and_block: tuple[np.ndarray, np.ndarray]) -> tuple[dict, int]:
        return _rank_full_block(*rows_and_block, test, excluded, evaluators)

    accumulator = MetricAccumulator(key for e in evaluators for key in e.keys())
    for values, num_users in _ordered_map(rank, checked_blocks(), num_threads):
        accumulator.add(values, num_users)
    _check_all_scored(scored, test, excluded)
    return accumulator.results(len(test))


def evaluate_sampled(pair_scores: Union[np.ndarray, Sequence], candidate_items: ItemListsLike,
                     positive_items: ItemListsLike, evaluators: Optional[Sequence[Evaluator]] = None,
                     batch_size: int = 1024, num_threads: Optional[int] = None) -> MetricResults:
    """Sampled-ranking evaluation: each row ranks only its own candidate items.

    Args:
        pair_scores: Score of every candidate, either a flat array aligned with the
            concatenation of ``candidate_items`` rows (in the order given; for an
            :class:`ItemLists`, its sorted ``indices``), or one score array per row.
        candidate_items: One array of candidate item ids per row (positives and
            sampled negatives; no repeats).
        positive_items: One array of positive item ids per row; each must be a
            candidate of its row.
        evaluators: Ranking evaluators; default :func:`default_ranking_evaluators`.
        batch_size: Rows ranked at once.
        num_threads: Threads ranking blocks, as in :func:`evaluate`.

    Returns:
        :class:`MetricResults`; rows without positives are skipped.

    Raises:
        ShapeError: Lengths disagree, a candidate repeats within a row, or a positive
            is not among its row's candidates.
        DTypeError: Scores are not numeric.
        DataError: Scores hold NaN.
        UnknownOptionError: An evaluator is not a ranking metric.
    """
    evaluators = _ranking_evaluators(evaluators)
    batch_size = _check_batch_size(batch_size)
    cand_rows, cand_items = _flatten_candidates(candidate_items)
    num_rows = len(candidate_items)
    flat_scores = _flatten_pair_scores(pair_scores, cand_items.size)
    positives = ItemLists.coerce(positive_items, 'positive_items')
    if len(positives) != num_rows:
        raise ShapeError(scoped(_SCOPE, f'positive_items has {len(positives)} rows but candidate_items has '
                                f'{num_rows}; give one list per row to both.'))
    # Order candidates by (row, item): columns of a row's block then follow item ids.
    order = np.lexsort((cand_items, cand_rows))
    cand_rows, cand_items, flat_scores = cand_rows[order], cand_items[order], flat_scores[order]
    base = int(max(cand_items.max(initial=0), positives.indices.max(initial=0))) + 1
    cand_keys = cand_rows * base + cand_items
    if cand_keys.size and np.any(np.diff(cand_keys) == 0):
        row = int(cand_rows[np.flatnonzero(np.diff(cand_keys) == 0)[0]])
        raise ShapeError(scoped(_SCOPE, f'candidate_items[{row}] lists an item twice; give each candidate once.'))
    positive_keys = positives.row_ids * base + positives.indices
    missing = ~keys_contain(cand_keys, positive_keys)
    if missing.any():
        j = int(np.flatnonzero(missing)[0])
        raise ShapeError(scoped(_SCOPE, f'positive item {positives.indices[j]} of row {positives.row_ids[j]} '
                                'is not among its candidate_items; include every positive in the candidates.'))
    row_starts = np.zeros(num_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(cand_rows, minlength=num_rows), out=row_starts[1:])
    positive_cols = np.searchsorted(cand_keys, positive_keys) - row_starts[positives.row_ids]
    evaluated_rows = np.flatnonzero(positives.lengths > 0)

    def rank(rows: np.ndarray) -> tuple[dict, int]:
        counts = row_starts[rows + 1] - row_starts[rows]
        width = int(counts.max())
        # Dense block: a row's candidates in item order, padding (not a candidate) after them.
        local, columns = ragged_positions(counts)
        block = np.zeros((rows.size, width), dtype=flat_scores.dtype)
        block[local, columns] = flat_scores[row_starts[rows][local] + columns]
        padding_rows, padding_cols = np.nonzero(np.arange(width)[None, :] >= counts[:, None])
        masked = mask_scores(block, padding_rows, padding_cols, what='pair_scores')
        positive_positions, positive_flat = positives.gather(rows)
        return _metric_values(masked, positive_positions, positive_cols[positive_flat], counts, evaluators)

    accumulator = MetricAccumulator(key for e in evaluators for key in e.keys())
    row_chunks = (evaluated_rows[start:start + batch_size] for start in range(0, evaluated_rows.size, batch_size))
    for values, num_users in _ordered_map(rank, row_chunks, num_threads):
        accumulator.add(values, num_users)
    return accumulator.results(num_rows)


def evaluate_labelled(predictions: np.ndarray, labels: np.ndarray,
                      evaluators: Sequence[Evaluator]) -> MetricResults:
    """Evaluate one prediction per labelled example (CTR probabilities, ratings).

    Args:
        predictions: Array ``[n]`` (any shape that flattens to n).
        labels: Array ``[n]``: 0/1 for AUC/LogLoss, any real value for MSE/RMSE.
        evaluators: Labelled evaluators (``AUC``, ``LogLoss``, ``MSE``, ``RMSE``).

    Returns:
        :class:`MetricResults` with ``unit='examples'``.

    Raises:
        ShapeError: Lengths differ or there is no example.
        DataError: Predictions or labels hold NaN, or a metric's own check fails.
        UnknownOptionError: An evaluator needs rankings.
    """
    evaluators = list(evaluators)
    for evaluator in evaluators:
        if not evaluator.labelled:
            raise UnknownOptionError(scoped(_SCOPE, f'{evaluator.name} needs ranked items, not labels; '
                                            'use it with evaluate() or evaluate_sampled().'))
    predictions = _real_vector(predictions, 'predictions')
    labels = _real_vector(labels, 'labels')
    if predictions.size != labels.size or predictions.size == 0:
        raise ShapeError(scoped(_SCOPE, f'{predictions.size} predictions for {labels.size} labels; give one '
                                'prediction per labelled example (and at least one).'))
    values: dict[str, float] = {}
    for evaluator in evaluators:
        values.update(evaluator.labelled_values(predictions, labels))
    return MetricResults(values, predictions.size, 0, unit='examples')


# ---------------------------------------------------------------------- helpers
def _ranking_evaluators(evaluators: Optional[Sequence[Evaluator]]) -> list[Evaluator]:
    evaluators = default_ranking_evaluators() if evaluators is None else list(evaluators)
    if not evaluators:
        raise UnknownOptionError(scoped(_SCOPE, 'no evaluator given; pass e.g. [Recall(10), NDCG(10)].'))
    for evaluator in evaluators:
        if not isinstance(evaluator, Evaluator):
            raise UnknownOptionError(scoped(_SCOPE, f'{evaluator!r} is not an Evaluator; pass instances '
                                            'such as Recall(recall_at=[10, 20]).'))
        if not evaluator.ranking:
            raise UnknownOptionError(scoped(_SCOPE, f'{evaluator.name} is not a ranking metric; use it with '
                                            'evaluate_labelled().'))
    return evaluators


def _check_batch_size(batch_size: int) -> int:
    return check_int(batch_size, 'batch_size', _SCOPE)


def _coerce_excluded(excluded_items: Optional[ItemListsLike], test: ItemLists) -> ItemLists:
    if excluded_items is None:
        return ItemLists(np.zeros(len(test) + 1, dtype=np.int64), np.zeros(0, dtype=np.int64),
                         num_items=test.num_items, name='excluded_items')
    excluded = ItemLists.coerce(excluded_items, 'excluded_items')
    if len(excluded) != len(test):
        raise ShapeError(scoped(_SCOPE, f'excluded_items has {len(excluded)} rows but test_items has '
                                f'{len(test)}; give one list (possibly empty) per row to both.'))
    return excluded


def _row_blocks(scores, num_rows: int, batch_size: int):
    """Yield ``(row_indices, 2-D score block)`` of at most ``batch_size`` rows."""
    if isinstance(scores, np.ndarray) or hasattr(scores, '__array__'):
        matrix = np.asarray(scores)
        if matrix.ndim != 2 or matrix.shape[0] != num_rows:
            raise ShapeError(scoped(_SCOPE, f'scores must be [n_rows, n_items] with one row per test_items '
                                    f'list ({num_rows}); got shape {matrix.shape}.'))
        pairs = [(np.arange(num_rows), matrix)]
    else:
        pairs = scores
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ShapeError(scoped(_SCOPE, 'scores must be a 2-D array or an iterable of '
                                    '(row_indices, score_block) pairs; got an element of type '
                                    f'{type(pair).__name__}.'))
        rows = np.asarray(pair[0]).ravel()
        block = np.asarray(pair[1])
        if rows.size and not np.issubdtype(rows.dtype, np.integer):
            raise DTypeError(scoped(_SCOPE, f'row indices must be integers, got dtype {rows.dtype}.'))
        rows = rows.astype(np.int64)
        if block.ndim != 2 or block.shape[0] != rows.size:
            raise ShapeError(scoped(_SCOPE, f'a score block for {rows.size} rows has shape {block.shape}; '
                                    'it must be [len(row_indices), n_items].'))
        if rows.size and (rows.min() < 0 or rows.max() >= num_rows):
            raise ShapeError(scoped(_SCOPE, f'row index {int(rows.max())} out of range: test_items has '
                                    f'{num_rows} rows.'))
        for start in range(0, rows.size, batch_size):
            yield rows[start:start + batch_size], block[start:start + batch_size]


def _ordered_map(function: Callable[[Any], Any], items: Iterable, num_threads: Optional[int]) -> Iterator:
    """``map(function, items)`` on a small thread pool, results in input order.

    At most ``num_threads + 1`` items are in flight, so memory stays bounded while the
    producer of ``items`` (e.g. a model scoring the next block) overlaps the work.
    """
    num_threads = min(2, os.cpu_count() or 1) if num_threads is None else check_int(num_threads, 'num_threads',
                                                                                    _SCOPE)
    if num_threads <= 1:
        yield from map(function, items)
        return
    with ThreadPoolExecutor(max_workers=num_threads) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) > num_threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _rank_full_block(rows: np.ndarray, block: np.ndarray, test: ItemLists, excluded: ItemLists,
                     evaluators: list[Evaluator]) -> tuple[dict[str, np.ndarray], int]:
    """Rank one block of full-catalogue scores; per-user metric values and user count.

    The block is ranked in chunks of rows small enough for their few working copies to
    stay in the core's cache; the chunks' per-user values are joined, so the block's
    values are the same as when ranked at once.
    """
    chunk_rows = max(1, _CACHE_ELEMENTS // max(1, block.shape[1]))
    if rows.size <= chunk_rows:
        return _rank_full_chunk(rows, block, test, excluded, evaluators)
    parts = [_rank_full_chunk(rows[start:start + chunk_rows], block[start:start + chunk_rows], test, excluded,
                              evaluators) for start in range(0, rows.size, chunk_rows)]
    keys = list(dict.fromkeys(key for values, _ in parts for key in values))
    joined = {key: np.concatenate([values[key] for values, _ in parts if key in values]) for key in keys}
    return joined, sum(count for _, count in parts)


def _rank_full_chunk(rows: np.ndarray, block: np.ndarray, test: ItemLists, excluded: ItemLists,
                     evaluators: list[Evaluator]) -> tuple[dict[str, np.ndarray], int]:
    """Rank a chunk of rows of full-catalogue scores (see :func:`_rank_full_block`)."""
    positions, items = test.take(rows)
    keep = ~excluded.contains(rows[positions], items)  # an excluded test item is not a positive
    positions, items = positions[keep], items[keep]
    evaluated = np.bincount(positions, minlength=rows.size) > 0
    if not evaluated.all():
        new_position = np.cumsum(evaluated) - 1
        rows, block, positions = rows[evaluated], block[evaluated], new_position[positions]
    if rows.size == 0:
        return {}, 0
    excluded_positions, excluded_cols = excluded.take(rows)
    masked = mask_scores(block, excluded_positions, excluded_cols)
    num_candidates = block.shape[1] - excluded.lengths[rows]
    return _metric_values(masked, positions, items, num_candidates, evaluators)


def _metric_values(masked: np.ndarray, positive_rows: np.ndarray, positive_cols: np.ndarray,
                   num_candidates: np.ndarray, evaluators: list[Evaluator]) -> tuple[dict[str, np.ndarray], int]:
    """Rank a masked block; ``({key: per-user values}, number of users)``."""
    values: dict[str, np.ndarray] = {}
    modern = [e for e in evaluators if not e.legacy]
    if modern:
        max_k = max((k for e in modern for k in e.ks), default=1)
        with_auc = any(isinstance(e, AUC) for e in modern)
        ranked = rank_block(masked, positive_rows, positive_cols, num_candidates, max_k, with_auc)
        for evaluator in modern:
            values.update(evaluator.ranking_values(ranked))
    legacy = [e for e in evaluators if e.legacy]
    if legacy:  # legacy OpenRec evaluators: compute(rank_above, negative_num) per user
        rank_above, negative_num = legacy_rank_above(masked, positive_rows, positive_cols, num_candidates)
        for evaluator in legacy:
            values.update(evaluator.legacy_ranking_values(rank_above, negative_num))
    return values, masked.shape[0]


def _check_all_scored(scored: np.ndarray, test: ItemLists, excluded: ItemLists) -> None:
    unscored = np.flatnonzero(~scored)
    if unscored.size == 0:
        return
    positions, items = test.take(unscored)
    left = positions[~excluded.contains(unscored[positions], items)]
    if left.size:
        missing = np.unique(unscored[left])
        raise ShapeError(scoped(_SCOPE, f'{missing.size} row(s) with test items were never scored (first: '
                                f'{missing[:5].tolist()}); score every user that has test items.'))


def _flatten_candidates(candidate_items: ItemListsLike) -> tuple[np.ndarray, np.ndarray]:
    """(row, item) of every candidate, in the order the pair scores follow."""
    if isinstance(candidate_items, ItemLists):
        return candidate_items.row_ids, candidate_items.indices
    arrays = [np.asarray(values) for values in candidate_items]
    for row, array in enumerate(arrays):
        if array.ndim != 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
            raise ShapeError(scoped(_SCOPE, f'candidate_items[{row}] must be a 1-D array of integer item ids, '
                                    f'got shape {array.shape} dtype {array.dtype}.'))
    counts = np.fromiter((a.size for a in arrays), dtype=np.int64, count=len(arrays))
    items = np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, dtype=np.int64)
    if items.size and items.min() < 0:
        raise ShapeError(scoped(_SCOPE, 'candidate_items holds a negative item id; ids start at 0.'))
    return ragged_positions(counts)[0], items


def _flatten_pair_scores(pair_scores, total: int) -> np.ndarray:
    if isinstance(pair_scores, np.ndarray) and pair_scores.dtype != object:
        flat = pair_scores.ravel()
    else:
        parts = [np.asarray(s).ravel() for s in pair_scores]
        flat = np.concatenate(parts) if parts else np.zeros(0)
    if flat.size != total:
        raise ShapeError(scoped(_SCOPE, f'{flat.size} pair scores for {total} candidates; give one score per '
                                'candidate, in candidate order.'))
    return flat


def _real_vector(values, what: str) -> np.ndarray:
    array = np.asarray(values)
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_) \
            or np.issubdtype(array.dtype, np.complexfloating):
        raise DTypeError(scoped(_SCOPE, f'{what} must be real numbers, got dtype {array.dtype}.'))
    array = array.astype(np.float64).ravel()
    if np.isnan(array).any():
        raise DataError(scoped(_SCOPE, f'{what} hold NaN; fix them before evaluating.'))
    return array
