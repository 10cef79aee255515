"""Top-K and rank computation shared by every ranking metric (numpy, vectorised).

One definition of ranking is used everywhere (full and sampled evaluation):

* The input is a block of *masked scores* ``[B, W]``: column ``c`` is a candidate
  item of row ``b`` when its score is finite or ``+inf``; a non-candidate (an excluded
  item, or padding in sampled mode) holds ``-inf``. :func:`mask_scores` builds it.
* Candidates are ranked by score, highest first; **ties are broken by the lower
  column first**. Columns are item ids in full mode and candidates sorted by item id in
  sampled mode, so in both cases ties go to the lower item id. The order is therefore
  deterministic and the top-K of a smaller K is a prefix of the top-K of a larger one.
* Non-candidates never enter the ranking: the top-K holds exactly
  ``min(K, number of candidates)`` items.

:func:`rank_block` computes, for a block, the hit matrix of the top ``K_max``, the
positive/candidate counts and (optionally) per-user AUC, returned as a
:class:`RankedBlock` from which every metric reads what it needs.

Complexity per block: one ``np.partition`` (linear in W) for the K-th best score, or,
with AUC, one row sort that serves both AUC and that threshold; then one comparison pass
against the threshold whose 1-D nonzero yields the top-K columns, an exact tie fix only
for the rows whose K-th best score is tied with an item outside the top-K, and work on
``[B, K]`` or on the positives only (a stable sort of the top-K, key look-ups for the
hits, a batched binary search for the AUC ranks). No Python loop runs per user.
"""

from __future__ import annotations

from functools import cached_property
from typing import Optional

import numpy as np

from openrec2.errors import DataError, DTypeError, ShapeError, scoped
from openrec2.utils.ragged import ragged_positions

_SCOPE = 'evaluators'


def mask_scores(scores: np.ndarray, excluded_rows: np.ndarray, excluded_cols: np.ndarray,
                what: str = 'scores') -> np.ndarray:
    """Copy a score block to float and set its non-candidate entries to ``-inf``.

    float32 scores stay float32; other numeric types become float64. A real ``-inf``
    score of a candidate is raised to the lowest finite float, so that it still ranks
    (last) among candidates and stays apart from the excluded items.

    Args:
        scores: Numeric array ``[B, W]``.
        excluded_rows: Row index of every non-candidate entry.
        excluded_cols: Column index of every non-candidate entry.
        what: Name of the scores for error messages.

    Returns:
        The masked float copy.

    Raises:
        DTypeError: ``scores`` is not numeric.
        DataError: ``scores`` holds NaN.
    """
    scores = np.asarray(scores)
    if not (np.issubdtype(scores.dtype, np.number) or scores.dtype == np.bool_) \
            or np.issubdtype(scores.dtype, np.complexfloating):
        raise DTypeError(scoped(_SCOPE, f'{what} must be real numbers, got dtype {scores.dtype}.'))
    dtype = np.float32 if scores.dtype == np.float32 else np.float64
    masked = np.array(scores, dtype=dtype, copy=True)
    # One reduction finds both problems: the minimum is NaN when any entry is NaN, and
    # -inf when a real score is -inf (such a score is lifted to the lowest finite float).
    lowest = masked.min() if masked.size else 0.0
    if np.isnan(lowest):
        bad_row = int(np.flatnonzero(np.isnan(masked).any(axis=1))[0])
        raise DataError(scoped(_SCOPE, f'{what} hold NaN (first in block row {bad_row}); the model '
                               'diverged or a score function returned NaN. Fix the scores; '
                               'NaN cannot be ranked.'))
    if lowest == -np.inf:
        np.maximum(masked, np.finfo(dtype).min, out=masked)
    masked[excluded_rows, excluded_cols] = -np.inf
    return masked


