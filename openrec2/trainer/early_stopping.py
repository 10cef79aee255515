"""Early stopping on a named metric, with patience counted in evaluations.

Higher values are better unless the metric is loss-like (its name contains ``loss``,
``mse`` or ``rmse``, e.g. the training ``'loss'``, ``'LogLoss'``, ``'RMSE'``) or the
caller says otherwise.
"""

from __future__ import annotations

import math
from typing import Optional

from openrec2.errors import UnknownOptionError, scoped
from openrec2.validation import check_int, check_non_negative

_SCOPE = 'ModelTrainer'
_LOWER_IS_BETTER_MARKERS = ('loss', 'mse', 'rmse')


def lower_is_better(metric: str) -> bool:
    """Whether a metric name looks loss-like (smaller is better).

    Args:
        metric: Metric key, e.g. ``'NDCG@10'`` or ``'loss'``.

    Returns:
        True for names containing ``loss``, ``mse`` or ``rmse`` (any case).
    """
    lowered = metric.lower()
    return any(marker in lowered for marker in _LOWER_IS_BETTER_MARKERS)


class EarlyStopping:
    """Track the best value of a metric and say when to stop.

    Args:
        metric: Metric key of the evaluation results (``'NDCG@10'``), or ``'loss'`` for
            the mean training loss of each evaluation window.
        patience: Evaluations without improvement after which training stops.
        higher_is_better: Direction; ``None`` infers it with :func:`lower_is_better`.
        min_delta: Smallest change that counts as an improvement.

    Raises:
        SettingError: ``patience`` is not an integer >= 1 or ``min_delta`` < 0.
    """

    def __init__(self, metric: str, patience: int = 5, higher_is_better: Optional[bool] = None,
                 min_delta: float = 0.0) -> None:
        self.metric = metric
        self.patience = check_int(patience, 'patience', _SCOPE)
        self.higher_is_better = (not lower_is_better(metric)) if higher_is_better is None else bool(higher_is_better)
        self.min_delta = check_non_negative(min_delta, 'min_delta', _SCOPE)
        self.best_value: Optional[float] = None
        self.best_iteration: Optional[int] = None
        self.bad_evaluations = 0

    def update(self, value: float, iteration: int) -> bool:
        """Record one evaluation.

        Args:
            value: The metric's value (NaN never improves).
            iteration: Iteration of the evaluation.

        Returns:
            Whether the value is a new best.
        """
        value = float(value)
        improved = not math.isnan(value) and (
            self.best_value is None
            or (value > self.best_value + self.min_delta if self.higher_is_better
                else value < self.best_value - self.min_delta))
        if improved:
            self.best_value, self.best_iteration, self.bad_evaluations = value, int(iteration), 0
        else:
            self.bad_evaluations += 1
        return improved

    def state(self) -> dict:
        """What a checkpoint keeps of the stopper: best value and iteration, evaluations
        without improvement.

        Returns:
            A JSON-serialisable dict.
        """
        return {'metric': self.metric, 'best_value': self.best_value, 'best_iteration': self.best_iteration,
                'bad_evaluations': self.bad_evaluations}

    def restore(self, state: dict) -> None:
        """Continue from a :meth:`state` of a stopper on the same metric.

        Args:
            state: The saved state.

        Raises:
            UnknownOptionError: The state watched another metric.
        """
        if state['metric'] != self.metric:
            raise UnknownOptionError(scoped(_SCOPE, f'the checkpoint\'s early stopping watched '
                                                    f'{state["metric"]!r}, this run {self.metric!r}; resume with '
                                                    'the same early_stop_metric.'))
        self.best_value, self.best_iteration = state['best_value'], state['best_iteration']
        self.bad_evaluations = int(state['bad_evaluations'])

    @property
    def should_stop(self) -> bool:
        """True once ``patience`` evaluations in a row brought no improvement."""
        return self.bad_evaluations >= self.patience

    def __repr__(self) -> str:
        direction = 'max' if self.higher_is_better else 'min'
        return (f'EarlyStopping(metric={self.metric!r}, {direction}, patience={self.patience}, '
                f'best={self.best_value} at {self.best_iteration})')
