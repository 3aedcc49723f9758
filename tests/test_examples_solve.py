"""Every top-level example scenario plans to a verified plan from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from allocator.app.cli import main
from allocator.checker import check_plan
from allocator.io import load_scenario
from allocator.io.plan_json import load_plan

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_solves_with_exit_0_and_a_verified_plan(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    args = ["solve", str(path), "-o", str(target), "--time-limit", "4", "--workers", "1", "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    scenario, plan = load_scenario(path), load_plan(target)
    report = check_plan(scenario, plan)
    assert report.ok, report.violations[:3]
    assert {tp.task for tp in plan.tasks} >= {
        task.id for project, task in scenario.tasks() if project.status == "committed"
    }
