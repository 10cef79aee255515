"""Knowledge-graph sampler: (head, relation, tail, corrupted tail) batches for
translation-based KG losses (TransE, Bordes et al., NIPS 2013; TransH, Wang et al.,
AAAI 2014; used by KTUP, Cao et al., WWW 2019).

The graph's triples are seen as an implicit dataset whose "users" are the distinct
(head, relation) queries and whose "items" are their true tails
(:meth:`KnowledgeGraph.tail_index`). The pairwise sampler's machinery then does the
work: shuffled passes over all triples, and a corrupted tail drawn uniformly from all
entities minus the true tails of the query (so a corrupted triple is never a known
true one).
"""

from __future__ import annotations

import numpy as np

from openrec2.errors import DTypeError, scoped
from openrec2.utils.samplers.negatives import sample_negatives
from openrec2.utils.samplers.pairwise import PairwiseSampler
from openrec2.utils.samplers.sampler import Batch


def corrupt_tails(rng: np.random.Generator, graph, head: np.ndarray, relation: np.ndarray,
                  per_triple: int | None = None) -> np.ndarray:
    """Draw tails uniformly from the entities that make no true triple of ``graph``.

    Args:
        rng: Generator to draw from.
        graph: The :class:`~openrec2.datasets.knowledge_graph.KnowledgeGraph` whose
            triples count as true.
        head: int array ``[B]`` of head entities.
        relation: int array ``[B]`` of relations.
        per_triple: ``None`` for one tail per row (``[B]``), else ``[B, per_triple]``.

    Returns:
        int64 corrupted tails. A (head, relation) pair without any triple in ``graph``
        gets tails uniform over all entities.
    """
    dataset, _, _ = graph.tail_index()
    queries = graph.query_ids(head, relation)
    shape = (len(queries),) if per_triple is None else (len(queries), per_triple)
    tails = rng.integers(0, graph.num_entities, size=shape, dtype=np.int64)
    known = queries >= 0
    if known.any():
        tails[known] = sample_negatives(rng, queries[known], dataset, per_triple)
    return tails


class KGSampler(PairwiseSampler):
    """Endless stream of ``{'head', 'relation', 'tail', 'corrupted_tail'}`` int32 batches.

    Each pass visits every triple of the graph once, in a fresh seeded order; the
    corrupted tail is uniform over the entities that do not complete a true triple
    with the row's (head, relation). ``batches_per_epoch`` is
    ``ceil(#triples / batch_size)``.

    Args:
        graph: A :class:`~openrec2.datasets.knowledge_graph.KnowledgeGraph` (its
            training triples).
        batch_size: Triples per batch.
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.

    Raises:
        DTypeError: ``graph`` is not a KnowledgeGraph.
        DataError: The graph has no triple, or a (head, relation) has every entity as a
            tail (no corruption exists).
        UnknownOptionError: Invalid sizes.
    """

    def __init__(self, graph, batch_size: int, num_process: int = 1, seed: int = 100,
                 prefetch: int = 8) -> None:
        if not callable(getattr(graph, 'tail_index', None)):
            raise DTypeError(scoped(type(self).__name__, (
                f'graph must be an openrec2.datasets.knowledge_graph.KnowledgeGraph, got '
                f'{type(graph).__name__}; load one with load_ml100k_kg / load_ml1m_kg.')))
        dataset, self._query_head, self._query_relation = graph.tail_index()
        self.graph = graph
        super().__init__(dataset, batch_size, num_process=num_process, seed=seed, prefetch=prefetch)

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        pairs = super()._make_batch(index, rng)
        query = pairs['user_id']
        return {'head': self._query_head[query].astype(np.int32),
                'relation': self._query_relation[query].astype(np.int32),
                'tail': pairs['p_item_id'],
                'corrupted_tail': pairs['n_item_id']}
