"""Tests of the shared top-K / rank computation."""

import numpy as np
import pytest

from openrec2.errors import DataError, DTypeError, ShapeError
from openrec2.utils.evaluators.ranking import (RankedBlock, batched_searchsorted, mask_scores, per_user_auc,
                                               rank_block, top_k_indices)


def naive_top_k(row, k):
    ranked = sorted((c for c in range(len(row)) if row[c] != -np.inf), key=lambda c: (-row[c], c))[:k]
    return ranked + [-1] * (k - len(ranked))


def both_paths(scores, k):
    """Top-K from argpartition and from pre-sorted rows (the AUC path)."""
    return top_k_indices(scores, k), top_k_indices(scores, k, np.sort(scores, axis=1))


@pytest.mark.parametrize('width', [5, 40, 300])
@pytest.mark.parametrize('k', [1, 4, 10, 50])
def test_top_k_matches_full_sort_with_lower_id_tie_rule(width, k):
    rng = np.random.default_rng(width * 100 + k)
    scores = np.round(rng.standard_normal((30, width)))  # heavy ties, also at the cut
    scores[rng.random(scores.shape) < 0.2] = -np.inf  # non-candidates
    scores[0] = 0.0  # a row of identical scores
    scores[1] = -np.inf  # a row without candidates
    expected = np.array([naive_top_k(row, k) for row in scores])
    for top in both_paths(scores, k):
        np.testing.assert_array_equal(top, expected)


def test_all_tied_row_keeps_lowest_item_ids():
    for top in both_paths(np.zeros((2, 500)), 5):
        np.testing.assert_array_equal(top, [[0, 1, 2, 3, 4]] * 2)


def test_top_k_pads_rows_with_fewer_candidates():
    scores = np.array([[0.5, -np.inf, 0.7, -np.inf, -np.inf]])
    for top in both_paths(scores, 3):
        np.testing.assert_array_equal(top, [[2, 0, -1]])
    np.testing.assert_array_equal(top_k_indices(scores, 8), [[2, 0, -1, -1, -1, -1, -1, -1]])


@pytest.mark.parametrize('side', ['left', 'right'])
def test_batched_searchsorted_equals_numpy(side):
    rng = np.random.default_rng(3)
    sorted_rows = np.sort(np.round(rng.standard_normal((20, 37)), 1), axis=1)
    rows = rng.integers(0, 20, size=500)
    values = np.round(rng.standard_normal(500), 1)
    expected = [np.searchsorted(sorted_rows[r], v, side=side) for r, v in zip(rows, values)]
    np.testing.assert_array_equal(batched_searchsorted(sorted_rows, rows, values, side), expected)


def test_per_user_auc_counts_ties_half_and_ignores_non_candidates():
    scores = np.array([[0.9, 0.5, 0.5, -np.inf, 0.1],
                       [0.2, 0.3, -np.inf, -np.inf, -np.inf]])
    # Row 0: positive item 1 (0.5) vs negatives 0 (0.9), 2 (0.5 tie), 4 (0.1) -> (0 + 0.5 + 1) / 3.
    # Row 1: both candidates positive -> no negative -> NaN.
    auc = per_user_auc(scores, np.array([0, 1, 1]), np.array([1, 0, 1]), np.array([4, 2]))
    assert auc[0] == pytest.approx(1.5 / 3)
    assert np.isnan(auc[1])


def test_per_user_auc_with_long_ties():
    scores = np.zeros((1, 50))
    auc = per_user_auc(scores, np.array([0, 0]), np.array([3, 40]), np.array([50]))
    assert auc[0] == 0.5


def test_mask_scores_marks_excluded_and_keeps_real_minus_inf_as_candidate():
    scores = np.array([[1.0, -np.inf, 3.0]], dtype=np.float32)
    masked = mask_scores(scores, np.array([0]), np.array([2]))
    assert masked.dtype == np.float32
    assert masked[0, 1] == np.finfo(np.float32).min and masked[0, 2] == -np.inf
    assert scores[0, 2] == 3.0  # the input is not modified
    assert mask_scores(np.array([[1, 2]]), np.array([], int), np.array([], int)).dtype == np.float64


