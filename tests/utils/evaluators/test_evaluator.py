"""Tests of the Evaluator base class and cut-off validation."""

import numpy as np
import pytest

from openrec2.errors import UnknownOptionError
from openrec2.utils.evaluators import (AUC, MAP, MRR, MSE, NDCG, RMSE, Evaluator, HitRatio, LogLoss, Precision,
                                       Recall, evaluate, evaluate_labelled, validate_cutoffs)
from legacy_evaluators import LegacyAUC, LegacyRecall, LegacySquaredError


def test_result_keys_of_every_metric():
    assert Recall(recall_at=[20, 10]).keys() == ['Recall@10', 'Recall@20']
    assert Precision(precision_at=5).keys() == ['Precision@5']
    assert NDCG(ndcg_at=[10]).keys() == ['NDCG@10']
    assert HitRatio(hit_at=10).keys() == ['Hit@10']
    assert MRR(mrr_at=10).keys() == ['MRR@10']
    assert MAP(map_at=np.array([3, 3])).keys() == ['MAP@3']
    assert [e().keys() for e in (AUC, MSE, RMSE, LogLoss)] == [['AUC'], ['MSE'], ['RMSE'], ['LogLoss']]


def test_kinds_and_legacy_etype():
    assert AUC().ranking and AUC().labelled
    assert Recall(10).ranking and not Recall(10).labelled
    assert MSE().labelled and not MSE().ranking
    assert Recall(10).etype == 'rank' and MSE().etype == 'regression'
    assert Recall(10).name == 'Recall' and Recall([5, 10]).ks == (5, 10)


@pytest.mark.parametrize('bad', [0, -3, 2.5, True, [], [10, 0], 'ten', [None]])
def test_bad_cutoffs_raise(bad):
    with pytest.raises(UnknownOptionError, match=r'Recall\(recall_at=...\)'):
        Recall(recall_at=bad)


def test_validate_cutoffs_sorts_and_deduplicates():
    assert validate_cutoffs([20, 5, 20], 'x') == (5, 20)
    assert validate_cutoffs(np.int64(7), 'x') == (7,)


def test_base_class_refuses_both_kinds():
    with pytest.raises(UnknownOptionError, match='not a ranking metric'):
        Evaluator().ranking_values(None)
    with pytest.raises(UnknownOptionError, match='needs ranked items'):
        Recall(10).labelled_values(np.zeros(1), np.zeros(1))


# ---------------------------------------------------------------- legacy OpenRec evaluators
def test_a_legacy_rank_evaluator_is_computed_per_user_from_rank_above():
    scores = np.array([[0.9, 0.1, 0.5, 0.3, 0.7],
                       [0.2, 0.8, 0.6, 0.4, 0.0]])
    test, excluded = [[0, 3], [2]], [[4], [1]]
    results = evaluate(scores, test, excluded, evaluators=[LegacyAUC(), AUC(), LegacyRecall([0, 1]), Recall(1)])
    # user 0: negatives {1, 2}; item 0 beats both, item 3 beats 1 -> ranks above [0, 1]; user 1: item 2 tops {0, 3, 4}
    assert results['LegacyAUC'] == pytest.approx(np.mean([np.mean([1.0, 0.5]), 1.0]))
    assert results['LegacyAUC'] == pytest.approx(results['AUC'])  # no ties: the two definitions agree
    assert results['LegacyRecall[0]'] == pytest.approx(np.mean([0.5, 1.0]))
    assert results['LegacyRecall[1]'] == pytest.approx(1.0)


def test_a_legacy_evaluator_keeps_its_name_and_etype():
    assert (LegacyAUC().etype, LegacyAUC().name, LegacyAUC('mine').name) == ('rank', 'LegacyAUC', 'mine')
    assert LegacyAUC().ranking and not LegacyAUC().labelled
    assert LegacySquaredError().etype == 'regression' and LegacySquaredError().labelled
    assert Evaluator().compute() is None


def test_a_legacy_regression_evaluator_reports_the_mean_of_compute():
    result = evaluate_labelled(np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0]), [LegacySquaredError()])
    assert result['LegacyMSE'] == pytest.approx((0 + 4 + 9) / 3)


def test_a_legacy_etype_must_be_known_and_come_with_compute():
    with pytest.raises(UnknownOptionError, match="etype must be one of"):
        Evaluator('ranking', 'x')

    class NoCompute(Evaluator):
        def __init__(self):
            super().__init__(etype='rank', name='NoCompute')

    with pytest.raises(UnknownOptionError, match='must override compute'):
        NoCompute()


def test_every_metric_takes_the_legacy_name_keyword():
    assert Recall([5, 10], name='R').keys() == ['R@5', 'R@10']
    assert (AUC(name='auc').keys(), MSE(name='mse').keys(), NDCG(3, name='n').keys(),
            Precision(2, name='p').keys()) == (['auc'], ['mse'], ['n@3'], ['p@2'])
    results = evaluate(np.array([[0.3, 0.9, 0.1]]), [[1]], evaluators=[Recall(1, name='hit')])
    assert results['hit@1'] == 1.0
    with pytest.raises(UnknownOptionError, match='name must be a non-empty string'):
        AUC(name='')
