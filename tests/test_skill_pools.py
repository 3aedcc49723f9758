"""Skill-pool bounds: the heads running tasks need fit the people who have the skills.

``allocator.cpsat.formulation.capacity.add_skill_pool_bounds`` is redundant: on hand-checked
and random multi-skill problems it must change no optimum, and unions of pools must be
added exactly where people with several skills make them tighter than their parts.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from ortools.sat.python import cp_model
from solver_helpers import first_stage_optimum, skill_problems, skill_scenario, skill_task

from allocator.cpsat.formulation import capacity
from allocator.cpsat.formulation.model import build_formulation
from allocator.problem.compile import compile_problem
from models import Person, Scenario, Task


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
    tasks = (skill_task("x", 3, {"a": 1, "b": 1}), skill_task("y", 4, {"a": 1, "b": 1}))
    assert _solve(skill_scenario(people, tasks)) == (7, [200, 200, 200])


def test_no_union_where_nobody_shares_skills() -> None:
    """Disjoint skills: the union is no tighter than its parts and is left out."""
    people = (Person(id="p1", skills={"a": 1}), Person(id="p2", skills={"b": 1}))
    tasks = (skill_task("x", 3, {"a": 1}), skill_task("y", 4, {"b": 1}))
    assert _solve(skill_scenario(people, tasks)) == (4, [100, 100])


@settings(max_examples=40, deadline=None)
@given(skill_problems())
def test_pools_never_change_the_optimum(problem: tuple[tuple[Person, ...], tuple[Task, ...]]) -> None:
    """Random staffing problems that have a plan: the optimum is the same without any pool bound."""
    scenario = skill_scenario(*problem)
    formulation = build_formulation(compile_problem(scenario))
    check = cp_model.CpSolver()
    if check.solve(formulation.model) != cp_model.OPTIMAL:
        return  # nobody has a needed skill: nothing to compare
    with_pools, _ = _solve(scenario)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(capacity, "add_skill_pool_bounds", lambda *_, **__: None)
        without, _ = _solve(scenario)
    assert with_pools == without
