"""A first plan in seconds: serial schedule generation with the latest-finish-time rule.

Tasks are taken in order of their latest finish time (a backward pass from deadlines
through the dependency network, committed projects before candidates) and each is
placed at its earliest feasible start with the team that finishes it soonest. The
result seeds CP-SAT as a complete hint; on its own it is roughly what the resource
levelling of classic project tools does, and serves as the baseline optimisation is
measured against.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from allocator.budget_modes import budget_reservation, least_consumption
from allocator.schedule import NO_REQUIREMENT, Schedule, TaskChoice, predecessor_floors
from allocator.teams import Offer, assign_places

if TYPE_CHECKING:
    from collections.abc import Callable

    from allocator.budget_modes import Reservation
    from allocator.compile import ModeData, Problem, TaskData


#: Later starts tried for an effort-driven task once one works: a later start with a
#: freer team can finish sooner.
LOOKAHEAD = 30


@dataclass
class _Candidate:
    """A resource that could join a team: a person at an allocation, or one contractor."""

    resource: str
    is_vendor: bool
    allocation: int
    requirement: int


class _State:
    """Bookings made so far, per day."""

    def __init__(self, problem: Problem, reservation: Reservation | None = None) -> None:
        horizon = problem.horizon + 1
        self.problem = problem
        self.load = {p: [0] * horizon for p in problem.people}
        self.count = {p: [0] * horizon for p in problem.people}
        self.vendor = {v: [0] * horizon for v in problem.vendors}
        self.spend = dict.fromkeys(problem.vendors, 0)
        self.resource = {r: [0] * horizon for r in problem.resources}
        self.consumed = dict.fromkeys(problem.resources, 0)
        #: consumable units kept back for each task until it is placed (default: its least use)
        self.reservation = reservation or {
            tid: _least_consumption(problem, task) for tid, task in problem.tasks.items()
        }
        #: consumable units kept back for the tasks not yet placed
        self.reserved = dict.fromkeys(problem.resources, 0)
        for amounts in self.reservation.values():
            for rid, amount in amounts.items():
                self.reserved[rid] += amount

    def person_fits(self, pid: str, allocation: int, start: int, end: int) -> bool:
        person = self.problem.people[pid]
        if start < person.first_day or end > person.end_day:
            return False
        load, count = self.load[pid], self.count[pid]
        limit = person.max_concurrent
        return all(
            load[d] + allocation <= person.capacity and (limit is None or count[d] < limit)
            for d in range(start, end)
        )

    def resources_fit(self, mode: ModeData, start: int, end: int) -> bool:
        for rid, amount in mode.resources.items():
            resource = self.problem.resources[rid]
            if resource.consumable:
                if self.consumed[rid] + amount + self.reserved[rid] > resource.capacity:
                    return False
            elif any(self.resource[rid][d] + amount > resource.capacity for d in range(start, end)):
                return False
        return True

    def vendor_free(self, vid: str, start: int, end: int) -> int:
        vendor = self.problem.vendors[vid]
        if start < vendor.lead_day:
            return 0
        used = max((self.vendor[vid][d] for d in range(start, end)), default=0)
        return vendor.headcount - used

    def book(self, mode: ModeData, choice: TaskChoice) -> None:
        days = range(choice.start, choice.end)
        for pid, (allocation, _) in choice.people.items():
            for d in days:
                self.load[pid][d] += allocation
                self.count[pid][d] += 1
        for vid, by_requirement in choice.vendors.items():
            count = sum(by_requirement.values())
            vendor = self.problem.vendors[vid]
            worked = self.problem.vendor_prefix[choice.end] - self.problem.vendor_prefix[choice.start]
            self.spend[vid] += vendor.day_rate * count * worked
            for d in days:
                self.vendor[vid][d] += count
        for rid, amount in mode.resources.items():
            if self.problem.resources[rid].consumable:
                self.consumed[rid] += amount
            else:
                for d in days:
                    self.resource[rid][d] += amount


def latest_finish(problem: Problem) -> dict[str, int]:
    """Latest finish of each task: its due day, pulled earlier by its successors' due days."""
    shortest = {tid: _shortest_duration(task) for tid, task in problem.tasks.items()}
    due: dict[str, int] = {}
    for tid in reversed(list(problem.tasks)):
        task = problem.tasks[tid]
        due[tid] = min(
            d for d in (task.latest_end, task.soft_end, _project_due(problem, task)) if d is not None
        )
    succs: dict[str, list[tuple[str, int]]] = {}
    for dep in problem.deps:
        succs.setdefault(dep.pred, []).append((dep.succ, dep.lag))
    for tid in reversed(list(problem.tasks)):
        for succ, lag in succs.get(tid, []):
            due[tid] = min(due[tid], due[succ] - shortest[succ] - lag)
    return due


