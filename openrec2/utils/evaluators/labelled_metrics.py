"""Metrics on labelled examples (CTR / explicit feedback): MSE, RMSE, LogLoss.

Each compares one prediction with one label per example and averages over examples:

* ``MSE = mean((prediction - label)^2)``, ``RMSE = sqrt(MSE)`` for any real labels;
* ``LogLoss = -mean(y log p + (1 - y) log(1 - p))`` for 0/1 labels and probabilities
  ``p`` in [0, 1], clipped to ``[1e-7, 1 - 1e-7]`` so that a confident mistake costs
  ``-log(1e-7)`` instead of infinity.

The global AUC of labelled data lives with :class:`~openrec2.utils.evaluators.AUC`.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.evaluators.evaluator import Evaluator

LOGLOSS_EPSILON = 1e-7


def check_binary_labels(labels: np.ndarray, metric: str) -> None:
    """Raise unless every label is 0 or 1.

    Args:
        labels: float64 array of labels.
        metric: Metric name for the message.

    Raises:
        DataError: A label is neither 0 nor 1.
    """
    bad = (labels != 0) & (labels != 1)
    if bad.any():
        raise DataError(scoped('evaluators', f'{metric} needs 0/1 labels; found {labels[bad][0]!r}. '
                               'Binarise the labels (e.g. rating >= 4) or use MSE/RMSE for graded ones.'))


class MSE(Evaluator):
    """Mean squared error between predictions and labels.

    Args:
        name: Result key (default ``'MSE'``; legacy ``name=``).
    """

    name = 'MSE'
    labelled = True

    def __init__(self, name: Optional[str] = None) -> None:
        super().__init__(name=name)

    def labelled_values(self, predictions: np.ndarray, labels: np.ndarray) -> dict[str, float]:
        """See :meth:`Evaluator.labelled_values`."""
        return {self.name: float(np.mean((predictions - labels) ** 2))}


class RMSE(Evaluator):
    """Root mean squared error between predictions and labels.

    Args:
        name: Result key (default ``'RMSE'``; legacy ``name=``).
    """

    name = 'RMSE'
    labelled = True

    def __init__(self, name: Optional[str] = None) -> None:
        super().__init__(name=name)

    def labelled_values(self, predictions: np.ndarray, labels: np.ndarray) -> dict[str, float]:
        """See :meth:`Evaluator.labelled_values`."""
        return {self.name: float(np.sqrt(np.mean((predictions - labels) ** 2)))}


class LogLoss(Evaluator):
    """Binary cross-entropy of predicted probabilities (clipped at 1e-7).

    Args:
        name: Result key (default ``'LogLoss'``; legacy ``name=``).
    """

    name = 'LogLoss'
    labelled = True

    def __init__(self, name: Optional[str] = None) -> None:
        super().__init__(name=name)

    def labelled_values(self, predictions: np.ndarray, labels: np.ndarray) -> dict[str, float]:
        """See :meth:`Evaluator.labelled_values`.

        Raises:
            DataError: A label is not 0/1, or a prediction lies outside [0, 1] (logits
                given instead of probabilities).
        """
        check_binary_labels(labels, self.name)
        if predictions.size and (predictions.min() < 0 or predictions.max() > 1):
            raise DataError(scoped('evaluators', f'LogLoss needs probabilities in [0, 1]; predictions range '
                                   f'[{predictions.min():.4g}, {predictions.max():.4g}]. Apply a sigmoid '
                                   'to logits first.'))
        p = np.clip(predictions, LOGLOSS_EPSILON, 1.0 - LOGLOSS_EPSILON)
        return {self.name: float(-np.mean(labels * np.log(p) + (1.0 - labels) * np.log1p(-p)))}
