"""Plans as pandas tables: one row per assignment, per project, or a person-by-week grid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd

if TYPE_CHECKING:
    from models import Plan

#: Columns of :func:`assignments_frame`, in order (also the CSV header).
ASSIGNMENT_COLUMNS: tuple[str, ...] = (
    "task",
    "project",
    "mode",
    "start",
    "finish",
    "working_days",
    "resource",
    "kind",
    "allocation",
    "count",
    "skill",
    "effort",
)
#: Column added to :func:`assignments_frame` when the plan books any overtime.
OVERTIME_COLUMN = "overtime_hours"
#: Columns of :func:`projects_frame`, in order.
PROJECT_COLUMNS: tuple[str, ...] = (
    "project",
    "deferred",
    "start",
    "finish",
    "deadline",
    "on_time",
    "late_days",
    "cost",
    "budget",
)
LoadValue = Literal["utilisation", "booked_days", "capacity_days"]


def assignments_frame(plan: Plan) -> pd.DataFrame:
    """One row per assignment: who works on which task, when and how much.

    Parameters
    ----------
    plan
        A plan.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ASSIGNMENT_COLUMNS`; ``start`` and ``finish`` (the last working
        day, inclusive) are dates, ``allocation`` is percent of a full-time day,
        ``effort`` person-days (overtime included). When the plan books overtime, a last
        column ``overtime_hours`` gives each row's overtime. Tasks without assignees
        (milestones) have no row.
    """
    rows = [
        {
            "task": tp.task,
            "project": tp.project,
            "mode": tp.mode,
            "start": tp.start,
            "finish": tp.finish,
            "working_days": tp.working_days,
            "resource": row.resource,
            "kind": row.kind,
            "allocation": row.allocation,
            "count": row.count,
            "skill": row.skill,
            "effort": row.effort,
            OVERTIME_COLUMN: row.overtime_hours,
        }
        for tp in plan.tasks
        for row in tp.assignments
    ]
    columns = list(ASSIGNMENT_COLUMNS)
    if plan.kpis.overtime_hours > 0:
        columns.append(OVERTIME_COLUMN)
    frame = pd.DataFrame(rows, columns=columns)
    return _as_dates(frame, ("start", "finish"))


def projects_frame(plan: Plan) -> pd.DataFrame:
    """One row per project: forecast start and finish against the deadline, and cost.

    Parameters
    ----------
    plan
        A plan.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PROJECT_COLUMNS`. ``on_time`` is true for a planned project that
        finishes by its deadline or has none; ``late_days`` counts working days.
    """
    rows = [
        {
            "project": p.project,
            "deferred": p.deferred,
            "start": p.start,
            "finish": p.finish,
            "deadline": p.deadline,
            "on_time": not p.deferred and p.late_days == 0,
            "late_days": p.late_days,
            "cost": p.cost,
            "budget": p.budget,
        }
        for p in plan.projects
    ]
    frame = pd.DataFrame(rows, columns=list(PROJECT_COLUMNS))
    return _as_dates(frame, ("start", "finish", "deadline"))


def loads_frame(plan: Plan, value: LoadValue = "utilisation") -> pd.DataFrame:
    """Weekly load as a grid: one row per person, one column per ISO week.

    Parameters
    ----------
    plan
        A plan.
    value
        What each cell holds: ``utilisation`` (booked / capacity, 1.0 = fully booked),
        ``booked_days`` or ``capacity_days`` (person-days in the week).

    Returns
    -------
    pandas.DataFrame
        Index ``person`` (in plan order), columns ISO weeks such as ``2027-W03`` in
        date order. Weeks a person has no load record for are 0.
    """
    if value not in ("utilisation", "booked_days", "capacity_days"):
        raise ValueError(f"value must be utilisation, booked_days or capacity_days, not {value!r}")
    people = list(dict.fromkeys(load.resource for load in plan.loads))
    weeks = [week for _, week in sorted({(load.week_start, load.week) for load in plan.loads})]
    grid = pd.DataFrame(0.0, index=pd.Index(people, name="person"), columns=pd.Index(weeks, name="week"))
    for load in plan.loads:
        grid.loc[load.resource, load.week] = float(getattr(load, value))
    return grid


def assignments_csv(plan: Plan) -> str:
    """The plan's assignments as CSV text (header plus one line per assignment)."""
    return str(assignments_frame(plan).to_csv(index=False, lineterminator="\n"))


def _as_dates(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame
