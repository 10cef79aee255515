"""Tests of the knowledge-graph loaders (real files and broken copies) and KnowledgeGraph."""

import shutil

import numpy as np
import pytest
from split_checks import assert_consistent, requires_data

from openrec2.datasets import get_data_home
from openrec2.datasets.knowledge_graph import KnowledgeGraph, load_ml100k_kg, load_ml1m_kg
from openrec2.errors import DataError, DataFileNotFoundError, UnknownOptionError


@requires_data
def test_ml100k_with_freebase_graph():
    split, graph = load_ml100k_kg()
    assert (split.max_user, split.max_item) == (943, 1682)
    assert len(graph) == 91_631 and graph.num_relations == 24 and graph.num_entities == 34_628
    assert graph.item_entity.shape == (1682,) and graph.num_linked_items == 1598
    assert split.metadata['knowledge_graph'] is graph and 'knowledge graph ml-100k/freebase' in split.protocol
    # Toy Story (MovieLens id 1) is Freebase m.0dyb1; it heads film triples.
    toy_story = int(np.flatnonzero(split.item_id_map == 1)[0])
    entity = graph.item_entity[toy_story]
    assert graph.entity_names[entity] == 'm.0dyb1'
    assert 'film.film.directed_by' in set(graph.relation_names[graph.relation[graph.head == entity]])
    # Items without an entity are marked -1, and the link is one-to-one.
    linked = graph.item_entity[graph.item_entity >= 0]
    assert len(np.unique(linked)) == len(linked) and np.sum(graph.item_entity == -1) == 84
    assert len(np.unique(graph.triples, axis=0)) == len(graph)
    assert_consistent(split)
    # Same interactions as load_ml100k with the same arguments.
    temporal, _ = load_ml100k_kg(split='temporal')
    assert temporal.protocol.startswith('per-user temporal')


@requires_data
def test_ml1m_with_dbpedia_graph():
    split, graph = load_ml1m_kg()
    assert (split.max_user, split.max_item) == (6040, 3706) and split.validation is None
    assert (len(split.train), len(split.test)) == (797_758, 202_451)
    assert len(graph) == 112_160 and (graph.num_entities, graph.num_relations) == (14_708, 8)
    jumanji = int(np.flatnonzero(split.item_id_map == 2)[0])
    assert graph.entity_names[graph.item_entity[jumanji]] == 'http://dbpedia.org/resource/Jumanji'
    toy_story = int(np.flatnonzero(split.item_id_map == 1)[0])
    assert graph.item_entity[toy_story] == -1  # not in item_list.txt
    assert graph.relation_names[6] == 'http://dbpedia.org/ontology/director'
    assert split.user_id_map[0] == 1
    assert_consistent(split)
    with pytest.raises(UnknownOptionError, match="unknown split 'temporal'"):
        load_ml1m_kg(split='temporal')


def copy_ml100k(tmp_path):
    target = tmp_path / 'ml-100k'
    shutil.copytree(get_data_home() / 'ml-100k', target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


@requires_data
def test_broken_and_missing_files(tmp_path):
    folder = copy_ml100k(tmp_path)
    kg = folder / 'ml-100k.kg'
    lines = kg.read_text().splitlines()
    kg.write_text('\n'.join(['head:token\trelation_id:token\ttail_id:token'] + lines[1:]) + '\n')
    with pytest.raises(DataError, match=r"lacks field\(s\) \['head_id'\]"):
        load_ml100k_kg(data_home=tmp_path)
    kg.write_text('\n'.join(lines[:5] + ['m.1\tfilm.film.actor'] + lines[5:]) + '\n')
    with pytest.raises(DataError, match='line 6 has 2 tab-separated fields'):
        load_ml100k_kg(data_home=tmp_path)
    kg.write_text('\n'.join(lines) + '\n')
    (folder / 'ml-100k.link').unlink()
    with pytest.raises(DataFileNotFoundError, match='ml-100k/ml-100k.link'):
        load_ml100k_kg(data_home=tmp_path)


def test_knowledge_graph_checks_split_and_queries():
    graph = KnowledgeGraph('toy', [0, 0, 1, 2], [0, 0, 1, 0], [1, 2, 2, 3], 4, 2, [3, -1])
    assert graph.triples.tolist() == [[0, 0, 1], [0, 0, 2], [1, 1, 2], [2, 0, 3]]
    assert graph.query_ids(np.array([0, 1, 3]), np.array([0, 1, 0])).tolist() == [0, 1, -1]
    dataset, heads, relations = graph.tail_index()
    assert dataset.positive_items(0).tolist() == [1, 2] and heads.tolist() == [0, 1, 2]
    train, test = graph.split(0.25, seed=0)
    assert len(train) == 3 and len(test) == 1
    assert sorted(map(tuple, np.concatenate([train.triples, test.triples]).tolist())) == sorted(
        map(tuple, graph.triples.tolist()))
    with pytest.raises(DataError, match=r'tail ids must lie in \[0, 4\)'):
        KnowledgeGraph('bad', [0], [0], [4], 4, 1, [-1])
    with pytest.raises(DataError, match=r'item_entity ids must lie in \[-1, 4\)'):
        KnowledgeGraph('bad', [0], [0], [1], 4, 1, [-2])
    with pytest.raises(DataError, match='one entry per triple'):
        KnowledgeGraph('bad', [0, 1], [0], [1], 4, 1, [-1])
    with pytest.raises(UnknownOptionError, match=r'`test_ratio` must be a finite number > 0 and < 1'):
        graph.split(1.0)
