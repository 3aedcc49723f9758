"""A status report as one page of Markdown, a self-contained HTML page or JSON; a review as Markdown."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from allocator.report.figures import base_figure, date_axis, iso

if TYPE_CHECKING:
    from collections.abc import Sequence

    from models.status import EarnedValue, EstimateReview, Issue, ProjectStatus, StatusReport

#: Issues shown per kind on the one page (every issue is in the JSON).
ISSUES_PER_KIND = 4
#: Changes since the last status shown on the page.
CHANGES_SHOWN = 15
KIND_TITLES = {
    "late": "Late",
    "over_estimate": "Over estimate",
    "over_capacity": "Over capacity",
    "vendor_spend": "Vendor spend",
}
PROJECT_COLUMNS = (
    "project",
    "RAG",
    "SPI",
    "CPI",
    "PV",
    "EV",
    "AC",
    "EAC",
    "BAC",
    "done",
    "baseline finish",
    "forecast finish",
    "deadline",
)
#: Columns added when a risk analysis of the baseline is given.
RISK_COLUMNS = ("P80 (risk)", "on time (risk)")
FORECAST_NAMES = {"earned_schedule": "earned schedule", "replan": "re-plan"}


def _index(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def headline(report: StatusReport) -> str:
    """One sentence on the portfolio: RAG, indexes, EAC against BAC, forecast finish."""
    value, forecasts = report.portfolio, [p.forecast_finish for p in report.projects if p.forecast_finish]
    by = FORECAST_NAMES[report.forecast]
    finish = f"; last project forecast to finish {max(forecasts):%d %b %Y} (by {by})" if forecasts else ""
    late = sum(1 for p in report.projects if p.rag.value == "red")
    return (
        f"As of {report.as_of:%d %b %Y} the portfolio is {report.portfolio_rag.value.upper()}: "
        f"SPI {_index(value.spi)}, CPI {_index(value.cpi)}, estimate at completion "
        f"{report.currency} {_money(value.eac)} against a budget of {report.currency} {_money(value.bac)}"
        f"{finish}. {late} of {len(report.projects)} projects are red."
    )


def columns(report: StatusReport) -> tuple[str, ...]:
    """The project table's header: the risk columns only with a risk analysis."""
    return (*PROJECT_COLUMNS, *RISK_COLUMNS) if report.risk is not None else PROJECT_COLUMNS


def forecast_line(report: StatusReport) -> str:
    """Which method gave the forecast finishes, in one sentence."""
    if report.replan is None:
        return "Forecast finishes by earned schedule from the baseline."
    r = report.replan
    checked = "verified by the checker" if r.verified else "NOT verified"
    return (
        f"Forecast finishes from a re-plan of the work left ({r.solver_status}, {checked}, "
        f"{r.wall_time:.1f} s): weighted late days {r.weighted_late_days}."
    )


def _chance(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f} %"


def table_row(report: StatusReport, status: ProjectStatus) -> list[str]:
    """The cells of one project's row, with the risk figures when the report has them."""
    cells = project_row(status)
    if report.risk is not None:
        cells += [str(status.risk_p80 or "n/a"), _chance(status.risk_on_time)]
    return cells


def project_row(status: ProjectStatus) -> list[str]:
    """The cells of one project's row (without the risk figures)."""
    value: EarnedValue = status.value
    return [
        status.project,
        status.rag.value,
        _index(value.spi),
        _index(value.cpi),
        _money(value.pv),
        _money(value.ev),
        _money(value.ac),
        _money(value.eac),
        _money(value.bac),
        f"{status.tasks_done}/{status.tasks_total}",
        str(status.baseline_finish or "-"),
        str(status.forecast_finish or "n/a"),
        str(status.deadline or "-"),
    ]


def top_by_kind(issues: Sequence[Issue]) -> dict[str, list[Issue]]:
    """Issues grouped by kind, in report order (the page shows :data:`ISSUES_PER_KIND` of each)."""
    grouped: dict[str, list[Issue]] = {}
    for issue in issues:
        grouped.setdefault(issue.kind, []).append(issue)
    return grouped


