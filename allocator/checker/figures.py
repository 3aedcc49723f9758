"""The plan's recorded figures against figures the checker recomputes from its task plans.

Every figure a plan records is derived again here, from the resolved task plans and the
checker's own calendar (:mod:`allocator.checker.days`), sharing no code with the code that
filled them in; any difference is a violation (rule ``figures``), since a plan must never
report figures its own tasks do not support. Definitions (``docs/planning-rules.md``):

- **Task**: ``deadline`` is the task's own deadline, else its project's; ``late_days`` is
  ``max(0, E - d - 1)`` with ``d`` the last timeline day on or before it.
- **Project forecast**: start and finish are the earliest start and latest finish of its
  tasks; late days as for a task, from the latest end ``E``; cost is staff cost plus
  overtime pay plus contractor spend plus mode costs. A project with tasks and none planned is deferred.
- **Vendor use** (each vendor with a contractor row): contractor-days ``Σ count *``
  scenario-calendar working days of the window, their cost at the day rate, and the
  peak number of its contractors on one day.
- **Weekly load** (each person and ISO week of the timeline): booked days
  ``Σ allocation/100 * presence/100`` over the week's days, capacity days
  ``capacity_pct/100 * Σ presence/100``, utilisation their ratio (0 without capacity).
- **KPIs**: see :func:`headline_figures`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from allocator.checker.pools import overtime_pay, task_cost, vendor_rows
from allocator.checker.work import daily_sums, person_rows
from models import Kpis, ProjectPlan, VendorUse, WeekLoad

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from allocator.checker.context import CheckContext, PlannedTask
    from models import Person, Project
    from models.base import DomainModel

_REL, _ABS = 1e-9, 1e-6
#: Utilisation above this counts as over target (a little slack for float noise).
OVER_TARGET = 1.0 + 1e-9
#: Key of contractor-days on a row that names no requirement skill.
UNSPECIFIED_SKILL = "unspecified"


@dataclass(frozen=True)
class Figures:
    """The figures a plan should record, keyed as violations name them."""

    projects: dict[str, ProjectPlan]  #: by project id
    vendors: dict[str, VendorUse]  #: by vendor id
    loads: dict[str, WeekLoad]  #: by ``"<person> <ISO week>"``
    kpis: Kpis


def recompute_figures(ctx: CheckContext) -> Figures:
    """Project forecasts, vendor use, weekly loads and KPIs of the plan's resolved task plans.

    Parameters
    ----------
    ctx
        The plan resolved against the scenario (:func:`~allocator.checker.structure.resolve_tasks`).

    Returns
    -------
    Figures
        What the plan should record, see the module docstring.
    """
    projects = project_forecasts(ctx)
    vendors = vendor_uses(ctx)
    loads = week_loads(ctx)
    kpis = headline_figures(ctx, list(projects.values()), list(vendors.values()), list(loads.values()))
    return Figures(projects=projects, vendors=vendors, loads=loads, kpis=kpis)


def task_deadline(pt: PlannedTask) -> dt.date | None:
    """The deadline a task answers to: its own (soft or hard), else its project's."""
    return pt.task.deadline if pt.task.deadline is not None else pt.project.deadline


def project_forecasts(ctx: CheckContext) -> dict[str, ProjectPlan]:
    """Forecast of every scenario project, in scenario order."""
    by_project: dict[str, list[PlannedTask]] = defaultdict(list)
    for pt in ctx.planned():
        by_project[pt.project.id].append(pt)
    return {project.id: _forecast(ctx, project, by_project[project.id]) for project in ctx.scenario.projects}


def _forecast(ctx: CheckContext, project: Project, tasks: Sequence[PlannedTask]) -> ProjectPlan:
    """Forecast of one project from its planned tasks (deferred when none is planned)."""
    if not tasks:
        return ProjectPlan(
            project=project.id, deferred=bool(project.tasks), deadline=project.deadline, budget=project.budget
        )
    return ProjectPlan(
        project=project.id,
        start=min(pt.plan.start for pt in tasks),
        finish=max(pt.plan.finish for pt in tasks),
        deadline=project.deadline,
        late_days=ctx.days.late_days(max(pt.end for pt in tasks), project.deadline),
        cost=sum(task_cost(ctx, pt) for pt in tasks),
        budget=project.budget,
    )


