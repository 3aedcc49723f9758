"""A risk analysis in the plan's reports: an HTML section with a probability-of-finish curve
per project (deadline marked), and a ``risk`` sheet of percentiles in the workbook."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from allocator.report.colours import LATE, project_colours
from allocator.report.html import Section, chart_html

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl import Workbook

    from models import Plan, Scenario
    from models.risk_report import RiskReport

#: Columns of the workbook's ``risk`` sheet.
RISK_COLUMNS = (
    "project",
    "deadline",
    "planned finish",
    "P50",
    "P80",
    "P95",
    "on time",
    "mean late days",
    "drivers",
)


def finish_curves(report: RiskReport) -> go.Figure:
    """Share of samples finished by each date, one line per project, its deadline marked."""
    figure = go.Figure()
    colours = project_colours(p.project for p in report.projects)
    for project in report.projects:
        colour = colours[project.project]
        dates = [day for day, _ in project.curve]
        shares = [share for _, share in project.curve]
        figure.add_trace(
            go.Scatter(
                x=dates,
                y=shares,
                mode="lines" if len(dates) > 1 else "markers",  # one date: every sample finishes on it
                line={"shape": "hv", "color": colour, "width": 2},
                marker={"color": colour, "size": 8},
                name=project.project,
                legendgroup=project.project,
                hovertemplate=f"{project.project}: %{{y:.0%}} finished by %{{x|%d %b %Y}}<extra></extra>",
            )
        )
        if project.deadline is not None and project.on_time is not None:
            figure.add_trace(
                go.Scatter(
                    x=[project.deadline],
                    y=[project.on_time],
                    mode="markers",
                    marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": LATE}},
                    name=f"{project.project} deadline",
                    legendgroup=project.project,
                    showlegend=False,
                    hovertemplate=(
                        f"{project.project} deadline %{{x|%d %b %Y}}: {project.on_time:.0%} of samples "
                        "on time<extra></extra>"
                    ),
                )
            )
    figure.update_layout(
        height=420,
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
        yaxis={"title": "share of samples finished", "tickformat": ".0%", "range": [0, 1.02]},
        xaxis={"title": "finish date"},
        legend={"orientation": "h", "y": -0.2},
        plot_bgcolor="white",
    )
    return figure


def risk_table(report: RiskReport) -> str:
    """The percentiles and chances as an HTML table."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in RISK_COLUMNS)
    rows = []
    for p in report.projects:
        cells = [
            p.project,
            p.deadline or "",
            p.planned_finish,
            p.p50,
            p.p80,
            p.p95,
            "" if p.on_time is None else f"{100 * p.on_time:.0f} %",
            f"{p.mean_late_days:.1f}",
            ", ".join(f"{d.task} ({100 * d.criticality:.0f} %)" for d in p.drivers),
        ]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    body = "".join(rows)
    return (
        f"<table id='risk-table' class='sortable'><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
        + "</table>"
    )


def risk_section(report: RiskReport) -> Section:
    """The report section: the curves, then the table."""
    body = chart_html(finish_curves(report), "risk") + risk_table(report)
    note = (
        f"{report.samples:,} samples of the work (seed {report.seed}), the plan re-timed with its teams "
        "and order kept: each line is the share of samples that have finished the project by a date; "
        "the red tick is the deadline, at the share on time."
    )
    return Section("risk", "How sure each deadline is", body, note)


def add_risk_sheet(book: Workbook, report: RiskReport) -> None:
    """Append a ``risk`` sheet of percentiles, chances and drivers to ``book``."""
    from allocator.report.excel import _sheet

    rows = [
        [
            p.project,
            p.deadline,
            p.planned_finish,
            p.p50,
            p.p80,
            p.p95,
            p.on_time,
            p.mean_late_days,
            ", ".join(f"{d.task} ({100 * d.criticality:.0f} %)" for d in p.drivers),
        ]
        for p in report.projects
    ]
    sheet = _sheet(book, "risk", list(RISK_COLUMNS), rows)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        cell.number_format = "0%"


def read_risk_report(path: Path) -> RiskReport:
    """A saved risk analysis (``allocator risk --format json``), or an input error naming the file."""
    from pydantic import ValidationError

    from allocator.app.common import InputError
    from models.risk_report import RiskReport

    try:
        return RiskReport.model_validate_json(path.read_bytes())
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"cannot read risk analysis:\n{path}: field '{where}': {first['msg']}") from None


def write_with_risk(plan: Plan, path: Path, scenario: Scenario | None, report: RiskReport) -> None:
    """Write the HTML report or workbook of ``plan`` (by the extension) with the risk analysis in it."""
    import io

    from allocator.app.common import InputError
    from allocator.io import atomic_write_text
    from allocator.io.atomic import atomic_write_bytes

    if report.scenario_hash != plan.scenario_hash:
        raise InputError(f"the risk analysis was made for another scenario than the plan's ({plan.scenario})")
    try:
        if path.suffix.lower() == ".xlsx":
            from allocator.report.excel import plan_workbook

            book = plan_workbook(plan, scenario)
            add_risk_sheet(book, report)
            buffer = io.BytesIO()
            book.save(buffer)
            atomic_write_bytes(path, buffer.getvalue())
        else:
            from allocator.report.html import plan_report

            atomic_write_text(path, plan_report(plan, scenario, extra=[risk_section(report)]))
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None
