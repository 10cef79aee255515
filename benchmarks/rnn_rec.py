"""RNNRec's row of the README model table: next-item ranking on chronological histories.

RNNRec (Hidasi et al., ICLR 2016) trains through ``run_experiment`` (the path of
``python -m openrec2 train --model RNNRec --dataset D``: registered defaults, early
stopping on validation NDCG@10) and is tested leave-last-out: each user's last item is
ranked among all items after the user's history (its earlier items excluded). Next to
it: most-popular on the same targets, and the history-free variant (the same model with
``use_history=False``: no recurrent step, one learned score per item for everyone).
Prints one markdown table: model, paper, inputs, dataset, test HR@10 / NDCG@10 of the
three, training examples per second (sampling included) and epochs.

Usage:
    python benchmarks/rnn_rec.py [DATASET ...]     # ml-100k by default; also amazon-beauty
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "seed_models"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import epochs_text, examples_per_second, experiment, shared_data  # noqa: E402
from seed_models import markdown_table  # noqa: E402

DATASETS = ("ml-100k", "amazon-beauty")


def row(dataset: str, data_home=None) -> dict:
    """Train RNNRec and its history-free variant on ``dataset``; return the table row."""
    data = shared_data("RNNRec", dataset, data_home)
    started = time.perf_counter()
    full = experiment("RNNRec", dataset, data=data, data_home=data_home)
    free = experiment("RNNRec", dataset, data=data, data_home=data_home, model_settings={"use_history": False})
    test, popular, history_free = full.results["test"], full.baseline["test"], free.results["test"]
    print(f"RNNRec on {dataset}: HR@10 {test['Hit@10']:.4f} (most-popular {popular['Hit@10']:.4f}, history-free "
          f"{history_free['Hit@10']:.4f}), {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return {"model": "RNNRec", "paper": "Hidasi et al., ICLR 2016", "inputs": "chronological item histories",
            "dataset": dataset, "HR@10": test["Hit@10"], "NDCG@10": test["NDCG@10"],
            "MostPop HR@10": popular["Hit@10"], "MostPop NDCG@10": popular["NDCG@10"],
            "history-free HR@10": history_free["Hit@10"], "history-free NDCG@10": history_free["NDCG@10"],
            "examples/s": round(examples_per_second(full)), "epochs": epochs_text(full)}


def main(argv: list[str]) -> None:
    """Run the chosen datasets (ml-100k by default) and print the table."""
    datasets = argv or ["ml-100k"]
    unknown = sorted(set(datasets) - set(DATASETS))
    if unknown:
        raise SystemExit(f"unknown dataset(s) {unknown}; choose from {list(DATASETS)}")
    print(f"# {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, `python benchmarks/rnn_rec.py {' '.join(argv)}`")
    print(markdown_table([row(dataset) for dataset in datasets]))


if __name__ == "__main__":
    main(sys.argv[1:])
