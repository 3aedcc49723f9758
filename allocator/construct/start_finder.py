"""The next start at which a fixed-duration mode might fit, found without trying every day.

After a start fails, construction asks for the first later day on which the mode's
renewable resources have room and enough eligible people are present and free over the
whole task, in all and for each requirement. No start that could work is skipped, so
the plan is the one a day-by-day scan builds.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from allocator.construct.team_candidates import team_slots
from allocator.problem.schedule import NO_REQUIREMENT

if TYPE_CHECKING:
    from allocator.construct.occupancy import Occupancy
    from allocator.problem.data import ModeData, Problem


def next_start(problem: Problem, state: Occupancy, mode: ModeData, day: int) -> int | None:
    """The first start on or after ``day`` at which a fixed-duration ``mode`` might fit.

    Parameters
    ----------
    problem
        The compiled problem.
    state
        The bookings made so far.
    mode
        A fixed-duration mode.
    day
        The first start to consider.

    Returns
    -------
    int | None
        A start ``s >= day`` such that no start in ``[day, s)`` fits: on each of them some
        renewable resource lacks room, or fewer eligible people are present and free over
        the whole task than the team needs, in all or for one of its requirements. ``None``
        when no start up to the horizon fits (or a consumable budget is spent). The start
        returned may still fail when no assignment of the free people covers every
        requirement at once (or keeps the pinned people); the caller tries it and asks
        again from the next day.
    """
    return StartFinder(problem, state, mode, list(mode.people)).next_start(day)


class StartFinder:
    """Next starts of one fixed-duration mode against the bookings of one state.

    Each person's next free start is remembered: it stays valid for any later query
    that does not pass it, as the bookings do not change while a task is placed.

    Parameters
    ----------
    problem
        The compiled problem.
    state
        The bookings made so far.
    mode
        A fixed-duration mode.
    people
        The eligible people to count (the mode's, in any order).
    """

    def __init__(self, problem: Problem, state: Occupancy, mode: ModeData, people: list[str]) -> None:
        assert mode.duration is not None
        self.problem, self.state, self.mode, self.duration = problem, state, mode, mode.duration
        self.people = people
        slots = team_slots(mode) if not mode.vendors else []
        self.heads = len(slots)
        #: places of each requirement the team must fill
        self.places = Counter(slot for slot in slots if slot != NO_REQUIREMENT)
        self.spent = not state.budgets_fit(mode)
        self.free_from: dict[str, int | None] = {}

    def next_start(self, day: int) -> int | None:
        """The first start on or after ``day`` with room in the resources and enough free people."""
        if self.spent:
            return None
        start: int | None = day
        while start is not None:
            if start + max(self.duration, 1) > self.problem.horizon:
                return None  # past the last start the day-by-day scan would try
            later: int | None = self._resource_room(start)
            if later == start:
                later = self._staff_room(start)
            if later == start:
                return start
            start = later
        return None

    def _resource_room(self, start: int) -> int:
        """``start`` when every renewable resource has room over the task; else one past the last full day."""
        blocked = -1
        for rid, amount in self.mode.resources.items():
            resource = self.problem.resources[rid]
            if resource.consumable:
                continue
            used = self.state.resource[rid]
            blocked = max(blocked, _last_over(used, amount, resource.capacity, start, start + self.duration))
        return start if blocked < 0 else blocked + 1

    def _staff_room(self, start: int) -> int | None:
        """The first start on or after ``start`` at which enough eligible people are free.

        Enough: as many as the team needs, and for each requirement as many people able
        to cover it as it has places (no team can be formed from fewer, whoever covers
        what). ``start`` itself when the mode needs no one or can take contractors (their
        room is not anticipated here).
        """
        if self.heads == 0:
            return start
        frees = {pid: self._person_free(pid, start) for pid in self.people}
        room = _kth_smallest(list(frees.values()), self.heads)
        for requirement, places in self.places.items():
            if room is None:
                break
            covering = [free for pid, free in frees.items() if requirement in self.mode.covers[pid]]
            room = _latest(room, _kth_smallest(covering, places))
        return room

    def _person_free(self, pid: str, start: int) -> int | None:
        """The first start on or after ``start`` at which ``pid`` is present and free over the whole task."""
        if pid in self.free_from:
            known = self.free_from[pid]
            if known is None or known >= start:
                return known
        found = _first_free_start(self.problem, self.state, self.mode, pid, start)
        self.free_from[pid] = found
        return found


def _kth_smallest(frees: list[int | None], k: int) -> int | None:
    """The ``k``-th smallest of the known ``frees`` (``None`` counts as never); ``None`` if too few."""
    known = sorted(free for free in frees if free is not None)
    return known[k - 1] if len(known) >= k else None


def _latest(first: int, second: int | None) -> int | None:
    """The later of two starts, ``None`` (never) when either is."""
    return None if second is None else max(first, second)


def _first_free_start(problem: Problem, state: Occupancy, mode: ModeData, pid: str, day: int) -> int | None:
    """The first start on or after ``day`` at which ``pid`` can take the mode at its smallest allocation."""
    assert mode.duration is not None
    person, starts = problem.people[pid], mode.starts[pid]
    allocation, limit = mode.levels[pid][0], person.max_concurrent
    load, count = state.load[pid], state.count[pid]
    start: int | None = max(day, person.first_day)
    while start is not None:
        start = starts.first_from(start)
        if start is None or start + mode.duration > person.end_day:
            return None
        end = start + mode.duration
        blocked = _last_over(load, allocation, person.capacity, start, end)
        if limit is not None:
            blocked = max(blocked, _last_over(count, 1, limit, start, end))
        if blocked < 0:
            return start
        start = blocked + 1
    return None


def _last_over(used: list[int], amount: int, capacity: int, start: int, end: int) -> int:
    """The last day in ``[start, end)`` where ``used`` plus ``amount`` exceeds ``capacity``; -1 if none."""
    for day in range(end - 1, start - 1, -1):
        if used[day] + amount > capacity:
            return day
    return -1
