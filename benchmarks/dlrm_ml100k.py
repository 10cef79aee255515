"""DLRM (Naumov et al., "Deep Learning Recommendation Model for Personalization and
Recommendation Systems", 2019) on the MovieLens 100K CTR examples, next to a logistic
regression on the same features.

Protocol (:func:`openrec2.datasets.load_ml100k_ctr`): every rating is an example with
label rating >= 4; per-user random 8:1:1 split, seed 2020; categorical features user,
item, age group, gender, occupation, zip region, release decade; dense features age,
release year, log training-rating counts of the user and the item, 19 genre flags.
``run_experiment`` (the path of ``python -m openrec2 train --model DLRM --dataset
ml-100k``) trains with the command line's defaults (m_spa 16, bottom MLP [64, 16], top MLP
[64, 32], batch 1024, lr 1e-3, at most 20 epochs, early stopping on validation AUC with
patience 2). The logistic regression (one-hot categoricals + dense, numpy Adam, epoch
and L2 chosen on validation) is the command line's baseline for CTR examples. DLRM with
``arch_interaction_op='cat'`` (the vectors concatenated, no dot products) is the paper's
ablation.

Run: ``OPENREC2_DATA=... python benchmarks/dlrm_ml100k.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent / "seed_models"))

from _common import epochs_text, examples_per_second, experiment, shared_data  # noqa: E402

VARIANTS = (("DLRM (dot)", {}), ("DLRM (cat)", {"arch_interaction_op": "cat"}))
KEYS = (("test AUC", "AUC"), ("test LogLoss", "LogLoss"))


def run(data_home: Optional[str] = None) -> list[dict]:
    """Train and evaluate DLRM (dot and cat interactions) and the logistic regression.

    Args:
        data_home: Data home holding ``ml-100k/`` (default: ``$OPENREC2_DATA``).

    Returns:
        One row per model.
    """
    data = shared_data("DLRM", "ml-100k", data_home)
    results = {label: experiment("DLRM", "ml-100k", data=data, model_settings=options) for label, options in VARIANTS}
    first = results[VARIANTS[0][0]]
    rows = [dict(model="logistic regression", **{name: first.baseline["test"][key] for name, key in KEYS})]
    for label, result in results.items():
        rows.append(dict(model=label, epochs=epochs_text(result), **{"train examples/s": examples_per_second(result)},
                         **{name: result.results["test"][key] for name, key in KEYS}))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
