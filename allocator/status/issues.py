"""The top issues of a status report, in plain words.

Four kinds: **late** tasks (due to finish or start by the as-of date and not done or not
started), tasks running **over their estimate** (booked plus remaining effort more than
10 % and one person-day above the estimate), people booked **over capacity** in a week
(booked days above their capacity over the days they were present), and **vendor spend**
against the cap (above 80 % of it, or forecast above it: spent plus the plan's spend
after the as-of date), or, without a cap, more than 10 % above the plan to date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from allocator.plan.figures import task_window
from allocator.problem.calendar import Workdays
from allocator.status.earned import booking_rate
from models.status import Issue

if TYPE_CHECKING:
    from collections.abc import Sequence

    from allocator.problem.calendar import Timeline
    from allocator.status.earned import TaskMeasure
    from allocator.status.inputs import Measured
    from models import Vendor

OVER_ESTIMATE = 1.10
CAP_WARNING = 0.80
TOLERANCE = 0.05  #: days of a week's booking above capacity that are rounding, not overload


def _day(day: dt.date) -> str:
    return f"{day:%d %b}"


def late_issues(measured: Measured, measures: Sequence[TaskMeasure], timeline: Timeline) -> list[Issue]:
    """Tasks due to finish (or start) by the as-of date that have not."""
    as_of_day, plans = (
        timeline.day_on_or_before(measured.as_of),
        {tp.task: tp for tp in measured.baseline.tasks},
    )
    issues = []
    for m in measures:
        tp = plans[m.task]
        if m.status != "done" and m.window[1] - 1 < as_of_day and m.window[1] > m.window[0]:
            overdue = as_of_day - m.window[1] + 1
            message = (
                f"{m.task} ({m.project}) was due to finish on {_day(tp.finish)} and is {overdue} working "
                f"days overdue, {m.fraction:.0%} complete"
            )
            issues.append(Issue(kind="late", key=f"late:{m.task}", message=message, weight=overdue))
        elif m.status == "not_started" and m.window[0] < as_of_day:
            waiting = as_of_day - m.window[0]
            message = (
                f"{m.task} ({m.project}) was due to start on {_day(tp.start)} and has not "
                f"started ({waiting} working days)"
            )
            issues.append(Issue(kind="late", key=f"late:{m.task}", message=message, weight=waiting))
    return issues


def over_estimate_issues(measures: Sequence[TaskMeasure]) -> list[Issue]:
    """Tasks whose booked plus remaining effort exceeds the estimate."""
    issues = []
    for m in measures:
        if m.planned_effort is None or m.status == "not_started":
            continue
        total = m.booked + m.remaining
        if total > m.planned_effort * OVER_ESTIMATE and total > m.planned_effort + 1:
            growth = total / m.planned_effort - 1
            left = f" and {m.remaining:.1f} left" if m.remaining > 0 else ""
            message = (
                f"{m.task} ({m.project}) is running over its estimate: {m.booked:.1f} person-days "
                f"booked{left} against {m.planned_effort:.1f} estimated (+{growth:.0%})"
            )
            key = f"over_estimate:{m.task}"
            issues.append(
                Issue(kind="over_estimate", key=key, message=message, weight=total - m.planned_effort)
            )
    return issues


def over_capacity_issues(measured: Measured, timeline: Timeline) -> list[Issue]:
    """People booked more days in a week than their capacity over the days they were present."""
    scenario, workdays = measured.scenario, Workdays(measured.scenario, timeline)
    booked: dict[tuple[str, dt.date], float] = defaultdict(float)
    for booking in measured.bookings:
        booked[booking.person, booking.week] += booking.days
    over: dict[str, list[tuple[dt.date, float, float]]] = defaultdict(list)
    people = scenario.person_index()
    for (person, week), days in sorted(booked.items()):
        if person not in people:
            continue
        start = timeline.day_on_or_after(week)
        end = timeline.day_on_or_after(week + dt.timedelta(days=7))
        capacity = people[person].capacity_pct / 100 * workdays.presence_days(people[person], start, end)
        if days > capacity + TOLERANCE:
            over[person].append((week, days, capacity))
    issues = []
    for person, weeks in over.items():
        week, days, capacity = max(weeks, key=lambda w: w[1] - w[2])
        count = "1 week" if len(weeks) == 1 else f"{len(weeks)} weeks"
        message = (
            f"{person} was booked over capacity in {count}: at most {days:.1f} days against "
            f"{capacity:.1f} available (week of {_day(week)})"
        )
        excess = sum(d - c for _, d, c in weeks)
        issues.append(
            Issue(kind="over_capacity", key=f"over_capacity:{person}", message=message, weight=excess)
        )
    return issues


def vendor_issues(measured: Measured, timeline: Timeline) -> list[Issue]:
    """Vendor spend against its cap (or, without a cap, against the plan to date)."""
    scenario = measured.scenario
    spent: dict[str, float] = defaultdict(float)
    for booking in measured.bookings:
        if booking.person in scenario.vendor_index():
            spent[booking.person] += booking.days * booking_rate(scenario, booking.person)
    to_date, after = _planned_vendor_spend(measured, timeline)
    issues = []
    for vendor in scenario.vendors:
        issue = _vendor_issue(
            vendor, spent[vendor.id], to_date[vendor.id], after[vendor.id], scenario.currency
        )
        if issue is not None:
            issues.append(issue)
    return issues


def _vendor_issue(vendor: Vendor, spent: float, to_date: float, after: float, currency: str) -> Issue | None:
    key, forecast = f"vendor_spend:{vendor.id}", spent + after
    if vendor.spend_cap:
        cap = vendor.spend_cap
        if spent <= CAP_WARNING * cap and forecast <= cap:
            return None
        message = (
            f"{vendor.id}: {currency} {spent:,.0f} spent against the {currency} {cap:,.0f} cap "
            f"({spent / cap:.0%}); with the plan's remaining {currency} {after:,.0f} it reaches "
            f"{currency} {forecast:,.0f} ({forecast / cap:.0%})"
        )
        return Issue(kind="vendor_spend", key=key, message=message, weight=forecast / cap)
    if spent <= to_date * OVER_ESTIMATE or spent <= 0:
        return None
    excess = spent / to_date - 1 if to_date > 0 else 1.0
    message = (
        f"{vendor.id}: {currency} {spent:,.0f} spent, {excess:.0%} above the {currency} {to_date:,.0f} "
        "the plan spends to date (no cap)"
    )
    return Issue(kind="vendor_spend", key=key, message=message, weight=excess)


def _planned_vendor_spend(
    measured: Measured, timeline: Timeline
) -> tuple[dict[str, float], dict[str, float]]:
    """Per vendor, the baseline's spend up to the as-of date and after it."""
    workdays, vendors = Workdays(measured.scenario, timeline), measured.scenario.vendor_index()
    cut = timeline.day_on_or_before(measured.as_of) + 1
    to_date: dict[str, float] = defaultdict(float)
    after: dict[str, float] = defaultdict(float)
    for tp in measured.baseline.tasks:
        start, end = task_window(timeline, tp)
        for row in tp.assignments:
            if row.kind != "vendor" or row.resource not in vendors:
                continue
            rate = row.count * vendors[row.resource].day_rate
            middle = min(max(cut, start), end)
            to_date[row.resource] += rate * workdays.scenario_working_days(start, middle)
            after[row.resource] += rate * workdays.scenario_working_days(middle, end)
    return to_date, after


def top_issues(measured: Measured, measures: Sequence[TaskMeasure], timeline: Timeline) -> tuple[Issue, ...]:
    """Every issue, kind by kind (late, over estimate, over capacity, vendor spend), weightiest first."""
    kinds = (
        late_issues(measured, measures, timeline),
        over_estimate_issues(measures),
        over_capacity_issues(measured, timeline),
        vendor_issues(measured, timeline),
    )
    return tuple(issue for issues in kinds for issue in sorted(issues, key=lambda i: (-i.weight, i.key)))
