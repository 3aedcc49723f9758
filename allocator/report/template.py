"""The scenario template workbook people fill in and import with ``allocator import``.

Regenerate the committed copy with::

    python -m allocator.report.template scenarios/templates/scenario-template.xlsx
"""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING

from openpyxl.styles import Font

from allocator.io import atomic_write_bytes
from allocator.io.workbook import COLUMNS, scenario_workbook
from models import Scenario

if TYPE_CHECKING:
    from pathlib import Path

#: What each sheet holds, for the ``help`` sheet (the importer skips it).
SHEET_HELP: dict[str, str] = {
    "scenario": "One setting per row: field and value (start, end, name, currency, calendar.country, ...).",
    "people": "One row per person; skills as 'backend:4; sql:3'; fte and reserve as shares of a day.",
    "vendors": "One row per contractor firm; headcount, day_rate, lead_time_days, spend_cap.",
    "resources": "Shared test environments, labs, licence pools: capacity units, renewable or consumable.",
    "projects": "One row per project; deadline, priority, status (committed or candidate), budget.",
    "time_off": "One row per absence: person id, first and last day, fraction of each day (1 or 0.5).",
    "tasks": "One row per task, in order; requires as 'backend:3; qa:2*2'; team as '1-3'.",
    "dependencies": "One row per dependency: task, predecessor, type (FS, SS, FF, SF), lag in working days.",
    "modes": "Optional: alternative ways of doing a task (leave empty when tasks have one way).",
}
EXAMPLE = {
    "name": "Example quarter",
    "start": "2027-01-04",
    "end": "2027-03-31",
    "calendar": {"country": "GB", "subdivision": "ENG"},
    "people": [
        {
            "id": "ana",
            "name": "Ana Lima",
            "skills": {"backend": 4, "sql": 3},
            "cost_per_day": 520,
            "time_off": [{"start": "2027-02-15", "end": "2027-02-19", "reason": "holiday"}],
        },
        {
            "id": "ben",
            "name": "Ben Okafor",
            "skills": {"frontend": 4, "qa": 3},
            "fte": 0.8,
            "cost_per_day": 480,
        },
        {
            "id": "cleo",
            "name": "Cleo Marsh",
            "skills": {"qa": 4, "sql": 2},
            "reserve": 0.2,
            "cost_per_day": 450,
        },
    ],
    "vendors": [
        {
            "id": "acme",
            "name": "Acme Consulting",
            "skills": {"backend": 3, "frontend": 3},
            "headcount": 2,
            "day_rate": 900,
            "lead_time_days": 5,
        }
    ],
    "resources": [{"id": "test-env", "name": "Shared test environment", "capacity": 1}],
    "projects": [
        {
            "id": "crm",
            "name": "CRM upgrade",
            "priority": 3,
            "deadline": "2027-03-26",
            "tasks": [
                {"id": "crm-design", "name": "Design", "effort": 10, "requires": ["backend:3"]},
                {
                    "id": "crm-build",
                    "name": "Build",
                    "effort": 30,
                    "requires": ["backend:3", "frontend:3"],
                    "team": {"min": 2, "max": 3},
                    "after": ["crm-design"],
                },
                {
                    "id": "crm-test",
                    "name": "System test",
                    "duration": 10,
                    "requires": ["qa:3"],
                    "resources": {"test-env": 1},
                    "after": ["crm-build"],
                },
            ],
        },
    ],
}


def example_scenario() -> Scenario:
    """The small scenario the template is filled with."""
    return Scenario.model_validate(EXAMPLE)


def write_template(path: str | Path) -> None:
    """Write the template workbook: every sheet with its columns, a worked example, and help.

    Parameters
    ----------
    path
        Destination ``.xlsx`` file.
    """
    book = scenario_workbook(example_scenario())
    sheet = book.create_sheet("help", 0)
    sheet.append(["sheet", "what it holds", "columns"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for name, text in SHEET_HELP.items():
        sheet.append([name, text, ", ".join(COLUMNS.get(name, ["field", "value"]))])
    sheet.append([])
    sheet.append(["", "Lists are separated by ';'. Blank cells leave a field unset. Full reference:"])
    sheet.append(["", "docs/spreadsheet-import.md"])
    for column, width in zip("ABC", (14, 95, 120), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write_bytes(path, buffer.getvalue())


if __name__ == "__main__":  # pragma: no cover
    write_template(sys.argv[1] if len(sys.argv) > 1 else "scenario-template.xlsx")
