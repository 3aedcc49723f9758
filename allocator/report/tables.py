"""HTML pieces of the report that are not charts: KPI cards and sortable tables."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allocator.report.solver import (
    NO_BOUND,
    bound_text,
    first_gap,
    gap_text,
    late_text,
    number,
    stage_rows,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from allocator.report.data import ReportData
    from models import ProjectBound


@dataclass(frozen=True)
class Cell:
    """A table cell given as HTML (already escaped), with the value it sorts by."""

    html: str
    sort: str | int | float | None = None
    css: str = ""


@dataclass(frozen=True)
class Kpi:
    """One headline figure: a label, its value as shown, and a tone (``good``, ``bad`` or ``""``)."""

    label: str
    value: str
    tone: str = ""
    detail: str = ""


def money(amount: float, currency: str) -> str:
    """``63080.0`` -> ``EUR 63,080``."""
    return f"{currency} {amount:,.0f}"


def kpis(data: ReportData) -> list[Kpi]:
    """The KPI header of a plan.

    Parameters
    ----------
    data
        The report's plan and scenario.
    """
    plan, figures = data.plan, data.plan.kpis
    planned = figures.projects_total - figures.projects_deferred
    late_tone = "bad" if figures.projects_late else "good"
    cards = [
        Kpi(
            "Projects on time",
            f"{figures.projects_on_time} / {planned}",
            "good" if not figures.projects_late else "",
        ),
        Kpi(
            "Projects late",
            str(figures.projects_late),
            late_tone,
            f"{figures.weighted_late_days} weighted late days",
        ),
        Kpi(
            "Vendor spend",
            money(figures.vendor_cost, plan.currency),
            "",
            f"{figures.vendor_days:,.0f} contractor-days",
        ),
        Kpi(
            "Utilisation",
            f"{figures.average_utilisation:.0%} avg",
            "",
            f"peak {figures.peak_utilisation:.0%}",
        ),
        Kpi(
            "People over capacity",
            str(figures.people_over_target),
            "bad" if figures.people_over_target else "good",
        ),
        Kpi("Last finish", f"{figures.latest_finish:%d %b %Y}" if figures.latest_finish else "-"),
    ]
    if figures.overtime_hours > 0:
        cards.insert(
            3,
            Kpi(
                "Overtime",
                f"{figures.overtime_hours:,.1f} h",
                "",
                money(figures.overtime_cost, plan.currency),
            ),
        )
    if figures.projects_deferred:
        cards.insert(2, Kpi("Deferred", str(figures.projects_deferred), "bad"))
    if data.project_bounds:
        cards.insert(2, _forced_card(data))
    cards.append(_solver_card(data))
    return cards


def _forced_card(data: ReportData) -> Kpi:
    """How many projects are late whatever the plan, and by how much."""
    bounds = list(data.project_bounds.values())
    count = f"{len(bounds)} project{'s' if len(bounds) != 1 else ''}"
    listed = ", ".join(f"{b.project} ≥ {b.late_days}" for b in bounds[:3])
    more = f" +{len(bounds) - 3} more" if len(bounds) > 3 else ""
    return Kpi("Late in every plan", count, "bad", f"{listed}{more} working days")


def _solver_card(data: ReportData) -> Kpi:
    solver, check = data.plan.solver, data.plan.check
    verdict = "verified" if check is not None and check.ok else "not verified"
    if solver is None:
        return Kpi("Solver", "-", "", verdict)
    gap = first_gap(data.plan)
    gap_part = f", {NO_BOUND}" if gap is None else f", gap {gap_text(gap)}"
    return Kpi(
        "Solver",
        solver.status.value,
        "bad" if check is not None and not check.ok else "",
        f"{verdict}{gap_part}, {solver.wall_time:.0f} s",
    )


def kpi_cards(cards: Sequence[Kpi]) -> str:
    """The KPI cards as HTML."""
    return "".join(
        f"<div class='kpi {c.tone}'><div class='label'>{html.escape(c.label)}</div>"
        f"<div class='value'>{html.escape(c.value)}</div>"
        f"<div class='detail'>{html.escape(c.detail)}</div></div>"
        for c in cards
    )


def _cell(value: object) -> str:
    if isinstance(value, Cell):
        sort = "" if value.sort is None else f" data-sort='{html.escape(str(value.sort), quote=True)}'"
        css = f" class='{value.css}'" if value.css else ""
        return f"<td{css}{sort}>{value.html}</td>"
    if value is None:
        return "<td></td>"
    if isinstance(value, dt.date):
        return f"<td data-sort='{value.isoformat()}'>{value:%d %b %Y}</td>"
    if isinstance(value, float):
        return f"<td class='num' data-sort='{value}'>{value:,.1f}</td>"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"<td class='num' data-sort='{value}'>{value:,}</td>"
    return f"<td>{html.escape(str(value))}</td>"


def table(
    table_id: str, header: Sequence[str], rows: Sequence[Sequence[object]], flags: Sequence[str] = ()
) -> str:
    """A sortable HTML table (click a header to sort).

    Parameters
    ----------
    table_id
        Element id.
    header
        Column titles.
    rows
        Cell values; dates and numbers are formatted and sort by value; a :class:`Cell`
        is written as given.
    flags
        CSS class of each row (``late`` rows are highlighted); empty for none.
    """
    head = "".join(f"<th>{html.escape(title)}</th>" for title in header)
    body = "".join(
        f"<tr class='{flags[index] if flags else ''}'>{''.join(_cell(v) for v in row)}</tr>"
        for index, row in enumerate(rows)
    )
    return (
        f"<table id='{table_id}' class='sortable'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _whole(amount: float | None) -> int | None:
    return None if amount is None else round(amount)


def projects_table(data: ReportData) -> str:
    """Projects: forecast finish against deadline, lateness, cost against budget.

    Where some project is late in every plan, two columns say by how much and why, and
    the earliest finish any plan can reach.
    """
    bounds = data.project_bounds
    rows: list[list[object]] = []
    flags = []
    for p in data.plan.projects:
        status = "deferred" if p.deferred else ("late" if p.late_days else "on time")
        row: list[object] = [p.project, status, p.start, p.finish, p.deadline, p.late_days]
        if bounds:
            bound = bounds.get(p.project)
            row += [_bound_cell(bound), bound.earliest_finish if bound else None]
        rows.append([*row, round(p.cost), _whole(p.budget)])
        flags.append("late" if p.late_days or p.deferred else "")
    header = ["project", "status", "start", "finish", "deadline", "late (working days)"]
    if bounds:
        header += ["late in every plan", "earliest possible finish"]
    header += [f"cost ({data.plan.currency})", "budget"]
    return table("projects-table", header, rows, flags)


def _bound_cell(bound: ProjectBound | None) -> Cell | None:
    """``late at least N working days in every plan`` with the reason under it."""
    if bound is None:
        return None
    reason = f"<div class='why'>{html.escape(bound.reason)}</div>" if bound.reason else ""
    return Cell(f"<b>{html.escape(late_text(bound))}</b>{reason}", bound.late_days, "bound")


def stages_table(data: ReportData) -> str:
    """Each objective stage: its terms, the plan's objective, the proven bound and the gap."""
    rows = [
        [
            row.number,
            row.terms,
            Cell(html.escape(number(row.objective)), row.objective, "num"),
            Cell(html.escape(bound_text(row.bound)), -1 if row.bound is None else row.bound, "num"),
            Cell(html.escape(gap_text(row.gap)), 2 if row.gap is None else row.gap, "num"),
            row.status,
            round(row.wall_time, 1),
        ]
        for row in stage_rows(data.plan)
    ]
    header = ["stage", "objective terms", "objective", "bound", "gap", "status", "time (s)"]
    return table("stages-table", header, rows)


