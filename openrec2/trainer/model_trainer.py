"""Training loop of every recommender: :class:`ModelTrainer` and the legacy :class:`ImplicitModelTrainer`.

:class:`ModelTrainer` runs training steps from a sampler, logs losses and metrics with
termcolor, draws a progress bar on a terminal, writes checkpoints, stops early on a
chosen metric (restoring the best model), stops with :class:`~openrec2.errors.NaNLossError`
when the loss or the parameters stop being finite (keeping the last good checkpoint),
alternates several training objectives on a schedule, and returns a
:class:`~openrec2.trainer.history.TrainingHistory`.

Evaluation goes through :mod:`openrec2.trainer.evaluations` and
:func:`openrec2.utils.evaluators.evaluate_with_scorer`: full ranking scores every item
with ``model.serve_all_items``; sampled ranking and labelled examples score the
sampler's rows with ``model.serve``; evaluation objects (adversarial attacks,
knowledge-graph triples) run their own protocol. Every model trains here: the models
declare graphs, objectives and default schedules, never a loop.

:class:`ImplicitModelTrainer` keeps the legacy OpenRec signature and runs on top of
:class:`ModelTrainer` (one training loop).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Optional, TextIO, Union

from openrec2.errors import CheckpointError, MissingInputError, NaNLossError, UnknownOptionError, scoped
from openrec2.trainer.checkpoints import DEFAULT_KEEP, CheckpointStore
from openrec2.trainer.divergence import DEFAULT_DIVERGENCE_FACTOR
from openrec2.trainer.early_stopping import EarlyStopping
from openrec2.trainer.evaluations import evaluate_split, name_eval_samplers
from openrec2.trainer.history import TrainingHistory
from openrec2.trainer.periodic_updates import check_periodic_updates
from openrec2.trainer.run_state import read_state
from openrec2.trainer.schedule import ObjectiveSchedule
from openrec2.trainer.tensorboard import TENSORBOARD_FOLDER
from openrec2.trainer.training_run import TRAINING_LOSS_METRIC, TrainingRun
from openrec2.utils.evaluators import MetricResults
from openrec2.utils.samplers import EvaluationSampler
from openrec2.validation import check_bool, check_folder_path, check_has_method, check_int, check_number

__all__ = ['ImplicitModelTrainer', 'ModelTrainer', 'TRAINING_LOSS_METRIC', 'name_eval_samplers']

_SCOPE = 'ModelTrainer'


class ModelTrainer:
    """Train a recommender from a sampler, evaluating and checkpointing on the way.

    Multi-objective training: pass ``train_sampler`` as ``{objective: sampler}`` and
    optionally ``objective_schedule=[(objective, num_iters), ...]`` to :meth:`train`; a
    list is cycled over the run (KTUP: ``[('rec', 1), ('kg', 1)]``), an
    :class:`~openrec2.trainer.schedule.ObjectiveSchedule` may also be one-way (AMR).
    Without a schedule the model's own ``default_schedule`` is followed (KTUP's rounds
    of ``train_rec_step`` rec epochs and ``train_kg_step`` kg epochs, AMR's BPR then
    adversarial epochs); for a model without one, every objective of a dict trains one
    step in turn, and one sampler trains the default objective. With one sampler and a
    schedule every objective draws from that sampler.

    Evaluation: each split of ``eval_samplers`` may be an evaluation sampler (full or
    sampled ranking, labelled examples), an evaluation object (adversarial attacks,
    knowledge-graph triples) or a list of them (see :mod:`openrec2.trainer.evaluations`).
    A split whose scores are the same for every item (a collapsed model) is reported
    with a warning, marked ``collapsed`` in the history and never counts as an
    improvement for early stopping.

    Early stopping: ``early_stop_metric='NDCG@10'`` is read from the evaluations of
    ``early_stop_split`` (default: the first evaluation sampler); ``'loss'`` uses the
    mean training loss of each evaluation window. After ``patience`` evaluations
    without improvement training stops; at the end (stopped or not) the best
    checkpoint is restored, so the model serves its best-evaluated state. Higher is
    better unless the metric is loss-like (``loss``, ``MSE``, ``RMSE``, ``LogLoss``).
    With a one-way schedule only the evaluations of its last phase count (AMR's best
    model is an adversarially trained one).

    Checkpoints: every ``save_iter`` iterations to ``save_dir`` as
    ``model.ckpt-<iteration>`` with the run's state beside it (the ``keep_checkpoints``
    newest are kept); the best early-stopping state goes to ``save_dir/best/best-<iteration>``
    (a temporary folder, removed when the run ends or fails, when ``save_dir`` is None).
    ``train(..., resume=True)`` continues a run from the latest checkpoint of
    ``save_dir`` exactly as if it had never stopped (see
    :mod:`openrec2.trainer.run_state`).

    TensorBoard: with a ``save_dir`` (or a ``tensorboard`` folder) the run writes event
    files: the loss and learning rate of each objective and the examples per second at
    every log point, every metric of every split at every evaluation, and the model's
    graph (:mod:`openrec2.trainer.tensorboard`; the ``tensorboard`` package is not needed).

    Divergence: a loss that is NaN, infinite or beyond ``divergence_factor`` times its
    objective's first loss (:mod:`openrec2.trainer.divergence`), or a parameter that is
    not finite at a checkpoint or an evaluation, stops the run with
    :class:`~openrec2.errors.DivergenceError` naming the last good checkpoint; no
    checkpoint of the diverged state is written.

    Args:
        model: A :class:`~openrec2.recommenders.Recommender`.
        save_dir: Folder of the periodic checkpoints; None writes none.
        early_stop_metric: Metric key to stop on (None: no early stopping).
        patience: Evaluations without improvement before stopping.
        early_stop_split: Name of the evaluation split to read the metric from.
        higher_is_better: Direction of the metric; None infers it from the name.
        progress: ``True`` forces the progress bar, ``False`` hides it, ``None`` shows it
            when ``progress_stream`` is a terminal.
        verbose: Print log lines (warnings are printed anyway).
        log_stream: Stream of log lines (default stdout).
        progress_stream: Stream of the progress bar (default stderr).
        divergence_factor: Multiple of an objective's first loss that counts as
            divergence (> 1; None: only NaN / inf).
        sampler_timeout: Seconds to wait for one training batch before a stuck sampler
            is a :class:`~openrec2.errors.SamplerError` (None: each sampler's own
            ``timeout``, 600 s by default).
        keep_checkpoints: Periodic checkpoints kept in ``save_dir``.
        periodic_updates: ``[(every, callable), ...]`` called after every ``every``
            training steps (counted from the run's start, so a resumed run calls them
            at the same steps), besides the model's own
            (:meth:`~openrec2.recommenders.Recommender.periodic_updates`).
        tensorboard: Where TensorBoard event files go (:mod:`openrec2.trainer.tensorboard`):
            True writes them to ``save_dir/tensorboard`` when there is a ``save_dir``, a
            folder path writes them there, False writes none.

    Raises:
        SettingError: A bad setting (``patience`` not an integer >= 1, ...).
    """

    def __init__(self, model, save_dir: Optional[str] = None, early_stop_metric: Optional[str] = None,
                 patience: int = 5, early_stop_split: Optional[str] = None,
                 higher_is_better: Optional[bool] = None, progress: Optional[bool] = None, verbose: bool = True,
                 log_stream: Optional[TextIO] = None, progress_stream: Optional[TextIO] = None,
                 divergence_factor: Optional[float] = DEFAULT_DIVERGENCE_FACTOR,
                 sampler_timeout: Optional[float] = None, keep_checkpoints: int = DEFAULT_KEEP,
                 periodic_updates: Sequence[tuple] = (), tensorboard: Union[bool, str] = True) -> None:
        for name in ('train', 'serve', 'save', 'load', 'objectives'):
            if not hasattr(model, name):
                raise MissingInputError(scoped(_SCOPE, f'model must be a Recommender (it has no {name!r}), got '
                                                       f'{type(model).__name__}.'))
        self.model = model
        self.save_dir = check_folder_path(save_dir, 'save_dir', _SCOPE)
        self.early_stop_metric = early_stop_metric
        self.patience = check_int(patience, 'patience', _SCOPE)
        self.early_stop_split = early_stop_split
        self.higher_is_better = higher_is_better
        self.progress = progress
        self.verbose = check_bool(verbose, 'verbose', _SCOPE)
        self.log_stream = log_stream
        self.progress_stream = progress_stream
        self.divergence_factor = check_number(divergence_factor, 'divergence_factor', _SCOPE, minimum=1.0,
                                              min_exclusive=True, allow_none=True)
        self.sampler_timeout = check_number(sampler_timeout, 'sampler_timeout', _SCOPE, minimum=0.0,
                                            min_exclusive=True, allow_none=True)
        self.keep_checkpoints = check_int(keep_checkpoints, 'keep_checkpoints', _SCOPE)
        self.periodic_updates = check_periodic_updates(periodic_updates, _SCOPE)
        self.tensorboard_dir = self._tensorboard_dir(tensorboard)
        if early_stop_metric is not None:  # check the stopper's settings now, not after a long run
            EarlyStopping(early_stop_metric, patience, higher_is_better)

    def _tensorboard_dir(self, tensorboard) -> Optional[str]:
        """The folder of the event files, or None (see the ``tensorboard`` argument)."""
        if isinstance(tensorboard, (str, os.PathLike)):
            return os.fspath(tensorboard)
        if check_bool(tensorboard, 'tensorboard', _SCOPE) and self.save_dir is not None:
            return os.path.join(self.save_dir, TENSORBOARD_FOLDER)
        return None

    # ================================================================ evaluation
    def evaluate(self, eval_samplers: Union[Mapping[str, Any], Sequence[Any]],
                 evaluators: Optional[Sequence] = None) -> dict[str, MetricResults]:
        """Evaluate the model on evaluation splits.

        Args:
            eval_samplers: ``{name: spec}`` or a list of specs, each an evaluation
                sampler, an evaluation object or a list of them (see
                :mod:`openrec2.trainer.evaluations`).
            evaluators: Evaluators; None or empty uses the default set.

        Returns:
            ``{split name: MetricResults}`` (``results.collapsed`` says whether the
            model's scores were constant).

        Raises:
            NaNLossError: The model's parameters are not finite (its scores would be
                meaningless).
        """
        if not self.model.parameters_finite():
            raise NaNLossError(scoped(_SCOPE, f'{type(self.model).__name__} has NaN or infinite parameters; its '
                                              'scores would be meaningless. Load a good checkpoint first.'))
        return {name: evaluate_split(self.model, spec, evaluators)
                for name, spec in name_eval_samplers(eval_samplers).items()}

    # ================================================================== training
    def train(self, total_iter: int, eval_iter: Optional[int], save_iter: Optional[int], train_sampler,
              start_iter: int = 0,
              eval_samplers: Union[Mapping[str, Any], Sequence[Any]] = (),
              evaluators: Sequence = (),
              objective_schedule: Optional[Sequence[tuple[str, int]]] = None, resume: bool = False,
              resume_from: Optional[str] = None) -> TrainingHistory:
        """Train from iteration ``start_iter`` up to ``total_iter``.

        The loss of each objective is averaged over windows of ``eval_iter`` iterations
        and logged; at the end of each window (and of the run) every evaluation sampler
        is evaluated. A finite sampler that runs out ends the run early.

        Args:
            total_iter: Iteration to stop at (absolute: ``total_iter - start_iter`` steps).
            eval_iter: Iterations between log/evaluation points (None or 0: at the end only).
            save_iter: Iterations between checkpoints (None or 0: none; needs ``save_dir``).
            train_sampler: A sampler, or ``{objective name: sampler}``.
            start_iter: Iteration to start from (e.g. of a loaded checkpoint).
            eval_samplers: Evaluation splits, a list or ``{name: spec}`` (samplers,
                evaluation objects such as
                :class:`~openrec2.trainer.adversarial_evaluation.AdversarialEvaluation`,
                or lists of them; see :mod:`openrec2.trainer.evaluations`).
            evaluators: Evaluators (empty: the default set when evaluating).
            objective_schedule: ``[(objective name, num_iters), ...]`` cycled over the run,
                or an :class:`~openrec2.trainer.schedule.ObjectiveSchedule` (one-way
                schedules too); None: the model's ``default_schedule`` (AMR's BPR then
                adversarial epochs, KTUP's rec / kg rounds), else its default objective.
            resume: Continue from the latest checkpoint of ``save_dir`` (model, sampler
                positions, early stopping, history, schedule position); start afresh
                from ``start_iter`` when there is none.
            resume_from: Continue from this checkpoint prefix, or the latest of this
                folder, instead.

        Returns:
            The :class:`~openrec2.trainer.history.TrainingHistory` (of the whole run when
            it was resumed).

        Raises:
            DivergenceError: A loss exploded or became NaN/inf, or a parameter stopped
                being finite; the message names the iteration and the last good
                checkpoint (kept on disk). A :class:`NaNLossError`.
            CheckpointError: ``resume_from`` holds no trainer checkpoint, or the
                checkpoint does not fit this model, these samplers or this schedule.
            UnknownOptionError: Bad iteration counts, an unknown objective or split,
                or an early-stopping metric the evaluations do not produce.
            MissingInputError: A scheduled objective has no sampler.
            SamplerError: A sampler worker failed.
        """
        self._check_counts(total_iter, eval_iter, save_iter, start_iter)
        schedule, samplers = self._resolve_samplers(train_sampler, objective_schedule)
        named_evals = name_eval_samplers(eval_samplers)
        stopper = self._make_stopper(named_evals)
        first_sampler = samplers[schedule.objective_at(start_iter)]
        # An epoch is one pass of the sampler when one sampler feeds every objective (several
        # objectives may share it), else one round of a cycled schedule (KTUP's rec + kg epochs).
        single = len({id(sampler) for sampler in samplers.values()}) == 1
        batches_per_epoch = (getattr(first_sampler, 'batches_per_epoch', None) if single
                             else schedule.period if schedule.cycle else None)
        history = TrainingHistory(start_iter, batches_per_epoch)
        run = TrainingRun(self, history, schedule, samplers, named_evals, evaluators, stopper, total_iter,
                          eval_iter, save_iter, start_iter)
        found = self._checkpoint_to_resume(resume, resume_from)
        if found is not None:
            run.restore(*found)
            run.console.info(f'resumed from {found[0]} at iteration {found[1].iteration}', 'blue')
        return run.execute()

    def _checkpoint_to_resume(self, resume: bool, resume_from: Optional[str]):
        """``(prefix, run state)`` to continue from, or None to start afresh."""
        check_bool(resume, 'resume', _SCOPE)
        if resume_from is not None:
            path = os.fspath(resume_from)
            if os.path.isdir(path):
                found = CheckpointStore(path).latest()
                if found is None:
                    raise CheckpointError(scoped(_SCOPE, f'resume_from={path!r} holds no checkpoint written by '
                                                         'ModelTrainer.'))
                return found
            return path, read_state(path)
        if not resume:
            return None
        if self.save_dir is None:
            raise MissingInputError(scoped(_SCOPE, 'resume=True needs the save_dir the run writes its checkpoints '
                                                   'to: ModelTrainer(model, save_dir=...).'))
        return CheckpointStore(self.save_dir).latest()

    # ------------------------------------------------------------------ checks
    @staticmethod
    def _check_counts(total_iter, eval_iter, save_iter, start_iter) -> None:
        check_int(total_iter, 'total_iter', _SCOPE, minimum=0)
        check_int(start_iter, 'start_iter', _SCOPE, minimum=0)
        check_int(eval_iter, 'eval_iter', _SCOPE, minimum=0, allow_none=True)
        check_int(save_iter, 'save_iter', _SCOPE, minimum=0, allow_none=True)
        if start_iter > total_iter:
            raise UnknownOptionError(scoped(_SCOPE, f'start_iter ({start_iter}) is after total_iter '
                                                    f'({total_iter}); total_iter is the iteration to stop at.'))

    def _resolve_samplers(self, train_sampler, objective_schedule) -> tuple[ObjectiveSchedule, dict]:
        """The schedule and a sampler per scheduled objective."""
        objectives = self.model.objectives
        if train_sampler is None:
            raise MissingInputError(scoped(_SCOPE, 'train_sampler is None; pass a sampler (e.g. '
                                                   'PairwiseSampler(train, batch_size)) or {objective: sampler}.'))
        if isinstance(train_sampler, Mapping):
            unknown = [name for name in train_sampler if name not in objectives]
            if unknown:
                raise UnknownOptionError(scoped(_SCOPE, f'train_sampler names objective(s) {unknown}; the model '
                                                        f'has {objectives}.'))
            by_objective = dict(train_sampler)
        else:
            by_objective = {name: train_sampler for name in objectives}
        if objective_schedule is None:
            per_epoch = {name: getattr(sampler, 'batches_per_epoch', 1) for name, sampler in by_objective.items()}
            phases = self.model.default_schedule(per_epoch)
            if phases is not None:
                objective_schedule = ObjectiveSchedule(phases, objectives, cycle=self.model.schedule_cycles)
        if objective_schedule is None:
            objective_schedule = ([(name, 1) for name in train_sampler] if isinstance(train_sampler, Mapping)
                                  else [(self.model.default_objective, 1)])
        for name, sampler in by_objective.items():
            check_has_method(sampler, f'train_sampler[{name!r}]' if isinstance(train_sampler, Mapping)
                             else 'train_sampler', _SCOPE, 'next_batch',
                             'pass a sampler such as PairwiseSampler(train, batch_size) (arrays go to '
                             'make_interactions first)')
        schedule = ObjectiveSchedule.coerce(objective_schedule, objectives)
        missing = [name for name in schedule.objectives if name not in by_objective]
        if missing:
            raise MissingInputError(scoped(_SCOPE, f'objective_schedule trains {missing} but train_sampler '
                                                   f'has samplers only for {list(by_objective)}.'))
        return schedule, {name: by_objective[name] for name in schedule.objectives}

    def _make_stopper(self, named_evals: dict) -> Optional[EarlyStopping]:
        if self.early_stop_metric is None:
            return None
        if self.early_stop_metric != TRAINING_LOSS_METRIC:
            if not named_evals:
                raise UnknownOptionError(scoped(_SCOPE, f'early_stop_metric={self.early_stop_metric!r} needs '
                                                        'eval_samplers (or use early_stop_metric="loss").'))
            split = self.early_stop_split or next(iter(named_evals))
            if split not in named_evals:
                raise UnknownOptionError(scoped(_SCOPE, f'early_stop_split {split!r} is not among the evaluation '
                                                        f'splits {list(named_evals)}.'))
        return EarlyStopping(self.early_stop_metric, self.patience, self.higher_is_better)

    def parameters_finite(self) -> bool:
        """Whether every trainable variable of the model is finite.

        Returns:
            True when no NaN or inf is found.
        """
        return self.model.parameters_finite()


class ImplicitModelTrainer:
    """The legacy OpenRec trainer interface, running :class:`ModelTrainer`.

    Each evaluation dataset is evaluated with the training items excluded from the
    ranking (as the legacy trainer did); earlier evaluation datasets are *not* excluded,
    so for a test set evaluated after a validation set, validation items stay in the
    ranking — build :class:`~openrec2.utils.samplers.EvaluationSampler` with
    ``excluded_datasets=[train, validation]`` and use :class:`ModelTrainer` for the
    RecBole protocol.

    Args:
        batch_size: Training batch size (kept for the legacy signature; the sampler's
            own batch size is what trains).
        test_batch_size: Users per evaluation batch.
        train_dataset: The training :class:`~openrec2.utils.Dataset`.
        model: The recommender.
        sampler: The training sampler.
        item_serving_size: Items per serving call in legacy OpenRec's evaluation; openrec2
            scores every item of a batch of users in one call (the serving graph is built
            for it), so this changes nothing and is accepted for legacy scripts.
        eval_save_prefix: Legacy: where the model was saved at every evaluation; here the
            checkpoint folder when ``save_dir`` is not given.
        save_dir: Optional folder for checkpoints (every ``display_itr`` iterations).
        verbose: Print log lines.
        progress: Progress bar setting of :class:`ModelTrainer`.
    """

    def __init__(self, batch_size: int, test_batch_size: int, train_dataset, model, sampler,
                 item_serving_size: Optional[int] = None, eval_save_prefix: Optional[str] = None,
                 save_dir: Optional[str] = None, verbose: bool = True, progress: Optional[bool] = None) -> None:
        self.batch_size = batch_size
        self.test_batch_size = test_batch_size
        self.train_dataset = train_dataset
        self.model = model
        self.sampler = sampler
        self.item_serving_size = check_int(item_serving_size, 'item_serving_size', _SCOPE, allow_none=True)
        self.trainer = ModelTrainer(model, save_dir=save_dir if save_dir is not None else eval_save_prefix,
                                    verbose=verbose, progress=progress)

    def train(self, num_itr: int, display_itr: int, eval_datasets: Sequence = (), evaluators: Sequence = (),
              num_negatives: Optional[int] = None, seed: int = 10) -> TrainingHistory:
        """Train ``num_itr`` iterations, logging and evaluating every ``display_itr``.

        Args:
            num_itr: Iterations to train.
            display_itr: Iterations between loss logs and evaluations.
            eval_datasets: Datasets to evaluate (each with the training items excluded).
            evaluators: Ranking evaluators (empty: the default set).
            num_negatives: None for full ranking, else sampled negatives per user.
            seed: Seed of the sampled negatives.

        Returns:
            The :class:`~openrec2.trainer.history.TrainingHistory`.
        """
        eval_samplers = [EvaluationSampler(dataset, self.test_batch_size, excluded_datasets=[self.train_dataset],
                                           num_negatives=num_negatives, seed=seed) for dataset in eval_datasets]
        return self.trainer.train(total_iter=num_itr, eval_iter=display_itr,
                                  save_iter=display_itr if self.trainer.save_dir else None,
                                  train_sampler=self.sampler, eval_samplers=eval_samplers, evaluators=evaluators)
