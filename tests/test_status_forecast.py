"""Status forecasts from a re-plan of the work left, and risk percentiles beside them.

The re-plan forecast is checked three ways: on a portfolio of one person, where the
finish can be counted by hand; on the bundled quarter, where the re-plan must pass the
checker and its project finishes must be the ones the report shows; and through the
command line. The risk columns come from a risk analysis written by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from allocator.app.cli import main
from allocator.checker import check_plan
from allocator.io import load_scenario, plan_json, scenario_to_yaml
from allocator.replan.derive import derive_replan
from allocator.replan.progress_io import read_actuals_csv
from allocator.search.solve import SolveOptions, solve_scenario
from allocator.status.inputs import read_measured
from allocator.status.render import status_markdown
from allocator.status.replanned import replan_forecast
from allocator.status.report import build_status, changes_since
from models import CalendarSpec, Person, Plan, Project, Scenario, Task
from models.risk_report import ProjectRisk, RiskReport

ROOT = Path(__file__).resolve().parents[1]
QUARTER = ROOT / "scenarios" / "quarter.yaml"
DATA = ROOT / "scenarios" / "status"
MONDAY = dt.date(2027, 1, 4)
AS_OF = dt.date(2027, 1, 11)  #: the second Monday
REMAINING = 6.0  #: person-days left of `build` (estimated 10, one week booked: 1 over)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def one_person() -> Scenario:
    """Ana alone: ``build`` (10 person-days) then ``test`` (3), due Friday of the second week."""
    tasks = (
        Task(id="build", effort=10, requires=("dev:1",), allocations=(100,)),
        Task(id="test", effort=3, requires=("dev:1",), after=("build",), allocations=(100,)),
    )
    return Scenario(
        start=MONDAY,
        end=dt.date(2027, 3, 31),
        calendar=CalendarSpec(),
        people=(Person(id="ana", skills={"dev": 3}, cost_per_day=500),),
        projects=(Project(id="app", deadline=dt.date(2027, 1, 15), tasks=tasks),),
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Scenario, baseline and actuals files: ``build`` under way with 6 person-days left."""
    folder = tmp_path_factory.mktemp("one-person")
    scenario = one_person()
    result = solve_scenario(scenario, SolveOptions(time_limit=3, workers=1, seed=0))
    assert result.plan is not None
    build = next(tp for tp in result.plan.tasks if tp.task == "build")
    assert (build.start, build.finish) == (MONDAY, dt.date(2027, 1, 15))
    paths = folder / "scenario.yaml", folder / "baseline.json", folder / "actuals.csv"
    paths[0].write_text(scenario_to_yaml(scenario))
    paths[1].write_text(plan_json(result.plan))
    paths[2].write_text(
        "task,status,actual_start,actual_finish,remaining_effort,remaining_days,assignees\n"
        f"build,in_progress,{MONDAY},,{REMAINING},,ana\n"
    )
    return paths


def small_status(small: tuple[Path, Path, Path], *more: str) -> tuple[int, str]:
    scenario, baseline, actuals = small
    return run(
        "status", str(scenario), "--baseline", str(baseline), "--actuals", str(actuals),
        "--as-of", AS_OF.isoformat(), "--format", "json", *more,
    )  # fmt: skip


def test_replan_forecast_is_the_as_of_date_plus_the_work_left(small: tuple[Path, Path, Path]) -> None:
    """6 person-days left of `build` from Monday 11 January end on Monday 18 January (the
    estimate's 10 days do not count: the remaining effort does); `test`'s 3 days follow,
    so the project finishes on Thursday 21 January, 4 working days after its deadline."""
    code, out = small_status(
        small, "--forecast", "replan", "--time-limit", "5", "--seed", "0", "--workers", "1"
    )
    assert code == 0, out
    report = json.loads(out)
    assert report["forecast"] == "replan"
    assert report["replan"]["verified"] is True
    assert report["replan"]["solver_status"] == "optimal"
    assert report["replan"]["weighted_late_days"] == 4  # priority 1 * 4 working days late
    (app,) = report["projects"]
    assert app["forecast_finish"] == "2027-01-21"
    assert app["forecast_late_days"] == 4
    assert "forecast 4 working days after the deadline" in app["reasons"]


