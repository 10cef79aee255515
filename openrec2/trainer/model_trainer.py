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

import glob
import math
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from typing import Any, Optional, TextIO, Union

from openrec2.errors import MissingInputError, NaNLossError, UnknownOptionError, scoped
from openrec2.trainer.console import Console, format_metrics, format_value
from openrec2.trainer.early_stopping import EarlyStopping
from openrec2.trainer.evaluations import evaluate_split, name_eval_samplers, spread_text
from openrec2.trainer.history import TrainingHistory
from openrec2.trainer.progress import ProgressBar
from openrec2.trainer.schedule import ObjectiveSchedule
from openrec2.utils.evaluators import MetricResults
from openrec2.utils.samplers import EvaluationSampler
from openrec2.validation import check_int

__all__ = ['ImplicitModelTrainer', 'ModelTrainer', 'TRAINING_LOSS_METRIC', 'name_eval_samplers']

_SCOPE = 'ModelTrainer'
#: Early-stopping metric that means "the mean training loss of each evaluation window".
TRAINING_LOSS_METRIC = 'loss'
_BEST_PREFIX = 'best'


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
    ``model.ckpt-<iteration>`` (the model's saver keeps the last 5); the best
    early-stopping state goes to ``save_dir/best/best-<iteration>`` (a temporary folder,
    removed after the run, when ``save_dir`` is None). Parameters are checked to be
    finite before any checkpoint is written, so a checkpoint never holds a diverged
    state.

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

    Raises:
        UnknownOptionError: ``patience`` not an integer >= 1.
    """

    def __init__(self, model, save_dir: Optional[str] = None, early_stop_metric: Optional[str] = None,
                 patience: int = 5, early_stop_split: Optional[str] = None,
                 higher_is_better: Optional[bool] = None, progress: Optional[bool] = None, verbose: bool = True,
                 log_stream: Optional[TextIO] = None, progress_stream: Optional[TextIO] = None) -> None:
        self.model = model
        self.save_dir = save_dir
        self.early_stop_metric = early_stop_metric
        self.patience = patience
        self.early_stop_split = early_stop_split
        self.higher_is_better = higher_is_better
        self.progress = progress
        self.verbose = verbose
        self.log_stream = log_stream
        self.progress_stream = progress_stream
        if early_stop_metric is not None:  # check patience now, not after a long run
            EarlyStopping(early_stop_metric, patience, higher_is_better)

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
        """
        return {name: evaluate_split(self.model, spec, evaluators)
                for name, spec in name_eval_samplers(eval_samplers).items()}

    # ================================================================== training
    def train(self, total_iter: int, eval_iter: Optional[int], save_iter: Optional[int], train_sampler,
              start_iter: int = 0,
              eval_samplers: Union[Mapping[str, Any], Sequence[Any]] = (),
              evaluators: Sequence = (),
              objective_schedule: Optional[Sequence[tuple[str, int]]] = None) -> TrainingHistory:
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

        Returns:
            The :class:`~openrec2.trainer.history.TrainingHistory`.

        Raises:
            NaNLossError: A loss or a parameter became NaN/inf; the message names the
                iteration and the last good checkpoint (kept on disk).
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
        run = _Run(self, history, schedule, samplers, named_evals, evaluators, stopper, total_iter, eval_iter,
                   save_iter, start_iter)
        return run.execute()

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


class _Run:
    """State of one :meth:`ModelTrainer.train` call (the loop and its bookkeeping)."""

    def __init__(self, trainer: ModelTrainer, history: TrainingHistory, schedule: ObjectiveSchedule,
                 samplers: dict, named_evals: dict, evaluators: Sequence, stopper: Optional[EarlyStopping],
                 total_iter: int, eval_iter: Optional[int], save_iter: Optional[int], start_iter: int) -> None:
        self.trainer, self.model = trainer, trainer.model
        self.history, self.schedule, self.samplers = history, schedule, samplers
        self.named_evals, self.evaluators, self.stopper = named_evals, list(evaluators), stopper
        self.total_iter, self.eval_iter, self.save_iter, self.start_iter = total_iter, eval_iter, save_iter, start_iter
        self.bar = ProgressBar(total_iter, start_iter, enabled=trainer.progress, stream=trainer.progress_stream)
        self.console = Console(trainer.verbose, trainer.log_stream, before_write=self.bar.clear)
        self.window: dict[str, list] = {}  # objective -> [loss sum, iterations]
        self.window_seconds = 0.0
        self.last_good: Optional[tuple[str, int]] = None  # (checkpoint prefix, iteration)
        self.temp_dir: Optional[str] = None
        self.best_dir: Optional[str] = None
        self.save_dir = trainer.save_dir
        if save_iter and self.save_dir is None:
            self.console.warn(f'save_iter={save_iter} but no save_dir: no periodic checkpoint will be written; '
                              'pass ModelTrainer(model, save_dir=...) to keep them.')
        if stopper is not None:
            if self.save_dir is None:
                self.temp_dir = tempfile.mkdtemp(prefix='openrec2_best_')
                self.best_dir = self.temp_dir
            else:
                self.best_dir = os.path.join(self.save_dir, _BEST_PREFIX)

    # ------------------------------------------------------------------ loop
    def execute(self) -> TrainingHistory:
        history = self.history
        self.console.info(self._banner(), 'blue')
        iteration = self.start_iter
        finished = False
        try:
            while iteration < self.total_iter:
                objective = self.schedule.objective_at(iteration)
                started = time.perf_counter()
                try:
                    batch = self.samplers[objective].next_batch()
                except StopIteration:
                    self.console.info(f'sampler of objective {objective!r} is exhausted at iteration {iteration}; '
                                      'stopping.', 'yellow')
                    break
                loss = self.model.train(batch, objective=objective)
                elapsed = time.perf_counter() - started
                history.train_seconds += elapsed
                self.window_seconds += elapsed
                iteration += 1
                history.end_iter = iteration
                if not math.isfinite(loss):
                    raise self._nan_error(iteration, f'the loss of objective {objective!r} is {loss}')
                totals = self.window.setdefault(objective, [0.0, 0])
                totals[0] += loss
                totals[1] += 1
                self.bar.update(iteration, f'{objective} loss {totals[0] / totals[1]:.4f}')
                if (self.eval_iter and iteration % self.eval_iter == 0) or iteration == self.total_iter:
                    if self._checkpoint_and_evaluate(iteration):
                        break
                elif self.save_iter and iteration % self.save_iter == 0:
                    self._save_periodic(iteration)
            else:
                finished = True
            if not finished and self.window:  # stopped by a finite sampler: close the window
                self._checkpoint_and_evaluate(iteration)
            self._restore_best()
        finally:
            self.bar.close()
        self._cleanup()
        self._log_summary()
        return history

    def _checkpoint_and_evaluate(self, iteration: int) -> bool:
        """Log the loss window, evaluate, update early stopping, save. Returns True to stop."""
        if not self.trainer.parameters_finite():
            raise self._nan_error(iteration, 'a model parameter is NaN or inf')
        window_losses = self._flush_window(iteration)
        results = {}
        for name, spec in self.named_evals.items():
            started = time.perf_counter()
            results[name] = evaluate_split(self.model, spec, self.evaluators)
            seconds = time.perf_counter() - started
            self.history.eval_seconds += seconds
            self.history.add_evaluation(iteration, name, results[name], seconds)
            if results[name].collapsed:
                self.console.warn(f'{name}: the scores of {type(self.model).__name__} are the same for every item '
                                  f'({spread_text(results[name])}); its ranking is only the tie-breaking order, '
                                  'so these metrics are not the model\'s.')
        stop = False
        improved = False
        # A one-way schedule (AMR) is watched only in its last phase: its best state is one of that phase.
        if self.stopper is not None and self.schedule.in_final_phase(iteration - 1):
            value = self._stop_value(window_losses, results)
            improved = self.stopper.update(value, iteration)
            if improved:
                self._save_best(iteration)
            stop = self.stopper.should_stop
        for name, metrics in results.items():
            marker = ' *' if improved and name == self._stop_split() else ''
            self.console.step(iteration, self.history.epoch_of(iteration), [
                (f'{name}:', 'green'), (format_metrics(metrics), None),
                (f'({self.history.evaluations[-1]["seconds"]:.2f} s){marker}', None)])
        if self.save_iter and iteration % self.save_iter == 0:
            self._save_periodic(iteration, checked=True)
        if stop:
            self.history.stopped_early = True
            self.console.info(f'early stopping at iteration {iteration}: {self.stopper.metric} did not improve '
                              f'for {self.stopper.patience} evaluations (best '
                              f'{format_value(self.stopper.best_value)} at iteration {self.stopper.best_iteration}).',
                              'yellow')
        return stop

    def _flush_window(self, iteration: int) -> dict[str, float]:
        means = {}
        parts = []
        for objective, (total, count) in self.window.items():
            means[objective] = total / count
            self.history.add_loss(iteration, objective, means[objective], count)
            parts.append((f'{objective} loss', 'yellow'))
            parts.append((f'{means[objective]:.4f}', None))
        if parts:
            iterations = sum(count for _, count in self.window.values())
            parts.append((f'({iterations} it, {self.window_seconds:.2f} s)', None))
            self.console.step(iteration, self.history.epoch_of(iteration), parts)
        self.window, self.window_seconds = {}, 0.0
        return means

    def _stop_split(self) -> Optional[str]:
        if self.stopper is None or self.stopper.metric == TRAINING_LOSS_METRIC:
            return None
        return self.trainer.early_stop_split or next(iter(self.named_evals))

    def _stop_value(self, window_losses: dict[str, float], results: dict) -> float:
        if self.stopper.metric == TRAINING_LOSS_METRIC:
            return sum(window_losses.values()) if window_losses else float('nan')
        metrics = results[self._stop_split()]
        if self.stopper.metric not in metrics:
            raise UnknownOptionError(scoped(_SCOPE, f'early_stop_metric {self.stopper.metric!r} is not computed; '
                                                    f'the evaluators give {sorted(metrics)}.'))
        # Metrics of collapsed (constant) scores never count as an improvement.
        return float('nan') if metrics.collapsed else metrics[self.stopper.metric]

    # ------------------------------------------------------------------ checkpoints
    def _save_periodic(self, iteration: int, checked: bool = False) -> None:
        """Save a rotating checkpoint; ``checked``: the parameters were just found finite."""
        if self.save_dir is None:
            return
        if not checked and not self.trainer.parameters_finite():
            raise self._nan_error(iteration, 'a model parameter is NaN or inf')
        prefix = self.model.save(self.save_dir, step=iteration)
        self.history.checkpoints.append(prefix)
        self.last_good = (prefix, iteration)

    def _save_best(self, iteration: int) -> None:
        """Write the best state as ``best-<iteration>``, outside the saver's rotation (so it
        never pushes a periodic checkpoint out)."""
        target = self.model.save(self.best_dir, step=iteration, name=_BEST_PREFIX, rotate=False)
        previous = self.history.best_checkpoint
        if previous and previous != target:
            for path in glob.glob(previous + '.*'):
                os.remove(path)
        self.history.best_checkpoint = target
        self.history.best_iteration = iteration
        self.history.best_value = self.stopper.best_value
        if self.last_good is None or self.last_good[1] <= iteration:
            self.last_good = (target, iteration)

    def _restore_best(self) -> None:
        if self.stopper is None or self.history.best_checkpoint is None:
            return
        if self.history.best_iteration != self.history.end_iter:
            self.model.load(self.history.best_checkpoint)
            where = '' if self.temp_dir is not None else f' from {self.history.best_checkpoint}'
            self.console.info(f'restored the best model (iteration {self.history.best_iteration}, '
                              f'{self.stopper.metric} {format_value(self.stopper.best_value)}){where}', 'blue')

    def _cleanup(self) -> None:
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            self.history.best_checkpoint = None

    def _nan_error(self, iteration: int, what: str) -> NaNLossError:
        self.bar.close()
        if self.last_good is None:
            kept = ('no checkpoint was written before it (pass save_dir and a smaller save_iter to keep one)')
        else:
            kept = (f'the last good checkpoint is {self.last_good[0]} (iteration {self.last_good[1]}); it is kept '
                    'and model.load() restores it')
        return NaNLossError(scoped(_SCOPE, f'{what} at iteration {iteration}; training stopped and the diverged '
                                           f'state was not saved. {kept}. Lower the learning rate or add '
                                           'regularisation.'))

    # ------------------------------------------------------------------ logs
    def _banner(self) -> str:
        objectives = ', '.join(f'{name} x{count}' for name, count in self.schedule.steps)
        epoch = f', {self.history.batches_per_epoch} iterations per epoch' if self.history.batches_per_epoch else ''
        return (f'training {type(self.model).__name__} from iteration {self.start_iter} to {self.total_iter} '
                f'(objectives: {objectives}{epoch})')

    def _log_summary(self) -> None:
        history = self.history
        per_epoch = history.seconds_per_epoch
        epoch_text = f', {per_epoch:.2f} s per epoch' if per_epoch is not None else ''
        self.console.info(f'done: {history.iterations_run} iterations in {history.train_seconds:.1f} s of training'
                          f'{epoch_text}, {history.eval_seconds:.1f} s of evaluation', 'blue')


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
        save_dir: Optional folder for checkpoints (every ``display_itr`` iterations).
        verbose: Print log lines.
        progress: Progress bar setting of :class:`ModelTrainer`.
    """

    def __init__(self, batch_size: int, test_batch_size: int, train_dataset, model, sampler,
                 save_dir: Optional[str] = None, verbose: bool = True, progress: Optional[bool] = None) -> None:
        self.batch_size = batch_size
        self.test_batch_size = test_batch_size
        self.train_dataset = train_dataset
        self.model = model
        self.sampler = sampler
        self.trainer = ModelTrainer(model, save_dir=save_dir, verbose=verbose, progress=progress)

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
