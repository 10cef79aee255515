"""Knowledge-graph evaluation: does the model score true triples above corrupted ones?

For models with a triple-scoring serving output (KTUP's TransH part: ``head``,
``relation``, ``tail`` -> ``-d(h, r, t)``). For each test triple, ``num_corrupted`` tails
are drawn uniformly from the entities that make no true triple of the known graph; a
(true, corrupted) pair counts 1 when the true triple scores higher, 0.5 on a tie. The
mean, ``'KG tail accuracy'``, is 0.5 for chance (the knowledge-graph half of Cao et al.,
"Unifying Knowledge Graph Learning and Recommendation", WWW 2019).
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from openrec2.utils.evaluators import MetricResults
from openrec2.utils.samplers import corrupt_tails
from openrec2.validation import check_int

#: Metric key of :class:`KGTailEvaluation`.
KG_TAIL_ACCURACY = 'KG tail accuracy'


class KGTailEvaluation:
    """Share of (true, corrupted) tail pairs of held-out triples a model ranks correctly.

    The corrupted tails are drawn once, at construction (seeded), so every evaluation
    of a run compares the same pairs.

    Args:
        test_graph: :class:`~openrec2.datasets.knowledge_graph.KnowledgeGraph` of the
            triples to test (e.g. held out of KG training).
        known_graph: The graph whose triples are all true (e.g. the full graph).
        num_corrupted: Corrupted tails per test triple.
        seed: Seed of the corruption.
        batch_size: Triples per serving call.
        name: Name of the split.

    Raises:
        SettingError: Bad counts.
    """

    def __init__(self, test_graph, known_graph, num_corrupted: int = 1, seed: int = 0,
                 batch_size: int = 8192, name: str = 'kg') -> None:
        self.name = name
        self.batch_size = check_int(batch_size, 'batch_size', 'KGTailEvaluation')
        count = check_int(num_corrupted, 'num_corrupted', 'KGTailEvaluation')
        corrupted = corrupt_tails(np.random.default_rng(check_int(seed, 'seed', 'KGTailEvaluation', minimum=0)),
                                  known_graph, test_graph.head, test_graph.relation, count)
        self.true = {'head': test_graph.head, 'relation': test_graph.relation, 'tail': test_graph.tail}
        self.false = {'head': np.repeat(test_graph.head, count), 'relation': np.repeat(test_graph.relation, count),
                      'tail': corrupted.ravel()}
        self.num_corrupted = count

    def evaluate(self, model, evaluators: Optional[Sequence] = None) -> MetricResults:
        """Score the true and corrupted triples with the model.

        Args:
            model: A recommender serving ``head`` + ``relation`` + ``tail`` batches.
            evaluators: Ignored (the metric is fixed).

        Returns:
            ``MetricResults({'KG tail accuracy': value})`` over the test triples.
        """
        def scores(triples: dict) -> np.ndarray:
            batch = {key: np.asarray(value, np.int32) for key, value in triples.items()}
            return model.serve_in_chunks(batch, chunk_size=self.batch_size)

        true = np.repeat(scores(self.true), self.num_corrupted)
        false = scores(self.false)
        accuracy = float(np.mean((true > false) + 0.5 * (true == false)))
        return MetricResults({KG_TAIL_ACCURACY: accuracy}, true.size // self.num_corrupted, unit='triples')