def test_earned_schedule_stays_the_default(small: tuple[Path, Path, Path]) -> None:
    """EV is 40 % of the budget after 6 working days: ES = 4, SPI(t) = 4/6, so the 13 planned
    days take 13 * 6 / 4 = 19.5, counted 20 from 4 January: Friday 29 January."""
    code, out = small_status(small)
    assert code == 0, out
    report = json.loads(out)
    assert report["forecast"] == "earned_schedule" and report["replan"] is None
    assert report["projects"][0]["forecast_finish"] == "2027-01-29"


def test_search_settings_need_a_replan_forecast(small: tuple[Path, Path, Path]) -> None:
    code, out = small_status(small, "--time-limit", "5")
    assert code == 2
    assert "--forecast replan" in out


def test_replan_forecast_on_the_bundled_quarter() -> None:
    """The re-plan passes the checker, and every project finishes in it on the date the report shows."""
    scenario = load_scenario(QUARTER)
    baseline = Plan.model_validate_json((DATA / "baseline.json").read_bytes())
    as_of = dt.date(2027, 2, 15)
    measured = read_measured(scenario, baseline, DATA / "w07-actuals.csv", DATA / "w07-bookings.csv", as_of)
    replanned = replan_forecast(measured, time_limit=5, seed=0, workers=1)
    assert replanned.plan is not None and replanned.scenario is not None
    assert check_plan(replanned.scenario, replanned.plan).ok
    report = build_status(measured, replanned=replanned)
    assert report.forecast == "replan" and report.replan is not None
    assert report.replan.weighted_late_days == replanned.plan.kpis.weighted_late_days
    in_replan = {p.project: p for p in replanned.plan.projects}
    for status in report.projects:
        planned = in_replan[status.project]
        assert status.forecast_finish == planned.finish, status.project
        if status.deadline is not None and status.deadline >= as_of:
            assert status.forecast_late_days == planned.late_days, status.project
    done = {e.task for e in measured.progress.tasks if e.status == "done"}
    assert done and not done & {tp.task for tp in replanned.plan.tasks}
    people = scenario.person_index()
    going = {e.task: e.assignees or () for e in measured.progress.tasks if e.status == "in_progress"}
    for tp in replanned.plan.tasks:
        if tp.task in going:  # work in progress carries on with its people
            team = {a.resource for a in tp.assignments}
            assert {p for p in going[tp.task] if p in people} <= team, tp.task
    page = status_markdown(report)
    assert f"weighted late days {report.replan.weighted_late_days}" in page
    assert "(by re-plan)" in page


def test_a_team_that_carries_on_together_can_be_constructed() -> None:
    """`rel-integration` is under way with two people on a one-head requirement: the re-plan
    gives it a team of at least two, so a first plan is constructed that keeps them both."""
    scenario = load_scenario(QUARTER)
    baseline = Plan.model_validate_json((DATA / "baseline.json").read_bytes())
    progress = read_actuals_csv(DATA / "w07-actuals.csv")
    setup = derive_replan(scenario, baseline, progress, dt.date(2027, 2, 15))
    task = setup.scenario.task_index()["rel-integration"][1]
    assert set(task.pinned) == {"ben", "hugo"}
    assert task.modes[0].team is not None and task.modes[0].team.min == 2
    first = solve_scenario(setup.scenario, SolveOptions(construct_only=True, workers=1, seed=0))
    assert first.plan is not None and first.plan.check is not None and first.plan.check.ok


