"""The history :class:`~openrec2.ModelTrainer` returns: losses, metrics and timings.

Losses are kept per window of iterations (the mean loss of each objective between two
log points); metrics per evaluation with the iteration (and epoch) they were taken
at, so learning curves plot directly::

    iterations, ndcg = history.metric('NDCG@10', split='validation')
    iterations, loss = history.loss_curve()
"""

from __future__ import annotations

from typing import Any, Optional

from openrec2.errors import UnknownOptionError, scoped


class TrainingHistory:
    """What happened during one call of ``ModelTrainer.train``.

    Attributes:
        losses: One dict per loss window: ``{'iteration': last iteration of the window,
            'num_iters': iterations in it, 'objective': name, 'loss': mean loss,
            'epoch': epoch at the window's end or None}``.
        evaluations: One dict per (evaluation, split): ``{'iteration', 'epoch',
            'split', 'metrics': {key: value}, 'seconds', 'collapsed'}`` (``collapsed``:
            the model's scores were the same for every item, so the metrics only
            reflect the tie-breaking order).
        checkpoints: Prefixes of the periodic checkpoints written, in order.
        start_iter: Iteration the run started from.
        end_iter: Iteration the run ended at (earlier than asked when it stopped early).
        stopped_early: Whether early stopping ended the run.
        best_iteration: Iteration of the best early-stopping evaluation (or None).
        best_value: Its metric value (or None).
        best_checkpoint: Checkpoint prefix restored at the end (or None).
        train_seconds: Wall time spent in training steps (sampling included).
        eval_seconds: Wall time spent evaluating.
        batches_per_epoch: Iterations per epoch of the training sampler, or None.
    """

    def __init__(self, start_iter: int = 0, batches_per_epoch: Optional[int] = None) -> None:
        self.losses: list[dict[str, Any]] = []
        self.evaluations: list[dict[str, Any]] = []
        self.checkpoints: list[str] = []
        self.start_iter = int(start_iter)
        self.end_iter = int(start_iter)
        self.stopped_early = False
        self.best_iteration: Optional[int] = None
        self.best_value: Optional[float] = None
        self.best_checkpoint: Optional[str] = None
        self.train_seconds = 0.0
        self.eval_seconds = 0.0
        self.batches_per_epoch = batches_per_epoch

    # ------------------------------------------------------------------ recording
    def epoch_of(self, iteration: int) -> Optional[float]:
        """Epochs done after ``iteration`` iterations (None without an epoch size).

        Args:
            iteration: Iterations completed.

        Returns:
            ``iteration / batches_per_epoch`` or None.
        """
        return None if not self.batches_per_epoch else iteration / self.batches_per_epoch

    def add_loss(self, iteration: int, objective: str, loss: float, num_iters: int) -> None:
        """Record the mean loss of one objective over a window.

        Args:
            iteration: Last iteration of the window.
            objective: Objective name.
            loss: Mean loss over the window.
            num_iters: Iterations of that objective in the window.
        """
        self.losses.append({'iteration': int(iteration), 'num_iters': int(num_iters), 'objective': objective,
                            'loss': float(loss), 'epoch': self.epoch_of(iteration)})

    def add_evaluation(self, iteration: int, split: str, metrics: dict, seconds: float) -> None:
        """Record the metrics of one split at one evaluation.

        Args:
            iteration: Iteration of the evaluation.
            split: Name of the evaluated split.
            metrics: ``{metric key: value}``.
            seconds: Time the evaluation took.
        """
        self.evaluations.append({'iteration': int(iteration), 'epoch': self.epoch_of(iteration), 'split': split,
                                 'metrics': {k: float(v) for k, v in metrics.items()},
                                 'seconds': float(seconds),
                                 'collapsed': bool(getattr(metrics, 'collapsed', False))})

    # ------------------------------------------------------------------ reading
    @property
    def splits(self) -> list[str]:
        """Names of the evaluated splits, in order of first evaluation."""
        return list(dict.fromkeys(e['split'] for e in self.evaluations))

    @property
    def iterations_run(self) -> int:
        """Iterations trained in this run."""
        return self.end_iter - self.start_iter

    @property
    def seconds_per_epoch(self) -> Optional[float]:
        """Training seconds per epoch (None without an epoch size or iterations)."""
        if not self.batches_per_epoch or not self.iterations_run:
            return None
        return self.train_seconds * self.batches_per_epoch / self.iterations_run

    @property
    def seconds_per_evaluation(self) -> Optional[float]:
        """Mean seconds of one evaluation of one split (None without evaluations)."""
        if not self.evaluations:
            return None
        return sum(e['seconds'] for e in self.evaluations) / len(self.evaluations)

    def metric(self, key: str, split: Optional[str] = None) -> tuple[list[int], list[float]]:
        """Learning curve of one metric.

        Args:
            key: Metric key, e.g. ``'Recall@20'``.
            split: Split name; default the first evaluated split.

        Returns:
            ``(iterations, values)``.

        Raises:
            UnknownOptionError: Unknown split or metric.
        """
        split = self._split(split)
        rows = [e for e in self.evaluations if e['split'] == split]
        if rows and key not in rows[0]['metrics']:
            raise UnknownOptionError(scoped('TrainingHistory', f'no metric {key!r} for split {split!r}; have '
                                                               f'{sorted(rows[0]["metrics"])}.'))
        return [e['iteration'] for e in rows], [e['metrics'][key] for e in rows]

    def last_metrics(self, split: Optional[str] = None) -> dict[str, float]:
        """Metrics of the last evaluation of a split (empty dict if never evaluated).

        Args:
            split: Split name; default the first evaluated split.

        Returns:
            ``{metric key: value}``.

        Raises:
            UnknownOptionError: Unknown split.
        """
        if not self.evaluations:
            return {}
        split = self._split(split)
        return dict([e for e in self.evaluations if e['split'] == split][-1]['metrics'])

    def loss_curve(self, objective: Optional[str] = None) -> tuple[list[int], list[float]]:
        """Mean loss per window of one objective.

        Args:
            objective: Objective name; default the first one recorded.

        Returns:
            ``(iterations, mean losses)``.
        """
        if objective is None and self.losses:
            objective = self.losses[0]['objective']
        rows = [r for r in self.losses if r['objective'] == objective]
        return [r['iteration'] for r in rows], [r['loss'] for r in rows]

    def to_dict(self) -> dict[str, Any]:
        """Plain-data copy (JSON-serialisable).

        Returns:
            Dict of every attribute.
        """
        return {'losses': list(self.losses), 'evaluations': list(self.evaluations),
                'checkpoints': list(self.checkpoints), 'start_iter': self.start_iter, 'end_iter': self.end_iter,
                'stopped_early': self.stopped_early, 'best_iteration': self.best_iteration,
                'best_value': self.best_value, 'best_checkpoint': self.best_checkpoint,
                'train_seconds': self.train_seconds, 'eval_seconds': self.eval_seconds,
                'batches_per_epoch': self.batches_per_epoch, 'seconds_per_epoch': self.seconds_per_epoch}

    #: Columns of :meth:`csv_rows` / :meth:`write_csv`.
    CSV_COLUMNS = ('kind', 'iteration', 'epoch', 'part', 'name', 'value')

    def csv_rows(self) -> list[dict[str, Any]]:
        """One row per loss window and per metric of each evaluation, for a spreadsheet.

        Returns:
            Dicts with :attr:`CSV_COLUMNS`: ``kind`` is ``'loss'`` (``part`` = objective,
            ``name`` = ``'loss'``) or ``'metric'`` (``part`` = split, ``name`` = metric key).
        """
        rows = [{'kind': 'loss', 'iteration': r['iteration'], 'epoch': r['epoch'], 'part': r['objective'],
                 'name': 'loss', 'value': r['loss']} for r in self.losses]
        rows += [{'kind': 'metric', 'iteration': e['iteration'], 'epoch': e['epoch'], 'part': e['split'],
                  'name': key, 'value': value} for e in self.evaluations for key, value in e['metrics'].items()]
        return sorted(rows, key=lambda row: (row['iteration'], row['kind']))

    def write_csv(self, path: str) -> None:
        """Write :meth:`csv_rows` as a CSV file with a header line.

        Args:
            path: The file to write.
        """
        import csv
        with open(path, 'w', newline='', encoding='utf-8') as handle:
            writer = csv.DictWriter(handle, fieldnames=self.CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(self.csv_rows())

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> 'TrainingHistory':
        """The history :meth:`to_dict` wrote (a resumed run continues it).

        Args:
            values: A dict of :meth:`to_dict`.

        Returns:
            The :class:`TrainingHistory`.
        """
        history = cls(values['start_iter'], values['batches_per_epoch'])
        for name in ('losses', 'evaluations', 'checkpoints', 'end_iter', 'stopped_early', 'best_iteration',
                     'best_value', 'best_checkpoint', 'train_seconds', 'eval_seconds'):
            setattr(history, name, values[name])
        return history

    def _split(self, split: Optional[str]) -> str:
        splits = self.splits
        if split is None:
            if not splits:
                raise UnknownOptionError(scoped('TrainingHistory', 'nothing was evaluated in this run.'))
            return splits[0]
        if split not in splits:
            raise UnknownOptionError(scoped('TrainingHistory', f'no evaluation of split {split!r}; have {splits}.'))
        return split

    def __repr__(self) -> str:
        return (f'TrainingHistory(iterations {self.start_iter}->{self.end_iter}, {len(self.losses)} loss windows, '
                f'{len(self.evaluations)} evaluations, stopped_early={self.stopped_early}, '
                f'best_iteration={self.best_iteration})')
