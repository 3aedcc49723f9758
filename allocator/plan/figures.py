"""Figures a plan reports, derived from its task plans and the scenario alone.

Everything here is recomputed from dates, modes and assignments: project forecasts,
vendor use, weekly loads per person and the headline KPIs. Nothing is read from the
solver, so the same functions serve the optimiser (to assemble a plan) and anyone who
wants to re-derive a plan's figures. Time follows ``docs/planning-rules.md``: a task
occupies the timeline days ``[S, E)``; a milestone has ``E == S``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from allocator.problem.calendar import Timeline, Workdays, prefix_sums
from models import (
    Assignment,
    Kpis,
    Person,
    Project,
    ProjectPlan,
    Scenario,
    Task,
    TaskPlan,
    VendorUse,
    WeekLoad,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

#: Utilisation above this counts as over target (a little slack for float noise).
OVER_TARGET = 1.0 + 1e-9
#: Key of contractor effort on a row that names no requirement skill.
UNSPECIFIED_SKILL = "unspecified"


@dataclass(frozen=True)
class PlanFigures:
    """Everything a plan reports besides its task plans.

    Attributes
    ----------
    projects
        One forecast per scenario project, in scenario order.
    vendors
        Use of every vendor with at least one contractor row, in scenario order.
    loads
        Load per person and ISO week over the plan horizon, by person then week.
    kpis
        Headline figures.
    """

    projects: tuple[ProjectPlan, ...]
    vendors: tuple[VendorUse, ...]
    loads: tuple[WeekLoad, ...]
    kpis: Kpis


def plan_horizon(scenario: Scenario, task_plans: Iterable[TaskPlan]) -> dt.date:
    """Last date the timeline must reach: the scenario end or the latest finish, whichever is later."""
    return max([scenario.end, *(tp.finish for tp in task_plans)])


def plan_timeline(scenario: Scenario, task_plans: Sequence[TaskPlan]) -> Timeline:
    """The timeline of a scenario reaching every date of ``task_plans``."""
    return Timeline(scenario, plan_horizon(scenario, task_plans))


def task_window(timeline: Timeline, task_plan: TaskPlan) -> tuple[int, int]:
    """Half-open timeline window ``(S, E)``; a milestone dated ``d`` is ``S == E == index(d) + 1``."""
    if task_plan.working_days == 0 and task_plan.start == task_plan.finish:
        moment = timeline.day_on_or_before(task_plan.finish) + 1  # reached at the end of that day
        return moment, moment
    start = timeline.day_on_or_after(task_plan.start)
    return start, max(start, timeline.day_on_or_before(task_plan.finish) + 1)


def late_working_days(timeline: Timeline, end: int, deadline: dt.date | None) -> int:
    """Working days an end ``E`` lies past ``deadline`` (0 without a deadline)."""
    if deadline is None:
        return 0
    return max(0, end - timeline.day_on_or_before(deadline) - 1)


def task_deadline(project: Project, task: Task) -> dt.date | None:
    """The deadline a task answers to: its own (soft or hard), else its project's."""
    return task.deadline if task.deadline is not None else project.deadline


class _Workdays(Workdays):
    """Presence and working days, with the scenario's indexes, for the plan's figures."""

    def __init__(self, scenario: Scenario, timeline: Timeline) -> None:
        super().__init__(scenario, timeline)
        # Indexes built once: the large scenarios have thousands of tasks.
        self.people = scenario.person_index()
        self.vendors = scenario.vendor_index()
        self.tasks = scenario.task_index()
        self.hours_per_day = scenario.calendar.hours_per_day

    def delivered(self, row: Assignment, start: int, end: int) -> float:
        """Person-days one assignment row delivers in ``[start, end)``, overtime included."""
        if row.kind == "vendor":
            return float(row.count * self.scenario_working_days(start, end))
        person = self.people.get(row.resource)
        if person is None:
            return 0.0
        contract = row.allocation / 100 * self.presence_days(person, start, end)
        return contract + row.overtime_hours / self.hours_per_day

    def overtime_pay(self, task_plan: TaskPlan) -> float:
        """Overtime pay of a task: ``hours x cost_per_day / hours per day x multiplier`` per row."""
        return sum(
            row.overtime_hours / self.hours_per_day * person.cost_per_day * person.overtime.cost_multiplier
            for row in task_plan.assignments
            if row.kind == "person"
            and row.overtime_hours
            and (person := self.people.get(row.resource)) is not None
            and person.overtime is not None
        )


