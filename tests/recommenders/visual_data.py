"""Shared data of the VBPR / AMR tests: planted problems with item features, ML-100K genres."""

import numpy as np

from openrec2.datasets import load_ml100k, make_planted_implicit
from openrec2.utils.evaluators import NDCG, HitRatio, evaluate


def unit_rows(matrix):
    """L2-normalise every row (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32)


def planted_with_features(seed=1):
    """A small planted problem whose item features are the planted item factors (unit rows)."""
    split = make_planted_implicit(num_users=120, num_items=80, rank=4, per_user=12, seed=seed)
    return split, unit_rows(split.metadata["item_factors"])


def ml100k_with_genres():
    """ML-100K (random 8:1:1) and its genre vectors, L2-normalised per item."""
    split = load_ml100k()
    return split, unit_rows(split.item_features)


def ranking_metrics(scores, split):
    """HR@10 and NDCG@10 of a ``[max_user, items]`` score matrix on the test split (train excluded)."""
    users = split.test.users
    return evaluate(scores[users], split.test.item_lists(users), split.train.item_lists(users),
                    evaluators=[HitRatio(10), NDCG(10)])


def popularity_metrics(split):
    """The same metrics for the most-popular baseline (training counts)."""
    return ranking_metrics(np.tile(split.train.item_popularity.astype(np.float64), (split.max_user, 1)), split)


def small_model(cls, split, features, batch_size=64, **kwargs):
    """A small VBPR / AMR for the planted problems (``kwargs`` override the settings)."""
    settings = dict(factors=8, factors_d=4, lr=0.01, eps=0.5, seed=0)
    settings.update(kwargs)
    return cls(batch_size=batch_size, max_user=split.max_user, max_item=split.max_item, item_features=features,
               **settings)
