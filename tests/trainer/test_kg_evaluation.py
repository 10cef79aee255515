"""Tests of the knowledge-graph evaluation: true triples against seeded corrupted tails."""

import numpy as np
import pytest

from openrec2.datasets.knowledge_graph import KnowledgeGraph
from openrec2.errors import SettingError
from openrec2.trainer.kg_evaluation import KG_TAIL_ACCURACY, KGTailEvaluation


class _Scorer:
    """Scores a triple by how close its tail is to ``head + 1`` (the planted rule)."""

    def serve_in_chunks(self, batch, chunk_size=None):
        return -np.abs(batch['tail'] - batch['head'] - 1).astype(np.float32)


def planted_graph():
    heads = np.arange(20)
    return KnowledgeGraph('toy', heads, np.zeros(20, np.int64), heads + 1, 21, 1, np.full(5, -1))


def test_a_model_that_knows_the_rule_ranks_every_true_tail_first():
    graph = planted_graph()
    evaluation = KGTailEvaluation(graph, graph, num_corrupted=3, seed=1)
    results = evaluation.evaluate(_Scorer())
    assert results[KG_TAIL_ACCURACY] == 1.0 and results.num_evaluated == 20 and results.unit == 'triples'
    assert not np.any(evaluation.false['tail'] == np.repeat(graph.tail, 3))  # corrupted tails are never true
    again = KGTailEvaluation(graph, graph, num_corrupted=3, seed=1)
    np.testing.assert_array_equal(again.false['tail'], evaluation.false['tail'])  # seeded, fixed


def test_ties_count_half_and_counts_are_checked():
    class Flat:
        def serve_in_chunks(self, batch, chunk_size=None):
            return np.zeros(len(batch['head']), np.float32)

    graph = planted_graph()
    assert KGTailEvaluation(graph, graph).evaluate(Flat())[KG_TAIL_ACCURACY] == 0.5
    with pytest.raises(SettingError, match='`num_corrupted` must be an integer >= 1'):
        KGTailEvaluation(graph, graph, num_corrupted=0)
