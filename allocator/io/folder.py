"""Scenario folders: ``scenario.yaml`` plus optional tables as CSV or XLSX.

Table rows are merged into the scenario data before validation, and each merged
row keeps its origin so that problems name the table file, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from allocator.io import cells
from allocator.io.cells import CellError, Converter
from allocator.io.errors import InputProblem, ScenarioError, did_you_mean, unknown
from allocator.io.locate import Origin, Origins, entity_label
from allocator.io.yaml_io import read_mapping

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

Row = tuple[int, dict[str, str]]


@dataclass(frozen=True)
class Table:
    """A table a scenario folder may hold.

    Parameters
    ----------
    name
        File name without extension.
    columns
        Column name -> cell converter.
    key
        Column every row must fill: the id, or the entity the row belongs to.
    renames
        Column name -> model field, where they differ.
    """

    name: str
    columns: Mapping[str, Converter]
    key: str
    renames: Mapping[str, str] = field(default_factory=dict)


_TEXT, _LIST = cells.text, cells.items
_TASK_CELLS: dict[str, Converter] = {
    **dict.fromkeys(("project", "id", "name", "effort", "duration", "vendor", "cost"), _TEXT),
    **dict.fromkeys(("earliest_start", "deadline", "deadline_type"), _TEXT),
    **dict.fromkeys(("pinned", "excluded", "preferred", "allocations", "after"), _LIST),
    "requires": cells.requirements,
    "team": cells.team_size,
    "resources": cells.resource_units,
    "estimate": cells.estimate,
}
_PEOPLE_COLUMNS = ("id", "name", "fte", "reserve", "cost_per_day", "start", "end", "country", "subdivision")
_VENDOR_COLUMNS = (
    "id",
    "name",
    "headcount",
    "day_rate",
    "lead_time_days",
    "min_engagement_days",
    "spend_cap",
)
_PROJECT_COLUMNS = ("id", "name", "priority", "earliest_start", "deadline", "deadline_type", "budget")
TABLES: tuple[Table, ...] = (
    Table("people", {**dict.fromkeys((*_PEOPLE_COLUMNS, "max_concurrent_tasks", "team"), _TEXT),
                     "skills": _LIST}, "id"),
    Table("vendors", {**dict.fromkeys(_VENDOR_COLUMNS, _TEXT), "skills": _LIST}, "id"),
    Table("resources", dict.fromkeys(("id", "name", "capacity", "kind"), _TEXT), "id"),
    Table("projects", dict.fromkeys((*_PROJECT_COLUMNS, "status", "value"), _TEXT), "id"),
    Table("time_off", dict.fromkeys(("person", "start", "end", "fraction", "reason"), _TEXT), "person",
          {"person": ""}),
    Table("tasks", _TASK_CELLS, "project", {"project": ""}),
    Table("dependencies", dict.fromkeys(("task", "predecessor", "type", "lag"), _TEXT), "task",
          {"predecessor": "task", "task": ""}),
)  # fmt: skip

#: Tables that add entities to a top-level list of the scenario.
ENTITY_TABLES = {"people": "person", "vendors": "vendor", "resources": "resource", "projects": "project"}


def read_folder(folder: Path) -> tuple[dict[Any, Any], Origins, list[InputProblem]]:
    """The merged scenario data of a folder, the origins of its rows, and table problems.

    Parameters
    ----------
    folder
        Folder holding ``scenario.yaml`` and optional tables.

    Raises
    ------
    ScenarioError
        When ``scenario.yaml`` is missing or unreadable.
    """
    main = folder / "scenario.yaml"
    if not main.is_file():
        raise ScenarioError([InputProblem(str(main), "", "", "a scenario folder needs a scenario.yaml")])
    raw = read_mapping(main, str(main))
    origins: Origins = {}
    problems: list[InputProblem] = []
    for table in TABLES:
        found = _table_file(folder, table.name, problems)
        if found is not None:
            rows = _read_rows(found, table, problems)
            _merge(raw, table, str(found), rows, origins, problems)
    return raw, origins, problems


def _table_file(folder: Path, name: str, problems: list[InputProblem]) -> Path | None:
    present = [folder / f"{name}{ext}" for ext in (".csv", ".xlsx") if (folder / f"{name}{ext}").is_file()]
    if len(present) > 1:
        problems.append(
            InputProblem(str(present[0]), "", "", f"both {name}.csv and {name}.xlsx exist; keep one")
        )
        return None
    return present[0] if present else None


def _load_frame(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return pd.read_excel(path, sheet_name=0, dtype=object)


def _read_rows(path: Path, table: Table, problems: list[InputProblem]) -> list[Row]:
    """Rows as ``(spreadsheet row number, {column: cell text})``, blank cells left out."""
    file = str(path)
    try:
        frame = _load_frame(path)
    except pd.errors.EmptyDataError:
        return []
    except Exception as error:  # pandas and openpyxl raise many kinds; each is a problem with this file
        problems.append(InputProblem(file, "", "", f"cannot read table: {error}"))
        return []
    columns = [str(column).strip().lower() for column in frame.columns]
    if not _columns_ok(columns, table, file, problems):
        return []
    rows = []
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        row = {
            col: text for col, value in zip(columns, values, strict=True) if (text := cells.cell_text(value))
        }
        if row and not col_is_unnamed(row):
            rows.append((number, row))
    return rows


def col_is_unnamed(row: Mapping[str, str]) -> bool:
    """Whether a row only fills columns pandas invented for headerless cells."""
    return all(column.startswith("unnamed:") for column in row)


def _columns_ok(columns: list[str], table: Table, file: str, problems: list[InputProblem]) -> bool:
    known = list(table.columns)
    for column in columns:
        if column not in table.columns and not column.startswith("unnamed:"):
            message = (
                f"unknown column '{column}'{did_you_mean(column, known)}; columns are {', '.join(known)}"
            )
            problems.append(InputProblem(file, "", column, message, row=1))
    if table.key not in columns:
        problems.append(InputProblem(file, "", table.key, f"required column '{table.key}' is missing", row=1))
        return False
    return True


def _record(
    row: Mapping[str, str], table: Table, file: str, number: int, problems: list[InputProblem]
) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for column, text in row.items():
        convert = table.columns.get(column)
        target = table.renames.get(column, column)
        if convert is None or not target:
            continue
        try:
            record[target] = convert(text)
        except CellError as error:
            problems.append(InputProblem(file, "", column, str(error), row=number))
    return record


def _merge(
    raw: dict[Any, Any],
    table: Table,
    file: str,
    rows: list[Row],
    origins: Origins,
    problems: list[InputProblem],
) -> None:
    for number, row in rows:
        record = _record(row, table, file, number, problems)
        origin = Origin(file, number, {model: column for column, model in table.renames.items() if model})
        if table.name in ENTITY_TABLES:
            _add_entity(raw, table.name, record, origin, origins, problems)
            continue
        owner_id = row.get(table.key)
        if owner_id is None:
            problems.append(InputProblem(file, "", table.key, f"'{table.key}' is blank", row=number))
        elif table.name == "time_off":
            _add_time_off(raw, owner_id, record, origin, origins, problems)
        elif table.name == "tasks":
            _add_task(raw, owner_id, record, origin, origins, problems)
        else:
            _add_dependency(raw, owner_id, record, origin, origins, problems)


def _list_field(owner: dict[Any, Any], key: str) -> list[Any] | None:
    """The list under ``owner[key]`` (created when absent); ``None`` when it is something else."""
    value = owner.get(key)
    if value is None:
        value = owner[key] = []
    elif isinstance(value, str | dict):
        # A single item written without a list: the models accept it, so merging must too.
        value = owner[key] = [value]
    return value if isinstance(value, list) else None


def _not_a_list(origin: Origin, key: str, where: str) -> InputProblem:
    return InputProblem(
        origin.file, "", "", f"cannot add this row: '{key}' of {where} is not a list", origin.row
    )


def _add_entity(
    raw: dict[Any, Any], name: str, record: dict[str, Any], origin: Origin, origins: Origins,
    problems: list[InputProblem],
) -> None:  # fmt: skip
    target = _list_field(raw, name)
    if target is None:
        problems.append(_not_a_list(origin, name, "the scenario"))
        return
    target.append(record)
    origins[(entity_label(ENTITY_TABLES[name], record, len(target) - 1, "scenario"), "")] = origin


def _entities(raw: dict[Any, Any], key: str) -> list[dict[Any, Any]]:
    value = raw.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _find(candidates: list[dict[Any, Any]], ident: str) -> dict[Any, Any] | None:
    return next((item for item in candidates if str(item.get("id", "")).strip() == ident), None)


def _ids(candidates: list[dict[Any, Any]]) -> list[str]:
    return [str(item.get("id", "")).strip() for item in candidates]


def _add_time_off(
    raw: dict[Any, Any], person_id: str, record: dict[str, Any], origin: Origin, origins: Origins,
    problems: list[InputProblem],
) -> None:  # fmt: skip
    people = _entities(raw, "people")
    person = _find(people, person_id)
    if person is None:
        message = unknown("person", person_id, _ids(people))
        problems.append(InputProblem(origin.file, "", "person", message, origin.row))
        return
    target = _list_field(person, "time_off")
    if target is None:
        problems.append(_not_a_list(origin, "time_off", f"person '{person_id}'"))
        return
    target.append(record)
    origins[(f"person '{person_id}'", f"time_off[{len(target) - 1}]")] = origin


def _add_task(
    raw: dict[Any, Any], project_id: str, record: dict[str, Any], origin: Origin, origins: Origins,
    problems: list[InputProblem],
) -> None:  # fmt: skip
    projects = _entities(raw, "projects")
    project = _find(projects, project_id)
    if project is None:
        message = unknown("project", project_id, _ids(projects)) + "; list projects in scenario.yaml"
        problems.append(InputProblem(origin.file, "", "project", message, origin.row))
        return
    target = _list_field(project, "tasks")
    if target is None:
        problems.append(_not_a_list(origin, "tasks", f"project '{project_id}'"))
        return
    target.append(record)
    parent = f"project '{project_id}'"
    origins[(entity_label("task", record, len(target) - 1, parent), "")] = origin


def _add_dependency(
    raw: dict[Any, Any], task_id: str, record: dict[str, Any], origin: Origin, origins: Origins,
    problems: list[InputProblem],
) -> None:  # fmt: skip
    tasks = [task for project in _entities(raw, "projects") for task in _entities(project, "tasks")]
    task = _find(tasks, task_id)
    if task is None:
        problems.append(
            InputProblem(origin.file, "", "task", unknown("task", task_id, _ids(tasks)), origin.row)
        )
        return
    target = _list_field(task, "after")
    if target is None:
        problems.append(_not_a_list(origin, "after", f"task '{task_id}'"))
        return
    target.append(record)
    origins[(f"task '{task_id}'", f"after[{len(target) - 1}]")] = origin
