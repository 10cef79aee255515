"""A run folder: what ``python -m openrec2 train --run-dir DIR`` leaves behind, and the run read back.

Layout (the checkpoint files are the trainer's, :mod:`openrec2.trainer.checkpoints`)::

    DIR/settings.json          model, dataset and the resolved experiment settings
    DIR/history.json           the TrainingHistory (losses, evaluations, timings)
    DIR/history.csv            the same, one row per loss window and per metric
    DIR/metrics.json           final validation/test metrics of the model and the baseline
    DIR/metrics.txt            the report the command line printed
    DIR/learning_curves.png    loss and validation curves (when matplotlib is installed)
    DIR/final.*                the trained model (its best early-stopping state)
    DIR/model.ckpt-<it>.*      periodic checkpoints with their run state (``--resume``)
    DIR/best/                  the best early-stopping checkpoint
    DIR/tensorboard/           TensorBoard event files
    DIR/pretrain_<MODEL>/      the run folder of the model this one was pretrained from

:func:`rebuild_run` builds the model of a finished run again from ``settings.json`` (on
the same split, which the loaders draw from their seed) and loads ``final``; the
``evaluate``, ``recommend`` and ``export`` commands start from it.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
from dataclasses import dataclass
from typing import Any, Optional

from openrec2.errors import CheckpointError, DataError, scoped
from openrec2.experiments.learning_curves import plot_learning_curves

SETTINGS_FILE, HISTORY_FILE, HISTORY_CSV = 'settings.json', 'history.json', 'history.csv'
METRICS_FILE, REPORT_FILE, CURVES_FILE = 'metrics.json', 'metrics.txt', 'learning_curves.png'
#: Checkpoint name of the trained model in a run folder.
FINAL_CHECKPOINT = 'final'
_SCOPE = 'run folder'


def _write_json(path: str, value: Any) -> None:
    """Write ``value`` as indented JSON through a temporary file (a crash never leaves half a file)."""
    partial = path + '.partial'
    with open(partial, 'w', encoding='utf-8') as handle:
        json.dump(value, handle, indent=2, default=str)
    os.replace(partial, path)


def _read_json(run_dir: str, name: str) -> Any:
    path = os.path.join(run_dir, name)
    if not os.path.isfile(path):
        raise DataError(scoped(_SCOPE, f'{run_dir!r} has no {name}; pass a folder written by '
                                       '`python -m openrec2 train ... --run-dir DIR`.'))
    with open(path, encoding='utf-8') as handle:
        return json.load(handle)


def write_settings(run_dir: str, model: str, dataset: str, settings) -> None:
    """Write ``settings.json``: the model, the dataset and the resolved :class:`ExperimentSettings`.

    Args:
        run_dir: The run folder (created if needed).
        model: Registered model name.
        dataset: Dataset name.
        settings: The resolved settings.
    """
    import openrec2
    os.makedirs(run_dir, exist_ok=True)
    values = dataclasses.asdict(settings)
    values['topk'] = list(values['topk'])
    _write_json(os.path.join(run_dir, SETTINGS_FILE), dict(
        model=model, dataset=dataset, settings=values, openrec2_version=openrec2.__version__,
        written=datetime.datetime.now(datetime.timezone.utc).isoformat()))


def write_results(run_dir: str, result) -> Optional[str]:
    """Write the history (JSON, CSV), the final metrics and the learning-curve PNG of a run.

    Args:
        run_dir: The run folder.
        result: The :class:`~openrec2.experiments.experiment.ExperimentResult`.

    Returns:
        The PNG written, or None when matplotlib is not installed.
    """
    history = result.history
    _write_json(os.path.join(run_dir, HISTORY_FILE), history.to_dict())
    history.write_csv(os.path.join(run_dir, HISTORY_CSV))
    _write_json(os.path.join(run_dir, METRICS_FILE), dict(
        model=result.model, dataset=result.dataset, protocol=result.protocol,
        results={split: dict(values) for split, values in result.results.items()},
        baseline_name=result.baseline_name,
        baseline={split: dict(values) for split, values in result.baseline.items()},
        epochs_run=result.epochs_run, best_epoch=result.best_epoch, seconds=result.seconds,
        model_settings=result.model_settings))
    png = os.path.join(run_dir, CURVES_FILE)
    return png if plot_learning_curves(history, png, f'{result.model} on {result.dataset}') else None


def write_report(run_dir: str, text: str) -> None:
    """Write the printed report as ``metrics.txt``."""
    with open(os.path.join(run_dir, REPORT_FILE), 'w', encoding='utf-8') as handle:
        handle.write(text)


def read_metrics(run_dir: str) -> dict:
    """The ``metrics.json`` of a finished run.

    Raises:
        DataError: The folder holds no finished run.
    """
    return _read_json(os.fspath(run_dir), METRICS_FILE)


@dataclass
class RebuiltRun:
    """A finished run's model, loaded from its folder, with the data and settings it was trained with.

    Attributes:
        run_dir: The folder.
        spec: The model's :class:`~openrec2.experiments.model_registry.ModelSpec`.
        dataset: Dataset name.
        data: The :class:`~openrec2.experiments.experiment.ExperimentData` (same split).
        settings: The resolved settings.
        model: The model with the ``final`` checkpoint loaded (close it when done).
    """

    run_dir: str
    spec: Any
    dataset: str
    data: Any
    settings: Any
    model: Any

    def close(self) -> None:
        """Close the model's session."""
        self.model.close()

    def __enter__(self) -> 'RebuiltRun':
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def rebuild_run(run_dir: str, data_home: Optional[str] = None) -> RebuiltRun:
    """Build a finished run's model again and load its trained state.

    Args:
        run_dir: A folder ``train --run-dir`` wrote.
        data_home: Data home override (default: the run's, then ``$OPENREC2_DATA``).

    Returns:
        The :class:`RebuiltRun`.

    Raises:
        DataError: The folder holds no ``settings.json``.
        CheckpointError: The run has no ``final`` checkpoint (it did not finish).
    """
    from openrec2.experiments.experiment import (ExperimentSettings, load_experiment_data, model_keywords,
                                                 pretrained_keywords)
    from openrec2.experiments.model_registry import get_model_spec
    run_dir = os.fspath(run_dir)
    stored = _read_json(run_dir, SETTINGS_FILE)
    spec = get_model_spec(stored['model'])
    values = dict(stored['settings'], verbose=False, progress=False, resume=False, save_dir=run_dir)
    if data_home is not None:
        values['data_home'] = data_home
    settings = ExperimentSettings(**values)
    prefix = os.path.join(run_dir, FINAL_CHECKPOINT)
    if not os.path.exists(prefix + '.index'):
        raise CheckpointError(scoped(_SCOPE, f'{run_dir!r} has no trained model ({FINAL_CHECKPOINT}.index); the run '
                                             'did not finish. Finish it with `train ... --run-dir DIR --resume`.'))
    data = load_experiment_data(spec, stored['dataset'], settings)
    keywords = model_keywords(spec, data, settings)
    keywords.update(pretrained_keywords(spec, settings, os.path.join(run_dir, f'pretrain_{spec.pretrain}',
                                                                      FINAL_CHECKPOINT), keywords))
    model = spec.recommender_class()(**keywords)
    try:
        model.load(prefix)
    except Exception:
        model.close()
        raise
    return RebuiltRun(run_dir, spec, stored['dataset'], data, settings, model)