def fill_task_effort(
    scenario: Scenario, task_plans: Sequence[TaskPlan], timeline: Timeline | None = None
) -> tuple[TaskPlan, ...]:
    """Task plans with each assignment's delivered effort and each task's deadline and lateness.

    ``Assignment.effort`` becomes the person-days the row delivers inside the task window
    (``allocation/100 * Σ presence/100`` for a person, plus their overtime hours over the
    hours of a day; ``count *`` scenario-calendar working days for contractors).
    ``TaskPlan.deadline`` is the task's own deadline, else its
    project's; ``late_days`` the working days the task ends past it.

    Parameters
    ----------
    scenario
        The scenario the plan belongs to.
    task_plans
        Task plans with dates, modes and assignments; tasks unknown to the scenario are
        returned unchanged.
    timeline
        Timeline reaching the latest finish (built when not given).

    Returns
    -------
    tuple of TaskPlan
        New task plans, in the given order.
    """
    timeline = timeline or plan_timeline(scenario, task_plans)
    workdays = _Workdays(scenario, timeline)
    tasks = scenario.task_index()
    filled = []
    for tp in task_plans:
        if tp.task not in tasks:
            filled.append(tp)
            continue
        project, task = tasks[tp.task]
        start, end = task_window(timeline, tp)
        rows = tuple(
            row.model_copy(update={"effort": workdays.delivered(row, start, end)}) for row in tp.assignments
        )
        deadline = task_deadline(project, task)
        late = late_working_days(timeline, end, deadline)
        filled.append(tp.model_copy(update={"assignments": rows, "deadline": deadline, "late_days": late}))
    return tuple(filled)


def staff_cost(people: Mapping[str, Person], task_plan: TaskPlan, working_days: int) -> float:
    """Cost of the staff booked on a task: ``cost_per_day * allocation/100 * working_days``."""
    return sum(
        people[row.resource].cost_per_day * row.allocation / 100 * working_days
        for row in task_plan.assignments
        if row.kind == "person" and row.resource in people
    )


def mode_cost(scenario: Scenario, task: Task, mode_name: str) -> float:
    """Fixed cost of the chosen mode (0 when the mode does not exist)."""
    for mode in task.resolved_modes(scenario.allocations):
        if mode.name == mode_name:
            return mode.cost
    return 0.0


def build_plan_figures(
    scenario: Scenario, task_plans: Sequence[TaskPlan], timeline: Timeline | None = None
) -> PlanFigures:
    """Project forecasts, vendor use, weekly loads and KPIs of a set of task plans.

    Parameters
    ----------
    scenario
        The scenario the plan belongs to.
    task_plans
        Every planned task (dates, mode, assignments). Tasks unknown to the scenario
        are ignored.
    timeline
        Timeline reaching the latest finish (built when not given).

    Returns
    -------
    PlanFigures
        The figures, see :class:`PlanFigures` and :func:`plan_kpis`.
    """
    timeline = timeline or plan_timeline(scenario, task_plans)
    workdays = _Workdays(scenario, timeline)
    known = scenario.task_index()
    planned = [tp for tp in task_plans if tp.task in known]
    projects = project_plans(scenario, planned, workdays)
    vendors = vendor_uses(scenario, planned, workdays)
    loads = week_loads(scenario, planned, workdays)
    kpis = plan_kpis(scenario, planned, projects, vendors, loads, workdays)
    return PlanFigures(projects=projects, vendors=vendors, loads=loads, kpis=kpis)


