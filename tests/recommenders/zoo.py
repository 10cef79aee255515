"""Shared checks of the model-zoo tests: learning a planted problem, beating most-popular on real data."""

import numpy as np

from openrec2.experiments.experiment import ExperimentSettings, run_experiment
from openrec2.utils import samplers

from planted import planted_split, popularity_metrics, test_metrics
from visual_data import unit_rows


def planted_item_features(split):
    """The planted item factors as item features (unit rows): informative content."""
    return unit_rows(split.metadata["item_factors"])


def planted_user_features(split):
    """The planted user factors as user features (unit rows)."""
    return unit_rows(split.metadata["user_factors"])


def train_on_planted(model, split, steps=300):
    """Train ``model`` with its own sampler for ``steps`` batches.

    Returns:
        ``(first loss, last loss, [max_user, max_item] scores)``; the pair scores served
        for a few (user, item) ids are checked against the all-item scores.
    """
    sampler_class = getattr(samplers, model.training_sampler)
    with model, sampler_class(split.train, model.batch_size, seed=0, **model.training_sampler_options()) as sampler:
        first = np.mean([model.train(next(sampler)) for _ in range(10)])
        for _ in range(steps):
            last = model.train(next(sampler))
        scores = model.serve_all_items(np.arange(split.max_user))
        users, items = np.array([0, 5, 9]), np.array([3, 7, 11])
        pairs = model.serve({"user_id": users, "item_id": items})
    np.testing.assert_allclose(pairs, scores[users, items], rtol=1e-4, atol=1e-4)
    return first, last, scores


def assert_learns_planted(model, split=None, steps=300, loss_drop=0.7):
    """The model's loss falls and it ranks the planted test items well above most-popular."""
    split = split or planted_split()
    first, last, scores = train_on_planted(model, split, steps)
    learned, popular = test_metrics(scores, split), popularity_metrics(split)
    assert last < loss_drop * first
    assert learned["AUC"] > 0.8 and learned["AUC"] > popular["AUC"] + 0.1
    assert learned["Recall@10"] > 1.5 * popular["Recall@10"]
    return learned


def assert_beats_most_popular(model, dataset, margin=1.3, **options):
    """Train ``model`` on ``dataset`` the command-line way; its test NDCG@10 and Recall@10 (full
    ranking, training and validation items excluded) exceed most-popular's by ``margin``."""
    settings = ExperimentSettings(verbose=False, progress=False, **options)
    result = run_experiment(model, dataset, settings)
    test, popular = result.results["test"], result.baseline["test"]
    for metric in ("NDCG@10", "Recall@10"):
        assert test[metric] > margin * popular[metric], (metric, test[metric], popular[metric])
    return result
