"""Metric results: a plain ``{key: value}`` dict that also says how much was evaluated.

Ranking evaluation averages per-user values over blocks of users; the
:class:`MetricAccumulator` keeps running sums and counts so that the mean is exact
whatever the block size.
"""

from __future__ import annotations

from typing import Iterable, Optional

import numpy as np

#: Relative spread at or below which scores count as constant (float32 has about 7
#: significant digits, so a smaller spread is rounding noise around one value).
COLLAPSE_TOLERANCE = 1e-6


class MetricResults(dict):
    """``{'Recall@10': 0.21, ...}`` plus the number of evaluated and skipped units.

    Args:
        values: Metric values by key.
        num_evaluated: Users (ranking) or examples (labelled) that entered the averages.
        num_skipped: Users skipped because they have no test item (0 for labelled data).
        unit: ``'users'`` or ``'examples'``.
        score_spread: Largest spread of the scores a user's ranking was made from (of
            all predictions for labelled data), when the caller measured it.
        score_scale: Largest absolute score, when measured.
    """

    def __init__(self, values: dict[str, float], num_evaluated: int, num_skipped: int = 0,
                 unit: str = 'users', score_spread: Optional[float] = None,
                 score_scale: Optional[float] = None) -> None:
        super().__init__(values)
        self.num_evaluated = int(num_evaluated)
        self.num_skipped = int(num_skipped)
        self.unit = unit
        self.score_spread = score_spread
        self.score_scale = score_scale

    @property
    def collapsed(self) -> bool:
        """Whether the scores that produced these metrics were constant.

        True when the largest spread (max - min) of one user's scores across its
        candidate items (of all predictions, for labelled data) is at most
        :data:`COLLAPSE_TOLERANCE` times the largest absolute score: the ranking then
        only reflects the tie-breaking rule (lower item id first), not the model, and
        the metrics must not be reported as the model's. False when the spread was
        not measured (results of :func:`evaluate` on a given score array).
        """
        if self.score_spread is None:
            return False
        return self.score_spread <= COLLAPSE_TOLERANCE * max(self.score_scale or 0.0, 1e-30)

    @property
    def num_users(self) -> int:
        """Number of evaluated users (ranking) or examples (labelled)."""
        return self.num_evaluated

    def with_spread(self, spread: float, scale: float) -> 'MetricResults':
        """These results with the measured score spread and scale attached.

        Args:
            spread: Largest per-user (or overall) max - min of the scores.
            scale: Largest absolute score.

        Returns:
            ``self``.
        """
        self.score_spread, self.score_scale = float(spread), float(scale)
        return self

    def __repr__(self) -> str:
        collapsed = ', collapsed' if self.collapsed else ''
        return (f'MetricResults({dict.__repr__(self)}, {self.unit}={self.num_evaluated}, '
                f'skipped={self.num_skipped}{collapsed})')


class MetricAccumulator:
    """Running sums of per-user metric values; NaN values (undefined for a user) are left out.

    Args:
        keys: Result keys, in the order the results should list them.
    """

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = list(dict.fromkeys(keys))
        self._sums = dict.fromkeys(self._keys, 0.0)
        self._counts = dict.fromkeys(self._keys, 0)
        self.num_evaluated = 0

    def add(self, values: dict[str, np.ndarray], num_users: int) -> None:
        """Add the per-user values of one block.

        Args:
            values: ``{key: float64 [num_users]}``.
            num_users: Number of users in the block.
        """
        self.num_evaluated += int(num_users)
        for key, per_user in values.items():
            if key not in self._sums:  # a key reported as it comes (a legacy evaluator's vector result)
                self._keys.append(key)
                self._sums[key], self._counts[key] = 0.0, 0
            defined = ~np.isnan(per_user)
            self._sums[key] += float(per_user[defined].sum())
            self._counts[key] += int(defined.sum())

    def results(self, num_rows: int) -> MetricResults:
        """The averages.

        Args:
            num_rows: Number of rows (users) given, evaluated or not.

        Returns:
            :class:`MetricResults`; a key no user defined (e.g. AUC when no user has a
            negative) is NaN.
        """
        values = {key: (self._sums[key] / self._counts[key] if self._counts[key] else float('nan'))
                  for key in self._keys}
        return MetricResults(values, self.num_evaluated, num_rows - self.num_evaluated, unit='users')
