"""Gantt charts: tasks by project, and assignments by person."""

from __future__ import annotations

import html
from collections import defaultdict
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from allocator.report.colours import LATE, MUTED
from allocator.report.figures import base_figure, date_axis, day_span, iso, row_height
from allocator.report.solver import late_text, wrapped

if TYPE_CHECKING:
    from allocator.report.data import ReportData
    from models import Assignment, TaskPlan

#: Above this many tasks the project Gantt shows one row per project instead of per task.
TASK_ROW_LIMIT = 150


def _task_hover(data: ReportData, task: TaskPlan) -> str:
    team = ", ".join(
        f"{data.person_names.get(a.resource, a.resource)} {a.allocation}%"
        + (f" x{a.count}" if a.count > 1 else "")
        for a in task.assignments
    )
    lines = [
        f"<b>{html.escape(data.task_names.get(task.task, task.task))}</b> ({html.escape(task.project)})",
        f"{task.start:%a %d %b %Y} to {task.finish:%a %d %b %Y}, {task.working_days} working days",
        f"team: {html.escape(team) or 'none'}",
    ]
    if task.deadline:
        lines.append(f"deadline {task.deadline:%d %b %Y}")
    if task.late_days:
        lines.append(f"<b>LATE by {task.late_days} working days</b>")
    return "<br>".join(lines)


def _bound_hover(data: ReportData, project: str) -> str:
    """Hover lines on a project's bars when it is late: what is forced (a proven bound) and
    why it is late (the verified explanation)."""
    lines = []
    bound = data.project_bounds.get(project)
    if bound is not None:
        lines.append(f"<b>{html.escape(project)}: {html.escape(late_text(bound))}</b>")
        lines += [html.escape(line) for line in wrapped(bound.reason)] if bound.reason else []
    explanation = next((e for e in data.plan.explanations if e.project == project), None)
    if explanation is not None:
        lines.append("<b>Why late</b>")
        lines += [html.escape(line) for line in wrapped(explanation.summary)]
    return "<br>" + "<br>".join(lines) if lines else ""


def _task_rows(data: ReportData) -> tuple[dict[str, int], list[str], bool]:
    """Row of each task, tick labels, and whether rows are tasks (else projects)."""
    order = {p.project: index for index, p in enumerate(data.plan.projects)}
    tasks = sorted(data.plan.tasks, key=lambda t: (order.get(t.project, len(order)), t.start, t.task))
    if len(tasks) <= TASK_ROW_LIMIT:
        labels = [_task_label(data, t) for t in tasks]
        return {t.task: row for row, t in enumerate(tasks)}, labels, True
    projects = list(dict.fromkeys(t.project for t in tasks))
    rows = {t.task: projects.index(t.project) for t in tasks}
    late = {p.project: p.late_days for p in data.plan.projects}
    labels = [
        f"<span style='color:{LATE}'>⚠ {html.escape(p)} (+{late[p]}d)</span>"
        if late.get(p)
        else html.escape(p)
        for p in projects
    ]
    return rows, labels, False


def _task_label(data: ReportData, task: TaskPlan) -> str:
    name = html.escape(data.task_names.get(task.task, task.task))
    label = f"{html.escape(task.project)} · {name}"
    return f"<span style='color:{LATE}'>⚠ {label}</span>" if task.late_days else label


def project_gantt(data: ReportData) -> go.Figure:
    """Tasks as bars coloured by project, with deadlines, late tasks and dependencies.

    Parameters
    ----------
    data
        The report's plan and scenario.
    """
    rows, labels, per_task = _task_rows(data)
    height = 130 + row_height(len(labels)) * max(len(labels), 3)
    figure = base_figure("Schedule by project", height)
    by_project: dict[str, list[TaskPlan]] = defaultdict(list)
    for task in data.plan.tasks:
        by_project[task.project].append(task)
    for project, tasks in by_project.items():
        figure.add_trace(_task_bars(data, project, tasks, rows, per_task))
    if data.project_bounds:
        figure.add_trace(_earliest_finishes(data, rows))
    figure.add_trace(_task_deadlines(data, rows))
    figure.add_trace(_project_deadlines(data, rows))
    if per_task:
        figure.add_trace(_dependency_lines(data, rows))
    _window_end(data, figure)
    date_axis(figure, side="top")
    figure.update_yaxes(
        tickvals=list(range(len(labels))),
        ticktext=labels,
        range=[len(labels) - 0.4, -0.8],
        showgrid=False,
        zeroline=False,
    )
    figure.update_layout(barmode="overlay", bargap=0.3, legend={"y": -0.02, "yanchor": "top"})
    return figure


