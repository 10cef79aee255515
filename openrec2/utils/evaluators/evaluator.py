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

from openrec2.errors import ShapeError, UnknownOptionError, scoped
from openrec2.validation import check_int_list

Cutoffs = Union[int, Sequence[int]]
#: The evaluator types of legacy OpenRec's ``Evaluator(etype, name)``.
LEGACY_ETYPES = ('rank', 'regression')


class Evaluator:
    """Base of every metric.

    Subclasses set :attr:`name` and implement :meth:`ranking_values` and/or
    :meth:`labelled_values`, declaring which through :attr:`ranking` / :attr:`labelled`.

    A legacy OpenRec evaluator works unchanged: it calls ``Evaluator(etype, name)``
    (``etype`` ``'rank'`` or ``'regression'``) and overrides :meth:`compute`. A ``'rank'``
    one gets, per user, ``compute(rank_above, negative_num)``: for each of the user's
    positives the number of negatives (ranked candidates that are not positives) scored
    strictly above it, and the number of negatives; the trainer averages the returned
    values over users (key ``name``; a vector result of length L gives the keys
    ``name[0]`` .. ``name[L-1]``). A ``'regression'`` one gets ``compute(predictions,
    labels)`` on labelled data and its mean is reported.

    Args:
        etype: Legacy evaluator type, ``'rank'`` or ``'regression'``; None for an
            openrec2 evaluator (which declares :attr:`ranking` / :attr:`labelled`).
        name: Result key (default: the class's :attr:`name`).
        ks: Cut-offs (positive ints) for a top-K metric, or ``None`` for a metric
            without a cut-off.
        option: Keyword the user gave the cut-offs under (for error messages).

    Raises:
        UnknownOptionError: ``etype`` is neither ``'rank'`` nor ``'regression'``, or a
            legacy ``etype`` is given without a :meth:`compute` override.
        SettingError: A cut-off is not a positive integer, or ``ks`` is empty.
    """

    name: str = 'Evaluator'
    ranking: bool = False
    labelled: bool = False

    def __init__(self, etype: str | None = None, name: str | None = None, ks: Cutoffs | None = None,
                 option: str = 'ks') -> None:
        if name is not None:
            if not isinstance(name, str) or not name:
                raise UnknownOptionError(scoped('evaluators', f'{type(self).__name__}: name must be a non-empty '
                                                f'string, got {name!r}.'))
            self.name = name
        self._legacy_etype = None
        if etype is not None:
            if etype not in LEGACY_ETYPES:
                raise UnknownOptionError(scoped('evaluators', (
                    f'{type(self).__name__}: etype must be one of {list(LEGACY_ETYPES)} (legacy Evaluator(etype, '
                    f'name)), got {etype!r}; openrec2 evaluators take no etype.')))
            if type(self).compute is Evaluator.compute:
                raise UnknownOptionError(scoped('evaluators', (
                    f'{type(self).__name__}: a legacy evaluator (etype={etype!r}) must override compute().')))
            self._legacy_etype = etype
            self.ranking = etype == 'rank'
            self.labelled = etype == 'regression'
        self.ks: tuple[int, ...] = () if ks is None else validate_cutoffs(ks, f'{self.name}({option}=...)')

    @property
    def etype(self) -> str:
        """Legacy OpenRec evaluator type: ``'rank'`` for ranking metrics, else ``'regression'``."""
        if getattr(self, '_legacy_etype', None):
            return self._legacy_etype
        return 'rank' if self.ranking else 'regression'

    @property
    def legacy(self) -> bool:
        """Whether this is a legacy OpenRec evaluator (values from :meth:`compute`)."""
        return getattr(self, '_legacy_etype', None) is not None

    def compute(self, *args, **kwargs):
        """Legacy OpenRec hook that legacy evaluators override; None here.

        Returns:
            None (openrec2 evaluators compute through :meth:`ranking_values` /
            :meth:`labelled_values`).
        """
        return None

    def legacy_ranking_values(self, rank_above: list, negative_num: np.ndarray) -> dict[str, np.ndarray]:
        """Per-user values of a legacy ``'rank'`` evaluator from its :meth:`compute`.

        Args:
            rank_above: One float array per user: negatives scored above each positive.
            negative_num: int ``[B]`` negatives per user.

        Returns:
            ``{name: float64 [B]}``, or ``{name[i]: ...}`` for a vector result.

        Raises:
            ShapeError: compute() returned results of different lengths for two users.
        """
        rows = [np.atleast_1d(np.asarray(self.compute(rank_above=ranks, negative_num=int(count)),
                                         dtype=np.float64)).ravel()
                for ranks, count in zip(rank_above, np.asarray(negative_num).tolist())]
        if not rows:
            return {}
        if len({row.size for row in rows}) != 1:
            raise ShapeError(scoped('evaluators', f'{self.name}.compute() returned results of different '
                                    'lengths for different users; return one value or a fixed-length array.'))
        values = np.stack(rows)
        if values.shape[1] == 1:
            return {self.name: values[:, 0]}
        return {f'{self.name}[{i}]': values[:, i] for i in range(values.shape[1])}

    def keys(self) -> list[str]:
        """Result keys this evaluator produces, e.g. ``['Recall@10', 'Recall@20']``.

        Returns:
            ``[name]`` without cut-offs, else ``[f'{name}@{k}' for k in ks]`` (a legacy
            evaluator with a vector result adds ``name[i]`` keys as it reports them).
        """
        if self.legacy:
            return []
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
        if self.legacy and self.labelled:
            return {self.name: float(np.mean(self.compute(predictions=predictions, labels=labels)))}
        raise UnknownOptionError(scoped('evaluators', f'{self.name} needs ranked items, not labels; '
                                        'use it with evaluate() or evaluate_sampled().'))

    def __repr__(self) -> str:
        if self.legacy:
            return f'{type(self).__name__}(etype={self.etype!r}, name={self.name!r})'
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
