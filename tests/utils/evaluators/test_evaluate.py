"""Tests of evaluate / evaluate_sampled / evaluate_labelled against an independent naive implementation."""

import importlib
import math

import numpy as np
import pytest

from openrec2.errors import DataError, DTypeError, ShapeError, UnknownOptionError
from openrec2.utils.evaluators import (AUC, MAP, MRR, MSE, NDCG, RMSE, HitRatio, ItemLists, LogLoss,
                                       Precision, Recall, evaluate, evaluate_labelled, evaluate_sampled)

KS = (1, 3, 5, 10, 40)
ALL = [AUC(), Recall(list(KS)), Precision(list(KS)), NDCG(list(KS)), HitRatio(list(KS)), MRR(list(KS)),
       MAP(list(KS))]


def naive_user_metrics(scores, test, excluded, ks):
    """Plain-Python reference: full sort with (score desc, item id asc), RecBole definitions."""
    excluded = set(int(i) for i in excluded)
    candidates = [i for i in range(len(scores)) if i not in excluded]
    positives = set(int(i) for i in test) - excluded
    if not positives:
        return None
    ranked = sorted(candidates, key=lambda i: (-scores[i], i))
    out = {}
    for k in ks:
        top = ranked[:k]
        rel = [1 if i in positives else 0 for i in top]
        hits = sum(rel)
        out[f'Recall@{k}'] = hits / len(positives)
        out[f'Precision@{k}'] = hits / k
        dcg = sum(r / math.log2(rank + 2) for rank, r in enumerate(rel))
        idcg = sum(1 / math.log2(rank + 2) for rank in range(min(len(positives), k)))
        out[f'NDCG@{k}'] = dcg / idcg
        out[f'Hit@{k}'] = 1.0 if hits else 0.0
        out[f'MRR@{k}'] = next((1 / (rank + 1) for rank, r in enumerate(rel) if r), 0.0)
        precision_sum, found = 0.0, 0
        for rank, r in enumerate(rel):
            if r:
                found += 1
                precision_sum += found / (rank + 1)
        out[f'MAP@{k}'] = precision_sum / min(len(positives), k)
    negatives = [i for i in candidates if i not in positives]
    if negatives:
        pairs = sum(1.0 if scores[p] > scores[n] else 0.5 if scores[p] == scores[n] else 0.0
                    for p in positives for n in negatives)
        out['AUC'] = pairs / (len(positives) * len(negatives))
    return out


def naive_evaluate(scores, test_items, excluded_items, ks=KS):
    per_user = [naive_user_metrics(scores[r], test_items[r], excluded_items[r], ks) for r in range(len(scores))]
    per_user = [m for m in per_user if m is not None]
    keys = {key for m in per_user for key in m}
    return {key: np.mean([m[key] for m in per_user if key in m]) for key in keys}, len(per_user)


def random_problem(seed, n_users=40, n_items=30, tie_levels=None):
    rng = np.random.default_rng(seed)
    scores = rng.standard_normal((n_users, n_items))
    if tie_levels:
        scores = np.round(scores * tie_levels) / tie_levels  # many ties
    test = [rng.choice(n_items, size=rng.integers(0, 12), replace=False) for _ in range(n_users)]
    excluded = [rng.choice(n_items, size=rng.integers(0, 15), replace=False) for _ in range(n_users)]
    return scores, test, excluded


def assert_matches(result, expected):
    assert set(result) == set(expected)
    for key, value in expected.items():
        assert result[key] == pytest.approx(value, abs=1e-6), key


@pytest.mark.parametrize('seed,tie_levels', [(0, None), (1, 2), (2, 1), (3, 4), (4, None)])
@pytest.mark.parametrize('batch_size', [7, 1024])
@pytest.mark.parametrize('with_auc', [True, False])  # the top-K comes from the AUC sort or from argpartition
def test_full_ranking_agrees_with_naive(seed, tie_levels, batch_size, with_auc):
    scores, test, excluded = random_problem(seed, tie_levels=tie_levels)
    expected, n_users = naive_evaluate(scores, test, excluded)
    evaluators = ALL if with_auc else ALL[1:]
    if not with_auc:
        del expected['AUC']
    result = evaluate(scores, test, excluded, evaluators, batch_size=batch_size)
    assert_matches(result, expected)
    assert result.num_evaluated == n_users
    assert result.num_skipped == len(test) - n_users


def test_wide_catalogue_with_heavy_ties_agrees_with_naive():
    scores, test, excluded = random_problem(6, n_users=15, n_items=250, tie_levels=1)
    expected, _ = naive_evaluate(scores, test, excluded)
    assert_matches(evaluate(scores, test, excluded, ALL), expected)
    del expected['AUC']
    assert_matches(evaluate(scores, test, excluded, ALL[1:]), expected)


