"""A first re-plan in a fraction of a second: the baseline repaired, not rebuilt.

Tasks are placed one by one, as the constructive heuristic does, in the order of the
start the new situation allows them (their baseline start, or later when a predecessor
now ends later). Work in progress goes first, then frozen tasks exactly as planned (a
frozen task that no longer fits is released), then the rest. Every task not yet placed
keeps its baseline bookings reserved, so a task that has to move looks for a slot that
takes nobody's planned work away: its baseline team later, or another team at once,
whichever changes less. Only when neither fits does it take reserved capacity, and the
tasks it displaces move in their turn. Placing frozen tasks first makes the repaired
plan a proof that the frozen set left is feasible.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from allocator.construct.budget_modes import least_consumption
from allocator.construct.occupancy import Occupancy, day_fits, within_cap
from allocator.construct.serial import earliest_finish, place_task, task_bounds
from allocator.cpsat.formulation.stability import ALLOCATION_WEIGHT, MOVE_WEIGHT, REASSIGN_WEIGHT
from allocator.problem.schedule import NO_REQUIREMENT, Schedule, TaskChoice

if TYPE_CHECKING:
    from allocator.problem.data import ModeData, Problem, TaskData

#: Placement classes, placed in this order when their dependencies allow.
IN_PROGRESS, FROZEN, PLANNED, NEW = range(4)


@dataclass
class Repair:
    """A repaired schedule and the frozen tasks it had to release."""

    schedule: Schedule | None
    released: list[str] = field(default_factory=list)


@dataclass
class _Bookings:
    """What is booked: ``held`` counts the baseline reservations of unplaced tasks, ``placed`` not."""

    held: Occupancy
    placed: Occupancy
    descendants: dict[str, int]


def repair_schedule(problem: Problem, reference: Schedule, frozen: set[str], in_progress: set[str]) -> Repair:
    """The baseline's decisions moved as little as the new situation needs.

    Parameters
    ----------
    problem
        The compiled re-plan.
    reference
        The baseline's decisions for the remaining work on the re-plan's timeline.
    frozen
        Tasks to keep exactly as in ``reference`` when they still fit.
    in_progress
        Tasks under way, placed first.
    """
    order = {tid: i for i, tid in enumerate(problem.tasks)}
    state = _Bookings(Occupancy(problem), Occupancy(problem), _descendants(problem))
    schedule, result = cast("Schedule", {}), Repair(None)
    for tid, held in reference.items():
        if tid in problem.tasks and _team_usable(problem.tasks[tid], held):
            _reserve(state.held, problem.tasks[tid].modes[held.mode], held, 1)

    def key(tid: str) -> tuple[int, int, int]:
        kind = IN_PROGRESS if tid in in_progress else FROZEN if tid in frozen else PLANNED
        choice = reference.get(tid)
        if choice is None:
            return (NEW, problem.tasks[tid].earliest, order[tid])
        return (kind, max(choice.start, task_bounds(problem, schedule, problem.tasks[tid])[0]), order[tid])

    preds_left = {tid: len(problem.preds(tid)) for tid in problem.tasks}
    ready = [(key(t), t) for t, n in preds_left.items() if n == 0]
    heapq.heapify(ready)
    while ready:
        _, tid = heapq.heappop(ready)
        choice = _place_task(problem, state, schedule, tid, reference.get(tid), tid in frozen, result)
        if choice is None:
            return result
        schedule[tid] = choice
        for dep in problem.succs(tid):
            preds_left[dep.succ] -= 1
            if preds_left[dep.succ] == 0:
                heapq.heappush(ready, (key(dep.succ), dep.succ))
    if len(schedule) == len(problem.tasks):
        result.schedule = schedule
    return result


def _descendants(problem: Problem) -> dict[str, int]:
    """How many tasks follow each task, directly or not (they move when it ends later)."""
    below: dict[str, set[str]] = {}

    def visit(tid: str) -> set[str]:
        if tid not in below:
            found: set[str] = set()
            for dep in problem.succs(tid):
                found.add(dep.succ)
                found |= visit(dep.succ)
            below[tid] = found
        return below[tid]

    for tid in problem.tasks:
        visit(tid)
    return {tid: len(found) for tid, found in below.items()}


def _place_task(
    problem: Problem,
    state: _Bookings,
    schedule: Schedule,
    tid: str,
    base: TaskChoice | None,
    frozen: bool,
    result: Repair,
) -> TaskChoice | None:
    task = problem.tasks[tid]
    earliest, end_floor = task_bounds(problem, schedule, task)
    for rid, amount in least_consumption(problem, task).items():
        state.held.reserved[rid] -= amount  # this task's own share is now decided by its mode
        state.placed.reserved[rid] -= amount
    if base is None or not _team_usable(task, base):
        if frozen:
            result.released.append(tid)
        return _constructed(problem, state, schedule, task)
    mode = task.modes[base.mode]
    _reserve(state.held, mode, base, -1)
    if frozen:
        choice = _exactly(problem, state.held, task, mode, base, earliest, end_floor)
        if choice is not None:
            return _book(state, mode, choice)
        result.released.append(tid)
    start = max(earliest, base.start)
    kept = _kept_team(problem, state.held, task, mode, base, start, end_floor)
    if kept is not None and kept.start == start:
        return _book(state, mode, kept)
    other = _trial(problem, state.held, schedule, task)
    if other is not None and (kept is None or _cost(state, base, other) < _cost(state, base, kept)):
        return _book(state, task.modes[other.mode], other)
    if kept is not None:
        return _book(state, mode, kept)
    kept = _kept_team(problem, state.placed, task, mode, base, start, end_floor)
    if kept is not None:
        return _book(state, mode, kept)
    return _constructed(problem, state, schedule, task)


def _cost(state: _Bookings, base: TaskChoice, choice: TaskChoice) -> int:
    """The change a placement makes: its own move, its followers' moves, people taken off."""
    moved = abs(choice.start - base.start) + state.descendants[base.task] * max(0, choice.end - base.end)
    removed = sum(1 for p in base.people if p not in choice.people)
    reallocated = sum(
        1 for p, (a, _) in base.people.items() if p in choice.people and choice.people[p][0] != a
    )
    return MOVE_WEIGHT * moved + REASSIGN_WEIGHT * removed + ALLOCATION_WEIGHT * reallocated