def project_plans(
    scenario: Scenario, planned: Sequence[TaskPlan], workdays: _Workdays
) -> tuple[ProjectPlan, ...]:
    """Forecast per project: dates, late working days against its deadline, cost, budget."""
    tasks = workdays.tasks
    by_project: dict[str, list[TaskPlan]] = defaultdict(list)
    for tp in planned:
        by_project[tasks[tp.task][0].id].append(tp)
    result = []
    for project in scenario.projects:
        plans = by_project.get(project.id, [])
        if not plans:
            result.append(
                ProjectPlan(
                    project=project.id,
                    deferred=bool(project.tasks),
                    deadline=project.deadline,
                    budget=project.budget,
                )
            )
            continue
        windows = [task_window(workdays.timeline, tp) for tp in plans]
        cost = sum(
            _task_cost(scenario, tp, window, workdays) for tp, window in zip(plans, windows, strict=True)
        )
        result.append(
            ProjectPlan(
                project=project.id,
                start=min(tp.start for tp in plans),
                finish=max(tp.finish for tp in plans),
                deadline=project.deadline,
                late_days=late_working_days(workdays.timeline, max(e for _, e in windows), project.deadline),
                cost=cost,
                budget=project.budget,
            )
        )
    return tuple(result)


def _task_cost(scenario: Scenario, tp: TaskPlan, window: tuple[int, int], workdays: _Workdays) -> float:
    _, task = workdays.tasks[tp.task]
    start, end = window
    vendors = workdays.vendors
    spend = sum(
        row.count * workdays.scenario_working_days(start, end) * vendors[row.resource].day_rate
        for row in tp.assignments
        if row.kind == "vendor" and row.resource in vendors
    )
    staff = staff_cost(workdays.people, tp, end - start) + workdays.overtime_pay(tp)
    return staff + spend + mode_cost(scenario, task, tp.mode)


def vendor_uses(
    scenario: Scenario, planned: Sequence[TaskPlan], workdays: _Workdays
) -> tuple[VendorUse, ...]:
    """Contractor-days, spend and peak headcount of every vendor with contractor rows."""
    days: dict[str, int] = defaultdict(int)
    per_day: dict[str, list[int]] = {}
    size = len(workdays.timeline)
    for tp in planned:
        start, end = task_window(workdays.timeline, tp)
        for row in tp.assignments:
            if row.kind != "vendor":
                continue
            days[row.resource] += row.count * workdays.scenario_working_days(start, end)
            change = per_day.setdefault(row.resource, [0] * (size + 1))
            change[start] += row.count
            change[end] -= row.count
    result = []
    for vendor in scenario.vendors:
        if vendor.id not in per_day:
            continue
        result.append(
            VendorUse(
                vendor=vendor.id,
                days=float(days[vendor.id]),
                cost=days[vendor.id] * vendor.day_rate,
                peak_headcount=max(prefix_sums(per_day[vendor.id])[1:], default=0),
            )
        )
    return tuple(result)


def _iso_week(day: dt.date) -> tuple[str, dt.date]:
    year, week, weekday = day.isocalendar()
    return f"{year}-W{week:02d}", day - dt.timedelta(days=weekday - 1)


def week_loads(scenario: Scenario, planned: Sequence[TaskPlan], workdays: _Workdays) -> tuple[WeekLoad, ...]:
    """Booked and available person-days per person and ISO week of the timeline.

    ``booked_days`` sums ``allocation/100 * presence/100`` over the week's timeline days
    inside the person's task windows: a booking during leave or a holiday is not work,
    so a week of leave never shows as over-allocation. ``capacity_days`` is
    ``capacity_pct/100 * Σ presence/100`` over the week's days.
    """
    timeline = workdays.timeline
    weeks = [_iso_week(day) for day in timeline.dates]
    bookings: dict[str, list[int]] = {}
    for tp in planned:
        start, end = task_window(timeline, tp)
        for row in tp.assignments:
            if row.kind == "person":
                change = bookings.setdefault(row.resource, [0] * (len(timeline) + 1))
                change[start] += row.allocation
                change[end] -= row.allocation
    result = []
    for person in scenario.people:
        booked_pct = prefix_sums(bookings.get(person.id, [0] * (len(timeline) + 1)))[1:]
        booked: dict[tuple[str, dt.date], float] = defaultdict(float)
        present: dict[tuple[str, dt.date], float] = defaultdict(float)
        for week, pct, presence in zip(weeks, booked_pct, workdays.presence(person), strict=False):
            booked[week] += pct / 100 * presence / 100
            present[week] += presence / 100
        for week in dict.fromkeys(weeks):
            capacity = person.capacity_pct / 100 * present[week]
            result.append(
                WeekLoad(
                    resource=person.id,
                    week=week[0],
                    week_start=week[1],
                    booked_days=booked[week],
                    capacity_days=capacity,
                    utilisation=booked[week] / capacity if capacity > 0 else 0.0,
                )
            )
    return tuple(result)


