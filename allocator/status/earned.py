"""Earned value of a baseline plan as of a date, per task, per project and for the portfolio.

Definitions (stated in every report, see ``docs/status.md``):

- A task's **budgeted cost** is its planned cost in the baseline: staff
  ``cost_per_day * allocation/100`` for each working day of its window, contractors
  ``count * day_rate`` per working day, plus the mode's fixed cost.
- **PV(t)**, planned value: each task's budgeted cost spread evenly over the working days
  of its window, summed over the days up to ``t``.
- **EV**, earned value: ``Σ budgeted cost * percent complete``; done 100 %, in progress
  ``1 - remaining / planned effort`` (``remaining_days / working days`` for fixed-duration
  work), not started 0.
- **AC**, actual cost: booked days times the person's ``cost_per_day`` or the vendor's
  ``day_rate``, plus the fixed cost of every task that has started.
- ``SPI = EV / PV``, ``CPI = EV / AC``, ``EAC = BAC / CPI`` (``BAC`` the summed budgeted cost).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allocator.plan.figures import mode_cost, staff_cost, task_window
from allocator.problem.calendar import Timeline, Workdays
from allocator.status.inputs import plan_last_day
from models.status import BurnPoint, EarnedValue

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from allocator.status.inputs import Measured
    from models import Scenario, Task, TaskPlan
    from models.progress import TaskProgress

#: Days past the plan's last day the timeline reaches, so that forecasts can be dated.
FORECAST_REACH = dt.timedelta(days=400)


@dataclass(frozen=True)
class TaskMeasure:
    """One baseline task measured as of the as-of date.

    Attributes
    ----------
    window
        Half-open timeline window ``(S, E)`` of the task in the baseline.
    planned_effort
        Person-days estimated (``None`` for fixed-duration work).
    fraction
        Share of the task complete, 0 to 1.
    booked
        Person-days booked on it (all people and contractors).
    remaining
        Person-days left (0 when done; the planned effort when not started).
    """

    task: str
    project: str
    status: str
    window: tuple[int, int]
    budget: float
    planned_effort: float | None
    fraction: float
    booked: float
    actual_cost: float
    remaining: float

    @property
    def earned(self) -> float:
        """Earned value: budgeted cost times the share complete."""
        return self.budget * self.fraction

    def planned_by(self, day: int) -> float:
        """Planned value up to and including timeline day ``day``."""
        start, end = self.window
        if end == start:
            return self.budget if day + 1 >= start else 0.0
        done_days = min(max(day + 1 - start, 0), end - start)
        return self.budget * done_days / (end - start)


def measure_timeline(measured: Measured) -> Timeline:
    """The timeline of the plan, reaching far enough to date a forecast."""
    return Timeline(measured.scenario, plan_last_day(measured.scenario, measured.baseline) + FORECAST_REACH)


def budgeted_cost(scenario: Scenario, workdays: Workdays, tp: TaskPlan, task: Task) -> float:
    """The baseline's planned cost of one task (staff, contractors, fixed mode cost)."""
    start, end = task_window(workdays.timeline, tp)
    vendors = scenario.vendor_index()
    spend = sum(
        row.count * workdays.scenario_working_days(start, end) * vendors[row.resource].day_rate
        for row in tp.assignments
        if row.kind == "vendor" and row.resource in vendors
    )
    return staff_cost(scenario.person_index(), tp, end - start) + spend + mode_cost(scenario, task, tp.mode)


def planned_effort(scenario: Scenario, tp: TaskPlan, task: Task) -> float | None:
    """Person-days the baseline's mode of the task estimates (``None`` for fixed duration)."""
    for mode in task.resolved_modes(scenario.allocations):
        if mode.name == tp.mode:
            return mode.effort
    return task.effort


def fraction_complete(entry: TaskProgress | None, effort: float | None, working_days: int) -> float:
    """Share of a task complete: done 1, in progress ``1 - remaining / planned``, else 0."""
    if entry is None or entry.status == "not_started":
        return 0.0
    if entry.status == "done":
        return 1.0
    if effort is not None and entry.remaining_effort is not None:
        return min(1.0, max(0.0, 1.0 - entry.remaining_effort / effort))
    if entry.remaining_days is not None and working_days > 0:
        return min(1.0, max(0.0, 1.0 - entry.remaining_days / working_days))
    return 0.0


def booking_rate(scenario: Scenario, resource: str) -> float:
    """Cost of one booked day of a person or of a vendor's contractor."""
    people, vendors = scenario.person_index(), scenario.vendor_index()
    if resource in people:
        return people[resource].cost_per_day
    return vendors[resource].day_rate if resource in vendors else 0.0


