"""DIEN (Zhou et al., "Deep Interest Evolution Network for Click-Through Rate Prediction",
AAAI 2019) on Amazon Beauty.

Protocol: leave-last-out per user (last purchase -> test, second-last -> validation);
training examples are every training purchase after a user's first, predicted from the
purchases before it, each with one sampled negative target; the labelled test set is
every user's last purchase plus one fixed sampled negative (seed 2020) with the whole
history before it. Reported: test AUC and LogLoss, plus HR@10 / NDCG@10 of the true
item against 99 fixed sampled negatives for a seeded subset of 2,000 users.
``run_experiment`` (the path of ``python -m openrec2 train --model DIEN``) trains with
the command line's defaults (embedding 10, history 20, batch 1024, lr 4e-3, at most 2
epochs, early stopping on validation AUC). Baselines: target popularity (training
purchase counts of the target) and the same network with the history removed
(``use_history=False``). DIEN is also trained with ``gru_type='AGRU'`` to show that the
GRU type changes the predictions.

Run: ``OPENREC2_DATA=... python benchmarks/seed_models/dien.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import epochs_text, examples_per_second, experiment, seconds_per_evaluation, shared_data  # noqa: E402

VARIANTS = (("DIEN (AUGRU)", {"gru_type": "AUGRU"}), ("DIEN (AGRU)", {"gru_type": "AGRU"}),
            ("DIEN history-free", {"use_history": False}))
KEYS = (("test AUC", "AUC"), ("test LogLoss", "LogLoss"), ("HR@10 (1+99)", "Hit@10"), ("NDCG@10 (1+99)", "NDCG@10"))


def run(data_home: Optional[str] = None) -> list[dict]:
    """Train and evaluate DIEN, its AGRU and history-free variants and target popularity.

    Args:
        data_home: Data home holding ``amazon-beauty/`` (default: ``$OPENREC2_DATA``).

    Returns:
        One row per model.
    """
    data = shared_data("DIEN", "amazon-beauty", data_home)
    results = {label: experiment("DIEN", "amazon-beauty", data=data, model_settings=options)
               for label, options in VARIANTS}
    first = results[VARIANTS[0][0]]
    rows = [dict(model="target popularity", **{name: first.baseline["test"].get(key) for name, key in KEYS})]
    for label, result in results.items():
        rows.append(dict(model=label, epochs=epochs_text(result), **{"train examples/s": examples_per_second(result),
                         "eval seconds": seconds_per_evaluation(result)},
                         **{name: result.results["test"][key] for name, key in KEYS}))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
