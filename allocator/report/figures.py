"""Shared layout of every chart: fonts, margins, date axes and row heights."""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

if TYPE_CHECKING:
    import datetime as dt

FONT = "Segoe UI, Helvetica Neue, Arial, sans-serif"
DAY_MS = 86_400_000


def base_figure(title: str, height: int) -> go.Figure:
    """An empty figure with the report's look.

    Parameters
    ----------
    title
        Chart title (shown above the plot area).
    height
        Height in pixels.
    """
    figure = go.Figure()
    figure.update_layout(
        title={
            "text": title,
            "x": 0.01,
            "y": 0.995,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 15},
        },
        height=height,
        margin={"l": 10, "r": 20, "t": 80, "b": 40},
        font={"family": FONT, "size": 12, "color": "#222"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0, "font": {"size": 11}},
        hoverlabel={"font": {"family": FONT}},
    )
    return figure


def date_axis(figure: go.Figure, **extra: object) -> None:
    """Show the x axis as calendar dates with week grid lines."""
    settings: dict[str, object] = {
        "type": "date",
        "tickformat": "%d %b\n%Y",
        "showgrid": True,
        "gridcolor": "#eceff1",
        "ticks": "outside",
    }
    figure.update_xaxes(**{**settings, **extra})


def row_height(rows: int, dense: int = 60) -> int:
    """Pixels per row: roomy for a few rows, compact for many."""
    return 26 if rows <= dense else 16


def iso(day: dt.date) -> str:
    """A date as plotly reads it."""
    return day.isoformat()


def day_span(first: dt.date, last: dt.date) -> int:
    """Milliseconds from the start of ``first`` to the end of ``last`` (a bar's length)."""
    return ((last - first).days + 1) * DAY_MS
