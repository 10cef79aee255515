"""Tests of the most-popular baseline scorer."""

import numpy as np

from openrec2.trainer.baselines import popularity_scorer
from openrec2.utils import ImplicitDataset
from openrec2.utils.dataset import make_interactions
from openrec2.utils.evaluators import Recall, evaluate_with_scorer
from openrec2.utils.samplers import EvaluationSampler


def test_scores_are_training_counts_in_both_modes():
    train = ImplicitDataset(make_interactions([0, 1, 2, 2, 3], [1, 1, 1, 2, 2]), 4, 4)
    score = popularity_scorer(train)
    np.testing.assert_array_equal(score({'user_id': np.array([0, 3])}), [[0, 3, 2, 0]] * 2)
    np.testing.assert_array_equal(score({'user_id': np.array([0, 0]), 'item_id': np.array([2, 3])}), [2, 0])


def test_feeds_the_evaluation_runner():
    train = ImplicitDataset(make_interactions([0, 1, 2, 2], [1, 1, 1, 2]), 4, 4)
    test = ImplicitDataset(make_interactions([0, 3], [2, 0]), 4, 4)
    results = evaluate_with_scorer(popularity_scorer(train), EvaluationSampler(test, 2, [train]), [Recall(1)])
    # user 0 (item 1 excluded) ranks item 2 first: a hit; user 3 ranks item 1 first: a miss.
    assert results['Recall@1'] == 0.5