def test_float32_scores_agree_with_naive():
    scores, test, excluded = random_problem(5, n_users=60, n_items=50, tie_levels=3)
    scores = scores.astype(np.float32)
    expected, _ = naive_evaluate(scores.astype(np.float64), test, excluded)
    assert_matches(evaluate(scores, test, excluded, ALL), expected)


def test_all_tied_scores_rank_by_item_id():
    scores = np.zeros((1, 6))
    result = evaluate(scores, [[0, 5]], [[1]], [Recall(2), MRR(5), AUC()])
    # Ranking is 0, 2, 3, 4, 5 (item 1 excluded): item 0 first, item 5 last; AUC all ties.
    assert result['Recall@2'] == 0.5
    assert result['MRR@5'] == 1.0
    assert result['AUC'] == 0.5


def test_hand_computed_user_with_more_positives_than_k():
    # Ranking by score: item 3, 1, 0, 2, 4. Positives {0, 1, 2}; K = 2.
    scores = np.array([[0.5, 0.8, 0.2, 0.9, 0.1]])
    result = evaluate(scores, [[0, 1, 2]], None,
                      [Recall(2), Precision(2), NDCG(2), HitRatio(2), MRR(2), MAP(2), AUC()])
    assert result['Recall@2'] == pytest.approx(1 / 3)
    assert result['Precision@2'] == pytest.approx(1 / 2)
    # DCG = 1/log2(3); IDCG over min(3, 2) = 2 ranks: 1 + 1/log2(3).
    assert result['NDCG@2'] == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert result['Hit@2'] == 1.0
    assert result['MRR@2'] == pytest.approx(1 / 2)
    assert result['MAP@2'] == pytest.approx((1 / 2) / 2)
    # Pairs (pos, neg): negatives 3 (0.9) and 4 (0.1): each positive beats 4, none beats 3.
    assert result['AUC'] == pytest.approx(3 / 6)
    assert all(value <= 1 for value in result.values())


def test_excluded_items_leave_the_ranking_and_an_excluded_test_item_is_dropped():
    scores = np.array([[0.9, 0.8, 0.7, 0.6]])
    # Item 0 (best) excluded; item 1 is both test and excluded -> dropped; positive {2}.
    result = evaluate(scores, [[1, 2]], [[0, 1]], [Recall(1), MRR(2), AUC(), Precision(1)])
    assert result['Recall@1'] == 1.0  # item 2 is now ranked first
    assert result['MRR@2'] == 1.0
    assert result['AUC'] == 1.0  # only negative is item 3
    assert result['Precision@1'] == 1.0


def test_user_whose_test_items_are_all_excluded_is_skipped():
    scores = np.array([[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]])
    result = evaluate(scores, [[0], [0]], [[0], []], [Recall(1)])
    assert result.num_evaluated == 1 and result.num_skipped == 1
    assert result['Recall@1'] == 1.0


def test_k_larger_than_candidates():
    scores = np.array([[0.3, 0.1, 0.2, 0.4]])
    # Candidates 0, 1, 2 (item 3 excluded); K = 10 > 3 candidates.
    result = evaluate(scores, [[1]], [[3]], [Recall(10), Precision(10), NDCG(10), MRR(10), HitRatio(10)])
    assert result['Recall@10'] == 1.0
    assert result['Precision@10'] == pytest.approx(0.1)  # denominator stays K, as in RecBole
    assert result['NDCG@10'] == pytest.approx(1 / math.log2(4))  # hit at rank 3 of 3
    assert result['MRR@10'] == pytest.approx(1 / 3)


def test_legacy_defect_top_k_is_k_not_k_plus_one():
    # The positive is ranked exactly K+1 = 3rd: legacy OpenRec (rank_above <= k) counted it.
    scores = np.array([[0.9, 0.8, 0.7, 0.1]])
    result = evaluate(scores, [[2]], None, [Recall(2), Precision(2), HitRatio(2)])
    assert result['Recall@2'] == 0.0 and result['Precision@2'] == 0.0 and result['Hit@2'] == 0.0


def test_values_never_exceed_one_for_users_with_many_positives():
    rng = np.random.default_rng(7)
    scores = rng.standard_normal((20, 50))
    test = [rng.choice(50, size=45, replace=False) for _ in range(20)]
    result = evaluate(scores, test, None, ALL)
    assert all(0 <= value <= 1 for value in result.values())
    assert result['Precision@1'] == pytest.approx(np.mean([s.argmax() in t for s, t in zip(scores, test)]))


