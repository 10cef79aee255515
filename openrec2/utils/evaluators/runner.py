"""Evaluation runner: drive a scoring function over an evaluation sampler.

The trainer evaluates a model without knowing TensorFlow through
:func:`evaluate_with_scorer`. The scoring function receives the sampler's batches,
which are dicts keyed by model input names, so a recommender's ``serve`` method can be
passed as it is:

* full ranking: ``score_fn({'user_id': int32[B]})`` returns ``[B, max_item]`` scores
  of every item for those users;
* sampled ranking: ``score_fn({'user_id': int32[M], 'item_id': int32[M], ...})`` returns
  ``[M]`` scores of those (user, item) pairs (batches may carry more inputs, e.g. the
  behaviour histories of sequence models);
* labelled examples (a sampler with ``labelled = True``): ``score_fn(inputs)`` returns
  one prediction per example, evaluated against the sampler's ``labels``.

Any callable following this contract works (a numpy matrix product, another
library's model). The runner also measures how much the scores vary across each
user's candidates, so that results of a model whose scores collapsed to a constant
say so (:attr:`MetricResults.collapsed`).
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np

from openrec2.errors import ShapeError, scoped
from openrec2.utils.evaluators.evaluate import evaluate, evaluate_labelled, evaluate_sampled
from openrec2.utils.evaluators.evaluator import Evaluator
from openrec2.utils.evaluators.results import MetricResults

ScoreFunction = Callable[[dict], np.ndarray]
_SCOPE = 'evaluate_with_scorer'


def evaluate_with_scorer(score_fn: ScoreFunction, eval_sampler,
                         evaluators: Optional[Sequence[Evaluator]] = None,
                         num_threads: Optional[int] = None) -> MetricResults:
    """Score every batch of one pass of ``eval_sampler`` and evaluate the scores.

    Args:
        score_fn: ``batch dict -> scores`` as described in the module docstring (e.g.
            ``model.serve``).
        eval_sampler: An :class:`~openrec2.utils.samplers.EvaluationSampler`, a
            :class:`~openrec2.utils.samplers.CandidateEvaluationSampler`, a
            :class:`~openrec2.utils.samplers.LabelledEvaluationSampler`, or any object
            with their ``sampled`` / ``labelled`` attributes, item lists or labels and
            one-pass iteration.
        evaluators: Evaluators; default
            :func:`~openrec2.utils.evaluators.default_ranking_evaluators` for rankings.
            Labelled samplers take labelled evaluators (AUC, LogLoss, MSE, RMSE;
            default AUC and LogLoss).
        num_threads: Threads ranking blocks while ``score_fn`` scores the next batch
            (``None``: ``min(2, cpu count)``); results do not depend on it.

    Returns:
        :class:`~openrec2.utils.evaluators.MetricResults` with the measured score
        spread attached.

    Raises:
        ShapeError: ``score_fn`` returned scores of the wrong shape.
        DataError: Scores hold NaN.
    """
    if getattr(eval_sampler, 'labelled', False):
        return _evaluate_labelled(score_fn, eval_sampler, evaluators)
    if eval_sampler.sampled:
        return _evaluate_sampled(score_fn, eval_sampler, evaluators, num_threads)
    spread = _Spread()
    results = evaluate(_full_score_blocks(score_fn, eval_sampler, spread), eval_sampler.test_items,
                       eval_sampler.excluded_items, evaluators, batch_size=eval_sampler.batch_size,
                       num_items=eval_sampler.max_item, num_threads=num_threads)
    return results.with_spread(spread.largest, spread.scale)


class _Spread:
    """Running maximum of per-row score spreads and of the absolute scores."""

    def __init__(self) -> None:
        self.largest = 0.0
        self.scale = 0.0

    def add_rows(self, block: np.ndarray) -> None:
        if block.size:
            high, low = block.max(axis=1), block.min(axis=1)
            self.largest = max(self.largest, float(np.max(high - low)))
            self.scale = max(self.scale, float(np.max(np.abs(high))), float(np.max(np.abs(low))))


def _evaluate_sampled(score_fn: ScoreFunction, eval_sampler, evaluators, num_threads) -> MetricResults:
    pair_scores = []
    for batch in eval_sampler:
        scores = np.asarray(score_fn(batch))
        if scores.size != batch['item_id'].size:
            raise ShapeError(scoped(_SCOPE, f'score_fn returned {scores.shape} scores for {batch["item_id"].size} '
                                    '(user, item) pairs; return one score per pair.'))
        pair_scores.append(scores.ravel())
    flat = np.concatenate(pair_scores) if pair_scores else np.zeros(0)
    results = evaluate_sampled(flat, eval_sampler.candidate_items, eval_sampler.positive_items, evaluators,
                               batch_size=eval_sampler.batch_size, num_threads=num_threads)
    candidates = eval_sampler.candidate_items
    starts = candidates.indptr[:-1][candidates.lengths > 0]
    if flat.size and np.issubdtype(flat.dtype, np.number):
        # Per-user spread over the candidates: the flat scores follow the candidate lists row by row.
        spread = float(np.max(np.maximum.reduceat(flat, starts) - np.minimum.reduceat(flat, starts)))
        results.with_spread(spread, float(np.max(np.abs(flat))))
    return results


def _evaluate_labelled(score_fn: ScoreFunction, eval_sampler, evaluators) -> MetricResults:
    from openrec2.utils.evaluators.auc import AUC
    from openrec2.utils.evaluators.labelled_metrics import LogLoss
    evaluators = [AUC(), LogLoss()] if evaluators is None else list(evaluators)
    predictions = [np.asarray(score_fn(batch)).ravel() for batch in eval_sampler]
    flat = np.concatenate(predictions) if predictions else np.zeros(0)
    results = evaluate_labelled(flat, eval_sampler.labels, evaluators)
    return results.with_spread(float(np.ptp(flat)), float(np.max(np.abs(flat))))


def _full_score_blocks(score_fn: ScoreFunction, eval_sampler, spread: _Spread):
    """Yield ``(user_ids, [B, max_item] scores)`` for every batch of one pass."""
    for batch in eval_sampler:
        users = batch['user_id']
        scores = np.asarray(score_fn(batch))
        if scores.shape != (users.size, eval_sampler.max_item):
            raise ShapeError(scoped(_SCOPE, f'score_fn returned shape {scores.shape} for {users.size} users; full '
                                    f'ranking needs [{users.size}, {eval_sampler.max_item}] (a score for every '
                                    'item id).'))
        if np.issubdtype(scores.dtype, np.number):
            spread.add_rows(scores)
        yield users, scores
