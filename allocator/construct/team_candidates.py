"""Candidates for a task's team: who may fill which place, in what order, at what allocation.

A mode's team has places, each tied to one requirement (:func:`team_slots`). People are
tried in rank order (:func:`ranked_people`), contractors after them. A fixed-duration
task takes each person at the smallest allocation free over its whole window
(:func:`pick`, :func:`fixed_offers`); an effort-driven task takes the person whose share
of the effort ends soonest (:func:`pick_for_effort`, :func:`effort_offers`). The offers
feed :func:`allocator.construct.teams.assign_places` when a greedy fill leaves a place open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from allocator.construct.occupancy import free_run, vendor_room, within_cap
from allocator.construct.teams import Offer
from allocator.problem.schedule import NO_REQUIREMENT

if TYPE_CHECKING:
    from allocator.construct.occupancy import Occupancy
    from allocator.problem.data import ModeData, Problem, TaskData
    from allocator.problem.schedule import TaskChoice


@dataclass
class Candidate:
    """A resource that could join a team: a person at an allocation, or one contractor.

    Parameters
    ----------
    resource
        Person or vendor id.
    is_vendor
        Whether ``resource`` is a vendor.
    allocation
        The person's allocation in percent (100 for a contractor).
    requirement
        The requirement the place covers (``NO_REQUIREMENT`` for a place without one).
    """

    resource: str
    is_vendor: bool
    allocation: int
    requirement: int


def ranked_people(problem: Problem, task: TaskData, mode: ModeData) -> list[str]:
    """Pinned and preferred people first, then those whose skills are least needed elsewhere."""

    def rank(pid: str) -> tuple[int, int, int]:
        person = problem.people[pid]
        first = 0 if pid in task.pinned else 1 if pid in task.preferred else 2
        return (first, len(person.skills), sum(person.skills.values()))

    return sorted(mode.people, key=rank)


def team_slots(mode: ModeData) -> list[int]:
    """Requirement index of each head the team needs at least."""
    slots = [i for i, r in enumerate(mode.requirements) for _ in range(r.people)]
    fill = 0 if mode.requirements else NO_REQUIREMENT
    return slots + [fill] * max(0, mode.team_min - len(slots))


def fills(mode: ModeData, resource: str, is_vendor: bool, slot: int) -> bool:
    """Whether a person (or a vendor's contractor) may fill a place of ``mode`` covering ``slot``."""
    covered = mode.vendor_covers if is_vendor else mode.covers
    return slot == NO_REQUIREMENT or slot in covered[resource]


def covers(mode: ModeData, offer: Offer, slot: int) -> bool:
    """Whether ``offer`` may fill a place of ``mode`` covering requirement ``slot``."""
    return fills(mode, offer.resource, offer.is_vendor, slot)


def add_member(choice: TaskChoice, member: Candidate) -> None:
    """Put ``member`` on ``choice``'s team, on the place of its requirement."""
    if member.is_vendor:
        by_requirement = choice.vendors.setdefault(member.resource, {})
        by_requirement[member.requirement] = by_requirement.get(member.requirement, 0) + 1
    else:
        choice.people[member.resource] = (member.allocation, member.requirement)


def pins_kept(task: TaskData, choice: TaskChoice) -> bool:
    """Whether every pinned person made the team (else this start does not work)."""
    return all(pid in choice.people for pid in task.pinned)


def fixed_offers(
    problem: Problem, state: Occupancy, mode: ModeData, people: list[str], start: int, end: int
) -> list[Offer]:
    """People free over ``[start, end)`` (smallest allocation that fits) in rank order, then vendors."""
    offers = []
    for pid in people:
        allocation = _fitting_allocation(state, mode, pid, start, end, smallest=True)
        if allocation is not None:
            offers.append(Offer(pid, False, allocation))
    return offers + _vendor_offers(problem, state, mode, start, end)


def pick(
    problem: Problem,
    state: Occupancy,
    mode: ModeData,
    people: list[str],
    choice: TaskChoice,
    slot: int,
    start: int,
    end: int,
    smallest: bool,
) -> Candidate | None:
    """A person, else a contractor, who can fill ``slot`` over ``[start, end)``.

    Parameters
    ----------
    problem
        The compiled problem.
    state
        The bookings made so far.
    mode
        The mode being staffed.
    people
        The people to try, in rank order.
    choice
        The team so far (its members are not picked again).
    slot
        The requirement of the place to fill.
    start, end
        The days the member must be free, end excluded.
    smallest
        Whether a person takes the smallest allocation that fits, else the largest.

    Returns
    -------
    Candidate | None
        The first person who fits, else a contractor of the first vendor with one to
        spare within its spend cap; ``None`` when nobody can fill the place.
    """
    for pid in people:
        if pid in choice.people or not fills(mode, pid, False, slot):
            continue
        allocation = _fitting_allocation(state, mode, pid, start, end, smallest)
        if allocation is not None:
            return Candidate(pid, False, allocation, slot)
    for vid in mode.vendors:
        if not fills(mode, vid, True, slot):
            continue
        taken = sum(choice.vendors.get(vid, {}).values())
        if state.vendor_free(vid, start, end) - taken > 0 and within_cap(
            problem, state, vid, taken + 1, start, end
        ):
            return Candidate(vid, True, 100, slot)
    return None


def pick_for_effort(
    problem: Problem,
    state: Occupancy,
    mode: ModeData,
    people: list[str],
    choice: TaskChoice,
    slot: int,
    start: int,
    heads: int,
    pinned_people: tuple[str, ...] = (),
) -> Candidate | None:
    """The candidate who, free from ``start`` for their share of the effort, ends it soonest.

    Among people free long enough, the highest allocation that fits wins (ties go to
    the better-ranked person); failing that, the one free longest, so the attempt at
    this start can still succeed with help from teammates. Pinned people able to fill
    the place are the only people tried while any is off the team; a contractor is
    taken when no person is free on ``start``.
    """
    best: tuple[int, Candidate] | None = None
    longest: tuple[int, Candidate] | None = None
    pinned = [p for p in pinned_people if p not in choice.people and fills(mode, p, False, slot)]
    for pid in _free_on(problem, state, mode, pinned or people, start):
        if pid in choice.people or not fills(mode, pid, False, slot):
            continue
        reach = effort_reach(problem, state, mode, pid, start, heads)
        if reach is None:
            continue
        finishes, days, allocation = reach
        if finishes and (best is None or days < best[0]):
            best = (days, Candidate(pid, False, allocation, slot))
        elif not finishes and (longest is None or days > longest[0]):
            longest = (days, Candidate(pid, False, allocation, slot))
    if best is not None:
        return best[1]
    if longest is not None:
        return longest[1]
    return pick(problem, state, mode, [], choice, slot, start, start + 1, smallest=False)


def _free_on(problem: Problem, state: Occupancy, mode: ModeData, people: list[str], day: int) -> list[str]:
    """Those of ``people`` who can take ``mode``'s lowest allocation on ``day`` (a quick
    first test: most people of a busy portfolio cannot, and need no further look)."""
    if day >= problem.horizon:
        return []
    load, count, levels, data = state.load, state.count, mode.levels, problem.people
    free = []
    for pid in people:
        person = data[pid]
        if person.first_day <= day < person.end_day and load[pid][day] + levels[pid][0] <= person.capacity:
            limit = person.max_concurrent
            if limit is None or count[pid][day] < limit:
                free.append(pid)
    return free


def effort_reach(
    problem: Problem, state: Occupancy, mode: ModeData, pid: str, start: int, heads: int
) -> tuple[bool, int, int] | None:
    """How far ``pid`` gets with an even share of the effort from ``start``.

    Parameters
    ----------
    problem
        The compiled problem.
    state
        The bookings made so far.
    mode
        An effort-driven mode.
    pid
        One of its eligible people.
    start
        The day the task starts.
    heads
        How many share the effort.

    Returns
    -------
    tuple[bool, int, int] | None
        ``(True, days, allocation)`` at the highest allocation at which the person is
        free for the ``days`` their share takes; else ``(False, days, allocation)`` at the
        allocation with the longest free run; ``None`` when the person is not free on ``start``.
    """
    assert mode.effort is not None
    longest: tuple[bool, int, int] | None = None
    for allocation in reversed(mode.levels[pid]):
        need = -(-mode.effort // (max(1, heads) * allocation * 100))
        run = free_run(problem, state, pid, allocation, start, need)
        if run >= need:
            return (True, need, allocation)
        if run > 0 and (longest is None or run > longest[1]):
            longest = (False, run, allocation)
    return longest


def effort_offers(
    problem: Problem, state: Occupancy, mode: ModeData, people: list[str], start: int, heads: int
) -> list[Offer]:
    """Candidates for an effort-driven team from ``start``, in :func:`pick_for_effort`'s order.

    People who finish their share, soonest first; then people free on ``start``, longest
    free first (ties in rank order); then vendors with contractors to spare that day.
    """
    finishing: list[tuple[int, int, Offer]] = []
    partial_runs: list[tuple[int, int, Offer]] = []
    for rank, pid in enumerate(people):
        reach = effort_reach(problem, state, mode, pid, start, heads)
        if reach is not None:
            finishes, days, allocation = reach
            entry = (days if finishes else -days, rank, Offer(pid, False, allocation))
            (finishing if finishes else partial_runs).append(entry)
    ranked = [offer for _, _, offer in sorted(finishing)] + [offer for _, _, offer in sorted(partial_runs)]
    return ranked + _vendor_offers(problem, state, mode, start, start + 1)


def _fitting_allocation(
    state: Occupancy, mode: ModeData, pid: str, start: int, end: int, smallest: bool
) -> int | None:
    """The smallest (else the largest) of ``pid``'s allocation levels free over ``[start, end)``."""
    levels = mode.levels[pid] if smallest else tuple(reversed(mode.levels[pid]))
    return next((a for a in levels if state.person_fits(pid, a, start, end)), None)


def _vendor_offers(problem: Problem, state: Occupancy, mode: ModeData, start: int, end: int) -> list[Offer]:
    """The mode's vendors with contractors to spare over ``[start, end)``, each with how many."""
    offers = []
    for vid in mode.vendors:
        room = vendor_room(problem, state, vid, start, end)
        if room:
            offers.append(Offer(vid, True, 100, room))
    return offers