def measure_tasks(measured: Measured, timeline: Timeline) -> list[TaskMeasure]:
    """Every baseline task, measured as of the as-of date, in baseline order."""
    scenario, progress = measured.scenario, measured.by_task()
    workdays = Workdays(scenario, timeline)
    booked: dict[str, float] = defaultdict(float)
    cost: dict[str, float] = defaultdict(float)
    for booking in measured.bookings:
        booked[booking.task] += booking.days
        cost[booking.task] += booking.days * booking_rate(scenario, booking.person)
    result, index = [], scenario.task_index()
    for tp in measured.baseline.tasks:
        entry = progress.get(tp.task)
        _, task = index[tp.task]
        effort = planned_effort(scenario, tp, task)
        status = entry.status if entry else "not_started"
        started = status != "not_started" or booked[tp.task] > 0
        result.append(
            TaskMeasure(
                task=tp.task,
                project=tp.project,
                status=status,
                window=task_window(timeline, tp),
                budget=budgeted_cost(scenario, workdays, tp, task),
                planned_effort=effort,
                fraction=fraction_complete(entry, effort, tp.working_days),
                booked=booked[tp.task],
                actual_cost=cost[tp.task] + (mode_cost(scenario, task, tp.mode) if started else 0.0),
                remaining=_remaining(entry, effort),
            )
        )
    return result


def _remaining(entry: TaskProgress | None, effort: float | None) -> float:
    if entry is not None and entry.status == "done":
        return 0.0
    if entry is not None and entry.status == "in_progress" and entry.remaining_effort is not None:
        return entry.remaining_effort
    return effort or 0.0


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def earned_value(tasks: Iterable[TaskMeasure], as_of_day: int) -> EarnedValue:
    """BAC, PV, EV, AC, SPI, CPI and EAC of a set of tasks as of timeline day ``as_of_day``."""
    chosen = list(tasks)
    bac = sum(t.budget for t in chosen)
    pv = sum(t.planned_by(as_of_day) for t in chosen)
    ev = sum(t.earned for t in chosen)
    ac = sum(t.actual_cost for t in chosen)
    spi, cpi = _ratio(ev, pv), _ratio(ev, ac)
    eac = bac / cpi if cpi else None
    return EarnedValue(bac=bac, pv=pv, ev=ev, ac=ac, spi=spi, cpi=cpi, eac=eac)


def week_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The Fridays from the week of ``first`` to the week of ``last``."""
    friday = first + dt.timedelta(days=4 - first.weekday())
    days = []
    while friday - dt.timedelta(days=4) <= last:
        days.append(friday)
        friday += dt.timedelta(days=7)
    return days


def burn_up(
    tasks: Sequence[TaskMeasure],
    measured: Measured,
    timeline: Timeline,
    earlier: dict[dt.date, float] | None = None,
) -> tuple[BurnPoint, ...]:
    """Cumulative PV each week to the last planned finish; AC to the as-of date; EV where known.

    EV is known on the as-of date, at the plan start (0) and on the dates of ``earlier``
    status reports (their EV by date).
    """
    names = {t.task for t in tasks}
    by_week: dict[dt.date, float] = defaultdict(float)
    for booking in measured.bookings:
        if booking.task in names:
            by_week[booking.week] += booking.days * booking_rate(measured.scenario, booking.person)
    fixed = sum(t.actual_cost for t in tasks) - sum(by_week.values())
    last = max(
        [timeline.date(min(t.window[1], len(timeline)) - 1) for t in tasks if t.window[1] > 0],
        default=measured.as_of,
    )
    known = {measured.scenario.start: 0.0, **(earlier or {}), measured.as_of: sum(t.earned for t in tasks)}
    points = [
        BurnPoint(day=day, pv=sum(t.planned_by(timeline.day_on_or_before(day)) for t in tasks))
        for day in sorted({*week_ends(measured.scenario.start, max(last, measured.as_of)), *known})
    ]
    return tuple(_with_actuals(point, by_week, fixed, measured.as_of, known) for point in points)


def _with_actuals(
    point: BurnPoint, by_week: dict[dt.date, float], fixed: float, as_of: dt.date, known: dict[dt.date, float]
) -> BurnPoint:
    update: dict[str, float] = {}
    if point.day in known:
        update["ev"] = known[point.day]
    if point.day <= as_of:
        spent = sum(cost for week, cost in by_week.items() if week <= point.day)
        update["ac"] = spent + (fixed if point.day == as_of else 0.0)
    return point.model_copy(update=update)