def _least_consumption(problem: Problem, task: TaskData) -> dict[str, int]:
    """Per consumable resource, the least any mode of ``task`` uses.

    Keeping that much back for every task not yet placed is the classic feasibility rule
    of multi-mode serial schedule generation: a greedy mode choice must not spend a
    budget the remaining tasks cannot do without (:mod:`allocator.budget_modes` keeps back
    jointly feasible modes instead when the thriftiest modes differ per budget).
    """
    return least_consumption(problem, task)


def _leads_to_hard_deadline(problem: Problem) -> set[str]:
    """Tasks under a hard deadline and everything they depend on: placed before the rest."""
    urgent = {tid for tid, task in problem.tasks.items() if task.latest_end < problem.horizon}
    for tid in reversed(list(problem.tasks)):
        if tid in urgent:
            urgent.update(dep.pred for dep in problem.preds(tid))
    return urgent


def _project_due(problem: Problem, task: TaskData) -> int | None:
    return problem.projects[task.project].soft_end


def _shortest_duration(task: TaskData) -> int:
    return min((_shortest_duration_of(mode) for mode in task.modes), default=0)


def _shortest_duration_of(mode: ModeData) -> int:
    """Fewest days the mode can take: its duration, or its effort with a full team at 100 %."""
    if mode.duration is not None:
        return mode.duration
    assert mode.effort is not None
    return max(1, -(-mode.effort // (max(1, mode.team_max) * 100 * 100)))


def construct_schedule(problem: Problem) -> Schedule | None:
    """A complete schedule by serial generation, or ``None`` if some task fits nowhere."""
    due = latest_finish(problem)
    order = {tid: i for i, tid in enumerate(problem.tasks)}
    preds_left = {tid: len(problem.preds(tid)) for tid in problem.tasks}
    succs: dict[str, list[str]] = {}
    for dep in problem.deps:
        succs.setdefault(dep.pred, []).append(dep.succ)

    urgent = _leads_to_hard_deadline(problem)

    def key(tid: str) -> tuple[bool, bool, int, int, int]:
        task = problem.tasks[tid]
        return (task.optional, tid not in urgent, due[tid], -task.priority, order[tid])

    ready = [(key(t), t) for t, n in preds_left.items() if n == 0]
    heapq.heapify(ready)
    state, schedule = _State(problem, budget_reservation(problem)), cast("Schedule", {})
    while ready:
        _, tid = heapq.heappop(ready)
        choice = _place(problem, state, schedule, problem.tasks[tid])
        if choice is None:
            return None
        schedule[tid] = choice
        for succ in succs.get(tid, []):
            preds_left[succ] -= 1
            if preds_left[succ] == 0:
                heapq.heappush(ready, (key(succ), succ))
    return schedule if len(schedule) == len(problem.tasks) else None


def _bounds(problem: Problem, schedule: Schedule, task: TaskData) -> tuple[int, int]:
    """Earliest start and the floor on the end that dependencies allow."""
    start, end_floor = predecessor_floors(problem.preds(task.id), schedule)
    return max(task.earliest, start), end_floor


def _place(problem: Problem, state: _State, schedule: Schedule, task: TaskData) -> TaskChoice | None:
    earliest, end_floor = _bounds(problem, schedule, task)
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
    problem: Problem, state: _State, task: TaskData, mode: ModeData, earliest: int, end_floor: int
) -> TaskChoice | None:
    if mode.duration is not None:
        return _place_fixed(problem, state, task, mode, earliest, end_floor)
    people = _ranked_people(problem, task, mode)
    best: TaskChoice | None = None
    shortest = _shortest_duration_of(mode)
    for start in range(earliest, problem.horizon):
        if best is not None and (start + shortest >= best.end or start > best.start + LOOKAHEAD):
            return best
        choice = _effort_team(problem, state, task, mode, people, start, end_floor)
        if choice is not None and (best is None or choice.end < best.end):
            best = choice
    return best


def _place_fixed(
    problem: Problem, state: _State, task: TaskData, mode: ModeData, earliest: int, end_floor: int
) -> TaskChoice | None:
    """The first start from ``earliest`` at which a team and the resources can do a fixed-duration mode.

    Starts are not tried one by one: after a start fails, the next one tried is the first
    day on which the mode's resources have room and enough eligible people are present and
    free (:func:`next_start`), so no start that could work is skipped.
    """
    assert mode.duration is not None
    people = _ranked_people(problem, task, mode)
    finder = _StartFinder(problem, state, mode, people)
    start = finder.next_start(max(earliest, end_floor - mode.duration))
    while start is not None:
        present = [p for p in people if start in mode.starts[p]]
        choice = _fixed_team(problem, state, task, mode, present, start, start + mode.duration)
        if choice is not None:
            return choice
        start = finder.next_start(start + 1)
    return None


def next_start(problem: Problem, state: _State, mode: ModeData, day: int) -> int | None:
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
    return _StartFinder(problem, state, mode, list(mode.people)).next_start(day)


class _StartFinder:
    """Next starts of one fixed-duration mode against the bookings of one state.

    Each person's next free start is remembered: it stays valid for any later query
    that does not pass it, as the bookings do not change while a task is placed.
    """

    def __init__(self, problem: Problem, state: _State, mode: ModeData, people: list[str]) -> None:
        assert mode.duration is not None
        self.problem, self.state, self.mode, self.duration = problem, state, mode, mode.duration
        self.people = people
        slots = _team_slots(mode) if not mode.vendors else []
        self.heads = len(slots)
        #: places of each requirement the team must fill
        self.places = Counter(slot for slot in slots if slot != NO_REQUIREMENT)
        self.spent = any(
            problem.resources[rid].consumable
            and state.consumed[rid] + amount + state.reserved[rid] > problem.resources[rid].capacity
            for rid, amount in mode.resources.items()
        )
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


def _first_free_start(problem: Problem, state: _State, mode: ModeData, pid: str, day: int) -> int | None:
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


def _ranked_people(problem: Problem, task: TaskData, mode: ModeData) -> list[str]:
    """Pinned and preferred people first, then those whose skills are least needed elsewhere."""

    def rank(pid: str) -> tuple[int, int, int]:
        person = problem.people[pid]
        first = 0 if pid in task.pinned else 1 if pid in task.preferred else 2
        return (first, len(person.skills), sum(person.skills.values()))

    return sorted(mode.people, key=rank)


def _team_slots(mode: ModeData) -> list[int]:
    """Requirement index of each head the team needs at least."""
    slots = [i for i, r in enumerate(mode.requirements) for _ in range(r.people)]
    fill = 0 if mode.requirements else NO_REQUIREMENT
    return slots + [fill] * max(0, mode.team_min - len(slots))


def _fixed_team(
    problem: Problem, state: _State, task: TaskData, mode: ModeData, people: list[str], start: int, end: int
) -> TaskChoice | None:
    if not state.resources_fit(mode, start, end):
        return None
    choice = TaskChoice(task=task.id, mode=mode.index, start=start, end=end)
    staffed = _staff(
        mode,
        choice,
        lambda slot: _pick(problem, state, mode, people, choice, slot, start, end, smallest=True),
        lambda: _fixed_offers(problem, state, mode, people, start, end),
    )
    return choice if staffed and _pins_kept(task, choice) else None


def _staff(
    mode: ModeData,
    choice: TaskChoice,
    pick: Callable[[int], _Candidate | None],
    offers: Callable[[], list[Offer]],
) -> bool:
    """Fill the places of ``choice``'s team: each with ``pick`` while that works, then as an assignment.

    Places are filled in order with the best candidate ``pick`` finds; once one finds no
    free candidate, the places left are filled from ``offers`` by :func:`assign_places`,
    which moves the members chosen so far to other places where that makes room. So a
    team is found whenever the candidates can cover every requirement with distinct
    people, and it is the greedy team whenever that one is complete.
    """
    slots = _team_slots(mode)
    chosen: list[Offer | None] = []
    for slot in slots:
        member = pick(slot)
        if member is None:
            break
        _add(choice, member)
        chosen.append(Offer(member.resource, member.is_vendor, member.allocation))
    if len(chosen) == len(slots):
        return True
    team = assign_places(slots, offers(), partial(_covers, mode), chosen)
    if team is None:
        return False
    choice.people, choice.vendors = {}, {}
    for slot, offer in zip(slots, team, strict=True):
        _add(choice, _Candidate(offer.resource, offer.is_vendor, offer.allocation, slot))
    return True


def _covers(mode: ModeData, offer: Offer, slot: int) -> bool:
    """Whether ``offer`` may fill a place of ``mode`` covering requirement ``slot``."""
    covered = mode.vendor_covers if offer.is_vendor else mode.covers
    return slot == NO_REQUIREMENT or slot in covered[offer.resource]


def _fixed_offers(
    problem: Problem, state: _State, mode: ModeData, people: list[str], start: int, end: int
) -> list[Offer]:
    """People free over ``[start, end)`` (smallest allocation that fits) in rank order, then vendors."""
    offers = []
    for pid in people:
        allocation = next((a for a in mode.levels[pid] if state.person_fits(pid, a, start, end)), None)
        if allocation is not None:
            offers.append(Offer(pid, False, allocation))
    return offers + _vendor_offers(problem, state, mode, start, end)


def _vendor_offers(problem: Problem, state: _State, mode: ModeData, start: int, end: int) -> list[Offer]:
    """The mode's vendors with contractors to spare over ``[start, end)``, each with how many."""
    offers = []
    for vid in mode.vendors:
        room = _vendor_room(problem, state, vid, start, end)
        if room:
            offers.append(Offer(vid, True, 100, room))
    return offers


def _vendor_room(problem: Problem, state: _State, vid: str, start: int, end: int) -> int:
    """How many more contractors ``vid`` can send over ``[start, end)`` within headcount and spend cap."""
    free, count = state.vendor_free(vid, start, end), 0
    while count < free and _within_cap(problem, state, vid, count + 1, start, end):
        count += 1
    return count


def _pins_kept(task: TaskData, choice: TaskChoice) -> bool:
    """Whether every pinned person made the team (else this start does not work)."""
    return all(pid in choice.people for pid in task.pinned)


def _pick(
    problem: Problem,
    state: _State,
    mode: ModeData,
    people: list[str],
    choice: TaskChoice,
    slot: int,
    start: int,
    end: int,
    smallest: bool,
) -> _Candidate | None:
    """A person, else a contractor, who can fill ``slot`` over ``[start, end)``."""
    for pid in people:
        if pid in choice.people or (slot != NO_REQUIREMENT and slot not in mode.covers[pid]):
            continue
        levels = mode.levels[pid] if smallest else tuple(reversed(mode.levels[pid]))
        for allocation in levels:
            if state.person_fits(pid, allocation, start, end):
                return _Candidate(pid, False, allocation, slot)
    for vid in mode.vendors:
        if slot != NO_REQUIREMENT and slot not in mode.vendor_covers[vid]:
            continue
        taken = sum(choice.vendors.get(vid, {}).values())
        if state.vendor_free(vid, start, end) - taken > 0 and _within_cap(
            problem, state, vid, taken + 1, start, end
        ):
            return _Candidate(vid, True, 100, slot)
    return None


def _pick_for_effort(
    problem: Problem,
    state: _State,
    mode: ModeData,
    people: list[str],
    choice: TaskChoice,
    slot: int,
    start: int,
    heads: int,
    pinned_people: tuple[str, ...] = (),
) -> _Candidate | None:
    """The candidate who, free from ``start`` for their share of the effort, ends it soonest.

    Among people free long enough, the highest allocation that fits wins (ties go to
    the better-ranked person); failing that, the one free longest, so the attempt at
    this start can still succeed with help from teammates.
    """
    best: tuple[int, _Candidate] | None = None
    longest: tuple[int, _Candidate] | None = None
    pinned = [p for p in pinned_people if p not in choice.people and (slot in mode.covers[p] or slot < 0)]
    for pid in pinned or people:
        if pid in choice.people or (slot != NO_REQUIREMENT and slot not in mode.covers[pid]):
            continue
        reach = _effort_reach(problem, state, mode, pid, start, heads)
        if reach is None:
            continue
        finishes, days, allocation = reach
        if finishes and (best is None or days < best[0]):
            best = (days, _Candidate(pid, False, allocation, slot))
        elif not finishes and (longest is None or days > longest[0]):
            longest = (days, _Candidate(pid, False, allocation, slot))
    if best is not None:
        return best[1]
    if longest is not None:
        return longest[1]
    return _pick(problem, state, mode, [], choice, slot, start, start + 1, smallest=False)


def _effort_reach(
    problem: Problem, state: _State, mode: ModeData, pid: str, start: int, heads: int
) -> tuple[bool, int, int] | None:
    """How far ``pid`` gets with an even share of the effort from ``start``.

    ``(True, days, allocation)`` at the highest allocation at which the person is free
    for the ``days`` their share takes; else ``(False, days, allocation)`` at the
    allocation with the longest free run; ``None`` when the person is not free on ``start``.
    """
    assert mode.effort is not None
    longest: tuple[bool, int, int] | None = None
    for allocation in reversed(mode.levels[pid]):
        need = -(-mode.effort // (max(1, heads) * allocation * 100))
        run = _free_run(problem, state, pid, allocation, start, need)
        if run >= need:
            return (True, need, allocation)
        if run > 0 and (longest is None or run > longest[1]):
            longest = (False, run, allocation)
    return longest


def _effort_offers(
    problem: Problem, state: _State, mode: ModeData, people: list[str], start: int, heads: int
) -> list[Offer]:
    """Candidates for an effort-driven team from ``start``, in :func:`_pick_for_effort`'s order.

    People who finish their share, soonest first; then people free on ``start``, longest
    free first (ties in rank order); then vendors with contractors to spare that day.
    """
    finishing: list[tuple[int, int, Offer]] = []
    partial_runs: list[tuple[int, int, Offer]] = []
    for rank, pid in enumerate(people):
        reach = _effort_reach(problem, state, mode, pid, start, heads)
        if reach is not None:
            finishes, days, allocation = reach
            entry = (days if finishes else -days, rank, Offer(pid, False, allocation))
            (finishing if finishes else partial_runs).append(entry)
    ranked = [offer for _, _, offer in sorted(finishing)] + [offer for _, _, offer in sorted(partial_runs)]
    return ranked + _vendor_offers(problem, state, mode, start, start + 1)


def _free_run(problem: Problem, state: _State, pid: str, allocation: int, start: int, limit: int) -> int:
    """Consecutive days from ``start`` (at most ``limit``) on which ``pid`` can take ``allocation``."""
    person = problem.people[pid]
    if start < person.first_day:
        return 0
    load, count, cap = state.load[pid], state.count[pid], person.capacity
    concurrent = person.max_concurrent
    last = min(start + limit, person.end_day, problem.horizon)
    day = start
    while day < last and load[day] + allocation <= cap and (concurrent is None or count[day] < concurrent):
        day += 1
    return day - start


def _within_cap(problem: Problem, state: _State, vid: str, count: int, start: int, end: int) -> bool:
    vendor = problem.vendors[vid]
    if vendor.spend_cap is None:
        return True
    worked = problem.vendor_prefix[end] - problem.vendor_prefix[start]
    return state.spend[vid] + vendor.day_rate * count * worked <= vendor.spend_cap


def _add(choice: TaskChoice, member: _Candidate) -> None:
    if member.is_vendor:
        by_requirement = choice.vendors.setdefault(member.resource, {})
        by_requirement[member.requirement] = by_requirement.get(member.requirement, 0) + 1
    else:
        choice.people[member.resource] = (member.allocation, member.requirement)


def _effort_team(
    problem: Problem,
    state: _State,
    task: TaskData,
    mode: ModeData,
    people: list[str],
    start: int,
    end_floor: int,
) -> TaskChoice | None:
    """The base team that can start at ``start``, grown while that ends the task sooner."""
    assert mode.effort is not None
    choice = TaskChoice(task=task.id, mode=mode.index, start=start, end=start + 1)
    heads = len(_team_slots(mode))
    if not _staff(
        mode,
        choice,
        lambda slot: _pick_for_effort(problem, state, mode, people, choice, slot, start, heads, task.pinned),
        lambda: _effort_offers(problem, state, mode, people, start, heads),
    ):
        return None
    end = _finish(problem, state, mode, choice, end_floor)
    if end is None or not _pins_kept(task, choice):
        return None
    choice.end = end
    if not all(
        _within_cap(problem, state, v, sum(c.values()), start, end) for v, c in choice.vendors.items()
    ):
        return None
    while choice.heads() < mode.team_max:
        larger = _grow(problem, state, task, mode, people, choice, end_floor)
        if larger is None:
            break
        choice = larger
    return choice


def _grow(
    problem: Problem,
    state: _State,
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
    member = _pick(problem, state, mode, people, trial, slot, choice.start, choice.end, smallest=False)
    if member is None:
        return None
    _add(trial, member)
    end = _finish(problem, state, mode, trial, end_floor)
    if end is None or end >= choice.end:
        return None
    if not all(
        _within_cap(problem, state, v, sum(c.values()), trial.start, end) for v, c in trial.vendors.items()
    ):
        return None
    trial.end = end
    return trial


def _finish(
    problem: Problem, state: _State, mode: ModeData, choice: TaskChoice, end_floor: int
) -> int | None:
    """First end at which the team has delivered the effort, booking each day it passes."""
    assert mode.effort is not None
    done, end = 0, choice.start
    while done < mode.effort or end < end_floor:
        if end >= problem.horizon or not _day_fits(problem, state, mode, choice, end):
            return None
        done += _day_effort(problem, choice, end)
        end += 1
    return end if state.resources_fit(mode, choice.start, end) else None


def _day_fits(problem: Problem, state: _State, mode: ModeData, choice: TaskChoice, day: int) -> bool:
    for pid, (allocation, _) in choice.people.items():
        if not state.person_fits(pid, allocation, day, day + 1):
            return False
    for vid, by_requirement in choice.vendors.items():
        if state.vendor_free(vid, day, day + 1) < sum(by_requirement.values()):
            return False
    return state.resources_fit(mode, day, day + 1)


def _day_effort(problem: Problem, choice: TaskChoice, day: int) -> int:
    total = sum(
        allocation * problem.people[pid].presence[day] for pid, (allocation, _) in choice.people.items()
    )
    contractors = sum(sum(c.values()) for c in choice.vendors.values())
    if contractors:
        total += 100 * contractors * (problem.vendor_prefix[day + 1] - problem.vendor_prefix[day])
    return total
