"""Re-planning on a tiny portfolio: history fixed, freeze kept, change list exact, bad input refused.

Three developers, one project: ``design`` -> ``build`` -> ``test``, and ``docs`` on the
side. The baseline is solved first; as of the second week ``design`` is done and
``build`` under way.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from allocator.app.cli import main
from allocator.checker import check_plan
from allocator.cpsat.formulation.model import build_formulation
from allocator.cpsat.formulation.stability import stability_value
from allocator.cpsat.solution import apply_hint
from allocator.io import plan_json
from allocator.plan.assemble import schedule_from_plan
from allocator.problem.compile import compile_problem
from allocator.replan.changes import plan_views
from allocator.replan.input import ReplanInput
from allocator.replan.run import ReplanOptions, replan
from allocator.replan.slips import parse_slip
from allocator.search.evaluate import term_values
from allocator.search.solve import SolveOptions, solve_scenario
from models import CalendarSpec, ObjectiveTerm, Person, Project, Scenario, Task
from models.progress import Progress, TaskProgress

if TYPE_CHECKING:
    from pathlib import Path

    from models import Plan

MONDAY = dt.date(2027, 1, 4)
AS_OF = dt.date(2027, 1, 11)


def scenario(leaver_end: dt.date | None = None) -> Scenario:
    people = (
        Person(id="ana", skills={"dev": 3}),
        Person(id="bo", skills={"dev": 3}, end=leaver_end),
        Person(id="cy", skills={"dev": 3}),
    )
    tasks = (
        Task(id="design", effort=5, requires=("dev:1",), allocations=(100,)),
        Task(
            id="build",
            effort=20,
            requires=("dev:1",),
            team={"min": 1, "max": 2},
            after=("design",),
            allocations=(100,),
        ),
        Task(id="test", effort=5, requires=("dev:1",), after=("build",), allocations=(100,)),
        Task(id="docs", effort=10, requires=("dev:1",), allocations=(100,)),
    )
    project = Project(id="app", deadline=dt.date(2027, 2, 26), tasks=tasks)
    return Scenario(
        start=MONDAY, end=dt.date(2027, 3, 31), calendar=CalendarSpec(), people=people, projects=(project,)
    )


@pytest.fixture(scope="module")
def baseline() -> Plan:
    result = solve_scenario(scenario(), SolveOptions(time_limit=3, workers=1, seed=1))
    assert result.plan is not None and result.plan.check is not None and result.plan.check.ok
    return result.plan


def progress(baseline: Plan) -> Progress:
    build = next(tp for tp in baseline.tasks if tp.task == "build")
    return Progress(
        as_of=AS_OF,
        tasks=(
            TaskProgress(task="design", status="done"),
            TaskProgress(task="build", status="in_progress", remaining_effort=18, actual_start=build.start),
        ),
    )


def run(baseline: Plan, weight: int = 5, slips: tuple[str, ...] = (), leaver: dt.date | None = None):
    options = ReplanOptions(
        AS_OF,
        stability_weight=weight,
        slips=[parse_slip("slip", s) for s in slips],
        solve=SolveOptions(time_limit=3, workers=1, seed=1),
    )
    result = replan(scenario(leaver), baseline, options, progress(baseline))
    assert result.plan is not None and result.changes is not None
    assert check_plan(result.setup.scenario, result.plan).ok
    return result


def test_history_and_freeze_are_kept(baseline: Plan) -> None:
    result = run(baseline)
    new = plan_views(result.plan)
    assert "design" not in new  # done: reported, not planned
    assert [d.task for d in result.changes.done] == ["design"]
    build_before = next(tp for tp in baseline.tasks if tp.task == "build")
    kept = {a.resource for a in build_before.assignments}
    assert kept <= set(new["build"].team)  # in progress: same people
    assert all(tp.start >= AS_OF for tp in result.plan.tasks)  # nothing before the as-of date
    reference = plan_views(result.setup.reference)
    for tid in result.setup.frozen - set(result.released):
        assert (new[tid].start, new[tid].finish, new[tid].team) == (
            reference[tid].start,
            reference[tid].finish,
            reference[tid].team,
        )


def test_change_list_equals_recomputation(baseline: Plan) -> None:
    result = run(baseline, slips=("docs=+5d",))
    old = {tp.task: tp for tp in baseline.tasks}
    new = {tp.task: tp for tp in result.plan.tasks}
    expected_moved = {
        t
        for t in new
        if t in old and t != "build" and (new[t].start, new[t].finish) != (old[t].start, old[t].finish)
    }
    expected_team = {
        t
        for t in new
        if t in old and {a.resource for a in new[t].assignments} != {a.resource for a in old[t].assignments}
    }
    listed_moved = {c.task for c in result.changes.tasks if c.moved and c.task != "build"}
    listed_team = {c.task for c in result.changes.tasks if c.reassigned}
    assert listed_moved == expected_moved
    assert listed_team == expected_team


def test_leaver_mid_task_gets_a_successor(baseline: Plan) -> None:
    build_before = next(tp for tp in baseline.tasks if tp.task == "build")
    if "bo" not in {a.resource for a in build_before.assignments}:
        pytest.skip("the baseline did not put bo on build")
    result = run(baseline, leaver=AS_OF + dt.timedelta(days=2))
    team = plan_views(result.plan)["build"].team
    assert "bo" not in team and team


def test_high_stability_changes_no_more_than_low(baseline: Plan) -> None:
    low = run(baseline, weight=1, slips=("build=+3d", "docs=+5d")).changes
    high = run(baseline, weight=40, slips=("build=+3d", "docs=+5d")).changes
    assert high.change_count <= low.change_count


def test_stability_term_equals_evaluator(baseline: Plan) -> None:
    result = run(baseline, slips=("docs=+5d",))
    problem = compile_problem(result.setup.scenario)
    ReplanInput(result.setup.reference, frozenset()).apply(problem)
    schedule = schedule_from_plan(problem, result.plan)
    formulation = build_formulation(problem)
    apply_hint(formulation, schedule)
    from ortools.sat.python import cp_model

    term = formulation.terms[ObjectiveTerm.STABILITY]
    formulation.model.minimize(term)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(formulation.model) == cp_model.OPTIMAL
    assert round(solver.objective_value) == stability_value(problem, schedule)
    assert term_values(problem, schedule)[ObjectiveTerm.STABILITY] == stability_value(problem, schedule)


def test_bad_progress_exits_2(baseline: Plan, tmp_path: Path) -> None:
    plan_file = tmp_path / "baseline.json"
    plan_file.write_text(plan_json(baseline))
    scenario_file = tmp_path / "s.yaml"
    from allocator.io import save_scenario_yaml

    save_scenario_yaml(scenario(), scenario_file)
    actuals = tmp_path / "actuals.csv"
    actuals.write_text("task,status,remaining_effort\nbuidl,in_progress,3\ndocs,in_progress,-2\n")
    runner = CliRunner()
    outcome = runner.invoke(
        main,
        [
            "replan",
            str(scenario_file),
            "--baseline",
            str(plan_file),
            "--as-of",
            "2027-01-11",
            "--actuals",
            str(actuals),
        ],
    )
    assert outcome.exit_code == 2
    assert "row 3" in outcome.output and "remaining_effort" in outcome.output
    actuals.write_text("task,status,remaining_effort\nbuidl,in_progress,3\n")
    outcome = runner.invoke(
        main,
        [
            "replan",
            str(scenario_file),
            "--baseline",
            str(plan_file),
            "--as-of",
            "2030-01-11",
            "--actuals",
            str(actuals),
        ],
    )
    assert outcome.exit_code == 2
    assert "unknown task 'buidl'" in outcome.output and "as_of" in outcome.output


def test_diff_refuses_other_scenarios(baseline: Plan, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(plan_json(baseline))
    second.write_text(plan_json(baseline.model_copy(update={"scenario_hash": "0" * 64})))
    runner = CliRunner()
    assert runner.invoke(main, ["diff", str(first), str(second)]).exit_code == 2
    outcome = runner.invoke(main, ["diff", str(first), str(second), "--ignore-hash", "--format", "json"])
    assert outcome.exit_code == 0 and json.loads(outcome.output)["tasks"] == []
