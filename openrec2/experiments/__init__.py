"""Experiments: a registered model trained and evaluated on a named dataset, as the command
line and the benchmarks run them.

:mod:`.model_registry` says what each model trains on and its defaults,
:mod:`.model_settings` turns ``--set key=value`` text into constructor arguments checked
against the model, and :mod:`.experiment` runs one experiment (data, pretraining,
training through :class:`openrec2.ModelTrainer`, evaluation, baseline); :mod:`.run_folder`
writes a run's folder and rebuilds its model, :mod:`.saved_runs` evaluates, recommends
from and compares finished runs, :mod:`.learning_curves` draws their PNG. This layer sits
above the recommenders and the trainer: it names models and drives both.
"""

from openrec2.experiments.experiment import (
                                             ExperimentData,
                                             ExperimentResult,
                                             ExperimentSettings,
                                             load_experiment_data,
                                             run_experiment,
)
from openrec2.experiments.model_registry import MODELS, ModelSpec, get_model_spec, register_model
from openrec2.experiments.run_folder import RebuiltRun, read_metrics, rebuild_run

__all__ = ['ExperimentData', 'ExperimentResult', 'ExperimentSettings', 'MODELS', 'ModelSpec', 'RebuiltRun',
           'get_model_spec', 'load_experiment_data', 'read_metrics', 'rebuild_run', 'register_model',
           'run_experiment']
