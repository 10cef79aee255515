"""Experiments: a registered model trained and evaluated on a named dataset, as the command
line and the benchmarks run them.

:mod:`.model_registry` says what each model trains on and its defaults,
:mod:`.model_settings` turns ``--set key=value`` text into constructor arguments checked
against the model, and :mod:`.experiment` runs one experiment (data, pretraining,
training through :class:`openrec2.ModelTrainer`, evaluation, baseline). This layer sits
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

__all__ = ['ExperimentData', 'ExperimentResult', 'ExperimentSettings', 'MODELS', 'ModelSpec', 'get_model_spec',
           'load_experiment_data', 'register_model', 'run_experiment']
