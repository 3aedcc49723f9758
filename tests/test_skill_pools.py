"""Skill-pool bounds: the heads running tasks need fit the people who have the skills.

``allocator.formulation.capacity.add_skill_pool_bounds`` is redundant: on hand-checked
and random multi-skill problems it must change no optimum, and unions of pools must be
added exactly where people with several skills make them tighter than their parts.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from solver_helpers import first_stage_optimum

from allocator.compile import compile_problem
from allocator.formulation import capacity
from allocator.formulation.model import build_formulation
from benchmarks.convert.psplib import EVERY_DAY, MAKESPAN_OBJECTIVE, PLAN_START, day
from models import Dependency, Person, Project, Requirement, Scenario, Task, TeamSize

SKILLS = ("a", "b", "c")


def _task(tid: str, duration: int, needs: dict[str, int], after: tuple[str, ...] = ()) -> Task:
    heads = sum(needs.values())
    return Task(
        id=tid,
        duration=duration,
        requires=tuple(Requirement(skill=s, people=n) for s, n in needs.items() if n),
        team=TeamSize(min=heads, max=heads),
        allocations=(100,),
        vendor="never",
        after=tuple(Dependency(task=p) for p in after),
    )


def _scenario(people: tuple[Person, ...], tasks: tuple[Task, ...]) -> Scenario:
    return Scenario(
        name="pools",
        start=PLAN_START,
        end=day(PLAN_START, sum(t.duration or 0 for t in tasks) + 1),
        calendar=EVERY_DAY,
        allocations=(100,),
        people=people,
        projects=(Project(id="p", tasks=tasks),),
        objective=MAKESPAN_OBJECTIVE,
    )


def _solve(scenario: Scenario) -> tuple[int, list[int]]:
    """(optimal makespan, capacities of the model's cumulatives), one worker."""
    optimum, model = first_stage_optimum(scenario)
    proto = model.proto
    capacities = sorted(c.cumulative.capacity.offset for c in proto.constraints if c.has_cumulative())
    return optimum, capacities


def test_union_of_pools_where_people_share_skills() -> None:
    """Two people with skills a and b; x and y each need one a and one b. Pools a and b
    alone (200 each) let x and y overlap; their union (200, demand 200 each) does not,
    as the two people are all there is. x then y: 3 + 4 days."""
    people = (Person(id="p1", skills={"a": 1, "b": 1}), Person(id="p2", skills={"a": 1, "b": 1}))
    tasks = (_task("x", 3, {"a": 1, "b": 1}), _task("y", 4, {"a": 1, "b": 1}))
    assert _solve(_scenario(people, tasks)) == (7, [200, 200, 200])


def test_no_union_where_nobody_shares_skills() -> None:
    """Disjoint skills: the union is no tighter than its parts and is left out."""
    people = (Person(id="p1", skills={"a": 1}), Person(id="p2", skills={"b": 1}))
    tasks = (_task("x", 3, {"a": 1}), _task("y", 4, {"b": 1}))
    assert _solve(_scenario(people, tasks)) == (4, [100, 100])


@st.composite
def _problems(draw: st.DrawFn) -> tuple[tuple[Person, ...], tuple[Task, ...]]:
    """2-4 people with 1-3 skills; 2-5 tasks needing 1-2 heads of random skills."""
    people = tuple(
        Person(
            id=f"p{k}",
            skills=dict.fromkeys(draw(st.lists(st.sampled_from(SKILLS), min_size=1, unique=True)), 1),
        )
        for k in range(draw(st.integers(2, 4)))
    )
    tasks = []
    for index in range(draw(st.integers(2, 5))):
        first, second = draw(st.sampled_from(SKILLS)), draw(st.sampled_from(SKILLS))
        needs = {first: 1} if first == second or draw(st.booleans()) else {first: 1, second: 1}
        earlier = [f"t{k}" for k in range(index)]
        after = tuple(draw(st.lists(st.sampled_from(earlier), unique=True, max_size=1))) if earlier else ()
        tasks.append(_task(f"t{index}", draw(st.integers(1, 4)), needs, after))
    return people, tuple(tasks)


@settings(max_examples=40, deadline=None)
@given(_problems())
def test_pools_never_change_the_optimum(problem: tuple[tuple[Person, ...], tuple[Task, ...]]) -> None:
    """Random staffing problems that have a plan: the optimum is the same without any pool bound."""
    scenario = _scenario(*problem)
    formulation = build_formulation(compile_problem(scenario))
    check = cp_model.CpSolver()
    if check.solve(formulation.model) != cp_model.OPTIMAL:
        return  # nobody has a needed skill: nothing to compare
    with_pools, _ = _solve(scenario)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(capacity, "add_skill_pool_bounds", lambda *_: None)
        without, _ = _solve(scenario)
    assert with_pools == without
