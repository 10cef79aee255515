"""Multi-objective training schedules.

A model may declare several training objectives (KTUP alternates a recommendation
loss ``'rec'`` and a knowledge-graph loss ``'kg'``; AMR switches from BPR to
adversarial training). A schedule is a list of phases ``[(objective, num_iters), ...]``:

* cycled (the default): with ``[('rec', 2), ('kg', 1)]`` iterations 0, 1 train
  ``'rec'``, iteration 2 trains ``'kg'``, iteration 3 starts over (KTUP);
* one-way (``cycle=False``): the phases run once in order and the last one goes on for
  as long as training does (AMR: ``[('bpr', 10 epochs), ('adversarial', 20 epochs)]``).

Iterations are counted from 0 over the whole run (``start_iter`` included), so a
resumed run continues at the same place of the schedule.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from openrec2.errors import UnknownOptionError, scoped
from openrec2.validation import check_bool, check_int

_SCOPE = 'ModelTrainer'


class ObjectiveSchedule:
    """Phases of ``(objective name, number of iterations)``, cycled or run once.

    Args:
        steps: Non-empty sequence of ``(name, num_iters)`` with ``num_iters >= 1``.
        objectives: Objective names the model declares (to check the names), or
            ``None`` to skip the check.
        cycle: Repeat the phases (True) or run them once and stay in the last (False).

    Raises:
        UnknownOptionError: An empty schedule, a malformed step, or a name the model
            does not declare.
        SettingError: A count that is not an integer >= 1.
    """

    def __init__(self, steps: Sequence[tuple[str, int]], objectives: Optional[Iterable[str]] = None,
                 cycle: bool = True) -> None:
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
            count = check_int(count, 'num_iters', f'{_SCOPE}: objective_schedule step {tuple(step)!r}')
            if known is not None and name not in known:
                raise UnknownOptionError(scoped(_SCOPE, f'objective_schedule names objective {name!r}; the '
                                                        f'model has {known}.'))
            self.steps.append((name, count))
        self.cycle = check_bool(cycle, 'cycle', _SCOPE)
        self.period = sum(count for _, count in self.steps)

    @classmethod
    def coerce(cls, schedule, objectives: Optional[Iterable[str]] = None) -> 'ObjectiveSchedule':
        """An :class:`ObjectiveSchedule` as given, or one built (cycled) from a list of steps.

        Args:
            schedule: An :class:`ObjectiveSchedule` or ``[(name, num_iters), ...]``.
            objectives: Objective names to check the steps against.

        Returns:
            The schedule.
        """
        if isinstance(schedule, ObjectiveSchedule):
            return cls(schedule.steps, objectives, cycle=schedule.cycle)
        return cls(schedule, objectives)

    @property
    def objectives(self) -> list[str]:
        """Distinct objective names, in schedule order."""
        return list(dict.fromkeys(name for name, _ in self.steps))

    def phase_at(self, iteration: int) -> int:
        """Index in :attr:`steps` of the phase a (0-based, absolute) iteration belongs to.

        Args:
            iteration: Iteration number.

        Returns:
            The phase index (the last one for every iteration past a one-way schedule).
        """
        position = iteration % self.period if self.cycle else min(iteration, self.period - 1)
        for index, (_, count) in enumerate(self.steps):
            if position < count:
                return index
            position -= count
        raise AssertionError('unreachable: position < period')

    def objective_at(self, iteration: int) -> str:
        """The objective trained at a (0-based, absolute) iteration.

        Args:
            iteration: Iteration number.

        Returns:
            The objective name.
        """
        return self.steps[self.phase_at(iteration)][0]

    def in_final_phase(self, iteration: int) -> bool:
        """Whether an iteration lies in the phase a one-way schedule ends in.

        Early stopping watches only this phase of a one-way schedule (AMR's adversarial
        epochs): stopping during BPR warm-up would skip the phase the model is for.
        Every iteration of a cycled schedule counts.

        Args:
            iteration: Iteration number (of the last step taken).

        Returns:
            True for a cycled schedule or the last phase of a one-way one.
        """
        return self.cycle or self.phase_at(iteration) == len(self.steps) - 1

    def __repr__(self) -> str:
        return f'ObjectiveSchedule({self.steps!r}{"" if self.cycle else ", cycle=False"})'
