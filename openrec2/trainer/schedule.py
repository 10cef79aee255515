"""Multi-objective training schedules.

A model may declare several training objectives (KTUP alternates a recommendation
loss ``'rec'`` and a knowledge-graph loss ``'kg'``; AMR switches from BPR to
adversarial training). A schedule ``[(objective, num_iters), ...]`` is cycled: with
``[('rec', 2), ('kg', 1)]`` iterations 0, 1 train ``'rec'``, iteration 2 trains
``'kg'``, iteration 3 starts over. Iterations are counted from 0 over the whole run
(``start_iter`` included), so a resumed run continues the same cycle.
"""

from __future__ import annotations

import numbers
from typing import Iterable, Optional, Sequence

from openrec2.errors import UnknownOptionError, scoped

_SCOPE = 'ModelTrainer'


class ObjectiveSchedule:
    """A cycle of ``(objective name, number of iterations)`` steps.

    Args:
        steps: Non-empty sequence of ``(name, num_iters)`` with ``num_iters >= 1``.
        objectives: Objective names the model declares (to check the names), or
            ``None`` to skip the check.

    Raises:
        UnknownOptionError: An empty schedule, a malformed step, a non-positive count, or
            a name the model does not declare.
    """

    def __init__(self, steps: Sequence[tuple[str, int]], objectives: Optional[Iterable[str]] = None) -> None:
        steps = list(steps)
        if not steps:
            raise UnknownOptionError(scoped(_SCOPE, 'objective_schedule is empty; give e.g. '
                                                    "[('rec', 1), ('kg', 1)]."))
        known = None if objectives is None else list(objectives)
        self.steps: list[tuple[str, int]] = []
        for step in steps:
            if not isinstance(step, (tuple, list)) or len(step) != 2:
                raise UnknownOptionError(scoped(_SCOPE, f'objective_schedule step {step!r} must be a pair '
                                                        '(objective_name, num_iters).'))
            name, count = step
            if isinstance(count, bool) or not isinstance(count, numbers.Integral) or count < 1:
                raise UnknownOptionError(scoped(_SCOPE, f'objective_schedule step {step!r}: num_iters must be '
                                                        'an integer >= 1.'))
            if known is not None and name not in known:
                raise UnknownOptionError(scoped(_SCOPE, f'objective_schedule names objective {name!r}; the '
                                                        f'model has {known}.'))
            self.steps.append((name, int(count)))
        self.period = sum(count for _, count in self.steps)

    @property
    def objectives(self) -> list[str]:
        """Distinct objective names, in schedule order."""
        return list(dict.fromkeys(name for name, _ in self.steps))

    def objective_at(self, iteration: int) -> str:
        """The objective trained at a (0-based, absolute) iteration.

        Args:
            iteration: Iteration number.

        Returns:
            The objective name.
        """
        position = iteration % self.period
        for name, count in self.steps:
            if position < count:
                return name
            position -= count
        raise AssertionError('unreachable: position < period')

    def __repr__(self) -> str:
        return f'ObjectiveSchedule({self.steps!r})'
