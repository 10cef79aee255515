"""WRMF next to BPR and most-popular on MovieLens 1M ratings >= 3, RecBole's protocol.

Model: WRMF (Hu, Koren and Volinsky, "Collaborative Filtering for Implicit Feedback
Datasets", ICDM 2008), trained by gradient steps on batches of observed cells, the
loss over every cell computed through the item Gram matrix; its registered defaults
(``python -m openrec2 list``). Reference: BPR (Rendle et al., UAI 2009) with the
settings of ``benchmarks/bpr_ml1m.py`` (d=64, lazy Adam, lr 1e-3, batch 4096, patience
10 evaluations, one per epoch), trained through the same experiment path.

Protocol: the ``ml-1m`` dataset (the ``ml-1m-ratings3`` files) re-split per user at
random 8:1:1 (seed 2020); full ranking of every item, excluding the training items
(validation) and training + validation items (test); early stopping on validation
NDCG@10, the best model restored for the test.

Prints the README rows (model, paper, inputs, dataset, test NDCG@10 / Recall@10 with
most-popular's, training examples per second, epochs) and whether WRMF's test NDCG@10
is within 5% of BPR's or better.

Run: ``OPENREC2_DATA=../shared/datasets python benchmarks/wrmf_ml1m.py``; WRMF alone
is ``python -m openrec2 train --model WRMF --dataset ml-1m --split random``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "seed_models"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import experiment  # noqa: E402
from seed_models import markdown_table  # noqa: E402
from zoo import table_row  # noqa: E402

from openrec2.experiments.experiment import ExperimentSettings, load_experiment_data  # noqa: E402
from openrec2.experiments.model_registry import get_model_spec  # noqa: E402

DATASET = "ml-1m"
#: BPR as benchmarks/bpr_ml1m.py trains it.
BPR_OPTIONS = dict(lr=1e-3, batch_size=4096, epochs=300, eval_every=1, patience=10)
#: WRMF's test NDCG@10 must reach this share of BPR's.
NDCG_SHARE = 0.95


def run(data_home=None) -> list[dict]:
    """Train WRMF and BPR on one split and return their README rows."""
    data = load_experiment_data(get_model_spec("WRMF"), DATASET,
                                ExperimentSettings(split="random", data_home=data_home))
    rows = []
    for model, paper, options in (("WRMF", "Hu, Koren & Volinsky, ICDM 2008", {}),
                                  ("BPR", "Rendle et al., UAI 2009", BPR_OPTIONS)):
        started = time.perf_counter()
        result = experiment(model, DATASET, data=data, data_home=data_home, split="random", **options)
        rows.append(table_row(result, paper, "interactions", time.perf_counter() - started))
    return rows


def main() -> None:
    """Run the comparison and print the table and the verdict."""
    print(f"# {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, `python benchmarks/wrmf_ml1m.py`")
    wrmf, bpr = rows = run()
    print(markdown_table(rows))
    share = wrmf["NDCG@10"] / bpr["NDCG@10"]
    print(f"\nWRMF test NDCG@10 is {share:.1%} of BPR's ({'>=' if share >= NDCG_SHARE else '<'} "
          f"{NDCG_SHARE:.0%}); most-popular NDCG@10 {wrmf['MostPop NDCG@10']:.4f}")


if __name__ == "__main__":
    main()
