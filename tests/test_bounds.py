"""Lower bounds on the objective (allocator.bounds): hand-checked values and never above the optimum.

Hand-checked cases use weekdays only (no public holidays) from Monday 2027-01-04, so
timeline day ``i`` of the first week is Monday + ``i``.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from allocator.bounds.chains import earliest_finishes
from allocator.bounds.portfolio import portfolio_bounds
from allocator.cpsat.formulation.model import build_formulation
from allocator.cpsat.formulation.objectives import stage_expression
from allocator.problem.compile import compile_problem
from allocator.problem.data import Problem
from models import Dependency, ObjectiveTerm, Person, Requirement, Scenario, TeamSize, TimeOff
from tests.bound_plans import chain_scenario
from tests.solver_helpers import (
    MONDAY,
    person,
    planned,
    project,
    scenario,
    solve,
    stages,
    task,
    vendor,
)

LATENESS = stages((ObjectiveTerm.LATENESS, ObjectiveTerm.DEFERRAL))


def weekday(offset: int) -> dt.date:
    """The ``offset``-th weekday from MONDAY (0 is MONDAY)."""
    weeks, days = divmod(offset, 5)
    return MONDAY + dt.timedelta(weeks=weeks, days=days)


def test_a_chain_sets_the_earliest_finish_and_the_bound_is_the_optimum() -> None:
    """13 working days of chained work from day 0 end on day 13 (exclusive); the deadline
    (day 10) is met up to day 11, so 2 late days, weighted 2 x 2 = 4, in every plan."""
    the_scenario = chain_scenario()
    bounds = portfolio_bounds(compile_problem(the_scenario))
    assert bounds.chains.finish == {"build": 5, "api": 10, "test": 13}
    crm = bounds.projects["crm"]
    assert crm.late_days == 2
    assert crm.chain == ("build", "api", "test")
    assert crm.earliest_finish == weekday(12)
    assert "build → api → test" in crm.reason and "13 working days" in crm.reason
    assert bounds.stage(compile_problem(the_scenario), the_scenario.objective.stages[0]) == 4
    plan = planned(solve(the_scenario))
    assert plan.solver is not None and plan.solver.stages[0].objective == 4
    assert plan.solver.stages[0].bound == 4
    assert [b.project for b in plan.solver.project_bounds] == ["crm"]


def test_leave_on_the_chain_moves_the_bound() -> None:
    """Ana away on days 5-6 (Monday and Tuesday of week 2): api ends two days later."""
    away = (TimeOff(start=weekday(5), end=weekday(6)),)
    bounds = portfolio_bounds(compile_problem(chain_scenario(time_off=away)))
    assert bounds.chains.finish["api"] == 12
    assert bounds.projects["crm"].late_days == 4


def test_the_fastest_team_the_skills_allow_shortens_the_chain() -> None:
    """10 days of effort for up to two backend people at 100 %: five days at the earliest;
    a half-time second person makes it seven (5 + 2.5 a day... 10 / 1.5 -> 7 days)."""
    wide = task("big", effort=10, requires=("backend",), team=TeamSize(min=1, max=2))
    two = scenario(project("p", wide), people=(person("ana", "backend:3"), person("cy", "backend:3")))
    assert earliest_finishes(compile_problem(two)).finish["big"] == 5
    half = scenario(
        project("p", wide), people=(person("ana", "backend:3"), person("cy", "backend:3", fte=0.5))
    )
    assert earliest_finishes(compile_problem(half)).finish["big"] == 7


def test_a_single_tester_owed_by_three_projects_forces_their_order() -> None:
    """One qa person, three projects each owing her 5 days, all due on Friday of week 1:
    whatever the order, the second finishes 5 and the third 10 days late; the cheapest
    order (highest priority first) costs 2 x 5 + 1 x 10 = 20, the proven optimum."""
    projects = [
        project(pid, task(f"{pid}-test", effort=5, requires=("qa",)), deadline=weekday(4), priority=prio)
        for pid, prio in (("low", 1), ("mid", 2), ("high", 3))
    ]
    the_scenario = scenario(*projects, people=(person("bo", "qa:3"),), objective=LATENESS)
    problem = compile_problem(the_scenario)
    bounds = portfolio_bounds(problem)
    assert bounds.projects == {}  # no chain alone is late
    assert bounds.committed_lateness == 20
    assert any("qa" in reason and "at least 20" in reason for reason in bounds.reasons)
    result = solve(the_scenario)
    assert planned(result).solver is not None and result.info.stages[0].objective == 20


def test_work_only_a_vendor_can_do_is_forced_spend() -> None:
    """Four days of SAP work nobody on staff can do: four contractor-days at 1,000."""
    the_scenario = scenario(
        project("erp", task("sap", effort=4, requires=("sap",))),
        people=(person("ana", "backend:3"),),
        vendors=(vendor("acme", "sap:3", day_rate=1000, headcount=1),),
        objective=stages(ObjectiveTerm.COST),
    )
    problem = compile_problem(the_scenario)
    bounds = portfolio_bounds(problem)
    assert bounds.stage(problem, {ObjectiveTerm.COST: 1}) == 4 * 1000 * 10_000  # money units
    result = solve(the_scenario)
    assert result.info.stages[0].objective == 4000 and result.info.stages[0].bound == 4000


def test_no_bound_is_printed_as_such_not_as_a_full_gap() -> None:
    """A late plan whose bound is 0 reports no gap (None), never 100 %."""
    from models import SolverStatus
    from models.plan import StageResult, stage_gap

    unknown = StageResult(
        terms={"lateness": 1}, objective=12, bound=0, status=SolverStatus.FEASIBLE, wall_time=1
    )
    assert stage_gap(unknown) is None
    half = unknown.model_copy(update={"bound": 6})
    assert stage_gap(half) == 0.5
    assert stage_gap(half.model_copy(update={"objective": 6})) == 0.0


# --- never above the optimum ------------------------------------------------------------------


@st.composite
def portfolios(draw: st.DrawFn) -> Scenario:
    """Two or three small projects competing for 2-3 people: effort and fixed-duration
    tasks, dependencies (also across projects), part-time, leave, soft deadlines."""
    skills = ("a", "b")
    people = []
    for k in range(draw(st.integers(2, 3))):
        own = draw(st.lists(st.sampled_from(skills), min_size=1, unique=True))
        leave = draw(st.integers(-1, 6))
        people.append(
            Person(
                id=f"p{k}",
                skills={s: 3 for s in own},
                fte=draw(st.sampled_from((1.0, 1.0, 0.5))),
                time_off=() if leave < 0 else (TimeOff(start=weekday(leave), end=weekday(leave + 1)),),
            )
        )
    projects, earlier = [], []
    for j in range(draw(st.integers(2, 3))):
        tasks = []
        for i in range(draw(st.integers(1, 3))):
            tid = f"t{j}{i}"
            needs = Requirement(skill=draw(st.sampled_from(skills)))
            after = (
                tuple(Dependency(task=p) for p in draw(st.lists(st.sampled_from(earlier), max_size=1)))
                if earlier
                else ()
            )
            if draw(st.booleans()):
                work = {
                    "effort": draw(st.integers(1, 5)),
                    "team": TeamSize(min=1, max=draw(st.integers(1, 2))),
                }
            else:
                work = {"duration": draw(st.integers(1, 3))}
            tasks.append(task(tid, requires=(needs,), allocations=(50, 100), after=after, **work))
            earlier.append(tid)
        projects.append(
            project(
                f"j{j}", *tasks, deadline=weekday(draw(st.integers(1, 8))), priority=draw(st.integers(1, 3))
            )
        )
    return scenario(*projects, people=tuple(people), weeks=6, objective=LATENESS)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_bounds_never_exceed_the_proven_optimum(the_scenario: Scenario) -> None:
    """On random small portfolios solved to proven optimality by the full CP model, the
    lateness bound (chains and pools) is at most the optimum, and so is every project's
    own bound at most its lateness in an optimal plan."""
    problem = compile_problem(the_scenario)
    bounds = portfolio_bounds(problem)
    optimum = _proven_optimum(problem)
    assume(optimum is not None)  # some random portfolios have no plan (a skill nobody has)
    assert optimum is not None
    assert bounds.stage(problem, the_scenario.objective.stages[0]) <= optimum
    for b in bounds.projects.values():
        assert problem.projects[b.project].priority * b.late_days <= optimum


def _proven_optimum(problem: Problem) -> int | None:
    """The first stage's proven optimum in the full CP model (one worker), if it has a plan."""
    formulation = build_formulation(problem)
    formulation.model.minimize(stage_expression(problem.scenario.objective.stages[0], formulation.terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    code = solver.solve(formulation.model)
    assert code != cp_model.FEASIBLE, "not proven within 20 s"
    return round(solver.objective_value) if code == cp_model.OPTIMAL else None
