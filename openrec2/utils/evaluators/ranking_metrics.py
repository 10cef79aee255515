"""Top-K ranking metrics: Recall, Precision, NDCG, HitRatio, MRR, MAP.

Definitions follow RecBole's documentation (per user, then averaged over the evaluated
users; ``pos`` is the user's positives, ``hits@K`` the positives among the top K
ranked candidates, rank ``r`` is 1-based):

* ``Recall@K = hits@K / |pos|``
* ``Precision@K = hits@K / K`` (the denominator is K even when a user has fewer than
  K candidates, as in RecBole)
* ``NDCG@K = DCG@K / IDCG@K`` with gains ``1 / log2(r + 1)`` and the ideal DCG over
  ``min(|pos|, K)`` hits
* ``Hit@K = 1`` if ``hits@K > 0``
* ``MRR@K = 1 / r`` of the first hit within the top K, else 0
* ``MAP@K = sum_{r<=K} P@r * rel_r / min(|pos|, K)``

Every value lies in [0, 1].
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from openrec2.utils.evaluators.evaluator import Cutoffs, Evaluator
from openrec2.utils.evaluators.ranking import RankedBlock


class _TopKMetric(Evaluator):
    """A ranking metric evaluated at each of its cut-offs by :meth:`value_at`."""

    ranking = True

    def ranking_values(self, block: RankedBlock) -> dict[str, np.ndarray]:
        """Per-user values at every cut-off.

        Args:
            block: The ranked block.

        Returns:
            ``{f'{name}@{k}': float64 [B]}``.
        """
        return {key: self.value_at(block, k) for key, k in zip(self.keys(), self.ks)}

    def value_at(self, block: RankedBlock, k: int) -> np.ndarray:
        """Per-user value at one cut-off.

        Args:
            block: The ranked block.
            k: Cut-off.

        Returns:
            float64 ``[B]``.
        """
        raise NotImplementedError


class Recall(_TopKMetric):
    """Recall@K: share of the user's positives found in the top K.

    Args:
        recall_at: Cut-off(s), a positive int or a list of them.
        name: Result key prefix (default the class name; legacy ``name=``).

    Raises:
        UnknownOptionError: A cut-off is not a positive integer.
    """

    name = 'Recall'

    def __init__(self, recall_at: Cutoffs = (10,), name: Optional[str] = None) -> None:
        super().__init__(name=name, ks=recall_at, option='recall_at')

    def value_at(self, block: RankedBlock, k: int) -> np.ndarray:
        """See :meth:`_TopKMetric.value_at`."""
        return block.hits_at(k) / block.num_positives


class Precision(_TopKMetric):
    """Precision@K: share of the K recommended slots holding a positive.

    Args:
        precision_at: Cut-off(s), a positive int or a list of them.
        name: Result key prefix (default the class name; legacy ``name=``).

    Raises:
        UnknownOptionError: A cut-off is not a positive integer.
    """

    name = 'Precision'

    def __init__(self, precision_at: Cutoffs = (10,), name: Optional[str] = None) -> None:
        super().__init__(name=name, ks=precision_at, option='precision_at')

    def value_at(self, block: RankedBlock, k: int) -> np.ndarray:
        """See :meth:`_TopKMetric.value_at`."""
        return block.hits_at(k) / k


class NDCG(_TopKMetric):
    """NDCG@K: DCG of the top K over the DCG of a perfect top K (binary relevance).

    Args:
        ndcg_at: Cut-off(s), a positive int or a list of them.
        name: Result key prefix (default the class name; legacy ``name=``).

    Raises:
        UnknownOptionError: A cut-off is not a positive integer.
    """

    name = 'NDCG'

    def __init__(self, ndcg_at: Cutoffs = (10,), name: Optional[str] = None) -> None:
        super().__init__(name=name, ks=ndcg_at, option='ndcg_at')

    def value_at(self, block: RankedBlock, k: int) -> np.ndarray:
        """See :meth:`_TopKMetric.value_at`."""
        return block.dcg_at(k) / block.ideal_dcg_at(k)


class HitRatio(_TopKMetric):
    """Hit@K: 1 when at least one positive is in the top K, else 0.

    Args:
        hit_at: Cut-off(s), a positive int or a list of them.
        name: Result key prefix (default the class name; legacy ``name=``).

    Raises:
        UnknownOptionError: A cut-off is not a positive integer.
    """

    name = 'Hit'

    def __init__(self, hit_at: Cutoffs = (10,), name: Optional[str] = None) -> None:
        super().__init__(name=name, ks=hit_at, option='hit_at')

    def value_at(self, block: RankedBlock, k: int) -> np.ndarray:
        """See :meth:`_TopKMetric.value_at`."""
        return (block.hits_at(k) > 0).astype(np.float64)


class MRR(_TopKMetric):
    """MRR@K: reciprocal rank of the first positive within the top K (0 if none).

    Args:
        mrr_at: Cut-off(s), a positive int or a list of them.
        name: Result key prefix (default the class name; legacy ``name=``).

    Raises:
        UnknownOptionError: A cut-off is not a positive integer.
    """

    name = 'MRR'

    def __init__(self, mrr_at: Cutoffs = (10,), name: Optional[str] = None) -> None:
        super().__init__(name=name, ks=mrr_at, option='mrr_at')

    def value_at(self, block: RankedBlock, k: int) -> np.ndarray:
        """See :meth:`_TopKMetric.value_at`."""
        first = block.first_hit_rank
        return np.where(first <= k, 1.0 / first, 0.0)


class MAP(_TopKMetric):
    """MAP@K: average precision at the hit ranks within the top K, over ``min(|pos|, K)``.

    Args:
        map_at: Cut-off(s), a positive int or a list of them.
        name: Result key prefix (default the class name; legacy ``name=``).

    Raises:
        UnknownOptionError: A cut-off is not a positive integer.
    """

    name = 'MAP'

    def __init__(self, map_at: Cutoffs = (10,), name: Optional[str] = None) -> None:
        super().__init__(name=name, ks=map_at, option='map_at')

    def value_at(self, block: RankedBlock, k: int) -> np.ndarray:
        """See :meth:`_TopKMetric.value_at`."""
        return block.precision_sum_at(k) / np.minimum(block.num_positives, k)
