"""``model.fit(train, epochs)``: the one-call path into :class:`~openrec2.ModelTrainer`.

For models trained from one interaction dataset, ``fit`` builds the sampler the model
names (:attr:`~openrec2.recommenders.Recommender.training_sampler`), converts epochs
to iterations and lets the trainer do the rest. Models trained from several sources
(KTUP's knowledge graph, DIEN's behaviour sequences) are trained with the trainer
directly.
"""

from __future__ import annotations

from typing import Any, Optional

from openrec2.errors import TrainingError, scoped
from openrec2.trainer.model_trainer import ModelTrainer
from openrec2.validation import check_int


def fit(model, train, epochs: Optional[int] = None, eval_samplers=(), evaluators=(), eval_every: int = 1, seed: int = 0,
        num_workers: int = 1, **trainer_options: Any):
    """Train ``model`` for ``epochs`` passes over ``train`` (see ``Recommender.fit``).

    Args:
        model: A recommender with a :attr:`training_sampler`.
        train: The training :class:`~openrec2.utils.Dataset`.
        epochs: Epochs to train (None: the model's ``epochs`` setting).
        eval_samplers: Evaluations, as :meth:`ModelTrainer.train` takes them.
        evaluators: Their evaluators.
        eval_every: Epochs between evaluations (and log lines).
        seed: Seed of the training sampler.
        num_workers: Sampler worker threads.
        **trainer_options: Keywords of :class:`~openrec2.ModelTrainer`.

    Returns:
        The :class:`~openrec2.trainer.history.TrainingHistory`.

    Raises:
        TrainingError: The model names no training sampler.
        SettingError: Bad counts.
    """
    import openrec2.utils.samplers as samplers

    if model.training_sampler is None:
        raise TrainingError(scoped(model.scope, (
            f'{type(model).__name__} trains from more than one data source; build its samplers and call '
            'ModelTrainer(model).train(..., train_sampler={objective: sampler}) instead of fit().')))
    epochs = check_int(getattr(model, 'epochs', None) if epochs is None else epochs, 'epochs', f'{model.scope}.fit')
    eval_every = check_int(eval_every, 'eval_every', f'{model.scope}.fit')
    sampler_class = getattr(samplers, model.training_sampler)
    with sampler_class(train, model.batch_size, num_process=num_workers, seed=seed,
                       **model.training_sampler_options()) as sampler:
        per_epoch = sampler.batches_per_epoch
        trainer = ModelTrainer(model, **trainer_options)
        # With a save_dir, a checkpoint goes with every evaluation.
        save_iter = eval_every * per_epoch if trainer_options.get('save_dir') else None
        return trainer.train(total_iter=epochs * per_epoch, eval_iter=eval_every * per_epoch, save_iter=save_iter,
                             train_sampler=sampler, eval_samplers=eval_samplers, evaluators=evaluators)
