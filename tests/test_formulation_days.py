"""The working days a task window reads from a presence prefix, as the CP model writes them.

:func:`allocator.cpsat.formulation.expressions.prefix_at` replaces an element lookup by a
line through the usual daily rise plus one literal per day that breaks it. These tests fix
the day and solve: the model's value must be the prefix at that day, for any prefix, any
domain of the day, and with several prefixes read at the same day.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from allocator.cpsat.formulation.expressions import prefix_at

#: A month of daily presence (x100): mostly whole days, some leave and half days.
DAILY_RISES = st.lists(st.sampled_from([0, 0, 50, 100, 100, 100]), min_size=30, max_size=30)


def _prefix(rises: list[int]) -> list[int]:
    prefix = [0]
    for rise in rises:
        prefix.append(prefix[-1] + rise)
    return prefix


def _value_at(prefixes: list[list[int]], low: int, high: int, day: int) -> tuple[list[int], int]:
    """Each prefix read at a day variable of domain ``[low, high]`` fixed to ``day``; literals made."""
    model = cp_model.CpModel()
    variable = model.new_int_var(low, high, "day")
    steps: dict[tuple[int, int], cp_model.IntVar] = {}
    reads = [prefix_at(model, prefix, variable, steps) for prefix in prefixes]
    model.add(variable == day)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return [solver.value(read) for read in reads], len(steps)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(DAILY_RISES, min_size=1, max_size=3),
    st.data(),
)
def test_the_model_reads_every_prefix_exactly_at_the_day(rises: list[list[int]], data: st.DataObject) -> None:
    prefixes = [_prefix(r) for r in rises]
    low = data.draw(st.integers(0, 29))
    high = data.draw(st.integers(low, 30))
    day = data.draw(st.integers(low, high))
    values, _ = _value_at(prefixes, low, high, day)
    assert values == [prefix[day] for prefix in prefixes]


def test_a_full_time_calendar_needs_no_literal_and_leave_one_per_day() -> None:
    full_time = _prefix([100] * 20)
    values, literals = _value_at([full_time], 0, 20, 13)
    assert (values, literals) == ([1300], 0)
    # Leave on days 5 and 6, half time from day 15: the line rises by 100, so three breaks
    # of a half day and two of a whole day, one literal each; shared by the second prefix.
    with_leave = _prefix([100] * 5 + [0, 0] + [100] * 8 + [50] * 5)
    values, literals = _value_at([with_leave, full_time], 0, 20, 17)
    assert (values, literals) == ([1400, 1700], 7)  # 5 + 8 whole days, 2 half days
    values, _ = _value_at([with_leave], 0, 20, 6)
    assert values == [500]
