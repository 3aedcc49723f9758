"""Planted scenarios: a plan with 0 late days exists by construction, and nothing betrays it."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocator.app.cli import main
from allocator.app.common import EXIT_INPUT, EXIT_OK
from allocator.checker import check_plan
from allocator.demo.generate import generate_scenario
from allocator.demo.planted import (
    DEFAULT_LOAD,
    PlantedScenario,
    check_planted_options,
    generate_planted_scenario,
    planted_plan,
)
from allocator.io import load_scenario
from allocator.io.checks import find_problems
from allocator.problem.calendar import WorkingCalendar
from allocator.search.solve import SolveOptions, solve_scenario
from models import Plan, Scenario

#: (people, vendors, projects, tasks, weeks): about the bundled quarter.
QUARTER = (40, 2, 7, 140, 13)
#: Large enough for every feature of the generator to appear, quick enough for a test.
DEPARTMENT = (120, 5, 20, 400, 26)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def assert_holds_every_deadline(scenario: Scenario, plan: Plan) -> None:
    """The checker's verdict on ``plan`` for ``scenario``, and no lateness anywhere."""
    report = check_plan(scenario, plan)
    assert report.ok, report.violations[:3]
    assert {tp.task for tp in plan.tasks} == {task.id for _, task in scenario.tasks()}
    assert plan.kpis.weighted_late_days == 0 and plan.kpis.projects_late == 0
    finish = {p.project: p.finish for p in plan.projects}
    for project in scenario.projects:
        assert project.deadline is not None and finish[project.id] is not None
        assert finish[project.id] <= project.deadline, project.id


@pytest.fixture(scope="module")
def quarter() -> PlantedScenario:
    return planted_plan(*QUARTER, seed=3)


@pytest.fixture(scope="module")
def department() -> PlantedScenario:
    return planted_plan(*DEPARTMENT, seed=0)


# --- the claim: a plan with 0 late days exists ----------------------------------------------


def test_planted_plan_is_a_verified_plan_of_the_final_scenario(quarter: PlantedScenario) -> None:
    assert quarter.plan.check is not None and quarter.plan.check.ok
    assert_holds_every_deadline(quarter.scenario, quarter.plan)
    assert quarter.scenario == generate_planted_scenario(*QUARTER, seed=3)


def test_the_written_file_has_the_rebuilt_plan(tmp_path: Path) -> None:
    """What ``generate --planted`` writes, read back, admits the plan rebuilt from the same arguments."""
    target = tmp_path / "planted.yaml"
    size = ["--people", "12", "--vendors", "1", "--projects", "3", "--tasks", "30", "--weeks", "6"]
    result = run("generate", *size, "--seed", "4", "--planted", "--slack-days", "2", "-o", target)
    assert result.exit_code == EXIT_OK, result.output
    assert "a plan with 0 late days exists" in result.stderr
    written = load_scenario(target)
    rebuilt = planted_plan(12, 1, 3, 30, 6, 4, slack_days=2)
    assert written == rebuilt.scenario
    assert_holds_every_deadline(written, rebuilt.plan)
    assert find_problems(written, target.name) == []


@pytest.mark.parametrize("slack", [0, 3])
def test_deadlines_are_the_planted_finishes_plus_the_slack(slack: int) -> None:
    planted = planted_plan(20, 1, 4, 50, 8, seed=2, slack_days=slack)
    scenario = planted.scenario
    calendar = WorkingCalendar(scenario.calendar, scenario.start, scenario.end + dt.timedelta(days=400))
    finish = {p.project: p.finish for p in planted.plan.projects}
    for project in scenario.projects:
        day, deadline = finish[project.id], project.deadline
        assert day is not None and deadline is not None
        between = [day + dt.timedelta(days=n) for n in range(1, (deadline - day).days + 1)]
        assert sum(calendar.is_working_day(d) for d in between) == slack
        assert slack == 0 or calendar.is_working_day(deadline)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.integers(1, 16),
    projects=st.integers(1, 4),
    extra_tasks=st.integers(0, 30),
    weeks=st.integers(1, 10),
    vendors=st.integers(0, 2),
    seed=st.integers(0, 10_000),
    slack=st.integers(0, 4),
    load=st.sampled_from([0.3, 0.6, 0.85, 1.0]),
)
def test_any_small_planted_scenario_has_its_plan(
    people: int, projects: int, extra_tasks: int, weeks: int, vendors: int, seed: int, slack: int, load: float
) -> None:
    planted = planted_plan(
        people, vendors, projects, projects + extra_tasks, weeks, seed, slack_days=slack, load=load
    )
    assert_holds_every_deadline(planted.scenario, planted.plan)


