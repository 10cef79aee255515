"""Legacy import path of ``ItrMLPModelTrainer`` (``openrec.legacy.itr_mlp_model_trainer``)."""

from openrec2.trainer.itr_mlp_model_trainer import ItrMLPModelTrainer

__all__ = ['ItrMLPModelTrainer']
