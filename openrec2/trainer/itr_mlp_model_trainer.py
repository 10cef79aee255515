"""``ItrMLPModelTrainer``: legacy OpenRec's trainer of ItrMLP, as a thin front of ModelTrainer.

Legacy scripts call ``ItrMLPModelTrainer(batch_size, test_batch_size, train_dataset,
model, sampler).train(num_itr, display_itr, update_itr, eval_datasets, evaluators)``:
train ``num_itr`` steps, log and evaluate (labelled metrics, e.g. MSE, on every
dataset's rows) every ``display_itr`` steps, and move the model's temporal embeddings
forward every ``update_itr`` steps. Everything else (progress, checkpoints, history,
divergence checks, exact resume) is :class:`~openrec2.ModelTrainer`'s.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from openrec2.errors import MissingInputError, scoped
from openrec2.trainer.evaluations import Evaluation
from openrec2.trainer.history import TrainingHistory
from openrec2.trainer.model_trainer import ModelTrainer
from openrec2.utils.evaluators import MSE
from openrec2.utils.samplers import LabelledEvaluationSampler
from openrec2.validation import check_int

_SCOPE = 'ItrMLPModelTrainer'


class ItrMLPModelTrainer:
    """Train an :class:`~openrec2.recommenders.ItrMLP` the legacy way.

    Args:
        batch_size: Training batch size (the sampler's).
        test_batch_size: Rows per serving call in evaluation.
        train_dataset: The training dataset (kept for legacy scripts).
        model: The ItrMLP (anything with ``update_embeddings()``).
        sampler: Training sampler (e.g. ``ExplicitSampler`` over ratings in [0, 1]).
        save_dir: Checkpoint folder (None: none).
        verbose: Print log lines.
        progress: Progress bar setting, as :class:`~openrec2.ModelTrainer` takes it.

    Raises:
        MissingInputError: the model has no ``update_embeddings``.
    """

    def __init__(self, batch_size: int, test_batch_size: int, train_dataset, model, sampler,
                 save_dir: Optional[str] = None, verbose: bool = True, progress: Optional[bool] = None) -> None:
        if not callable(getattr(model, 'update_embeddings', None)):
            raise MissingInputError(scoped(_SCOPE, f'the model must have update_embeddings() (an ItrMLP), got '
                                                   f'{type(model).__name__}.'))
        self.batch_size = check_int(batch_size, 'batch_size', _SCOPE)
        self.test_batch_size = check_int(test_batch_size, 'test_batch_size', _SCOPE)
        self.train_dataset, self.model, self.sampler = train_dataset, model, sampler
        self.save_dir, self.verbose, self.progress = save_dir, verbose, progress

    def _evaluation(self, dataset, evaluators: Sequence) -> Evaluation:
        """Labelled evaluation of a dataset's (user, item, label) rows."""
        data = dataset.data
        if 'label' not in data.dtype.names:
            raise MissingInputError(scoped(_SCOPE, f'evaluation dataset {dataset.name!r} has no label field.'))
        examples = {'user_id': data['user_id'].astype(np.int32), 'item_id': data['item_id'].astype(np.int32),
                    'label': data['label'].astype(np.float32)}
        sampler = LabelledEvaluationSampler(examples, batch_size=self.test_batch_size, name=dataset.name)
        return Evaluation(sampler, list(evaluators) or [MSE()])

    def train(self, num_itr: int, display_itr: int, update_itr: int, eval_datasets: Sequence = (),
              evaluators: Sequence = ()) -> TrainingHistory:
        """Train ``num_itr`` steps; evaluate every ``display_itr``; update embeddings every ``update_itr``.

        Args:
            num_itr: Training steps.
            display_itr: Steps between log lines and evaluations.
            update_itr: Steps between forward updates of the embeddings.
            eval_datasets: Labelled datasets to evaluate.
            evaluators: Labelled evaluators (default: MSE).

        Returns:
            The :class:`~openrec2.trainer.history.TrainingHistory`.
        """
        trainer = ModelTrainer(self.model, save_dir=self.save_dir, verbose=self.verbose, progress=self.progress,
                               periodic_updates=[(check_int(update_itr, 'update_itr', _SCOPE),
                                                  self.model.update_embeddings)])
        evaluations = {dataset.name: self._evaluation(dataset, evaluators) for dataset in eval_datasets}
        return trainer.train(total_iter=num_itr, eval_iter=display_itr,
                             save_iter=display_itr if self.save_dir else None, train_sampler=self.sampler,
                             eval_samplers=evaluations)
