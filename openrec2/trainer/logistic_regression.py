"""The logistic-regression baseline of CTR models, on the same features as the model.

``p = sigmoid(b + sum_j w_j[id_j] + v . dense)``: every categorical column one-hot
(one weight per id, which is what a linear model over one-hot columns is) plus a
weight per dense feature. It is trained in numpy by mini-batch Adam on the mean
cross-entropy plus ``l2 / 2 * (|w|^2 + |v|^2)``, each epoch in a seeded random order;
the weights of the epoch with the best validation AUC are kept, and each L2 weight of a
small grid is tried, the best on validation winning. A feature-interaction model
(DLRM) must beat it to show that its interactions add something a linear model of the
same inputs cannot have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.ctr_examples import DENSE_KEY, SPARSE_KEY, CTRExamples
from openrec2.utils.evaluators import AUC, evaluate_labelled
from openrec2.validation import check_int, check_number_list, check_positive

_SCOPE = 'LogisticRegressionBaseline'
_ADAM_BETAS, _ADAM_EPSILON = (0.9, 0.999), 1e-8


@dataclass
class _Weights:
    """Bias, one-hot weights (all columns back to back) and dense weights."""

    bias: float
    one_hot: np.ndarray
    dense: np.ndarray

    def copy(self) -> '_Weights':
        return _Weights(self.bias, self.one_hot.copy(), self.dense.copy())


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * logits))  # stable for large |logits|


class LogisticRegressionBaseline:
    """Logistic regression over one-hot categorical and dense features, fit on a training split.

    Args:
        train: Training :class:`~openrec2.utils.ctr_examples.CTRExamples`.
        validation: Examples that choose the epoch and the L2 weight (None: the last
            epoch of the first L2 weight).
        l2_grid: L2 weights to try.
        epochs: Maximum epochs per L2 weight.
        batch_size: Rows per Adam step.
        lr: Adam learning rate.
        patience: Epochs without a better validation AUC before stopping.
        seed: Seed of the epoch orders.

    Raises:
        DataError: ``train`` has no rows, or validation has other columns.
        SettingError: A bad count, rate or L2 grid.
    """

    def __init__(self, train: CTRExamples, validation: Optional[CTRExamples] = None,
                 l2_grid: Sequence[float] = (0.0, 1e-5, 1e-4), epochs: int = 30, batch_size: int = 1024,
                 lr: float = 0.01, patience: int = 3, seed: int = 0) -> None:
        self._l2_grid = check_number_list(l2_grid, 'l2_grid', _SCOPE, minimum=0)
        self._epochs = check_int(epochs, 'epochs', _SCOPE)
        self._batch_size = check_int(batch_size, 'batch_size', _SCOPE)
        self._lr = check_positive(lr, 'lr', _SCOPE)
        self._patience = check_int(patience, 'patience', _SCOPE)
        self._seed = check_int(seed, 'seed', _SCOPE, minimum=0)
        if len(train) == 0:
            raise DataError(scoped(_SCOPE, f'{train.name!r} has no example to fit.'))
        if validation is not None and (validation.cardinalities != train.cardinalities
                                       or validation.num_dense != train.num_dense):
            raise DataError(scoped(_SCOPE, 'validation examples must have the training columns.'))
        self._offsets = np.concatenate([[0], np.cumsum(train.cardinalities)[:-1]]).astype(np.int64)
        self._width = int(np.sum(train.cardinalities))
        self.validation_auc: Optional[float] = None
        self.l2: float = self._l2_grid[0]
        self._weights = self._select(train, validation)

    # ------------------------------------------------------------------ fitting
    def _select(self, train: CTRExamples, validation: Optional[CTRExamples]) -> _Weights:
        best: Optional[tuple[float, float, _Weights]] = None
        for l2 in (self._l2_grid if validation is not None else self._l2_grid[:1]):
            auc, weights = self._fit(train, validation, l2)
            if best is None or auc > best[0]:
                best = (auc, l2, weights)
        self.validation_auc, self.l2 = (best[0] if validation is not None else None), best[1]
        return best[2]

    def _fit(self, train: CTRExamples, validation: Optional[CTRExamples], l2: float) -> tuple[float, _Weights]:
        weights = _Weights(0.0, np.zeros(self._width), np.zeros(train.num_dense))
        moments = [np.zeros(1 + self._width + train.num_dense) for _ in range(2)]
        ids = train.sparse.astype(np.int64) + self._offsets
        best_auc, best, waited, step = -np.inf, weights.copy(), 0, 0
        for epoch in range(self._epochs):
            order = np.random.default_rng([self._seed, epoch]).permutation(len(train))
            for start in range(0, len(train), self._batch_size):
                rows = order[start:start + self._batch_size]
                step += 1
                self._adam_step(weights, moments, step, ids[rows], train.dense[rows], train.label[rows], l2)
            if validation is None:
                best = weights
                continue
            auc = evaluate_labelled(self._predict(weights, validation.inputs()), validation.label, [AUC()])['AUC']
            if auc > best_auc:
                best_auc, best, waited = auc, weights.copy(), 0
            else:
                waited += 1
                if waited >= self._patience:
                    break
        return best_auc, best

    def _adam_step(self, weights: _Weights, moments: list, step: int, ids: np.ndarray, dense: np.ndarray,
                   labels: np.ndarray, l2: float) -> None:
        rows = len(labels)
        error = (_sigmoid(self._logits(weights, ids, dense)) - labels) / rows  # d mean-CE / d logit
        grad_one_hot = np.bincount(ids.ravel(), weights=np.repeat(error, ids.shape[1]), minlength=self._width)
        gradient = np.concatenate([[error.sum()], grad_one_hot + l2 * weights.one_hot,
                                   dense.T @ error + l2 * weights.dense])
        first, second = moments
        first *= _ADAM_BETAS[0]
        first += (1 - _ADAM_BETAS[0]) * gradient
        second *= _ADAM_BETAS[1]
        second += (1 - _ADAM_BETAS[1]) * gradient ** 2
        scale = self._lr * np.sqrt(1 - _ADAM_BETAS[1] ** step) / (1 - _ADAM_BETAS[0] ** step)
        update = scale * first / (np.sqrt(second) + _ADAM_EPSILON)
        weights.bias -= update[0]
        weights.one_hot -= update[1:1 + self._width]
        weights.dense -= update[1 + self._width:]

    # ------------------------------------------------------------------ scoring
    def _logits(self, weights: _Weights, ids: np.ndarray, dense: np.ndarray) -> np.ndarray:
        return weights.bias + weights.one_hot[ids].sum(axis=1) + dense @ weights.dense

    def _predict(self, weights: _Weights, batch: dict) -> np.ndarray:
        ids = np.asarray(batch[SPARSE_KEY], dtype=np.int64) + self._offsets
        return _sigmoid(self._logits(weights, ids, np.asarray(batch[DENSE_KEY], dtype=np.float64)))

    def predict(self, batch: dict) -> np.ndarray:
        """Click probabilities of a batch of CTR inputs.

        Args:
            batch: ``{'dense_features': [n, D], 'sparse_features': [n, C], ...}`` (as
                :meth:`CTRExamples.inputs` or a labelled evaluation sampler gives it).

        Returns:
            float64 ``[n]`` probabilities.
        """
        return self._predict(self._weights, batch)

    def scorer(self) -> Callable[[dict], np.ndarray]:
        """A ``score_fn`` for :func:`~openrec2.utils.evaluators.evaluate_with_scorer` (labelled samplers)."""
        return self.predict