def vendor_uses(ctx: CheckContext) -> dict[str, VendorUse]:
    """Contractor-days, cost and peak headcount of each vendor with contractor rows."""
    rows = vendor_rows(ctx)
    result = {}
    for vendor in ctx.scenario.vendors:
        if vendor.id not in rows:
            continue
        days = sum(
            row.count * ctx.days.scenario_working_days(pt.start, pt.end) for pt, row in rows[vendor.id]
        )
        heads = daily_sums(ctx.size, [(pt.start, pt.end, row.count) for pt, row in rows[vendor.id]])
        result[vendor.id] = VendorUse(
            vendor=vendor.id,
            days=float(days),
            cost=days * vendor.day_rate,
            peak_headcount=max(heads, default=0),
        )
    return result


def _iso_week(day: dt.date) -> tuple[str, dt.date]:
    """ISO week of ``day`` (``2027-W03``) and the Monday it starts on."""
    year, week, weekday = day.isocalendar()
    return f"{year}-W{week:02d}", day - dt.timedelta(days=weekday - 1)


def week_loads(ctx: CheckContext) -> dict[str, WeekLoad]:
    """Load of every person in every ISO week of the timeline, by person then week."""
    weeks = [_iso_week(day) for day in ctx.days.dates]
    rows = person_rows(ctx)
    result = {}
    for person in ctx.scenario.people:
        booked = daily_sums(
            ctx.size, [(pt.start, pt.end, row.allocation) for pt, row in rows.get(person.id, [])]
        )
        for load in _person_weeks(person, weeks, booked, ctx.days.presence(person)):
            result[f"{load.resource} {load.week}"] = load
    return result


def _person_weeks(
    person: Person, weeks: Sequence[tuple[str, dt.date]], booked: Sequence[int], presence: Sequence[int]
) -> list[WeekLoad]:
    """One person's loads per week, from per-day booked allocation and presence (percent)."""
    booked_days: dict[str, float] = defaultdict(float)
    present_days: dict[str, float] = defaultdict(float)
    starts: dict[str, dt.date] = {}
    for (week, monday), pct, present in zip(weeks, booked, presence, strict=True):
        starts.setdefault(week, monday)
        booked_days[week] += pct / 100 * present / 100
        present_days[week] += present / 100
    loads = []
    for week, monday in starts.items():
        capacity = person.capacity_pct / 100 * present_days[week]
        loads.append(
            WeekLoad(
                resource=person.id,
                week=week,
                week_start=monday,
                booked_days=booked_days[week],
                capacity_days=capacity,
                utilisation=booked_days[week] / capacity if capacity > 0 else 0.0,
            )
        )
    return loads


def headline_figures(
    ctx: CheckContext,
    projects: Sequence[ProjectPlan],
    vendors: Sequence[VendorUse],
    loads: Sequence[WeekLoad],
) -> Kpis:
    """The KPIs.

    A project is on time when planned with no late day, late when planned with some.
    ``weighted_late_days`` is ``Σ priority * late days`` over the project deadlines and
    over the tasks' own soft deadlines. Utilisation figures cover the person-weeks with
    capacity; ``people_over_target`` counts the people above 100 % in one of them.
    ``staff_cost`` is ``Σ cost_per_day * allocation/100 * working days`` over person rows,
    ``overtime_hours`` and ``overtime_cost`` their overtime and its pay;
    ``skill_shortages`` the contractor-days per requirement skill.
    """
    planned = [p for p in projects if not p.deferred and p.finish is not None]
    used = [load.utilisation for load in loads if load.capacity_days > 0]
    tasks = list(ctx.planned())
    return Kpis(
        projects_total=len(ctx.scenario.projects),
        projects_on_time=sum(1 for p in planned if p.late_days == 0),
        projects_late=sum(1 for p in planned if p.late_days > 0),
        projects_deferred=sum(1 for p in projects if p.deferred),
        weighted_late_days=_weighted_late_days(ctx, projects),
        latest_finish=max((pt.plan.finish for pt in tasks), default=None),
        vendor_days=sum(v.days for v in vendors),
        vendor_cost=sum(v.cost for v in vendors),
        staff_cost=sum(_staff_cost(ctx.people, pt) for pt in tasks),
        overtime_hours=sum(row.overtime_hours for pt in tasks for row in pt.plan.assignments),
        overtime_cost=sum(overtime_pay(ctx, row) for pt in tasks for row in pt.plan.assignments),
        average_utilisation=fmean(used) if used else 0.0,
        peak_utilisation=max(used, default=0.0),
        people_over_target=len(
            {load.resource for load in loads if load.capacity_days > 0 and load.utilisation > OVER_TARGET}
        ),
        skill_shortages=_skill_shortages(ctx),
    )


