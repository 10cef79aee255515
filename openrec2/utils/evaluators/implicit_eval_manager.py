"""Legacy OpenRec's per-user evaluation manager, over openrec2's evaluation functions.

Legacy scripts call ``ImplicitEvalManager(evaluators).full_eval(pos_samples,
excl_pos_samples, predictions)`` (one user, scores of every item) or
``partial_eval(pos_scores, neg_scores)`` and average the returned per-user values
themselves. The same calls work here:

* openrec2 evaluators (``AUC()``, ``Recall(recall_at=[10, 20])``, ...) are computed by
  :func:`~openrec2.utils.evaluators.evaluate` / :func:`evaluate_sampled` with their
  standard definitions; a metric with several cut-offs returns one value per cut-off,
  in cut-off order, as the legacy metrics returned arrays;
* legacy evaluators (``Evaluator('rank', name)`` subclasses with ``compute``) get
  ``compute(rank_above, negative_num)`` exactly as legacy OpenRec computed them: in
  ``full_eval`` every item outside ``excl_pos_samples`` competes with each positive.

Only ranking evaluators take part, as in legacy OpenRec.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from openrec2.errors import ShapeError, UnknownOptionError, scoped
from openrec2.utils.evaluators.evaluate import evaluate, evaluate_sampled
from openrec2.utils.evaluators.evaluator import Evaluator

_SCOPE = 'ImplicitEvalManager'


class ImplicitEvalManager:
    """Evaluate one user at a time with ranking evaluators (the legacy OpenRec interface).

    Args:
        evaluators: Evaluators; those that are not ranking metrics are skipped, as the
            legacy manager skipped every ``etype`` other than ``'rank'``.

    Raises:
        UnknownOptionError: An element is not an :class:`Evaluator`.
    """

    def __init__(self, evaluators: Sequence[Evaluator] = ()) -> None:
        self.evaluators = list(evaluators)
        for evaluator in self.evaluators:
            if not isinstance(evaluator, Evaluator):
                raise UnknownOptionError(scoped(_SCOPE, f'{evaluator!r} is not an Evaluator; pass instances such '
                                                'as AUC() or Recall(recall_at=[10]).'))

    @property
    def _ranking(self) -> list[Evaluator]:
        return [e for e in self.evaluators if e.ranking]

    def full_eval(self, pos_samples, excl_pos_samples, predictions) -> dict:
        """Metrics of one user from the scores of every item.

        Args:
            pos_samples: The user's positive item ids.
            excl_pos_samples: Item ids left out of the ranking (training items; legacy
                callers also list the positives themselves here).
            predictions: Scores of every item, ``[max_item]``.

        Returns:
            ``{evaluator name: value}`` (an array for several cut-offs or a vector
            ``compute`` result).

        Raises:
            ShapeError: ``predictions`` is not 1-D, or an item id is out of range.
        """
        predictions = self._vector(predictions, 'predictions')
        positives = self._ids(pos_samples, predictions.size, 'pos_samples')
        excluded = self._ids(excl_pos_samples, predictions.size, 'excl_pos_samples')
        results = {}
        modern = [e for e in self._ranking if not e.legacy]
        if modern and positives.size:
            values = evaluate(predictions[None, :], [positives], [np.setdiff1d(excluded, positives)],
                              evaluators=modern, num_threads=1)
            results.update(self._group(modern, values))
        legacy = [e for e in self._ranking if e.legacy]
        if legacy:
            competing = np.ones(predictions.size, dtype=bool)
            competing[excluded] = False
            results.update(self._legacy(legacy, predictions[positives], predictions[competing],
                                        predictions.size - excluded.size))
        return results

    def partial_eval(self, pos_scores, neg_scores) -> dict:
        """Metrics of one user from the scores of their positives and sampled negatives.

        Args:
            pos_scores: Scores of the user's positive items.
            neg_scores: Scores of the sampled negative items.

        Returns:
            ``{evaluator name: value}``, as :meth:`full_eval`.

        Raises:
            ShapeError: The scores are not 1-D.
        """
        pos_scores = self._vector(pos_scores, 'pos_scores')
        neg_scores = self._vector(neg_scores, 'neg_scores')
        results = {}
        modern = [e for e in self._ranking if not e.legacy]
        if modern and pos_scores.size:
            num_positive, total = pos_scores.size, pos_scores.size + neg_scores.size
            values = evaluate_sampled([np.concatenate([pos_scores, neg_scores])], [np.arange(total)],
                                      [np.arange(num_positive)], evaluators=modern, num_threads=1)
            results.update(self._group(modern, values))
        legacy = [e for e in self._ranking if e.legacy]
        if legacy:
            results.update(self._legacy(legacy, pos_scores, neg_scores, neg_scores.size))
        return results

    @staticmethod
    def _group(evaluators: list[Evaluator], values) -> dict:
        """openrec2 results as the legacy manager returned them: one entry per evaluator."""
        grouped = {}
        for evaluator in evaluators:
            keys = evaluator.keys()
            grouped[evaluator.name] = values[keys[0]] if len(keys) == 1 else np.array([values[k] for k in keys])
        return grouped

    @staticmethod
    def _legacy(evaluators: list[Evaluator], pos_scores: np.ndarray, competing: np.ndarray,
                negative_num: int) -> dict:
        """Legacy ``compute(rank_above, negative_num)``: competitors scored strictly above each positive."""
        ordered = np.sort(competing)
        rank_above = (ordered.size - np.searchsorted(ordered, pos_scores, side='right')).astype(np.float64)
        return {e.name: e.compute(rank_above=rank_above, negative_num=negative_num) for e in evaluators}

    @staticmethod
    def _vector(values, what: str) -> np.ndarray:
        array = np.asarray(values, dtype=np.float64)
        if array.ndim != 1:
            raise ShapeError(scoped(_SCOPE, f'{what} must be one score per item (1-D), got shape {array.shape}.'))
        return array

    @staticmethod
    def _ids(values, num_items: int, what: str) -> np.ndarray:
        ids = np.unique(np.asarray(list(values), dtype=np.int64))
        if ids.size and (ids.min() < 0 or ids.max() >= num_items):
            raise ShapeError(scoped(_SCOPE, f'{what} holds item ids outside [0, {num_items}) (the length of '
                                    f'predictions): min {int(ids.min())}, max {int(ids.max())}.'))
        return ids
