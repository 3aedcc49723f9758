"""Spreadsheet import: workbooks and folders to scenarios, lossless round trips, located problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from allocator.app.cli import main
from allocator.demo.generate import generate_scenario
from allocator.io import InputProblem, ScenarioError, load_scenario
from allocator.io.workbook import SHEET_TABLES, export_workbook, load_workbook_scenario
from allocator.report.template import example_scenario, write_template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "scenarios" / "templates" / "scenario-template.xlsx"


def problems(path: Path) -> list[InputProblem]:
    with pytest.raises(ScenarioError) as caught:
        load_workbook_scenario(path)
    return caught.value.problems


def set_cell(path: Path, sheet: str, cell: str, value: object) -> None:
    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


@pytest.mark.parametrize("name", ["quarter.yaml", "small-team.yaml"])
def test_bundled_scenarios_survive_a_workbook_round_trip(name: str, tmp_path: Path) -> None:
    scenario = load_scenario(ROOT / "scenarios" / name)
    export_workbook(scenario, tmp_path / "scenario.xlsx")
    assert load_workbook_scenario(tmp_path / "scenario.xlsx") == scenario


def test_generated_scenario_survives_a_workbook_round_trip(tmp_path: Path) -> None:
    scenario = generate_scenario(30, 2, 5, 60, 13, 3)
    export_workbook(scenario, tmp_path / "scenario.xlsx")
    assert load_workbook_scenario(tmp_path / "scenario.xlsx") == scenario


def test_template_holds_every_sheet_and_reads_as_the_example(tmp_path: Path) -> None:
    assert load_workbook_scenario(TEMPLATE) == example_scenario()
    write_template(tmp_path / "fresh.xlsx")
    sheets = load_workbook(tmp_path / "fresh.xlsx").sheetnames
    assert sheets == ["help", "scenario", *(table.name for table in SHEET_TABLES)]
    assert load_workbook_scenario(tmp_path / "fresh.xlsx") == example_scenario()


def test_bad_cell_names_sheet_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    write_template(path)
    set_cell(path, "people", "C3", "lots")  # fte of the second person
    [problem] = problems(path)
    assert problem.file == f"{path} sheet 'people'"
    assert (problem.row, problem.field) == (3, "fte")
    assert "sheet 'people' row 3" in str(problem) and "'fte'" in str(problem)


def test_unknown_reference_and_unknown_column_are_located(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    write_template(path)
    set_cell(path, "time_off", "A2", "anna")
    set_cell(path, "tasks", "R1", "colour")
    found = {(p.file.rsplit(" ", 1)[-1], p.row, p.field): p.message for p in problems(path)}
    assert "unknown person 'anna' (did you mean 'ana'?)" in found[("'time_off'", 2, "person")]
    assert "unknown column 'colour'" in found[("'tasks'", 1, "colour")]


def test_cell_syntax_errors_and_bad_dependencies_are_located(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    write_template(path)
    set_cell(path, "tasks", "G3", "two")  # team of crm-build
    set_cell(path, "dependencies", "B2", "crm-desing")
    found = {(p.file.rsplit(" ", 1)[-1], p.row, p.field) for p in problems(path)}
    assert ("'tasks'", 3, "team") in found


def test_unknown_sheet_and_missing_settings_sheet(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    write_template(path)
    book = load_workbook(path)
    book["people"].title = "peple"
    del book["scenario"]
    book.save(path)
    messages = [str(p) for p in problems(path)]
    assert any("sheet 'peple'" in m and "did you mean 'people'" in m for m in messages)
    assert any("needs a 'scenario' sheet" in m for m in messages)


def test_modes_sheet_names_its_unknown_task(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    write_template(path)
    set_cell(path, "modes", "A2", "crm-tset")
    set_cell(path, "modes", "B2", "fast")
    set_cell(path, "modes", "D2", 5)
    [problem] = problems(path)
    assert (problem.row, problem.field) == (2, "task") and "crm-test" in problem.message


def test_import_command_writes_yaml_from_workbook_and_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(TEMPLATE), "-o", str(tmp_path / "s.yaml")])
    assert result.exit_code == 0, result.output
    assert load_scenario(tmp_path / "s.yaml") == example_scenario()
    folder = ROOT / "tests" / "data" / "io" / "folder"
    result = runner.invoke(main, ["import", str(folder), "-o", str(tmp_path / "f.yaml")])
    assert result.exit_code == 0, result.output
    assert load_scenario(tmp_path / "f.yaml") == load_scenario(folder)


def test_import_command_reports_problems_with_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    write_template(path)
    set_cell(path, "people", "C3", "lots")
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(tmp_path / "s.yaml")])
    assert result.exit_code == 2
    assert "sheet 'people' row 3" in result.output
    assert not (tmp_path / "s.yaml").exists()
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(tmp_path / "s.txt")])
    assert result.exit_code == 2