def skill_shortages(scenario: Scenario, planned: Sequence[TaskPlan], workdays: _Workdays) -> dict[str, float]:
    """Contractor-days per requirement skill: work the staff could not cover."""
    shortage: dict[str, float] = defaultdict(float)
    for tp in planned:
        start, end = task_window(workdays.timeline, tp)
        for row in tp.assignments:
            if row.kind == "vendor":
                days = workdays.scenario_working_days(start, end)
                shortage[row.skill or UNSPECIFIED_SKILL] += row.count * days
    return dict(sorted(shortage.items()))


def plan_kpis(
    scenario: Scenario,
    planned: Sequence[TaskPlan],
    projects: Sequence[ProjectPlan],
    vendors: Sequence[VendorUse],
    loads: Sequence[WeekLoad],
    workdays: _Workdays,
) -> Kpis:
    """Headline figures of a plan.

    Definitions: a project is on time when planned with no late working days, late when
    planned with some. ``weighted_late_days`` is ``Σ priority * late days`` over project
    deadlines and over the tasks' own soft deadlines (the lateness objective).
    Utilisation figures cover the person-weeks with capacity. ``people_over_target``
    counts people booked above 100 % of their capacity in at least one week.
    ``skill_shortages`` gives, per requirement skill, the person-days of work delivered by
    contractor rows covering that skill (``count *`` scenario-calendar working days of
    the task window), i.e. work the staff did not cover; rows without a skill count under
    ``"unspecified"``. ``overtime_hours`` and ``overtime_cost`` sum the person rows'
    overtime and its pay (on top of ``staff_cost``).
    """
    planned_projects = [p for p in projects if not p.deferred and p.finish is not None]
    with_capacity = [load.utilisation for load in loads if load.capacity_days > 0]
    over = {load.resource for load in loads if load.capacity_days > 0 and load.utilisation > OVER_TARGET}
    staff = 0.0
    for tp in planned:
        start, end = task_window(workdays.timeline, tp)
        staff += staff_cost(workdays.people, tp, end - start)
    return Kpis(
        projects_total=len(scenario.projects),
        projects_on_time=sum(1 for p in planned_projects if p.late_days == 0),
        projects_late=sum(1 for p in planned_projects if p.late_days > 0),
        projects_deferred=sum(1 for p in projects if p.deferred),
        weighted_late_days=_weighted_late_days(scenario, planned, projects, workdays),
        latest_finish=max((tp.finish for tp in planned), default=None),
        vendor_days=sum(v.days for v in vendors),
        vendor_cost=sum(v.cost for v in vendors),
        staff_cost=staff,
        overtime_hours=sum(row.overtime_hours for tp in planned for row in tp.assignments),
        overtime_cost=sum(workdays.overtime_pay(tp) for tp in planned),
        average_utilisation=fmean(with_capacity) if with_capacity else 0.0,
        peak_utilisation=max(with_capacity, default=0.0),
        people_over_target=len(over),
        skill_shortages=skill_shortages(scenario, planned, workdays),
    )


def _weighted_late_days(
    scenario: Scenario, planned: Sequence[TaskPlan], projects: Sequence[ProjectPlan], workdays: _Workdays
) -> int:
    priority = {project.id: project.priority for project in scenario.projects}
    total = sum(priority[p.project] * p.late_days for p in projects)
    tasks = workdays.tasks
    for tp in planned:
        project, task = tasks[tp.task]
        if task.deadline is not None and task.deadline_type == "soft":
            _, end = task_window(workdays.timeline, tp)
            total += project.priority * late_working_days(workdays.timeline, end, task.deadline)
    return total