def risk_file(folder: Path, scenario_hash: str) -> Path:
    baseline = Plan.model_validate_json((DATA / "baseline.json").read_bytes())
    finish = {p.project: p.finish for p in baseline.projects}
    projects = (
        ProjectRisk(
            project="dc-exit",
            planned_finish=finish["dc-exit"] or MONDAY,
            deadline=dt.date(2027, 3, 31),
            p50=dt.date(2027, 5, 20),
            p80=dt.date(2027, 5, 26),
            p95=dt.date(2027, 5, 27),
            on_time=0.0,
        ),
        ProjectRisk(
            project="audit-remediation",
            planned_finish=finish["audit-remediation"] or MONDAY,
            deadline=dt.date(2027, 2, 26),
            p50=dt.date(2027, 2, 24),
            p80=dt.date(2027, 2, 26),
            p95=dt.date(2027, 3, 3),
            on_time=0.87,
        ),
    )
    report = RiskReport(scenario="q1", scenario_hash=scenario_hash, samples=1000, seed=1, projects=projects)
    path = folder / "risk.json"
    path.write_text(report.model_dump_json(indent=2))
    return path


def status_with_risk(risk: Path, fmt: str = "markdown") -> tuple[int, str]:
    return run(
        "status", str(QUARTER), "--baseline", str(DATA / "baseline.json"),
        "--actuals", str(DATA / "w07-actuals.csv"), "--as-of", "2027-02-15", "--risk", str(risk),
        "--format", fmt,
    )  # fmt: skip


def test_risk_percentiles_beside_the_forecast(tmp_path: Path) -> None:
    baseline = Plan.model_validate_json((DATA / "baseline.json").read_bytes())
    risk = risk_file(tmp_path, baseline.scenario_hash)
    code, out = status_with_risk(risk)
    assert code == 0, out
    assert "| deadline | P80 (risk) | on time (risk) |" in out
    dc_exit = next(line for line in out.splitlines() if line.startswith("| dc-exit |"))
    assert dc_exit.endswith("| 2027-03-31 | 2027-05-26 | 0 % |")
    audit = next(line for line in out.splitlines() if line.startswith("| audit-remediation |"))
    assert audit.endswith("| 2027-02-26 | 87 % |")
    erp = next(line for line in out.splitlines() if line.startswith("| erp-upgrade |"))
    assert erp.endswith("| n/a | n/a |")  # not in the analysis
    assert "1000 samples, seed 1" in out
    code, out = status_with_risk(risk, "json")
    assert code == 0, out
    report = json.loads(out)
    figures = {p["project"]: (p["risk_p80"], p["risk_on_time"]) for p in report["projects"]}
    assert figures["audit-remediation"] == ("2027-02-26", 0.87)
    assert report["risk"] == {"samples": 1000, "seed": 1, "early_starts": False}


def test_risk_of_another_scenario_is_refused(tmp_path: Path) -> None:
    code, out = status_with_risk(risk_file(tmp_path, "0" * 64))
    assert code == 2
    assert "another scenario" in out


def test_status_without_risk_keeps_its_columns() -> None:
    code, out = run(
        "status", str(QUARTER), "--baseline", str(DATA / "baseline.json"),
        "--actuals", str(DATA / "w07-actuals.csv"), "--as-of", "2027-02-15",
    )  # fmt: skip
    assert code == 0, out
    assert "| forecast finish | deadline |\n" in out
    assert "Forecast finishes by earned schedule from the baseline." in out


def test_a_change_of_forecast_method_is_said_since_the_last_status() -> None:
    scenario = load_scenario(QUARTER)
    baseline = Plan.model_validate_json((DATA / "baseline.json").read_bytes())
    measured = read_measured(scenario, baseline, DATA / "w07-actuals.csv", None, dt.date(2027, 2, 15))
    earlier = build_status(measured)
    now = earlier.model_copy(update={"forecast": "replan"})
    assert changes_since(earlier, now) == ("forecast now by re-plan (was earned schedule)",)
    assert changes_since(earlier, earlier) == ()
