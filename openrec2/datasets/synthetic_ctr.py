"""A planted CTR problem that only a feature-interaction model can solve (no files needed).

Users and items get random latent vectors; an example (user, item) is a click when
``u . v`` plus a little noise is positive. Every user and every item clicks about half
of the time, so a logistic regression over one-hot user, item and group ids (and the
dense features, pure noise here) stays near AUC 0.5, while a model of pairwise
embedding interactions such as DLRM (Naumov et al., 2019) recovers ``u . v``.
"""

from __future__ import annotations

import numpy as np

from openrec2.datasets.ctr_split import CTRSplit, ctr_split_from_rows
from openrec2.utils.ctr_examples import CTRExamples
from openrec2.validation import check_int, check_non_negative

#: Groups of the coarse user / item categorical columns.
_GROUPS = 4


def make_planted_ctr(num_users: int = 200, num_items: int = 100, num_examples: int = 12000, rank: int = 3,
                     num_dense: int = 2, noise: float = 0.1, seed: int = 0) -> CTRSplit:
    """Planted click examples: label = ``[u . v + noise > 0]``, split 8:1:1 at random.

    Categorical columns: ``user_id``, ``item_id``, ``user_group`` (``user % 4``),
    ``item_group`` (``item % 4``). Dense columns: standard normal noise.

    Args:
        num_users: Users.
        num_items: Items.
        num_examples: Example rows (random (user, item) pairs).
        rank: Width of the planted latent vectors.
        num_dense: Dense (noise) columns.
        noise: Standard deviation of the noise added to ``u . v / sqrt(rank)``.
        seed: Seed of everything.

    Returns:
        The :class:`~openrec2.datasets.ctr_split.CTRSplit` (``name='synthetic-ctr'``).

    Raises:
        SettingError: A count that is not a positive integer or a negative ``noise``.
    """
    scope = 'make_planted_ctr'
    num_users, num_items, num_examples, rank, num_dense, seed = (
        check_int(value, name, scope, minimum=minimum) for value, name, minimum in (
            (num_users, 'num_users', 1), (num_items, 'num_items', 1), (num_examples, 'num_examples', 10),
            (rank, 'rank', 1), (num_dense, 'num_dense', 1), (seed, 'seed', 0)))
    noise = check_non_negative(noise, 'noise', scope)
    rng = np.random.default_rng(seed)
    user_factors, item_factors = rng.normal(size=(num_users, rank)), rng.normal(size=(num_items, rank))
    users, items = rng.integers(num_users, size=num_examples), rng.integers(num_items, size=num_examples)
    affinity = np.einsum('nd,nd->n', user_factors[users], item_factors[items]) / np.sqrt(rank)
    labels = (affinity + noise * rng.normal(size=num_examples) > 0).astype(np.float32)
    sparse = np.stack([users, items, users % _GROUPS, items % _GROUPS], axis=1)
    examples = CTRExamples('synthetic-ctr', users, items, labels, rng.normal(size=(num_examples, num_dense)),
                           sparse, [num_users, num_items, _GROUPS, _GROUPS], num_users, num_items,
                           sparse_names=['user_id', 'item_id', 'user_group', 'item_group'])
    part = np.digitize(rng.random(num_examples), [0.8, 0.9])
    protocol = (f'planted clicks [u.v/sqrt({rank}) + N(0, {noise}^2) > 0] of {num_examples:,} random pairs of '
                f'{num_users} users x {num_items} items, rows split 8:1:1 at random (seed {seed})')
    return ctr_split_from_rows('synthetic-ctr', examples, part, protocol)
