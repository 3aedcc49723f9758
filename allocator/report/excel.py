"""The plan as an Excel workbook: KPIs, projects, assignments, weekly load, vendor use, solver stages.

Every sheet has a frozen, filterable header row, real date cells and column widths that
fit the content, so that a planner can filter and pivot at once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from allocator.io import atomic_write_bytes
from allocator.report.data import ReportData
from allocator.report.solver import NO_BOUND, first_gap, stage_rows

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from openpyxl.worksheet.worksheet import Worksheet

    from models import Plan, Scenario

SHEETS = ("KPIs", "projects", "assignments", "load", "vendors", "solver")
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
OVER_FILL = PatternFill("solid", fgColor="F8B4B4")
FULL_FILL = PatternFill("solid", fgColor="C6DBEF")
LATE_FILL = PatternFill("solid", fgColor="FDECEA")
MAX_WIDTH = 48
MIN_WIDTH = 10


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Worksheet:
    """A sheet with a styled, frozen, filterable header, the rows, dates formatted, widths fitted."""
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "B2" if title == "load" else "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _format_and_fit(sheet)
    return sheet


def _format_and_fit(sheet: Worksheet) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
                length = 10
            elif isinstance(value, float):
                cell.number_format = "#,##0.0"
                length = len(f"{value:,.1f}")
            else:
                length = len(str(value)) if value is not None else 0
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = max(MIN_WIDTH, min(width + 3, MAX_WIDTH))


def _kpi_rows(data: ReportData) -> list[tuple[str, object]]:
    plan, k = data.plan, data.plan.kpis
    rows: list[tuple[str, object]] = [
        ("scenario", plan.scenario),
        ("plan made", plan.created.replace(tzinfo=None)),
        ("projects", k.projects_total),
        ("projects on time", k.projects_on_time),
        ("projects late", k.projects_late),
        ("projects deferred", k.projects_deferred),
        ("weighted late days", k.weighted_late_days),
        ("latest finish", k.latest_finish),
        (f"vendor spend ({plan.currency})", k.vendor_cost),
        ("vendor days", k.vendor_days),
        (f"staff cost ({plan.currency})", k.staff_cost),
        ("average utilisation", k.average_utilisation),
        ("peak utilisation", k.peak_utilisation),
        ("people over capacity", k.people_over_target),
    ]
    rows += [(f"shortage of {skill} (person-days)", days) for skill, days in k.skill_shortages.items()]
    if plan.solver is not None:
        rows += _solver_rows(data)
    if plan.check is not None:
        rows.append(("verified by the checker", "yes" if plan.check.ok else "no"))
    return rows


def _solver_rows(data: ReportData) -> list[tuple[str, object]]:
    """Status, the first stage's objective, bound and gap ("no bound" where none is known), why."""
    solver = data.plan.solver
    assert solver is not None
    stages = stage_rows(data.plan)
    rows: list[tuple[str, object]] = [("solver status", solver.status.value)]
    if stages:
        first = stages[0]
        rows += [
            (f"first-stage objective ({first.terms})", first.objective),
            ("first-stage bound", NO_BOUND if first.bound is None else first.bound),
        ]
    gap = first_gap(data.plan)
    rows.append(("gap", NO_BOUND if gap is None else gap))
    rows += [("bound rests on", reason) for reason in solver.bound_reasons]
    rows.append(("projects late in every plan", len(solver.project_bounds)))
    rows.append(("solve time (s)", solver.wall_time))
    return rows


def _projects(book: Workbook, data: ReportData) -> None:
    header = [
        "project",
        "status",
        "start",
        "finish",
        "deadline",
        "late_days",
        "cost",
        "budget",
        "late_at_least",
        "earliest_finish",
        "bound_reason",
    ]
    bounds = data.project_bounds
    rows = []
    for p in data.plan.projects:
        bound = bounds.get(p.project)
        rows.append(
            (
                p.project,
                "deferred" if p.deferred else ("late" if p.late_days else "on time"),
                p.start,
                p.finish,
                p.deadline,
                p.late_days,
                p.cost,
                p.budget,
                bound.late_days if bound else None,
                bound.earliest_finish if bound else None,
                bound.reason if bound else None,
            )
        )
    sheet = _sheet(book, "projects", header, rows)
    last = len(rows) + 1
    sheet.conditional_formatting.add(
        f"A2:{get_column_letter(len(header))}{last}",
        CellIsRule(operator="equal", formula=['"late"'], fill=LATE_FILL),
    )
    sheet.conditional_formatting.add(
        f"F2:F{last}", CellIsRule(operator="greaterThan", formula=["0"], fill=OVER_FILL)
    )