def top_k_indices(scores: np.ndarray, k: int, sorted_rows: Optional[np.ndarray] = None) -> np.ndarray:
    """Columns of the K best candidates of every row, best first (ties: lower column first).

    The K-th best score of each row comes from one ``np.partition`` of the block (or
    from ``sorted_rows``); the entries at or above it are the top K unless the K-th
    score is tied with an entry outside them, in which case the tie is resolved by
    column for those rows only.

    Args:
        scores: Masked scores ``[B, W]`` (``-inf`` = not a candidate).
        k: Number of items wanted (positive).
        sorted_rows: ``np.sort(scores, axis=1)`` when already computed (AUC needs it);
            the K-th score is then read from it instead of partitioning.

    Returns:
        int64 ``[B, k]``; a row with fewer than ``k`` candidates is padded with ``-1``.
    """
    num_rows, width = scores.shape
    k_selected = min(k, width)
    if k_selected < width:
        split = width - k_selected
        if sorted_rows is not None:
            kth_value = sorted_rows[:, split]
        else:
            kth_value = np.partition(scores, split, axis=1)[:, split]
        # Columns come out in ascending order within each row (a 1-D nonzero is much
        # faster than a 2-D one).
        rows, cols = np.divmod(np.flatnonzero(scores >= kth_value[:, None]), width)
        # More than k entries at or above the K-th score: a tie at the cut (or a row with
        # fewer than k candidates, whose K-th score is -inf). Those rows need the exact rule.
        clear = np.bincount(rows, minlength=num_rows) == k_selected
        if clear.all():
            top = cols.reshape(num_rows, k_selected)
        else:
            top = np.empty((num_rows, k_selected), dtype=np.int64)
            top[clear] = cols[clear[rows]].reshape(-1, k_selected)
            ambiguous = np.flatnonzero(~clear)
            top[ambiguous] = _exact_top_k(scores[ambiguous], kth_value[ambiguous], k_selected)
    else:
        top = np.broadcast_to(np.arange(width, dtype=np.int64), (num_rows, width)).copy()
    valid = top >= 0
    values = np.where(valid, np.take_along_axis(scores, np.maximum(top, 0), axis=1), -np.inf)
    # Every row of ``top`` lists its columns in ascending order (padding last), so a
    # stable sort by descending score leaves tied items in column order.
    order = np.argsort(-values, axis=1, kind='stable')
    top = np.take_along_axis(top, order, axis=1)
    top[np.take_along_axis(values, order, axis=1) == -np.inf] = -1
    if k_selected < k:
        top = np.concatenate([top, np.full((num_rows, k - k_selected), -1, dtype=np.int64)], axis=1)
    return top


def _exact_top_k(scores: np.ndarray, kth_value: np.ndarray, k: int) -> np.ndarray:
    """Top-k column sets (unordered, ``-1`` padded) with ties at the K-th score resolved by column."""
    above = scores > kth_value[:, None]
    tied = (scores == kth_value[:, None]) & (kth_value > -np.inf)[:, None]
    room = k - above.sum(axis=1)
    # Among items tied at the K-th score keep the lowest columns that still fit.
    chosen = above | (tied & (np.cumsum(tied, axis=1) <= room[:, None]))
    rows, cols = np.divmod(np.flatnonzero(chosen), scores.shape[1])
    slot = ragged_positions(np.bincount(rows, minlength=scores.shape[0]))[1]
    out = np.full((scores.shape[0], k), -1, dtype=np.int64)
    out[rows, slot] = cols
    return out


def batched_searchsorted(sorted_rows: np.ndarray, rows: np.ndarray, values: np.ndarray,
                         side: str = 'left') -> np.ndarray:
    """``np.searchsorted(sorted_rows[rows[j]], values[j], side)`` for all j at once.

    A binary search run on every query simultaneously (log2(W) vectorised steps). Each
    step tries to extend the count of entries known to be below the value by a power of
    two, from the largest down; a count that runs past the row end is clipped at the end
    (all entries are then below).

    Args:
        sorted_rows: ``[B, W]`` array sorted ascending along each row.
        rows: int array of row indices.
        values: Query values, same length.
        side: ``'left'`` (count of elements < value) or ``'right'`` (count <= value).

    Returns:
        int64 insertion positions.
    """
    width = sorted_rows.shape[1]
    values = np.asarray(values)
    flat = np.ascontiguousarray(sorted_rows).reshape(-1)
    last_before = np.asarray(rows, dtype=np.int64) * width - 1  # flat index of "entry -1" of each row
    below = np.zeros(last_before.size, dtype=np.int64)
    if width == 0:
        return below
    step = 1 << (width.bit_length() - 1)
    while step:
        candidate = below + step
        probe = flat[last_before + np.minimum(candidate, width)]
        extend = (probe < values) if side == 'left' else (probe <= values)
        below = np.where(extend, candidate, below)
        step >>= 1
    return np.minimum(below, width)


def _end_of_ties(sorted_rows: np.ndarray, rows: np.ndarray, values: np.ndarray, start: np.ndarray,
                 linear_steps: int = 4) -> np.ndarray:
    """``searchsorted(..., side='right')`` given the 'left' positions ``start`` of values present in the rows.

    Ties are usually short, so a few linear steps settle almost every query; the rest
    fall back to a binary search.
    """
    width = sorted_rows.shape[1]
    flat = sorted_rows.reshape(-1)
    row_start = rows.astype(np.int64) * width
    end = start + 1  # the value itself is in its row
    open_ = np.ones(end.size, dtype=bool)
    for _ in range(linear_steps):
        open_ &= end < width
        open_[open_] = flat[row_start[open_] + end[open_]] == values[open_]
        if not open_.any():
            return end
        end[open_] += 1
    unresolved = np.flatnonzero(open_)
    end[unresolved] = batched_searchsorted(sorted_rows, rows[unresolved], values[unresolved], 'right')
    return end


