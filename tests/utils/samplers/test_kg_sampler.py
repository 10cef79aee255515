"""Tests of KGSampler and corrupt_tails."""

import numpy as np
import pytest
from sampler_fixtures import assert_same_stream, requires_data, take

from openrec2.datasets.knowledge_graph import KnowledgeGraph
from openrec2.errors import DataError, DTypeError
from openrec2.utils.samplers.kg_sampler import KGSampler, corrupt_tails


def toy_graph(num_entities=12):
    """Entity 0 -r0-> every entity but 11 (so its corrupted tail is forced), plus random triples."""
    rng = np.random.default_rng(0)
    heads = np.concatenate([np.zeros(num_entities - 1, np.int64), rng.integers(1, num_entities, 60)])
    tails = np.concatenate([np.arange(num_entities - 1), rng.integers(0, num_entities, 60)])
    relations = np.concatenate([np.zeros(num_entities - 1, np.int64), rng.integers(0, 3, 60)])
    unique = np.unique(np.stack([heads, relations, tails], 1), axis=0)
    return KnowledgeGraph('toy', unique[:, 0], unique[:, 1], unique[:, 2], num_entities, 3, np.array([0, -1, 5]))


def test_batches_cover_every_triple_once_per_pass_and_never_corrupt_into_a_true_triple():
    graph = toy_graph()
    sampler = KGSampler(graph, 16, seed=4)
    assert sampler.batches_per_epoch == -(-len(graph) // 16)
    batches = take(sampler, 3 * sampler.batches_per_epoch)
    assert set(batches[0]) == {'head', 'relation', 'tail', 'corrupted_tail'}
    assert all(v.dtype == np.int32 and v.shape == (16,) for v in batches[0].values())
    columns = {key: np.concatenate([b[key] for b in batches]).astype(np.int64) for key in batches[0]}
    true_keys = set(map(tuple, graph.triples.tolist()))
    rows = np.stack([columns['head'], columns['relation'], columns['tail']], 1)
    first_pass = rows[:len(graph)]
    assert sorted(map(tuple, first_pass.tolist())) == sorted(true_keys)
    corrupted = np.stack([columns['head'], columns['relation'], columns['corrupted_tail']], 1)
    assert not any(tuple(row) in true_keys for row in corrupted.tolist())
    forced = (columns['head'] == 0) & (columns['relation'] == 0)
    assert forced.any() and np.all(columns['corrupted_tail'][forced] == 11)


def test_stream_is_reproducible_and_independent_of_workers():
    graph = toy_graph()
    assert_same_stream(take(KGSampler(graph, 8, seed=1), 12), take(KGSampler(graph, 8, seed=1, num_process=3), 12))
    different = take(KGSampler(graph, 8, seed=2), 12)
    assert not all(np.array_equal(a['head'], b['head']) for a, b in zip(different, take(KGSampler(graph, 8, seed=1), 12)))


def test_corrupt_tails_is_uniform_over_the_allowed_entities():
    graph = toy_graph(num_entities=50)
    rng = np.random.default_rng(0)
    heads, relations = np.full(20000, 3), np.full(20000, 1)
    tails = corrupt_tails(rng, graph, heads, relations)
    true_tails = set(graph.tail[(graph.head == 3) & (graph.relation == 1)].tolist())
    counts = np.bincount(tails, minlength=50)
    allowed = np.array([e not in true_tails for e in range(50)])
    assert np.all(counts[~allowed] == 0) and counts[49] > 0  # the last id is drawn too
    assert counts[allowed].min() > 0.6 * counts[allowed].mean()
    # A (head, relation) pair with no triple: uniform over all entities; shape [B, k].
    several = corrupt_tails(rng, graph, np.array([49, 49]), np.array([2, 2]), per_triple=5)
    assert several.shape == (2, 5) and several.max() < 50


def test_errors():
    with pytest.raises(DTypeError, match='must be an openrec2.datasets.knowledge_graph.KnowledgeGraph'):
        KGSampler(np.zeros((3, 3)), 4)
    with pytest.raises(DataError, match='no triple'):
        KGSampler(KnowledgeGraph('empty', [], [], [], 3, 1, [-1]), 4)


@requires_data
def test_ml100k_graph_stream():
    from openrec2.datasets.knowledge_graph import load_ml100k_kg
    _, graph = load_ml100k_kg()
    batch = take(KGSampler(graph, 4096, seed=0), 1)[0]
    triples = set(map(tuple, graph.triples.tolist()))
    assert all((h, r, t) in triples for h, r, t in zip(batch['head'].tolist(), batch['relation'].tolist(),
                                                       batch['tail'].tolist()))
    assert not any((h, r, t) in triples for h, r, t in zip(batch['head'].tolist(), batch['relation'].tolist(),
                                                           batch['corrupted_tail'].tolist()))