def test_the_search_finds_a_plan_with_no_late_day() -> None:
    # Seed 1: the constructed first plan is late; the search must find the planted optimum.
    scenario = generate_planted_scenario(10, 1, 3, 30, 6, seed=1)
    result = solve_scenario(scenario, SolveOptions(time_limit=3.0, workers=1, seed=0))
    assert result.plan is not None
    assert check_plan(scenario, result.plan).ok
    assert result.plan.kpis.weighted_late_days == 0
    assert result.info.stages[0].bound == 0


# --- load and sizes -----------------------------------------------------------------------


def test_utilisation_is_about_the_load(quarter: PlantedScenario) -> None:
    assert abs(quarter.utilisation - DEFAULT_LOAD) <= 0.05
    light = planted_plan(*QUARTER, seed=3, load=0.5)
    assert abs(light.utilisation - 0.5) <= 0.05
    lateness = {p.project: p.finish for p in light.plan.projects}
    assert max(d for d in lateness.values() if d) <= light.scenario.end  # little work ends early


def test_sizes_are_met_exactly(department: PlantedScenario) -> None:
    scenario = department.scenario
    people, vendors, projects, tasks, weeks = DEPARTMENT
    counts = (len(scenario.people), len(scenario.vendors), len(scenario.projects))
    assert counts == (people, vendors, projects)
    assert sum(1 for _ in scenario.tasks()) == tasks
    assert (scenario.end - scenario.start).days == 7 * weeks - 1


def test_options_are_checked() -> None:
    for slack, load in [(-1, 0.85), (0, 0.0), (0, 1.01)]:
        with pytest.raises(ValueError):
            check_planted_options(slack, load)
    with pytest.raises(ValueError):
        planted_plan(1, 0, 3, 2, 1, seed=0)


# --- it looks like any other generated scenario ----------------------------------------------


def test_every_feature_of_the_generator_appears(department: PlantedScenario) -> None:
    scenario = department.scenario
    people = scenario.people
    tasks = [task for _, task in scenario.tasks()]
    owner = {task.id: project.id for project, task in scenario.tasks()}
    assert any(p.fte < 1 for p in people) and any(p.reserve > 0 for p in people)
    assert any(t.fraction == 1 for p in people for t in p.time_off)
    assert any(t.fraction < 1 for p in people for t in p.time_off), "half days of leave"
    assert {p.country for p in people} == {None, "DE"}, "holidays of England and Bavaria"
    assert any(p.start for p in people) and any(p.end for p in people), "joiners and leavers"
    assert any(v.lead_time_days > 0 for v in scenario.vendors)
    assert any(v.spend_cap for v in scenario.vendors) and any(v.min_engagement_days for v in scenario.vendors)
    assert any(owner[d.task] != project.id for project, task in scenario.tasks() for d in task.after)
    assert {d.type.value for t in tasks for d in t.after} >= {"FS", "SS", "FF"}
    assert any(t.duration for t in tasks) and any(t.duration == 0 for t in tasks), "fixed windows, milestones"
    assert any(t.effort for t in tasks) and any(t.modes for t in tasks)
    assert any(t.resources for t in tasks), "the shared test environment"
    kinds = {p.deadline_type for p in scenario.projects}
    assert kinds == {"hard", "soft"}
    assert any(p.status == "candidate" for p in scenario.projects)
    assert any(p.budget for p in scenario.projects)


