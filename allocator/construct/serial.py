"""A first plan in seconds: serial schedule generation with the latest-finish-time rule.

Tasks are taken in order of their latest finish time (:mod:`allocator.construct.priority`) and
each is placed at its earliest feasible start with the team that finishes it soonest.
The result seeds CP-SAT as a complete hint; on its own it is roughly what the resource
levelling of classic project tools does, and serves as the baseline optimisation is
measured against.

The bookings so far are an :class:`~allocator.construct.occupancy.Occupancy`; candidates for a
team come from :mod:`allocator.construct.team_candidates`, and when filling the places one by one
leaves one open, :func:`allocator.construct.teams.assign_places` assigns them. A fixed-duration
task jumps between starts that might fit (:mod:`allocator.construct.start_finder`).
"""

from __future__ import annotations

import heapq
from functools import partial
from typing import TYPE_CHECKING, cast

from allocator.construct.budget_modes import budget_reservation
from allocator.construct.occupancy import Occupancy, day_fits, vendors_within_cap
from allocator.construct.priority import priority_key, shortest_duration
from allocator.construct.start_finder import StartFinder
from allocator.construct.team_candidates import (
    Candidate,
    add_member,
    covers,
    effort_offers,
    fixed_offers,
    pick,
    pick_for_effort,
    pins_kept,
    ranked_people,
    team_slots,
)
from allocator.construct.teams import Offer, assign_places
from allocator.problem.data import predecessor_floors
from allocator.problem.schedule import NO_REQUIREMENT, Schedule, TaskChoice

if TYPE_CHECKING:
    from collections.abc import Callable

    from allocator.construct.priority import PriorityKey
    from allocator.problem.data import ModeData, Problem, TaskData


#: Later starts tried for an effort-driven task once one works: a later start with a
#: freer team can finish sooner.
LOOKAHEAD = 30


def construct_schedule(problem: Problem, key: Callable[[str], PriorityKey] | None = None) -> Schedule | None:
    """A complete schedule by serial generation, or ``None`` if some task fits nowhere.

    Parameters
    ----------
    problem
        The compiled problem.
    key
        The order tasks are placed in among those ready (smallest first); the
        latest-finish-time rule (:func:`~allocator.construct.priority.priority_key`) by default.

    Returns
    -------
    Schedule | None
        A choice for every task, placed in the order of the latest-finish-time rule,
        each at the start where its team finishes it soonest; ``None`` when some task
        fits nowhere within the horizon.
    """
    key = key or priority_key(problem)
    preds_left = {tid: len(problem.preds(tid)) for tid in problem.tasks}
    succs: dict[str, list[str]] = {}
    for dep in problem.deps:
        succs.setdefault(dep.pred, []).append(dep.succ)
    ready = [(key(t), t) for t, n in preds_left.items() if n == 0]
    heapq.heapify(ready)
    state, schedule = Occupancy(problem, budget_reservation(problem)), cast("Schedule", {})
    while ready:
        _, tid = heapq.heappop(ready)
        choice = place_task(problem, state, schedule, problem.tasks[tid])
        if choice is None:
            return None
        schedule[tid] = choice
        for succ in succs.get(tid, []):
            preds_left[succ] -= 1
            if preds_left[succ] == 0:
                heapq.heappush(ready, (key(succ), succ))
    return schedule if len(schedule) == len(problem.tasks) else None


def task_bounds(problem: Problem, schedule: Schedule, task: TaskData) -> tuple[int, int]:
    """Earliest start and the floor on the end that dependencies allow."""
    start, end_floor = predecessor_floors(problem.preds(task.id), schedule)
    return max(task.earliest, start), end_floor


def place_task(problem: Problem, state: Occupancy, schedule: Schedule, task: TaskData) -> TaskChoice | None:
    """Book ``task`` in the mode that finishes it soonest (then costs least); ``None`` if none fits."""
    earliest, end_floor = task_bounds(problem, schedule, task)
    best: TaskChoice | None = None
    for rid, amount in state.reservation[task.id].items():
        state.reserved[rid] -= amount  # this task's own share is now decided by its mode
    for mode in task.modes:
        if any(p not in mode.people for p in task.pinned):
            continue
        choice = _place_mode(problem, state, task, mode, earliest, end_floor)
        if choice is not None and (
            best is None or (choice.end, mode.cost) < (best.end, task.modes[best.mode].cost)
        ):
            best = choice
    if best is not None:
        state.book(task.modes[best.mode], best)
    return best


def _place_mode(
    problem: Problem, state: Occupancy, task: TaskData, mode: ModeData, earliest: int, end_floor: int
) -> TaskChoice | None:
    """``task`` in ``mode`` at its soonest finish: the first start that fits, or the best one nearby."""
    if mode.duration is not None:
        return _place_fixed(problem, state, task, mode, earliest, end_floor)
    people = ranked_people(problem, task, mode)
    best: TaskChoice | None = None
    shortest = shortest_duration(mode)
    for start in range(earliest, problem.horizon):
        if best is not None and (start + shortest >= best.end or start > best.start + LOOKAHEAD):
            return best
        choice = _effort_team(problem, state, task, mode, people, start, end_floor)
        if choice is not None and (best is None or choice.end < best.end):
            best = choice
    return best


