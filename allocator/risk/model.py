"""What re-timing a plan needs, built once: each planned task's team, floors and sources.

A plan's decisions are kept: each task's mode and team, and the order of work on every
person, vendor and shared resource. Order is kept as *sequence edges*: task ``i`` before
task ``j`` on a resource they share whenever the plan has ``i`` finished by the time ``j``
starts. Two tasks the plan runs side by side stay free to overlap, two it runs one after
the other never do; since the tasks overlapping on a day in a sample then overlapped
pairwise in the plan, they overlapped all at once there (intervals), so no capacity,
headcount or concurrency limit the plan kept is broken by re-timing.

Time is the compiled problem's: timeline days, presence per person and day, the scenario
calendar's working days for contractors (``allocator/problem``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

from allocator.plan.assemble import schedule_from_plan
from allocator.problem.compile import compile_problem, horizon_date, topological_order
from allocator.problem.data import EFFORT_SCALE, Dep
from allocator.problem.overtime import overtime_allocation

if TYPE_CHECKING:
    from allocator.problem.data import Problem
    from allocator.problem.schedule import TaskChoice
    from models import Plan, Scenario

#: Point of a task a floor is taken from.
START, END = 0, 1
#: Windows of the planning window the re-timing timeline reaches past its end, for overruns.
EXTRA_WINDOWS = 3.0
#: Timeline days from a person's going (leaving, an open-ended absence) to someone carrying on their work.
HANDOVER_DAYS = 10

TaskKind = Literal["effort", "fixed", "milestone"]


@dataclass(frozen=True)
class Source:
    """A floor on a task: ``point`` (start or end) of task ``task`` plus ``lag`` days."""

    task: int
    point: int
    lag: int


@dataclass
class TaskShape:
    """One planned task as re-timing sees it.

    Attributes
    ----------
    floor
        Start no earlier than this timeline day: the task's earliest start, its team's
        first employed day and, unless early starts are allowed, the planned start.
    starts, ends
        Floors on the start (FS, SS dependencies and sequence edges) and on the end
        (FF, SF dependencies) from other tasks.
    cumulative
        Effort-driven tasks: effort units the team delivers before each timeline day.
    present
        Fixed-duration tasks: whether every person of the team is present on each day.
    work
        Planned work of the chosen mode: effort units, or working days.
    """

    index: int
    id: str
    project: str
    kind: TaskKind
    planned_start: int
    planned_end: int
    floor: int
    work: int
    people: dict[str, int]  #: person -> allocation percent
    vendors: dict[str, int]  #: vendor -> contractors
    skills: tuple[str, ...]  #: skills the chosen mode requires
    starts: list[Source] = field(default_factory=list)
    ends: list[Source] = field(default_factory=list)
    cumulative: np.ndarray | None = None
    present: np.ndarray | None = None


@dataclass
class RetimeModel:
    """Every planned task in an order where each task's sources come before it."""

    tasks: list[TaskShape]
    presence: dict[str, np.ndarray]  #: percent present per timeline day, by person
    contractor_days: np.ndarray  #: 1 on working days of the scenario calendar
    lead_days: dict[str, int]  #: first timeline day each vendor's contractors may work
    horizon: int

    def by_id(self) -> dict[str, TaskShape]:
        """Tasks by id."""
        return {task.id: task for task in self.tasks}


def risk_problem(scenario: Scenario, plan: Plan) -> Problem:
    """The scenario compiled on a timeline long enough for large overruns of ``plan``."""
    latest = max([scenario.end, *(tp.finish for tp in plan.tasks)])
    last = max(horizon_date(scenario, EXTRA_WINDOWS), latest + (latest - scenario.start) * 2)
    return compile_problem(scenario, last)


def build_model(problem: Problem, plan: Plan, early_starts: bool = False) -> RetimeModel:
    """The re-timing model of ``plan``.

    Parameters
    ----------
    problem
        The plan's scenario, compiled by :func:`risk_problem`.
    plan
        The plan whose modes, teams and order are kept.
    early_starts
        Let a task start before its planned start when what it waits for finishes early.
    """
    schedule = schedule_from_plan(problem, plan)
    contractor = np.diff(np.asarray(problem.vendor_prefix, dtype=np.int64)) // 100
    presence = {pid: handed_over(p.presence, p.end_day, contractor) for pid, p in problem.people.items()}
    planned = {tid: schedule[tid] for tid in problem.tasks if tid in schedule and schedule[tid].present}
    before = _sequence_pairs(problem, planned)
    order = _order(problem, list(planned), before)
    shapes = [
        _shape(problem, planned[tid], i, presence, contractor, early_starts) for i, tid in enumerate(order)
    ]
    index = {shape.id: shape.index for shape in shapes}
    for shape in shapes:
        _link(problem, shape, index)
        preds = sorted(index[pred] for pred in before.get(shape.id, ()) if index[pred] < shape.index)
        shape.starts.extend(Source(pred, END, 0) for pred in preds)
    leads = {vid: v.lead_day for vid, v in problem.vendors.items()}
    return RetimeModel(shapes, presence, contractor, leads, problem.horizon)