def test_mask_scores_errors():
    with pytest.raises(DataError, match='NaN'):
        mask_scores(np.array([[0.0, np.nan]]), np.array([], int), np.array([], int))
    with pytest.raises(DTypeError, match='real numbers'):
        mask_scores(np.array([[1j]]), np.array([], int), np.array([], int))


def test_rank_block_hits_and_cut_off_depth():
    scores = np.array([[0.1, 0.9, 0.5, -np.inf]])
    block = rank_block(scores, np.array([0, 0]), np.array([0, 2]), np.array([3]), max_k=4, with_auc=True)
    np.testing.assert_array_equal(block.hits, [[False, True, True, False]])
    assert block.auc[0] == 0.0
    np.testing.assert_array_equal(block.first_hit_rank, [2])
    with pytest.raises(ShapeError, match='exceeds the ranked depth'):
        block.hits_at(5)


def test_ranked_block_quantities():
    hits = np.array([[True, False, True], [False, False, False]])
    block = RankedBlock(hits, np.array([2, 1]), np.array([10, 10]))
    np.testing.assert_allclose(block.hits_at(3), [2, 0])
    np.testing.assert_allclose(block.dcg_at(3), [1 + 1 / np.log2(4), 0])
    np.testing.assert_allclose(block.ideal_dcg_at(3), [1 + 1 / np.log2(3), 1])
    np.testing.assert_allclose(block.precision_sum_at(3), [1 + 2 / 3, 0])
    np.testing.assert_array_equal(block.first_hit_rank, [1, 4])


def naive_auc(row, positives):
    """Per-user AUC by comparing every (positive, negative) candidate pair, a tie counting 0.5."""
    candidates = [c for c in range(len(row)) if row[c] != -np.inf]
    negatives = [c for c in candidates if c not in positives]
    if not positives or not negatives:
        return np.nan
    pairs = sum(1.0 if row[p] > row[n] else 0.5 if row[p] == row[n] else 0.0 for p in positives for n in negatives)
    return pairs / (len(positives) * len(negatives))


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('seed', range(6))
def test_fast_path_matches_a_per_user_reference_on_tied_random_blocks(seed, dtype):
    # Few distinct score levels put ties at every cut-off; excluded entries leave some rows
    # with fewer than K candidates; real +-inf scores are candidates. Each row is checked
    # on its own against plain Python: top-K order (score desc, lower column first), hits
    # and AUC (ties 0.5).
    rng = np.random.default_rng(seed)
    num_rows, width, k = 37, int(rng.integers(8, 90)), int(rng.integers(1, 30))
    scores = rng.integers(0, int(rng.integers(1, 6)), (num_rows, width)).astype(dtype)
    scores[rng.random(scores.shape) < 0.02] = np.inf
    scores[rng.random(scores.shape) < 0.02] = -np.inf
    excluded = rng.random(scores.shape) < rng.uniform(0.0, 0.9, (num_rows, 1))
    masked = mask_scores(scores, *np.nonzero(excluded))
    candidate = ~excluded
    positive = candidate & (rng.random(scores.shape) < 0.25)
    positive[np.arange(num_rows), np.argmax(candidate, axis=1)] |= candidate.any(axis=1)
    rows = np.flatnonzero(positive.any(axis=1))
    masked, positive = masked[rows], positive[rows]
    positive_rows, positive_cols = np.nonzero(positive)
    num_candidates = candidate[rows].sum(axis=1)
    for with_auc in (False, True):
        block = rank_block(masked, positive_rows, positive_cols, num_candidates, k, with_auc)
        for b, row in enumerate(masked):
            expected_top = naive_top_k(row, k)
            expected_hits = [c >= 0 and bool(positive[b, c]) for c in expected_top]
            np.testing.assert_array_equal(block.hits[b], expected_hits)
            if with_auc:
                expected_auc = naive_auc(row, set(np.flatnonzero(positive[b]).tolist()))
                np.testing.assert_allclose(block.auc[b], expected_auc, rtol=0, atol=1e-12)
        sorted_rows = np.sort(masked, axis=1) if with_auc else None
        np.testing.assert_array_equal(top_k_indices(masked, k, sorted_rows),
                                      [naive_top_k(row, k) for row in masked])
