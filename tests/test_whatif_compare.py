"""Comparisons on small scenarios whose KPI deltas are known by hand; formats; executors.

Base (tests/data/whatif/base.yaml): ana and bo each do one ten-day task, both projects
finish Friday 15 January on time. ``slow``: alpha (priority 2) grows to 15 days, so it
finishes 5 working days late (10 weighted late days). ``leaver``: bo leaves before any
task can end, ana does alpha then beta, beta 10 working days late (10 weighted).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from allocator.app.cli import main
from allocator.io import load_scenario
from allocator.whatif import RunSettings, column, compare_plans, load_variant, solve_all
from allocator.whatif.compare import Column
from allocator.whatif.executors import JobOutcome
from allocator.whatif.report import comparison_csv, comparison_json, comparison_markdown, render_comparison
from models import SolverStatus

DATA = Path(__file__).parent / "data" / "whatif"
SETTINGS = RunSettings(time_limit=3, workers=1, seed=0)


def _run(settings: RunSettings = SETTINGS):
    base = load_scenario(DATA / "base.yaml")
    variants = [load_variant(DATA / name) for name in ("slow.yaml", "leaver.yaml", "rehire.yaml")]
    base_outcome, outcomes = solve_all(base, variants, settings, lambda event: None)
    columns = [column("base", base_outcome)] + [
        column(v.name, o, v.changes) for v, o in zip(variants, outcomes, strict=True)
    ]
    return compare_plans([base, *(v.scenario for v in variants)], columns), outcomes


@pytest.fixture(scope="module")
def compared():
    return _run()


def _kpi(comparison, key):
    return next(row for row in comparison.kpis if row.key == key)


def test_kpi_deltas_known_by_hand(compared):
    comparison, _ = compared
    assert comparison.names == ["base", "slow", "leaver", "leaver-replaced"]
    assert _kpi(comparison, "weighted_late_days").values == [0, 10, 10, 0]
    assert _kpi(comparison, "projects_late").values == [0, 1, 1, 0]
    assert _kpi(comparison, "projects_on_time").deltas == [0, -1, -1, 0]
    assert _kpi(comparison, "latest_finish").values[:3] == [
        dt.date(2027, 1, 15),
        dt.date(2027, 1, 22),
        dt.date(2027, 1, 29),
    ]
    assert _kpi(comparison, "latest_finish").deltas[:3] == [0, 5, 10]
    assert all(col.status == "optimal" for col in comparison.columns)
    assert not any(flag for row in comparison.kpis for flag in row.flags)  # proven: no noise


def test_project_finish_deltas_and_who_moved(compared):
    comparison, _ = compared
    rows = {row.project: row for row in comparison.projects}
    assert rows["alpha"].delta_working_days == [0, 5, 0, 0]
    assert rows["beta"].delta_working_days == [0, 0, 10, 0]
    assert rows["beta"].delta_days == [0, 0, 14, 0]
    leaver = {m.person: m for m in comparison.movers if m.variant == "leaver"}
    assert leaver["bo"].after == () and set(leaver["ana"].after) == {"alpha", "beta"}


def test_every_variant_plan_is_verified_and_warm_started(compared):
    _, outcomes = compared
    assert all(o.plan is not None and o.plan.check is not None and o.plan.check.ok for o in outcomes)


def test_formats(compared):
    comparison, _ = compared
    data = json.loads(comparison_json(comparison))
    assert data["kpis"]["weighted_late_days"]["slow"] == {"value": 10, "delta": 10, "within_gap": False}
    assert data["projects"]["beta"]["leaver"]["delta_working_days"] == 10
    assert "| priority-weighted late days | 0 | 10 (+10) |" in comparison_markdown(comparison)
    assert "kpi,weighted_late_days,slow,10,10,,False" in comparison_csv(comparison)


def test_determinism_one_worker_fixed_seed(compared):
    first = [o.plan.tasks for o in compared[1]]
    again = [o.plan.tasks for o in _run()[1]]
    assert first == again


def test_dask_local_cluster_gives_the_same_plans(compared):
    distributed = pytest.importorskip("distributed")
    options = {
        "n_workers": 2,
        "threads_per_worker": 1,
        "processes": False,
        "protocol": "tcp",
        "host": "127.0.0.1",
        "dashboard_address": None,
    }
    with distributed.LocalCluster(**options) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        settings = RunSettings(time_limit=3, workers=1, seed=0, executor=cluster.scheduler_address)
        _, outcomes = _run(settings)
    assert [o.plan.tasks for o in outcomes] == [o.plan.tasks for o in compared[1]]


def test_noise_flag_when_gap_covers_the_difference(compared):
    from allocator.whatif.compare import _flag, stage_noise

    comparison, _ = compared
    assert stage_noise(comparison.columns[0].plan, "lateness") == 0
    assert _flag(3, 5.0) and not _flag(6, 5.0) and not _flag(0, 5.0)


def test_cli_compare_with_quick_change_writes_plans(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "compare",
            str(DATA / "base.yaml"),
            "--change",
            "effort alpha x1.5",
            "--time-limit",
            "3",
            "--format",
            "json",
            "-o",
            str(tmp_path),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kpis"]["weighted_late_days"]["effort alpha x1.5"]["value"] == 10
    assert (tmp_path / "base.json").exists() and (tmp_path / "effort_alpha_x1.5.json").exists()
    assert (tmp_path / "comparison.md").exists()
    check = CliRunner().invoke(
        main,
        [
            "check",
            str(tmp_path / "effort_alpha_x1.5.scenario.yaml"),
            str(tmp_path / "effort_alpha_x1.5.json"),
        ],
    )
    assert check.exit_code == 0, check.output


def test_cli_sweep_table_and_chart():
    result = CliRunner().invoke(
        main,
        [
            "sweep",
            str(DATA / "leaver.yaml"),
            "--change",
            "vendor acme headcount={}",
            "--values",
            "0..1",
            "--time-limit",
            "3",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "priority-weighted late days" in result.stdout and "#" in result.stdout
    assert "every planned project is on time from vendor=1" in result.stdout


# --- bounds: slow's alpha is late at least 5 working days in every plan (one person, 15 days) --

ALPHA_REASON = (
    "its chain a1 starts 04 Jan and needs 15 working days even with the fastest team the skills "
    "allow, so it finishes 22 Jan at the earliest"
)


def test_bounds_in_every_format(compared):
    comparison, _ = compared
    slow = comparison.columns[1]
    assert (slow.objective, slow.bound, slow.gap) == (10, 10, 0)
    rows = {row.project: row for row in comparison.projects}
    assert rows["alpha"].late_at_least == [None, 5, None, None]
    markdown = comparison_markdown(comparison)
    assert "| first-stage objective (lateness+deferral) | 0 | 10 | 10 | 0 |" in markdown
    assert "| first-stage bound | 0 | 10 | 10 | 0 |" in markdown
    alpha = "| alpha | 2027-01-15 | 2027-01-15 | 2027-01-22 (+7 d, +5 wd); late ≥ 5 wd | 2027-01-15 |"
    assert f"{alpha} 2027-01-15 |" in markdown
    assert f"| alpha | slow | 5 wd | {ALPHA_REASON} |" in markdown
    data = json.loads(comparison_json(comparison))
    assert (data["columns"][1]["bound"], data["columns"][1]["gap"]) == (10, 0)
    [alpha] = data["columns"][1]["project_bounds"]
    assert (alpha["project"], alpha["late_days"], alpha["earliest_finish"]) == ("alpha", 5, "2027-01-22")
    assert data["columns"][0]["project_bounds"] == []
    assert [data["projects"]["alpha"][n]["late_at_least"] for n in comparison.names] == [None, 5, None, None]
    text = comparison_csv(comparison)
    assert f'late_at_least,alpha,slow,5,,,,"{ALPHA_REASON}"\n' in text
    assert "solver,bound,slow,10.0,,,,\n" in text and "solver,gap,slow,0.0,,,,\n" in text
    console = Console(record=True, width=300)
    render_comparison(comparison, console)
    shown = console.export_text()
    assert "2027-01-22 (+7 d, +5 wd); late ≥ 5 wd" in shown
    assert f"│ alpha   │  slow │          5 wd │ {ALPHA_REASON} │" in shown


@pytest.fixture(scope="module")
def unproven(compared):
    """The base against slow as if slow's first stage had stopped with no bound (bound 0, an
    old plan file's gap of 100 %), and a variant that found no plan."""
    comparison, outcomes = compared
    plan = outcomes[0].plan
    first = plan.solver.stages[0].model_copy(update={"bound": 0.0, "status": SolverStatus.FEASIBLE})
    solver = plan.solver.model_copy(
        update={"status": SolverStatus.FEASIBLE, "gap": 1.0, "stages": (first, *plan.solver.stages[1:])}
    )
    outcome = JobOutcome("unproven", SolverStatus.FEASIBLE, plan.model_copy(update={"solver": solver}))
    failed = Column("failed", (), "infeasible", None, None, ("no plan",))
    scenarios = [load_scenario(DATA / "base.yaml"), load_variant(DATA / "slow.yaml").scenario]
    columns = [comparison.columns[0], column("unproven", outcome), failed]
    return compare_plans([*scenarios, scenarios[1]], columns)