def _issue_lines(issues: Sequence[Issue]) -> list[str]:
    lines = []
    for kind, group in top_by_kind(issues).items():
        more = len(group) - ISSUES_PER_KIND
        extra = f" (and {more} more)" if more > 0 else ""
        lines.append(f"- **{KIND_TITLES[kind]}**{extra}:")
        lines.extend(f"  - {issue.message}" for issue in group[:ISSUES_PER_KIND])
    return lines or ["- none"]


def status_markdown(report: StatusReport) -> str:
    """The one-page status in Markdown."""
    lines = [f"# Status: {report.scenario}, {report.as_of:%d %b %Y}", "", headline(report), ""]
    header = columns(report)
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(table_row(report, p)) + " |" for p in report.projects]
    lines += ["", forecast_line(report)]
    if report.risk is not None:
        lines += ["", _risk_line(report)]
    lines += ["", f"Money in {report.currency}. Why each project has its colour:", ""]
    lines += [f"- {p.project}: {'; '.join(p.reasons) or 'on plan'}" for p in report.projects]
    lines += ["", "## Top issues", "", *_issue_lines(report.issues)]
    if report.previous_as_of is not None:
        lines += ["", f"## Since the last status ({report.previous_as_of:%d %b %Y})", ""]
        shown = report.changes[:CHANGES_SHOWN]
        lines += [f"- {change}" for change in shown] or ["- nothing changed"]
        if len(report.changes) > len(shown):
            lines.append(f"- … and {len(report.changes) - len(shown)} more (in the JSON report)")
    lines += ["", "## How the figures are made", ""]
    lines += [f"- {rule}" for rule in report.rules]
    lines += [f"- Forecast finish by {report.forecast_method}."]
    return "\n".join(lines) + "\n"


def _risk_line(report: StatusReport) -> str:
    assert report.risk is not None
    return (
        f"P80 and on time come from a risk analysis of the baseline ({report.risk.samples} samples, "
        f"seed {report.risk.seed}): the date by which 80 % of the samples finish the project, and "
        "the share of samples finishing by its deadline."
    )


def status_json(report: StatusReport) -> str:
    """The whole report as JSON (what ``--previous`` reads back)."""
    return report.model_dump_json(indent=2) + "\n"


def burn_up_figure(status: ProjectStatus, currency: str) -> go.Figure:
    """Cumulative planned, earned and actual value of one project, week by week."""
    figure = base_figure(f"{status.project}: planned, earned and actual value ({currency})", 320)
    points = status.burnup
    series = (
        ("Planned (PV)", [(p.day, p.pv) for p in points], "#1f5fa8", "solid"),
        ("Earned (EV)", [(p.day, p.ev) for p in points if p.ev is not None], "#2ca02c", "solid"),
        ("Actual (AC)", [(p.day, p.ac) for p in points if p.ac is not None], "#d62728", "dot"),
    )
    for name, values, colour, dash in series:
        figure.add_trace(
            go.Scatter(
                x=[iso(day) for day, _ in values],
                y=[value for _, value in values],
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": dash},
            )
        )
    date_axis(figure)
    figure.update_yaxes(rangemode="tozero", gridcolor="#eceff1")
    return figure


