"""Test Recall@K and NDCG@K by full ranking from a library's user and item factors.

Only numpy, so that the runners in the separate venv compute the metrics with the same
definitions as openrec2's evaluators (``openrec2/utils/evaluators``): every item is a
candidate except the user's excluded (training + validation) items; items are ranked by
score, ties to the lower item id; Recall@K = hits in the top K / the user's number of
test positives (not capped at K); NDCG@K = DCG / ideal DCG with binary relevance and a
1/log2(rank + 1) gain, the ideal putting min(positives, K) hits first; both averaged
over the users with at least one test positive.
"""

from __future__ import annotations

import numpy as np


def _per_user(pairs: np.ndarray, num_users: int) -> list:
    """Item arrays of each user from ``[N, 2]`` pairs."""
    order = np.argsort(pairs[:, 0], kind='stable')
    counts = np.bincount(pairs[:, 0], minlength=num_users)
    return np.split(pairs[order, 1], np.cumsum(counts)[:-1])


def recall_ndcg(user_factors: np.ndarray, item_factors: np.ndarray, excluded: np.ndarray, test: np.ndarray,
                k: int = 10, item_bias: np.ndarray = None, block: int = 1024) -> dict:
    """Recall@k and NDCG@k of the scores ``user_factors @ item_factors.T (+ item_bias)``.

    Args:
        user_factors: float ``[num_users, d]``; row ``u`` is user ``u``.
        item_factors: float ``[num_items, d]``; row ``i`` is item ``i``.
        excluded: int ``[M, 2]`` (user, item) pairs never recommended (training + validation).
        test: int ``[N, 2]`` (user, item) test positives.
        k: Cut-off.
        item_bias: Optional float ``[num_items]`` added to every user's scores.
        block: Users scored per matmul.

    Returns:
        ``{'Recall@k': float, 'NDCG@k': float, 'users': int}``.

    Raises:
        ValueError: Factor shapes disagree, or ``k`` is not below the number of items.
    """
    num_users, num_items = len(user_factors), len(item_factors)
    if user_factors.shape[1] != item_factors.shape[1]:
        raise ValueError(f'recall_ndcg: user factors have {user_factors.shape[1]} columns, item factors '
                         f'{item_factors.shape[1]}; pass factors of one model.')
    if not 0 < k < num_items:
        raise ValueError(f'recall_ndcg: k={k} must be in [1, {num_items}).')
    excluded_items = _per_user(np.asarray(excluded, dtype=np.int64), num_users)
    test_items = _per_user(np.asarray(test, dtype=np.int64), num_users)
    users = np.array([u for u in range(num_users) if len(test_items[u])], dtype=np.int64)
    gains = 1.0 / np.log2(np.arange(2, k + 2, dtype=np.float64))
    ideal = np.cumsum(gains)
    recall_sum = ndcg_sum = 0.0
    for start in range(0, len(users), block):
        rows = users[start:start + block]
        scores = user_factors[rows].astype(np.float64) @ item_factors.T.astype(np.float64)
        if item_bias is not None:
            scores += item_bias
        relevant = np.zeros(scores.shape, dtype=bool)
        for r, u in enumerate(rows):
            scores[r, excluded_items[u]] = -np.inf
            relevant[r, test_items[u]] = True
        # Stable sort of the negated scores: ties keep the lower item id first.
        top = np.argsort(-scores, axis=1, kind='stable')[:, :k]
        hits = np.take_along_axis(relevant, top, axis=1)
        positives = relevant.sum(axis=1)
        recall_sum += float((hits.sum(axis=1) / positives).sum())
        ndcg_sum += float(((hits * gains).sum(axis=1) / ideal[np.minimum(positives, k) - 1]).sum())
    return {f'Recall@{k}': recall_sum / len(users), f'NDCG@{k}': ndcg_sum / len(users), 'users': int(len(users))}
