"""Write a comparison as terminal tables (rich), Markdown, CSV or JSON.

In every format a difference marked ``~`` (``within_gap`` in JSON and CSV) is no larger
than what the solver gaps of the two plans can explain. Each plan's first objective stage
is shown with its proven bound and gap (``no bound`` where none is known), and each
project late in every plan of a scenario with ``late ≥ N wd`` and the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import TYPE_CHECKING, Any

from rich.table import Table

from models.plan import NO_BOUND

if TYPE_CHECKING:
    from rich.console import Console

    from allocator.whatif.compare import Column, Comparison, KpiRow, ProjectRow

NOISE_MARK = "~"
LEGEND = f"{NOISE_MARK} marks a difference no larger than the solver gaps can explain (not proven)."
BOUND_LEGEND = (
    "late ≥ N wd: no plan of that scenario finishes the project less than N working days late (proven)."
)
#: Columns of the late-in-every-plan table.
BOUND_HEADER = ["project", "plans", "late at least", "why"]


def _value(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 1000 else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _delta(delta: float | None, flag: bool, unit: str = "") -> str:
    if delta is None or delta == 0:
        return ""
    text = f"{delta:+,.0f}" if float(delta).is_integer() else f"{delta:+,.1f}"
    return f"{text}{unit}{NOISE_MARK if flag else ''}"


def _cell(value: object, delta: float | None, flag: bool, unit: str = "") -> str:
    change = _delta(delta, flag, unit)
    return f"{_value(value)} ({change})" if change else _value(value)


def _kpi_cells(row: KpiRow) -> list[str]:
    unit = " wd" if row.key == "latest_finish" else ""
    cells = [_value(row.values[0])]
    cells += [
        _cell(v, d, f, unit) for v, d, f in zip(row.values[1:], row.deltas[1:], row.flags[1:], strict=True)
    ]
    return cells


def _status_cell(col: Column) -> str:
    """``optimal``, ``feasible gap 12.5%``, ``feasible, no bound``; the bare status without a plan."""
    if col.status == "optimal" or col.plan is None:
        return col.status
    return f"{col.status}, {NO_BOUND}" if col.gap is None else f"{col.status} gap {col.gap:.1%}"


def _bound_cell(col: Column) -> str:
    """The first stage's proven bound, ``no bound`` where none is known, ``-`` without a plan."""
    if col.plan is None:
        return "-"
    return NO_BOUND if col.bound is None else _value(col.bound)


def _first_stage_label(comparison: Comparison) -> str:
    stage = next((c.first_stage for c in comparison.columns if c.first_stage is not None), None)
    return "first-stage objective" if stage is None else f"first-stage objective ({'+'.join(stage.terms)})"


def _project_cells(row: ProjectRow) -> list[str]:
    cells = []
    for index, finish in enumerate(row.finishes):
        if row.deferred[index]:
            cells.append("deferred")
        elif finish is None:
            cells.append("-")
        elif index == 0:
            cells.append(finish.isoformat())
        else:
            delta, work = row.delta_days[index], row.delta_working_days[index]
            change = "" if not delta else f" ({delta:+d} d, {_delta(work, row.flags[index], ' wd')})"
            cells.append(f"{finish.isoformat()}{change}")
        if finish is not None and not row.deferred[index] and _late_at_least(row, index):
            cells[-1] += f"; late ≥ {_late_at_least(row, index)} wd"
    return cells


def _late_at_least(row: ProjectRow, index: int) -> int | None:
    return row.late_at_least[index] if index < len(row.late_at_least) else None


def kpi_table_rows(comparison: Comparison) -> list[list[str]]:
    """Rows of the KPI table (label, then one cell per column); the first stage's objective and
    bound, then the solver status with the gap, last."""
    rows = [[row.label, *_kpi_cells(row)] for row in comparison.kpis]
    rows += [
        [f"  shortage: {skill}", *(_value(v) for v in values)]
        for skill, values in comparison.shortages.items()
    ]
    rows.append([_first_stage_label(comparison), *(_value(c.objective) for c in comparison.columns)])
    rows.append(["first-stage bound", *(_bound_cell(c) for c in comparison.columns)])
    rows.append(["solver status", *(_status_cell(c) for c in comparison.columns)])
    return rows


def project_table_rows(comparison: Comparison) -> list[list[str]]:
    """Rows of the project finish table: project, deadline, one cell per column."""
    return [[row.project, _value(row.deadline), *_project_cells(row)] for row in comparison.projects]


