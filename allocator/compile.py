"""Compile a scenario into an integer-time scheduling problem.

Everything the CP formulation and the constructive heuristic need is resolved here,
once: timeline days, presence of each person on each day (with prefix sums),
eligible people and vendors per task mode, windows from earliest starts and hard
deadlines, and money in integer units. Ineligible pairs never become variables.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.calendar import Timeline, prefix_sums

if TYPE_CHECKING:
    from allocator.schedule import Schedule
    from models import Mode, Person, Project, Requirement, Scenario, Task, Vendor

#: Effort units per person-day: allocation percent x presence percent.
EFFORT_SCALE = 10_000
#: Money units per currency unit: day rates are kept in cents, and a staff cost is
#: rate x allocation percent x days, so one currency unit is 100 x 100 money units.
MONEY_SCALE = 10_000
#: Rate units per currency unit (cents).
RATE_SCALE = 100


@dataclass
class PersonData:
    """A person in integer time."""

    id: str
    index: int
    capacity: int  #: percent of a full-time day available for projects
    presence: list[int]  #: percent present per timeline day
    presence_class: int  #: index into :attr:`Problem.presence_prefix` (shared by equal calendars)
    first_day: int  #: first timeline day employed
    end_day: int  #: one past the last timeline day employed
    cost_per_day: int  #: cents
    max_concurrent: int | None
    skills: dict[str, int]
    present_runs: list[tuple[int, int]] = field(default_factory=list)  #: maximal ``[start, end)`` present

    def __post_init__(self) -> None:
        self.present_runs = _present_runs(self.presence)


def _present_runs(presence: list[int]) -> list[tuple[int, int]]:
    """Maximal runs ``[start, end)`` of consecutive days with some presence, in order."""
    runs: list[tuple[int, int]] = []
    run_start: int | None = None
    for day, percent in enumerate(presence):
        if percent and run_start is None:
            run_start = day
        elif not percent and run_start is not None:
            runs.append((run_start, day))
            run_start = None
    if run_start is not None:
        runs.append((run_start, len(presence)))
    return runs


@dataclass(frozen=True)
class StartDays:
    """Feasible start days as sorted, disjoint, non-adjacent closed intervals ``[(first, last), ...]``.

    Both ends are included (as in :meth:`ortools.sat.python.cp_model.Domain.from_intervals`).
    A set of days that is mostly whole runs stays small whatever the length of the horizon.
    """

    intervals: tuple[tuple[int, int], ...] = ()
    _firsts: tuple[int, ...] = field(init=False, repr=False, compare=False)  #: first day of each interval

    def __post_init__(self) -> None:
        object.__setattr__(self, "_firsts", tuple(first for first, _ in self.intervals))

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, int):
            return False
        at = self._last_starting_by(day)
        return at >= 0 and self.intervals[at][1] >= day

    def __bool__(self) -> bool:
        return bool(self.intervals)

    def first_from(self, day: int) -> int | None:
        """The earliest start day on or after ``day``; ``None`` when there is none."""
        at = self._last_starting_by(day)
        if at >= 0 and self.intervals[at][1] >= day:
            return day
        return self.intervals[at + 1][0] if at + 1 < len(self.intervals) else None

    def _last_starting_by(self, day: int) -> int:
        """Index of the last interval whose first day is at most ``day`` (-1 when none)."""
        return bisect.bisect_right(self._firsts, day) - 1

    def days(self) -> list[int]:
        """Every start day, in order (for tests and small sets)."""
        return [day for first, last in self.intervals for day in range(first, last + 1)]


@dataclass
class VendorData:
    """A vendor pool in integer time."""

    id: str
    headcount: int
    day_rate: int  #: cents per contractor-day
    lead_day: int
    min_days: int
    spend_cap: int | None  #: money units
    skills: dict[str, int]


@dataclass
class ModeData:
    """One way of doing a task, with its eligible people and vendors."""

    task: str
    index: int
    name: str
    effort: int | None  #: effort units (``EFFORT_SCALE`` per person-day)
    duration: int | None  #: timeline days, fixed-duration modes
    requirements: tuple[Requirement, ...]
    team_min: int
    team_max: int
    allocations: tuple[int, ...]
    resources: dict[str, int]
    vendor_policy: str
    cost: int  #: money units
    people: list[str] = field(default_factory=list)
    levels: dict[str, tuple[int, ...]] = field(default_factory=dict)  #: usable allocations per person
    covers: dict[str, tuple[int, ...]] = field(default_factory=dict)  #: requirement indices per person
    vendors: list[str] = field(default_factory=list)
    vendor_covers: dict[str, tuple[int, ...]] = field(default_factory=dict)
    starts: dict[str, StartDays] = field(default_factory=dict)  #: fixed-duration start days per person

    @property
    def is_effort(self) -> bool:
        """Whether the mode is effort-driven."""
        return self.effort is not None


@dataclass
class Dep:
    """A dependency in integer form."""

    pred: str
    succ: str
    kind: str
    lag: int


@dataclass
class TaskData:
    """A task in integer time."""

    id: str
    project: str
    modes: list[ModeData]
    earliest: int  #: earliest start day
    latest_end: int  #: latest end (exclusive) from hard deadlines, else the horizon
    soft_end: int | None  #: soft deadline as an exclusive end day
    priority: int
    pinned: tuple[str, ...]
    preferred: tuple[str, ...]
    optional: bool  #: belongs to a candidate project
    latest_start: int | None = None  #: from fixed successors in a restricted problem
    end_floor: int = 0  #: from fixed predecessors in a restricted problem


@dataclass
class ProjectData:
    """A project in integer time."""

    id: str
    priority: int
    candidate: bool
    value: int
    soft_end: int | None
    budget: int | None  #: money units
    tasks: list[str]


@dataclass
class ResourceData:
    """A shared resource."""

    id: str
    capacity: int
    consumable: bool


Segment = tuple[int, int, int]  #: ``(start, end, amount)`` over timeline days ``[start, end)``


@dataclass
class FixedWork:
    """Work held fixed around a restricted problem (a neighbourhood of a larger one).

    A full problem has none. In a restricted problem, the tasks outside the
    neighbourhood keep their decisions and appear here only as what they occupy.
    """

    person_load: dict[str, list[Segment]] = field(default_factory=dict)  #: allocation percent
    vendor_use: dict[str, list[Segment]] = field(default_factory=dict)  #: contractors
    vendor_days: dict[str, int] = field(default_factory=dict)  #: contractor-days x100
    resource_use: dict[str, list[Segment]] = field(default_factory=dict)
    consumed: dict[str, int] = field(default_factory=dict)
    project_end: dict[str, int] = field(default_factory=dict)
    project_cost: dict[str, int] = field(default_factory=dict)  #: money units, for budgets
    makespan: int = 0


@dataclass
class Problem:
    """The integer scheduling problem compiled from a scenario."""

    scenario: Scenario
    timeline: Timeline
    horizon: int
    people: dict[str, PersonData]
    vendors: dict[str, VendorData]
    resources: dict[str, ResourceData]
    projects: dict[str, ProjectData]
    tasks: dict[str, TaskData]  #: in topological order of dependencies
    deps: list[Dep]
    presence_prefix: list[list[int]]  #: prefix sums of presence per presence class
    vendor_prefix: list[int]  #: prefix sums of scenario-calendar working days (100 per day)
    baseline: Schedule | None = None  #: the plan being re-planned, on this timeline
    frozen: set[str] = field(default_factory=set)  #: tasks that keep the baseline's decisions
    fixed: FixedWork = field(default_factory=FixedWork)  #: work outside a neighbourhood

    def preds(self, task: str) -> list[Dep]:
        """Dependencies whose successor is ``task``."""
        return self._preds.get(task, [])

    def succs(self, task: str) -> list[Dep]:
        """Dependencies whose predecessor is ``task``."""
        return self._succs.get(task, [])

    def __post_init__(self) -> None:
        self._preds: dict[str, list[Dep]] = {}
        self._succs: dict[str, list[Dep]] = {}
        for dep in self.deps:
            self._preds.setdefault(dep.succ, []).append(dep)
            self._succs.setdefault(dep.pred, []).append(dep)


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
        people[person.id] = _person(person, index, presence, classes[key], timeline)
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


def _person(person: Person, index: int, presence: list[int], cls: int, timeline: Timeline) -> PersonData:
    first = timeline.day_on_or_after(person.start) if person.start else 0
    end = timeline.day_on_or_before(person.end) + 1 if person.end else len(timeline)
    return PersonData(
        id=person.id,
        index=index,
        capacity=person.capacity_pct,
        presence=presence,
        presence_class=cls,
        first_day=first,
        end_day=end,
        cost_per_day=round(person.cost_per_day * RATE_SCALE),
        max_concurrent=person.max_concurrent_tasks,
        skills=dict(person.skills),
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
