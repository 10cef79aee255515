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


def planted_histories(num_users=240, num_clusters=4, cluster_size=20, per_user=12, seed=3):
    """Behaviour sequences whose users each watch items of one item cluster, in random order.

    The next item always comes from the cluster of the history, which the history average
    reveals; every item is equally popular, so most-popular cannot rank it. Users also get
    one-hot side features of a random group that says nothing about their cluster.

    Returns:
        ``(sequences, clusters)``: the leave-last-out :class:`BehaviourSequences` (with
        ``user_features``) and each user's cluster.
    """
    from openrec2.datasets.data_split import build_data_split
    from openrec2.datasets.sequences import sequences_from_split
    from openrec2.utils.dataset import make_interactions
    rng = np.random.default_rng(seed)
    clusters = np.arange(num_users) % num_clusters
    items = np.concatenate([c * cluster_size + rng.permutation(cluster_size)[:per_user] for c in clusters])
    users = np.repeat(np.arange(num_users), per_user)
    stamps = np.tile(np.arange(per_user), num_users)
    data = make_interactions(users, items, timestamp=stamps)
    max_item = num_clusters * cluster_size
    sequences = sequences_from_split(build_data_split('planted', data, num_users, max_item, 'leave_one_out',
                                                      (0.8, 0.1, 0.1), 0))
    sequences.user_features = np.eye(5, dtype=np.float32)[rng.integers(0, 5, num_users)]
    return sequences, clusters