def bound_rows(comparison: Comparison) -> list[list[str]]:
    """Rows of the late-in-every-plan table: project, the plans it holds for, at least, why.

    Plans whose scenarios give a project the same bound for the same reason share a row.
    """
    grouped: dict[tuple[str, int, str], list[str]] = {}
    for row in comparison.projects:
        for name, late, reason in zip(comparison.names, row.late_at_least, row.bound_reasons, strict=False):
            if late:
                grouped.setdefault((row.project, late, reason), []).append(name)
    return [
        [project, ", ".join(names), f"{late} wd", reason]
        for (project, late, reason), names in grouped.items()
    ]


def mover_rows(comparison: Comparison) -> list[list[str]]:
    """Rows of the who-moved table: variant, person, projects before and after, tasks changed."""
    return [
        [m.variant, m.person, ", ".join(m.before) or "-", ", ".join(m.after) or "-", str(m.tasks_changed)]
        for m in comparison.movers
    ]


def _rich_table(title: str, header: list[str], rows: list[list[str]], wide_last: bool = False) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for index, name in enumerate(header):
        left = index == 0 or (wide_last and index == len(header) - 1)
        table.add_column(name, justify="left" if left else "right", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def render_comparison(comparison: Comparison, console: Console) -> None:
    """Print the comparison as terminal tables."""
    names = comparison.names
    for col in comparison.columns[1:]:
        console.print(f"{col.name}: " + ("; ".join(col.changes) or "no changes"), markup=False)
    console.print(_rich_table("KPIs (change against base)", ["", *names], kpi_table_rows(comparison)))
    header = ["project", "deadline", *names]
    console.print(
        _rich_table("Forecast finish (change against base)", header, project_table_rows(comparison))
    )
    bounds = bound_rows(comparison)
    if bounds:
        console.print(_rich_table("Late in every plan", BOUND_HEADER, bounds, wide_last=True))
    if comparison.movers:
        header = ["variant", "person", "base projects", "variant projects", "tasks changed"]
        console.print(_rich_table("Who moved", header, mover_rows(comparison)))
    console.print(LEGEND + " wd = working days.", markup=False)
    if bounds:
        console.print(BOUND_LEGEND, markup=False)


def _markdown_table(header: list[str], rows: list[list[str]], wide_last: bool = False) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    align = ["---", *("---:" for _ in header[1:])]
    if wide_last:
        align[-1] = "---"
    return "\n".join([line(header), "| " + " | ".join(align) + " |", *(line(r) for r in rows)])


def comparison_markdown(comparison: Comparison) -> str:
    """The comparison as Markdown, for pasting into a status report."""
    names = comparison.names
    parts = ["## What-if comparison", ""]
    parts += [f"- **{c.name}**: " + ("; ".join(c.changes) or "no changes") for c in comparison.columns[1:]]
    parts += ["", "### KPIs", "", _markdown_table(["", *names], kpi_table_rows(comparison))]
    header = ["project", "deadline", *names]
    parts += ["", "### Forecast finish", "", _markdown_table(header, project_table_rows(comparison))]
    bounds = bound_rows(comparison)
    if bounds:
        parts += ["", "### Late in every plan", "", _markdown_table(BOUND_HEADER, bounds, wide_last=True)]
    if comparison.movers:
        header = ["variant", "person", "base projects", "variant projects", "tasks changed"]
        parts += ["", "### Who moved", "", _markdown_table(header, mover_rows(comparison))]
    parts += ["", f"_{LEGEND} wd = working days._"]
    if bounds:
        parts += ["", f"_{BOUND_LEGEND}_"]
    parts.append("")
    return "\n".join(parts)


def _json_value(value: object) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    """The comparison as plain data (what the JSON format writes)."""
    names = comparison.names
    return {
        "base": names[0],
        "currency": comparison.currency,
        "columns": [
            {
                "name": c.name,
                "changes": list(c.changes),
                "status": c.status,
                "objective": c.objective,
                "bound": c.bound,
                "gap": c.gap,
                "reasons": list(c.reasons),
                "project_bounds": [b.model_dump(mode="json") for b in c.project_bounds.values()],
            }
            for c in comparison.columns
        ],
        "kpis": {
            row.key: {
                name: {"value": _json_value(v), "delta": d, "within_gap": f}
                for name, v, d, f in zip(names, row.values, row.deltas, row.flags, strict=True)
            }
            for row in comparison.kpis
        },
        "skill_shortages": {
            skill: dict(zip(names, values, strict=True)) for skill, values in comparison.shortages.items()
        },
        "projects": {row.project: _project_data(row, names) for row in comparison.projects},
        "who_moved": [
            {
                "variant": m.variant,
                "person": m.person,
                "before": list(m.before),
                "after": list(m.after),
                "tasks_changed": m.tasks_changed,
            }
            for m in comparison.movers
        ],
    }


def _project_data(row: ProjectRow, names: list[str]) -> dict[str, Any]:
    return {
        "deadline": _json_value(row.deadline),
        **{
            name: {
                "finish": _json_value(f),
                "deferred": deferred,
                "delta_days": d,
                "delta_working_days": w,
                "within_gap": flag,
                "late_at_least": _late_at_least(row, index),
            }
            for index, (name, f, deferred, d, w, flag) in enumerate(
                zip(
                    names,
                    row.finishes,
                    row.deferred,
                    row.delta_days,
                    row.delta_working_days,
                    row.flags,
                    strict=True,
                )
            )
        },
    }


def comparison_json(comparison: Comparison) -> str:
    """The comparison as JSON text."""
    return json.dumps(comparison_data(comparison), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("section", "item", "variant", "value", "delta", "delta_working_days", "within_gap", "note")


def comparison_csv(comparison: Comparison) -> str:
    """The comparison as one long CSV table: one row per section, item and variant.

    Sections: ``kpi``, ``shortage``, ``finish``, ``late_at_least`` (a project's proven
    lateness in a plan's scenario, the reason in ``note``) and ``solver`` (status, and the
    first stage's objective, bound and gap, ``no bound`` where none is known).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = [
        *_kpi_csv_rows(comparison),
        *_finish_csv_rows(comparison),
        *_bound_csv_rows(comparison),
        *_solver_csv_rows(comparison),
    ]
    for row in rows:
        writer.writerow([*row, *([""] * (len(CSV_COLUMNS) - len(row)))])
    return out.getvalue()


def _kpi_csv_rows(comparison: Comparison) -> list[list[object]]:
    rows: list[list[object]] = []
    for row in comparison.kpis:
        for name, value, delta, flag in zip(comparison.names, row.values, row.deltas, row.flags, strict=True):
            is_date = isinstance(value, dt.date)
            rows.append(
                [
                    "kpi",
                    row.key,
                    name,
                    _json_value(value),
                    "" if is_date else _blank(delta),
                    _blank(delta) if is_date else "",
                    flag,
                ]
            )
    for skill, values in comparison.shortages.items():
        for name, value in zip(comparison.names, values, strict=True):
            rows.append(["shortage", skill, name, value, round(value - values[0], 1), "", False])
    return rows


def _finish_csv_rows(comparison: Comparison) -> list[list[object]]:
    rows: list[list[object]] = []
    for prow in comparison.projects:
        for i, name in enumerate(comparison.names):
            finish = "deferred" if prow.deferred[i] else _json_value(prow.finishes[i])
            rows.append(
                [
                    "finish",
                    prow.project,
                    name,
                    finish or "",
                    _blank(prow.delta_days[i]),
                    _blank(prow.delta_working_days[i]),
                    prow.flags[i],
                ]
            )
    return rows


def _bound_csv_rows(comparison: Comparison) -> list[list[object]]:
    return [
        ["late_at_least", prow.project, name, late, "", "", "", prow.bound_reasons[i]]
        for prow in comparison.projects
        for i, name in enumerate(comparison.names)
        if (late := _late_at_least(prow, i))
    ]


def _solver_csv_rows(comparison: Comparison) -> list[list[object]]:
    rows: list[list[object]] = []
    for col in comparison.columns:
        rows += [
            ["solver", "status", col.name, col.status],
            ["solver", "objective", col.name, _blank(col.objective)],
            ["solver", "bound", col.name, _proof(col, col.bound)],
            ["solver", "gap", col.name, _proof(col, col.gap)],
        ]
    return rows


def _proof(col: Column, value: float | None) -> object:
    """A bound or gap for CSV: the number, ``no bound`` where none is known, blank without a plan."""
    if col.plan is None:
        return ""
    return NO_BOUND if value is None else value


def _blank(value: object) -> object:
    return "" if value is None else value