def test_last_item_can_be_a_positive_and_a_negative():
    scores = np.array([[0.0, 0.1, 0.9], [0.5, 0.1, 0.9]])
    result = evaluate(scores, [[2], [0]], None, [Recall(1), AUC()])
    # Row 0: last item is the positive and ranks first. Row 1: last item is the negative above it.
    assert result['Recall@1'] == 0.5
    assert result['AUC'] == pytest.approx((1.0 + 0.5) / 2)


def test_infinite_scores_rank_without_clashing_with_excluded_items():
    scores = np.array([[-np.inf, np.inf, 0.0, -np.inf]])
    result = evaluate(scores, [[0]], [[3]], [MRR(3), AUC()])
    # Ranking: 1 (+inf), 2, 0 (-inf, still a candidate); item 3 is excluded.
    assert result['MRR@3'] == pytest.approx(1 / 3)
    assert result['AUC'] == 0.0


def test_iterable_of_blocks_equals_matrix():
    scores, test, excluded = random_problem(11, n_users=30)
    order = np.random.default_rng(0).permutation(30)
    blocks = ((order[i:i + 4], scores[order[i:i + 4]]) for i in range(0, 30, 4))
    assert_matches(evaluate(blocks, test, excluded, ALL), dict(evaluate(scores, test, excluded, ALL)))


@pytest.mark.parametrize('num_threads', [1, 2, 3])
def test_results_do_not_depend_on_threads_or_block_size(num_threads):
    scores, test, excluded = random_problem(14, n_users=50, tie_levels=2)
    reference = evaluate(scores, test, excluded, ALL, batch_size=50, num_threads=1)
    result = evaluate(scores, test, excluded, ALL, batch_size=6, num_threads=num_threads)
    assert dict(result) == pytest.approx(dict(reference), abs=1e-12)
    assert result.num_evaluated == reference.num_evaluated


def test_item_lists_input_equals_list_input():
    scores, test, excluded = random_problem(12)
    as_lists = evaluate(scores, test, excluded, ALL)
    as_csr = evaluate(scores, ItemLists.from_lists(test), ItemLists.from_lists(excluded), ALL)
    assert_matches(as_csr, dict(as_lists))


def test_default_evaluators_cover_every_ranking_metric():
    scores, test, excluded = random_problem(13)
    assert set(evaluate(scores, test, excluded)) == {
        'AUC', 'Recall@10', 'Precision@10', 'NDCG@10', 'Hit@10', 'MRR@10', 'MAP@10'}


def test_shape_errors_say_what_to_change():
    scores = np.zeros((2, 4))
    with pytest.raises(ShapeError, match='one row per test_items'):
        evaluate(scores, [[0]], None, [Recall(1)])
    with pytest.raises(ShapeError, match='excluded_items has 1 rows'):
        evaluate(scores, [[0], [1]], [[0]], [Recall(1)])
    with pytest.raises(ShapeError, match='holds item id 4 but there are only 4 items'):
        evaluate(scores, [[0], [4]], None, [Recall(1)])
    with pytest.raises(ShapeError, match='negative item id'):
        evaluate(scores, [[0], [-1]], None, [Recall(1)])
    with pytest.raises(ShapeError, match='never scored'):
        evaluate([(np.array([0]), scores[:1])], [[0], [1]], None, [Recall(1)])
    with pytest.raises(ShapeError, match='scored twice'):
        evaluate([(np.array([0, 1]), scores), (np.array([1]), scores[:1])], [[0], [1]], None, [Recall(1)])
    with pytest.raises(ShapeError, match='columns'):
        evaluate(np.zeros((2, 3)), [[0], [1]], None, [Recall(1)], num_items=4)
    with pytest.raises(ShapeError, match='row_indices'):
        evaluate([(np.array([0, 1]), scores[:1])], [[0], [1]], None, [Recall(1)])


def test_bad_scores_and_options():
    with pytest.raises(DataError, match='NaN'):
        evaluate(np.array([[0.0, np.nan]]), [[0]], None, [Recall(1)])
    with pytest.raises(DTypeError, match='real numbers'):
        evaluate(np.array([['a', 'b']]), [[0]], None, [Recall(1)])
    with pytest.raises(DTypeError, match='integer item ids'):
        evaluate(np.zeros((1, 2)), [[0.5]], None, [Recall(1)])
    with pytest.raises(UnknownOptionError, match='not a ranking metric'):
        evaluate(np.zeros((1, 2)), [[0]], None, [MSE()])
    with pytest.raises(UnknownOptionError, match='batch_size'):
        evaluate(np.zeros((1, 2)), [[0]], None, [Recall(1)], batch_size=0)