def _task_bars(
    data: ReportData, project: str, tasks: list[TaskPlan], rows: dict[str, int], labelled: bool
) -> go.Bar:
    """One project's tasks; late tasks get a red outline and, on rows of their own, a label."""
    colour = data.colours.get(project, MUTED)
    return go.Bar(
        name=project,
        orientation="h",
        y=[rows[t.task] for t in tasks],
        base=[iso(t.start) for t in tasks],
        x=[day_span(t.start, t.finish) for t in tasks],
        marker={
            "color": colour,
            "line": {
                "color": [LATE if t.late_days else colour for t in tasks],
                "width": [3 if t.late_days else 0.5 for t in tasks],
            },
        },
        text=[f"late +{t.late_days}d" if t.late_days and labelled else "" for t in tasks],
        textposition="outside",
        textfont={"color": LATE, "size": 11},
        cliponaxis=False,
        hovertext=[_task_hover(data, t) + _bound_hover(data, project) for t in tasks],
        hoverinfo="text",
        legendgroup=project,
    )


def _earliest_finishes(data: ReportData, rows: dict[str, int]) -> go.Scatter:
    """A black tick at the end of the earliest finish of each project late in every plan,
    on the row of the last task of the chain that sets it."""
    xs: list[str] = []
    ys: list[int] = []
    hover: list[str] = []
    for project, bound in data.project_bounds.items():
        own = [t.task for t in data.plan.tasks if t.project == project]
        if bound.earliest_finish is None or not own:
            continue
        last = bound.chain[-1] if bound.chain and bound.chain[-1] in own else max(own, key=rows.__getitem__)
        xs.append(iso(bound.earliest_finish) + "T23:59")
        ys.append(rows[last])
        head = f"<b>{html.escape(project)} finishes {bound.earliest_finish:%d %b %Y} at the earliest</b>"
        hover.append(head + _bound_hover(data, project))
    return go.Scatter(
        name="earliest possible finish",
        mode="markers",
        x=xs,
        y=ys,
        marker={"symbol": "line-ns-open", "size": 18, "color": "#111", "line": {"width": 3, "color": "#111"}},
        hovertext=hover,
        hoverinfo="text",
    )


def _task_deadlines(data: ReportData, rows: dict[str, int]) -> go.Scatter:
    # A task deadline equal to its project's is already shown by the project line.
    project_deadlines = {p.project: p.deadline for p in data.plan.projects}
    tasks = [t for t in data.plan.tasks if t.deadline and t.deadline != project_deadlines.get(t.project)]
    return go.Scatter(
        name="task deadline",
        mode="markers",
        x=[iso(t.deadline) for t in tasks if t.deadline],
        y=[rows[t.task] for t in tasks],
        marker={
            "symbol": "diamond",
            "size": 9,
            "color": [LATE if t.late_days else "#333" for t in tasks],
            "line": {"color": "white", "width": 1},
        },
        hovertext=[f"deadline of {html.escape(t.task)}: {t.deadline:%d %b %Y}" for t in tasks],
        hoverinfo="text",
    )


def _project_deadlines(data: ReportData, rows: dict[str, int]) -> go.Scatter:
    """A vertical red line through each project's rows at its deadline."""
    xs: list[str | None] = []
    ys: list[float | None] = []
    for project in data.plan.projects:
        own = [rows[t.task] for t in data.plan.tasks if t.project == project.project]
        if project.deadline is None or not own:
            continue
        xs += [iso(project.deadline), iso(project.deadline), None]
        ys += [min(own) - 0.45, max(own) + 0.45, None]
    return go.Scatter(
        name="project deadline",
        mode="lines",
        x=xs,
        y=ys,
        line={"color": LATE, "width": 2, "dash": "dot"},
        hoverinfo="skip",
    )


