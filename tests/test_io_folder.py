"""Scenario folders: scenario.yaml plus CSV or XLSX tables, with problems by file, row and column."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from allocator.io import InputProblem, ScenarioError, cells, load_scenario, save_scenario_yaml
from allocator.io.cells import CellError

FOLDER = Path(__file__).resolve().parent / "data" / "io" / "folder"
TABLES = ("people", "vendors", "time_off", "tasks", "dependencies")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the CSV fixture folder."""
    target = tmp_path / "q1"
    shutil.copytree(FOLDER, target)
    return target


def problems(path: Path) -> list[InputProblem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value.problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_csv_folder_loads_every_table() -> None:
    scenario = load_scenario(FOLDER)
    people = scenario.person_index()
    assert people["ana"].skills == {"backend": 4, "sql": 3}
    assert people["ana"].reserve == 0.1
    assert people["ben"].time_off[0].fraction == 0.5
    assert people["ana"].time_off[0].reason == "holiday"
    assert scenario.vendors[0].headcount == 2
    tasks = scenario.task_index()
    build = tasks["crm-build"][1]
    assert build.team is not None and (build.team.min, build.team.max) == (2, 3)
    assert build.allocations == (50, 100)
    assert [(r.skill, r.level) for r in build.requires] == [("backend", 3), ("frontend", 2)]
    uat = tasks["crm-uat"][1]
    assert (uat.after[0].task, uat.after[0].type.value, uat.after[0].lag) == ("crm-build", "SS", 2)
    assert uat.resources == {"test-env": 1}
    assert uat.pinned == ("ben",) and uat.vendor == "never"
    fix = tasks["erp-fix"]
    assert fix[0].id == "erp"
    assert (fix[1].requires[0].people, fix[1].deadline) == (2, dt.date(2027, 3, 15))
    assert (fix[1].after[0].task, fix[1].after[0].lag) == ("crm-design", 1)


def test_folder_round_trips_through_yaml(tmp_path: Path) -> None:
    scenario = load_scenario(FOLDER)
    save_scenario_yaml(scenario, tmp_path / "merged.yaml")
    assert load_scenario(tmp_path / "merged.yaml") == scenario


def test_xlsx_tables_give_the_same_scenario(tmp_path: Path) -> None:
    target = tmp_path / "q1x"
    target.mkdir()
    shutil.copy(FOLDER / "scenario.yaml", target / "scenario.yaml")
    for name in TABLES:
        frame = pd.read_csv(FOLDER / f"{name}.csv", dtype=object)
        # Spreadsheets hold real dates and numbers; the reader must turn them back into cells.
        for column in ("start", "end", "earliest_start", "deadline"):
            if column in frame:
                frame[column] = pd.to_datetime(frame[column])
        for column in ("fte", "effort", "headcount", "lag"):
            if column in frame:
                frame[column] = pd.to_numeric(frame[column])
        frame.to_excel(target / f"{name}.xlsx", index=False)
    assert load_scenario(target) == load_scenario(FOLDER)


def test_bad_cell_is_reported_by_file_row_and_column(folder: Path) -> None:
    edit(folder / "people.csv", "ben,Ben Okafor,0.8", "ben,Ben Okafor,lots")
    [problem] = problems(folder)
    assert (problem.file, problem.row, problem.entity, problem.field) == (
        str(folder / "people.csv"), 3, "person 'ben'", "fte",
    )  # fmt: skip
    assert str(problem).startswith(f"{folder / 'people.csv'} row 3: person 'ben' field 'fte': ")


def test_time_off_problem_points_at_its_own_row(folder: Path) -> None:
    edit(folder / "time_off.csv", "ben,2027-03-01,2027-03-01", "ben,2027-03-01,2027-02-01")
    [problem] = problems(folder)
    assert (Path(problem.file).name, problem.row, problem.entity) == ("time_off.csv", 3, "person 'ben'")
    assert "before start" in problem.message


def test_reference_problems_point_at_the_row_and_column(folder: Path) -> None:
    edit(folder / "tasks.csv", ",crm-build SS+2,", ",crm-biuld SS+2,")
    edit(folder / "dependencies.csv", "erp-fix,crm-design", "erp-fix,crm-desgin")
    found = problems(folder)
    located = [(Path(p.file).name, p.row, p.entity, p.field) for p in found]
    assert located == [
        ("tasks.csv", 4, "task 'crm-uat'", "after"),
        ("dependencies.csv", 2, "task 'erp-fix'", "predecessor"),
    ]
    assert "did you mean 'crm-build'?" in found[0].message
    assert "did you mean 'crm-design'?" in found[1].message


def test_duplicate_id_points_at_the_later_row(folder: Path) -> None:
    with (folder / "people.csv").open("a") as table:
        table.write("ana,Another Ana,1,,,,,,,,,qa:1\n")
    [problem] = problems(folder)
    assert (Path(problem.file).name, problem.row, problem.field) == ("people.csv", 4, "id")


def test_row_problems_of_attached_tables(folder: Path) -> None:
    edit(folder / "tasks.csv", "erp,erp-fix", "epr,erp-fix")
    edit(folder / "time_off.csv", "ana,2027-02-15", "anna,2027-02-15")
    edit(folder / "dependencies.csv", "erp-fix,", "nothing,")
    found = problems(folder)
    located = {(Path(p.file).name, p.row, p.field): p.message for p in found}
    assert "unknown person 'anna' (did you mean 'ana'?)" in located[("time_off.csv", 2, "person")]
    assert "unknown project 'epr' (did you mean 'erp'?)" in located[("tasks.csv", 5, "project")]
    assert "unknown task 'nothing'" in located[("dependencies.csv", 2, "task")]


def test_cell_syntax_problems_and_unknown_columns(folder: Path) -> None:
    edit(folder / "tasks.csv", "backend:3; frontend:2,2-3", "backend:high,two-three")
    edit(folder / "vendors.csv", "headcount,day_rate", "headcount,day_rat")
    found = problems(folder)
    located = {(Path(p.file).name, p.row, p.field): p.message for p in found}
    assert "did you mean 'day_rate'?" in located[("vendors.csv", 1, "day_rat")]
    assert "cannot read requirement 'backend:high'" in located[("tasks.csv", 3, "requires")]
    assert "cannot read team size 'two-three'" in located[("tasks.csv", 3, "team")]
    # Cells that could not be read are left out, so the cross-reference checks are not run.
    assert len(found) == 3


def test_missing_key_column_and_blank_key(folder: Path) -> None:
    (folder / "vendors.csv").write_text("name,headcount\nAcme,2\n")
    edit(folder / "time_off.csv", "ben,2027-03-01", ",2027-03-01")
    found = problems(folder)
    located = {(Path(p.file).name, p.row, p.field) for p in found}
    assert ("vendors.csv", 1, "id") in located
    assert ("time_off.csv", 3, "person") in located


def test_a_table_in_both_formats_is_a_problem(folder: Path) -> None:
    pd.read_csv(folder / "vendors.csv").to_excel(folder / "vendors.xlsx", index=False)
    found = problems(folder)
    assert any("both vendors.csv and vendors.xlsx" in p.message for p in found)


def test_unreadable_xlsx_is_a_problem(folder: Path) -> None:
    (folder / "vendors.csv").unlink()
    (folder / "vendors.xlsx").write_bytes(b"not a spreadsheet")
    found = problems(folder)
    assert any(Path(p.file).name == "vendors.xlsx" and "cannot read table" in p.message for p in found)


def test_folder_without_scenario_yaml(tmp_path: Path) -> None:
    [problem] = problems(tmp_path)
    assert "needs a scenario.yaml" in problem.message


def test_empty_table_and_blank_rows_are_ignored(folder: Path) -> None:
    (folder / "dependencies.csv").write_text("")
    with (folder / "vendors.csv").open("a") as table:
        table.write(",,,,\n")
    scenario = load_scenario(folder)
    assert len(scenario.vendors) == 1
    assert scenario.task_index()["erp-fix"][1].after == ()


def test_table_rows_add_to_entities_already_in_scenario_yaml(folder: Path) -> None:
    edit(folder / "scenario.yaml", "resources:", "people:\n  - {id: cleo, skills: {qa: 4}}\nresources:")
    assert [p.id for p in load_scenario(folder).people] == ["cleo", "ana", "ben"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("backend", [{"skill": "backend"}]),
        ("backend:3", [{"skill": "backend", "level": 3}]),
        ("qa:2*2; ux *3", [{"skill": "qa", "level": 2, "people": 2}, {"skill": "ux", "people": 3}]),
    ],
)
def test_requirement_cells(cell: str, expected: list[dict[str, object]]) -> None:
    assert cells.requirements(cell) == expected


@pytest.mark.parametrize("cell", ["qa:x", "qa:2*", ":3", "qa:2:3"])
def test_bad_requirement_cells(cell: str) -> None:
    with pytest.raises(CellError):
        cells.requirements(cell)


def test_other_cells() -> None:
    assert cells.team_size("1-3") == {"min": 1, "max": 3}
    assert cells.team_size("2") == 2
    assert cells.items(" a ;; b ") == ["a", "b"]
    assert cells.resource_units("test-env:2; lab") == {"test-env": "2", "lab": 1}
    with pytest.raises(CellError):
        cells.resource_units("lab:")
    assert cells.cell_text(float("nan")) is None
    assert cells.cell_text(4.0) == "4"
    assert cells.cell_text(pd.Timestamp("2027-01-04 00:00")) == "2027-01-04"
    assert cells.cell_text("  ") is None
