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


def test_one_way_schedule_stays_in_its_last_phase():
    schedule = ObjectiveSchedule([('bpr', 3), ('adversarial', 2)], cycle=False)
    assert [schedule.objective_at(i) for i in range(8)] == ['bpr'] * 3 + ['adversarial'] * 5
    assert [schedule.in_final_phase(i) for i in (0, 2, 3, 100)] == [False, False, True, True]
    cycled = ObjectiveSchedule.coerce([('bpr', 3), ('adversarial', 2)])
    assert cycled.cycle and cycled.objective_at(5) == 'bpr' and cycled.in_final_phase(0)
    assert not ObjectiveSchedule.coerce(schedule).cycle and 'cycle=False' in repr(schedule)
