"""Tests of openrec2.utils.evaluators.ImplicitEvalManager: legacy OpenRec's per-user calls."""

import numpy as np
import pytest
from legacy_evaluators import LegacyAUC, LegacyRecall

from openrec2.errors import ShapeError, UnknownOptionError
from openrec2.utils.evaluators import AUC, MSE, NDCG, ImplicitEvalManager, Recall, evaluate

SCORES = np.array([0.9, 0.1, 0.5, 0.3, 0.7, 0.2])


def legacy_full_rank(pos_samples, excl_pos_samples, predictions):
    """Legacy OpenRec's loop, written out: competitors are the items outside the exclusion."""
    rank_above = np.zeros(len(pos_samples))
    for ind in range(len(predictions)):
        if ind not in set(excl_pos_samples):
            for j, pos in enumerate(pos_samples):
                if predictions[pos] < predictions[ind]:
                    rank_above[j] += 1
    return rank_above, len(predictions) - len(excl_pos_samples)


def test_full_eval_gives_legacy_evaluators_the_legacy_ranks():
    manager = ImplicitEvalManager([LegacyAUC(), LegacyRecall([0, 2])])
    for pos, excl in (([0, 3], {0, 3, 4}), ([5], {1}), ([2, 3], set())):
        rank_above, negative_num = legacy_full_rank(pos, excl, SCORES)
        result = manager.full_eval(pos, excl, SCORES)
        assert result['LegacyAUC'] == pytest.approx(LegacyAUC().compute(rank_above, negative_num))
        assert result['LegacyRecall'] == pytest.approx(LegacyRecall([0, 2]).compute(rank_above, negative_num))


def test_full_eval_computes_openrec2_metrics_with_their_own_definitions():
    manager = ImplicitEvalManager([AUC(), Recall([1, 2]), NDCG(2), MSE()])
    result = manager.full_eval([0, 3], {0, 3, 4}, SCORES)
    expected = evaluate(SCORES[None], [[0, 3]], [[4]], evaluators=[AUC(), Recall([1, 2]), NDCG(2)])
    assert result['AUC'] == pytest.approx(expected['AUC'])
    assert result['Recall'] == pytest.approx([expected['Recall@1'], expected['Recall@2']])
    assert result['NDCG'] == pytest.approx(expected['NDCG@2'])
    assert 'MSE' not in result  # not a ranking metric: skipped, as the legacy manager skipped it


def test_partial_eval_ranks_positives_against_the_sampled_negatives():
    manager = ImplicitEvalManager([LegacyAUC(), AUC()])
    result = manager.partial_eval([0.9, 0.1], [0.5, 0.2, 0.3])
    assert result['LegacyAUC'] == pytest.approx(np.mean([3 / 3, 0 / 3]))
    assert result['AUC'] == pytest.approx(0.5)


def test_bad_input_fails_clearly():
    with pytest.raises(UnknownOptionError, match='is not an Evaluator'):
        ImplicitEvalManager(['AUC'])
    manager = ImplicitEvalManager([AUC()])
    with pytest.raises(ShapeError, match='outside'):
        manager.full_eval([7], set(), SCORES)
    with pytest.raises(ShapeError, match='1-D'):
        manager.full_eval([0], set(), SCORES[None])
