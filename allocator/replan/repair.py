"""A first re-plan in a fraction of a second: the baseline repaired, not rebuilt.

Tasks are placed one by one, as the constructive heuristic does, but each keeps its
baseline mode, team and allocations and starts as close to its baseline start as the
slip allows (never earlier). Work in progress goes first, then frozen tasks exactly as
planned (a frozen task that no longer fits is released), then the rest in baseline
order. A task whose team can no longer do it (a leaver, a new task) gets a team as in
construction. Placing frozen tasks first makes the repaired plan a proof that the frozen
set left is feasible.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from allocator.construct import _bounds, _day_fits, _finish, _place, _State, _within_cap
from allocator.schedule import NO_REQUIREMENT, Schedule, TaskChoice

if TYPE_CHECKING:
    from allocator.compile import ModeData, Problem, TaskData

#: Placement classes, placed in this order when their dependencies allow.
IN_PROGRESS, FROZEN, PLANNED, NEW = range(4)


@dataclass
class Repair:
    """A repaired schedule and the frozen tasks it had to release."""

    schedule: Schedule | None
    released: list[str] = field(default_factory=list)


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

    def key(tid: str) -> tuple[int, int, int]:
        kind = IN_PROGRESS if tid in in_progress else FROZEN if tid in frozen else PLANNED
        choice = reference.get(tid)
        if choice is None:
            return (NEW, problem.tasks[tid].earliest, order[tid])
        return (kind, choice.start, order[tid])

    preds_left = {tid: len(problem.preds(tid)) for tid in problem.tasks}
    ready = [(key(t), t) for t, n in preds_left.items() if n == 0]
    heapq.heapify(ready)
    state, schedule, result = _State(problem), cast("Schedule", {}), Repair(None)
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


def _place_task(
    problem: Problem,
    state: _State,
    schedule: Schedule,
    tid: str,
    base: TaskChoice | None,
    frozen: bool,
    result: Repair,
) -> TaskChoice | None:
    task = problem.tasks[tid]
    earliest, end_floor = _bounds(problem, schedule, task)
    choice = None
    if base is not None and _team_usable(task, base):
        mode = task.modes[base.mode]
        if frozen:
            choice = _exactly(problem, state, task, mode, base, earliest, end_floor)
            if choice is None:
                result.released.append(tid)
        if choice is None:
            choice = _kept_team(problem, state, task, mode, base, max(earliest, base.start), end_floor)
        if choice is not None:
            state.book(mode, choice)
            return choice
    elif frozen:
        result.released.append(tid)
    return _place(problem, state, schedule, task)


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
    state: _State,
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
    state: _State,
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
    state: _State,
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
            _day_fits(problem, state, mode, choice, d) for d in range(start, end)
        ):
            return None
    else:
        found = _finish(problem, state, mode, choice, end_floor)
        if found is None:
            return None
        end = found
    if end > task.latest_end:
        return None
    if not all(
        _within_cap(problem, state, v, sum(c.values()), start, end) for v, c in choice.vendors.items()
    ):
        return None
    choice.end = end
    return choice
