"""The feasible-set bound on the makespan (``allocator.search.literature.feasible_sets``).

It drops constraints only, so it may never exceed the optimum; on hand-checked cases it
is the covering LP's optimum rounded up, and chains of dependencies keep their tasks
apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from ortools.sat.python import cp_model
from solver_helpers import first_stage_optimum, skill_problems, skill_scenario, skill_task, solve

import allocator.search.literature.feasible_sets as feasible_sets
from allocator.cpsat.formulation.model import build_formulation
from allocator.problem.compile import compile_problem
from allocator.search.literature.feasible_sets import makespan_bound
from benchmarks.convert import mspsp
from models import Person, Project, Task


def _two_devs() -> tuple[Person, ...]:
    return (Person(id="ann", skills={"a": 1}), Person(id="bob", skills={"a": 1}))


def test_bound_is_the_covering_lp_rounded_up() -> None:
    """Two people, three one-person tasks of 2, 3 and 4 days: the feasible sets are the
    pairs, and covering 2, 3 and 4 days with pairs takes (2 + 3 + 4) / 2 = 4.5 days at
    least, so 5: the optimum (2 + 3 on one person, 4 on the other)."""
    tasks = (skill_task("x", 2, {"a": 1}), skill_task("y", 3, {"a": 1}), skill_task("z", 4, {"a": 1}))
    scenario = skill_scenario(_two_devs(), tasks)
    assert makespan_bound(compile_problem(scenario), 5.0) == 5 == first_stage_optimum(scenario)[0]


def test_a_chain_of_dependencies_keeps_its_tasks_apart() -> None:
    """x (3 days) before y (3 days), z (2 days), two people: without the dependency
    the pairs x+y, x+z, y+z cover everything in 4 days; with it x and y never run
    together, so 6, the optimum."""
    tasks = (
        skill_task("x", 3, {"a": 1}),
        skill_task("y", 3, {"a": 1}, after=("x",)),
        skill_task("z", 2, {"a": 1}),
    )
    scenario = skill_scenario(_two_devs(), tasks)
    assert makespan_bound(compile_problem(scenario), 5.0) == 6 == first_stage_optimum(scenario)[0]
    apart = skill_scenario(_two_devs(), (tasks[0], skill_task("y", 3, {"a": 1}), tasks[2]))
    assert makespan_bound(compile_problem(apart), 5.0) == 4


def test_skill_unions_count_people_once() -> None:
    """Cy has a and b; Ann has a only. An a-task and a b-task fit their pools alone
    (two a-people, one b-person) but not together: the a-or-b union has two heads and
    the tasks need three. So they run one after the other: 2 + 3 = 5."""
    people = (Person(id="ann", skills={"a": 1}), Person(id="cy", skills={"a": 1, "b": 1}))
    tasks = (skill_task("x", 2, {"a": 2}), skill_task("y", 3, {"b": 1}))
    scenario = skill_scenario(people, tasks)
    assert makespan_bound(compile_problem(scenario), 5.0) == 5 == first_stage_optimum(scenario)[0]


def test_candidate_projects_are_left_out() -> None:
    """A candidate project's task may be dropped, so it does not raise the bound."""
    tasks = (skill_task("x", 2, {"a": 1}), skill_task("y", 3, {"a": 1}))
    scenario = skill_scenario(_two_devs(), tasks)
    extra = Project(id="maybe", status="candidate", tasks=(skill_task("z", 9, {"a": 2}),))
    with_candidate = scenario.model_copy(update={"projects": (*scenario.projects, extra)})
    assert makespan_bound(compile_problem(scenario), 5.0) == 3
    assert makespan_bound(compile_problem(with_candidate), 5.0) == 3


def test_too_many_sets_give_no_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past :data:`MAX_NODES` search nodes the sets are not listed and there is no bound."""
    tasks = tuple(skill_task(f"t{k}", 2, {"a": 1}) for k in range(6))
    problem = compile_problem(skill_scenario(_two_devs(), tasks))
    assert makespan_bound(problem, 5.0) == 6
    monkeypatch.setattr(feasible_sets, "MAX_NODES", 3)
    assert makespan_bound(problem, 5.0) is None


@settings(max_examples=40, deadline=None)
@given(skill_problems())
def test_bound_never_exceeds_the_optimum(problem: tuple[tuple[Person, ...], tuple[Task, ...]]) -> None:
    """Random multi-skill problems with a plan: the bound is at most the full model's
    optimum, and at least the longest task."""
    scenario = skill_scenario(*problem)
    compiled = compile_problem(scenario)
    if cp_model.CpSolver().solve(build_formulation(compiled).model) != cp_model.OPTIMAL:
        return  # nobody has a needed skill
    optimum, _ = first_stage_optimum(scenario)
    bound = makespan_bound(compiled, 5.0)
    assert bound is not None
    assert max(t.duration or 0 for t in problem[1]) <= bound <= optimum


@settings(max_examples=10, deadline=None)
@given(skill_problems())
def test_solves_keeping_the_bound_reach_the_optimum(
    problem: tuple[tuple[Person, ...], tuple[Task, ...]],
) -> None:
    """The whole solve, which adds the bound to its models, still ends at the optimum
    with a checked plan (``solve`` asserts the check)."""
    scenario = skill_scenario(*problem)
    if cp_model.CpSolver().solve(build_formulation(compile_problem(scenario)).model) != cp_model.OPTIMAL:
        return
    optimum, _ = first_stage_optimum(scenario)
    assert solve(scenario, time_limit=5).info.objective == optimum


SET2A = (
    Path(__file__).resolve().parent
    / "data"
    / "benchmarks"
    / "mspsp"
    / "inst_set2a_sf0_nc3.6_n25_l8_m10_04.dzn"
)


@pytest.mark.slow
def test_multi_skill_benchmark_bound_is_the_proven_optimum() -> None:
    """MSPSP set-2a nc3.6_n25_l8_m10_04, proven optimum 34 (Young, Feydy and Schutt,
    CP 2017): the bound is 34, where the full model's own bound was 31 after 60 s. A
    short solve computes it once its first look is unproven, reports it as the stage's
    bound, and its plan passes the checker (``solve`` asserts it)."""
    scenario = mspsp.to_scenario(mspsp.read_mspsp(SET2A))
    assert makespan_bound(compile_problem(scenario), 5.0) == 34
    messages: list[str] = []
    result = solve(scenario, time_limit=8, expect=None, progress=lambda p: messages.append(p.message))
    assert "feasible-set bound" in messages
    assert result.info.best_bound == 34 <= (result.info.objective or 0)
