"""One call of :meth:`ModelTrainer.train`: the loop and its bookkeeping.

Per iteration: the scheduled objective's sampler gives a batch, the model trains one
step on it, the loss goes through the divergence check and into the loss window. At
every ``eval_iter`` the window is logged and the evaluation splits run (early stopping
and the best checkpoint follow); at every ``save_iter`` a checkpoint is written with the
run's state (:mod:`openrec2.trainer.run_state`), from which a run killed at any moment
resumes exactly (:meth:`TrainingRun.restore`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from typing import Optional, Sequence

from openrec2.errors import CheckpointError, DivergenceError, UnknownOptionError, scoped
from openrec2.trainer.checkpoints import CheckpointStore, remove_checkpoint
from openrec2.trainer.console import Console, format_metrics, format_value
from openrec2.trainer.divergence import DivergenceGuard
from openrec2.trainer.early_stopping import EarlyStopping
from openrec2.trainer.evaluations import evaluate_split, spread_text
from openrec2.trainer.history import TrainingHistory
from openrec2.trainer.progress import ProgressBar
from openrec2.trainer.run_state import RunState
from openrec2.trainer.schedule import ObjectiveSchedule
from openrec2.trainer.tensorboard import TensorBoardWriter

_SCOPE = 'ModelTrainer'
#: Early-stopping metric that means "the mean training loss of each evaluation window".
TRAINING_LOSS_METRIC = 'loss'
#: Iterations between two looks at whether a cluster's chief has finished the model (one
#: small read from ps 0 each; in one process the look costs nothing).
PEER_CHECK_EVERY = 100


def batch_rows(batch) -> int:
    """Examples in a training batch: the rows of its first array (0 for an empty dict)."""
    first = next(iter(batch.values()), None)
    return 0 if first is None else len(first)


def sampler_signature(sampler) -> dict:
    """What identifies a training stream: class, seed, batch size."""
    return {'class': type(sampler).__name__, 'seed': getattr(sampler, 'seed', None),
            'batch_size': getattr(sampler, 'batch_size', None)}


class TrainingRun:
    """State of one :meth:`ModelTrainer.train` call.

    Args:
        trainer: The :class:`~openrec2.ModelTrainer` (settings, model, logging).
        history: The history to fill.
        schedule: The objective schedule.
        samplers: ``{objective: sampler}`` (several objectives may share one).
        named_evals: ``{split: spec}``.
        evaluators: Evaluators of the splits.
        stopper: Early stopping, or None.
        total_iter: Iteration to stop at.
        eval_iter: Iterations between evaluations (None / 0: at the end only).
        save_iter: Iterations between checkpoints (None / 0: none).
        start_iter: Iteration to start from.
    """

    def __init__(self, trainer, history: TrainingHistory, schedule: ObjectiveSchedule, samplers: dict,
                 named_evals: dict, evaluators: Sequence, stopper: Optional[EarlyStopping], total_iter: int,
                 eval_iter: Optional[int], save_iter: Optional[int], start_iter: int) -> None:
        self.trainer, self.model = trainer, trainer.model
        self.history, self.schedule, self.samplers = history, schedule, samplers
        self.named_evals, self.evaluators, self.stopper = named_evals, list(evaluators), stopper
        self.total_iter, self.eval_iter, self.save_iter, self.start_iter = total_iter, eval_iter, save_iter, start_iter
        self.bar = ProgressBar(total_iter, start_iter, enabled=trainer.progress, stream=trainer.progress_stream)
        self.console = Console(trainer.verbose, trainer.log_stream, before_write=self.bar.clear)
        self.window: dict[str, list] = {}  # objective -> [loss sum, iterations]
        self.window_seconds = 0.0
        self.batch_rows = 0  # rows of the last training batch (examples per second = rows x steps / s)
        self.board: Optional[TensorBoardWriter] = None
        self.guard = DivergenceGuard(trainer.divergence_factor)
        # The model's own periodic updates (ItrMLP) and the trainer's; due at step counts, so resumes repeat them.
        self.periodic_updates = list(self.model.periodic_updates()) + list(trainer.periodic_updates)
        self.last_good: Optional[tuple[str, int]] = None  # (checkpoint prefix, iteration)
        self.temp_dir: Optional[str] = None
        self.ended_elsewhere = False  # the cluster's chief finished the model (see _ended_elsewhere)
        self.store: Optional[CheckpointStore] = None
        if trainer.save_dir is not None:
            self.store = CheckpointStore(trainer.save_dir, keep=trainer.keep_checkpoints)
        elif stopper is not None:
            self.temp_dir = tempfile.mkdtemp(prefix='openrec2_best_')
            self.store = CheckpointStore(self.temp_dir)
        if save_iter and trainer.save_dir is None:
            self.console.warn(f'save_iter={save_iter} but no save_dir: no periodic checkpoint will be written; '
                              'pass ModelTrainer(model, save_dir=...) to keep them.')

    # ------------------------------------------------------------------ streams
    @property
    def distinct_samplers(self) -> list:
        """The training samplers, each once, in the order of the schedule's objectives."""
        seen, distinct = set(), []
        for sampler in self.samplers.values():
            if id(sampler) not in seen:
                seen.add(id(sampler))
                distinct.append(sampler)
        return distinct

    def state(self, iteration: int) -> RunState:
        """The run's state after ``iteration`` iterations."""
        samplers = self.distinct_samplers
        return RunState(
            iteration=iteration, sampler_positions=[getattr(s, 'position', None) for s in samplers],
            sampler_signatures=[sampler_signature(s) for s in samplers],
            schedule={'steps': [list(step) for step in self.schedule.steps], 'cycle': self.schedule.cycle},
            stopper=None if self.stopper is None else self.stopper.state(), history=self.history.to_dict(),
            window={name: list(totals) for name, totals in self.window.items()},
            window_seconds=self.window_seconds, loss_reference=dict(self.guard.reference),
            best_checkpoint=self.store.relative(self.history.best_checkpoint) if self.store else None,
            model=type(self.model).__name__)

    def restore(self, prefix: str, state: RunState) -> None:
        """Continue from a checkpoint: the model, the samplers' positions, the stopper, the
        history, the loss window and the divergence references.

        Args:
            prefix: The checkpoint prefix.
            state: Its run state.

        Raises:
            CheckpointError: The checkpoint does not fit this model, or the run feeds
                other samplers or another schedule than the one that wrote it, or it was
                written by another model.
        """
        model_name = type(self.model).__name__
        if state.model is not None and state.model != model_name:
            raise CheckpointError(scoped(_SCOPE, f'{prefix} was written by a {state.model} run; this run trains '
                                                 f'{model_name}. Resume with the same model, or train {model_name} '
                                                 'in another run folder.'))
        samplers = self.distinct_samplers
        signatures = [sampler_signature(s) for s in samplers]
        if signatures != state.sampler_signatures:
            raise CheckpointError(scoped(_SCOPE, f'{prefix} was written by a run fed by {state.sampler_signatures}; '
                                                 f'this run has {signatures}. Resume with the same samplers.'))
        steps = [list(step) for step in self.schedule.steps]
        if state.schedule != {'steps': steps, 'cycle': self.schedule.cycle}:
            raise CheckpointError(scoped(_SCOPE, f'{prefix} was written with the schedule {state.schedule}; this '
                                                 f'run has {steps}. Resume with the same objective schedule.'))
        self.model.load(prefix)
        for sampler, position in zip(samplers, state.sampler_positions):
            if position is not None:
                sampler.seek(position)
        restored = TrainingHistory.from_dict(state.history)
        self.history.__dict__.update(restored.__dict__)
        self.history.best_checkpoint = self.store.absolute(state.best_checkpoint) if self.store else None
        best = self.history.best_checkpoint
        if best is not None and not os.path.exists(best + '.index'):
            raise CheckpointError(scoped(_SCOPE, f'{prefix} refers to the best checkpoint {best}, which is gone '
                                                 '(a finished run keeps only its final best); resume from the '
                                                 'latest checkpoint of the folder instead.'))
        if self.stopper is not None and state.stopper is not None:
            self.stopper.restore(state.stopper)
        self.window = {name: list(totals) for name, totals in state.window.items()}
        self.window_seconds = state.window_seconds
        self.guard.reference = dict(state.loss_reference)
        self.start_iter = state.iteration
        self.bar.start = state.iteration
        self.last_good = (prefix, state.iteration)

    # ------------------------------------------------------------------ loop
    def execute(self) -> TrainingHistory:
        """Train from :attr:`start_iter` to :attr:`total_iter` (or an early stop).

        Returns:
            The history.
        """
        history = self.history
        self.console.info(self._banner(), 'blue')
        iteration = self.start_iter
        if self.trainer.tensorboard_dir is not None:
            self.board = TensorBoardWriter(self.trainer.tensorboard_dir, getattr(self.model, 'graph', None))
        try:
            stopped = self.stopper is not None and self.stopper.should_stop  # a resumed, already stopped run
            while iteration < self.total_iter and not stopped:
                objective = self.schedule.objective_at(iteration)
                started = time.perf_counter()
                try:
                    batch = self._next_batch(self.samplers[objective])
                except StopIteration:
                    self.console.info(f'sampler of objective {objective!r} is exhausted at iteration {iteration}; '
                                      'stopping.', 'yellow')
                    break
                loss = self.model.train(batch, objective=objective)
                self.batch_rows = batch_rows(batch)
                elapsed = time.perf_counter() - started
                history.train_seconds += elapsed
                self.window_seconds += elapsed
                iteration += 1
                history.end_iter = iteration
                problem = self.guard.problem(objective, loss)
                if problem:
                    raise self._divergence_error(iteration, problem)
                if iteration % PEER_CHECK_EVERY == 0 and self._ended_elsewhere(iteration):
                    break
                for every, update in self.periodic_updates:
                    if iteration % every == 0:
                        update()
                totals = self.window.setdefault(objective, [0.0, 0])
                totals[0] += loss
                totals[1] += 1
                self.bar.update(iteration, f'{objective} loss {totals[0] / totals[1]:.4f}')
                if (self.eval_iter and iteration % self.eval_iter == 0) or iteration == self.total_iter:
                    stopped = self._evaluate_and_save(iteration)
                elif self.save_iter and iteration % self.save_iter == 0:
                    self._save_periodic(iteration)
            if iteration < self.total_iter and self.window and not self.ended_elsewhere:
                # a finite sampler ran out: close the window
                self._evaluate_and_save(iteration)
            if stopped:
                history.stopped_early = True
            self._restore_best()
            if self.store is not None and self.temp_dir is None:
                self.store.keep_only_best(self.history.best_checkpoint)
        finally:
            self.bar.close()
            if self.board is not None:
                self.board.close()
            self._cleanup()
        self._log_summary()
        return history

    def _ended_elsewhere(self, iteration: int) -> bool:
        """Whether the process that leads this model's training (a cluster's chief) has finished
        it; then this one stops too, instead of training on alone."""
        ended = getattr(self.model, 'training_ended_elsewhere', lambda: False)()
        if ended:
            self.ended_elsewhere = True
            self.console.info(f'the chief has finished training this model; stopping at iteration {iteration}.',
                              'yellow')
        return ended

    def _next_batch(self, sampler) -> dict:
        timeout = self.trainer.sampler_timeout
        return sampler.next_batch() if timeout is None else sampler.next_batch(timeout=timeout)

    def _evaluate_and_save(self, iteration: int) -> bool:
        """Log the loss window, evaluate, update early stopping, save. Returns True to stop."""
        if not self.model.parameters_finite():
            raise self._divergence_error(iteration, 'a model parameter is NaN or inf')
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
        if self.board is not None:
            self.board.scalars(iteration, {f'{name}/{key}': value for name, metrics in results.items()
                                           for key, value in metrics.items()})
            self.board.flush()
        stop = improved = False
        # A one-way schedule (AMR) is watched only in its last phase: its best state is one of that phase.
        if self.stopper is not None and self.schedule.in_final_phase(iteration - 1):
            improved = self.stopper.update(self._stop_value(window_losses, results), iteration)
            if improved:
                self._save_best(iteration)
            stop = self.stopper.should_stop
        for name, metrics in results.items():
            marker = ' *' if improved and name == self._stop_split() else ''
            self.console.step(iteration, self.history.epoch_of(iteration), [
                (f'{name}:', 'green'), (format_metrics(metrics), None),
                (f'({self.history.evaluations[-1]["seconds"]:.2f} s){marker}', None)])
        if stop:
            self.history.stopped_early = True
        if self.save_iter and iteration % self.save_iter == 0:
            self._save_periodic(iteration, checked=True)
        if stop:
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
            self._summarise_window(iteration, means, iterations)
        self.window, self.window_seconds = {}, 0.0
        return means

    def _summarise_window(self, iteration: int, means: dict[str, float], iterations: int) -> None:
        """TensorBoard scalars of a loss window: loss and learning rate per objective, examples/s."""
        if self.board is None:
            return
        rates = getattr(self.model, 'learning_rates', dict)()
        values = {f'loss/{name}': value for name, value in means.items()}
        values.update({f'learning_rate/{name}': rates.get(name) for name in means})
        if self.window_seconds > 0:
            values['examples_per_second'] = iterations * self.batch_rows / self.window_seconds
        self.board.scalars(iteration, values)

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
        """Save a rotating checkpoint with the run's state; ``checked``: the parameters were
        just found finite."""
        if self.trainer.save_dir is None:
            return
        if not checked and not self.model.parameters_finite():
            raise self._divergence_error(iteration, 'a model parameter is NaN or inf')
        # The history the state holds lists this checkpoint already, as the finished run's will.
        self.history.checkpoints.append(self.store.prefix_for(iteration))
        prefix = self.store.save(self.model, iteration, self.state(iteration))
        self.last_good = (prefix, iteration)

    def _save_best(self, iteration: int) -> None:
        """Write the best state as ``best/best-<iteration>``, outside the rotation."""
        target = self.store.save_best(self.model, iteration)
        previous = self.history.best_checkpoint
        if self.temp_dir is not None and previous and previous != target:  # nothing can resume: drop it now
            remove_checkpoint(previous)
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
        """Remove the temporary best-checkpoint folder (on success and on error alike)."""
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            self.history.best_checkpoint = None

    def _divergence_error(self, iteration: int, what: str) -> DivergenceError:
        self.bar.close()
        if self.last_good is None:
            kept = 'no checkpoint was written before it (pass save_dir and a smaller save_iter to keep one)'
        else:
            kept = (f'the last good checkpoint is {self.last_good[0]} (iteration {self.last_good[1]}); it is kept '
                    'and model.load() restores it')
        return DivergenceError(scoped(_SCOPE, f'{what} at iteration {iteration}; training stopped and the diverged '
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
