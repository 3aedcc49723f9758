"""How a solve behaves: reproducibility, time limits, construction only, no plan, stopping.

Wall-time assertions are loose on purpose (a busy CI machine is slow); what must hold
exactly is that every returned plan passes the checker and the solver facts say how it
was found.
"""

from __future__ import annotations

import threading

import pytest
from solver_helpers import (
    assert_verified,
    d,
    person,
    planned,
    project,
    scenario,
    solve,
    task,
    vendor,
)

from allocator.demo.generate import generate_scenario
from allocator.search.solve import SolveControl, SolveOptions, solve_scenario
from models import Scenario, SolverStatus, TeamSize, TimeOff

SLACK = 5.0  #: seconds a solve may overrun its time limit (model building, checking)
#: The portfolio below proves optimality in about 3 s on one worker; the generous limit
#: only matters on a loaded machine (a solve stops as soon as every stage is proven).
PORTFOLIO_LIMIT = 30.0


@pytest.fixture(scope="module")
def medium() -> Scenario:
    """A generated portfolio: 30 people, 2 vendors, 6 projects, 80 tasks over 13 weeks."""
    return generate_scenario(people=30, vendors=2, projects=6, tasks=80, weeks=13, seed=1)


def _portfolio() -> Scenario:
    """Six tasks over three projects with ties between people, so the search has choices."""
    return scenario(
        project(
            "crm",
            task("design", effort=4, team=TeamSize(min=1, max=2)),
            task("build", effort=8, team=TeamSize(min=1, max=2), after=("design",)),
            task("test", duration=3, requires=("qa",), after=("build",)),
            deadline=d("02-05"),
            priority=2,
        ),
        project(
            "erp",
            task("upgrade", effort=6),
            task("verify", effort=2, requires=("qa",), after=("upgrade",)),
        ),
        project("ops", task("patch", effort=3, deadline=d("01-15"), deadline_type="soft")),
        people=(
            person("ann"),
            person("bob", fte=0.8),
            person("carol", "dev:2", "qa:3", time_off=(TimeOff(start=d("01-11"), end=d("01-12")),)),
            person("dave", "qa:4", end=d("02-26")),
        ),
        vendors=(vendor("acme", day_rate=300, lead_time_days=3),),
    )


def test_same_seed_and_one_worker_give_the_same_plan() -> None:
    the_scenario = _portfolio()
    first = planned(solve(the_scenario, time_limit=PORTFOLIO_LIMIT))
    second = planned(solve(the_scenario, time_limit=PORTFOLIO_LIMIT))
    assert first.tasks == second.tasks
    assert first.kpis == second.kpis
    assert [s.objective for s in first.solver.stages] == [s.objective for s in second.solver.stages]


def test_time_limit_gives_a_verified_plan(medium: Scenario) -> None:
    result = solve_scenario(medium, SolveOptions(time_limit=3, workers=1, seed=0))
    plan = planned(result)
    assert_verified(medium, plan)
    assert result.status in (SolverStatus.OPTIMAL, SolverStatus.FEASIBLE)
    assert result.info.time_to_first_plan is not None
    assert result.info.first_plan_source in ("construction", "search")
    assert result.info.time_limit == 3
    assert result.info.wall_time < 3 + SLACK
    assert not result.info.interrupted


def test_construct_only_gives_a_verified_plan(medium: Scenario) -> None:
    result = solve_scenario(medium, SolveOptions(construct_only=True))
    plan = planned(result)
    assert_verified(medium, plan)
    assert result.status == SolverStatus.FEASIBLE
    assert result.info.stages == ()
    assert result.info.first_plan_source == "construction"
    assert {tp.task for tp in plan.tasks} <= {t.id for _, t in medium.tasks()}


@pytest.mark.parametrize(
    "deadline_on",
    [
        # 10 days of work for one person, due Fri 01-08 (5 working days).
        "task",
        "project",
    ],
)
def test_hard_deadline_shorter_than_the_work_gives_no_plan(deadline_on: str) -> None:
    if deadline_on == "task":
        the_project = project("p", task("build", effort=10, deadline=d("01-08")))
    else:
        the_project = project("p", task("build", effort=10), deadline=d("01-08"), deadline_type="hard")
    result = solve(scenario(the_project, people=(person("ann"),)), expect=SolverStatus.INFEASIBLE)
    assert result.plan is None
    assert result.info.status == SolverStatus.INFEASIBLE
    assert result.info.time_to_first_plan is None


