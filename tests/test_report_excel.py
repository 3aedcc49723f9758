"""The plan workbook reopened with openpyxl: sheets, headers, date cells and values equal to the plan's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from allocator.io import load_scenario
from allocator.report.excel import SHEETS, write_excel_report
from allocator.search.solve import SolveOptions, solve_scenario
from models import Plan, Scenario
from tests.bound_plans import EARLIEST_FINISH, REASON, chain_plan, without_bound

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="module")
def quarter() -> tuple[Scenario, Plan]:
    scenario = load_scenario(SCENARIOS / "quarter.yaml")
    plan = solve_scenario(scenario, SolveOptions(construct_only=True)).plan
    assert plan is not None
    return scenario, plan


@pytest.fixture(scope="module")
def book(quarter: tuple[Scenario, Plan], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Worksheet]:
    scenario, plan = quarter
    path = tmp_path_factory.mktemp("excel") / "plan.xlsx"
    write_excel_report(plan, path, scenario)
    workbook = load_workbook(path)
    return {name: workbook[name] for name in workbook.sheetnames}


def header(sheet: Worksheet) -> list[object]:
    return [cell.value for cell in sheet[1]]


def as_date(value: object) -> dt.date:
    assert isinstance(value, dt.datetime), f"{value!r} is not a date cell"
    return value.date()


def test_sheets_have_frozen_filterable_headers(book: dict[str, Worksheet]) -> None:
    assert list(book) == list(SHEETS)
    for name, sheet in book.items():
        assert sheet.freeze_panes == ("B2" if name == "load" else "A2")
        assert sheet.auto_filter.ref is not None
        assert sheet.column_dimensions["A"].width > 8


def test_kpis_equal_the_plans(book: dict[str, Worksheet], quarter: tuple[Scenario, Plan]) -> None:
    _, plan = quarter
    values = {row[0].value: row[1].value for row in book["KPIs"].iter_rows(min_row=2)}
    assert values["projects late"] == plan.kpis.projects_late
    assert values[f"vendor spend ({plan.currency})"] == pytest.approx(plan.kpis.vendor_cost)
    assert as_date(values["latest finish"]) == plan.kpis.latest_finish


def test_projects_and_assignments_hold_real_dates(
    book: dict[str, Worksheet], quarter: tuple[Scenario, Plan]
) -> None:
    _, plan = quarter
    projects = book["projects"]
    assert header(projects)[:5] == ["project", "status", "start", "finish", "deadline"]
    for row, project in zip(projects.iter_rows(min_row=2), plan.projects, strict=True):
        assert row[0].value == project.project
        assert as_date(row[3].value) == project.finish
        assert row[3].number_format == "yyyy-mm-dd"
        assert row[5].value == project.late_days
    assignments = book["assignments"]
    rows = list(assignments.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(task.assignments) for task in plan.tasks)
    task = next(t for t in plan.tasks if t.assignments)
    first = dict(zip(header(assignments), rows[0], strict=True))
    assert (first["task"], first["resource"]) == (task.task, task.assignments[0].resource)
    assert as_date(first["start"]) == task.start and first["allocation"] == task.assignments[0].allocation


def test_load_sheet_is_person_by_week_with_over_allocation_colours(
    book: dict[str, Worksheet], quarter: tuple[Scenario, Plan]
) -> None:
    _, plan = quarter
    load = book["load"]
    weeks = [as_date(value) for value in header(load)[1:]]
    assert weeks == sorted({entry.week_start for entry in plan.loads})
    sample = plan.loads[len(plan.loads) // 2]
    row = next(r for r in load.iter_rows(min_row=2) if r[0].value == sample.resource)
    cell = row[1 + weeks.index(sample.week_start)]
    assert cell.value == pytest.approx(sample.utilisation) and cell.number_format == "0%"
    rules = [rule for ranges in load.conditional_formatting for rule in ranges.rules]
    assert any(rule.operator == "greaterThan" for rule in rules)


def test_vendor_sheet_adds_up_to_the_plans_vendor_use(
    book: dict[str, Worksheet], quarter: tuple[Scenario, Plan]
) -> None:
    _, plan = quarter
    rows = list(book["vendors"].iter_rows(min_row=2, values_only=True))
    weekly = [row for row in rows if row[1] is not None]
    totals = {row[0]: row[2] for row in rows if row[1] is None}
    assert totals == {use.vendor: use.days for use in plan.vendors}
    for use in plan.vendors:
        assert sum(r[2] for r in weekly if r[0] == use.vendor) == pytest.approx(use.days, abs=0.5)


# --- bounds: a plan whose crm is late at least 2 working days in every plan ------------------


@pytest.fixture(scope="module")
def chain_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Worksheet]]:
    """The chain plan as solved (proven) and with its first stage left without a bound."""
    scenario, plan = chain_plan()
    folder = tmp_path_factory.mktemp("excel-bounds")
    books = {}
    for name, variant in (("proven", plan), ("unproven", without_bound(plan))):
        write_excel_report(variant, folder / f"{name}.xlsx", scenario)
        workbook = load_workbook(folder / f"{name}.xlsx")
        books[name] = {sheet: workbook[sheet] for sheet in workbook.sheetnames}
    return books


def test_solver_sheet_has_each_stage_with_bound_and_gap(chain_books: dict[str, dict[str, Worksheet]]) -> None:
    proven = list(chain_books["proven"]["solver"].values)
    assert proven == [
        ("stage", "terms", "objective", "bound", "gap", "status", "wall_time_s"),
        (1, "lateness + deferral", 4, 4, 0, "optimal", 0),
        (2, "cost", 0, 0, 0, "optimal", 0),
    ]
    assert chain_books["proven"]["solver"]["E2"].number_format == "0.0%"
    unproven = list(chain_books["unproven"]["solver"].values)
    assert unproven[1] == (1, "lateness + deferral", 4, "no bound", "no bound", "feasible", 1.5)


def test_kpis_say_no_bound_and_what_the_bound_rests_on(chain_books: dict[str, dict[str, Worksheet]]) -> None:
    values = {
        row[0]: row[1] for row in chain_books["unproven"]["KPIs"].iter_rows(min_row=2, values_only=True)
    }
    assert values["first-stage objective (lateness + deferral)"] == 4
    assert values["first-stage bound"] == "no bound" and values["gap"] == "no bound"
    assert values["bound rests on"] == f"crm: {REASON}"
    assert values["projects late in every plan"] == 1
    proven = {row[0].value: row[1] for row in chain_books["proven"]["KPIs"].iter_rows(min_row=2)}
    assert proven["gap"].value == 0 and proven["gap"].number_format == "0.0%"


def test_projects_sheet_has_the_bound_and_its_reason(chain_books: dict[str, dict[str, Worksheet]]) -> None:
    sheet = chain_books["unproven"]["projects"]
    assert header(sheet)[5:] == [
        "late_days",
        "cost",
        "budget",
        "late_at_least",
        "earliest_finish",
        "bound_reason",
    ]
    row = dict(zip(header(sheet), next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert (row["project"], row["late_days"], row["late_at_least"]) == ("crm", 2, 2)
    assert as_date(row["earliest_finish"]) == EARLIEST_FINISH
    assert row["bound_reason"] == REASON
