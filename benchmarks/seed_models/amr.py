"""VBPR and AMR on MovieLens 100K with genre features: speed, accuracy and robustness.

Protocol: ML-100K, per-user random 8:1:1 split (``load_ml100k()``, seed 2020); item
features = the 19 genre flags of ``u.item``, L2-normalised per item; both models are
trained with the same settings (the library defaults, eps 0.5, seed 0) by
``model.fit`` on the training part; full ranking of every item for every test user
with the user's training items excluded. Metrics HR@10 and NDCG@10 on clean
features and under the FGSM and MSAP evaluation attacks (per-item L2 ball of radius
eps; see :class:`openrec2.recommenders.vbpr.VBPR`), plus the most-popular baseline.

Rows (one per model): training examples per second (``fit`` wall time, all epochs),
seconds per clean full evaluation (scoring + ranking), seconds per attacked
evaluation (clean + FGSM + MSAP, attack computation included), and the metrics.
The check printed at the end is the issue's acceptance rule: both attacks lower
VBPR's NDCG@10 and HR@10; AMR loses a smaller share of its clean NDCG@10 than VBPR
under each attack; AMR's clean NDCG@10 is within 5% of VBPR's.

Run: ``OPENREC2_DATA=../shared/datasets python benchmarks/seed_models/amr.py [--tsv DIR]``.
Timings are wall-clock on a shared machine (noisy).
"""

from __future__ import annotations

import argparse
import os
import time
from typing import List, Optional

import numpy as np

from openrec2.datasets import load_ml100k
from openrec2.recommenders.amr import AMR
from openrec2.recommenders.vbpr import VBPR
from openrec2.trainer.baselines import popularity_scorer
from openrec2.utils.evaluators import NDCG, HitRatio, evaluate

#: Settings shared by both models (everything else: the library defaults).
SHARED_SETTINGS = dict(eps=0.5, seed=0, batch_size=512)
METRICS = ("Hit@10", "NDCG@10")


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """L2-normalise every row (zero rows stay zero)."""
    return (matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def _ranking(scores: np.ndarray, split) -> dict:
    users = split.test.users
    return dict(evaluate(scores, split.test.item_lists(users), split.train.item_lists(users),
                         [HitRatio(10), NDCG(10)]))


def _measure(cls, split, features: np.ndarray, tsv_dir: Optional[str]) -> dict:
    model = cls(max_user=split.max_user, max_item=split.max_item, item_features=features, **SHARED_SETTINGS)
    with model:
        start = time.perf_counter()
        history = model.fit(split.train)
        train_seconds = time.perf_counter() - start
        examples = sum(1 for _ in history) * int(np.ceil(split.train.num_positives / model.batch_size)) * model.batch_size
        start = time.perf_counter()
        clean = _ranking(model.serve_all_items(split.test.users), split)
        eval_seconds = time.perf_counter() - start
        tsv = None if tsv_dir is None else os.path.join(tsv_dir, f"{cls.__name__.lower()}_attacks.tsv")
        start = time.perf_counter()
        results = model.evaluate_under_attack(split.train, split.test, tsv_path=tsv, epoch=len(history))
        attack_seconds = time.perf_counter() - start
        settings = {k: getattr(model, k) for k in ("factors", "factors_d", "l_w", "l_b", "l_e", "eps", "eps_iter",
                                                   "nb_iter", "epochs", "adversarial_epochs", "l_adv")
                    if hasattr(model, k)}
    row = {"model": cls.__name__, "train examples/s": round(examples / train_seconds),
           "seconds per full evaluation": round(eval_seconds, 2),
           "seconds per attacked evaluation": round(attack_seconds, 1), "settings": settings}
    assert np.isclose(clean["NDCG@10"], results["clean"]["NDCG@10"])  # attack path scores like serving
    for attack, values in results.items():
        for metric in METRICS:
            row[f"{attack} {metric}"] = round(values[metric], 4)
            if attack != "clean":
                row[f"{attack} {metric} change"] = round(values[metric] / results["clean"][metric] - 1, 4)
    return row


def run(data_home: Optional[str] = None, tsv_dir: Optional[str] = None) -> List[dict]:
    """Train and measure the most-popular baseline, VBPR and AMR on ML-100K.

    Args:
        data_home: Data home (default ``$OPENREC2_DATA`` or ``~/.openrec2/datasets``).
        tsv_dir: Directory for the clean / FGSM / MSAP TSV of each model (None: none).

    Returns:
        One dict per model (``'MostPopular'``, ``'VBPR'``, ``'AMR'``).
    """
    split = load_ml100k(data_home=data_home)
    features = unit_rows(split.item_features)
    popular = _ranking(popularity_scorer(split.train)({"user_id": split.test.users}), split)
    rows = [{"model": "MostPopular", **{f"clean {m}": round(popular[m], 4) for m in METRICS}}]
    rows += [_measure(cls, split, features, tsv_dir) for cls in (VBPR, AMR)]
    return rows


def acceptance(rows: List[dict]) -> List[str]:
    """The issue's acceptance rule, one line per check (``PASS``/``FAIL``).

    Args:
        rows: What :func:`run` returned.

    Returns:
        Human-readable check lines.
    """
    by_model = {row["model"]: row for row in rows}
    vbpr, amr = by_model["VBPR"], by_model["AMR"]
    checks = []
    for attack in ("fgsm", "msap"):
        for metric in METRICS:
            checks.append((f"{attack} lowers VBPR {metric}", vbpr[f"{attack} {metric}"] < vbpr[f"clean {metric}"]))
        checks.append((f"AMR loses a smaller share of NDCG@10 under {attack} "
                       f"({amr[f'{attack} NDCG@10 change']:+.1%} vs VBPR {vbpr[f'{attack} NDCG@10 change']:+.1%})",
                       amr[f"{attack} NDCG@10 change"] > vbpr[f"{attack} NDCG@10 change"]))
    ratio = amr["clean NDCG@10"] / vbpr["clean NDCG@10"] - 1
    checks.append((f"AMR clean NDCG@10 within 5% of VBPR's ({ratio:+.1%})", ratio >= -0.05))
    return [f"{'PASS' if ok else 'FAIL'}  {text}" for text, ok in checks]


def main() -> None:
    """Print the rows and the acceptance check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", default=None, help="directory for the per-model attack TSV files")
    args = parser.parse_args()
    if args.tsv:
        os.makedirs(args.tsv, exist_ok=True)
    rows = run(tsv_dir=args.tsv)
    for row in rows:
        print(row)
    for line in acceptance(rows):
        print(line)


if __name__ == "__main__":
    main()
