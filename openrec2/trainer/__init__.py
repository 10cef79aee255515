"""Building blocks of :class:`openrec2.ModelTrainer`.

Each file holds one idea: the training history it returns (:mod:`.history`), the
terminal progress bar (:mod:`.progress`), early stopping (:mod:`.early_stopping`),
multi-objective schedules (:mod:`.schedule`), coloured log lines (:mod:`.console`),
what is evaluated on a split (:mod:`.evaluations`), the adversarial evaluation of
content models (:mod:`.adversarial_evaluation`), the knowledge-graph evaluation
(:mod:`.kg_evaluation`), ``model.fit`` (:mod:`.fitting`), the most-popular baseline
scorer (:mod:`.baselines`),
the settings the command line passes to a model (:mod:`.model_settings`), the
registry of models the command line can train (:mod:`.model_registry`) and the
experiment both the command line and the benchmarks run (:mod:`.experiment`).
"""

from openrec2.trainer.adversarial_evaluation import (
                                                     ATTACKS,
                                                     AdversarialEvaluation,
                                                     AttackBudget,
                                                     attack_loss,
                                                     attack_perturbation,
                                                     results_by_attack,
                                                     write_attack_tsv,
)
from openrec2.trainer.baselines import popularity_scorer
from openrec2.trainer.early_stopping import EarlyStopping
from openrec2.trainer.evaluations import Evaluation, evaluate_split, name_eval_samplers
from openrec2.trainer.history import TrainingHistory
from openrec2.trainer.kg_evaluation import KG_TAIL_ACCURACY, KGTailEvaluation
from openrec2.trainer.progress import ProgressBar
from openrec2.trainer.schedule import ObjectiveSchedule

__all__ = ['ATTACKS', 'AdversarialEvaluation', 'AttackBudget', 'EarlyStopping', 'Evaluation', 'KGTailEvaluation',
           'KG_TAIL_ACCURACY', 'ObjectiveSchedule', 'ProgressBar', 'TrainingHistory', 'attack_loss',
           'attack_perturbation', 'evaluate_split', 'name_eval_samplers', 'popularity_scorer', 'results_by_attack',
           'write_attack_tsv']
