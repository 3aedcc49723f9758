"""Working days and shortest runs of effort-driven work, as the CP model writes them.

:func:`allocator.cpsat.formulation.expressions.prefix_at` replaces an element lookup by a
line through the usual daily rise plus one literal per day that breaks it. These tests fix
the day and solve: the model's value must be the prefix at that day, for any prefix, any
domain of the day, and with several prefixes read at the same day.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from solver_helpers import (
    MONDAY,
    person,
    planned,
    project,
    scenario,
    solve,
    task,
    task_of,
    vendor,
    weekday_after,
)
from test_solve_properties import people_strategy

from allocator.cpsat.formulation.expressions import prefix_at
from allocator.cpsat.formulation.staffing import shortest_run
from allocator.problem.compile import compile_problem
from models import Overtime, Person, Scenario, TeamSize

if TYPE_CHECKING:
    from allocator.problem.data import ModeData, Problem

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


def _mode(the_scenario: Scenario) -> tuple[Problem, ModeData]:
    problem = compile_problem(the_scenario)
    (only,) = problem.tasks.values()
    return problem, only.modes[0]


def test_the_shortest_run_counts_the_fastest_team_of_any_mode() -> None:
    # 10 person-days, up to two of three people: the two full-timers deliver 2 a day, so
    # 5 days at least; a half-timer (allocation 50 % at most) does not make it shorter.
    people = (person("ana"), person("ben"), person("cy"))
    wide = task("build", effort=10, team=TeamSize(min=1, max=2), allocations=(50, 100))
    problem, mode = _mode(scenario(project("p", wide), people=people))
    assert shortest_run(problem, mode) == 5
    capped = task("build", effort=10, team=TeamSize(min=1, max=2), allocations=(50,))
    problem, mode = _mode(scenario(project("p", capped), people=people))
    assert shortest_run(problem, mode) == 10
    # A contractor delivers a whole day; overtime of 10 h on 40 adds a quarter: 9 / 2.25 = 4
    # (5 without the overtime).
    quick = Overtime(hours_per_week=10, cost_multiplier=1.5)
    problem, mode = _mode(
        scenario(
            project("p", task("build", effort=9, team=TeamSize(min=1, max=2), vendor="allowed")),
            people=(person("ana", overtime=quick),),
            vendors=(vendor("v", headcount=3),),
        )
    )
    assert shortest_run(problem, mode) == 4


def test_the_plan_takes_the_shortest_run_where_the_team_allows() -> None:
    # The redundant bound never cuts a plan: with two full-timers free the 10 days take 5.
    people = (person("ana"), person("ben"))
    wide = task("build", effort=10, team=TeamSize(min=2, max=2))
    plan = planned(solve(scenario(project("p", wide), people=people)))
    choice = task_of(plan, "build")
    assert (choice.start, choice.finish, choice.working_days) == (MONDAY, weekday_after(MONDAY, 4), 5)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(people_strategy(), st.sampled_from((1.0, 2.5, 6.0, 12.0)), st.integers(1, 3))
def test_no_team_on_any_start_is_faster_than_the_shortest_run(
    people: tuple[Person, ...], effort: float, most: int
) -> None:
    # Brute force over every team of up to ``most`` eligible people at their largest
    # allocation and every start: the fewest days to the effort is never below the bound.
    skill = sorted(people[0].skills)[0]
    work = task("work", effort=effort, requires=(skill,), team=TeamSize(min=1, max=most))
    problem, mode = _mode(scenario(project("p", work), people=people))
    bound = shortest_run(problem, mode)
    fastest = None
    for size in range(1, mode.team_max + 1):
        for team in itertools.combinations(mode.people, size):
            prefixes = [problem.presence_prefix[problem.people[p].presence_class] for p in team]
            levels = [max(mode.levels[p]) for p in team]
            for start in range(problem.horizon):
                for end in range(start + 1, problem.horizon + 1):
                    done = sum(a * (pre[end] - pre[start]) for a, pre in zip(levels, prefixes, strict=True))
                    if done >= mode.effort:
                        fastest = end - start if fastest is None else min(fastest, end - start)
                        break
    assert fastest is None or bound <= fastest