def _dependency_lines(data: ReportData, rows: dict[str, int]) -> go.Scatter:
    """Elbow connectors from each predecessor's end to its successor's start."""
    tasks = {t.task: t for t in data.plan.tasks}
    xs: list[str | None] = []
    ys: list[float | None] = []
    for before, after in data.dependencies():
        pred, succ = tasks[before], tasks[after]
        end = iso(pred.finish) + "T23:59"
        xs += [end, end, iso(succ.start), None]
        ys += [rows[before], rows[after], rows[after], None]
    return go.Scatter(
        name="dependency",
        mode="lines",
        x=xs,
        y=ys,
        line={"color": MUTED, "width": 1},
        hoverinfo="skip",
        opacity=0.8,
    )


def _window_end(data: ReportData, figure: go.Figure) -> None:
    if data.scenario is None:
        return
    figure.add_vline(x=iso(data.scenario.end), line={"color": "#555", "width": 1, "dash": "dash"})
    figure.add_annotation(
        x=iso(data.scenario.end),
        y=1,
        yref="paper",
        text="window end",
        showarrow=False,
        yanchor="bottom",
        font={"size": 10, "color": "#555"},
    )


# --- by person -------------------------------------------------------------------------


def _lanes(items: list[tuple[TaskPlan, Assignment]]) -> tuple[list[int], int]:
    """Lane of each assignment so that overlapping ones sit side by side in a row."""
    ends: list[object] = []
    lanes = []
    for task, _ in items:
        lane = next((i for i, end in enumerate(ends) if end < task.start), len(ends))  # type: ignore[operator]
        if lane == len(ends):
            ends.append(task.finish)
        else:
            ends[lane] = task.finish
        lanes.append(lane)
    return lanes, max(len(ends), 1)


def person_gantt(data: ReportData) -> go.Figure:
    """Who does what: one row per person or vendor, bars coloured by project, allocation in the bar.

    Parameters
    ----------
    data
        The report's plan and scenario.
    """
    work: dict[str, list[tuple[TaskPlan, Assignment]]] = defaultdict(list)
    for task in sorted(data.plan.tasks, key=lambda t: (t.start, t.finish)):
        for row in task.assignments:
            work[row.resource].append((task, row))
    resources = [p for p in data.people() if p in work] + [r for r in work if r not in data.people()]
    bars: dict[str, list[tuple[float, float, TaskPlan, Assignment]]] = defaultdict(list)
    for index, resource in enumerate(resources):
        lanes, count = _lanes(work[resource])
        width = 0.8 / count
        for lane, (task, row) in zip(lanes, work[resource], strict=True):
            bars[task.project].append((index - 0.4 + width * (lane + 0.5), width, task, row))
    height = 130 + row_height(len(resources)) * max(len(resources), 3)
    figure = base_figure("Who works on what (bar text: allocation)", height)
    for project, items in bars.items():
        figure.add_trace(_assignment_bars(data, project, items))
    labels = [
        html.escape(data.person_names.get(r, r)) + (" (vendor)" if r in data.vendor_ids else "")
        for r in resources
    ]
    date_axis(figure, side="top")
    figure.update_yaxes(
        tickvals=list(range(len(resources))),
        ticktext=labels,
        autorange="reversed",
        showgrid=False,
        zeroline=False,
    )
    figure.update_layout(
        barmode="overlay", uniformtext={"minsize": 9, "mode": "hide"}, legend={"y": -0.02, "yanchor": "top"}
    )
    return figure


def _assignment_bars(
    data: ReportData, project: str, items: list[tuple[float, float, TaskPlan, Assignment]]
) -> go.Bar:
    return go.Bar(
        name=project,
        orientation="h",
        y=[y for y, _, _, _ in items],
        width=[w for _, w, _, _ in items],
        base=[iso(t.start) for _, _, t, _ in items],
        x=[day_span(t.start, t.finish) for _, _, t, _ in items],
        marker={
            "color": data.colours.get(project, MUTED),
            "opacity": [0.45 + 0.55 * r.allocation / 100 for _, _, _, r in items],
            "line": {"color": "white", "width": 0.5},
        },
        text=[f"{r.count}x" if r.kind == "vendor" else f"{r.allocation}%" for _, _, _, r in items],
        textposition="inside",
        insidetextanchor="middle",
        hovertext=[
            f"{html.escape(data.person_names.get(r.resource, r.resource))}: {r.allocation}%"
            + (f" x{r.count}" if r.count > 1 else "")
            + f" ({html.escape(r.skill or '')})<br>"
            + _task_hover(data, t)
            for _, _, t, r in items
        ],
        hoverinfo="text",
        legendgroup=project,
    )
