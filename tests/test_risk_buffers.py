"""Planning at a confidence with buffers per chain: sizes by hand, the order they change, the command."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from allocator import api
from allocator.app.cli import main
from allocator.checker import check_plan
from allocator.risk.buffers import buffered_scenario, chain_buffers, solve_with_buffers
from allocator.risk.run import RiskOptions, run_risk
from allocator.search.solve import SolveOptions, solve_scenario
from tests.test_risk import ONE_TASK, scenario_of, triangular_quantile, working_day

RISKY = {"low": 8, "likely": 10, "high": 16}
#: P80 of the risky task's work: 12.90 person-days against 10 planned.
OVERRUN = triangular_quantile(0.8, 8, 10, 16) - 10


def chained(deadline_day: int, kind: str = "soft") -> dict:
    """Ana builds then tests (each 10 days, each Tri(8, 10, 16)); the deadline on a weekday."""
    raw = json.loads(json.dumps(ONE_TASK))
    tasks = [
        {"id": "build", "effort": 10, "requires": ["backend:3"], "estimate": RISKY},
        {"id": "test", "effort": 10, "requires": ["backend:3"], "estimate": RISKY, "after": ["build"]},
    ]
    raw["projects"] = [
        {
            "id": "p",
            "deadline": working_day(deadline_day).isoformat(),
            "deadline_type": kind,
            "tasks": tasks,
        }
    ]
    return raw


#: Two projects for Ana: a's work is uncertain, b's is not and b weighs double. Either
#: order meets both deadlines with the efforts as given, and the finish stage puts b first.
COMPETING = {
    **{k: v for k, v in ONE_TASK.items() if k != "projects"},
    "projects": [
        {
            "id": "a",
            "deadline": working_day(22).isoformat(),
            "tasks": [{"id": "a-build", "effort": 10, "requires": ["backend:3"], "estimate": RISKY}],
        },
        {
            "id": "b",
            "priority": 2,
            "deadline": working_day(25).isoformat(),
            "tasks": [{"id": "b-build", "effort": 10, "requires": ["backend:3"]}],
        },
    ],
}


def test_a_chain_buffer_is_the_root_of_its_squared_overruns():
    # Each task runs 10 working days and over by 2.90 at P80: sqrt(2 x 2.90^2) = 4.10 -> 5.
    scenario = scenario_of(chained(30))
    plan = api.solve(scenario, time_limit=5, workers=1, seed=0)
    (buffer,) = chain_buffers(scenario, plan, 0.8)
    assert buffer.chain == ("build", "test")
    assert buffer.days == math.ceil(math.sqrt(2) * OVERRUN) == 5
    assert buffer.deadline == working_day(30) and buffer.target == working_day(25)
    (project,) = buffered_scenario(scenario, [buffer]).projects
    assert project.deadline == working_day(25)


def test_a_hard_deadline_moves_no_earlier_than_the_plan_finishes():
    # The plan ends on day 20; deadline 22 less 5 would be 17, so the target is 20.
    scenario = scenario_of(chained(22, "hard"))
    plan = api.solve(scenario, time_limit=5, workers=1, seed=0)
    (buffer,) = chain_buffers(scenario, plan, 0.8)
    assert buffer.days == 5 and buffer.target == working_day(20)


def test_buffers_put_the_uncertain_project_first_and_raise_its_chance():
    # As given, b goes first (finish stage: 2 x 10 + 20 against 10 + 2 x 20) and a, on days
    # 11-20, is on time by day 22 only when its work x <= 12: 1 - 4^2 / 48 = 2/3. With a's
    # buffer of 3 days (target day 19) a goes first: on time always (x <= 16); b then ends on
    # max(20, ceil(x) + 10), late only when x > 15: 1/48.
    scenario = scenario_of(COMPETING)
    options = SolveOptions(time_limit=6, workers=1, seed=0)
    plain = solve_scenario(scenario, options).plan
    assert plain is not None
    assert {t.task: t.finish for t in plain.tasks} == {"b-build": working_day(10), "a-build": working_day(20)}
    result, buffers = solve_with_buffers(scenario, 0.8, options, solve_scenario)
    assert {b.project: b.days for b in buffers} == {"a": 3, "b": 0}
    plan = result.plan
    assert plan is not None and plan.check is not None and plan.check.ok
    assert check_plan(scenario, plan).ok
    assert {t.task: t.finish for t in plan.tasks} == {"a-build": working_day(10), "b-build": working_day(20)}
    assert plan.kpis.weighted_late_days == 0  # against the scenario's own deadlines
    chances = {}
    for made in (plain, plan):
        report = run_risk(scenario, made, RiskOptions(samples=20_000, seed=3))
        chances[made is plan] = {p.project: p.on_time for p in report.projects}
    assert chances[False]["a"] == pytest.approx(2 / 3, abs=0.015)
    assert chances[True]["a"] == 1.0
    assert chances[True]["b"] == pytest.approx(47 / 48, abs=0.006)


def test_solve_at_a_confidence_prints_the_buffers(tmp_path):
    (tmp_path / "s.yaml").write_text(json.dumps(COMPETING))
    args = ["solve", str(tmp_path / "s.yaml"), "--confidence", "0.8", "--time-limit", "6", "--workers", "1"]
    result = CliRunner().invoke(main, [*args, "--explain-time", "0", "-q", "-o", str(tmp_path / "plan.json")])
    assert result.exit_code == 0, result.output
    assert "Buffers at 80 %" in result.output
    aim = f"aims at {working_day(19)} for {working_day(22)}"
    assert f"a: 3 working days over 1 chain task; {aim}" in result.output
    assert "a: holds (100 % on time" in result.output
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "s.yaml"), str(tmp_path / "plan.json")])
    assert checked.exit_code == 0, checked.output
