"""KTUP (Cao et al., WWW 2019) on MovieLens 100K with its Freebase knowledge graph.

Protocol: ML-100K, every rating a positive, random per-user 8:1:1 split (seed 2020);
full ranking of the test items with the training and validation items excluded. The
KG (91,631 triples) is split 90/10 at random (seed 0): KTUP's KG objective trains on
the 90 %, and the held-out 10 % measure the KG part: for each held-out triple five
tails are drawn uniformly from the entities that make no known triple, and the
accuracy is the share of (true, corrupted) pairs the model scores in the right order
(0.5 is chance). ``run_experiment`` (the path of ``python -m openrec2 train --model
KTUP``) trains rounds of ``train_rec_step=5`` BPR epochs and ``train_kg_step=2`` KG
epochs (d = 64, lazy Adam, lr 1e-3, batch 1024), evaluating validation NDCG@10 after
every round and stopping after 5 rounds without improvement (at most 40; at lr 5e-3
validation NDCG@10 is noisy and about 0.05 lower, at 1e-3 it rises for about 11 rounds). Reports
KTUP and most-popular: rounds, training examples per second (both objectives),
seconds per full evaluation, NDCG@10 / Recall@10, KG accuracy.

Run: ``OPENREC2_DATA=../shared/datasets python benchmarks/seed_models/ktup.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import epochs_text, examples_per_second, experiment, seconds_per_evaluation  # noqa: E402

from openrec2.trainer.kg_evaluation import KG_TAIL_ACCURACY  # noqa: E402

METRICS = ("NDCG@10", "Recall@10")
DATASET = "ml-100k + Freebase KG (random 8:1:1, full ranking)"


def run(data_home: Optional[str] = None) -> list:
    """Train KTUP with its alternating schedule and evaluate it and most-popular.

    Args:
        data_home: Data home (default ``$OPENREC2_DATA``).

    Returns:
        One row (dict) per model; the result is kept in ``run.results``.
    """
    result = experiment("KTUP", "ml-100k", data_home=data_home)
    rows = [dict(model="KTUP", rounds=epochs_text(result), train_examples_per_s=examples_per_second(result),
                 eval_seconds=seconds_per_evaluation(result), kg_tail_accuracy=result.results["kg"][KG_TAIL_ACCURACY],
                 **{m: result.results["test"][m] for m in METRICS}, dataset=DATASET),
            dict(model="MostPop", **{m: result.baseline["test"][m] for m in METRICS}, dataset=DATASET)]
    run.results = {"KTUP": result}
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
