"""The notebook API: load, solve, check and the pandas tables, on a hand-checkable scenario."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from allocator import api
from allocator.output import ASSIGNMENT_COLUMNS, PROJECT_COLUMNS
from models import Plan, SolverStatus

# Ana builds (5 days) then Ben tests (2 days). The plan starts on Easter Monday
# (29 March 2027, a bank holiday in England), so the build runs Tue 30 Mar .. Mon 5 Apr
# and the test Tue 6 .. Wed 7 Apr. Both work full time, so ISO week 13 books Ana 4 days.
SCENARIO = """\
name: easter
start: 2027-03-29
end: 2027-04-30
calendar: {country: GB, subdivision: ENG}
allocations: [100]
people:
  - {id: ana, skills: {backend: 3}, cost_per_day: 500}
  - {id: ben, skills: {qa: 2}, cost_per_day: 400}
projects:
  - id: crm
    deadline: 2027-04-30
    tasks:
      - {id: build, effort: 5, requires: backend}
      - {id: test, effort: 2, requires: qa, after: build}
"""


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "easter.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plan(scenario_file: Path) -> Plan:
    return api.solve(api.load(scenario_file), time_limit=5, workers=1, seed=0)


def test_solve_returns_a_verified_plan_with_known_dates(plan: Plan, scenario_file: Path) -> None:
    dates = {tp.task: (str(tp.start), str(tp.finish)) for tp in plan.tasks}
    assert dates == {"build": ("2027-03-30", "2027-04-05"), "test": ("2027-04-06", "2027-04-07")}
    report = api.check(api.load(scenario_file), plan)
    assert report.ok, report.violations


def test_solve_accepts_a_path(scenario_file: Path, plan: Plan) -> None:
    again = api.solve(scenario_file, time_limit=5, workers=1, seed=0)
    assert again.tasks == plan.tasks


def test_check_finds_a_broken_plan(plan: Plan, scenario_file: Path) -> None:
    build = plan.tasks[0].model_copy(update={"finish": plan.tasks[0].finish.replace(day=1)})
    broken = plan.model_copy(update={"tasks": (build, *plan.tasks[1:])})
    report = api.check(api.load(scenario_file), broken)
    assert not report.ok
    assert any(v.rule == "effort" and v.entity == "task build" for v in report.violations)


def test_assignments_frame(plan: Plan) -> None:
    frame = api.assignments_frame(plan)
    assert list(frame.columns) == list(ASSIGNMENT_COLUMNS)
    assert list(zip(frame["task"], frame["resource"], strict=True)) == [("build", "ana"), ("test", "ben")]
    assert frame["finish"].iloc[0] == pd.Timestamp("2027-04-05")


def test_projects_frame(plan: Plan) -> None:
    frame = api.projects_frame(plan)
    assert list(frame.columns) == list(PROJECT_COLUMNS)
    assert frame.to_dict("records")[0] | {"cost": 0} == {
        "project": "crm",
        "deferred": False,
        "start": pd.Timestamp("2027-03-30"),
        "finish": pd.Timestamp("2027-04-07"),
        "deadline": pd.Timestamp("2027-04-30"),
        "on_time": True,
        "late_days": 0,
        "cost": 0,
        "budget": None,
    }
    assert frame["cost"].iloc[0] == pytest.approx(5 * 500 + 2 * 400)


def test_loads_frame(plan: Plan) -> None:
    booked = api.loads_frame(plan, "booked_days")
    assert list(booked.index) == ["ana", "ben"]
    assert list(booked.columns[:2]) == ["2027-W13", "2027-W14"]
    assert booked.loc["ana", "2027-W13"] == pytest.approx(4)  # Easter Monday is off
    assert booked.loc["ana", "2027-W14"] == pytest.approx(1)
    assert booked.loc["ben", "2027-W14"] == pytest.approx(2)
    assert booked.to_numpy().sum() == pytest.approx(7)


def test_no_plan_raises_with_reasons(tmp_path: Path) -> None:
    # The test cannot end before Wed 7 April (see above), so a hard deadline of the 6th fails.
    impossible = SCENARIO.replace("after: build}", "after: build, deadline: 2027-04-06}")
    path = tmp_path / "impossible.yaml"
    path.write_text(textwrap.dedent(impossible), encoding="utf-8")
    with pytest.raises(api.NoPlanError) as caught:
        api.solve(path, time_limit=5, workers=1)
    assert caught.value.status == SolverStatus.INFEASIBLE
    assert caught.value.reasons and "hard deadline" in caught.value.reasons[0]


def test_load_reports_input_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(SCENARIO.replace("after: build", "after: biuld"), encoding="utf-8")
    with pytest.raises(api.ScenarioError) as caught:
        api.load(path)
    assert "unknown task 'biuld'" in str(caught.value)


def test_explain_and_advise_from_python() -> None:
    """The API explains a late plan and finds the hire that brings it in (tests/test_advise.py)."""
    from allocator import api
    from tests.test_advise import priced_release

    the_scenario = priced_release()
    plan = api.solve(the_scenario, time_limit=5, workers=1, explain_seconds=10)
    assert [e.project for e in plan.explanations] == ["release"]
    assert [e.project for e in api.explain(the_scenario, plan, time_limit=10)] == ["release"]
    advice = api.advise(the_scenario, plan, time_limit=20)
    assert advice.remedies and advice.remedies[0].late_days_saved == 5