def _staff_cost(people: Mapping[str, Person], pt: PlannedTask) -> float:
    return sum(
        people[row.resource].cost_per_day * row.allocation / 100 * (pt.end - pt.start)
        for row in pt.plan.assignments
        if row.kind == "person" and row.resource in people
    )


def _weighted_late_days(ctx: CheckContext, projects: Sequence[ProjectPlan]) -> int:
    priority = {project.id: project.priority for project in ctx.scenario.projects}
    total = sum(priority[p.project] * p.late_days for p in projects)
    for pt in ctx.planned():
        if pt.task.deadline is not None and pt.task.deadline_type == "soft":
            total += pt.project.priority * ctx.days.late_days(pt.end, pt.task.deadline)
    return total


def _skill_shortages(ctx: CheckContext) -> dict[str, float]:
    shortage: dict[str, float] = defaultdict(float)
    for pt in ctx.planned():
        for row in pt.plan.assignments:
            if row.kind == "vendor":
                days = ctx.days.scenario_working_days(pt.start, pt.end)
                shortage[row.skill or UNSPECIFIED_SKILL] += row.count * days
    return dict(sorted(shortage.items()))


def _same(recorded: object, expected: object) -> bool:
    if isinstance(recorded, float | int) and isinstance(expected, float | int):
        return math.isclose(recorded, expected, rel_tol=_REL, abs_tol=_ABS)
    if isinstance(recorded, dict) and isinstance(expected, dict):
        return recorded.keys() == expected.keys() and all(_same(recorded[k], expected[k]) for k in recorded)
    return recorded == expected


def _compare(ctx: CheckContext, entity: str, recorded: DomainModel, expected: DomainModel) -> None:
    """Report each field of ``recorded`` that differs from ``expected``."""
    for name in type(expected).model_fields:
        mine, theirs = getattr(recorded, name), getattr(expected, name)
        if not _same(mine, theirs):
            ctx.findings.add(
                "figures", entity, f"{name} is recorded as {_show(mine)}, recomputed {_show(theirs)}"
            )


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value)


def _compare_keyed(
    ctx: CheckContext, kind: str, recorded: Mapping[str, DomainModel], expected: Mapping[str, DomainModel]
) -> None:
    for key in recorded.keys() - expected.keys():
        ctx.findings.add("figures", f"{kind} {key}", "recorded but not supported by the task plans")
    for key, figure in expected.items():
        if key not in recorded:
            ctx.findings.add("figures", f"{kind} {key}", "missing from the plan's figures")
        else:
            _compare(ctx, f"{kind} {key}", recorded[key], figure)


def check_figures(ctx: CheckContext) -> None:
    """Recorded project forecasts, vendor use, loads, KPIs and task lateness are recomputed."""
    expected = recompute_figures(ctx)
    plan = ctx.plan
    _compare_keyed(ctx, "project", {p.project: p for p in plan.projects}, expected.projects)
    _compare_keyed(ctx, "vendor", {v.vendor: v for v in plan.vendors}, expected.vendors)
    _compare_keyed(ctx, "load", {f"{w.resource} {w.week}": w for w in plan.loads}, expected.loads)
    _compare(ctx, "plan kpis", plan.kpis, expected.kpis)
    for pt in ctx.planned():
        deadline = task_deadline(pt)
        late = ctx.days.late_days(pt.end, deadline)
        if pt.plan.deadline != deadline or pt.plan.late_days != late:
            ctx.findings.add(
                "figures",
                pt.entity,
                f"records deadline {pt.plan.deadline} and {pt.plan.late_days} late day(s); "
                f"recomputed {deadline} and {late}",
            )
