"""Plan files, pandas tables, CSV and terminal summaries, on a hand-written plan."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from allocator.io import PlanFileError, load_plan, save_plan
from allocator.output import (
    ASSIGNMENT_COLUMNS,
    PROJECT_COLUMNS,
    SolveProgress,
    assignments_csv,
    assignments_frame,
    loads_frame,
    projects_frame,
    render_check,
    render_plan,
)
from allocator.output.terminal import person_loads
from allocator.search.solve import Progress
from models import (
    Assignment,
    CheckReport,
    Kpis,
    Plan,
    ProjectPlan,
    SolverInfo,
    SolverStatus,
    TaskPlan,
    VendorUse,
    Violation,
    WeekLoad,
)
from models.plan import StageResult

MONDAY = dt.date(2027, 1, 4)  # first day of ISO week 2027-W01


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def load(person: str, week: int, booked: float, capacity: float) -> WeekLoad:
    return WeekLoad(
        resource=person,
        week=f"2027-W{week:02d}",
        week_start=day(7 * (week - 1)),
        booked_days=booked,
        capacity_days=capacity,
        utilisation=booked / capacity if capacity else 0.0,
    )


@pytest.fixture
def plan() -> Plan:
    """Ana designs (week 1) and half-builds (week 2) with two acme contractors; a milestone follows.

    Ben is idle in week 1 and overbooked (6 of 5 days) in week 2. Project crm is one
    day late; erp is deferred.
    """
    tasks = (
        TaskPlan(
            task="design",
            project="crm",
            start=day(0),
            finish=day(4),
            working_days=5,
            assignments=(Assignment(resource="ana", allocation=100, skill="backend", effort=5.0),),
        ),
        TaskPlan(
            task="build",
            project="crm",
            start=day(7),
            finish=day(11),
            working_days=5,
            assignments=(
                Assignment(resource="ana", allocation=50, skill="backend", effort=2.5),
                Assignment(
                    resource="acme", kind="vendor", allocation=100, count=2, skill="backend", effort=10
                ),
            ),
        ),
        TaskPlan(task="go-live", project="crm", start=day(14), finish=day(14), working_days=0),
    )
    return Plan(
        scenario="demo",
        scenario_hash="0123456789abcdef" * 4,
        created=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        tasks=tasks,
        projects=(
            ProjectPlan(
                project="crm", start=day(0), finish=day(14), deadline=day(11), late_days=1, cost=9750
            ),
            ProjectPlan(project="erp", deferred=True),
        ),
        vendors=(VendorUse(vendor="acme", days=10, cost=6000, peak_headcount=2),),
        loads=(load("ana", 1, 5, 5), load("ana", 2, 2.5, 5), load("ben", 1, 0, 4), load("ben", 2, 6, 5)),
        kpis=Kpis(projects_total=2, projects_late=1, projects_deferred=1, skill_shortages={"backend": 10.0}),
        solver=SolverInfo(
            status=SolverStatus.FEASIBLE,
            stages=(
                StageResult(
                    terms={"lateness": 1}, objective=4, bound=3, status=SolverStatus.FEASIBLE, wall_time=1
                ),
            ),
            gap=0.25,
            time_to_first_plan=0.5,
            first_plan_source="construction",
            wall_time=2.0,
        ),
        check=CheckReport(ok=True, checked_rules=("dates", "effort")),
    )


# --- tables -------------------------------------------------------------------------------------


def test_assignments_frame_has_one_row_per_assignment(plan: Plan) -> None:
    frame = assignments_frame(plan)
    assert list(frame.columns) == list(ASSIGNMENT_COLUMNS)
    assert list(frame["task"]) == ["design", "build", "build"]  # the milestone has no assignee
    vendor = frame[frame["kind"] == "vendor"].iloc[0]
    assert (vendor["resource"], vendor["count"], vendor["effort"]) == ("acme", 2, 10.0)
    assert pd.api.types.is_datetime64_any_dtype(frame["start"])
    assert frame["finish"].iloc[0] == pd.Timestamp("2027-01-08")


def test_projects_frame_marks_late_and_deferred_projects(plan: Plan) -> None:
    frame = projects_frame(plan).set_index("project")
    assert list(frame.reset_index().columns) == list(PROJECT_COLUMNS)
    assert frame.loc["crm", "late_days"] == 1
    assert not frame.loc["crm", "on_time"]
    assert frame.loc["erp", "deferred"] and not frame.loc["erp", "on_time"]
    assert frame["finish"].isna().tolist() == [False, True]


def test_loads_frame_is_a_person_by_week_grid(plan: Plan) -> None:
    grid = loads_frame(plan)
    assert list(grid.index) == ["ana", "ben"]
    assert list(grid.columns) == ["2027-W01", "2027-W02"]
    assert grid.loc["ben", "2027-W02"] == pytest.approx(1.2)
    assert grid.loc["ana", "2027-W02"] == pytest.approx(0.5)
    assert loads_frame(plan, "booked_days").loc["ana"].sum() == pytest.approx(7.5)
    with pytest.raises(ValueError, match="utilisation"):
        loads_frame(plan, "hours")  # type: ignore[arg-type]


def test_csv_has_a_header_and_one_line_per_assignment(plan: Plan) -> None:
    lines = assignments_csv(plan).splitlines()
    assert lines[0] == ",".join(ASSIGNMENT_COLUMNS)
    assert lines[1] == "design,crm,default,2027-01-04,2027-01-08,5,ana,person,100,1,backend,5.0"
    assert len(lines) == 4
    empty = plan.model_copy(update={"tasks": ()})
    assert assignments_csv(empty).splitlines() == [",".join(ASSIGNMENT_COLUMNS)]


# --- plan files -----------------------------------------------------------------------------------


def test_plan_file_round_trip(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    save_plan(plan, path)
    assert load_plan(path) == plan
    assert not list(tmp_path.glob(".plan.json.*"))  # no temporary file left behind


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "file is empty"),
        (b"\xff\xfe{", "not UTF-8"),
        (b'{"scenario": ', "not valid JSON at line 1, column 14"),
        (b'"a plan"', "top level must be a JSON object"),
        (b'{"scenario": "x", "scenario_hash": "y", "created": "2027-01-01T00:00:00",'
         b' "tasks": [{"task": "a", "project": "p", "start": "2027-02-30", "finish": "2027-03-01",'
         b' "working_days": 1}]}', "field 'tasks[0].start'"),
    ],
)  # fmt: skip
def test_bad_plan_files_name_file_and_field(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    with pytest.raises(PlanFileError) as caught:
        load_plan(path)
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"{path}: ")


def test_missing_plan_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="no such file"):
        load_plan(tmp_path / "missing.json")
    with pytest.raises(PlanFileError, match="is a folder"):
        load_plan(tmp_path)


def test_many_field_errors_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    tasks = ",".join(["{}"] * 5)
    path.write_text(f'{{"scenario": "x", "scenario_hash": "y", "created": "2027-01-01", "tasks": [{tasks}]}}')
    with pytest.raises(PlanFileError) as caught:
        load_plan(path)
    assert caught.value.problems[-1].endswith("more problems")
    assert len(caught.value.problems) == 11


# --- terminal ---------------------------------------------------------------------------------------


def rendered(draw: object, *args: object) -> str:
    console = Console(record=True, width=200, file=io.StringIO())
    draw(*args, console)  # type: ignore[operator]
    return console.export_text()


def test_person_loads_sum_weeks_and_find_peaks(plan: Plan) -> None:
    ana, ben = person_loads(plan)
    assert (ana.person, ana.booked_days, ana.capacity_days) == ("ana", 7.5, 10)
    assert (ana.peak, ana.weeks_over) == (1, 0)
    assert ana.utilisation == pytest.approx(0.75)
    assert (ben.person, ben.weeks_over) == ("ben", 1)
    assert ben.peak == pytest.approx(1.2)
    assert ben.utilisation == pytest.approx(6 / 9)


def test_summary_shows_every_section(plan: Plan) -> None:
    text = rendered(render_plan, plan)
    for expected in (
        "Plan for demo",
        "crm",
        "late",
        "deferred",
        "2027-01-18",
        "9,750",
        "People utilisation (top 2 of 2)",
        "120%",
        "acme",
        "6,000",
        "Skill shortages (contractor days): backend 10.0 days",
        "Solver: feasible",
        "lateness 4 (bound 3)",
        "gap 25.0%",
        "first plan 0.50 s (construction)",
        "Checker: plan verified (2 rules, no violations)",
    ):
        assert expected in text, expected


def test_summary_without_vendors_solver_or_check(plan: Plan) -> None:
    bare = plan.model_copy(update={"vendors": (), "solver": None, "check": None, "kpis": Kpis()})
    text = rendered(render_plan, bare)
    assert "Vendors: none used" in text
    assert "Skill shortages: none" in text
    assert "Solver:" not in text
    assert "Checker: not run" in text


def test_check_report_lists_violations(plan: Plan) -> None:
    report = CheckReport(
        ok=False,
        violations=(Violation(rule="capacity", entity="person ben", message="booked 120 % on 2027-01-11"),),
        warnings=("task build finishes after the scenario end",),
    )
    text = rendered(render_check, report)
    assert "capacity" in text and "person ben" in text and "booked 120 %" in text
    assert "warning: task build finishes after the scenario end" in text
    assert "Checker: 1 violation" in text
    assert "Checker: 1 violation" in rendered(render_plan, plan.model_copy(update={"check": report}))


def test_progress_without_a_terminal_prints_one_line_per_stage() -> None:
    stream = io.StringIO()
    with SolveProgress(Console(file=stream, width=200), live=False) as progress:
        progress(Progress(0, 2, None, None, 0.01, "construction plan rejected by the checker: late"))
        progress(Progress(1, 2, None, None, 0.02, "stage 1: lateness, deferral"))
        progress(Progress(1, 2, 10, 0, 0.03))
        progress(Progress(1, 2, 4, 4, 0.04))
        progress(Progress(2, 2, None, None, 0.05, "stage 2: cost"))
    lines = stream.getvalue().splitlines()
    assert lines[0] == "construction plan rejected by the checker: late"
    assert lines[1].startswith("stage 1/2 lateness, deferral · incumbent 4 · bound 4 · gap 0.0% · ")
    assert lines[2].startswith("stage 2/2 cost · searching · ")
    assert len(lines) == 3


def test_progress_says_no_bound_rather_than_a_gap_of_100_percent() -> None:
    """A bound of 0 under a positive incumbent proves nothing: "no bound", never "gap 100.0%"."""
    stream = io.StringIO()
    with SolveProgress(Console(file=stream, width=200), live=False) as progress:
        progress(Progress(1, 2, None, None, 0.01, "stage 1: cost"))
        progress(Progress(1, 2, 3_600, 0, 0.02))
        progress(Progress(2, 2, None, None, 0.03, "stage 2: finish"))
        progress(Progress(2, 2, 0, 0, 0.04))
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("stage 1/2 cost · incumbent 3,600 · no bound · ")
    assert "gap" not in lines[0]
    assert lines[1].startswith("stage 2/2 finish · incumbent 0 · bound 0 · gap 0.0% · ")
