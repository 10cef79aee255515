"""Shared helper of the recommender learning tests: train on a planted problem, evaluate."""

import numpy as np

from openrec2.datasets import make_planted_implicit
from openrec2.utils.evaluators import AUC, Recall, evaluate


def planted_split():
    """A small planted low-rank problem (popularity does not explain it)."""
    return make_planted_implicit(num_users=200, num_items=150, rank=4, per_user=20, seed=1)


def test_metrics(score_matrix, split):
    """AUC and Recall@10 of a ``[users, items]`` score matrix on the test split."""
    users = np.arange(split.max_user)
    return evaluate(score_matrix, split.test.item_lists(users), split.train.item_lists(users),
                    evaluators=[AUC(), Recall(10)])


def popularity_metrics(split):
    """The same metrics for the most-popular baseline (training counts)."""
    scores = np.tile(split.train.item_popularity.astype(np.float64), (split.max_user, 1))
    return test_metrics(scores, split)


test_metrics.__test__ = False  # a helper, not a pytest test


def assert_learns(model, sampler, split, steps):
    """Train ``model`` for ``steps`` batches and check it learned the planted problem.

    The loss must fall, test AUC must exceed 0.8 and the popularity baseline's by 0.1,
    and Recall@10 must be 1.5 times the baseline's.
    """
    with model, sampler:
        first = np.mean([model.train(next(sampler)) for _ in range(10)])
        for _ in range(steps):
            last = model.train(next(sampler))
        scores = model.serve_all_items(np.arange(split.max_user))
    learned, popular = test_metrics(scores, split), popularity_metrics(split)
    assert last < 0.7 * first
    assert learned["AUC"] > 0.8
    assert learned["AUC"] > popular["AUC"] + 0.1
    assert learned["Recall@10"] > 1.5 * popular["Recall@10"]
