"""Rules on overtime: who may work it, how much a booking brings, the weekly rate and the cap.

From ``docs/planning-rules.md`` (*Overtime*): a person allowed ``H`` hours per week may be
booked with overtime on an effort-driven task. A booking at allocation ``a`` then works
``a/100 x presence/100 x H/n`` overtime hours on each timeline day (``n`` the working
weekdays of the contract week), and records their sum as ``overtime_hours``. Over each ISO
week a person's overtime is at most ``H``; over the plan, at most ``max_hours``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from allocator.checker.work import person_rows

if TYPE_CHECKING:
    from allocator.checker.context import CheckContext, PlannedTask
    from models import Assignment, Person

#: Slack on hours (rounding of float sums).
HOURS_TOLERANCE = 1e-6


def day_rate_hours(ctx: CheckContext, person: Person, row: Assignment, day: int) -> float:
    """Overtime hours a booking with overtime works on timeline day ``day``."""
    assert person.overtime is not None
    weekdays = len(ctx.scenario.calendar.working_weekdays)
    present = ctx.days.presence(person)[day]
    return row.allocation / 100 * present / 100 * person.overtime.hours_per_week / weekdays


def booking_hours(ctx: CheckContext, person: Person, pt: PlannedTask, row: Assignment) -> float:
    """Overtime hours the rule gives a booking with overtime over its whole window."""
    return sum(day_rate_hours(ctx, person, row, day) for day in range(pt.start, pt.end))


def check_overtime(ctx: CheckContext) -> None:
    """Overtime only for people allowed it, on effort-driven tasks, at the rule's hours,
    within the weekly rate and the person's cap."""
    for person_id, rows in person_rows(ctx).items():
        person = ctx.people[person_id]
        booked = [(pt, row) for pt, row in rows if row.overtime_hours > HOURS_TOLERANCE]
        if not booked:
            continue
        entity = f"person {person_id}"
        if person.overtime is None or not person.overtime.allowed:
            tasks = ", ".join(pt.task.id for pt, _ in booked)
            ctx.findings.add("overtime", entity, f"is not allowed overtime but works some on {tasks}")
            continue
        for pt, row in booked:
            _check_booking(ctx, person, pt, row)
        _check_weeks(ctx, person, booked)
        total = sum(row.overtime_hours for _, row in booked)
        cap = person.overtime.max_hours
        if cap is not None and total > cap + HOURS_TOLERANCE:
            ctx.findings.add("overtime", entity, f"works {total:.2f} h of overtime, at most {cap:g} h")


def _check_booking(ctx: CheckContext, person: Person, pt: PlannedTask, row: Assignment) -> None:
    entity = f"person {person.id}"
    if pt.mode is None or pt.mode.effort is None:
        ctx.findings.add("overtime", entity, f"works overtime on {pt.task.id}, which is not effort-driven")
        return
    expected = booking_hours(ctx, person, pt, row)
    if abs(row.overtime_hours - expected) > HOURS_TOLERANCE * max(1.0, expected):
        ctx.findings.add(
            "overtime",
            entity,
            f"records {row.overtime_hours:.4f} h of overtime on {pt.task.id}; at {row.allocation} % "
            f"over {pt.plan.start}..{pt.plan.finish} the rule gives {expected:.4f} h",
        )


def _check_weeks(ctx: CheckContext, person: Person, booked: list[tuple[PlannedTask, Assignment]]) -> None:
    assert person.overtime is not None
    per_week: dict[tuple[int, int], float] = defaultdict(float)
    for pt, row in booked:
        for day in range(pt.start, pt.end):
            year, week, _ = ctx.days.date(day).isocalendar()
            per_week[(year, week)] += day_rate_hours(ctx, person, row, day)
    rate = person.overtime.hours_per_week
    for (year, week), hours in sorted(per_week.items()):
        if hours > rate + HOURS_TOLERANCE:
            monday = dt.date.fromisocalendar(year, week, 1)
            ctx.findings.add(
                "overtime",
                f"person {person.id}",
                f"works {hours:.2f} h of overtime in the week of {monday}, at most {rate:g} h per week",
            )
