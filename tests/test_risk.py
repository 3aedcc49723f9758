"""Risk analysis: hand-checked percentiles, determinism, events against their deterministic change."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from allocator import api
from allocator.app.cli import main
from allocator.io import plan_json
from allocator.io.load import build_scenario
from allocator.plan.assemble import schedule_from_plan
from allocator.risk import run as risk_run
from allocator.risk.retime import first_fit, retime
from allocator.risk.run import RiskOptions, prepare, run_risk
from allocator.risk.sample import sample_work
from models import Plan, Scenario

ROOT = Path(__file__).resolve().parent.parent

#: One person, full time, no public holidays: a working day is a weekday.
ONE_TASK: dict = {
    "name": "one-task",
    "start": "2027-01-04",
    "end": "2027-02-26",
    "allocations": [100],
    "people": [{"id": "ana", "skills": {"backend": 4}}],
    "projects": [
        {
            "id": "p",
            "deadline": "2027-01-19",  # the 12th working day
            "tasks": [
                {
                    "id": "build",
                    "effort": 10,
                    "requires": ["backend:3"],
                    "estimate": {"low": 8, "likely": 10, "high": 16},
                }
            ],
        }
    ],
}


def scenario_of(raw: dict) -> Scenario:
    return build_scenario(json.loads(json.dumps(raw)), "test.yaml")


def working_day(number: int) -> dt.date:
    """The ``number``-th weekday from Monday 4 January 2027 (1 is the 4th)."""
    day, count = dt.date(2027, 1, 4), 0
    while True:
        if day.weekday() < 5:
            count += 1
            if count == number:
                return day
        day += dt.timedelta(days=1)


def triangular_quantile(share: float, low: float, likely: float, high: float) -> float:
    split = (likely - low) / (high - low)
    if share < split:
        return low + math.sqrt(share * (high - low) * (likely - low))
    return high - math.sqrt((1 - share) * (high - low) * (high - likely))


@pytest.fixture(scope="module")
def one_task() -> tuple[Scenario, Plan]:
    scenario = scenario_of(ONE_TASK)
    return scenario, api.solve(scenario, time_limit=5, workers=1, seed=0)


def test_one_triangular_task_has_its_analytic_percentiles(one_task):
    # Ana works the sampled effort x ~ Tri(8, 10, 16) full time, one person-day a working
    # day, so the task ends on working day ceil(x). P50: 16 - sqrt(0.5 * 8 * 6) = 11.10 ->
    # day 12; P80: 12.90 -> day 13; P95: 14.45 -> day 15. On time by day 12 when x <= 12:
    # 1 - (16 - 12)^2 / (8 * 6) = 2/3.
    scenario, plan = one_task
    assert plan.tasks[0].finish == working_day(10)
    report = run_risk(scenario, plan, RiskOptions(samples=20_000, seed=7))
    (project,) = report.projects
    for share, found in ((0.5, project.p50), (0.8, project.p80), (0.95, project.p95)):
        assert found == working_day(math.ceil(triangular_quantile(share, 8, 10, 16)))
    assert project.on_time == pytest.approx(2 / 3, abs=0.015)  # 4.5 standard errors
    assert project.planned_finish == working_day(10)
    (driver,) = project.drivers
    assert driver.task == "build" and driver.criticality == 1.0 and driver.correlation > 0.99
    assert report.uncertain_tasks == 1


def test_probability_curve_rises_to_one_over_the_sampled_finishes(one_task):
    scenario, plan = one_task
    (project,) = run_risk(scenario, plan, RiskOptions(samples=2000, seed=1)).projects
    shares = [share for _, share in project.curve]
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert project.curve[0][0] >= working_day(8) and project.curve[-1][0] <= working_day(16)


def _figures(report) -> dict:
    return report.model_dump(exclude={"wall_time"})


def test_same_seed_same_figures_whatever_the_batches(one_task, monkeypatch):
    scenario, plan = one_task
    options = RiskOptions(samples=3000, seed=11)
    whole = run_risk(scenario, plan, options)
    assert _figures(run_risk(scenario, plan, options)) == _figures(whole)
    monkeypatch.setattr(risk_run, "BATCH_CELLS", 7)  # 7 samples a batch
    assert len(risk_run.batches(3000, 1)) == 429
    assert _figures(run_risk(scenario, plan, options)) == _figures(whole)
    other = run_risk(scenario, plan, RiskOptions(samples=3000, seed=12))
    assert other.projects[0].curve != whole.projects[0].curve


def test_dask_local_cluster_gives_the_same_figures(one_task, monkeypatch):
    distributed = pytest.importorskip("distributed")
    scenario, plan = one_task
    options = RiskOptions(samples=2000, seed=3)
    here = run_risk(scenario, plan, options)
    monkeypatch.setattr(risk_run, "BATCH_CELLS", 300)
    cluster_options = {
        "n_workers": 2,
        "threads_per_worker": 1,
        "processes": False,
        "protocol": "tcp",
        "host": "127.0.0.1",
        "dashboard_address": None,
    }
    with distributed.LocalCluster(**cluster_options) as cluster:
        on_dask = run_risk(
            scenario, plan, RiskOptions(samples=2000, seed=3, scheduler=cluster.scheduler_address)
        )
    assert _figures(on_dask) == _figures(here)


# --- events with probability 1 against the deterministic change ----------------------------

#: Two tasks in a row for Ana, a contractor task after them; no estimates.
TWO_TASKS: dict = {
    "name": "two-tasks",
    "start": "2027-01-04",
    "end": "2027-03-26",
    "allocations": [100],
    "people": [{"id": "ana", "skills": {"backend": 4}}, {"id": "raj", "skills": {"qa": 3}}],
    "vendors": [{"id": "bluepeak", "skills": {"ops": 3}, "headcount": 1, "lead_time_days": 12}],
    "projects": [
        {
            "id": "p",
            "deadline": "2027-02-12",
            "tasks": [
                {"id": "design", "effort": 5, "requires": ["backend:3"]},
                {"id": "build", "effort": 10, "requires": ["backend:3"], "after": ["design"]},
                {"id": "test", "duration": 4, "requires": ["qa:3"], "after": ["build"]},
                {"id": "deploy", "effort": 3, "requires": ["ops:3"], "vendor": "only", "after": ["test"]},
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def two_tasks() -> tuple[dict, Plan]:
    return TWO_TASKS, api.solve(scenario_of(TWO_TASKS), time_limit=5, workers=1, seed=0)


def _with(raw: dict, **changes) -> dict:
    raw = json.loads(json.dumps(raw))
    for key, value in changes.items():
        raw[key] = value
    return raw


def _finish_days(raw: dict, plan: Plan, samples: int = 20) -> list[tuple]:
    report = run_risk(scenario_of(raw), plan, RiskOptions(samples=samples, seed=0))
    return [(p.project, p.p50, p.p80, p.p95, p.on_time) for p in report.projects]


def _task(raw: dict, task: str) -> dict:
    return next(t for t in raw["projects"][0]["tasks"] if t["id"] == task)


def test_effort_growth_for_sure_equals_the_larger_effort(two_tasks):
    raw, plan = two_tasks
    event = {"events": [{"id": "rework", "probability": 1, "task": "build", "effort_growth": 50}]}
    grown = _with(raw)
    _task(grown, "build")["estimate"] = {"low": 15, "likely": 15, "high": 15}
    with_event = _finish_days(_with(raw, risk=event), plan)
    assert with_event == _finish_days(grown, plan)
    assert with_event != _finish_days(raw, plan)


def test_absence_for_sure_equals_the_same_time_off(two_tasks):
    raw, plan = two_tasks
    event = {
        "id": "away",
        "probability": 1.0,
        "person": "ana",
        "unavailable_from": "2027-01-06",
        "unavailable_until": "2027-01-12",
    }
    on_leave = _with(raw)
    on_leave["people"][0]["time_off"] = [{"start": "2027-01-06", "end": "2027-01-12"}]
    with_event = _finish_days(_with(raw, risk={"events": [event]}), plan)
    assert with_event == _finish_days(on_leave, plan)
    assert with_event != _finish_days(raw, plan)


def test_vendor_slip_for_sure_equals_the_longer_lead_time(two_tasks):
    raw, plan = two_tasks
    event = {"id": "late", "probability": 1.0, "vendor": "bluepeak", "lead_time_slip": 25}
    later = _with(raw)
    later["vendors"][0]["lead_time_days"] = 12 + 25
    with_event = _finish_days(_with(raw, risk={"events": [event]}), plan)
    assert with_event == _finish_days(later, plan)
    assert with_event != _finish_days(raw, plan)


def test_events_on_a_driver_happen_only_with_it(two_tasks):
    raw, plan = two_tasks
    risk = {
        "drivers": [{"id": "market", "probability": 0.4}],
        "events": [
            {"id": "a", "probability": 1.0, "driver": "market", "vendor": "bluepeak", "lead_time_slip": 1},
            {"id": "b", "probability": 0.5, "driver": "market", "vendor": "bluepeak", "lead_time_slip": 1},
            {"id": "never", "probability": 0.0, "task": "build", "effort_growth": 10},
        ],
    }
    scenario = scenario_of(_with(raw, risk=risk))
    report = run_risk(scenario, plan, RiskOptions(samples=4000, seed=5))
    assert report.event_rates["a"] == pytest.approx(0.4, abs=0.03)
    assert report.event_rates["b"] == pytest.approx(0.2, abs=0.03)
    assert report.event_rates["never"] == 0.0
    _, setup = prepare(scenario, plan)
    from allocator.risk.estimates import sample_uniforms

    happen = setup.events.happen(sample_uniforms(5, 0, 4000, setup.width)[:, len(setup.triangles) :])
    assert not (happen[1] & ~happen[0]).any()  # b only where the driver (and so a) happens


# --- re-timing keeps the plan ------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_team() -> tuple[Scenario, Plan]:
    scenario = api.load(ROOT / "scenarios" / "small-team.yaml")
    return scenario, api.solve(scenario, time_limit=5, workers=1, seed=0)


def _timing(scenario: Scenario, plan: Plan, uniforms: np.ndarray, early: bool = False):
    problem, setup = prepare(scenario, plan, early)
    happen = setup.events.happen(uniforms[:, len(setup.triangles) :])
    return problem, setup, retime(setup.model, sample_work(setup, uniforms, happen), happen, setup.events)


def test_planned_work_retimes_to_the_plan_itself(small_team):
    scenario, plan = small_team
    problem, setup, timing = _timing(scenario, plan, np.full((2, 200), 0.5))
    schedule = schedule_from_plan(problem, plan)
    for shape in setup.model.tasks:
        choice = schedule[shape.id]
        assert (timing.start[shape.index, 0], timing.end[shape.index, 0]) == (choice.start, choice.end)


def test_retimed_samples_never_overbook_a_person(small_team):
    # Sequence edges keep apart what the plan kept apart, so no day holds more of a
    # person's allocation than the plan ever did.
    scenario, plan = small_team
    raw = json.loads(scenario.model_dump_json())
    raw["risk"] = {"estimates": [{"skill": s, "low": -30, "high": 80} for s in ("backend", "frontend", "qa")]}
    risky = scenario_of(raw)
    rng = np.random.default_rng(0)
    problem, setup, timing = _timing(risky, plan, rng.random((60, 200)), early=True)
    capacity = {p.id: p.capacity for p in problem.people.values()}
    for sample in range(60):
        load: dict[tuple[str, int], int] = {}
        for shape in setup.model.tasks:
            for day in range(timing.start[shape.index, sample], timing.end[shape.index, sample]):
                for person, allocation in shape.people.items():
                    load[person, day] = load.get((person, day), 0) + allocation
        assert all(total <= capacity[person] for (person, _), total in load.items())


def test_first_fit_finds_windows_of_present_days():
    present = np.array([1, 1, 0, 1, 1, 1, 0, 1], dtype=bool)
    assert first_fit(present, 3).tolist() == [3, 3, 3, 3, 8, 8, 8, 8, 8]
    assert first_fit(present, 1).tolist() == [0, 1, 3, 3, 4, 5, 7, 7, 8]
    assert first_fit(present, 0).tolist() == list(range(9))


# --- the command -----------------------------------------------------------------------------------


def test_cli_prints_text_json_and_csv(one_task, tmp_path):
    _, plan = one_task
    (tmp_path / "s.yaml").write_text(json.dumps(ONE_TASK))
    (tmp_path / "plan.json").write_text(plan_json(plan))
    args = ["risk", str(tmp_path / "s.yaml"), str(tmp_path / "plan.json"), "--samples", "500"]
    text = CliRunner().invoke(main, args)
    assert text.exit_code == 0, text.output
    assert "P80" in text.output and "build (100 %" in text.output
    data = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).output)
    assert data["samples"] == 500 and data["projects"][0]["project"] == "p"
    rows = CliRunner().invoke(main, [*args, "--format", "csv"]).output.splitlines()
    assert rows[0].startswith("project,deadline,planned_finish,p50") and len(rows) == 2


def test_cli_refuses_a_plan_of_another_scenario_and_bad_input(one_task, tmp_path):
    _, plan = one_task
    other = json.loads(json.dumps(ONE_TASK))
    other["projects"][0]["tasks"][0]["effort"] = 11
    (tmp_path / "other.yaml").write_text(json.dumps(other))
    (tmp_path / "plan.json").write_text(plan_json(plan))
    result = CliRunner().invoke(main, ["risk", str(tmp_path / "other.yaml"), str(tmp_path / "plan.json")])
    assert result.exit_code == 2 and "different scenario" in result.output
    bad = json.loads(json.dumps(ONE_TASK))
    bad["projects"][0]["tasks"][0]["estimate"] = {"low": 12, "likely": 10, "high": 16}
    (tmp_path / "bad.yaml").write_text(json.dumps(bad))
    result = CliRunner().invoke(main, ["risk", str(tmp_path / "bad.yaml"), str(tmp_path / "plan.json")])
    assert result.exit_code == 2
    assert "bad.yaml: task 'build' field 'estimate': low 12 is above likely 10" in result.output


def test_estimates_do_not_change_the_scenario_hash():
    from allocator.io import scenario_hash

    plain = json.loads(json.dumps(ONE_TASK))
    del plain["projects"][0]["tasks"][0]["estimate"]
    risky = _with(
        ONE_TASK, risk={"events": [{"id": "e", "probability": 0.5, "task": "build", "effort_growth": 5}]}
    )
    assert scenario_hash(scenario_of(plain)) == scenario_hash(scenario_of(risky))


def test_reoptimised_samples_recover_what_retiming_cannot(two_tasks):
    # Build grows by 100 % for sure; the re-timed plan keeps Ana alone on it, while a
    # re-plan may add Ben (team of up to two): never later, here earlier.
    raw, _ = two_tasks
    raw = _with(
        raw, risk={"events": [{"id": "grow", "probability": 1, "task": "build", "effort_growth": 100}]}
    )
    raw["people"].append({"id": "ben", "skills": {"backend": 3}, "start": "2027-01-18"})
    _task(raw, "build")["team"] = {"min": 1, "max": 2}
    scenario = scenario_of(raw)
    plan = api.solve(scenario, time_limit=5, workers=1, seed=0)
    assert all(len(tp.assignments) == 1 for tp in plan.tasks if tp.task == "build")  # Ben joins too late
    report = run_risk(scenario, plan, RiskOptions(samples=10, seed=0, reoptimise=2, reoptimise_time=3))
    replanned = report.replanned
    assert replanned is not None and replanned.tried == 2 and replanned.samples == (0, 1)
    retimed, better = replanned.projects["p"]
    assert better < retimed
    assert replanned.replanned_late_days < replanned.retimed_late_days


def test_report_shows_finish_curves_and_a_risk_sheet(one_task, tmp_path):
    from openpyxl import load_workbook

    _, plan = one_task
    (tmp_path / "s.yaml").write_text(json.dumps(ONE_TASK))
    (tmp_path / "plan.json").write_text(plan_json(plan))
    risk = CliRunner().invoke(
        main, ["risk", str(tmp_path / "s.yaml"), str(tmp_path / "plan.json"), "--format", "json"]
    )
    (tmp_path / "risk.json").write_text(risk.output)
    base = ["report", str(tmp_path / "plan.json"), "--risk", str(tmp_path / "risk.json")]
    html_run = CliRunner().invoke(
        main, [*base, "--scenario", str(tmp_path / "s.yaml"), "-o", str(tmp_path / "r.html")]
    )
    assert html_run.exit_code == 0, html_run.output
    page = (tmp_path / "r.html").read_text()
    assert "How sure each deadline is" in page and "p deadline" in page
    xlsx_run = CliRunner().invoke(main, [*base, "-o", str(tmp_path / "r.xlsx")])
    assert xlsx_run.exit_code == 0, xlsx_run.output
    sheet = load_workbook(tmp_path / "r.xlsx")["risk"]
    assert [c.value for c in sheet[1]][:6] == ["project", "deadline", "planned finish", "P50", "P80", "P95"]
    p50 = json.loads(risk.output)["projects"][0]["p50"]
    assert sheet["A2"].value == "p" and sheet["D2"].value.date().isoformat() == p50
    (tmp_path / "bad.json").write_text("{}")
    bad = CliRunner().invoke(
        main,
        [
            "report",
            str(tmp_path / "plan.json"),
            "--risk",
            str(tmp_path / "bad.json"),
            "-o",
            str(tmp_path / "x.html"),
        ],
    )
    assert bad.exit_code == 2 and "bad.json: field" in bad.output


def test_solve_at_a_confidence_plans_the_percentile_effort(tmp_path):
    # P80 of Tri(8, 10, 16) is 12.90 person-days: Ana needs 13 working days, so the plan
    # ends on the 13th and the deadline (the 12th) holds in 2/3 of the samples only.
    from allocator.risk.confidence import confident_scenario

    scenario = scenario_of(ONE_TASK)
    (task,) = confident_scenario(scenario, 0.8).projects[0].tasks
    assert task.effort == pytest.approx(triangular_quantile(0.8, 8, 10, 16))
    (tmp_path / "s.yaml").write_text(json.dumps(ONE_TASK))
    args = ["solve", str(tmp_path / "s.yaml"), "--confidence", "0.8", "--confidence-method", "efforts"]
    args += ["--time-limit", "5", "--workers", "1"]
    result = CliRunner().invoke(main, [*args, "--explain-time", "0", "-q", "-o", str(tmp_path / "plan.json")])
    assert result.exit_code == 0, result.output
    assert "Deadlines at 80 % confidence" in result.output
    assert "p: does not hold (6" in result.output  # about 67 % on time
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "s.yaml"), str(tmp_path / "plan.json")])
    assert checked.exit_code == 0, checked.output  # a plan of the scenario itself
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["tasks"][0]["finish"] == working_day(13).isoformat()
