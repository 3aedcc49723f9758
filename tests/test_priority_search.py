"""The search over construction orders (allocator.search.priorities)."""

from __future__ import annotations

import time

from allocator.checker import check_plan
from allocator.construct.serial import construct_schedule
from allocator.plan.assemble import assemble_plan, tighten
from allocator.problem.compile import compile_problem
from allocator.problem.schedule import Schedule
from allocator.search.evaluate import stage_values
from allocator.search.priorities import PrioritySearch, search_priorities
from models import ObjectiveTerm
from tests.solver_helpers import MONDAY, person, project, scenario, stages, task, weekday_after

LATENESS = stages(ObjectiveTerm.LATENESS)


def _two_projects_one_person():
    """Ana does both five-day tasks. The low-priority one is due a day earlier, so the
    latest-finish rule places it first: the urgent one ends 4 days late (x5 = 20). The
    other order makes the low-priority one 5 days late (x1 = 5), the optimum."""
    low = project("low", task("a", effort=5), deadline=weekday_after(MONDAY, 4), priority=1)
    high = project("high", task("b", effort=5), deadline=weekday_after(MONDAY, 5), priority=5)
    return scenario(low, high, people=(person("ana"),), objective=LATENESS)


def test_the_search_finds_the_order_the_rule_misses_and_every_plan_it_hands_on_verifies() -> None:
    the_scenario = _two_projects_one_person()
    problem = compile_problem(the_scenario)
    first = construct_schedule(problem)
    assert first is not None
    tighten(problem, first)
    assert stage_values(problem, first)[0] == 20
    handed: list[Schedule] = []

    def accept(schedule: Schedule) -> bool:
        plan = assemble_plan(problem, schedule, "hash")
        assert check_plan(the_scenario, plan).ok
        handed.append(schedule)
        return True

    search = PrioritySearch(time.monotonic() + 2.0, seed=0, accept=accept)
    search_priorities(problem, search)
    assert handed and stage_values(problem, handed[-1])[0] == 5
    values = [stage_values(problem, s)[0] for s in handed]
    assert values == sorted(values, reverse=True) and len(set(values)) == len(
        values
    )  # strictly better each time
    assert search.improvements == len(handed) and search.candidates >= len(handed)


def test_a_stop_ends_the_search_at_once() -> None:
    problem = compile_problem(_two_projects_one_person())
    search = PrioritySearch(time.monotonic() + 60.0, seed=0, accept=lambda _: True, stopped=lambda: True)
    started = time.monotonic()
    search_priorities(problem, search)
    assert time.monotonic() - started < 1.0 and search.candidates == 0


def test_a_solve_of_the_two_projects_reaches_the_optimum() -> None:
    """The whole solve (construction, order search, CP-SAT) ends at 5, proven by CP-SAT."""
    from tests.solver_helpers import solve

    result = solve(_two_projects_one_person(), time_limit=5)
    assert result.info.stages[0].objective == 5


def test_a_passed_deadline_builds_nothing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """On a large portfolio one construction outlasts the time limit: none is started late."""
    import allocator.search.priorities as priorities

    built: list[int] = []

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        return construct_schedule(*args, **kwargs)

    monkeypatch.setattr(priorities, "construct_schedule", counting)
    problem = compile_problem(_two_projects_one_person())
    search_priorities(problem, PrioritySearch(time.monotonic() - 1.0, seed=0, accept=lambda _: True))
    assert built == []
    search_priorities(problem, PrioritySearch(time.monotonic() + 0.5, seed=0, accept=lambda _: True))
    assert built  # with time left it builds