def solver_body(data: ReportData) -> str:
    """The solver section: the stage table (or why there is none) and what the bound rests on."""
    solver = data.plan.solver
    if solver is None:
        return "<p>No solver facts are recorded with this plan.</p>"
    body = (
        stages_table(data)
        if solver.stages
        else "<p>Constructed plan only: no objective stage was solved, so nothing is proven about how "
        f"far it is from the best possible plan ({NO_BOUND}).</p>"
    )
    if solver.bound_reasons:
        items = "".join(f"<li>{html.escape(reason)}</li>" for reason in solver.bound_reasons)
        body += f"<p class='note'>What the first stage's bound rests on:</p><ul class='reasons'>{items}</ul>"
    return body


def explanations_body(data: ReportData) -> str:
    """Why each late project is late: its summary, the chain, and the verified causes."""
    parts = []
    for e in data.plan.explanations:
        chain = " → ".join(
            html.escape(data.task_names.get(s.task, s.name or s.task))
            + (f" <span class='note'>(waits {s.waits} d)</span>" if s.waits else "")
            for s in e.chain
        )
        rows = [
            (c.kind, c.text, c.relaxation, c.days_earlier, c.late_days_relaxed, "yes" if c.proven else "no")
            for c in e.causes
        ]
        if rows:
            header = ("Cause", "What the plan shows", "Relaxed", "Days earlier", "Late days then", "Proven")
            causes = table(f"why-{e.project}", header, rows)
        elif e.deferred:
            causes = ""
        else:
            causes = (
                "<p class='note'>No single cause tested moves it earlier with the other projects held "
                "as planned.</p>"
            )
        parts.append(
            f"<div class='why' id='why-{html.escape(e.project)}'><h3>{html.escape(e.project)}</h3>"
            f"<p>{html.escape(e.summary)}</p><p class='note'>Chain: {chain}</p>{causes}</div>"
        )
    return "".join(parts)


def assignments_table(data: ReportData) -> str:
    """Assignments: one row per person (or vendor) on a task, with their overtime hours
    when the plan books any."""
    overtime = data.plan.kpis.overtime_hours > 0
    rows, flags = [], []
    for t in sorted(data.plan.tasks, key=lambda t: (t.start, t.project, t.task)):
        for a in t.assignments:
            who = data.person_names.get(a.resource, a.resource)
            rows.append(
                [
                    t.project,
                    data.task_names.get(t.task, t.task),
                    who,
                    a.kind,
                    a.skill or "",
                    a.allocation,
                    a.count,
                    t.start,
                    t.finish,
                    round(a.effort, 1),
                    *([round(a.overtime_hours, 1)] if overtime else []),
                ]
            )
            flags.append("late" if t.late_days else "")
    header = [
        "project",
        "task",
        "who",
        "kind",
        "skill",
        "allocation %",
        "count",
        "start",
        "finish",
        "person-days",
        *(["overtime h"] if overtime else []),
    ]
    return table("assignments-table", header, rows, flags)
