"""ConvNCF (He et al., IJCAI 2018) on MovieLens 100K, trained as the paper does.

Protocol: ML-100K, every rating a positive, random per-user 8:1:1 split (seed 2020);
full ranking of the test items with the training and validation items excluded.
``run_experiment`` (the path of ``python -m openrec2 train --model ConvNCF``) first
trains MF-BPR (d=64, lazy Adam, lr 5e-3, batch 1024) with early stopping on validation
NDCG@10, then ConvNCF starts from its embeddings (``train_method='after_pretrain'``,
RecBole's defaults otherwise; lr 1e-3, batch 512) and trains with early stopping on
validation NDCG@10 (one evaluation per epoch, patience 2). Reports, for ConvNCF, the BPR
it started from and most-popular: epochs, training examples (triples) per second,
seconds per full evaluation, and NDCG@10 / Recall@10 / HR@10.

Run: ``OPENREC2_DATA=../shared/datasets python benchmarks/seed_models/convncf.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import epochs_text, examples_per_second, experiment, seconds_per_evaluation  # noqa: E402

METRICS = ("NDCG@10", "Recall@10", "Hit@10")
DATASET = "ml-100k (random 8:1:1, full ranking)"


def _row(name: str, result) -> dict:
    return dict(model=name, epochs=epochs_text(result), train_examples_per_s=examples_per_second(result),
                eval_seconds=seconds_per_evaluation(result), **{m: result.results["test"][m] for m in METRICS},
                dataset=DATASET)


def run(data_home: Optional[str] = None) -> list:
    """Pretrain BPR, train ConvNCF after_pretrain, evaluate both and most-popular.

    Args:
        data_home: Data home (default ``$OPENREC2_DATA``).

    Returns:
        One row (dict) per model; the results are kept in ``run.results``.
    """
    result = experiment("ConvNCF", "ml-100k", data_home=data_home)
    rows = [_row("BPR (pretraining)", result.pretraining), _row("ConvNCF (after_pretrain)", result),
            dict(model="MostPop", **{m: result.baseline["test"][m] for m in METRICS}, dataset=DATASET)]
    run.results = {"ConvNCF": result, "BPR": result.pretraining}
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
