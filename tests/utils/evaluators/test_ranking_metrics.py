"""Hand-computed values of the top-K metrics on a ranked block."""

import math

import numpy as np
import pytest

from openrec2.utils.evaluators import MAP, MRR, NDCG, HitRatio, Precision, Recall
from openrec2.utils.evaluators.ranking import RankedBlock

# User 0: hits at ranks 2 and 3, 4 positives. User 1: no hit in the top 4, 1 positive.
HITS = np.array([[False, True, True, False], [False, False, False, False]])
BLOCK = RankedBlock(HITS, num_positives=np.array([4, 1]), num_candidates=np.array([10, 10]))


def test_recall_precision_hit():
    np.testing.assert_allclose(Recall([1, 3]).ranking_values(BLOCK)['Recall@3'], [2 / 4, 0])
    np.testing.assert_allclose(Recall([1, 3]).ranking_values(BLOCK)['Recall@1'], [0, 0])
    np.testing.assert_allclose(Precision(3).ranking_values(BLOCK)['Precision@3'], [2 / 3, 0])
    np.testing.assert_allclose(HitRatio([1, 2]).ranking_values(BLOCK)['Hit@2'], [1, 0])
    np.testing.assert_allclose(HitRatio([1, 2]).ranking_values(BLOCK)['Hit@1'], [0, 0])


def test_ndcg_uses_ideal_over_min_positives_k():
    dcg = 1 / math.log2(3) + 1 / math.log2(4)
    ideal = sum(1 / math.log2(r + 1) for r in range(1, 4))  # min(4, 3) = 3 ideal hits
    assert NDCG(3).ranking_values(BLOCK)['NDCG@3'][0] == pytest.approx(dcg / ideal)


def test_mrr_and_map():
    np.testing.assert_allclose(MRR([1, 4]).ranking_values(BLOCK)['MRR@4'], [1 / 2, 0])
    np.testing.assert_allclose(MRR([1, 4]).ranking_values(BLOCK)['MRR@1'], [0, 0])
    # P@2 = 1/2 and P@3 = 2/3 at the hit ranks, over min(4, 3) = 3.
    assert MAP(3).ranking_values(BLOCK)['MAP@3'][0] == pytest.approx((1 / 2 + 2 / 3) / 3)


def test_perfect_ranking_scores_one_everywhere():
    block = RankedBlock(np.ones((1, 5), dtype=bool), np.array([8]), np.array([20]))
    for metric in (Recall(5), Precision(5), NDCG(5), HitRatio(5), MRR(5), MAP(5)):
        value = list(metric.ranking_values(block).values())[0][0]
        assert value <= 1.0
        if not isinstance(metric, Recall):
            assert value == pytest.approx(1.0)
