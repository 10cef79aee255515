"""Tests of evaluate_with_scorer driving a scoring function over an EvaluationSampler."""

import numpy as np
import pytest

from openrec2.errors import DataError, ShapeError
from openrec2.utils import ImplicitDataset
from openrec2.utils.dataset import make_interactions
from openrec2.utils.evaluators import (AUC, MAP, MRR, NDCG, HitRatio, Precision, Recall, evaluate,
                                       evaluate_sampled, evaluate_with_scorer)
from openrec2.utils.samplers.evaluation import EvaluationSampler

MAX_USER, MAX_ITEM = 30, 25
EVALUATORS = [AUC(), Recall([1, 5]), Precision(5), NDCG(5), HitRatio(5), MRR(5), MAP(5)]


def random_split(seed):
    rng = np.random.default_rng(seed)
    pairs = np.array([(u, i) for u in range(MAX_USER) for i in range(MAX_ITEM) if rng.random() < 0.3])
    part = rng.integers(0, 2, size=len(pairs))
    train, test = (ImplicitDataset(make_interactions(pairs[part == p, 0], pairs[part == p, 1]),
                                   MAX_USER, MAX_ITEM, name=name) for p, name in ((0, 'train'), (1, 'test')))
    return train, test


TRAIN, TEST = random_split(0)
SCORES = np.random.default_rng(1).standard_normal((MAX_USER, MAX_ITEM)).round(1)


def score_fn(batch):
    if 'item_id' in batch:
        return SCORES[batch['user_id'], batch['item_id']]
    return SCORES[batch['user_id']]


def test_full_mode_equals_evaluate_on_the_score_matrix():
    sampler = EvaluationSampler(TEST, 7, excluded_datasets=[TRAIN])
    result = evaluate_with_scorer(score_fn, sampler, EVALUATORS)
    test_lists = [TEST.positive_items(u) for u in range(MAX_USER)]
    train_lists = [TRAIN.positive_items(u) for u in range(MAX_USER)]
    expected = evaluate(SCORES, test_lists, train_lists, EVALUATORS)
    assert dict(result) == pytest.approx(dict(expected), abs=1e-12)
    assert result.num_evaluated == expected.num_evaluated == sampler.users.size


def test_sampled_mode_equals_evaluate_sampled_on_candidate_lists():
    sampler = EvaluationSampler(TEST, 4, excluded_datasets=[TRAIN], num_negatives=6, seed=3)
    result = evaluate_with_scorer(score_fn, sampler, EVALUATORS)
    users = sampler.users
    candidates = [sampler.candidate_items[u] for u in users]
    expected = evaluate_sampled([SCORES[u, c] for u, c in zip(users, candidates)], candidates,
                                [sampler.positive_items[u] for u in users], EVALUATORS)
    assert dict(result) == pytest.approx(dict(expected), abs=1e-12)


def test_an_oracle_scorer_is_perfect():
    def oracle(batch):
        return np.stack([np.isin(np.arange(MAX_ITEM), TEST.positive_items(u)).astype(float)
                         for u in batch['user_id']])
    result = evaluate_with_scorer(oracle, EvaluationSampler(TEST, 8, excluded_datasets=[TRAIN]), EVALUATORS)
    for key in ('AUC', 'NDCG@5', 'Hit@5', 'MRR@5', 'MAP@5'):
        assert result[key] == pytest.approx(1.0), key


def test_scores_missing_the_last_item_are_refused():
    sampler = EvaluationSampler(TEST, 8, excluded_datasets=[TRAIN])
    with pytest.raises(ShapeError, match=r'needs \[8, 25\]'):
        evaluate_with_scorer(lambda batch: SCORES[batch['user_id'], :-1], sampler, EVALUATORS)
    sampled = EvaluationSampler(TEST, 8, num_negatives=3)
    with pytest.raises(ShapeError, match='one score per pair'):
        evaluate_with_scorer(lambda batch: np.zeros(2), sampled, EVALUATORS)


def test_nan_scores_are_refused():
    sampler = EvaluationSampler(TEST, 8, excluded_datasets=[TRAIN])
    with pytest.raises(DataError, match='NaN'):
        evaluate_with_scorer(lambda batch: np.full((batch['user_id'].size, MAX_ITEM), np.nan), sampler)


def test_constant_scores_are_reported_as_collapsed():
    sampler = EvaluationSampler(TEST, 8, [TRAIN])
    learned = evaluate_with_scorer(score_fn, sampler, [Recall(5)])
    assert not learned.collapsed and learned.score_spread > 1
    flat = evaluate_with_scorer(lambda batch: np.full((len(batch['user_id']), MAX_ITEM), 0.031, np.float32),
                                sampler, [Recall(5)])
    assert flat.collapsed and flat.score_spread == 0.0 and 'collapsed' in repr(flat)
    # Rounding noise around one value (ConvNCF's 1e-9 spread at scale 0.03) is a collapse too.
    noise = np.random.default_rng(0).standard_normal(MAX_ITEM) * 1e-9
    assert evaluate_with_scorer(lambda batch: np.tile(0.031 + noise, (len(batch['user_id']), 1)), sampler,
                                [Recall(5)]).collapsed
    sampled = EvaluationSampler(TEST, 8, [TRAIN], num_negatives=5, seed=0)
    assert evaluate_with_scorer(lambda batch: np.ones(len(batch['item_id'])), sampled, [Recall(5)]).collapsed
    assert not evaluate_with_scorer(score_fn, sampled, [Recall(5)]).collapsed
