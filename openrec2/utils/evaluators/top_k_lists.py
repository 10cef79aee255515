"""The top-K recommendation lists behind a full-ranking evaluation.

:func:`~openrec2.utils.evaluators.evaluate_with_scorer` reduces rankings to averages;
:func:`top_k_lists` keeps the lists themselves: for every user of a full-ranking
evaluation sampler, the ``k`` best items of a scoring function with the sampler's
excluded items (the user's training items) left out, ranked exactly as the metrics rank
them (score descending, ties to the lower item id). The lists are what per-user and
per-group analyses need: hits of each user, the items a group is shown, and the
exposure measures of :mod:`openrec2.utils.evaluators.exposure`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from openrec2.errors import DTypeError, ShapeError, scoped
from openrec2.utils.evaluators.ranking import mask_scores, top_k_indices

_SCOPE = 'top_k_lists'


def top_k_lists(score_fn: Callable[[dict], np.ndarray], eval_sampler, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` items of every user of one pass of a full-ranking evaluation sampler.

    Args:
        score_fn: ``batch -> [B, max_item]`` scores (e.g. ``model.serve``, or
            :func:`~openrec2.trainer.popularity_scorer`).
        eval_sampler: A full-ranking sampler (:class:`~openrec2.utils.samplers.EvaluationSampler`,
            :class:`~openrec2.utils.samplers.TemporalEvaluationSampler`, ...): its
            batches carry ``user_id`` and its ``excluded_items`` leave the ranking.
        k: List length (positive).

    Returns:
        ``(users, lists)``: int32 ``[n]`` user ids in the sampler's order and int64
        ``[n, k]`` item ids, best first (``-1`` pads a user with fewer than ``k``
        candidates).

    Raises:
        DTypeError: ``eval_sampler`` is a sampled or labelled sampler.
        ShapeError: ``k`` is not a positive integer, or ``score_fn`` returned scores of
            the wrong shape.
    """
    if getattr(eval_sampler, 'labelled', False) or getattr(eval_sampler, 'sampled', True):
        raise DTypeError(scoped(_SCOPE, f'eval_sampler must rank every item (a full-ranking sampler), got '
                                        f'{type(eval_sampler).__name__} with sampled negatives or labels; build it '
                                        'without num_negatives.'))
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ShapeError(scoped(_SCOPE, f'k must be a positive integer (the list length), got {k!r}.'))
    users, lists = [], []
    for batch in eval_sampler:
        rows = np.asarray(batch['user_id'])
        scores = np.asarray(score_fn(batch))
        if scores.shape != (rows.size, eval_sampler.max_item):
            raise ShapeError(scoped(_SCOPE, f'score_fn returned shape {scores.shape} for {rows.size} users; it '
                                            f'must score every item: [{rows.size}, {eval_sampler.max_item}].'))
        excluded_at, excluded = eval_sampler.excluded_items.take(rows)
        lists.append(top_k_indices(mask_scores(scores, excluded_at, excluded), int(k)))
        users.append(rows.astype(np.int32))
    if not users:
        return np.zeros(0, dtype=np.int32), np.zeros((0, int(k)), dtype=np.int64)
    return np.concatenate(users), np.concatenate(lists)
