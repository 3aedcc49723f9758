"""The pooled relaxation: schedule with skill pools in place of people, then staff.

``allocator.search.literature.pooled`` drops constraints only, so its bound may never exceed the full
model's optimum; every plan it yields is staffed in the full model and must pass the
checker; a schedule that cannot be staffed (someone would have to change task halfway)
is excluded and the search goes on.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from solver_helpers import (
    MONDAY,
    first_stage_optimum,
    project,
    scenario,
    skill_problems,
    skill_scenario,
    skill_task,
    solve,
)

from allocator.checker import check_plan
from allocator.cpsat.formulation.model import build_formulation
from allocator.plan.assemble import assemble_plan
from allocator.problem.compile import compile_problem
from allocator.problem.data import FixedWork
from allocator.problem.schedule import Schedule
from allocator.search.budget import DEFAULT_BUDGET
from allocator.search.evaluate import stage_values
from allocator.search.literature import pooled
from allocator.search.literature.pooled import PooledSearch, applicable, pooled_formulation, pooled_search
from benchmarks.convert.psplib import MAKESPAN_OBJECTIVE
from models import Dependency, ObjectiveTerm, Person, Requirement, Scenario, Task, TimeOff

MAKESPAN = {ObjectiveTerm.MAKESPAN: 1}


def _switching_scenario() -> Scenario:
    """Ann (a, c), Bob (b), Cy (a, b). ``long`` needs an a for 4 days; ``b1`` and ``b2``
    need a b for 2 days each; ``c`` needs the c, after both b tasks.

    With the people pooled, makespan 4: ``long`` on [0, 4), the b tasks on [0, 2), ``c``
    on [2, 4) fit every pool at every moment. Staffed, they do not: Bob and Cy do the b
    tasks, so Ann starts ``long`` and would have to leave it for ``c`` halfway. The
    staffed optimum is 6 (``c`` after ``long``, or ``long`` by Cy from day 2).
    """
    people = (
        Person(id="ann", skills={"a": 1, "c": 1}),
        Person(id="bob", skills={"b": 1}),
        Person(id="cy", skills={"a": 1, "b": 1}),
    )
    after_b = (Dependency(task="b1"), Dependency(task="b2"))
    tasks = (
        skill_task("long", 4, {"a": 1}),
        skill_task("b1", 2, {"b": 1}),
        skill_task("b2", 2, {"b": 1}),
        Task(**{**skill_task("c", 2, {"c": 1}).model_dump(), "after": after_b}),
    )
    return skill_scenario(people, tasks)


def _run(scenario: Scenario, budget: float = 10.0) -> tuple[float, list[int]]:
    """Run the pooled search from nothing: (its bound, values of the plans it offered)."""
    problem = compile_problem(scenario)
    formulation = build_formulation(problem)
    offered: list[int] = []
    best: list[int] = []

    def accept(schedule: Schedule) -> bool:
        plan = assemble_plan(problem, schedule, "test")
        report = check_plan(scenario, plan)
        assert report.ok, report.violations
        value = stage_values(problem, schedule)[0]
        offered.append(value)
        if best and value >= best[-1]:
            return False
        best.append(value)
        return True

    def incumbent() -> int | None:
        return best[-1] if best else None

    search = PooledSearch(1, 0, False, lambda _: None, lambda: False, accept, incumbent)
    return pooled_search(problem, formulation, MAKESPAN, None, budget, search), offered


def test_unstaffable_schedule_is_excluded_until_one_can_be_staffed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without staffing cuts: the relaxation's optimum (4) is its bound; its 4- and 5-day
    schedules need Ann in two places and are excluded one by one; the plan staffed is
    the true optimum, 6."""
    monkeypatch.setattr(pooled, "CUT_TASKS", 0)
    scenario = _switching_scenario()
    optimum, _ = first_stage_optimum(scenario)
    assert optimum == 6
    bound, offered = _run(scenario)
    assert bound == 4
    assert offered and min(offered) == 6


def test_staffing_cuts_keep_the_bound_and_prove_the_optimum() -> None:
    """With staffing cuts the 4- and 5-day schedules are cut by their conflicts (Ann on
    ``long`` and ``c`` at once), which keeps the relaxation a relaxation: its bound
    reaches the staffed optimum, 6, so the pooled search alone proves it."""
    bound, offered = _run(_switching_scenario())
    assert bound == 6
    assert offered and min(offered) == 6


def test_solve_with_the_pooled_stage_reaches_the_staffed_optimum() -> None:
    """The whole solve (full model first, then the relaxation if unproven) ends at the
    optimum, proven, with a checked plan (``solve`` asserts both)."""
    result = solve(_switching_scenario(), time_limit=10)
    assert result.info.objective == 6


