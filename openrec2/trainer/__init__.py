"""The training loop (:mod:`.model_trainer`: :class:`openrec2.ModelTrainer`) and its building blocks.

Each file holds one idea: the training history it returns (:mod:`.history`), the
terminal progress bar (:mod:`.progress`), early stopping (:mod:`.early_stopping`),
multi-objective schedules (:mod:`.schedule`), coloured log lines (:mod:`.console`),
what is evaluated on a split (:mod:`.evaluations`), the adversarial evaluation of
content models (:mod:`.adversarial_evaluation`), the knowledge-graph evaluation
(:mod:`.kg_evaluation`), ``model.fit`` (:mod:`.fitting`), the most-popular baseline
scorer (:mod:`.baselines`) and the logistic-regression baseline of CTR models
(:mod:`.logistic_regression`). The trainer knows models only through their interface
(``train``, ``serve``, ``save``, objectives, default schedule): it imports no
recommender. The experiments the command line and the benchmarks run are in
:mod:`openrec2.experiments`.
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
from openrec2.trainer.logistic_regression import LogisticRegressionBaseline
from openrec2.trainer.progress import ProgressBar
from openrec2.trainer.schedule import ObjectiveSchedule
from openrec2.trainer.tensorboard import TensorBoardWriter, read_scalars

__all__ = ['ATTACKS', 'AdversarialEvaluation', 'AttackBudget', 'EarlyStopping', 'Evaluation',
           'KGTailEvaluation', 'KG_TAIL_ACCURACY', 'LogisticRegressionBaseline', 'ObjectiveSchedule',
           'ProgressBar', 'TensorBoardWriter', 'TrainingHistory', 'attack_loss', 'attack_perturbation',
           'evaluate_split', 'name_eval_samplers', 'popularity_scorer', 'read_scalars', 'results_by_attack',
           'write_attack_tsv']