def test_stop_from_another_thread_keeps_the_best_plan(medium: Scenario) -> None:
    control = SolveControl()
    timer = threading.Timer(0.5, control.stop)
    timer.start()
    try:
        result = solve_scenario(medium, SolveOptions(time_limit=10, workers=1, seed=0), control)
    finally:
        timer.cancel()
    plan = planned(result)
    assert_verified(medium, plan)
    assert result.info.interrupted
    assert control.stopped
    assert result.info.wall_time < 10


def test_stop_before_the_search_returns_the_constructed_plan() -> None:
    # A stop asked for before the solve skips every stage; the constructed plan remains.
    the_scenario = _portfolio()
    control = SolveControl()
    control.stop()
    result = solve_scenario(the_scenario, SolveOptions(time_limit=5, workers=1, seed=0), control)
    plan = planned(result)
    assert_verified(the_scenario, plan)
    assert result.info.interrupted
    assert result.info.stages == ()
    assert result.info.first_plan_source == "construction"


def test_search_improves_on_construction_for_a_small_portfolio() -> None:
    # Each stage is proven optimal, so no stage value can exceed the constructed plan's.
    the_scenario = _portfolio()
    constructed = planned(solve(the_scenario, construct_only=True, expect=SolverStatus.FEASIBLE))
    searched = planned(solve(the_scenario, time_limit=PORTFOLIO_LIMIT))
    assert searched.kpis.weighted_late_days <= constructed.kpis.weighted_late_days
    assert searched.solver is not None and all(
        s.status == SolverStatus.OPTIMAL and s.objective == s.bound for s in searched.solver.stages
    )


# --- money near budgets and caps: day rates are counted to the cent -------------------


def _budget_scenario(ann_rate: float, budget: float) -> Scenario:
    """Ann (``ann_rate`` a day) is free now; Bob (150 a day) after a week of leave."""
    return scenario(
        project("p", task("build", effort=5, allocations=(100,)), budget=budget),
        people=(
            person("ann", cost_per_day=ann_rate),
            person("bob", cost_per_day=150, time_off=(TimeOff(start=d("01-04"), end=d("01-08")),)),
        ),
    )


def test_budget_with_fractional_day_cost_still_plans_the_cheaper_person() -> None:
    # Ann costs 1,002 > budget 1,000; Bob costs 750 and is the optimum (finish E = 10). The
    # model rounds Ann to 200 x 5 = 1,000, picks her, the checker rejects every such plan and
    # the solve ends with no plan (status unknown).
    result = solve(_budget_scenario(200.4, 1000), expect=None)
    assert result.status == SolverStatus.OPTIMAL
    assert result.plan is not None
    assert [row.resource for row in result.plan.tasks[0].assignments] == ["bob"]


def test_budget_with_fractional_day_cost_admits_a_plan_that_fits() -> None:
    # Ann costs 1,003 <= budget 1,004 and finishes a week earlier than Bob, so she is the
    # optimum; the model rounds her to 201 x 5 = 1,005 > 1,004 and reports Bob as optimal.
    result = solve(_budget_scenario(200.6, 1004), expect=None)
    assert result.status == SolverStatus.OPTIMAL
    assert result.plan is not None
    assert [row.resource for row in result.plan.tasks[0].assignments] == ["ann"]


def test_spend_cap_below_the_only_way_is_infeasible() -> None:
    # Vendor-only work of 5 contractor-days at 100.4 costs 502 > cap 500: no plan exists, and
    # the status should say so; the model sees 500 <= 500 and finds plans the checker rejects.
    the_scenario = scenario(
        project("p", task("build", effort=5, vendor="only")),
        vendors=(vendor("acme", day_rate=100.4, spend_cap=500),),
    )
    result = solve(the_scenario, expect=None)
    assert result.plan is None
    assert result.status == SolverStatus.INFEASIBLE


def test_no_verified_plan_reports_no_time_to_first_plan() -> None:
    # Ten person-days for one person by a hard deadline two working days away.
    the_scenario = scenario(
        project("p", task("build", effort=10, deadline=d("01-05"), deadline_type="hard")),
        people=(person("ann"),),
    )
    result = solve(the_scenario, expect=None)
    assert result.plan is None
    assert result.info.time_to_first_plan is None
    assert result.info.first_plan_source == ""
