"""The legacy OpenRec model zoo, trained and tested the same way: the README's model table.

Each model of the zoo trains through ``run_experiment`` (the path of ``python -m openrec2
train``: early stopping on validation NDCG@10, the model's registered defaults) on the
dataset its inputs call for, and is evaluated by full ranking of the test split (training
and validation items excluded) next to most-popular on the same split. Prints one
markdown table: model, paper, inputs, dataset, test NDCG@10 / Recall@10 (model and
most-popular), training examples per second (sampling included) and epochs.

Usage:
    python benchmarks/zoo.py [MODEL ...]      # all by default
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

#: (model, paper, inputs, dataset), in table order; BPR on CiteULike-a is the no-content reference.
ZOO = [
    ("BPR", "Rendle et al., UAI 2009", "interactions", "ml-100k"),
    ("PMF", "Salakhutdinov & Mnih, NIPS 2007", "interactions", "ml-100k"),
    ("GMF", "He et al., WWW 2017", "interactions", "ml-100k"),
    ("NBPR", "Rendle et al., UAI 2009 + WARP weights", "interactions", "ml-100k"),
    ("CML", "Hsieh et al., WWW 2017", "interactions", "ml-100k"),
    ("WCML", "Hsieh et al., WWW 2017", "interactions", "ml-100k"),
    ("UCML", "Hsieh et al., WWW 2017 (OpenRec 0.2: uniform triples, unit sphere)", "interactions", "ml-100k"),
    ("ItrMLP", "legacy OpenRec (temporal factors)", "interactions; PMF pretraining", "ml-100k"),
    ("UserPMF", "legacy OpenRec", "interactions; user features (age group, gender, occupation)", "ml-100k"),
    ("UserVisualPMF", "legacy OpenRec", "interactions; user features; item genres", "ml-100k"),
    ("WRMF", "Hu, Koren & Volinsky, ICDM 2008", "interactions", "ml-100k"),
    ("BPR", "Rendle et al., UAI 2009", "interactions", "citeulike-a"),
    ("VisualPMF", "legacy OpenRec", "interactions; item tags", "citeulike-a"),
    ("VisualGMF", "He et al., WWW 2017", "interactions; item tags", "citeulike-a"),
    ("VisualBPR", "He & McAuley, AAAI 2016", "interactions; item tags", "citeulike-a"),
    ("ConcatVisualBPR", "He & McAuley, AAAI 2016", "interactions; item tags", "citeulike-a"),
    ("VisualCML", "Hsieh et al., WWW 2017", "interactions; item tags", "citeulike-a"),
    ("CDL", "Wang et al., KDD 2015", "interactions; item tags (bag of tags)", "citeulike-a"),
]


def run(models: list[str], data_home=None) -> list[dict]:
    """Train every row of :data:`ZOO` whose model is in ``models`` and return the table rows."""
    rows, shared = [], {}
    for model, paper, inputs, dataset in (row for row in ZOO if row[0] in models):
        key = (dataset, ";" in inputs)
        if key not in shared:  # one split per dataset: features or not, the interactions are the same
            shared[key] = shared_data(model, dataset, data_home)
        started = time.perf_counter()
        result = experiment(model, dataset, data=shared[key], data_home=data_home)
        rows.append(table_row(result, paper, inputs, time.perf_counter() - started))
    return rows


def table_row(result, paper: str, inputs: str, seconds: float) -> dict:
    """The README row of one experiment (model vs most-popular on the test split), reported on stderr."""
    test, popular = result.results["test"], result.baseline["test"]
    row = {"model": result.model, "paper": paper, "inputs": inputs, "dataset": result.dataset,
           "NDCG@10": test["NDCG@10"], "Recall@10": test["Recall@10"],
           "MostPop NDCG@10": popular["NDCG@10"], "MostPop Recall@10": popular["Recall@10"],
           "examples/s": round(examples_per_second(result)), "epochs": epochs_text(result),
           "seconds": round(seconds)}
    print(f"{result.model} on {result.dataset}: NDCG@10 {test['NDCG@10']:.4f} (most-popular "
          f"{popular['NDCG@10']:.4f}), {row['seconds']} s", file=sys.stderr, flush=True)
    return row


def main(argv: list[str]) -> None:
    """Run the chosen models (all by default) and print the table."""
    names = sorted({row[0] for row in ZOO})
    models = argv or names
    unknown = sorted(set(models) - set(names))
    if unknown:
        raise SystemExit(f"unknown model(s) {unknown}; choose from {names}")
    print(f"# {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, `python benchmarks/zoo.py {' '.join(argv)}`")
    print(markdown_table(run(models)))


if __name__ == "__main__":
    main(sys.argv[1:])
