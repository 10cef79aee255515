"""AUC: per-user AUC on rankings, global AUC on labelled examples.

* Ranking (``evaluate`` / ``evaluate_sampled``): for each user, the share of
  (positive, negative) candidate pairs where the positive scores higher, a tie counting
  0.5; negatives are the user's candidates that are not positives (excluded items are
  not negatives). Averaged over evaluated users that have at least one negative.
* Labelled (``evaluate_labelled``): the Mann-Whitney statistic over all examples,
  computed from mid-ranks (ties 0.5) in O(n log n).
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.evaluators.evaluator import Evaluator
from openrec2.utils.evaluators.labelled_metrics import check_binary_labels
from openrec2.utils.evaluators.ranking import RankedBlock


class AUC(Evaluator):
    """Area under the ROC curve (per user on rankings, global on labelled data).

    Args:
        name: Result key (default ``'AUC'``; legacy ``name=``).
    """

    name = 'AUC'
    ranking = True
    labelled = True

    def __init__(self, name: Optional[str] = None) -> None:
        super().__init__(name=name)

    def ranking_values(self, block: RankedBlock) -> dict[str, np.ndarray]:
        """Per-user AUC (NaN for a user without negatives).

        Args:
            block: Ranked block computed with AUC.

        Returns:
            ``{'AUC': float64 [B]}``.
        """
        return {self.name: block.auc}

    def labelled_values(self, predictions: np.ndarray, labels: np.ndarray) -> dict[str, float]:
        """Global AUC of predictions against 0/1 labels.

        Args:
            predictions: float64 ``[n]`` scores (any scale).
            labels: float64 ``[n]`` 0/1 labels.

        Returns:
            ``{'AUC': value}``.

        Raises:
            DataError: Labels are not 0/1, or only one class is present.
        """
        check_binary_labels(labels, self.name)
        positive = labels == 1
        num_positive = int(positive.sum())
        num_negative = labels.size - num_positive
        if num_positive == 0 or num_negative == 0:
            raise DataError(scoped('evaluators', f'AUC needs both classes; got {num_positive} positive and '
                                   f'{num_negative} negative labels.'))
        _, inverse, counts = np.unique(predictions, return_inverse=True, return_counts=True)
        # 1-based mid-rank of each distinct value: tied examples share the mean of their ranks.
        mid_rank = np.cumsum(counts) - (counts - 1) / 2.0
        rank_sum = mid_rank[inverse.ravel()][positive].sum()
        return {self.name: float((rank_sum - num_positive * (num_positive + 1) / 2.0)
                                 / (num_positive * num_negative))}
