"""Building blocks of :class:`openrec2.ModelTrainer`.

Each file holds one idea: the training history it returns (:mod:`.history`), the
terminal progress bar (:mod:`.progress`), early stopping (:mod:`.early_stopping`),
multi-objective schedules (:mod:`.schedule`), coloured log lines (:mod:`.console`),
the most-popular baseline scorer (:mod:`.baselines`) and the registry of models the
command line can train (:mod:`.model_registry`).
"""

from openrec2.trainer.baselines import popularity_scorer
from openrec2.trainer.early_stopping import EarlyStopping
from openrec2.trainer.history import TrainingHistory
from openrec2.trainer.progress import ProgressBar
from openrec2.trainer.schedule import ObjectiveSchedule

__all__ = ['EarlyStopping', 'ObjectiveSchedule', 'ProgressBar', 'TrainingHistory', 'popularity_scorer']
