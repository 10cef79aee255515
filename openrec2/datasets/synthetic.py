"""A planted low-rank implicit-feedback problem that needs no files.

Users and items get unit-norm latent factors from a seeded RNG; each user's positives
are drawn from the items its planted factor scores highest. Item offsets are tuned so
that every item sits in about the same number of users' candidate sets, hence item
popularity carries almost no signal: a popularity baseline stays near random while a
model that learns the factors (BPR, ...) recovers the held-out positives.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from openrec2.datasets.data_split import DataSplit, build_data_split
from openrec2.utils.dataset import make_interactions
from openrec2.validation import check_int

_BALANCING_ROUNDS = 50


def _balanced_candidates(scores: np.ndarray, pool: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-``pool`` items per user after item offsets equalise how often items are chosen.

    Args:
        scores: float64 ``[num_users, num_items]`` planted scores.
        pool: Candidate-set size per user.

    Returns:
        ``(candidates, offsets)``: int64 ``[num_users, pool]`` candidate item ids and
        the float64 ``[num_items]`` item offsets used.
    """
    num_users, num_items = scores.shape
    offsets = np.zeros(num_items)
    target = num_users * pool / num_items
    step = scores.std() / max(target, 1.0) / 4.0
    for _ in range(_BALANCING_ROUNDS):
        top = np.argpartition(-(scores + offsets), pool - 1, axis=1)[:, :pool]
        counts = np.bincount(top.ravel(), minlength=num_items)
        # Lower the offset of over-chosen items, raise that of under-chosen ones.
        offsets -= step * (counts - target)
    return np.argpartition(-(scores + offsets), pool - 1, axis=1)[:, :pool], offsets


def make_planted_implicit(num_users: int = 300, num_items: int = 200, rank: int = 4, per_user: int = 20,
                          seed: int = 0, ratios: Sequence[float] = (0.8, 0.1, 0.1)) -> DataSplit:
    """Make a planted low-rank implicit dataset, split per user at random.

    Each user draws ``per_user`` positives uniformly from its ``2 * per_user``
    highest-scoring items (scores = user factor . item factor + balancing offset).

    Args:
        num_users: Number of users.
        num_items: Number of items (must exceed ``2 * per_user``).
        rank: Dimension of the planted factors.
        per_user: Positives per user.
        seed: Seed of factors, positives and split.
        ratios: Split shares (per-user random, RecBole rule).

    Returns:
        A :class:`DataSplit` named ``'synthetic'``; ``metadata`` holds the planted
        ``user_factors`` ``[num_users, rank]``, ``item_factors`` ``[num_items, rank]``,
        the balancing ``item_offsets`` ``[num_items]`` and the planted ``scores``
        ``[num_users, num_items]`` (factor product plus offsets; an oracle ranking).

    Raises:
        SettingError: Sizes that cannot work (``num_items`` must be at least ``2 * per_user``).
    """
    for name, value in (('num_users', num_users), ('rank', rank), ('per_user', per_user)):
        check_int(value, name, 'make_planted_implicit')
    check_int(num_items, 'num_items', 'make_planted_implicit', minimum=2 * per_user)
    check_int(seed, 'seed', 'make_planted_implicit', minimum=0)
    rng = np.random.default_rng(seed)
    user_factors = rng.standard_normal((num_users, rank))
    item_factors = rng.standard_normal((num_items, rank))
    user_factors /= np.linalg.norm(user_factors, axis=1, keepdims=True)
    item_factors /= np.linalg.norm(item_factors, axis=1, keepdims=True)
    scores = user_factors @ item_factors.T
    candidates, offsets = _balanced_candidates(scores, 2 * per_user)
    chosen = rng.permuted(candidates, axis=1)[:, :per_user]
    users = np.repeat(np.arange(num_users), per_user)
    data = make_interactions(users, chosen.ravel())
    result = build_data_split('synthetic', data, num_users, num_items, 'random', ratios, seed,
                              user_id_map=np.arange(num_users), item_id_map=np.arange(num_items),
                              metadata={'user_factors': user_factors.astype(np.float32),
                                        'item_factors': item_factors.astype(np.float32),
                                        'item_offsets': offsets.astype(np.float32),
                                        'scores': (scores + offsets).astype(np.float32)})
    result.protocol = (f'planted rank-{rank} problem ({num_users} users x {num_items} items, {per_user} '
                       f'positives per user from its top {2 * per_user}, seed {seed}); ' + result.protocol)
    return result
