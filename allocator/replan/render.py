"""A change list as a terminal table, Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from rich.console import Console

    from models.changes import ChangeList, TaskChange

#: Columns of the CSV form: one row per changed task.
CSV_COLUMNS = (
    "task",
    "project",
    "old_start",
    "old_finish",
    "new_start",
    "new_finish",
    "start_shift_days",
    "finish_shift_days",
    "removed",
    "added",
    "allocations",
    "history",
)


def _who(resources: tuple[str, ...]) -> str:
    return ", ".join(resources) if resources else "-"


def _allocations(change: TaskChange) -> str:
    return "; ".join(f"{a.resource} {a.old}->{a.new}" for a in change.allocations)


def _rows(changes: ChangeList) -> list[list[str]]:
    return [
        [
            t.task + (" (history)" if t.history else ""),
            t.project,
            f"{t.old_start} .. {t.old_finish}",
            f"{t.new_start} .. {t.new_finish}",
            f"{t.start_shift_days:+d} / {t.finish_shift_days:+d}",
            f"{_who(t.removed)} -> {_who(t.added)}" if t.reassigned else "",
            _allocations(t),
        ]
        for t in changes.tasks
    ]


HEADERS = ("task", "project", "was", "now", "start / finish days", "who", "allocation")


def render_changes(changes: ChangeList, console: Console) -> None:
    """Print the change list: summary, tasks, projects, people, released freeze items."""
    console.print(changes.summary, markup=False, highlight=False)
    table = Table(title=f"Tasks changed ({len(changes.tasks)})")
    for header in HEADERS:
        table.add_column(header)
    for row in _rows(changes):
        table.add_row(*row)
    console.print(table)
    projects = Table(title="Projects whose forecast finish moved")
    for header in ("project", "was", "now", "days", "deadline", "late"):
        projects.add_column(header)
    for p in changes.projects:
        projects.add_row(
            p.project,
            str(p.old_finish),
            str(p.new_finish),
            f"{p.shift_days:+d}",
            str(p.deadline or "-"),
            "yes" if p.late_now else "",
        )
    console.print(projects)
    console.print(f"People affected: {_who(tuple(p.person for p in changes.people))}", markup=False)
    for line in _extra_lines(changes):
        console.print(line, markup=False)


def _extra_lines(changes: ChangeList) -> list[str]:
    lines = []
    if changes.added_tasks:
        lines.append(f"Newly planned: {', '.join(changes.added_tasks)}")
    if changes.removed_tasks:
        lines.append(f"No longer planned: {', '.join(changes.removed_tasks)}")
    if changes.released:
        lines.append(f"Released from the freeze: {', '.join(changes.released)}")
    return lines


def changes_markdown(changes: ChangeList) -> str:
    """The change list as Markdown, ready for a wiki page or a status email."""
    lines = ["# Change list", "", changes.summary, "", "## Tasks", ""]
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|" + "---|" * len(HEADERS))
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in _rows(changes)]
    lines += [
        "",
        "## Projects",
        "",
        "| project | was | now | days | deadline | late |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {p.project} | {p.old_finish} | {p.new_finish} | {p.shift_days:+d} | {p.deadline or '-'} | "
        f"{'yes' if p.late_now else ''} |"
        for p in changes.projects
    ]
    lines += ["", "## People affected", ""]
    lines += [
        f"- **{p.person}**: joined {_who(p.joined)}; left {_who(p.left)}; moved {_who(p.moved)}"
        + (f"; new projects {_who(p.projects_added)}" if p.projects_added else "")
        for p in changes.people
    ]
    extra = _extra_lines(changes)
    if extra:
        lines += ["", *[f"- {line}" for line in extra]]
    return "\n".join(lines) + "\n"


def changes_csv(changes: ChangeList) -> str:
    """One row per changed task."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in changes.tasks:
        writer.writerow(
            [
                t.task,
                t.project,
                t.old_start,
                t.old_finish,
                t.new_start,
                t.new_finish,
                t.start_shift_days,
                t.finish_shift_days,
                ";".join(t.removed),
                ";".join(t.added),
                _allocations(t),
                t.history,
            ]
        )
    return buffer.getvalue()


def changes_json(changes: ChangeList) -> str:
    """The change list as JSON."""
    return changes.model_dump_json(indent=2) + "\n"
