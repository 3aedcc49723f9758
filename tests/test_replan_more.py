"""Re-planning trade-offs, freeze release, and progress from a scenario file.

The scenario (``tests/data/replan/two_projects.yaml``) has two developers. ``ana`` builds
``ui`` (5 person-days, a team of one or two) in the first week and ``launch`` (2 days)
after it, just in time for the ``app`` deadline of Tuesday 12 January; ``bo`` runs
``ops`` and then ``ops2``. The baseline solves to exactly that (the finish stage keeps
the two people apart). When ``ui`` doubles, there are two answers:

- ``bo`` joins ``ui`` so that it still ends on Friday; ``ops`` and ``ops2`` move a week
  and ``bo`` gains a project: stability cost 5 + 5 + 5 = 15, no lateness;
- ``ana`` works alone a week longer; ``launch`` moves a week: stability cost 5, five
  late days at 10 each.

So a stability weight of 1 prefers the first (15 < 5 + 50), 40 the second (600 > 200 + 50).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from allocator.app.cli import main
from allocator.checker import check_plan
from allocator.io import load_plan, load_scenario, plan_json
from allocator.replan.render import changes_markdown
from allocator.replan.run import ReplanOptions, ReplanResult, replan
from allocator.replan.slips import parse_slip
from allocator.search.evaluate import term_values
from allocator.search.solve import SolveOptions, solve_scenario
from models import ObjectiveTerm
from models.progress import Progress

if TYPE_CHECKING:
    from models import Plan, Scenario

DATA = Path(__file__).parent / "data" / "replan"
SCENARIO = DATA / "two_projects.yaml"
MONDAY = dt.date(2027, 1, 4)
SEARCH = SolveOptions(time_limit=3, workers=1, seed=1)


def scenario() -> Scenario:
    """The scenario without its progress section (re-planned from its first day)."""
    return load_scenario(SCENARIO).model_copy(update={"progress": None})


@pytest.fixture(scope="module")
def baseline() -> Plan:
    result = solve_scenario(scenario(), SEARCH)
    assert result.plan is not None and result.plan.check is not None and result.plan.check.ok
    teams = {tp.task: {a.resource for a in tp.assignments} for tp in result.plan.tasks}
    assert teams == {"ui": {"ana"}, "launch": {"ana"}, "ops": {"bo"}, "ops2": {"bo"}}
    return result.plan


def run(baseline: Plan, weight: int, freeze: int = 0, slips: tuple[str, ...] = ("ui=x2",)) -> ReplanResult:
    """Re-plan from the first day with ``ui``'s effort doubled; the re-plan must verify."""
    options = ReplanOptions(
        MONDAY,
        freeze_days=freeze,
        stability_weight=weight,
        slips=[parse_slip("effort", s) for s in slips],
        solve=SEARCH,
    )
    result = replan(scenario(), baseline, options, Progress())
    assert result.plan is not None and result.changes is not None
    assert check_plan(result.setup.scenario, result.plan).ok
    return result


def lateness(result: ReplanResult) -> int:
    """Late working days of the re-plan, recomputed from the plan."""
    from allocator.plan.assemble import schedule_from_plan
    from allocator.problem.compile import compile_problem

    assert result.plan is not None
    problem = compile_problem(result.setup.scenario)
    return term_values(problem, schedule_from_plan(problem, result.plan))[ObjectiveTerm.LATENESS]


def test_stability_sweep_is_monotone(baseline: Plan) -> None:
    results = [run(baseline, weight) for weight in (1, 5, 40)]
    changes = [r.changes.change_count for r in results if r.changes]
    late = [lateness(r) for r in results]
    assert changes == sorted(changes, reverse=True)  # fewer changes as stability rises
    assert late == sorted(late)  # paid for in lateness
    assert changes[0] > changes[-1] and late[0] < late[-1]  # and the knob does trade
    low, high = results[0].changes, results[-1].changes
    assert low is not None and high is not None
    assert {c.task for c in low.tasks} == {"ui", "ops", "ops2"}
    assert {c.task for c in high.tasks} == {"ui", "launch"}


def test_infeasible_baseline_gets_a_verified_replan(baseline: Plan) -> None:
    # ui cannot end on its baseline date with its baseline team: the baseline no longer holds.
    low, high = run(baseline, 1), run(baseline, 40)
    for result in (low, high):
        assert result.changes is not None
        assert any(c.task == "ui" and (c.moved or c.reassigned) for c in result.changes.tasks)
    assert low.changes is not None and high.changes is not None
    assert high.changes.change_count < low.changes.change_count


def test_freeze_releases_the_smallest_set_and_names_it(baseline: Plan) -> None:
    # Ten working days freeze launch, ops and ops2 (ui is named by the slip). bo cannot
    # help while ops is frozen, so ana ends ui a week late and launch alone must go.
    result = run(baseline, 5, freeze=10)
    assert result.setup.frozen == {"launch", "ops", "ops2"}
    assert result.released == ["launch"]
    assert result.changes is not None and result.changes.released == ("launch",)
    assert "launch" in result.changes.summary
    assert "Released from the freeze: launch" in changes_markdown(result.changes)
    unchanged = {c.task for c in result.changes.tasks}
    assert not unchanged & {"ops", "ops2"}


def test_progress_section_drives_the_replan(baseline: Plan, tmp_path: Path) -> None:
    loaded = load_scenario(SCENARIO)
    assert loaded.progress is not None and loaded.progress.as_of == dt.date(2027, 1, 6)
    base_file, out, changes, scenario_out = (
        tmp_path / "baseline.json",
        tmp_path / "replan.json",
        tmp_path / "changes.json",
        tmp_path / "replan.yaml",
    )
    base_file.write_text(plan_json(baseline))
    outcome = CliRunner().invoke(
        main,
        [
            "replan",
            str(SCENARIO),
            "--baseline",
            str(base_file),
            "-o",
            str(out),
            "--changes",
            str(changes),
            "--scenario-out",
            str(scenario_out),
            "--format",
            "json",
            "--time-limit",
            "3",
            "--workers",
            "1",
            "--seed",
            "1",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    plan = load_plan(out)
    assert check_plan(load_scenario(scenario_out), plan).ok
    assert all(tp.start >= dt.date(2027, 1, 6) for tp in plan.tasks)
    teams = {tp.task: {a.resource for a in tp.assignments} for tp in plan.tasks}
    assert "ana" in teams["ui"] and "bo" in teams["ops"]  # work in progress keeps its people
    assert json.loads(changes.read_text())["as_of"] == "2027-01-06"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("task: ui, status: in_progress", "task: uii, status: in_progress", ("unknown task 'uii'", "task")),
        (
            "remaining_effort: 3, assignees",
            "remaining_effort: -1, assignees",
            ("remaining_effort", "greater than or equal to 0"),
        ),
        ("as_of: 2027-01-06", "as_of: 2028-01-06", ("as_of", "outside the plan window")),
    ],
)
def test_bad_progress_section_exits_2(
    baseline: Plan, tmp_path: Path, old: str, new: str, expected: tuple[str, str]
) -> None:
    text = SCENARIO.read_text()
    assert old in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(old, new))
    base_file = tmp_path / "baseline.json"
    base_file.write_text(plan_json(baseline))
    outcome = CliRunner().invoke(main, ["replan", str(bad), "--baseline", str(base_file)])
    assert outcome.exit_code == 2, outcome.output
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
    assert "Traceback" not in outcome.output
    assert str(bad) in outcome.output
    assert "progress" in outcome.output
    for piece in expected:
        assert piece in outcome.output