def test_nothing_betrays_the_plan(department: PlantedScenario) -> None:
    scenario, plan = department.scenario, department.plan
    normal = generate_scenario(*DEPARTMENT, seed=0)
    assert all(not task.pinned and not task.excluded for _, task in scenario.tasks())
    preferred = {task.id: task.preferred for _, task in scenario.tasks() if task.preferred}
    assert preferred == {task.id: task.preferred for _, task in normal.tasks() if task.preferred}
    # The generator's ids in the generator's order, not the order of the planted starts.
    assert [t.id for _, t in scenario.tasks()] == [t.id for _, t in normal.tasks()]
    start = {tp.task: tp.start for tp in plan.tasks}
    for project in scenario.projects:
        ids = [task.id for task in project.tasks]
        if len(ids) >= 10:
            assert ids != sorted(ids, key=lambda tid: (start[tid], tid)), project.id
    assert scenario.solver == normal.solver and scenario.objective == normal.objective


def test_the_same_seed_gives_the_same_file(tmp_path: Path) -> None:
    size = ["--people", "10", "--vendors", "1", "--projects", "3", "--tasks", "24", "--weeks", "6"]
    files = [tmp_path / f"{name}.yaml" for name in ("a", "b", "c")]
    for target, seed in zip(files, ("5", "5", "6"), strict=True):
        assert run("generate", *size, "--seed", seed, "--planted", "-o", target).exit_code == EXIT_OK
    assert files[0].read_text() == files[1].read_text()
    assert files[0].read_text() != files[2].read_text()


# --- the command line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--planted", "--load", "0"], "'--load': 0.0 is not in the range 0<x<=1"),
        (["--planted", "--load", "1.5"], "'--load': 1.5 is not in the range 0<x<=1"),
        (["--planted", "--slack-days", "-1"], "'--slack-days': -1 is not in the range x>=0"),
        (["--load", "0.5"], "--slack-days and --load apply to --planted scenarios only"),
        (["--slack-days", "2"], "--slack-days and --load apply to --planted scenarios only"),
    ],
)
def test_planted_options_are_validated(tmp_path: Path, options: list[str], message: str) -> None:
    target = tmp_path / "g.yaml"
    result = run("generate", *options, "-o", target)
    assert result.exit_code == EXIT_INPUT
    assert message in result.stderr
    assert isinstance(result.exception, SystemExit)  # a usage error, no traceback
    assert not target.exists()


# --- the benchmark family -------------------------------------------------------------------


def test_benchmark_runner_on_a_tiny_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.__main__ import main as bench
    from benchmarks.planted import COLUMNS, derived_size, parse_seeds, parse_sizes

    out = tmp_path / "planted.csv"
    args = ["run", "planted", "--sizes", "8x20", "--seeds", "0-1", "--time-limit", "1", "--workers", "1"]
    assert bench([*args, "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "size 8x20:" in captured.out and "verified: 2" in captured.out
    assert "planted-8x20-s1: late" in captured.err
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(COLUMNS)
    assert [r["instance"] for r in rows] == ["planted-8x20-s0", "planted-8x20-s1"]
    assert all(r["checker"] == "ok" for r in rows)
    for row in rows:
        assert int(row["late_days"]) >= 0 and int(row["best_bound"]) == 0  # the optimum is 0
        assert float(row["peak_rss_mb"]) >= float(row["baseline_rss_mb"]) > 0
    assert [s.weeks for s in parse_sizes("40x90,250x1500,1000x6000")] == [13, 26, 52]
    assert derived_size(250, 1500).projects == 49 and derived_size(40, 90).vendors == 2
    assert parse_seeds("0-2,5") == [0, 1, 2, 5]
    assert bench(["run", "planted", "--sizes", "40by90"]) == 2
    assert bench(["run", "planted", "--load", "0"]) == 2
    assert "error: load must be above 0" in capsys.readouterr().err
