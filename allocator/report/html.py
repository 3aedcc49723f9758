"""The HTML report: one self-contained file (charts, tables and the plotting library inline).

A report is a KPI header followed by :class:`Section` items. Later report kinds (a
comparison of plans, the change list of a re-plan) add their own sections to
:func:`plan_sections` output, or pass ``extra`` to :func:`render_report`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from allocator.io import atomic_write_text
from allocator.report import charts, gantt, tables
from allocator.report.assets import CSS, PAGE, SCRIPT
from allocator.report.data import ReportData

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    import plotly.graph_objects as go

    from models import Plan, Scenario

PLOT_CONFIG = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"scale": 2}}


@dataclass(frozen=True)
class Section:
    """A titled part of the report.

    Parameters
    ----------
    anchor
        Element id, used by the table of contents.
    title
        Heading.
    body
        HTML content.
    note
        One sentence under the heading on how to read it.
    """

    anchor: str
    title: str
    body: str
    note: str = ""

    def render(self) -> str:
        """The section as HTML."""
        note = f"<p class='note'>{html.escape(self.note)}</p>" if self.note else ""
        return f"<section id='{self.anchor}'><h2>{html.escape(self.title)}</h2>{note}{self.body}</section>"


def chart_html(figure: go.Figure, anchor: str) -> str:
    """A figure as a ``<div>`` drawn by the page's single copy of plotly.js."""
    body: str = figure.to_html(
        full_html=False, include_plotlyjs=False, div_id=f"chart-{anchor}", config=PLOT_CONFIG
    )
    return f"<div class='chart'>{body}</div>"


def _chart_section(
    data: ReportData, anchor: str, title: str, draw: Callable[[ReportData], go.Figure], note: str
) -> Section:
    return Section(anchor, title, chart_html(draw(data), anchor), note)


def plan_sections(data: ReportData) -> list[Section]:
    """The sections of a single plan's report, in reading order.

    Parameters
    ----------
    data
        The plan and, when known, its scenario.
    """
    with_scenario = data.scenario is not None
    dependency_note = " Grey connectors are dependencies." if with_scenario else ""
    sections = [
        _chart_section(
            data,
            "gantt-projects",
            "Schedule by project",
            gantt.project_gantt,
            "Bars are tasks, coloured by project; diamonds are task deadlines, dotted red lines project "
            f"deadlines, red outlines late tasks.{dependency_note}{_earliest_note(data)}",
        ),
        *_why_late_sections(data),
        _chart_section(
            data,
            "gantt-people",
            "Schedule by person",
            gantt.person_gantt,
            "Each row is a person or vendor; overlapping tasks sit side by side; paler bars mean a "
            "lower allocation.",
        ),
        _chart_section(
            data,
            "utilisation",
            "Utilisation",
            charts.utilisation_heatmap,
            "Booked share of each person's project capacity per week; red cells are over 100 % "
            "(value shown)" + (", crosses mark leave." if with_scenario else "."),
        ),
    ]
    if with_scenario:
        sections.append(
            _chart_section(
                data,
                "skills",
                "Skills",
                charts.skill_chart,
                "Where demand (bars) comes close to the staff who have the skill "
                "(black marks), vendors fill in or work waits.",
            )
        )
    if data.plan.vendors:
        sections.append(
            _chart_section(
                data,
                "vendors",
                "Vendors",
                charts.vendor_chart,
                "Contractor-days bought per week, stacked by vendor; the line is the spend so far.",
            )
        )
    sections.append(
        Section(
            "projects",
            "Projects",
            tables.projects_table(data),
            "Forecast finish against the deadline; click a column title to sort."
            + (
                " 'Late in every plan' is proven: no plan of this scenario finishes the project less "
                "late, whatever the staffing; the reason says which chain of work sets it."
                if data.project_bounds
                else ""
            ),
        )
    )
    sections.append(
        Section(
            "solver",
            "Solver and bounds",
            tables.solver_body(data),
            "Objective: what this plan scores in each stage, in order of importance. Bound: proven, "
            "no plan can score lower. Gap: how far this plan could still be from the best possible; "
            "'no bound' means nothing is proven yet (not a 100 % gap).",
        )
    )
    sections.append(
        Section(
            "assignments",
            "Assignments",
            _filter_box() + tables.assignments_table(data),
            "Who works on which task, when, and how much.",
        )
    )
    return sections


def _why_late_sections(data: ReportData) -> list[Section]:
    """Why each late project is late, under the project schedule (none when nothing is)."""
    if not data.plan.explanations:
        return []
    return [
        Section(
            "why-late",
            "Why late",
            tables.explanations_body(data),
            "Each cause was tested: relaxed (an extra person, the leave cancelled, the dependency "
            "removed, no lead time), the project was re-planned with every other project held as "
            "planned, and the cause is listed only because the project then finishes earlier.",
        )
    ]


def _earliest_note(data: ReportData) -> str:
    if not data.project_bounds:
        return ""
    return (
        " Black ticks mark the earliest finish any plan can reach for a project late in every plan "
        "(hover for the reason)."
    )


def _filter_box() -> str:
    hint = "Filter assignments (person, project, task…)"
    return f"<input id='assignments-filter' type='search' placeholder='{hint}'>"


def render_report(title: str, subtitle: str, cards: Sequence[tables.Kpi], sections: Sequence[Section]) -> str:
    """The whole HTML page.

    Parameters
    ----------
    title, subtitle
        Page heading and the line under it.
    cards
        The KPI header.
    sections
        Report sections in order.
    """
    contents = "".join(f"<a href='#{s.anchor}'>{html.escape(s.title)}</a>" for s in sections)
    return PAGE.format(
        title=html.escape(title),
        subtitle=html.escape(subtitle),
        css=CSS,
        plotly=plotly_js(),
        kpis=tables.kpi_cards(cards),
        contents=contents,
        sections="".join(s.render() for s in sections),
        script=SCRIPT,
    )


def plan_report(plan: Plan, scenario: Scenario | None = None, extra: Sequence[Section] = ()) -> str:
    """The HTML report of a plan.

    Parameters
    ----------
    plan
        The plan.
    scenario
        Its scenario, for dependencies, leave, skills and names (optional).
    extra
        Sections appended after the plan's own (comparisons, change lists).
    """
    data = ReportData(plan, scenario)
    window = f"{scenario.start:%d %b %Y} to {scenario.end:%d %b %Y} · " if scenario else ""
    subtitle = f"{window}{len(plan.tasks)} tasks · plan made {plan.created:%d %b %Y %H:%M}"
    return render_report(
        f"Plan: {plan.scenario}", subtitle, tables.kpis(data), [*plan_sections(data), *extra]
    )


def write_html_report(plan: Plan, path: str | Path, scenario: Scenario | None = None) -> None:
    """Write the HTML report of ``plan`` to ``path`` atomically.

    Parameters
    ----------
    plan
        The plan.
    path
        Destination ``.html`` file.
    scenario
        Its scenario (optional).
    """
    atomic_write_text(path, plan_report(plan, scenario))


@cache
def plotly_js() -> str:
    """The plotly.js bundle that ships with the plotly package (so the page works offline)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())
