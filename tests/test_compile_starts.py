"""Start days of fixed-duration modes: intervals from runs of presence.

Each person's presence is cut once into maximal runs of present days; a task of ``d``
days fits in a run ``[a, b)`` when it starts in ``[a, b - d]``. The intervals must hold
exactly the days a day-by-day scan finds.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from allocator.problem.compile import _present_starts, compile_problem
from allocator.problem.data import PersonData, StartDays
from models import TimeOff
from tests.solver_helpers import d, person, project, scenario, task


def _person_with(presence: list[int]) -> PersonData:
    return PersonData(
        id="ana",
        index=0,
        capacity=100,
        presence=presence,
        presence_class=0,
        first_day=0,
        end_day=len(presence),
        cost_per_day=0,
        max_concurrent=None,
        skills={},
    )


def _scanned(presence: list[int], duration: int, first: int, end: int) -> list[int]:
    """The start days a day-by-day scan finds: every day of the task present."""
    return [s for s in range(first, end - duration + 1) if all(presence[s : s + duration])]


def test_start_days_membership_and_next_start():
    starts = StartDays(((2, 4), (8, 8)))
    assert [day in starts for day in range(10)] == [False, False, True, True, True] + [False] * 3 + [
        True,
        False,
    ]
    assert [starts.first_from(day) for day in (0, 3, 5, 8, 9)] == [2, 3, 8, 8, None]
    assert starts.days() == [2, 3, 4, 8]
    assert starts and not StartDays()


def test_present_runs_split_at_absent_days():
    ana = _person_with([100, 50, 0, 0, 100, 0, 100, 100])
    assert ana.present_runs == [(0, 2), (4, 5), (6, 8)]


def test_start_intervals_of_a_three_day_task():
    # Present on days 0-4 and 7-11 (12 days): a 3-day task starts on 0..2 or 7..9.
    presence = [100] * 5 + [0, 0] + [100] * 5
    assert _present_starts(_person_with(presence), 3, 0, 12).intervals == ((0, 2), (7, 9))
    # Limited to the window [1, 10): starts 1..2 and 7 only.
    assert _present_starts(_person_with(presence), 3, 1, 10).intervals == ((1, 2), (7, 7))


@settings(max_examples=300, deadline=None)
@given(
    presence=st.lists(st.sampled_from([0, 50, 100]), min_size=1, max_size=40),
    duration=st.integers(0, 6),
    data=st.data(),
)
def test_start_intervals_hold_exactly_the_scanned_days(
    presence: list[int], duration: int, data: st.DataObject
):
    first = data.draw(st.integers(0, len(presence)))
    end = data.draw(st.integers(first, len(presence)))
    starts = _present_starts(_person_with(presence), duration, first, end)
    expected = _scanned(presence, duration, first, end)
    assert starts.days() == expected
    assert [day in starts for day in range(-1, len(presence) + 2)] == [
        day in expected for day in range(-1, len(presence) + 2)
    ]
    for day in range(len(presence) + 1):
        assert starts.first_from(day) == min((s for s in expected if s >= day), default=None)
    assert all(a[1] + 1 < b[0] for a, b in zip(starts.intervals, starts.intervals[1:], strict=False))


def test_compiled_mode_skips_leave_and_stays_small():
    # Two weeks of weekdays (10 timeline days) plus room; Ana is off Wed-Thu of week 1
    # (days 2-3), so a 2-day task starts on days 0, 4.. but not 1, 2 or 3.
    ana = person("ana", time_off=(TimeOff(start=d("01-06"), end=d("01-07")),))
    problem = compile_problem(scenario(project("p", task("t", duration=2)), people=(ana,), weeks=2))
    starts = problem.tasks["t"].modes[0].starts["ana"]
    assert starts.intervals[0] == (0, 0)
    assert starts.intervals[1][0] == 4
    assert len(starts.intervals) == 2 and starts.intervals[1][1] == problem.horizon - 2
