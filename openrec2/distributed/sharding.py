"""Each worker's own part of the training data: disjoint, seeded shards by user (and, for
knowledge-graph models, by (head, relation) query)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from openrec2.errors import SettingError, scoped
from openrec2.utils.dataset import Dataset


def user_shard(num_users: int, num_shards: int, index: int, seed: int = 0) -> np.ndarray:
    """Boolean mask of the users of shard ``index``: a seeded permutation dealt round robin.

    Every user falls in exactly one shard, and shards differ in size by at most one user.
    Sharding by user keeps all of a user's interactions on one worker, so a worker's
    negative sampling knows the user's positives and two workers rarely write the same
    user row at once.

    Raises:
        SettingError: ``index`` is not in ``0 .. num_shards - 1``.
    """
    if not 0 <= index < num_shards:
        raise SettingError(scoped('cluster', f'shard {index} of {num_shards} does not exist.'))
    order = np.random.RandomState(seed).permutation(num_users)
    mask = np.zeros(num_users, dtype=bool)
    mask[order[index::num_shards]] = True
    return mask


def shard_dataset(dataset: Dataset, num_shards: int, index: int, seed: int = 0) -> Dataset:
    """The interactions of shard ``index``'s users (same ``max_user``/``max_item``).

    Args:
        dataset: The training interactions.
        num_shards: Number of workers.
        index: This worker's index.
        seed: Seed of the user permutation (the same in every worker).

    Returns:
        A :class:`~openrec2.utils.Dataset` of the shard's rows.
    """
    mask = user_shard(int(dataset.max_user), num_shards, index, seed)
    rows = dataset.data[mask[dataset.data['user_id']]]
    return Dataset(rows.copy(), int(dataset.max_user), int(dataset.max_item), name=f'{dataset.name}[shard {index}/{num_shards}]')


def shard_split(split, num_shards: int, index: int, seed: int = 0):
    """A :class:`~openrec2.datasets.data_split.DataSplit` whose ``train`` is one shard (other parts kept)."""
    return replace(split, train=shard_dataset(split.train, num_shards, index, seed))


def shard_graph(graph, num_shards: int, index: int, seed: int = 0):
    """The triples of shard ``index``'s (head, relation) queries (same ids and item links).

    A query's true tails all stay in one shard, so the worker's corrupted-tail sampling
    avoids every true triple of its queries, as one process does; queries are dealt round
    robin from a seeded permutation, like users in :func:`user_shard`.

    Args:
        graph: The training :class:`~openrec2.datasets.knowledge_graph.KnowledgeGraph`.
        num_shards: Number of workers.
        index: This worker's index.
        seed: Seed of the query permutation (the same in every worker).

    Returns:
        A :class:`~openrec2.datasets.knowledge_graph.KnowledgeGraph` of the shard's triples.
    """
    _, query = np.unique(graph.head * graph.num_relations + graph.relation, return_inverse=True)
    query = query.ravel()
    mask = user_shard(int(query.max()) + 1 if query.size else 0, num_shards, index, seed)
    return graph.subset(mask[query], f'{graph.name}[shard {index}/{num_shards}]')


def shard_training_data(data, num_shards: int, index: int, seed: int = 0):
    """Experiment data whose training parts are shard ``index``'s: the interaction split's
    ``train`` by user and, when there is one, the training knowledge graph by query
    (validation, test and the whole graph are kept for the chief's evaluation)."""
    kg_train = getattr(data, 'kg_train', None)
    sharded = {'split': shard_split(data.split, num_shards, index, seed)}
    if kg_train is not None:
        sharded['kg_train'] = shard_graph(kg_train, num_shards, index, seed)
    return replace(data, **sharded)
