"""The compiled problem: a scenario in integer time, as the optimiser sees it.

Plain dataclasses filled once by :func:`allocator.problem.compile.compile_problem`:
timeline days, presence of each person on each day (with prefix sums), eligible people
and vendors per task mode, windows from earliest starts and hard deadlines, and money in
integer units. Construction, the CP formulation and the search read only these.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from allocator.problem.calendar import Timeline
    from allocator.problem.schedule import Schedule
    from models import Requirement, Scenario

#: Effort units per person-day: allocation percent x presence percent.
EFFORT_SCALE = 10_000
#: Money units per currency unit: day rates are kept in cents, and a staff cost is
#: rate x allocation percent x days, so one currency unit is 100 x 100 money units.
MONEY_SCALE = 10_000
#: Rate units per currency unit (cents).
RATE_SCALE = 100


@dataclass(frozen=True)
class OvertimeData:
    """Overtime terms of a person in integer form (see :mod:`allocator.problem.overtime`).

    A booking with overtime of ``units`` effort units at contract (allocation percent x
    presence percent) delivers ``units x (1 + share_hours / week_hours)`` units.
    """

    share_hours: int  #: overtime hours per week, in hundredths of an hour
    week_hours: int  #: hours of the contract week, in hundredths of an hour
    weekdays: int  #: working weekdays per week (contract days the week's hours spread over)
    cost_num: int  #: overtime money units per effort unit: ``cost_num / cost_den``
    cost_den: int
    max_units: int | None  #: most effort units at contract booked with overtime, over the plan


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
    overtime: OvertimeData | None = None  #: only for people allowed overtime

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
    overtime_units: dict[str, int] = field(default_factory=dict)  #: per person, towards the cap
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
        #: per presence class, the most presence (x100) on any one day
        self.presence_peak = [
            max((high - low for low, high in itertools.pairwise(prefix)), default=0)
            for prefix in self.presence_prefix
        ]
        for dep in self.deps:
            self._preds.setdefault(dep.succ, []).append(dep)
            self._succs.setdefault(dep.pred, []).append(dep)


def predecessor_floors(deps: Iterable[Dep], schedule: Schedule) -> tuple[int, int]:
    """Lower bounds the planned predecessors in ``schedule`` put on a successor.

    Returns the earliest start (from finish-to-start and start-to-start dependencies) and
    the earliest end (from finish-to-finish and start-to-finish ones); 0 where none
    applies. Predecessors missing from ``schedule`` or not planned impose nothing.
    """
    start, end = 0, 0
    for dep in deps:
        pred = schedule.get(dep.pred)
        if pred is None or not pred.present:
            continue
        if dep.kind == "FS":
            start = max(start, pred.end + dep.lag)
        elif dep.kind == "SS":
            start = max(start, pred.start + dep.lag)
        elif dep.kind == "FF":
            end = max(end, pred.end + dep.lag)
        else:
            end = max(end, pred.start + dep.lag)
    return start, end
