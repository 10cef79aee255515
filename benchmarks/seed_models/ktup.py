"""KTUP (Cao et al., WWW 2019) on MovieLens 100K with its Freebase knowledge graph.

Protocol: ML-100K, every rating a positive, random per-user 8:1:1 split (seed 2020);
full ranking of the test items with the training and validation items excluded. The
KG (91,631 triples) is split 90/10 at random (seed 0): KTUP's KG objective trains on
the 90 %, and the held-out 10 % measure the KG part: for each held-out triple five
tails are drawn uniformly from the entities that make no known triple, and the
accuracy is the share of (true, corrupted) pairs the model scores in the right order
(0.5 is chance). Training alternates ``train_rec_step`` BPR epochs and
``train_kg_step`` KG epochs (:meth:`KTUP.train_alternately`), d = 64, lazy Adam.
Reports KTUP and most-popular: training examples per second (both objectives),
seconds per full evaluation of the test users, NDCG@10 / Recall@10, KG accuracy.

Run: ``OPENREC2_DATA=../shared/datasets python benchmarks/seed_models/ktup.py``.
"""

from __future__ import annotations

import os
import time
from typing import Optional


os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from openrec2.datasets.knowledge_graph import load_ml100k_kg  # noqa: E402
from openrec2.recommenders.ktup import KTUP  # noqa: E402
from openrec2.trainer.baselines import popularity_scorer  # noqa: E402
from openrec2.utils.evaluators import NDCG, Recall, evaluate_with_scorer  # noqa: E402
from openrec2.utils.samplers import PairwiseSampler  # noqa: E402
from openrec2.utils.samplers.evaluation import EvaluationSampler  # noqa: E402
from openrec2.utils.samplers.kg_sampler import KGSampler  # noqa: E402

METRICS = ("NDCG@10", "Recall@10")
DATASET = "ml-100k + Freebase KG (random 8:1:1, full ranking)"


def full_ranking(score_fn, split) -> tuple[dict, float]:
    """Full-ranking NDCG@10 / Recall@10 of ``score_fn`` on the test split, and its seconds."""
    sampler = EvaluationSampler(split.test, 256, excluded_datasets=[split.train, split.validation])
    start = time.perf_counter()
    results = evaluate_with_scorer(score_fn, sampler, [NDCG(10), Recall(10)])
    return {name: float(results[name]) for name in METRICS}, time.perf_counter() - start


def run(data_home: Optional[str] = None, rounds: int = 4, train_rec_step: int = 5, train_kg_step: int = 2,
        batch_size: int = 1024, lr: float = 5e-3, seed: int = 2020) -> list:
    """Train KTUP with its alternating schedule and evaluate it and most-popular.

    Args:
        data_home: Data home (default ``$OPENREC2_DATA``).
        rounds: Rounds of the schedule.
        train_rec_step: Recommendation epochs per round.
        train_kg_step: KG epochs per round.
        batch_size: Examples per training batch (both objectives).
        lr: Learning rate.
        seed: Seed of the model and samplers.

    Returns:
        One row (dict) per model.
    """
    split, graph = load_ml100k_kg(data_home=data_home)
    kg_train, kg_test = graph.split(0.1, seed=0)
    with KTUP(batch_size=batch_size, max_user=split.max_user, max_item=split.max_item,
              num_entities=graph.num_entities, num_relations=graph.num_relations, item_entity=graph.item_entity,
              embedding_size=64, train_rec_step=train_rec_step, train_kg_step=train_kg_step, lr=lr,
              test_batch_size=256, seed=seed) as model, \
            PairwiseSampler(split.train, batch_size, seed=seed) as rec_sampler, \
            KGSampler(kg_train, batch_size, seed=seed) as kg_sampler:
        start = time.perf_counter()
        model.train_alternately(rec_sampler, kg_sampler, rounds=rounds)
        seconds = time.perf_counter() - start
        steps = rounds * (train_rec_step * rec_sampler.batches_per_epoch + train_kg_step * kg_sampler.batches_per_epoch)
        metrics, eval_seconds = full_ranking(model.serve, split)
        kg_accuracy = model.kg_tail_accuracy(kg_test, graph, num_corrupted=5)
    rows = [dict(model="KTUP", epochs=f"{rounds} x ({train_rec_step} rec + {train_kg_step} kg)",
                 train_examples_per_s=steps * batch_size / seconds, eval_seconds=eval_seconds,
                 kg_tail_accuracy=kg_accuracy, **metrics)]
    metrics, eval_seconds = full_ranking(popularity_scorer(split.train), split)
    rows.append(dict(model="MostPop", epochs=0, train_examples_per_s=None, eval_seconds=eval_seconds,
                     kg_tail_accuracy=None, **metrics))
    for row in rows:
        row["dataset"] = DATASET
    return rows


if __name__ == "__main__":
    for result in run():
        print(result)
