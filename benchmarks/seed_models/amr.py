"""VBPR and AMR on MovieLens 100K with genre features: accuracy, robustness and speed.

Protocol: ML-100K, per-user random 8:1:1 split (``load_ml100k()``, seed 2020); item
features = the 19 genre flags of ``u.item``, L2-normalised per item; both models with
the command line's defaults (factors 64, batch 512, lr 1e-3, eps 0.5; AMR: 30 epochs,
the last 20 adversarial, l_adv 0.3), early stopping on validation NDCG@10 (AMR: in its
adversarial phase), trained by ``run_experiment`` (the path of ``python -m openrec2
train``). Full ranking of every item for every test user with the training and
validation items excluded, on clean features and under the FGSM and MSAP evaluation
attacks (per-item L2 ball of radius eps; see
:mod:`openrec2.trainer.adversarial_evaluation`), plus the most-popular baseline.

Rows: training examples per second (sampling included), seconds per clean validation
evaluation, seconds of the final test evaluation (clean + FGSM + MSAP, attacks
included), the metrics and their relative change under attack. The check printed at
the end: both attacks lower VBPR's NDCG@10 and HR@10; AMR loses a smaller share of its
clean NDCG@10 than VBPR under each attack; AMR's clean NDCG@10 is within 5% of VBPR's.

Run: ``OPENREC2_DATA=../shared/datasets python benchmarks/seed_models/amr.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import epochs_text, examples_per_second, experiment, seconds_per_evaluation, shared_data  # noqa: E402

METRICS = ("Hit@10", "NDCG@10")
ATTACKS = ("fgsm", "msap")


def _row(result) -> dict:
    test = result.results["test"]
    row = {"model": result.model, "epochs": epochs_text(result)}
    for metric in METRICS:
        row[f"clean {metric}"] = test[metric]
    for attack in ATTACKS:
        for metric in METRICS:
            row[f"{attack} {metric}"] = test[f"{attack}/{metric}"]
            row[f"{attack} {metric} change"] = test[f"{attack}/{metric}"] / test[metric] - 1
    row.update({"train examples/s": examples_per_second(result), "s per validation": seconds_per_evaluation(result),
                "s final test (clean+attacks)": result.final_eval_seconds})
    return row


def run(data_home: Optional[str] = None) -> List[dict]:
    """Train and evaluate VBPR and AMR, and the most-popular baseline.

    Args:
        data_home: Data home (default ``$OPENREC2_DATA``).

    Returns:
        One row per model; the results are kept in ``run.results`` for other tables.
    """
    data = shared_data("VBPR", "ml-100k", data_home)
    results = {model: experiment(model, "ml-100k", data=data) for model in ("VBPR", "AMR")}
    popular = results["VBPR"].baseline["test"]
    rows = [{"model": "MostPopular", **{f"clean {m}": popular[m] for m in METRICS}}]
    rows += [_row(results[model]) for model in ("VBPR", "AMR")]
    run.results = results
    return rows


def acceptance(rows: List[dict]) -> List[str]:
    """The robustness checks, one line per check (``PASS``/``FAIL``).

    Args:
        rows: What :func:`run` returned.

    Returns:
        Human-readable check lines.
    """
    by_model = {row["model"]: row for row in rows}
    vbpr, amr = by_model["VBPR"], by_model["AMR"]
    checks = []
    for attack in ATTACKS:
        for metric in METRICS:
            checks.append((f"{attack} lowers VBPR {metric}", vbpr[f"{attack} {metric}"] < vbpr[f"clean {metric}"]))
        checks.append((f"AMR loses a smaller share of NDCG@10 under {attack} "
                       f"({amr[f'{attack} NDCG@10 change']:+.1%} vs VBPR {vbpr[f'{attack} NDCG@10 change']:+.1%})",
                       amr[f"{attack} NDCG@10 change"] > vbpr[f"{attack} NDCG@10 change"]))
    ratio = amr["clean NDCG@10"] / vbpr["clean NDCG@10"] - 1
    checks.append((f"AMR clean NDCG@10 within 5% of VBPR's ({ratio:+.1%})", ratio >= -0.05))
    return [f"{'PASS' if ok else 'FAIL'}  {text}" for text, ok in checks]


if __name__ == "__main__":
    result_rows = run()
    for result_row in result_rows:
        print(result_row)
    for line in acceptance(result_rows):
        print(line)