def _trial(problem: Problem, held: Occupancy, schedule: Schedule, task: TaskData) -> TaskChoice | None:
    """A constructed placement around the reservations, without keeping its bookings."""
    consumption = dict(held.reserved)
    for rid, amount in least_consumption(problem, task).items():
        held.reserved[rid] += amount  # taken off again by the placement
    choice = place_task(problem, held, schedule, task)
    held.reserved = consumption
    if choice is not None:
        _reserve(held, task.modes[choice.mode], choice, -1, spend=True)
    return choice


def _constructed(problem: Problem, state: _Bookings, schedule: Schedule, task: TaskData) -> TaskChoice | None:
    """A constructed placement, around the reservations when possible, else taking reserved
    capacity (the tasks that reserved it then move in their turn)."""
    choice = _trial(problem, state.held, schedule, task)
    if choice is None:
        consumption = dict(state.placed.reserved)
        for rid, amount in least_consumption(problem, task).items():
            state.placed.reserved[rid] += amount
        choice = place_task(problem, state.placed, schedule, task)
        state.placed.reserved = consumption
        if choice is None:
            return None
        _reserve(state.placed, task.modes[choice.mode], choice, -1, spend=True)
    return _book(state, task.modes[choice.mode], choice)


def _book(state: _Bookings, mode: ModeData, choice: TaskChoice) -> TaskChoice:
    state.held.book(mode, choice)
    state.placed.book(mode, choice)
    return choice


