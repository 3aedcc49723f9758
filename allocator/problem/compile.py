"""Compile a scenario into the integer-time problem of :mod:`allocator.problem.data`.

Everything the CP formulation and the constructive heuristic need is resolved here,
once: timeline days, presence of each person on each day (with prefix sums), eligible
people and vendors per task mode, windows from earliest starts and hard deadlines, and
money in integer units. Ineligible pairs never become variables.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from allocator.problem.calendar import Timeline, prefix_sums
from allocator.problem.data import (
    EFFORT_SCALE,
    MONEY_SCALE,
    RATE_SCALE,
    Dep,
    ModeData,
    PersonData,
    Problem,
    ProjectData,
    ResourceData,
    StartDays,
    TaskData,
    VendorData,
)
from allocator.problem.overtime import overtime_data

if TYPE_CHECKING:
    from models import Mode, Person, Project, Requirement, Scenario, Task, Vendor


def horizon_date(scenario: Scenario, extra_windows: float = 1.0) -> dt.date:
    """Last date of the timeline: the latest of the window end and every deadline, plus room."""
    last = scenario.end
    for project, task in scenario.tasks():
        for day in (project.deadline, task.deadline, task.earliest_start, project.earliest_start):
            if day and day > last:
                last = day
    room = max(28, int((scenario.end - scenario.start).days * extra_windows))
    return last + dt.timedelta(days=room)


def compile_problem(scenario: Scenario, last: dt.date | None = None) -> Problem:
    """Resolve ``scenario`` into a :class:`Problem` whose timeline runs to ``last``."""
    timeline = Timeline(scenario, last or horizon_date(scenario))
    horizon = len(timeline)
    classes: dict[tuple[int, ...], int] = {}
    prefixes: list[list[int]] = []
    people = {}
    for index, person in enumerate(scenario.people):
        presence = timeline.availability(scenario, person)
        key = tuple(presence)
        if key not in classes:
            classes[key] = len(prefixes)
            prefixes.append(prefix_sums(presence))
        people[person.id] = _person(scenario, person, index, presence, classes[key], timeline)
    vendor_presence = [100 if worked else 0 for worked in timeline.working_days(scenario.calendar)]
    vendors = {v.id: _vendor(v) for v in scenario.vendors}
    resources = {r.id: ResourceData(r.id, r.capacity, r.kind == "consumable") for r in scenario.resources}
    deps = [
        Dep(dep.task, task.id, dep.type.value, dep.lag) for _, task in scenario.tasks() for dep in task.after
    ]
    tasks = {
        task.id: _task(scenario, project, task, timeline, horizon, people, vendors)
        for project, task in scenario.tasks()
    }
    ordered = {tid: tasks[tid] for tid in topological_order(list(tasks), deps)}
    projects = {p.id: _project(p, timeline) for p in scenario.projects}
    return Problem(
        scenario=scenario,
        timeline=timeline,
        horizon=horizon,
        people=people,
        vendors=vendors,
        resources=resources,
        projects=projects,
        tasks=ordered,
        deps=deps,
        presence_prefix=prefixes,
        vendor_prefix=prefix_sums(vendor_presence),
    )


def topological_order(task_ids: list[str], deps: list[Dep]) -> list[str]:
    """Task ids with every predecessor before its successors (file order otherwise)."""
    succs: dict[str, list[str]] = {t: [] for t in task_ids}
    indegree = dict.fromkeys(task_ids, 0)
    for dep in deps:
        if dep.pred in succs and dep.succ in indegree:
            succs[dep.pred].append(dep.succ)
            indegree[dep.succ] += 1
    ready = [t for t in task_ids if indegree[t] == 0]
    order: list[str] = []
    while ready:
        current = ready.pop(0)
        order.append(current)
        for nxt in succs[current]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    if len(order) != len(task_ids):
        raise ValueError("dependency cycle among tasks")
    return order


def _person(
    scenario: Scenario, person: Person, index: int, presence: list[int], cls: int, timeline: Timeline
) -> PersonData:
    first = timeline.day_on_or_after(person.start) if person.start else 0
    end = timeline.day_on_or_before(person.end) + 1 if person.end else len(timeline)
    rate = round(person.cost_per_day * RATE_SCALE)
    return PersonData(
        id=person.id,
        index=index,
        capacity=person.capacity_pct,
        presence=presence,
        presence_class=cls,
        first_day=first,
        end_day=end,
        cost_per_day=rate,
        max_concurrent=person.max_concurrent_tasks,
        skills=dict(person.skills),
        overtime=overtime_data(person, scenario.calendar, rate),
    )


def _vendor(vendor: Vendor) -> VendorData:
    return VendorData(
        id=vendor.id,
        headcount=vendor.headcount,
        day_rate=round(vendor.day_rate * RATE_SCALE),
        lead_day=vendor.lead_time_days,
        min_days=vendor.min_engagement_days,
        spend_cap=None if vendor.spend_cap is None else round(vendor.spend_cap * MONEY_SCALE),
        skills=dict(vendor.skills),
    )


def _project(project: Project, timeline: Timeline) -> ProjectData:
    soft = None
    if project.deadline and project.deadline_type == "soft":
        soft = timeline.day_on_or_before(project.deadline) + 1
    return ProjectData(
        id=project.id,
        priority=project.priority,
        candidate=project.status == "candidate",
        value=round(project.value),
        soft_end=soft,
        budget=None if project.budget is None else round(project.budget * MONEY_SCALE),
        tasks=[t.id for t in project.tasks],
    )


def _task(
    scenario: Scenario,
    project: Project,
    task: Task,
    timeline: Timeline,
    horizon: int,
    people: dict[str, PersonData],
    vendors: dict[str, VendorData],
) -> TaskData:
    earliest = max(
        (timeline.day_on_or_after(d) for d in (task.earliest_start, project.earliest_start) if d),
        default=0,
    )
    resolved = task.resolved_modes(scenario.allocations)
    if all(mode.duration == 0 for mode in resolved):
        earliest += 1  # a milestone is reached at the end of a day: S == E >= 1
    latest_end = horizon
    for deadline, kind in ((task.deadline, task.deadline_type), (project.deadline, project.deadline_type)):
        if deadline and kind == "hard":
            latest_end = min(latest_end, timeline.day_on_or_before(deadline) + 1)
    soft_end = None
    if task.deadline and task.deadline_type == "soft":
        soft_end = timeline.day_on_or_before(task.deadline) + 1
    modes = [
        _mode(task, index, mode, earliest, latest_end, people, vendors) for index, mode in enumerate(resolved)
    ]
    return TaskData(
        id=task.id,
        project=project.id,
        modes=modes,
        earliest=earliest,
        latest_end=latest_end,
        soft_end=soft_end,
        priority=project.priority,
        pinned=task.pinned,
        preferred=task.preferred,
        optional=project.status == "candidate",
    )


def _mode(
    task: Task,
    index: int,
    mode: Mode,
    earliest: int,
    latest_end: int,
    people: dict[str, PersonData],
    vendors: dict[str, VendorData],
) -> ModeData:
    assert mode.team is not None and mode.allocations is not None and mode.requires is not None
    data = ModeData(
        task=task.id,
        index=index,
        name=mode.name,
        effort=None if mode.effort is None else round(mode.effort * EFFORT_SCALE),
        duration=mode.duration,
        requirements=mode.requires,
        team_min=mode.team.min,
        team_max=mode.team.max,
        allocations=tuple(sorted(set(mode.allocations))),
        resources=dict(mode.resources or {}),
        vendor_policy=mode.vendor or "allowed",
        cost=round(mode.cost * MONEY_SCALE),
    )
    if data.team_max == 0:
        return data
    if data.vendor_policy != "only":
        for person in _skilled(data.requirements, people):
            _add_person(data, task, person, earliest, latest_end)
    if data.vendor_policy != "never":
        for vendor in vendors.values():
            covers = _covers(data.requirements, vendor.skills)
            if covers is not None and vendor.headcount > 0:
                data.vendors.append(vendor.id)
                data.vendor_covers[vendor.id] = covers
    return data


def _skilled(requirements: tuple[Requirement, ...], people: dict[str, PersonData]) -> list[PersonData]:
    """People holding at least one required skill (everyone when nothing is required), in order."""
    if not requirements:
        return list(people.values())
    skills = {r.skill for r in requirements}
    return [p for p in people.values() if not skills.isdisjoint(p.skills)]


def _covers(requirements: tuple[Requirement, ...], skills: dict[str, int]) -> tuple[int, ...] | None:
    """Indices of the requirements the skills meet; ``None`` when none (any, if there are none)."""
    if not requirements:
        return ()
    covers = tuple(i for i, r in enumerate(requirements) if skills.get(r.skill, 0) >= r.level)
    return covers or None


def _add_person(data: ModeData, task: Task, person: PersonData, earliest: int, latest_end: int) -> None:
    if person.id in task.excluded:
        return
    covers = _covers(data.requirements, person.skills)
    levels = tuple(a for a in data.allocations if a <= person.capacity)
    if covers is None or not levels:
        return
    first, end = max(earliest, person.first_day), min(latest_end, person.end_day)
    if data.duration is not None:
        starts = _present_starts(person, data.duration, first, end)
        if not starts:
            return
        data.starts[person.id] = starts
    elif end <= first:
        return
    data.people.append(person.id)
    data.levels[person.id] = levels
    data.covers[person.id] = covers


def _present_starts(person: PersonData, duration: int, first: int, end: int) -> StartDays:
    """Start days in ``[first, end - duration]`` from which ``person`` is present on every day of the task.

    A window of ``duration > 0`` days fits in a run ``[a, b)`` of presence when it starts in
    ``[a, b - duration]``; a zero-day window needs no presence, so every day qualifies.
    """
    if duration == 0:
        return StartDays(((first, end),) if first <= end else ())
    intervals = []
    for run_start, run_end in person.present_runs:
        low, high = max(run_start, first), min(run_end, end) - duration
        if low <= high:
            intervals.append((low, high))
    return StartDays(tuple(intervals))
