"""Worker shards: disjoint, covering, seeded, by user."""

from dataclasses import dataclass

import numpy as np
import pytest

from openrec2.datasets import make_planted_implicit
from openrec2.distributed import shard_dataset, shard_split, user_shard
from openrec2.errors import SettingError


def test_user_shards_are_disjoint_cover_everyone_and_repeat_with_the_seed():
    masks = [user_shard(101, 3, k, seed=5) for k in range(3)]
    assert np.all(np.sum(masks, axis=0) == 1)
    assert sorted(m.sum() for m in masks) == [33, 34, 34]
    assert np.array_equal(user_shard(101, 3, 1, seed=5), masks[1])
    assert not np.array_equal(user_shard(101, 3, 1, seed=6), masks[1])
    with pytest.raises(SettingError, match='shard 3 of 3'):
        user_shard(10, 3, 3)


def test_dataset_shards_split_the_rows_by_user():
    split = make_planted_implicit(num_users=50, num_items=40, rank=2, per_user=6, seed=0)
    shards = [shard_dataset(split.train, 2, k, seed=1) for k in range(2)]
    assert sum(len(s.data) for s in shards) == len(split.train.data)
    users = [set(s.data['user_id']) for s in shards]
    assert not users[0] & users[1]
    assert all(s.max_item == split.max_item and s.max_user == split.max_user for s in shards)
    part = shard_split(split, 2, 0, seed=1)
    assert part.validation is split.validation and len(part.train.data) == len(shards[0].data)


def test_graph_shards_split_the_triples_by_query_and_keep_every_tail_of_a_query_together():
    from openrec2.datasets.knowledge_graph import KnowledgeGraph
    from openrec2.distributed import shard_graph, shard_training_data

    rng = np.random.default_rng(0)
    head, relation, tail = rng.integers(0, 30, 400), rng.integers(0, 4, 400), rng.integers(0, 30, 400)
    graph = KnowledgeGraph('planted', head, relation, tail, 30, 4, np.arange(20))
    shards = [shard_graph(graph, 2, k, seed=3) for k in range(2)]
    assert sum(len(s) for s in shards) == len(graph)
    queries = [set(zip(s.head.tolist(), s.relation.tolist())) for s in shards]
    assert not queries[0] & queries[1] and queries[0] and queries[1]
    assert sorted(map(tuple, np.concatenate([s.triples for s in shards]).tolist())) == sorted(
        map(tuple, graph.triples.tolist()))
    assert np.array_equal(shard_graph(graph, 2, 1, seed=3).triples, shards[1].triples)
    assert all(s.num_entities == 30 and np.array_equal(s.item_entity, graph.item_entity) for s in shards)

    @dataclass
    class KGData:  # the two fields sharding reads, as ExperimentData has them
        split: object
        kg_train: object

    split = make_planted_implicit(num_users=20, num_items=20, rank=2, per_user=4, seed=0)
    part = shard_training_data(KGData(split, graph), 2, 1, seed=3)
    assert np.array_equal(part.kg_train.triples, shards[1].triples)
    assert len(part.split.train.data) == len(shard_split(split, 2, 1, seed=3).train.data)
    assert shard_training_data(KGData(split, None), 2, 1, seed=3).kg_train is None
