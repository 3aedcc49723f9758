"""Scenarios as one spreadsheet workbook: a sheet per table, read with the folder form's rules.

The sheets ``people``, ``vendors``, ``resources``, ``projects``, ``time_off``, ``tasks``
and ``dependencies`` have the columns and cell syntax of the folder form
(:mod:`allocator.io.folder`, :mod:`allocator.io.cells`). Two sheets are added: ``scenario``
(``field`` and ``value`` columns for the top-level settings; nested fields with dots, such as
``calendar.country``; values read as YAML) and ``modes`` (alternative ways of doing a task).
Problems name the sheet, the row and the column.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import yaml
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from allocator.io import cells, folder
from allocator.io.atomic import atomic_write_bytes
from allocator.io.errors import InputProblem, ScenarioError, unknown
from allocator.io.load import build_scenario
from allocator.io.locate import Origin, Origins
from allocator.io.yaml_io import parse_yaml, scenario_to_data

if TYPE_CHECKING:
    from models import Scenario
    from models.project import Requirement, TeamSize
    from models.risk import Estimate

SCENARIO_SHEET = "scenario"
MODES = folder.Table(
    "modes",
    {
        **dict.fromkeys(("task", "name", "effort", "duration", "vendor", "cost"), cells.text),
        "requires": cells.requirements,
        "team": cells.team_size,
        "allocations": cells.items,
        "resources": cells.resource_units,
    },
    "task",
    {"task": ""},
)
#: Sheets in the order they are read and written.
SHEET_TABLES: tuple[folder.Table, ...] = (*folder.TABLES, MODES)
#: Sheets a workbook may hold for people to read; the reader skips them.
NOTE_SHEETS = frozenset({"help", "readme", "notes"})


def sheet_label(path: Path | str, sheet: str) -> str:
    """How problems name a sheet of a workbook: ``plan.xlsx sheet 'people'``."""
    return f"{path} sheet '{sheet}'"


def read_workbook(path: Path) -> tuple[dict[Any, Any], Origins, list[InputProblem]]:
    """The scenario data of a workbook, the origins of its rows, and the problems found.

    Parameters
    ----------
    path
        An ``.xlsx`` workbook with a ``scenario`` sheet and table sheets.

    Raises
    ------
    ScenarioError
        When the file cannot be opened as a workbook.
    """
    try:
        frames = pd.read_excel(path, sheet_name=None, dtype=object)
    except Exception as error:  # openpyxl and zipfile raise many kinds; all mean "not a workbook"
        raise ScenarioError([InputProblem(str(path), "", "", f"cannot read workbook: {error}")]) from None
    frames = {str(name).strip().lower(): frame for name, frame in frames.items()}
    problems: list[InputProblem] = []
    raw = _settings(path, frames.get(SCENARIO_SHEET), problems)
    origins: Origins = {}
    known = {table.name: table for table in SHEET_TABLES}
    for name in frames:
        if name not in known and name not in NOTE_SHEETS and name != SCENARIO_SHEET:
            message = unknown("sheet", name, [*known, SCENARIO_SHEET])
            problems.append(InputProblem(sheet_label(path, name), "", "", message))
    for table in SHEET_TABLES:
        if table.name in frames:
            label = sheet_label(path, table.name)
            rows = _rows(frames[table.name], table, label, problems)
            if table is MODES:
                _merge_modes(raw, rows, label, origins, problems)
            else:
                folder._merge(raw, table, label, rows, origins, problems)
    return raw, origins, problems


def load_workbook_scenario(path: str | Path) -> Scenario:
    """Read, validate and check the scenario of a workbook.

    Parameters
    ----------
    path
        An ``.xlsx`` workbook (see ``docs/spreadsheet-import.md``).

    Raises
    ------
    ScenarioError
        With every problem found, each naming sheet, row and column.
    """
    raw, origins, problems = read_workbook(Path(path))
    return build_scenario(raw, sheet_label(path, SCENARIO_SHEET), origins, problems)


def _settings(path: Path, frame: pd.DataFrame | None, problems: list[InputProblem]) -> dict[Any, Any]:
    """The ``scenario`` sheet as nested data: ``calendar.country`` becomes ``{calendar: {country: ...}}``."""
    label = sheet_label(path, SCENARIO_SHEET)
    if frame is None:
        problems.append(InputProblem(str(path), "", "", "a workbook needs a 'scenario' sheet (field, value)"))
        return {}
    columns = [str(c).strip().lower() for c in frame.columns]
    if columns[:2] != ["field", "value"]:
        problems.append(
            InputProblem(label, "", "", "the first two columns must be 'field' and 'value'", row=1)
        )
        return {}
    raw: dict[Any, Any] = {}
    for number, (name, value) in enumerate(frame.iloc[:, :2].itertuples(index=False, name=None), start=2):
        field, text = cells.cell_text(name), cells.cell_text(value)
        if field is None:
            continue
        try:
            parsed = parse_yaml(text, label) if text is not None else None
        except ScenarioError as error:
            problems.append(InputProblem(label, "", "value", error.problems[0].message, row=number))
            continue
        _put(raw, field.split("."), parsed)
    return raw


def _put(raw: dict[Any, Any], path: list[str], value: object) -> None:
    target = raw
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def _rows(
    frame: pd.DataFrame, table: folder.Table, label: str, problems: list[InputProblem]
) -> list[folder.Row]:
    """Rows of a sheet as the folder form reads a table file."""
    columns = [str(column).strip().lower() for column in frame.columns]
    if not folder._columns_ok(columns, table, label, problems):
        return []
    rows = []
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        row = {
            col: text for col, value in zip(columns, values, strict=True) if (text := cells.cell_text(value))
        }
        if row and not folder.col_is_unnamed(row):
            rows.append((number, row))
    return rows


def _merge_modes(
    raw: dict[Any, Any], rows: list[folder.Row], label: str, origins: Origins, problems: list[InputProblem]
) -> None:
    tasks = [
        task for project in folder._entities(raw, "projects") for task in folder._entities(project, "tasks")
    ]
    for number, row in rows:
        record = folder._record(row, MODES, label, number, problems)
        task = folder._find(tasks, row.get("task", ""))
        if task is None:
            message = unknown("task", row.get("task", ""), folder._ids(tasks))
            problems.append(InputProblem(label, "", "task", message, number))
            continue
        modes = folder._list_field(task, "modes")
        if modes is None:
            problems.append(folder._not_a_list(Origin(label, number), "modes", f"task '{row['task']}'"))
            continue
        modes.append(record)
        origins[(f"task '{row['task']}'", f"modes[{len(modes) - 1}]")] = Origin(label, number)


# --- rows of each table ------------------------------------------------------------------


def _joined(values: object) -> str | None:
    return "; ".join(str(v) for v in values) if values else None  # type: ignore[attr-defined]


def _requirements(requires: tuple[Requirement, ...] | None) -> str | None:
    if not requires:
        return None
    return "; ".join(f"{r.skill}:{r.level}" + (f"*{r.people}" if r.people != 1 else "") for r in requires)


def _team(team: TeamSize | None) -> str | None:
    return None if team is None else f"{team.min}-{team.max}"


def _estimate(estimate: Estimate | None) -> str | None:
    if estimate is None:
        return None
    values = [estimate.low, estimate.likely, estimate.high]
    return "/".join(f"{value:g}" for value in values if value is not None)


def _units(resources: dict[str, int] | None) -> str | None:
    return "; ".join(f"{name}:{units}" for name, units in resources.items()) if resources else None


def _skills(skills: dict[str, int]) -> str | None:
    return "; ".join(f"{skill}:{level}" for skill, level in skills.items()) or None


def _entity_rows(scenario: Scenario, name: str) -> list[list[object]]:
    """Rows of the tables that list one entity per row."""
    if name == "people":
        return [
            [
                p.id,
                p.name or None,
                p.fte,
                p.reserve,
                p.cost_per_day,
                p.start,
                p.end,
                p.country,
                p.subdivision,
                p.max_concurrent_tasks,
                p.team or None,
                _skills(p.skills),
            ]
            for p in scenario.people
        ]
    if name == "vendors":
        return [
            [
                v.id,
                v.name or None,
                v.headcount,
                v.day_rate,
                v.lead_time_days,
                v.min_engagement_days,
                v.spend_cap,
                _skills(v.skills),
            ]
            for v in scenario.vendors
        ]
    if name == "resources":
        return [[r.id, r.name or None, r.capacity, r.kind] for r in scenario.resources]
    return [
        [
            p.id,
            p.name or None,
            p.priority,
            p.earliest_start,
            p.deadline,
            p.deadline_type,
            p.budget,
            p.status,
            p.value,
        ]
        for p in scenario.projects
    ]


def _part_rows(scenario: Scenario, name: str) -> list[list[object]]:
    """Rows of the tables that add parts (time off, tasks, dependencies, modes) to an entity."""
    if name == "time_off":
        return [
            [p.id, o.start, o.end, o.fraction, o.reason or None] for p in scenario.people for o in p.time_off
        ]
    tasks = list(scenario.tasks())
    if name == "tasks":
        return [
            [
                p.id,
                t.id,
                t.name or None,
                t.effort,
                t.duration,
                _requirements(t.requires),
                _team(t.team),
                _joined(t.allocations),
                t.earliest_start,
                t.deadline,
                t.deadline_type,
                _units(t.resources),
                _joined(t.pinned),
                _joined(t.excluded),
                _joined(t.preferred),
                t.vendor,
                t.cost,
                _estimate(t.estimate),
            ]
            for p, t in tasks
        ]
    if name == "dependencies":
        return [[t.id, d.task, d.type.value, d.lag] for _, t in tasks for d in t.after]
    return [
        [
            t.id,
            m.name,
            m.effort,
            m.duration,
            _requirements(m.requires),
            _team(m.team),
            _joined(m.allocations),
            _units(m.resources),
            m.vendor,
            m.cost,
        ]
        for _, t in tasks
        for m in t.modes
    ]


#: Columns each sheet is written with (every column the reader knows, in reading order).
COLUMNS: dict[str, list[str]] = {
    "people": [
        "id",
        "name",
        "fte",
        "reserve",
        "cost_per_day",
        "start",
        "end",
        "country",
        "subdivision",
        "max_concurrent_tasks",
        "team",
        "skills",
    ],
    "vendors": [
        "id",
        "name",
        "headcount",
        "day_rate",
        "lead_time_days",
        "min_engagement_days",
        "spend_cap",
        "skills",
    ],
    "resources": ["id", "name", "capacity", "kind"],
    "projects": [
        "id",
        "name",
        "priority",
        "earliest_start",
        "deadline",
        "deadline_type",
        "budget",
        "status",
        "value",
    ],
    "time_off": ["person", "start", "end", "fraction", "reason"],
    "tasks": [
        "project",
        "id",
        "name",
        "effort",
        "duration",
        "requires",
        "team",
        "allocations",
        "earliest_start",
        "deadline",
        "deadline_type",
        "resources",
        "pinned",
        "excluded",
        "preferred",
        "vendor",
        "cost",
        "estimate",
    ],
    "dependencies": ["task", "predecessor", "type", "lag"],
    "modes": [
        "task",
        "name",
        "effort",
        "duration",
        "requires",
        "team",
        "allocations",
        "resources",
        "vendor",
        "cost",
    ],
}


def table_rows(scenario: Scenario, name: str) -> tuple[list[str], list[list[object]]]:
    """Header and rows of one table sheet for ``scenario``."""
    rows = _entity_rows(scenario, name) if name in folder.ENTITY_TABLES else _part_rows(scenario, name)
    return COLUMNS[name], rows


# --- writing ----------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")


def _date_or_value(value: object) -> object:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _flow(value: object) -> object:
    """A settings value as a cell: scalars as they are, lists and mappings as YAML flow text."""
    if isinstance(value, list | dict):
        return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()
    if isinstance(value, str) and not isinstance(_date_or_value(value), dt.date):
        return yaml.safe_dump(value, width=10_000).removesuffix("\n...\n").strip()
    return _date_or_value(value)


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    for key, value in data.items():
        if isinstance(value, dict) and value:
            rows += _flatten(value, f"{prefix}{key}.")
        else:
            rows.append((f"{prefix}{key}", _flow(value)))
    return rows


def settings_rows(scenario: Scenario) -> list[tuple[str, object]]:
    """The ``scenario`` sheet of a scenario: every top-level setting that is not a table."""
    data = scenario_to_data(scenario)
    for table in folder.ENTITY_TABLES:
        data.pop(table, None)
    data.setdefault("start", scenario.start.isoformat())
    data.setdefault("end", scenario.end.isoformat())
    return _flatten(data)


def write_sheet(book: Workbook, name: str, header: list[str], rows: list[list[object]]) -> None:
    """A sheet with a bold, frozen header, date cells and fitted column widths."""
    sheet = book.create_sheet(name)
    sheet.append(header)
    for row in rows:
        sheet.append([_date_or_value(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "A2"
    for index, title in enumerate(header, start=1):
        width = max([len(title), *(len(str(r[index - 1])) for r in rows if r[index - 1] is not None)])
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 3, 60)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"


def scenario_workbook(scenario: Scenario) -> Workbook:
    """A workbook holding ``scenario``; :func:`load_workbook_scenario` reads back an equal one."""
    book = Workbook()
    book.remove(book.active)
    write_sheet(book, SCENARIO_SHEET, ["field", "value"], [list(row) for row in settings_rows(scenario)])
    for table in SHEET_TABLES:
        header, rows = table_rows(scenario, table.name)
        write_sheet(book, table.name, header, rows)
    return book


def export_workbook(scenario: Scenario, path: str | Path) -> None:
    """Write ``scenario`` as a workbook, atomically; reading it back gives an equal scenario.

    Parameters
    ----------
    scenario
        The scenario to write.
    path
        Destination ``.xlsx`` file.
    """
    buffer = io.BytesIO()
    scenario_workbook(scenario).save(buffer)
    atomic_write_bytes(path, buffer.getvalue())
