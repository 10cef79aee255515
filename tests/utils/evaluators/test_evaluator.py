"""Tests of the Evaluator base class and cut-off validation."""

import numpy as np
import pytest

from openrec2.errors import UnknownOptionError
from openrec2.utils.evaluators import (AUC, MAP, MRR, MSE, NDCG, RMSE, Evaluator, HitRatio, LogLoss, Precision,
                                       Recall, validate_cutoffs)


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