def _place_fixed(
    problem: Problem, state: Occupancy, task: TaskData, mode: ModeData, earliest: int, end_floor: int
) -> TaskChoice | None:
    """The first start from ``earliest`` at which a team and the resources can do a fixed-duration mode.

    Starts are not tried one by one: after a start fails, the next one tried is the first
    day on which the mode's resources have room and enough eligible people are present and
    free (:func:`allocator.construct.start_finder.next_start`), so no start that could work is skipped.
    """
    assert mode.duration is not None
    people = ranked_people(problem, task, mode)
    finder = StartFinder(problem, state, mode, people)
    start = finder.next_start(max(earliest, end_floor - mode.duration))
    while start is not None:
        present = [p for p in people if start in mode.starts[p]]
        choice = _fixed_team(problem, state, task, mode, present, start, start + mode.duration)
        if choice is not None:
            return choice
        start = finder.next_start(start + 1)
    return None


def _fixed_team(
    problem: Problem,
    state: Occupancy,
    task: TaskData,
    mode: ModeData,
    people: list[str],
    start: int,
    end: int,
) -> TaskChoice | None:
    """A team for a fixed-duration mode over ``[start, end)``, with room in its resources."""
    if not state.resources_fit(mode, start, end):
        return None
    choice = TaskChoice(task=task.id, mode=mode.index, start=start, end=end)
    staffed = _staff(
        mode,
        choice,
        lambda slot: pick(problem, state, mode, people, choice, slot, start, end, smallest=True),
        lambda: fixed_offers(problem, state, mode, people, start, end),
    )
    return choice if staffed and pins_kept(task, choice) else None


def _staff(
    mode: ModeData,
    choice: TaskChoice,
    pick_member: Callable[[int], Candidate | None],
    offers: Callable[[], list[Offer]],
) -> bool:
    """Fill the places of ``choice``'s team: one by one with ``pick_member``, then as an assignment.

    Places are filled in order with the best candidate ``pick_member`` finds; once it
    finds no free candidate, the places left are filled from ``offers`` by :func:`assign_places`,
    which moves the members chosen so far to other places where that makes room. So a
    team is found whenever the candidates can cover every requirement with distinct
    people, and it is the greedy team whenever that one is complete.
    """
    slots = team_slots(mode)
    chosen: list[Offer | None] = []
    for slot in slots:
        member = pick_member(slot)
        if member is None:
            break
        add_member(choice, member)
        chosen.append(Offer(member.resource, member.is_vendor, member.allocation))
    if len(chosen) == len(slots):
        return True
    team = assign_places(slots, offers(), partial(covers, mode), chosen)
    if team is None:
        return False
    choice.people, choice.vendors = {}, {}
    for slot, offer in zip(slots, team, strict=True):
        add_member(choice, Candidate(offer.resource, offer.is_vendor, offer.allocation, slot))
    return True


def _effort_team(
    problem: Problem,
    state: Occupancy,
    task: TaskData,
    mode: ModeData,
    people: list[str],
    start: int,
    end_floor: int,
) -> TaskChoice | None:
    """The base team that can start at ``start``, grown while that ends the task sooner."""
    assert mode.effort is not None
    choice = TaskChoice(task=task.id, mode=mode.index, start=start, end=start + 1)
    heads = len(team_slots(mode))
    if not _staff(
        mode,
        choice,
        lambda slot: pick_for_effort(problem, state, mode, people, choice, slot, start, heads, task.pinned),
        lambda: effort_offers(problem, state, mode, people, start, heads),
    ):
        return None
    end = earliest_finish(problem, state, mode, choice, end_floor)
    if end is None or not pins_kept(task, choice):
        return None
    choice.end = end
    if not vendors_within_cap(problem, state, choice, end):
        return None
    while choice.heads() < mode.team_max:
        larger = _grow(problem, state, task, mode, people, choice, end_floor)
        if larger is None:
            break
        choice = larger
    return choice


def _grow(
    problem: Problem,
    state: Occupancy,
    task: TaskData,
    mode: ModeData,
    people: list[str],
    choice: TaskChoice,
    end_floor: int,
) -> TaskChoice | None:
    """One more member, free over the current window, when that ends the task sooner."""
    slot = 0 if mode.requirements else NO_REQUIREMENT
    trial = TaskChoice(choice.task, True, choice.mode, choice.start, choice.end)
    trial.people = dict(choice.people)
    trial.vendors = {v: dict(c) for v, c in choice.vendors.items()}
    member = pick(problem, state, mode, people, trial, slot, choice.start, choice.end, smallest=False)
    if member is None:
        return None
    add_member(trial, member)
    end = earliest_finish(problem, state, mode, trial, end_floor)
    if end is None or end >= choice.end:
        return None
    if not vendors_within_cap(problem, state, trial, end):
        return None
    trial.end = end
    return trial


def earliest_finish(
    problem: Problem, state: Occupancy, mode: ModeData, choice: TaskChoice, end_floor: int
) -> int | None:
    """First end at which the team has delivered the effort, booking each day it passes."""
    assert mode.effort is not None
    done, end = 0, choice.start
    while done < mode.effort or end < end_floor:
        if end >= problem.horizon or not day_fits(problem, state, mode, choice, end):
            return None
        done += _day_effort(problem, choice, end)
        end += 1
    return end if state.resources_fit(mode, choice.start, end) else None


def _day_effort(problem: Problem, choice: TaskChoice, day: int) -> int:
    """Effort the team delivers on ``day``: allocation times presence, 100 per contractor-day."""
    total = sum(
        allocation * problem.people[pid].presence[day] for pid, (allocation, _) in choice.people.items()
    )
    contractors = sum(sum(c.values()) for c in choice.vendors.values())
    if contractors:
        total += 100 * contractors * (problem.vendor_prefix[day + 1] - problem.vendor_prefix[day])
    return total
