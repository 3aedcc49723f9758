"""The planted plan's schedule: a dense list schedule that fixes efforts and links as it goes.

:func:`plant_schedule` walks the timeline of a compiled problem (without dependencies)
day by day, as a parallel schedule-generation scheme does. Each project's tasks sit in
the generator's layers, and each task keeps the generator's number and kinds of links to
the layer before (finish-to-start with or without a lag, start-to-start with a lag,
finish-to-finish); *which* tasks of that layer it follows is chosen as the schedule
runs, among those already far enough along, so the links hold by construction. Each day:

- running effort-driven tasks end: at their longest window; at their planned length
  when the next layer of their project still waits; from their shortest on when their
  people are wanted by waiting work. Fixed-duration windows end after their duration;
- ready tasks, the earliest ready first, take free qualified people (each person on one
  task at a time, at the highest allocation level their capacity allows); a task that
  waited :data:`PATIENCE` days holds the people it found; a plain task that still has no
  team after :data:`REDRAW_WAIT` days goes to an idle person, with a requirement of their
  best skill;
- idle qualified people join the tasks that started today, up to the team maximum.

Effort is not read from the problem: an effort-driven task runs for about ``factor``
times its planned working days (between :data:`SHORTEST_SHARE` and
:data:`LONGEST_SHARE` of that), and its effort is then what its team delivered
(:func:`planted_efforts`). Milestones come last, after every task of their project that
nothing else follows. Only people are used, never contractors; renewable shared
resources are respected on every day. The result is handed to the product's own code
(``assemble_plan``, the checker) to date and verify.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.plan.assemble import delivered
from allocator.problem.data import EFFORT_SCALE
from allocator.problem.schedule import Schedule, TaskChoice

if TYPE_CHECKING:
    from allocator.problem.data import ModeData, Problem, TaskData

#: Shortest window, as a share of the planned length, after which a task may end to
#: release the next layer or free its people for waiting work.
SHORTEST_SHARE = 0.8
#: Longest window, as a share of the planned length, while nothing waits for the task.
LONGEST_SHARE = 2.0
#: Days a ready task waits before it holds the free people it could use.
PATIENCE = 3
#: Days a ready task waits for a qualified team before idle people take it over.
REDRAW_WAIT = 1
#: Working days a leaver's employment must run past a task's longest window.
LEAVER_MARGIN = 5
#: Least effort a planted effort-driven task delivers, in effort units (half a person-day).
LEAST_EFFORT = EFFORT_SCALE // 2

#: A link to the layer before: dependency kind (``FS``, ``SS``, ``FF``) and lag in days.
Link = tuple[str, int]


class PlantingError(RuntimeError):
    """The planted schedule could not be completed or does not verify (a bug)."""


@dataclass(frozen=True)
class TaskShape:
    """Where a task sits in its project: its layer and the links it needs to the layer before."""

    project: str
    layer: int
    links: tuple[Link, ...] = ()
    milestone: bool = False


@dataclass
class Planting:
    """A planted schedule, the links it chose and the requirements it gave to idle people."""

    schedule: Schedule
    after: dict[str, list[tuple[str, str, int]]]  #: task -> (predecessor, kind, lag)
    redrawn: dict[str, tuple[str, int]]  #: task -> (skill, level) of its one requirement
    capacities: dict[str, int]  #: units of each shared resource the schedule respects


def plant_schedule(
    problem: Problem,
    shapes: dict[str, TaskShape],
    window_days: dict[str, float],
    factor: float,
    seed: int,
    capacities: dict[str, int] | None = None,
) -> Planting:
    """A complete schedule of ``problem`` by day-by-day list scheduling.

    Parameters
    ----------
    problem
        The compiled problem, without dependencies (its effort values are ignored).
    shapes
        Layer and links of every task (milestones flagged).
    window_days
        Planned working days of each effort-driven task, before ``factor``.
    factor
        Scale of every effort-driven window.
    seed
        Breaks ties between equally good people and chooses the linked tasks.
    capacities
        Units of each renewable shared resource to respect (default: the problem's).

    Returns
    -------
    Planting
        Every task placed, people only, each person on at most one task a day.

    Raises
    ------
    PlantingError
        When some task is still unplaced at the end of the horizon.
    """
    planter = _Planter(problem, shapes, window_days, factor, random.Random(seed))
    planter.capacities = {rid: r.capacity for rid, r in problem.resources.items()} | (capacities or {})
    planter.run()
    return Planting(planter.state.schedule, planter.after, planter.redrawn, planter.capacities)


def planted_efforts(problem: Problem, schedule: Schedule) -> dict[str, float]:
    """Effort of each effort-driven task: what its team delivers in its window, in person-days,
    rounded down to a half day."""
    efforts = {}
    for tid, choice in schedule.items():
        if problem.tasks[tid].modes[choice.mode].duration is None:
            units = delivered(problem, choice, choice.end)
            if units < LEAST_EFFORT:
                raise PlantingError(f"task {tid} delivers less than half a day in its planted window")
            efforts[tid] = (2 * units // EFFORT_SCALE) / 2
    return efforts


@dataclass
class _Running:
    """An effort-driven task under way: when it may end, and when it must."""

    choice: TaskChoice
    shortest_end: int
    planned_end: int
    longest_end: int
    must_end: int  #: employment end of the team: never later


@dataclass
class _Ready:
    """A task whose links are chosen: it may start from ``since``."""

    tid: str
    since: int
    key: tuple[int, float, int]  #: (day it may start, minus its tail of work, file order)


@dataclass
class _State:
    """Bookings so far, day by day."""

    schedule: Schedule = field(default_factory=dict)
    free: set[str] = field(default_factory=set)
    free_since: dict[str, int] = field(default_factory=dict)
    running: dict[str, _Running] = field(default_factory=dict)
    fixed_end: dict[str, int] = field(default_factory=dict)  #: fixed-duration tasks under way
    ended: set[str] = field(default_factory=set)
    resources: dict[str, int] = field(default_factory=dict)  #: units in use today
    pending: dict[str, list[list[str]]] = field(default_factory=dict)  #: project -> layer -> not ready
    ready: dict[str, _Ready] = field(default_factory=dict)
    started_today: list[str] = field(default_factory=list)
    held: set[str] = field(default_factory=set)  #: free people kept for a long-waiting task


class _Planter:
    """One run of the list schedule."""

    def __init__(
        self,
        problem: Problem,
        shapes: dict[str, TaskShape],
        window_days: dict[str, float],
        factor: float,
        rng: random.Random,
    ) -> None:
        self.problem, self.shapes, self.window_days, self.factor = problem, shapes, window_days, factor
        self.rng = rng
        self.state = _State(free=set(problem.people))
        self.order = {tid: index for index, tid in enumerate(problem.tasks)}
        self.tiebreak = {pid: rng.random() for pid in problem.people}
        self.layers = _layers(shapes)
        self.tail = _tail_lengths(problem, shapes, self.layers, window_days)
        self.requirement_order: dict[tuple[str, int], list[int]] = {}
        self.after: dict[str, list[tuple[str, str, int]]] = {}
        self.redrawn: dict[str, tuple[str, int]] = {}
        self.reached: dict[str, int] = {}  #: deepest layer with a started task, per project
        self.capacities: dict[str, int] = {}  #: units of each shared resource

    def run(self) -> None:
        state = self.state
        for (project, layer), tasks in self.layers.items():
            layers = state.pending.setdefault(project, [])
            layers.extend([] for _ in range(layer + 1 - len(layers)))
            layers[layer] = list(tasks)
        work = sum(len(tasks) for tasks in self.layers.values())
        for day in range(self.problem.horizon):
            self._day(day)
            if len(state.ended) == work:
                self._place_milestones()
                return
        missing = sorted(
            tid for tid, shape in self.shapes.items() if tid not in state.ended and not shape.milestone
        )
        raise PlantingError(
            f"no planted place within the horizon for {len(missing)} tasks, e.g. {missing[0]}"
        )

    # --- one day -------------------------------------------------------------------

    def _day(self, day: int) -> None:
        self.state.started_today = []
        self._end_fixed(day)
        self._end_effort(day, wanted=None)
        self._release(day)
        self._place_ready(day)
        self._end_effort(day, wanted=self._wanted(day))
        self._release(day)
        self._place_ready(day)
        self._redraw_waiting(day)
        self._finish_teams(day)

    def _end_fixed(self, day: int) -> None:
        for tid, end in list(self.state.fixed_end.items()):
            if end <= day:
                del self.state.fixed_end[tid]
                self._close(tid)

    def _end_effort(self, day: int, wanted: dict[str, int] | None) -> None:
        """End the tasks due today: at their longest; at their planned length when the next layer
        of their project waits; from their shortest on when ``wanted`` people are on them."""
        for tid, run in list(self.state.running.items()):
            if day < run.shortest_end and day < run.must_end:
                continue
            if delivered(self.problem, run.choice, day) < LEAST_EFFORT and day < run.must_end:
                continue
            wanted_here = wanted is not None and any(
                self._is_wanted(pid, wanted) for pid in run.choice.people
            )
            due = day >= run.planned_end and self._next_layer_waits(tid)
            if day >= run.longest_end or day >= run.must_end or due or wanted_here:
                run.choice.end = day
                del self.state.running[tid]
                self._close(tid)

    def _next_layer_waits(self, tid: str) -> bool:
        shape = self.shapes[tid]
        layers = self.state.pending[shape.project]
        return shape.layer + 1 < len(layers) and bool(layers[shape.layer + 1])

    def _is_wanted(self, pid: str, wanted: dict[str, int]) -> bool:
        skills = self.problem.people[pid].skills
        return any(skills.get(skill, 0) >= level for skill, level in wanted.items())

    def _wanted(self, day: int) -> dict[str, int]:
        """Per skill, the lowest level a ready task that found no team asks for."""
        wanted: dict[str, int] = {}
        for ready in self.state.ready.values():
            if ready.since > day:
                continue
            for requirement in self.problem.tasks[ready.tid].modes[0].requirements:
                wanted[requirement.skill] = min(wanted.get(requirement.skill, 9), requirement.level)
        return wanted

    def _close(self, tid: str) -> None:
        """``tid`` has ended: free its team and its resources."""
        choice = self.state.schedule[tid]
        self.state.free.update(choice.people)
        for pid in choice.people:
            self.state.free_since[pid] = choice.end
        mode = self.problem.tasks[tid].modes[choice.mode]
        for rid, units in mode.resources.items():
            self.state.resources[rid] -= units
        self.state.ended.add(tid)

    # --- links: which tasks of the layer before a task follows -----------------------

    def _release(self, day: int) -> None:
        """Make ready every pending task whose links can all be met from ``day``.

        Only the layers up to one past the deepest layer with a started task can have
        their links met, so only those are looked at.
        """
        for project, layers in self.state.pending.items():
            deepest = self.reached.get(project, -1)
            for layer in range(min(deepest + 2, len(layers))):
                for tid in list(layers[layer]):
                    if day < self.problem.tasks[tid].earliest:
                        continue
                    chosen = self._choose_links(self.shapes[tid], day)
                    if chosen is None:
                        continue
                    layers[layer].remove(tid)
                    self.after[tid] = chosen
                    self.state.ready[tid] = _Ready(tid, day, (day, -self.tail[tid], self.order[tid]))

    def _choose_links(self, shape: TaskShape, day: int) -> list[tuple[str, str, int]] | None:
        """Distinct tasks of the layer before meeting each link by ``day``; ``None`` if some cannot."""
        before = self.layers.get((shape.project, shape.layer - 1), [])
        chosen: list[tuple[str, str, int]] = []
        for kind, lag in shape.links:
            taken = {pred for pred, _, _ in chosen}
            able = [t for t in before if t not in taken and self._link_holds(t, kind, lag, day)]
            if not able:
                return None
            chosen.append((self.rng.choice(able), kind, lag))
        return chosen

    def _link_holds(self, pred: str, kind: str, lag: int, day: int) -> bool:
        """Whether a successor starting on ``day`` (and ending later) meets the link to ``pred``."""
        choice = self.state.schedule.get(pred)
        if choice is None:
            return False
        if kind == "SS":
            return choice.start + lag <= day
        return pred in self.state.ended and choice.end + lag <= day

    # --- placing ---------------------------------------------------------------------

    def _place_ready(self, day: int) -> None:
        """Place every ready task, the earliest ready first, until none can start today.

        A task that has waited :data:`PATIENCE` days and still finds no team holds the free
        people it could use, so later tasks cannot take them one at a time for ever.
        """
        self.state.held = set()
        for ready in sorted(self.state.ready.values(), key=lambda r: r.key):
            if not self._try_place(ready, day) and day - ready.since >= PATIENCE:
                self._hold(ready, day)

    def _hold(self, ready: _Ready, day: int) -> None:
        """Keep the people a long-waiting task found, short of a full team, from later tasks."""
        for mode in self.problem.tasks[ready.tid].modes:
            if mode.vendor_policy == "only" or not self._resources_free(mode):
                continue
            found: dict[str, tuple[int, int]] = {}
            for index in self._scarce_first(mode):
                for _ in range(mode.requirements[index].people):
                    pid = self._best_person(mode, index, day, found)
                    if pid is not None:
                        found[pid] = (0, index)
            self.state.held.update(found)
            return

    def _try_place(self, ready: _Ready, day: int) -> bool:
        task = self.problem.tasks[ready.tid]
        for mode in task.modes:
            if mode.vendor_policy == "only" or not self._resources_free(mode):
                continue
            team = self._team(mode, day)
            if team is not None:
                self._start(task, mode, day, team)
                return True
        return False

    def _resources_free(self, mode: ModeData) -> bool:
        for rid, units in mode.resources.items():
            resource = self.problem.resources[rid]
            if not resource.consumable and self.state.resources.get(rid, 0) + units > self.capacities[rid]:
                return False
        return True

    def _team(self, mode: ModeData, day: int) -> dict[str, tuple[int, int]] | None:
        """Free qualified people for every requirement of ``mode`` from ``day``, or ``None``."""
        team: dict[str, tuple[int, int]] = {}
        for index in self._scarce_first(mode):
            for _ in range(mode.requirements[index].people):
                pid = self._best_person(mode, index, day, team)
                if pid is None:
                    return None
                team[pid] = (max(mode.levels[pid]), index)
        while len(team) < mode.team_min:
            pid = self._best_person(mode, None, day, team)
            if pid is None:
                return None
            team[pid] = (max(mode.levels[pid]), mode.covers[pid][0])
        return team

    def _scarce_first(self, mode: ModeData) -> list[int]:
        """Requirement indices of ``mode``, the one fewest people cover first."""
        key = (mode.task, mode.index)
        if key not in self.requirement_order:
            count = [sum(i in c for c in mode.covers.values()) for i in range(len(mode.requirements))]
            self.requirement_order[key] = sorted(range(len(mode.requirements)), key=count.__getitem__)
        return self.requirement_order[key]

    def _best_person(
        self, mode: ModeData, index: int | None, day: int, team: dict[str, tuple[int, int]]
    ) -> str | None:
        """The free qualified person who can take ``mode`` from ``day`` with the least surplus skill.

        Ties go to a random order of people drawn once, so the choice does not depend on
        the order sets iterate in.
        """
        free = self.state.free
        pool = free if len(free) < len(mode.people) else mode.people
        best: tuple[int, float, str] | None = None
        for pid in pool:
            covers = mode.covers.get(pid)
            if covers is None or pid in team or pid not in free or pid in self.state.held:
                continue
            if (index is not None and index not in covers) or not self._can_start(mode, pid, day):
                continue
            requirement = mode.requirements[index if index is not None else covers[0]]
            surplus = self.problem.people[pid].skills.get(requirement.skill, 0) - requirement.level
            candidate = (surplus + len(covers), self.tiebreak[pid], pid)
            if best is None or candidate < best:
                best = candidate
        return None if best is None else best[2]

    def _can_start(self, mode: ModeData, pid: str, day: int) -> bool:
        """Employed from ``day`` and, for a fixed window, present on every day of it; a leaver
        only when the longest window ends well before their last day."""
        person = self.problem.people[pid]
        if day < person.first_day:
            return False
        if mode.duration is not None:
            return day in mode.starts[pid]
        longest = LONGEST_SHARE * self._length(mode)
        return person.end_day >= day + longest + LEAVER_MARGIN

    def _length(self, mode: ModeData) -> int:
        """Planned working days of an effort-driven ``mode``: ``factor`` times its window days."""
        return max(1, round(self.factor * self.window_days.get(mode.task, 1.0)))

    def _start(self, task: TaskData, mode: ModeData, day: int, team: dict[str, tuple[int, int]]) -> None:
        choice = TaskChoice(task=task.id, mode=mode.index, start=day, end=day, people=team)
        self.state.free.difference_update(team)
        for rid, units in mode.resources.items():
            self.state.resources[rid] = self.state.resources.get(rid, 0) + units
        self.state.schedule[task.id] = choice
        del self.state.ready[task.id]
        shape = self.shapes[task.id]
        self.reached[shape.project] = max(self.reached.get(shape.project, -1), shape.layer)
        if mode.duration is not None:
            choice.end = day + mode.duration
            self.state.fixed_end[task.id] = choice.end
        else:
            self.state.running[task.id] = _Running(choice, day + 1, day + 1, day + 1, day + 1)
            self.state.started_today.append(task.id)

    def _finish_teams(self, day: int) -> None:
        """Add idle qualified people to today's new tasks (up to the team maximum), then
        fix how long each runs."""
        for tid in self.state.started_today:
            run = self.state.running[tid]
            mode = self.problem.tasks[tid].modes[run.choice.mode]
            while tid not in self.redrawn and len(run.choice.people) < mode.team_max:
                pid = self._best_person(mode, None, day, run.choice.people)
                if pid is None:
                    break
                run.choice.people[pid] = (max(mode.levels[pid]), mode.covers[pid][0])
                self.state.free.discard(pid)
            length = self._length(mode)
            run.shortest_end = day + max(1, round(SHORTEST_SHARE * length))
            run.planned_end = day + length
            run.longest_end = day + max(1, round(LONGEST_SHARE * length))
            run.must_end = min(self.problem.people[pid].end_day for pid in run.choice.people)

    # --- idle people take waiting work ----------------------------------------------

    def _redraw_waiting(self, day: int) -> None:
        """Give tasks that waited :data:`REDRAW_WAIT` days for a team to idle people instead.

        The task's one requirement becomes the idle person's best skill, at the lower of
        the drafted level and theirs: the portfolio's mix of skills follows the people
        who can do the work, as the generator draws skills in proportion to capacity.
        Only plain tasks qualify: one requirement, one mode, no shared resource, no
        preferred person.
        """
        waiting = [
            r for r in self.state.ready.values() if day - r.since >= REDRAW_WAIT and self._redrawable(r.tid)
        ]
        if not waiting:
            return
        idle = sorted(
            (pid for pid in self.state.free if pid not in self.state.held),
            key=lambda pid: (self.state.free_since.get(pid, 0), self.tiebreak[pid]),
        )
        for ready in sorted(waiting, key=lambda r: r.key):
            task = self.problem.tasks[ready.tid]
            mode = task.modes[0]
            for pid in idle:
                allocation = self._redrawn_allocation(mode, pid, day)
                if allocation is None:
                    continue
                idle.remove(pid)
                person = self.problem.people[pid]
                skill = max(sorted(person.skills), key=person.skills.__getitem__)
                self.redrawn[task.id] = (skill, min(mode.requirements[0].level, person.skills[skill]))
                self._start(task, mode, day, {pid: (allocation, 0)})
                break

    def _redrawable(self, tid: str) -> bool:
        task = self.problem.tasks[tid]
        if len(task.modes) != 1 or task.preferred or task.pinned:
            return False
        mode = task.modes[0]
        return len(mode.requirements) == 1 and mode.requirements[0].people == 1 and not mode.resources

    def _redrawn_allocation(self, mode: ModeData, pid: str, day: int) -> int | None:
        """The allocation ``pid`` could take ``mode`` at from ``day`` with a requirement of
        their own skill, or ``None`` (not employed, absent in a fixed window, no level fits)."""
        person = self.problem.people[pid]
        levels = [a for a in mode.allocations if a <= person.capacity]
        if not levels or day < person.first_day or not person.skills:
            return None
        if mode.duration is not None:
            window = range(day, day + mode.duration)
            if day + mode.duration > person.end_day or not all(person.presence[d] for d in window):
                return None
        elif person.end_day < day + LONGEST_SHARE * self._length(mode) + LEAVER_MARGIN:
            return None
        return max(levels)

    # --- milestones ------------------------------------------------------------------

    def _place_milestones(self) -> None:
        """Each milestone after every task of its project that nothing else follows."""
        for tid, shape in self.shapes.items():
            if not shape.milestone:
                continue
            project = [t for t, s in self.shapes.items() if s.project == shape.project and not s.milestone]
            followed = {pred for t in project for pred, _, _ in self.after.get(t, [])}
            ends = [t for t in project if t not in followed]
            day = max([self.problem.tasks[tid].earliest, *(self.state.schedule[t].end for t in ends)])
            mode = self.problem.tasks[tid].modes[0]
            self.state.schedule[tid] = TaskChoice(task=tid, mode=mode.index, start=day, end=day)
            self.after[tid] = [(t, "FS", 0) for t in ends]


def _layers(shapes: dict[str, TaskShape]) -> dict[tuple[str, int], list[str]]:
    """Tasks of each (project, layer), milestones left out, in file order."""
    layers: dict[tuple[str, int], list[str]] = {}
    for tid, shape in shapes.items():
        if not shape.milestone:
            layers.setdefault((shape.project, shape.layer), []).append(tid)
    return layers


def _tail_lengths(
    problem: Problem,
    shapes: dict[str, TaskShape],
    layers: dict[tuple[str, int], list[str]],
    window_days: dict[str, float],
) -> dict[str, float]:
    """Draft work from each layer to the end of its project: the later layers' longest tasks."""
    longest: dict[str, dict[int, float]] = {}
    for (project, layer), tasks in layers.items():
        days = [window_days.get(t, float(problem.tasks[t].modes[0].duration or 0)) for t in tasks]
        longest.setdefault(project, {})[layer] = max(days)
    suffix: dict[tuple[str, int], float] = {}
    for project, by_layer in longest.items():
        total = 0.0
        for layer in sorted(by_layer, reverse=True):
            total += by_layer[layer]
            suffix[project, layer] = total
    return {tid: suffix.get((s.project, s.layer), 0.0) for tid, s in shapes.items()}
