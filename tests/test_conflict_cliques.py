"""No-overlap cliques over task modes that cannot be staffed together.

They are redundant (the pool cumulatives imply them), so they may never change an
optimum; on hand-checked cases the cliques are the expected ones, and the greedy cover
leaves no conflict out.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
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

from allocator.cpsat.formulation import cliques
from allocator.cpsat.formulation.cliques import conflict_cliques
from allocator.cpsat.formulation.model import build_formulation
from allocator.problem.compile import compile_problem
from benchmarks.convert.psplib import MAKESPAN_OBJECTIVE
from models import Person, Scenario, Task, TimeOff


def _run_cliques(model: cp_model.CpModel) -> list[list[str]]:
    """Names of the task-mode intervals of every no-overlap over them, sorted."""
    proto = model.proto
    found = []
    for constraint in proto.constraints:
        if not constraint.has_no_overlap():
            continue
        names = [proto.constraints[i].name for i in constraint.no_overlap.intervals]
        if all(name.startswith("run[") for name in names):
            found.append(sorted(names))
    return sorted(found)


def _optimum_without_cliques(problem: Scenario) -> int:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cliques, "add_conflict_cliques", lambda *_: None)
        return first_stage_optimum(problem)[0]


def test_tasks_that_each_need_most_of_a_pool_form_one_clique() -> None:
    """Three people with skill a; x, y and z each need two of them, so no two can run at
    once: one no-overlap over all three, and the optimum is 2 + 3 + 4 days."""
    people = tuple(Person(id=f"p{k}", skills={"a": 1}) for k in range(3))
    tasks = (skill_task("x", 2, {"a": 2}), skill_task("y", 3, {"a": 2}), skill_task("z", 4, {"a": 2}))
    optimum, model = first_stage_optimum(skill_scenario(people, tasks))
    assert optimum == 9
    assert _run_cliques(model) == [["run[x,default]", "run[y,default]", "run[z,default]"]]


def test_a_clique_takes_in_tasks_ordered_by_dependencies() -> None:
    """x and y cannot be staffed together, y comes after z: z joins the clique, since
    it cannot overlap either (by dependency and by staffing: z needs both people)."""
    people = (Person(id="ann", skills={"a": 1}), Person(id="bob", skills={"a": 1, "b": 1}))
    tasks = (
        skill_task("x", 2, {"a": 2}),
        skill_task("z", 1, {"a": 1, "b": 1}),
        skill_task("y", 3, {"b": 1}, after=("z",)),
    )
    optimum, model = first_stage_optimum(skill_scenario(people, tasks))
    assert optimum == 6
    assert _run_cliques(model) == [["run[x,default]", "run[y,default]", "run[z,default]"]]


def test_part_time_shares_are_no_conflict() -> None:
    """One person, two tasks each taking half of her: they can run side by side, so no
    clique, and the plan lasts as long as the longer task."""
    people = (Person(id="ann", skills={"a": 1}),)
    tasks = tuple(
        skill_task(tid, days, {"a": 1}).model_copy(update={"allocations": (50,)})
        for tid, days in (("x", 3), ("y", 4))
    )
    shared = skill_scenario(people, tasks).model_copy(update={"allocations": (50, 100)})
    optimum, model = first_stage_optimum(shared)
    assert (optimum, _run_cliques(model)) == (4, [])


def test_few_conflicts_add_no_cliques() -> None:
    """Four independent tasks, only x and y conflict (both need Cy's b): one pair of six
    is under :data:`MIN_CONFLICT_SHARE`, so the pool cumulatives alone keep them apart."""
    people = (
        Person(id="ann", skills={"a": 1}),
        Person(id="bob", skills={"a": 1}),
        Person(id="cy", skills={"b": 1}),
    )
    tasks = (
        skill_task("x", 2, {"b": 1}),
        skill_task("y", 3, {"b": 1}),
        skill_task("v", 1, {"a": 1}),
        skill_task("w", 1, {"a": 1}),
    )
    assert cliques.MIN_CONFLICT_SHARE > 1 / 6
    optimum, model = first_stage_optimum(skill_scenario(people, tasks))
    assert (optimum, _run_cliques(model)) == (5, [])


@settings(max_examples=40, deadline=None)
@given(skill_problems())
def test_cliques_never_change_the_optimum(problem: tuple[tuple[Person, ...], tuple[Task, ...]]) -> None:
    """Random staffing problems that have a plan: the same optimum without the cliques."""
    every_day = skill_scenario(*problem)
    if cp_model.CpSolver().solve(build_formulation(compile_problem(every_day)).model) != cp_model.OPTIMAL:
        return  # nobody has a needed skill: nothing to compare
    assert first_stage_optimum(every_day)[0] == _optimum_without_cliques(every_day)


@settings(max_examples=15, deadline=None)
@given(skill_problems(), st.lists(st.integers(0, 9), min_size=4, max_size=4))
def test_cliques_hold_on_a_working_week_with_leave(
    problem: tuple[tuple[Person, ...], tuple[Task, ...]], leave: list[int]
) -> None:
    """The same on weekdays only, each person away for three days: the whole solve
    (checked plan) ends at the optimum of the model without cliques."""
    people, tasks = problem
    away = tuple(
        person.model_copy(update={"time_off": (TimeOff(start=_day(first), end=_day(first + 2)),)})
        for person, first in zip(people, leave, strict=False)
    )
    week = scenario(project("p", *tasks), people=away, weeks=6, objective=MAKESPAN_OBJECTIVE)
    if cp_model.CpSolver().solve(build_formulation(compile_problem(week)).model) != cp_model.OPTIMAL:
        return
    assert solve(week, time_limit=5).info.objective == _optimum_without_cliques(week)


def _day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.booleans(), min_size=n * n, max_size=n * n),
            st.lists(st.booleans(), min_size=n * n, max_size=n * n),
        )
    )
)
def test_cliques_cover_every_conflict(graph: tuple[int, list[bool], list[bool]]) -> None:
    """Random graphs: every clique is a clique of ``apart`` and every needed edge is in one."""
    size, apart_bits, needed_bits = graph
    apart = np.array(apart_bits).reshape(size, size)
    apart = apart | apart.T
    np.fill_diagonal(apart, False)
    needed = apart & np.array(needed_bits).reshape(size, size)
    needed = needed | needed.T
    covered = np.zeros_like(needed)
    for clique in conflict_cliques(apart, needed):
        members = np.array(clique)
        assert len(set(clique)) == len(clique) >= 2
        inner = apart[np.ix_(members, members)] | np.eye(len(members), dtype=bool)
        assert inner.all()
        covered[np.ix_(members, members)] = True
    assert not (needed & ~covered).any()