def per_user_auc(scores: np.ndarray, positive_rows: np.ndarray, positive_cols: np.ndarray,
                 num_candidates: np.ndarray, sorted_rows: Optional[np.ndarray] = None) -> np.ndarray:
    """Per-user AUC: share of (positive, negative) candidate pairs ordered correctly.

    A tie counts 0.5. Negatives are the candidates that are not positives; non-candidates
    (``-inf``) are ignored. Computed from rank sums: with ``below(p)`` / ``not_above(p)``
    the number of row entries scored ``<`` / ``<=`` positive ``p`` (non-candidates
    included, all below), ``sum_p (below + not_above) / 2`` counts every pair once with
    ties halved; removing the non-candidates and the positive-positive pairs
    (``P^2 / 2``, self pairs included) leaves the positive-negative count.

    Args:
        scores: Masked scores ``[B, W]``.
        positive_rows: Row of each positive (distinct pairs, all candidates).
        positive_cols: Column of each positive.
        num_candidates: int ``[B]`` candidates per row.
        sorted_rows: ``np.sort(scores, axis=1)`` when already computed.

    Returns:
        float64 ``[B]``; NaN for a row without positives or without negatives.
    """
    num_rows, width = scores.shape
    if sorted_rows is None:
        sorted_rows = np.sort(scores, axis=1)
    values = scores[positive_rows, positive_cols]
    below = batched_searchsorted(sorted_rows, positive_rows, values, 'left')
    not_above = _end_of_ties(sorted_rows, positive_rows, values, below)
    num_positives = np.bincount(positive_rows, minlength=num_rows).astype(np.float64)
    rank_sum = np.bincount(positive_rows, weights=(below + not_above) / 2.0, minlength=num_rows)
    num_excluded = width - num_candidates
    correct_pairs = rank_sum - num_positives * num_excluded - num_positives ** 2 / 2.0
    pairs = num_positives * (num_candidates - num_positives)
    with np.errstate(divide='ignore', invalid='ignore'):
        return np.where(pairs > 0, correct_pairs / np.maximum(pairs, 1), np.nan)


def legacy_rank_above(scores: np.ndarray, positive_rows: np.ndarray, positive_cols: np.ndarray,
                      num_candidates: np.ndarray) -> tuple[list, np.ndarray]:
    """What a legacy OpenRec ``'rank'`` evaluator's ``compute(rank_above, negative_num)`` reads.

    Legacy OpenRec ranked each positive against the user's negatives only: ``rank_above``
    counts the negatives (candidates that are not positives) scored strictly above it,
    ``negative_num`` is the number of negatives.

    Args:
        scores: Masked scores ``[B, W]`` (``-inf`` = not a candidate).
        positive_rows: Row of each positive (every row has one).
        positive_cols: Column of each positive.
        num_candidates: int ``[B]`` candidates per row.

    Returns:
        ``(rank_above, negative_num)``: one float64 array per row (its positives in the
        order given) and int64 ``[B]``.
    """
    num_rows, width = scores.shape
    negatives = np.array(scores, copy=True)
    negatives[positive_rows, positive_cols] = -np.inf
    sorted_rows = np.sort(negatives, axis=1)
    not_above = batched_searchsorted(sorted_rows, positive_rows, scores[positive_rows, positive_cols], 'right')
    above = (width - not_above).astype(np.float64)
    num_positives = np.bincount(positive_rows, minlength=num_rows)
    order = np.argsort(positive_rows, kind='stable')
    rank_above = np.split(above[order], np.cumsum(num_positives)[:-1])
    return rank_above, np.asarray(num_candidates, dtype=np.int64) - num_positives