def _reserve(state: Occupancy, mode: ModeData, choice: TaskChoice, sign: int, spend: bool = False) -> None:
    """Add (``sign`` 1) or take back (-1) a choice's daily bookings; with ``spend`` its spend too."""
    days = range(choice.start, choice.end)
    for pid, (allocation, _) in choice.people.items():
        for d in days:
            state.load[pid][d] += sign * allocation
            state.count[pid][d] += sign
    for vid, by_requirement in choice.vendors.items():
        count = sum(by_requirement.values())
        for d in days:
            state.vendor[vid][d] += sign * count
        if spend:
            vendor = state.problem.vendors[vid]
            worked = state.problem.vendor_prefix[choice.end] - state.problem.vendor_prefix[choice.start]
            state.spend[vid] += sign * vendor.day_rate * count * worked
    for rid, amount in mode.resources.items():
        if state.problem.resources[rid].consumable:
            if spend:
                state.consumed[rid] += sign * amount
        else:
            for d in days:
                state.resource[rid][d] += sign * amount


def _team_usable(task: TaskData, base: TaskChoice) -> bool:
    """Whether the baseline team can still do the task: eligible, covering, pins included."""
    if not base.present or base.mode >= len(task.modes):
        return False
    mode = task.modes[base.mode]
    if any(p not in mode.people or a not in mode.levels[p] for p, (a, _) in base.people.items()):
        return False
    if any(v not in mode.vendors for v in base.vendors) or any(p not in base.people for p in task.pinned):
        return False
    if not mode.team_min <= base.heads() <= mode.team_max:
        return False
    return all(_covered(mode, base, index) >= r.people for index, r in enumerate(mode.requirements))


def _covered(mode: ModeData, base: TaskChoice, index: int) -> int:
    people = sum(
        1 for _, req in base.people.values() if req == index or (req == NO_REQUIREMENT and index == 0)
    )
    return people + sum(c.get(index, 0) for c in base.vendors.values())


def _exactly(
    problem: Problem,
    state: Occupancy,
    task: TaskData,
    mode: ModeData,
    base: TaskChoice,
    earliest: int,
    end_floor: int,
) -> TaskChoice | None:
    """The baseline choice itself, when dependencies, windows and capacity still allow it."""
    if base.start < max(earliest, task.earliest) or base.end < end_floor or base.end > task.latest_end:
        return None
    trial = _fit(problem, state, task, mode, base, base.start, end_floor)
    return trial if trial is not None and trial.end == base.end else None


def _kept_team(
    problem: Problem,
    state: Occupancy,
    task: TaskData,
    mode: ModeData,
    base: TaskChoice,
    earliest: int,
    end_floor: int,
) -> TaskChoice | None:
    """The baseline team at the earliest start from ``earliest`` at which it fits."""
    for start in range(max(earliest, task.earliest), problem.horizon):
        choice = _fit(problem, state, task, mode, base, start, end_floor)
        if choice is not None:
            return choice
    return None


def _fit(
    problem: Problem,
    state: Occupancy,
    task: TaskData,
    mode: ModeData,
    base: TaskChoice,
    start: int,
    end_floor: int,
) -> TaskChoice | None:
    """The baseline team starting on ``start``, or ``None`` when it does not fit there."""
    choice = TaskChoice(task=task.id, mode=mode.index, start=start, end=start + 1)
    choice.people = dict(base.people)
    choice.vendors = {v: dict(c) for v, c in base.vendors.items()}
    if mode.duration is not None:
        end = start + mode.duration
        if end < end_floor or any(start not in mode.starts[p] for p in choice.people):
            return None
        if end > problem.horizon or not all(
            day_fits(problem, state, mode, choice, d) for d in range(start, end)
        ):
            return None
    else:
        found = earliest_finish(problem, state, mode, choice, end_floor)
        if found is None:
            return None
        end = found
    if end > task.latest_end:
        return None
    if not all(within_cap(problem, state, v, sum(c.values()), start, end) for v, c in choice.vendors.items()):
        return None
    choice.end = end
    return choice
