"""Neighbourhood search with sub-solves side by side: every accepted schedule verifies,
stage values never get worse, the schedule searched from is never changed, and a stop
interrupts the running sub-solves."""

from __future__ import annotations

import time

import pytest

import allocator.search.solve as solve_module
from allocator.checker import check_plan
from allocator.construct.serial import construct_schedule
from allocator.demo.generate import generate_scenario
from allocator.plan.assemble import assemble_plan, tighten
from allocator.problem.compile import compile_problem
from allocator.problem.data import Problem
from allocator.problem.schedule import Schedule
from allocator.search.budget import TimeBudget
from allocator.search.evaluate import stage_values
from allocator.search.lns import MAX_SUB_TIME, LnsSettings, improve
from models import ObjectiveConfig, ObjectiveTerm, SolverStatus


@pytest.fixture(scope="module")
def start() -> tuple[Problem, Schedule]:
    """A generated portfolio (30 people, 6 projects, 80 tasks) and its constructed plan."""
    scenario = generate_scenario(people=30, vendors=2, projects=6, tasks=80, weeks=13, seed=1)
    problem = compile_problem(scenario)
    schedule = construct_schedule(problem)
    assert schedule is not None
    tighten(problem, schedule)
    return problem, schedule


def test_two_lanes_accept_only_verified_schedules_that_are_better(start: tuple[Problem, Schedule]) -> None:
    problem, schedule = start
    seen = [stage_values(problem, schedule)]
    before = {tid: (c.start, c.end) for tid, c in schedule.items()}

    def accept(candidate: Schedule) -> bool:
        assert not any(candidate[tid] is choice for tid, choice in schedule.items())
        tighten(problem, candidate)  # as the solve does: in place, on the candidate's own choices
        values = stage_values(problem, candidate)
        plan = assemble_plan(problem, dict(candidate), "test")
        assert check_plan(problem.scenario, plan).ok
        assert values[:1] < seen[-1][:1]
        seen.append(values)
        return True

    settings = LnsSettings(time.monotonic() + 6.0, workers=2, seed=3)
    best = improve(problem, dict(schedule), 0, settings, accept)
    assert {tid: (c.start, c.end) for tid, c in schedule.items()} == before  # the incumbent never moved
    assert settings.sub_solves >= 2
    assert len(settings.history) == settings.sub_solves
    assert settings.improvements == len(seen) - 1
    assert stage_values(problem, best) == seen[-1]


def test_a_stop_interrupts_the_running_sub_solves(start: tuple[Problem, Schedule]) -> None:
    problem, schedule = start
    asked = time.monotonic() + 1.0
    settings = LnsSettings(
        time.monotonic() + 60.0,
        workers=2,
        seed=5,
        sub_time=MAX_SUB_TIME,
        stopped=lambda: time.monotonic() >= asked,
    )
    best = improve(problem, dict(schedule), 0, settings, lambda candidate: True)
    # Without interrupting, the loop would run to its deadline (sub-solves of up to 15 s).
    assert time.monotonic() - asked < 5.0
    assert stage_values(problem, best) <= stage_values(problem, schedule)


@pytest.mark.parametrize(
    ("stages", "neighbourhoods"),
    [
        (({ObjectiveTerm.MAKESPAN: 1},), False),
        (({ObjectiveTerm.LATENESS: 1},), True),
    ],
)
def test_makespan_stage_of_a_staffed_portfolio_stays_with_cp_sat(
    monkeypatch: pytest.MonkeyPatch, stages: tuple[dict[ObjectiveTerm, int], ...], neighbourhoods: bool
) -> None:
    # Above the policy's monolithic size a staffed stage gives most of its time to our
    # neighbourhoods, which aim at lateness; a makespan-only stage is left to CP-SAT's own
    # search. The policy here makes the 40 tasks a larger model.
    calls: list[int] = []

    def record(problem: Problem, schedule: Schedule, stage: int, *args: object) -> Schedule:
        calls.append(stage)
        return schedule

    monkeypatch.setattr(solve_module, "improve", record)
    scenario = generate_scenario(people=8, vendors=0, projects=3, tasks=40, weeks=5, seed=2)
    scenario = scenario.model_copy(update={"objective": ObjectiveConfig(stages=stages)})
    options = solve_module.SolveOptions(
        time_limit=2, workers=2, seed=0, budget=TimeBudget(monolithic_tasks=30)
    )
    result = solve_module.solve_scenario(scenario, options)
    assert result.plan is not None and check_plan(scenario, result.plan).ok
    assert bool(calls) == (neighbourhoods and result.info.stages[0].status != SolverStatus.OPTIMAL)
