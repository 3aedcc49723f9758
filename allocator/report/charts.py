"""Utilisation heatmap, skill demand against capacity, and vendor use over time."""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from allocator.output import loads_frame
from allocator.report.colours import CAPACITY, LATE, LEAVE, STAFF, VENDOR
from allocator.report.figures import base_figure, date_axis, iso, row_height

if TYPE_CHECKING:
    import pandas as pd

    from allocator.report.data import ReportData

#: Utilisation above this share of capacity is over target.
TARGET = 1.0
#: Colour scale from 0 % to 150 %: blues up to the target, then orange to red.
UTILISATION_SCALE = [
    [0.0, "#f7fbff"],
    [0.3, "#c6dbef"],
    [0.55, "#6baed6"],
    [0.67, "#1f5fa8"],
    [0.6701, "#fdae61"],
    [0.8, "#f46d43"],
    [1.0, "#a50026"],
]
VENDOR_SHADES = (
    "#f28e2b", "#e15759", "#ffbe7d", "#9c755f", "#edc948", "#b6992d",
    "#d37295", "#ff9da7", "#8c564b", "#bcbd22", "#d4a6c8", "#79706e",
)  # fmt: skip


def utilisation_heatmap(data: ReportData) -> go.Figure:
    """Person x ISO week utilisation; over-target cells in red with their value, leave marked.

    Parameters
    ----------
    data
        The report's plan and scenario.
    """
    people = data.people()
    grid = loads_frame(data.plan).loc[people] * 100
    weeks = {load.week: load.week_start for load in data.plan.loads}
    starts = [iso(weeks[week]) for week in grid.columns]
    names = [html.escape(data.person_names.get(p, p)) for p in people]
    values = grid.round(0).to_numpy()
    text = [[f"{v:.0f}" if v > TARGET * 100 + 0.5 else "" for v in row] for row in values]
    figure = base_figure(
        "Utilisation by person and week (% of project capacity)",
        150 + row_height(len(people), 40) * max(len(people), 3),
    )
    figure.add_trace(
        go.Heatmap(
            z=values,
            x=starts,
            y=names,
            zmin=0,
            zmax=150,
            colorscale=UTILISATION_SCALE,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 10, "color": "white"},
            customdata=[list(grid.columns)] * len(people),
            xgap=1,
            ygap=1,
            hovertemplate="%{y}, week %{customdata} (from %{x|%d %b %Y}): %{z:.0f}%<extra></extra>",
            colorbar={"title": {"text": "%"}, "tickvals": [0, 50, 100, 150], "len": 0.6, "thickness": 12},
            name="utilisation",
        )
    )
    figure.add_trace(_leave_markers(data, people, weeks))
    date_axis(figure, side="top", tickformat="%d %b")
    # Fixed ranges: the leave markers would otherwise pad the axes with empty space.
    figure.update_yaxes(range=[len(people) - 0.5, -0.5], showgrid=False)
    if starts:
        first, last = min(weeks.values()), max(weeks.values())
        figure.update_xaxes(range=[iso(first - dt.timedelta(days=4)), iso(last + dt.timedelta(days=4))])
    figure.update_layout(legend={"y": -0.01, "yanchor": "top"})
    return figure


def _leave_markers(data: ReportData, people: list[str], weeks: dict[str, dt.date]) -> go.Scatter:
    leave = {key: days for key, days in data.leave_by_week().items() if key[1] in weeks and key[0] in people}
    return go.Scatter(
        name="leave",
        mode="markers",
        x=[iso(weeks[week]) for _, week in leave],
        y=[html.escape(data.person_names.get(p, p)) for p, _ in leave],
        marker={"symbol": "x", "size": 9, "color": LEAVE, "line": {"color": "white", "width": 1}},
        hovertext=[f"{days:g} days of leave" for days in leave.values()],
        hoverinfo="text+y",
        showlegend=True,
    )


def _month_labels(frame: pd.DataFrame) -> list[list[str]]:
    return [[f"{m:%b %Y}" for m in frame["month"]], list(frame["skill"])]


def skill_chart(data: ReportData) -> go.Figure:
    """Person-days each skill needs per month (staff and vendors) against staff who have it.

    Parameters
    ----------
    data
        The report's plan and scenario.
    """
    frame = data.skill_months()
    x = _month_labels(frame)
    short = frame["staff_days"] + frame["vendor_days"] > frame["capacity_days"] * 0.9
    figure = base_figure("Skill demand against capacity per month (person-days)", 460)
    figure.add_trace(
        go.Bar(
            name="demand met by staff",
            x=x,
            y=frame["staff_days"].round(1),
            marker={"color": STAFF, "line": {"color": [LATE if s else STAFF for s in short], "width": 2}},
        )
    )
    figure.add_trace(
        go.Bar(name="demand met by vendors", x=x, y=frame["vendor_days"].round(1), marker={"color": VENDOR})
    )
    figure.add_trace(
        go.Scatter(
            name="staff capacity with the skill",
            mode="markers",
            x=x,
            y=frame["capacity_days"].round(1),
            marker={"symbol": "line-ew", "size": 22, "line": {"color": CAPACITY, "width": 3}},
        )
    )
    figure.update_layout(barmode="stack")
    figure.update_xaxes(tickangle=-45, tickfont={"size": 10})
    figure.update_yaxes(title="person-days", gridcolor="#eceff1")
    return figure


def vendor_chart(data: ReportData) -> go.Figure:
    """Contractor-days per vendor and week, with cumulative vendor spend.

    Parameters
    ----------
    data
        The report's plan and scenario.
    """
    frame = data.vendor_weeks()
    figure = base_figure(
        f"Vendor use per week (contractor-days) and cumulative spend ({data.plan.currency})", 420
    )
    for index, (vendor, rows) in enumerate(frame.groupby("vendor", sort=False)):
        figure.add_trace(
            go.Bar(
                name=html.escape(data.person_names.get(str(vendor), str(vendor))),
                x=[iso(w) for w in rows["week_start"]],
                y=rows["days"].round(1),
                marker={"color": VENDOR_SHADES[index % len(VENDOR_SHADES)]},
                hovertemplate="week of %{x|%d %b %Y}: %{y} contractor-days<extra>%{fullData.name}</extra>",
            )
        )
    spend = frame.groupby("week_start")["cost"].sum().cumsum()
    figure.add_trace(
        go.Scatter(
            name="cumulative spend",
            x=[iso(w) for w in spend.index],
            y=spend.round(0),
            yaxis="y2",
            mode="lines+markers",
            line={"color": CAPACITY, "width": 2},
            marker={"size": 5},
            hovertemplate="spend to %{x|%d %b %Y}: %{y:,.0f}<extra></extra>",
        )
    )
    date_axis(figure, tickformat="%d %b")
    figure.update_layout(
        barmode="stack",
        yaxis={"title": "contractor-days", "gridcolor": "#eceff1"},
        yaxis2={
            "title": f"spend ({data.plan.currency})",
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "tickformat": ",.0f",
            "rangemode": "tozero",
            "tickmode": "auto",
        },
    )
    return figure
