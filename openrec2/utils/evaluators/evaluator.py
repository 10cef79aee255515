"""Evaluator base class: a named metric, optionally at several cut-offs K.

An evaluator is a small description of a metric. The evaluation functions
(:func:`~openrec2.utils.evaluators.evaluate` and friends) do the heavy, vectorised
work once per block of users and ask every evaluator for its values:

* a *ranking* evaluator turns a :class:`~openrec2.utils.evaluators.ranking.RankedBlock`
  (the top-K hits and positive counts of a block of users) into one value per user
  and key; the evaluation functions average them over the evaluated users;
* a *labelled* evaluator turns ``(predictions, labels)`` into one value per key.

:class:`~openrec2.utils.evaluators.AUC` is both (per-user AUC on rankings, global AUC
on labelled data).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

import numpy as np

from openrec2.errors import UnknownOptionError, scoped
from openrec2.validation import check_int_list

Cutoffs = Union[int, Sequence[int]]


class Evaluator:
    """Base of every metric.

    Subclasses set :attr:`name` and implement :meth:`ranking_values` and/or
    :meth:`labelled_values`, declaring which through :attr:`ranking` / :attr:`labelled`.

    Args:
        ks: Cut-offs (positive ints) for a top-K metric, or ``None`` for a metric
            without a cut-off.
        option: Keyword the user gave the cut-offs under (for error messages).

    Raises:
        UnknownOptionError: A cut-off is not a positive integer, or ``ks`` is empty.
    """

    name: str = 'Evaluator'
    ranking: bool = False
    labelled: bool = False

    def __init__(self, ks: Cutoffs | None = None, option: str = 'ks') -> None:
        self.ks: tuple[int, ...] = () if ks is None else validate_cutoffs(ks, f'{self.name}({option}=...)')

    @property
    def etype(self) -> str:
        """Legacy OpenRec evaluator type: ``'rank'`` for ranking metrics, else ``'regression'``."""
        return 'rank' if self.ranking else 'regression'

    def keys(self) -> list[str]:
        """Result keys this evaluator produces, e.g. ``['Recall@10', 'Recall@20']``.

        Returns:
            ``[name]`` without cut-offs, else ``[f'{name}@{k}' for k in ks]``.
        """
        if not self.ks:
            return [self.name]
        return [f'{self.name}@{k}' for k in self.ks]

    def ranking_values(self, block) -> dict[str, np.ndarray]:
        """Per-user values on a block of ranked users.

        Args:
            block: :class:`~openrec2.utils.evaluators.ranking.RankedBlock`.

        Returns:
            ``{key: float64 array [num_users]}``; NaN marks a user for whom the metric is
            undefined (left out of that key's average).

        Raises:
            UnknownOptionError: The metric is not a ranking metric.
        """
        raise UnknownOptionError(scoped('evaluators', f'{self.name} is not a ranking metric; '
                                        'use it with evaluate_labelled().'))

    def labelled_values(self, predictions: np.ndarray, labels: np.ndarray) -> dict[str, float]:
        """Values on labelled examples.

        Args:
            predictions: float64 array ``[n]``.
            labels: float64 array ``[n]``.

        Returns:
            ``{key: value}``.

        Raises:
            UnknownOptionError: The metric needs rankings, not labels.
        """
        raise UnknownOptionError(scoped('evaluators', f'{self.name} needs ranked items, not labels; '
                                        'use it with evaluate() or evaluate_sampled().'))

    def __repr__(self) -> str:
        return f'{type(self).__name__}(ks={list(self.ks)})' if self.ks else f'{type(self).__name__}()'


def validate_cutoffs(ks: Cutoffs, where: str) -> tuple[int, ...]:
    """Check cut-offs and return them as a sorted tuple without repeats.

    Args:
        ks: A positive int or a non-empty sequence of positive ints.
        where: Evaluator and keyword, for the error message.

    Returns:
        Sorted tuple of distinct ints.

    Raises:
        SettingError: A value is not a positive integer (bools and floats
            included), or the sequence is empty.
    """
    values = [ks] if isinstance(ks, (int, np.integer)) and not isinstance(ks, (bool, np.bool_)) else ks
    return tuple(sorted(set(check_int_list(values, 'cut-offs', f'evaluators: {where}'))))