def _assignments(book: Workbook, data: ReportData) -> None:
    header = [
        "project",
        "task",
        "task_name",
        "resource",
        "name",
        "kind",
        "skill",
        "allocation",
        "count",
        "start",
        "finish",
        "working_days",
        "effort",
        "late_days",
    ]
    rows = [
        (
            t.project,
            t.task,
            data.task_names.get(t.task, t.task),
            a.resource,
            data.person_names.get(a.resource, a.resource),
            a.kind,
            a.skill,
            a.allocation,
            a.count,
            t.start,
            t.finish,
            t.working_days,
            a.effort,
            t.late_days,
        )
        for t in data.plan.tasks
        for a in t.assignments
    ]
    _sheet(book, "assignments", header, rows)


def _load(book: Workbook, data: ReportData) -> None:
    """Person x week utilisation; real week-start dates as column headers, colours above 100 %."""
    people = data.people()
    weeks = sorted({load.week_start for load in data.plan.loads})
    value = {(load.resource, load.week_start): load.utilisation for load in data.plan.loads}
    rows = [[person, *(value.get((person, week), 0.0) for week in weeks)] for person in people]
    sheet = _sheet(book, "load", ["person", *map(str, weeks)], rows)
    for cell, week in zip(sheet[1][1:], weeks, strict=True):
        cell.value = week
        cell.number_format = DATE_FORMAT
    for row in sheet.iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.number_format = "0%"
    for column in range(2, len(weeks) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    area = f"B2:{get_column_letter(len(weeks) + 1)}{len(people) + 1}"
    sheet.conditional_formatting.add(
        area, CellIsRule(operator="greaterThan", formula=["1.0001"], fill=OVER_FILL)
    )
    sheet.conditional_formatting.add(
        area, CellIsRule(operator="between", formula=["0.9", "1.0001"], fill=FULL_FILL)
    )


def _vendors(book: Workbook, data: ReportData) -> None:
    weekly = data.vendor_weeks()
    header = ["vendor", "week_start", "days", "cost"]
    rows = [(r.vendor, r.week_start, r.days, r.cost) for r in weekly.itertuples(index=False)]
    rows += [(use.vendor, None, use.days, use.cost) for use in data.plan.vendors]
    _sheet(book, "vendors", header, rows)


def _solver(book: Workbook, data: ReportData) -> None:
    """One row per objective stage: objective, proven bound and gap ("no bound" where none is known)."""
    header = ["stage", "terms", "objective", "bound", "gap", "status", "wall_time_s"]
    rows = [
        (
            r.number,
            r.terms,
            r.objective,
            NO_BOUND if r.bound is None else r.bound,
            NO_BOUND if r.gap is None else r.gap,
            r.status,
            r.wall_time,
        )
        for r in stage_rows(data.plan)
    ]
    sheet = _sheet(book, "solver", header, rows)
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0%"


def plan_workbook(plan: Plan, scenario: Scenario | None = None) -> Workbook:
    """The plan as an openpyxl workbook with the sheets :data:`SHEETS`.

    Parameters
    ----------
    plan
        The plan.
    scenario
        Its scenario, for task and person names (optional).
    """
    data = ReportData(plan, scenario)
    book = Workbook()
    book.remove(book.active)
    kpis = _sheet(book, "KPIs", ["figure", "value"], _kpi_rows(data))
    for row in kpis.iter_rows(min_row=2):
        if "utilisation" in str(row[0].value):
            row[1].number_format = "0%"
        elif row[0].value == "gap" and isinstance(row[1].value, float):
            row[1].number_format = "0.0%"
    _projects(book, data)
    _assignments(book, data)
    _load(book, data)
    _vendors(book, data)
    _solver(book, data)
    return book


def write_excel_report(plan: Plan, path: str | Path, scenario: Scenario | None = None) -> None:
    """Write the plan workbook to ``path`` atomically.

    Parameters
    ----------
    plan
        The plan.
    path
        Destination ``.xlsx`` file.
    scenario
        Its scenario (optional).
    """
    import io

    buffer = io.BytesIO()
    plan_workbook(plan, scenario).save(buffer)
    atomic_write_bytes(path, buffer.getvalue())
