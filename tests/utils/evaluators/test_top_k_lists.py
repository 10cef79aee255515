"""Tests of top_k_lists: the top-K lists behind a full-ranking evaluation."""

import numpy as np
import pytest

from openrec2.errors import DTypeError, ShapeError
from openrec2.trainer import popularity_scorer
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.utils.evaluators import NDCG, Recall, evaluate_with_scorer, top_k_lists
from openrec2.utils.samplers import EvaluationSampler


def _data():
    train = ImplicitDataset(make_interactions([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 3, 0]), 4, 6, name='train')
    test = ImplicitDataset(make_interactions([0, 1, 1, 3], [2, 4, 5, 5]), 4, 6, name='test')
    return train, test


def test_lists_leave_training_items_out_and_rank_like_the_metrics():
    train, test = _data()
    sampler = EvaluationSampler(test, batch_size=2, excluded_datasets=[train])
    scores = np.tile(np.array([6.0, 5.0, 4.0, 3.0, 2.0, 2.0]), (4, 1))
    users, lists = top_k_lists(lambda batch: scores[batch['user_id']], sampler, k=3)
    assert users.tolist() == [0, 1, 3]           # users with a test item, in the sampler's order
    assert lists.tolist() == [[2, 3, 4], [0, 2, 3], [0, 1, 2]]   # training items skipped; tie 4/5 -> 4
    # Recall@3 from the lists equals the evaluator's.
    at, items = sampler.positive_items.take(users)
    hits = np.array([np.isin(items[at == row], lists[row]).sum() / np.sum(at == row) for row in range(users.size)])
    expected = evaluate_with_scorer(lambda batch: scores[batch['user_id']], sampler, [Recall(3), NDCG(3)])
    assert hits.mean() == pytest.approx(expected['Recall@3'])


def test_short_catalogue_pads_with_minus_one_and_popularity_scorer_works():
    train, test = _data()
    sampler = EvaluationSampler(test, batch_size=8, excluded_datasets=[train])
    users, lists = top_k_lists(popularity_scorer(train), sampler, k=6)
    assert lists.shape == (3, 6)
    assert lists[2].tolist()[:4] == [0, 1, 2, 3] and (lists[0] == -1).sum() == 2   # user 0 has 2 items excluded
    assert not np.isin(lists[0], [0, 1]).any()


def test_bad_arguments_raise_errors_that_name_the_fix():
    train, test = _data()
    sampler = EvaluationSampler(test, batch_size=2, excluded_datasets=[train])
    with pytest.raises(ShapeError, match='positive integer'):
        top_k_lists(popularity_scorer(train), sampler, k=0)
    with pytest.raises(ShapeError, match='must score every item'):
        top_k_lists(lambda batch: np.zeros((len(batch['user_id']), 3)), sampler, k=2)
    sampled = EvaluationSampler(test, batch_size=2, excluded_datasets=[train], num_negatives=2)
    with pytest.raises(DTypeError, match='without num_negatives'):
        top_k_lists(popularity_scorer(train), sampled, k=2)
