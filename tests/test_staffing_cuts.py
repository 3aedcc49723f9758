"""Staffing conflicts: the overlaps of a schedule that no teams fit, and their cuts.

A conflict is proof that the full model cannot staff the schedule (the relaxed staffing
drops constraints only); it is small (no overlap of it can be left out); and its cut
keeps the pooled relaxation a relaxation, so the bound the pooled search returns is
still a bound: here it reaches the staffed optimum the exact-schedule exclusion could
not.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from solver_helpers import skill_problems, skill_scenario, skill_task

from allocator.cpsat.formulation.model import build_formulation
from allocator.problem.compile import compile_problem
from allocator.problem.data import Problem
from allocator.problem.schedule import Schedule, TaskChoice
from allocator.search.literature.pooled import staff
from allocator.search.literature.staffing_cuts import _Staffing, exclusive_people, staffing_conflicts
from models import ObjectiveTerm, Person, Task

MAKESPAN = {ObjectiveTerm.MAKESPAN: 1}


def _timing(windows: dict[str, tuple[int, int]]) -> Schedule:
    return {tid: TaskChoice(task=tid, start=start, end=end) for tid, (start, end) in windows.items()}


def _switching() -> Problem:
    """Ann (a, c), Bob (b), Cy (a, b); ``long`` needs an a, ``b1`` and ``b2`` a b, ``c`` the c."""
    people = (
        Person(id="ann", skills={"a": 1, "c": 1}),
        Person(id="bob", skills={"b": 1}),
        Person(id="cy", skills={"a": 1, "b": 1}),
    )
    tasks = (
        skill_task("long", 4, {"a": 1}),
        skill_task("b1", 2, {"b": 1}),
        skill_task("b2", 2, {"b": 1}),
        skill_task("c", 2, {"c": 1}),
    )
    return compile_problem(skill_scenario(people, tasks))


def test_every_overlap_of_the_switching_schedule_is_needed() -> None:
    """``long`` on [0, 4), the b tasks on [0, 2), ``c`` on [2, 4): Bob and Cy take the b
    tasks (they overlap), so Ann takes ``long``, and ``c`` needs her while it runs.
    Without any one of the four overlaps there are teams (Bob does both b tasks; Cy
    does a b task and ``long`` at once; ...), so the conflict is all four."""
    problem = _switching()
    timing = _timing({"long": (0, 4), "b1": (0, 2), "b2": (0, 2), "c": (2, 4)})
    conflicts = staffing_conflicts(problem, timing, exclusive_people(problem))
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert set(conflict.overlaps) == {("b1", "b2"), ("b1", "long"), ("b2", "long"), ("c", "long")}
    assert conflict.modes == {"b1": 0, "b2": 0, "c": 0, "long": 0}


def test_a_schedule_with_teams_has_no_conflict() -> None:
    """``c`` after ``long``: Ann does both, Bob and Cy the b tasks."""
    problem = _switching()
    timing = _timing({"long": (0, 4), "b1": (0, 2), "b2": (0, 2), "c": (4, 6)})
    assert staffing_conflicts(problem, timing, exclusive_people(problem)) == []


def test_people_who_can_split_their_day_are_not_exclusive() -> None:
    """Half-day allocations let a person be on two tasks at once: no pairwise conflicts."""
    people = (Person(id="ann", skills={"a": 1}), Person(id="bob", skills={"a": 1}))
    half = skill_task("x", 2, {"a": 1}).model_copy(update={"allocations": (50,)})
    full = skill_task("y", 2, {"a": 1})
    problem = compile_problem(skill_scenario(people, (half, full)))
    assert exclusive_people(problem) == set()
    assert exclusive_people(_switching()) == {"ann", "bob", "cy"}


def _without_dependencies(tasks: tuple[Task, ...]) -> tuple[Task, ...]:
    return tuple(t.model_copy(update={"after": ()}) for t in tasks)


@settings(max_examples=40, deadline=None)
@given(skill_problems(), st.lists(st.integers(0, 5), min_size=5, max_size=5))
def test_a_conflict_is_proof_and_minimal(
    problem: tuple[tuple[Person, ...], tuple[Task, ...]], starts: list[int]
) -> None:
    """Random multi-skill problems and random start days: when conflicts are found, the
    full model cannot staff the schedule, no two share an overlap, and every overlap of
    each is needed."""
    people, tasks = problem
    compiled = compile_problem(skill_scenario(people, _without_dependencies(tasks)))
    timing = _timing(
        {t.id: (start, start + (t.duration or 0)) for t, start in zip(tasks, starts, strict=False)}
    )
    exclusive = exclusive_people(compiled)
    conflicts = staffing_conflicts(compiled, timing, exclusive, seconds=5.0)
    if not conflicts:
        return
    assert staff(build_formulation(compiled), MAKESPAN, timing, 1) is None
    staffing = _Staffing(compiled, timing, exclusive)
    seen: set[tuple[str, str]] = set()
    for conflict in conflicts:
        assert not seen & set(conflict.overlaps)
        seen |= set(conflict.overlaps)
        for left_out in conflict.overlaps:
            assert staffing.core([p for p in conflict.overlaps if p != left_out], 5.0) is None
