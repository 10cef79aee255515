"""Evaluation runner: drive a scoring function over an evaluation sampler.

The trainer evaluates a model without knowing TensorFlow through
:func:`evaluate_with_scorer`. The scoring function receives the sampler's batches,
which are dicts keyed by model input names, so a recommender's ``serve`` method can be
passed as it is:

* full ranking: ``score_fn({'user_id': int32[B]})`` returns ``[B, max_item]`` scores
  of every item for those users;
* sampled ranking: ``score_fn({'user_id': int32[M], 'item_id': int32[M]})`` returns
  ``[M]`` scores of those (user, item) pairs.

Any callable following this contract works (a numpy matrix product, another
library's model).
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np

from openrec2.errors import ShapeError, scoped
from openrec2.utils.evaluators.evaluate import evaluate, evaluate_sampled
from openrec2.utils.evaluators.evaluator import Evaluator
from openrec2.utils.evaluators.results import MetricResults

ScoreFunction = Callable[[dict], np.ndarray]


def evaluate_with_scorer(score_fn: ScoreFunction, eval_sampler,
                         evaluators: Optional[Sequence[Evaluator]] = None,
                         num_threads: Optional[int] = None) -> MetricResults:
    """Score every batch of one pass of ``eval_sampler`` and evaluate the scores.

    Args:
        score_fn: ``batch dict -> scores`` as described in the module docstring (e.g.
            ``model.serve``).
        eval_sampler: An :class:`~openrec2.utils.samplers.EvaluationSampler` (or any
            object with its ``sampled``, ``max_item``, ``batch_size``, item-list
            attributes and one-pass iteration).
        evaluators: Ranking evaluators; default
            :func:`~openrec2.utils.evaluators.default_ranking_evaluators`.
        num_threads: Threads ranking blocks while ``score_fn`` scores the next batch
            (``None``: ``min(2, cpu count)``); results do not depend on it.

    Returns:
        :class:`~openrec2.utils.evaluators.MetricResults`.

    Raises:
        ShapeError: ``score_fn`` returned scores of the wrong shape.
        DataError: Scores hold NaN.
    """
    if eval_sampler.sampled:
        pair_scores = []
        for batch in eval_sampler:
            scores = np.asarray(score_fn(batch))
            if scores.size != batch['item_id'].size:
                raise ShapeError(scoped('evaluate_with_scorer', f'score_fn returned {scores.shape} scores for '
                                        f'{batch["item_id"].size} (user, item) pairs; return one score per pair.'))
            pair_scores.append(scores.ravel())
        flat = np.concatenate(pair_scores) if pair_scores else np.zeros(0)
        return evaluate_sampled(flat, eval_sampler.candidate_items, eval_sampler.positive_items,
                                evaluators, batch_size=eval_sampler.batch_size, num_threads=num_threads)
    return evaluate(_full_score_blocks(score_fn, eval_sampler), eval_sampler.test_items,
                    eval_sampler.excluded_items, evaluators, batch_size=eval_sampler.batch_size,
                    num_items=eval_sampler.max_item, num_threads=num_threads)


def _full_score_blocks(score_fn: ScoreFunction, eval_sampler):
    """Yield ``(user_ids, [B, max_item] scores)`` for every batch of one pass."""
    for batch in eval_sampler:
        users = batch['user_id']
        scores = np.asarray(score_fn(batch))
        if scores.shape != (users.size, eval_sampler.max_item):
            raise ShapeError(scoped('evaluate_with_scorer', f'score_fn returned shape {scores.shape} for '
                                    f'{users.size} users; full ranking needs [{users.size}, '
                                    f'{eval_sampler.max_item}] (a score for every item id).'))
        yield users, scores