def test_no_bound_is_said_and_flags_every_difference_it_touches(unproven):
    from allocator.whatif.compare import stage_noise

    col = unproven.columns[1]
    assert (col.objective, col.bound, col.gap) == (10, None, None)
    assert stage_noise(col.plan, "lateness") == math.inf  # nothing proven: an unlimited gap
    assert stage_noise(col.plan, "finish") == 0  # the finish stage is still proven optimal
    assert _kpi(unproven, "weighted_late_days").flags == [False, True, False]
    assert _kpi(unproven, "latest_finish").flags == [False, False, False]
    markdown = comparison_markdown(unproven)
    assert "| priority-weighted late days | 0 | 10 (+10~) | - |" in markdown
    assert "| latest finish | 2027-01-15 | 2027-01-22 (+5 wd) | - |" in markdown
    assert "| first-stage bound | 0 | no bound | - |" in markdown
    assert "| solver status | optimal | feasible, no bound | infeasible |" in markdown
    assert "100.0%" not in markdown
    data = json.loads(comparison_json(unproven))
    assert [(c["bound"], c["gap"]) for c in data["columns"]] == [(0, 0), (None, None), (None, None)]
    text = comparison_csv(unproven)
    assert "solver,bound,unproven,no bound,,,,\nsolver,gap,unproven,no bound,,,,\n" in text
    assert "solver,bound,failed,,,,,\nsolver,gap,failed,,,,,\n" in text
