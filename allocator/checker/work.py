"""Rules on people's days and the work delivered: capacity, concurrent tasks, effort,
fixed durations and presence.

Loads are per-day arrays per person, built from difference arrays (``+a`` at the start
of a window, ``-a`` at its end), so checking costs one pass over the timeline per person
rather than a comparison of every pair of tasks.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import accumulate
from typing import TYPE_CHECKING

from allocator.checker.context import EFFORT_TOLERANCE

if TYPE_CHECKING:
    from allocator.checker.context import CheckContext, PlannedTask
    from models import Assignment, Person


def _runs(values: list[int], limit: int) -> list[tuple[int, int, int]]:
    """Maximal runs of consecutive days above ``limit``: ``(first, last, peak)``."""
    runs: list[tuple[int, int, int]] = []
    for day, value in enumerate(values):
        if value <= limit:
            continue
        if runs and runs[-1][1] == day - 1:
            first, _, peak = runs[-1]
            runs[-1] = (first, day, max(peak, value))
        else:
            runs.append((day, day, value))
    return runs


def person_rows(ctx: CheckContext) -> dict[str, list[tuple[PlannedTask, Assignment]]]:
    """Person assignment rows of known people, by person."""
    rows: dict[str, list[tuple[PlannedTask, Assignment]]] = defaultdict(list)
    for pt in ctx.planned():
        for row in pt.plan.assignments:
            if row.kind == "person" and row.resource in ctx.people:
                rows[row.resource].append((pt, row))
    return rows


def daily_sums(size: int, windows: list[tuple[int, int, int]]) -> list[int]:
    """Per-day sum of ``amount`` over windows ``(start, end, amount)``."""
    change = [0] * (size + 1)
    for start, end, amount in windows:
        change[start] += amount
        change[end] -= amount
    return list(accumulate(change[:-1]))


def check_person_days(ctx: CheckContext) -> None:
    """Per person and timeline day: allocations within capacity, task count within the limit."""
    for person_id, rows in person_rows(ctx).items():
        person = ctx.people[person_id]
        booked = daily_sums(ctx.size, [(pt.start, pt.end, row.allocation) for pt, row in rows])
        for first, last, peak in _runs(booked, person.capacity_pct):
            ctx.findings.add(
                "capacity",
                f"person {person_id}",
                f"booked up to {peak} % on {ctx.date(first)}..{ctx.date(last)}, capacity "
                f"{person.capacity_pct} % (tasks {_tasks_on(rows, first)})",
            )
        if person.max_concurrent_tasks is None:
            continue
        concurrent = daily_sums(ctx.size, [(pt.start, pt.end, 1) for pt, _ in rows])
        for first, last, peak in _runs(concurrent, person.max_concurrent_tasks):
            ctx.findings.add(
                "concurrency",
                f"person {person_id}",
                f"{peak} tasks at once on {ctx.date(first)}..{ctx.date(last)}, at most "
                f"{person.max_concurrent_tasks} (tasks {_tasks_on(rows, first)})",
            )


def _tasks_on(rows: list[tuple[PlannedTask, Assignment]], day: int) -> str:
    return ", ".join(sorted({pt.task.id for pt, _ in rows if pt.start <= day < pt.end}))


def delivered(ctx: CheckContext, pt: PlannedTask, row: Assignment) -> float:
    """Person-days a row delivers in the task window: presence-weighted for people, plus
    their recorded overtime hours over the hours of a day when they are allowed overtime
    (rule ``overtime`` checks those hours); scenario-calendar working days for contractors."""
    if row.kind == "vendor":
        return float(row.count * ctx.days.scenario_working_days(pt.start, pt.end))
    person: Person | None = ctx.people.get(row.resource)
    if person is None:
        return 0.0
    contract = row.allocation / 100 * ctx.days.presence_days(person, pt.start, pt.end)
    if not person.overtime_allowed:
        return contract
    return contract + row.overtime_hours / ctx.scenario.calendar.hours_per_day


def check_work(ctx: CheckContext) -> None:
    """Effort covered for effort-driven modes; length and presence for fixed-duration ones."""
    for pt in ctx.planned():
        rows = {id(row): delivered(ctx, pt, row) for row in pt.plan.assignments}
        _warn_recorded_effort(ctx, pt, rows)
        if pt.mode is None:
            continue
        if pt.mode.effort is not None:
            _check_effort(ctx, pt, pt.mode.effort, sum(rows.values()))
        elif pt.mode.duration is not None:
            _check_fixed_duration(ctx, pt, pt.mode.duration)


def _check_effort(ctx: CheckContext, pt: PlannedTask, effort: float, total: float) -> None:
    if total < effort - EFFORT_TOLERANCE:
        ctx.findings.add(
            "effort",
            pt.entity,
            f"team delivers {total:.3f} person-days over {pt.plan.start}..{pt.plan.finish}, "
            f"effort is {effort:g}",
        )
        return
    # One team-day is what the whole team delivers on a full day together (overtime included).
    team_day = sum(_row_day(ctx, r) for r in pt.plan.assignments)
    if total - effort > team_day + EFFORT_TOLERANCE:
        ctx.findings.warn(
            f"task {pt.task.id}: scheduled longer than needed, delivers {total:.3f} person-days "
            f"for an effort of {effort:g}"
        )


def _row_day(ctx: CheckContext, row: Assignment) -> float:
    """Person-days a row delivers on one full day of the task."""
    if row.kind == "vendor":
        return float(row.count)
    person = ctx.people.get(row.resource)
    share = 0.0
    if row.overtime_hours and person is not None and person.overtime is not None and person.overtime_allowed:
        share = person.overtime.hours_per_week / ctx.scenario.calendar.hours_per_week
    return row.allocation / 100 * (1 + share)


def _check_fixed_duration(ctx: CheckContext, pt: PlannedTask, duration: int) -> None:
    if pt.end - pt.start != duration:
        ctx.findings.add(
            "duration", pt.entity, f"lasts {pt.end - pt.start} timeline days, the mode fixes {duration}"
        )
    for row in pt.plan.assignments:
        person = ctx.people.get(row.resource) if row.kind == "person" else None
        if person is None:
            continue
        presence = ctx.days.presence(person)
        absent = [day for day in range(pt.start, pt.end) if presence[day] == 0]
        if absent:
            ctx.findings.add(
                "presence",
                f"person {person.id}",
                f"absent on {len(absent)} day(s) of fixed-duration task {pt.task.id}, "
                f"first {ctx.date(absent[0])}",
            )


def _warn_recorded_effort(ctx: CheckContext, pt: PlannedTask, delivered_by: dict[int, float]) -> None:
    for row in pt.plan.assignments:
        actual = delivered_by[id(row)]
        if abs(row.effort - actual) > EFFORT_TOLERANCE:
            ctx.findings.warn(
                f"task {pt.task.id}: {row.kind} {row.resource} records effort {row.effort:g}, "
                f"delivers {actual:.3f} person-days"
            )
