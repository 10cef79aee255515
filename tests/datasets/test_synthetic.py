"""Tests of the planted synthetic dataset: shape, determinism, and that popularity is no shortcut."""

import numpy as np
import pytest
from split_checks import assert_consistent, assert_follows_recbole_rule

from openrec2.datasets import make_planted_implicit
from openrec2.errors import UnknownOptionError


def recall_at_k(split, scores, k=10):
    """Mean test recall@k with training items excluded."""
    scores = np.array(scores, dtype=np.float64)
    users, items = split.train.positive_pairs()
    scores[users, items] = -np.inf
    top = np.argpartition(-scores, k, axis=1)[:, :k]
    hits = split.test.contains(np.arange(split.max_user)[:, None], top).sum(1)
    counts = split.test.positive_counts
    has_test = counts > 0
    return float((hits[has_test] / np.minimum(counts[has_test], k)).mean())


def test_shape_split_and_determinism():
    split = make_planted_implicit()
    assert (split.max_user, split.max_item) == (300, 200)
    assert (len(split.train), len(split.validation), len(split.test)) == (4800, 600, 600)
    assert split.metadata['user_factors'].shape == (300, 4)
    assert 'planted rank-4' in split.protocol
    assert_consistent(split)
    assert_follows_recbole_rule(split, (0.8, 0.1, 0.1))
    again = make_planted_implicit()
    assert np.array_equal(split.test.data, again.test.data)
    assert not np.array_equal(split.test.data, make_planted_implicit(seed=1).test.data)


def test_planted_scores_beat_popularity_which_is_near_random():
    split = make_planted_implicit()
    rng = np.random.default_rng(0)
    noise = rng.random((split.max_user, split.max_item)) * 1e-3
    oracle = recall_at_k(split, split.metadata['scores'])
    popularity = recall_at_k(split, split.train.item_popularity[None, :] + noise)
    random = np.mean([recall_at_k(split, rng.random((split.max_user, split.max_item))) for _ in range(5)])
    assert oracle > 0.35
    assert popularity < 2 * random
    assert oracle > 4 * popularity


def test_impossible_sizes_are_rejected():
    with pytest.raises(UnknownOptionError, match='`num_items` must be an integer >= 40'):
        make_planted_implicit(num_items=30, per_user=20)