def test_relaxation_bound_is_the_pooled_optimum() -> None:
    """Cy and Ann share skill a; two a-tasks of 3 days and one c-task of 2 days: pooled,
    the a-pool has two heads and the a-or-c union two as well, so at most two tasks run
    at once: 3 + 2 = 5 with the two a-tasks together, then c."""
    people = (Person(id="ann", skills={"a": 1, "c": 1}), Person(id="cy", skills={"a": 1}))
    tasks = (skill_task("x", 3, {"a": 1}), skill_task("y", 3, {"a": 1}), skill_task("z", 2, {"c": 1}))
    scenario = skill_scenario(people, tasks)
    relaxation = pooled_formulation(compile_problem(scenario), MAKESPAN, None)
    solver = cp_model.CpSolver()
    assert solver.solve(relaxation.model) == cp_model.OPTIMAL
    assert solver.objective_value == 5 == first_stage_optimum(scenario)[0]


@settings(max_examples=30, deadline=None)
@given(skill_problems())
def test_bound_never_exceeds_the_optimum_and_plans_verify(
    problem: tuple[tuple[Person, ...], tuple[Task, ...]],
) -> None:
    """Random multi-skill problems with a plan: the relaxation's bound is at most the
    full model's optimum, and every plan it offers passes the checker (in ``accept``)
    and is no better than that optimum."""
    _assert_bound_and_plans(skill_scenario(*problem))


@settings(max_examples=8, deadline=None)
@given(skill_problems(), st.lists(st.integers(0, 9), min_size=4, max_size=4))
def test_cuts_hold_on_a_working_week_with_leave(
    problem: tuple[tuple[Person, ...], tuple[Task, ...]], leave: list[int]
) -> None:
    """The same on weekdays only, each person away for three days: a person's overlaps
    are counted on every timeline day, so the staffing cuts stay valid — the bound is at
    most the optimum and every plan offered verifies."""
    people, tasks = problem
    away = tuple(
        person.model_copy(
            update={
                "time_off": (
                    TimeOff(
                        start=MONDAY + dt.timedelta(days=first), end=MONDAY + dt.timedelta(days=first + 2)
                    ),
                )
            }
        )
        for person, first in zip(people, leave, strict=False)
    )
    week = scenario(project("p", *tasks), people=away, weeks=6, objective=MAKESPAN_OBJECTIVE)
    _assert_bound_and_plans(week)


def _assert_bound_and_plans(the_scenario: Scenario) -> None:
    """Where ``the_scenario`` has a plan: the pooled search's bound is at most the full
    model's optimum, and no plan it offers (each checked in ``accept``) is better."""
    check = cp_model.CpSolver()
    if check.solve(build_formulation(compile_problem(the_scenario)).model) != cp_model.OPTIMAL:
        return  # nobody has a needed skill
    optimum, _ = first_stage_optimum(the_scenario)
    bound, offered = _run(the_scenario, budget=5.0)
    assert bound <= optimum
    assert all(value >= optimum for value in offered)


def test_cut_relaxations_get_most_of_the_stage() -> None:
    """With staffing cuts (people on one task at a time, a small model) the relaxation
    gets most of the stage; with people who can split their day, a capped share."""
    policy = DEFAULT_BUDGET
    assert pooled.cut_driven(compile_problem(_switching_scenario()))
    assert policy.pooled_seconds(True, 60) == policy.cut_share * 60
    people = (Person(id="ann", skills={"a": 1}), Person(id="bob", skills={"a": 1}))
    half = skill_task("x", 2, {"a": 1}).model_copy(update={"allocations": (50,)})
    split = compile_problem(skill_scenario(people, (half, skill_task("y", 2, {"a": 1}))))
    assert not pooled.cut_driven(split)
    assert policy.pooled_seconds(False, 60) == min(policy.pooled_max_seconds, policy.pooled_share * 60)
    assert policy.cut_share * 60 > policy.pooled_max_seconds


def test_applicable_only_to_whole_fixed_duration_timing_stages() -> None:
    """Fixed durations, people, a timing objective and a whole problem; not otherwise."""
    scenario = _switching_scenario()
    problem = compile_problem(scenario)
    assert applicable(problem, MAKESPAN)
    assert applicable(problem, {ObjectiveTerm.LATENESS: 1, ObjectiveTerm.MAKESPAN: 1})
    assert not applicable(problem, {ObjectiveTerm.COST: 1})
    restricted = compile_problem(scenario)
    restricted.fixed = FixedWork(makespan=3)
    assert not applicable(restricted, MAKESPAN)
    effort = Task(id="e", effort=4, requires=(Requirement(skill="a", people=1),))
    effort_scenario = skill_scenario(scenario.people, (effort,)).model_copy(update={"end": scenario.end})
    assert not applicable(compile_problem(effort_scenario), MAKESPAN)
