"""Construction: fixed-duration tasks jump to the next start that might fit.

A start that fails is followed by the first day on which the renewable resources have
room and enough eligible people are present and free; the plan must be exactly the one a
day-by-day scan of the starts builds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocator.construct import serial as construct
from allocator.construct.budget_modes import budget_reservation, fallback_modes, usable
from allocator.construct.occupancy import Occupancy as _State
from allocator.construct.serial import _fixed_team, _place_fixed, construct_schedule
from allocator.construct.start_finder import StartFinder as _StartFinder
from allocator.construct.start_finder import next_start
from allocator.problem.compile import compile_problem, horizon_date
from allocator.problem.data import ModeData, Problem, TaskData
from allocator.problem.schedule import TaskChoice
from allocator.search.solve import SolveOptions, solve_scenario
from benchmarks.baseline import lft_baseline
from benchmarks.convert import benchmarks_root, list_instances, load_scenario
from models import Mode, Requirement, Scenario, SharedResource, TeamSize, TimeOff
from tests.solver_helpers import MONDAY, assert_verified, person, planned, project, scenario, task

needs_shared = pytest.mark.skipif(
    not benchmarks_root().is_dir(), reason="public benchmark instances not available"
)
DATA = Path(__file__).resolve().parent / "data" / "benchmarks"
FIXTURES = [
    ("psplib", DATA / "psplib" / "j301_1.sm"),
    ("mspsp", DATA / "mspsp" / "inst_set1a_sf0.5_nc2.1_n20_m10_01.dzn"),
    ("imopse", DATA / "imopse" / "100_5_22_15.def"),
    ("mista", DATA / "mista" / "A-1.txt"),
]


def _scanned_start(
    problem: Problem, state: _State, task_data: TaskData, mode: ModeData, day: int
) -> int | None:
    """The start a day-by-day scan from ``day`` settles on (the construction before the jumps)."""
    assert mode.duration is not None
    for start in range(day, problem.horizon):
        if start + mode.duration > problem.horizon:
            return None
        present = [p for p in mode.people if start in mode.starts[p]]
        if _fixed_team(problem, state, task_data, mode, present, start, start + mode.duration) is not None:
            return start
    return None


def _day_by_day(self: _StartFinder, day: int) -> int | None:
    """Every start in turn, up to the last one the horizon allows."""
    return day if day + max(self.duration, 1) <= self.problem.horizon else None


def _decisions(schedule: dict[str, TaskChoice] | None) -> dict[str, tuple[object, ...]] | None:
    if schedule is None:
        return None
    return {
        tid: (c.mode, c.start, c.end, sorted(c.people.items()), sorted(c.vendors.items()))
        for tid, c in schedule.items()
    }


@pytest.mark.parametrize(("family", "path"), FIXTURES, ids=[family for family, _ in FIXTURES])
def test_construction_is_the_day_by_day_plan(
    family: str, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At the first horizon and at a grown one (where a plan that overflowed the first fits).
    the_scenario = load_scenario(family, path)
    problems = [compile_problem(the_scenario), compile_problem(the_scenario, horizon_date(the_scenario, 3.0))]
    jumped = [_decisions(construct_schedule(problem)) for problem in problems]
    monkeypatch.setattr(_StartFinder, "next_start", _day_by_day)
    assert jumped == [_decisions(construct_schedule(problem)) for problem in problems]
    assert jumped[-1] is not None


def test_the_mspsp_fixture_gets_a_checked_constructed_plan() -> None:
    # A greedy team fill took, for one skill, the only worker able to cover another of the
    # same activity, and construction found no plan at any horizon.
    the_scenario = load_scenario("mspsp", FIXTURES[1][1])
    result = lft_baseline(the_scenario)
    assert result.plan is not None and result.objective is not None
    assert_verified(the_scenario, result.plan)


def _leave(offset: int, days: int) -> TimeOff:
    first = MONDAY + dt.timedelta(days=offset)
    return TimeOff(start=first, end=first + dt.timedelta(days=days - 1))


people_strategy = st.lists(
    st.tuples(
        st.lists(st.tuples(st.integers(0, 25), st.integers(1, 6)), max_size=2),  # leave
        st.sampled_from([None, None, 1, 2]),  # max concurrent tasks
        st.sampled_from(["dev:3", "dev:3", "dev:3", "dev:1"]),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=100, deadline=None)
@given(
    people=people_strategy,
    duration=st.integers(0, 5),
    heads=st.integers(1, 2),
    amount=st.integers(0, 3),
    bookings=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 20), st.integers(1, 6), st.sampled_from([50, 100])),
        max_size=8,
    ),
    used=st.lists(st.tuples(st.integers(0, 20), st.integers(1, 6), st.integers(1, 3)), max_size=4),
    day=st.integers(0, 15),
)
def test_next_start_skips_no_start_that_fits(people, duration, heads, amount, bookings, used, day) -> None:
    staff = tuple(
        person(f"w{i}", skill, time_off=tuple(_leave(o, n) for o, n in leave), max_concurrent_tasks=limit)
        for i, (leave, limit, skill) in enumerate(people)
    )
    the_task = task(
        "t",
        duration=duration,
        requires=(Requirement(skill="dev", level=2, people=heads),),
        team=TeamSize(min=heads, max=heads),
        allocations=(50, 100),
        vendor="never",
        resources={"bench": amount} if amount else {},
    )
    problem = compile_problem(
        scenario(
            project("p", the_task),
            people=staff,
            resources=(SharedResource(id="bench", capacity=3, kind="renewable"),),
            weeks=2,
        )
    )
    state = _State(problem)
    for who, first, days, allocation in bookings:
        pid = f"w{who % len(staff)}"
        for d in range(first, min(first + days, problem.horizon)):
            state.load[pid][d] += allocation
            state.count[pid][d] += 1
    for first, days, units in used:
        for d in range(first, min(first + days, problem.horizon)):
            state.resource["bench"][d] += units
    task_data = problem.tasks["t"]
    mode = task_data.modes[0]
    expected = _scanned_start(problem, state, task_data, mode, day)
    found = next_start(problem, state, mode, day)
    if expected is not None:
        assert found is not None and found <= expected
    placed = _place_fixed(problem, state, task_data, mode, day, 0)
    assert (placed.start if placed else None) == expected


@settings(max_examples=100, deadline=None)
@given(
    skills=st.lists(
        st.sampled_from(
            [("dev:3",), ("ops:3",), ("dev:3", "ops:3"), ("dev:1", "ops:3"), ("dev:3", "qa:3", "ops:1")]
        ),
        min_size=2,
        max_size=4,
    ),
    leave=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 20), st.integers(1, 6)), max_size=4),
    places=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    bookings=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 20), st.integers(1, 6)), max_size=6),
    day=st.integers(0, 15),
)
def test_next_start_skips_no_start_a_several_skill_team_fits(skills, leave, places, bookings, day) -> None:
    # The team rule is an assignment of places to people: a day skipped must have no team.
    staff = tuple(
        person(
            f"w{i}",
            *skill,
            time_off=tuple(_leave(first, days) for who, first, days in leave if who % len(skills) == i),
        )
        for i, skill in enumerate(skills)
    )
    the_task = task(
        "t",
        duration=3,
        requires=(
            Requirement(skill="dev", level=2, people=places[0]),
            Requirement(skill="ops", level=2, people=places[1]),
        ),
        team=TeamSize(min=sum(places), max=sum(places)),
        vendor="never",
    )
    problem = compile_problem(scenario(project("p", the_task), people=staff, weeks=5))
    state = _State(problem)
    for who, first, days in bookings:
        pid = f"w{who % len(staff)}"
        for d in range(first, min(first + days, problem.horizon)):
            state.load[pid][d] += 100
            state.count[pid][d] += 1
    task_data = problem.tasks["t"]
    mode = task_data.modes[0]
    expected = _scanned_start(problem, state, task_data, mode, day)
    placed = _place_fixed(problem, state, task_data, mode, day, 0)
    assert (placed.start if placed else None) == expected


def test_next_start_jumps_past_full_days_and_absent_people() -> None:
    # Ana is the only developer and is off Thu 01-07 to Fri 01-15 (timeline days 3..9); the
    # bench is full on day 2. A 2-day task can start on day 0; from day 1 the bench rules
    # out 1 and 2, Ana's leave 3..9, so the next start is day 10.
    ana = person("ana", time_off=(TimeOff(start=dt.date(2027, 1, 7), end=dt.date(2027, 1, 15)),))
    the_task = task("t", duration=2, resources={"bench": 1}, vendor="never")
    problem = compile_problem(
        scenario(
            project("p", the_task),
            people=(ana,),
            resources=(SharedResource(id="bench", capacity=1, kind="renewable"),),
            weeks=3,
        )
    )
    state = _State(problem)
    state.resource["bench"][2] = 1
    mode = problem.tasks["t"].modes[0]
    assert [next_start(problem, state, mode, day) for day in (0, 1, 2)] == [0, 10, 10]
    state.load["ana"][11] = 100
    assert next_start(problem, state, mode, 1) == 12


def test_a_spent_budget_has_no_start() -> None:
    the_task = task("t", duration=1, resources={"money": 2}, vendor="never")
    problem = compile_problem(
        scenario(
            project("p", the_task),
            people=(person("ana"),),
            resources=(SharedResource(id="money", capacity=3, kind="consumable"),),
        )
    )
    state = _State(problem)
    state.reserved["money"] = 0  # the task's own share, released when it is placed
    mode = problem.tasks["t"].modes[0]
    assert next_start(problem, state, mode, 0) == 0
    state.consumed["money"] = 2
    assert next_start(problem, state, mode, 0) is None


# ---------------------------------------------------------------------------- consumable budgets


def _budget_scenario(fast: dict[str, int], capacity: int = 3) -> Scenario:
    """Two tasks, each with a fast mode and two slow ones thrifty on one budget each.

    With budgets of 3, the fast mode (2, 2) leaves the other task (1, 1), which none of its
    modes fits, although each task's least use of each budget is 1; one task in ``x``
    (1, 2) and the other in ``y`` (2, 1) fit.
    """
    no_team = {"team": TeamSize(min=0, max=0), "requires": (), "vendor": "never"}
    modes = (
        Mode(name="fast", duration=1, resources=fast),
        Mode(name="x", duration=3, resources={"n1": 1, "n2": 2}),
        Mode(name="y", duration=3, resources={"n1": 2, "n2": 1}),
    )
    return scenario(
        project("p", task("a", modes=modes, **no_team), task("b", modes=modes, **no_team)),
        resources=(
            SharedResource(id="n1", capacity=capacity, kind="consumable"),
            SharedResource(id="n2", capacity=capacity, kind="consumable"),
        ),
    )


def test_least_uses_per_budget_can_spend_what_the_other_tasks_need(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = compile_problem(_budget_scenario({"n1": 2, "n2": 2}))
    monkeypatch.setattr(construct, "budget_reservation", lambda p: None)  # least use of each budget
    assert construct_schedule(problem) is None


def test_fallback_modes_keep_back_what_fits_every_budget() -> None:
    the_scenario = _budget_scenario({"n1": 2, "n2": 2})
    problem = compile_problem(the_scenario)
    assert sorted(fallback_modes(problem).values()) == [1, 2]  # x for one task, y for the other
    assert sorted(map(sorted, (r.items() for r in budget_reservation(problem).values()))) == [
        [("n1", 1), ("n2", 2)],
        [("n1", 2), ("n2", 1)],
    ]
    plan = planned(solve_scenario(the_scenario, SolveOptions(construct_only=True)))
    assert_verified(the_scenario, plan)
    assert sorted(tp.mode for tp in plan.tasks) == ["x", "y"]


def test_one_thriftiest_mode_keeps_the_least_uses() -> None:
    # The fast mode is the thriftiest on both budgets: nothing to choose, the classic rule.
    problem = compile_problem(_budget_scenario({"n1": 1, "n2": 1}))
    assert budget_reservation(problem) == {"a": {"n1": 1, "n2": 1}, "b": {"n1": 1, "n2": 1}}


def test_a_mode_over_a_renewable_capacity_is_never_a_fallback() -> None:
    no_team = {"team": TeamSize(min=0, max=0), "requires": (), "vendor": "never"}
    modes = (
        Mode(name="big", duration=1, resources={"crane": 5}),
        Mode(name="paid", duration=2, resources={"money": 2}),
    )
    problem = compile_problem(
        scenario(
            project("p", task("a", modes=modes, **no_team)),
            resources=(
                SharedResource(id="crane", capacity=4, kind="renewable"),
                SharedResource(id="money", capacity=3, kind="consumable"),
            ),
        )
    )
    the_task = problem.tasks["a"]
    assert [usable(problem, the_task, mode) for mode in the_task.modes] == [False, True]
    assert budget_reservation(problem) == {"a": {"money": 2}}


@needs_shared
def test_mista_a9_gets_a_checked_constructed_plan() -> None:
    entry = next(e for e in list_instances("mista") if e.name == "A-9")
    result = lft_baseline(entry.load())
    assert result.checker_ok and result.objective is not None
