"""What the paper-model benchmarks share: run a model the way ``python -m openrec2 train`` does.

Every benchmark trains through :func:`openrec2.experiments.experiment.run_experiment` (so
through :class:`openrec2.ModelTrainer`, with early stopping on validation and the
model's own schedule) and reads its rows from the results.
"""

from __future__ import annotations

import os
from typing import Optional

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from openrec2.experiments.experiment import (ExperimentData, ExperimentResult, ExperimentSettings,  # noqa: E402
                                         load_experiment_data, run_experiment)
from openrec2.experiments.model_registry import get_model_spec  # noqa: E402


def shared_data(model: str, dataset: str, data_home: Optional[str] = None) -> ExperimentData:
    """Load the data of ``model``'s kind once, for several experiments on the same split.

    Args:
        model: A registered model (its kind of data is loaded).
        dataset: Dataset name.
        data_home: Data home override.

    Returns:
        The :class:`ExperimentData`.
    """
    return load_experiment_data(get_model_spec(model), dataset, ExperimentSettings(data_home=data_home))


def experiment(model: str, dataset: str, data=None, data_home: Optional[str] = None, **options) -> ExperimentResult:
    """Run one experiment quietly; ``options`` are :class:`ExperimentSettings` fields.

    Args:
        model: Registered model name.
        dataset: Dataset name.
        data: Data shared with other models of the same kind (None: loaded).
        data_home: Data home override.
        **options: Settings (``epochs``, ``lr``, ``model_settings``, ...).

    Returns:
        The result.
    """
    settings = ExperimentSettings(verbose=False, progress=False, data_home=data_home, **options)
    return run_experiment(model, dataset, settings, data=data)


def examples_per_second(result: ExperimentResult) -> float:
    """Training examples (rows of the training batches) per second, sampling included."""
    history = result.history
    batch = result.model_settings.get("batch_size", 0)
    return history.iterations_run * batch / history.train_seconds if history.train_seconds else float("nan")


def seconds_per_evaluation(result: ExperimentResult, split: str = "validation") -> Optional[float]:
    """Mean seconds of one evaluation of ``split`` during training."""
    times = [e["seconds"] for e in result.history.evaluations if e["split"] == split]
    return sum(times) / len(times) if times else None


def epochs_text(result: ExperimentResult) -> str:
    """``'18 (best 12)'``: epochs trained and the epoch of the best validation evaluation."""
    best = f" (best {result.best_epoch:.0f})" if result.best_epoch is not None else ""
    return f"{result.epochs_run:.0f}{best}"
