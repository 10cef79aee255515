"""Old import path of the trainer (``openrec2.model_trainer``), kept for earlier code.

The training loop lives in :mod:`openrec2.trainer.model_trainer`, beside its building
blocks; ``openrec2.ModelTrainer`` and ``openrec2.ImplicitModelTrainer`` are the usual
names.
"""

from openrec2.trainer.model_trainer import (TRAINING_LOSS_METRIC, ImplicitModelTrainer, ModelTrainer,
                                            name_eval_samplers)

__all__ = ['ImplicitModelTrainer', 'ModelTrainer', 'TRAINING_LOSS_METRIC', 'name_eval_samplers']