# ---------------------------------------------------------------------- sampled mode
def test_sampled_equals_full_ranking_restricted_to_candidates():
    rng = np.random.default_rng(21)
    n_users, n_items = 25, 40
    scores = rng.standard_normal((n_users, n_items)).round(1)
    candidates, positives = [], []
    for _ in range(n_users):
        cand = rng.choice(n_items, size=rng.integers(1, 20), replace=False)
        candidates.append(cand)
        positives.append(cand[:rng.integers(0, min(4, cand.size) + 1)])
    pair_scores = [scores[u, c] for u, c in enumerate(candidates)]
    # Full ranking with every non-candidate excluded is the same definition.
    excluded = [np.setdiff1d(np.arange(n_items), c) for c in candidates]
    expected, n_users_evaluated = naive_evaluate(scores, positives, excluded)
    result = evaluate_sampled(pair_scores, candidates, positives, ALL, batch_size=6)
    assert_matches(result, expected)
    assert result.num_evaluated == n_users_evaluated
    flat = evaluate_sampled(np.concatenate(pair_scores), candidates, positives, ALL)
    assert_matches(flat, expected)


def test_sampled_errors():
    with pytest.raises(ShapeError, match='not among its candidate_items'):
        evaluate_sampled([np.array([0.1, 0.2])], [[3, 4]], [[5]], [Recall(1)])
    with pytest.raises(ShapeError, match='twice'):
        evaluate_sampled([np.array([0.1, 0.2])], [[3, 3]], [[3]], [Recall(1)])
    with pytest.raises(ShapeError, match='pair scores'):
        evaluate_sampled(np.array([0.1]), [[3, 4]], [[3]], [Recall(1)])
    with pytest.raises(ShapeError, match='positive_items has 2 rows'):
        evaluate_sampled(np.array([0.1, 0.2]), [[3, 4]], [[3], []], [Recall(1)])


# ---------------------------------------------------------------------- labelled
def naive_labelled(predictions, labels):
    pos = [p for p, y in zip(predictions, labels) if y == 1]
    neg = [p for p, y in zip(predictions, labels) if y == 0]
    auc = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in pos for b in neg) / (len(pos) * len(neg))
    clipped = [min(max(p, 1e-7), 1 - 1e-7) for p in predictions]
    logloss = -np.mean([y * math.log(p) + (1 - y) * math.log(1 - p) for p, y in zip(clipped, labels)])
    mse = np.mean([(p - y) ** 2 for p, y in zip(predictions, labels)])
    return {'AUC': auc, 'LogLoss': logloss, 'MSE': mse, 'RMSE': math.sqrt(mse)}


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_labelled_metrics_agree_with_naive(seed):
    rng = np.random.default_rng(seed)
    predictions = np.round(rng.random(300), 1)  # ties included
    predictions[:3] = [0.0, 1.0, 1.0]  # clipping of certain predictions
    labels = (rng.random(300) < predictions).astype(np.int64)
    labels[1] = 0
    result = evaluate_labelled(predictions, labels, [AUC(), LogLoss(), MSE(), RMSE()])
    assert_matches(result, naive_labelled(predictions.tolist(), labels.tolist()))
    assert result.num_evaluated == 300 and result.unit == 'examples'


def test_labelled_errors():
    with pytest.raises(ShapeError, match='3 predictions for 2 labels'):
        evaluate_labelled([0.1, 0.2, 0.3], [0, 1], [MSE()])
    with pytest.raises(UnknownOptionError, match='needs ranked items'):
        evaluate_labelled([0.1, 0.2], [0, 1], [Recall(1)])
    with pytest.raises(DataError, match='NaN'):
        evaluate_labelled([np.nan, 0.2], [0, 1], [MSE()])


@pytest.mark.parametrize('cache_elements', [1, 45, 1 << 19])
def test_chunked_ranking_of_a_block_agrees_with_naive(monkeypatch, cache_elements):
    # A block is ranked in row chunks that fit the cache; tiny chunk sizes (one row, a few
    # rows, a ragged last chunk) must give the same per-user values as the naive ranking.
    evaluate_module = importlib.import_module('openrec2.utils.evaluators.evaluate')
    monkeypatch.setattr(evaluate_module, '_CACHE_ELEMENTS', cache_elements)
    scores, test, excluded = random_problem(21, n_users=45, n_items=30, tie_levels=2)
    expected, n_users = naive_evaluate(scores, test, excluded)
    for dtype in (np.float64, np.float32):
        result = evaluate(scores.astype(dtype), test, excluded, ALL, batch_size=16)
        assert_matches(result, expected)
        assert result.num_evaluated == n_users
