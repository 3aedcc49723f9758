"""``allocator report``: HTML or Excel by the output's extension, usage errors with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from allocator.app.cli import main
from allocator.io import load_scenario, save_plan
from allocator.search.solve import SolveOptions, solve_scenario

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "small-team.yaml"


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plan = solve_scenario(load_scenario(SCENARIO), SolveOptions(construct_only=True)).plan
    assert plan is not None
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    save_plan(plan, path)
    return path


def test_report_writes_html_with_the_scenario(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(plan_file), "--scenario", str(SCENARIO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "chart-skills" in text


def test_report_writes_a_workbook(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["report", str(plan_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["KPIs", "projects", "assignments", "load", "vendors", "solver"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-o", "{tmp}/report.pdf"], "must end in .html or .htm or .xlsx"),
        (["-o", "{tmp}/missing/report.html"], "does not exist"),
        (["--scenario", "{tmp}/nothing.yaml", "-o", "{tmp}/r.html"], "no such file"),
    ],
)
def test_report_usage_errors(plan_file: Path, tmp_path: Path, arguments: list[str], message: str) -> None:
    filled = [argument.format(tmp=tmp_path) for argument in arguments]
    result = CliRunner().invoke(main, ["report", str(plan_file), *filled])
    assert result.exit_code == 2
    assert message in result.output


def test_report_on_a_missing_plan_is_an_input_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path / "none.json"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "no such file" in result.output