class RankedBlock:
    """What ranking metrics need about a block of evaluated users.

    Args:
        hits: bool ``[B, K_max]``; ``hits[b, i]`` is whether the item ranked ``i + 1``
            for user ``b`` is a positive (False past the last candidate).
        num_positives: int ``[B]`` positives per user (all >= 1).
        num_candidates: int ``[B]`` ranked candidates per user.
        auc: float64 ``[B]`` per-user AUC, or ``None`` when not computed.
    """

    def __init__(self, hits: np.ndarray, num_positives: np.ndarray, num_candidates: np.ndarray,
                 auc: Optional[np.ndarray] = None) -> None:
        self.hits = hits
        self.num_positives = num_positives
        self.num_candidates = num_candidates
        self.auc = auc

    @property
    def max_k(self) -> int:
        """Largest cut-off this block was ranked for."""
        return self.hits.shape[1]

    def _check_k(self, k: int) -> None:
        if k > self.max_k:
            raise ShapeError(scoped(_SCOPE, f'cut-off {k} exceeds the ranked depth {self.max_k}.'))

    @cached_property
    def _cumulative_hits(self) -> np.ndarray:
        return np.cumsum(self.hits, axis=1, dtype=np.float64)

    @cached_property
    def _discounts(self) -> np.ndarray:
        # Gain of a hit at rank r (1-based) is 1 / log2(r + 1).
        return 1.0 / np.log2(np.arange(2, self.max_k + 2, dtype=np.float64))

    @cached_property
    def _cumulative_dcg(self) -> np.ndarray:
        return np.cumsum(self.hits * self._discounts, axis=1)

    @cached_property
    def _cumulative_precision_sum(self) -> np.ndarray:
        precision_at_rank = self._cumulative_hits / np.arange(1, self.max_k + 1, dtype=np.float64)
        return np.cumsum(precision_at_rank * self.hits, axis=1)

    @cached_property
    def first_hit_rank(self) -> np.ndarray:
        """int ``[B]``: 1-based rank of the first hit, ``K_max + 1`` when none in the top K_max."""
        any_hit = self.hits.any(axis=1)
        return np.where(any_hit, self.hits.argmax(axis=1) + 1, self.max_k + 1)

    def hits_at(self, k: int) -> np.ndarray:
        """Number of positives in the top k, float64 ``[B]``."""
        self._check_k(k)
        return self._cumulative_hits[:, k - 1]

    def dcg_at(self, k: int) -> np.ndarray:
        """Discounted cumulative gain of the top k, float64 ``[B]``."""
        self._check_k(k)
        return self._cumulative_dcg[:, k - 1]

    def ideal_dcg_at(self, k: int) -> np.ndarray:
        """DCG of a perfect ranking: all of the first ``min(|pos|, k)`` ranks hit."""
        self._check_k(k)
        ideal = np.cumsum(self._discounts)
        return ideal[np.minimum(self.num_positives, k) - 1]

    def precision_sum_at(self, k: int) -> np.ndarray:
        """``sum_{i<=k} P@i * rel_i`` (numerator of average precision), float64 ``[B]``."""
        self._check_k(k)
        return self._cumulative_precision_sum[:, k - 1]


def rank_block(scores: np.ndarray, positive_rows: np.ndarray, positive_cols: np.ndarray,
               num_candidates: np.ndarray, max_k: int, with_auc: bool) -> RankedBlock:
    """Rank a block of users and collect what the metrics need.

    Args:
        scores: Masked scores ``[B, W]`` (see :func:`mask_scores`).
        positive_rows: Row of each positive; every row has at least one.
        positive_cols: Column of each positive; every positive is a candidate.
        num_candidates: int ``[B]`` number of non-``-inf`` entries per row.
        max_k: Depth of the top-K to compute (largest cut-off asked for; >= 1).
        with_auc: Also compute per-user AUC (one row sort, also used for the top-K).

    Returns:
        The :class:`RankedBlock`.
    """
    num_rows, width = scores.shape
    sorted_rows = np.sort(scores, axis=1) if with_auc else None
    top = top_k_indices(scores, max_k, sorted_rows)
    hits = _is_positive(top, positive_rows, positive_cols, width)
    num_positives = np.bincount(positive_rows, minlength=num_rows)
    auc = per_user_auc(scores, positive_rows, positive_cols, num_candidates, sorted_rows) if with_auc else None
    return RankedBlock(hits, num_positives, np.asarray(num_candidates), auc)


def _is_positive(top: np.ndarray, positive_rows: np.ndarray, positive_cols: np.ndarray, width: int) -> np.ndarray:
    """bool ``[B, K]``: whether ``top[b, i]`` is a positive of row ``b`` (``-1`` never is).

    Looks the (row, column) keys of the top-K up among the sorted keys of the positives,
    so no dense ``[B, W]`` mask is built.
    """
    positive_keys = np.sort(np.asarray(positive_rows, dtype=np.int64) * width + positive_cols)
    if positive_keys.size == 0:
        return np.zeros(top.shape, dtype=bool)
    top_keys = np.arange(top.shape[0], dtype=np.int64)[:, None] * width + top
    found = np.minimum(np.searchsorted(positive_keys, top_keys), positive_keys.size - 1)
    return (positive_keys[found] == top_keys) & (top >= 0)
