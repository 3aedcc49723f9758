"""Write a comparison as terminal tables (rich), Markdown, CSV or JSON.

In every format a difference marked ``~`` (``within_gap`` in JSON and CSV) is no larger
than what the solver gaps of the two plans can explain.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import TYPE_CHECKING, Any

from rich.table import Table

if TYPE_CHECKING:
    from rich.console import Console

    from allocator.whatif.compare import Comparison, KpiRow, ProjectRow

NOISE_MARK = "~"
LEGEND = f"{NOISE_MARK} marks a difference no larger than the solver gaps can explain (not proven)."


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


def _status_cells(comparison: Comparison) -> list[str]:
    cells = []
    for col in comparison.columns:
        gap = "" if col.gap is None or col.status == "optimal" else f" gap {col.gap:.1%}"
        cells.append(f"{col.status}{gap}")
    return cells


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
    return cells


def kpi_table_rows(comparison: Comparison) -> list[list[str]]:
    """Rows of the KPI table (label, then one cell per column), status and gap last."""
    rows = [[row.label, *_kpi_cells(row)] for row in comparison.kpis]
    rows += [
        [f"  shortage: {skill}", *(_value(v) for v in values)]
        for skill, values in comparison.shortages.items()
    ]
    rows.append(["solver status", *_status_cells(comparison)])
    return rows


def project_table_rows(comparison: Comparison) -> list[list[str]]:
    """Rows of the project finish table: project, deadline, one cell per column."""
    return [[row.project, _value(row.deadline), *_project_cells(row)] for row in comparison.projects]


def mover_rows(comparison: Comparison) -> list[list[str]]:
    """Rows of the who-moved table: variant, person, projects before and after, tasks changed."""
    return [
        [m.variant, m.person, ", ".join(m.before) or "-", ", ".join(m.after) or "-", str(m.tasks_changed)]
        for m in comparison.movers
    ]


def _rich_table(title: str, header: list[str], rows: list[list[str]]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for index, name in enumerate(header):
        table.add_column(name, justify="left" if index == 0 else "right", overflow="fold")
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
    if comparison.movers:
        header = ["variant", "person", "base projects", "variant projects", "tasks changed"]
        console.print(_rich_table("Who moved", header, mover_rows(comparison)))
    console.print(LEGEND + " wd = working days.", markup=False)


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    align = ["---", *("---:" for _ in header[1:])]
    return "\n".join([line(header), "| " + " | ".join(align) + " |", *(line(r) for r in rows)])


def comparison_markdown(comparison: Comparison) -> str:
    """The comparison as Markdown, for pasting into a status report."""
    names = comparison.names
    parts = ["## What-if comparison", ""]
    parts += [f"- **{c.name}**: " + ("; ".join(c.changes) or "no changes") for c in comparison.columns[1:]]
    parts += ["", "### KPIs", "", _markdown_table(["", *names], kpi_table_rows(comparison))]
    header = ["project", "deadline", *names]
    parts += ["", "### Forecast finish", "", _markdown_table(header, project_table_rows(comparison))]
    if comparison.movers:
        header = ["variant", "person", "base projects", "variant projects", "tasks changed"]
        parts += ["", "### Who moved", "", _markdown_table(header, mover_rows(comparison))]
    parts += ["", f"_{LEGEND} wd = working days._", ""]
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
                "gap": c.gap,
                "reasons": list(c.reasons),
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
            }
            for name, f, deferred, d, w, flag in zip(
                names,
                row.finishes,
                row.deferred,
                row.delta_days,
                row.delta_working_days,
                row.flags,
                strict=True,
            )
        },
    }


def comparison_json(comparison: Comparison) -> str:
    """The comparison as JSON text."""
    return json.dumps(comparison_data(comparison), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("section", "item", "variant", "value", "delta", "delta_working_days", "within_gap")


def comparison_csv(comparison: Comparison) -> str:
    """The comparison as one long CSV table: one row per section, item and variant."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    names = comparison.names
    for row in comparison.kpis:
        for name, value, delta, flag in zip(names, row.values, row.deltas, row.flags, strict=True):
            is_date = isinstance(value, dt.date)
            writer.writerow(
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
        for name, value in zip(names, values, strict=True):
            writer.writerow(["shortage", skill, name, value, round(value - values[0], 1), "", False])
    for prow in comparison.projects:
        for i, name in enumerate(names):
            finish = "deferred" if prow.deferred[i] else _json_value(prow.finishes[i])
            writer.writerow(
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
    for col in comparison.columns:
        writer.writerow(["solver", "status", col.name, col.status, "", "", ""])
        writer.writerow(["solver", "gap", col.name, _blank(col.gap), "", "", ""])
    return out.getvalue()


def _blank(value: object) -> object:
    return "" if value is None else value