def _table_html(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _list_html(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def status_html(report: StatusReport) -> str:
    """The status as a self-contained HTML page, with a burn-up chart per project."""
    from allocator.report.html import Section, chart_html, render_report
    from allocator.report.tables import Kpi

    value = report.portfolio
    cards = [
        Kpi(
            "Portfolio",
            report.portfolio_rag.value.upper(),
            "bad" if report.portfolio_rag.value == "red" else "",
        ),
        Kpi("SPI", _index(value.spi)),
        Kpi("CPI", _index(value.cpi)),
        Kpi("EAC", f"{report.currency} {_money(value.eac)}", detail=f"BAC {_money(value.bac)}"),
        Kpi("Issues", str(len(report.issues))),
        Kpi(
            "Forecast by",
            FORECAST_NAMES[report.forecast],
            detail=f"weighted late days {report.replan.weighted_late_days}" if report.replan else "",
        ),
    ]
    rows = [[*table_row(report, p), "; ".join(p.reasons) or "on plan"] for p in report.projects]
    notes = [forecast_line(report), *([_risk_line(report)] if report.risk is not None else [])]
    table = _table_html([*columns(report), "why"], rows) + "".join(
        f"<p>{html.escape(note)}</p>" for note in notes
    )
    sections = [
        Section("projects", "Projects", table, headline(report)),
        Section("issues", "Top issues", _issues_html(report.issues)),
    ]
    if report.previous_as_of is not None:
        title = f"Since the last status ({report.previous_as_of:%d %b %Y})"
        sections.append(Section("changes", title, _list_html(report.changes or ("nothing changed",))))
    charts = "".join(
        chart_html(burn_up_figure(p, report.currency), f"burnup-{p.project}") for p in report.projects
    )
    sections.append(
        Section("burnup", "Burn-up by project", charts, "EV is known on the dates of status reports.")
    )
    rules = [*report.rules, f"Forecast finish by {report.forecast_method}."]
    sections.append(Section("rules", "How the figures are made", _list_html(rules)))
    subtitle = f"as of {report.as_of:%d %b %Y} · money in {report.currency}"
    return render_report(f"Status: {report.scenario}", subtitle, cards, sections)


def _issues_html(issues: Sequence[Issue]) -> str:
    parts = []
    for kind, group in top_by_kind(issues).items():
        more = len(group) - ISSUES_PER_KIND
        extra = f" (and {more} more)" if more > 0 else ""
        parts.append(f"<h3>{html.escape(KIND_TITLES[kind] + extra)}</h3>")
        parts.append(_list_html([issue.message for issue in group[:ISSUES_PER_KIND]]))
    return "".join(parts) or "<p>None.</p>"


REVIEW_COLUMNS = (
    "",
    "samples",
    "estimated (pd)",
    "actual (pd)",
    "actual/estimated",
    "slip (wd)",
    "multiplier",
)


def review_markdown(review: EstimateReview) -> str:
    """Estimate accuracy per dimension, each figure with its sample size."""
    lines = [
        f"# Estimate review: {review.scenario}",
        "",
        f"{review.tasks_reviewed} tasks with an effort estimate reviewed, {review.tasks_done} of them done. "
        f"Figures are the {review.method}; slip is the median of finished tasks' actual less planned "
        "working days (its sample size in brackets).",
    ]
    for dimension in ("skill", "team", "person", "vendor", "project"):
        figures = [a for a in review.accuracy if a.dimension == dimension]
        if not figures:
            continue
        lines += ["", f"## By {dimension}", "", "| " + " | ".join((dimension, *REVIEW_COLUMNS[1:])) + " |"]
        lines.append("|" + "---|" * len(REVIEW_COLUMNS))
        for a in figures:
            slip = "n/a" if a.slip is None else f"{a.slip:+.1f} ({a.slip_samples})"
            cells = (a.key, str(a.samples), f"{a.estimated:.1f}", f"{a.actual:.1f}", f"{a.ratio:.2f}", slip)
            lines.append("| " + " | ".join((*cells, f"{a.multiplier:.3f}")) + " |")
    return "\n".join(lines + _range_lines(review)) + "\n"


def _range_lines(review: EstimateReview) -> list[str]:
    """The learned three-point ranges per skill, observed and as estimate rules."""
    if not review.ranges:
        return []
    lines = [
        "",
        "## Learned ranges by skill",
        "",
        f"Ranges are {review.range_method}.",
        "",
        "| skill | finished | P10 / P50 / P90 | shrunk | multiplier | rule: low / likely / high (%) |",
        "|---|---|---|---|---|---|",
    ]
    for r in review.ranges:
        rule = f"{r.rule_low:+.1f} / {r.rule_likely:+.1f} / {r.rule_high:+.1f}"
        cells = (
            r.skill,
            str(r.samples),
            f"{r.p10:.2f} / {r.p50:.2f} / {r.p90:.2f}",
            f"{r.low:.2f} / {r.likely:.2f} / {r.high:.2f}",
            f"{r.multiplier:.3f}",
            rule,
        )
        lines.append("| " + " | ".join(cells) + " |")
    return lines
