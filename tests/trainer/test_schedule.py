"""Tests of multi-objective schedules."""

import pytest

from openrec2.errors import UnknownOptionError
from openrec2.trainer.schedule import ObjectiveSchedule


def test_cycle():
    schedule = ObjectiveSchedule([('rec', 2), ('kg', 1)], objectives=['rec', 'kg'])
    assert [schedule.objective_at(i) for i in range(7)] == ['rec', 'rec', 'kg', 'rec', 'rec', 'kg', 'rec']
    assert schedule.period == 3 and schedule.objectives == ['rec', 'kg']


@pytest.mark.parametrize('steps, message', [
    ([], 'objective_schedule is empty'),
    ([('rec',)], 'must be a pair'),
    ([('rec', 0)], '`num_iters` must be an integer >= 1'),
    ([('rec', True)], '`num_iters` must be an integer >= 1'),
    ([('other', 1)], r"names objective 'other'; the model has \['rec', 'kg'\]"),
])
def test_bad_schedules(steps, message):
    with pytest.raises(UnknownOptionError, match=message):
        ObjectiveSchedule(steps, objectives=['rec', 'kg'])