def handed_over(presence: list[int], end_day: int, working: np.ndarray) -> np.ndarray:
    """Presence per day, with a leaver's work carried on by someone else after a handover.

    Work that slips past a leaver's last day would otherwise never finish: re-timing keeps
    teams, it does not re-plan. From :data:`HANDOVER_DAYS` timeline days after the last
    day, the leaver's place is filled at their allocation on the scenario calendar.
    """
    days = np.asarray(presence, dtype=np.int64)
    resumed = end_day + HANDOVER_DAYS
    if resumed < len(days):
        days[resumed:] = 100 * working[resumed:]
    return days


def _order(problem: Problem, planned: list[str], before: dict[str, set[str]]) -> list[str]:
    """Planned tasks with dependency and sequence predecessors first."""
    known = set(planned)
    edges = [d for d in problem.deps if d.pred in known and d.succ in known]
    for succ, preds in before.items():
        edges.extend(Dep(pred, succ, "FS", 0) for pred in sorted(preds))
    try:
        return topological_order(planned, edges)
    except ValueError:  # the plan's order contradicts a dependency with a negative lag
        return planned


def _sequence_pairs(problem: Problem, choices: dict[str, TaskChoice]) -> dict[str, set[str]]:
    """For each task, the tasks planned before it on a person, vendor or shared resource it uses."""
    users: dict[str, list[str]] = {}
    for tid, choice in choices.items():
        if choice.end <= choice.start:
            continue  # a milestone occupies nothing
        mode = problem.tasks[tid].modes[choice.mode]
        renewable = [
            r for r, units in mode.resources.items() if units > 0 and not problem.resources[r].consumable
        ]
        for key in [*(f"p:{p}" for p in choice.people), *(f"v:{v}" for v in choice.vendors), *renewable]:
            users.setdefault(key, []).append(tid)
    before: dict[str, set[str]] = {}
    for tids in users.values():
        for succ in tids:
            start = choices[succ].start
            done = [pred for pred in tids if pred != succ and choices[pred].end <= start]
            if not done:
                continue
            # A predecessor that finished before another one started is implied through it.
            latest_start = max(choices[pred].start for pred in done)
            before.setdefault(succ, set()).update(p for p in done if choices[p].end > latest_start)
    return before


def _shape(
    problem: Problem,
    choice: TaskChoice,
    index: int,
    presence: dict[str, np.ndarray],
    contractor: np.ndarray,
    early_starts: bool,
) -> TaskShape:
    task = problem.tasks[choice.task]
    mode = task.modes[choice.mode]
    people = {pid: allocation for pid, (allocation, _) in choice.people.items()}
    vendors = {vid: sum(counts.values()) for vid, counts in choice.vendors.items()}
    floor = max([task.earliest, *(problem.people[p].first_day for p in people)])
    if not early_starts:
        floor = max(floor, choice.start)
    if mode.effort is not None:
        kind: TaskKind = "effort"
        work = mode.effort
    else:
        kind = "fixed" if mode.duration else "milestone"
        work = mode.duration or 0
    shape = TaskShape(
        index=index,
        id=choice.task,
        project=task.project,
        kind=kind,
        planned_start=choice.start,
        planned_end=choice.end,
        floor=floor,
        work=work,
        people=people,
        vendors=vendors,
        skills=tuple(r.skill for r in mode.requirements),
    )
    if kind == "effort":
        # A booking with overtime keeps delivering at its overtime rate when re-timed.
        rates = {
            pid: allocation + overtime_allocation(problem, choice, pid) for pid, allocation in people.items()
        }
        shape.cumulative = team_cumulative(rates, vendors, presence, contractor)
    elif kind == "fixed":
        shape.present = team_present(people, presence, len(contractor))
    return shape


def team_cumulative(
    people: dict[str, int], vendors: dict[str, int], presence: dict[str, np.ndarray], contractor: np.ndarray
) -> np.ndarray:
    """Effort units a team delivers before each timeline day (length ``horizon + 1``).

    A person delivers ``allocation x presence`` units a day (``EFFORT_SCALE`` for a full
    day at 100 %), a contractor ``EFFORT_SCALE`` on each working day of the scenario calendar.
    """
    rate = EFFORT_SCALE * sum(vendors.values()) * contractor
    for pid, allocation in people.items():
        rate = rate + allocation * presence[pid]
    return np.concatenate(([0], np.cumsum(rate, dtype=np.int64)))


def team_present(people: dict[str, int], presence: dict[str, np.ndarray], horizon: int) -> np.ndarray:
    """Whether every person of the team is present on each timeline day."""
    present = np.ones(horizon, dtype=bool)
    for pid in people:
        present &= presence[pid] > 0
    return present


def _link(problem: Problem, shape: TaskShape, index: dict[str, int]) -> None:
    """Dependency floors of ``shape`` (planning rules: FS, SS on the start; FF, SF on the end)."""
    for dep in problem.preds(shape.id):
        if dep.pred not in index:
            continue  # a deferred predecessor imposes nothing
        pred = index[dep.pred]
        if dep.kind == "FS":
            shape.starts.append(Source(pred, END, dep.lag))
        elif dep.kind == "SS":
            shape.starts.append(Source(pred, START, dep.lag))
        elif dep.kind == "FF":
            shape.ends.append(Source(pred, END, dep.lag))
        else:
            shape.ends.append(Source(pred, START, dep.lag))
