"""Makespan upper bounds from a quick serial schedule-generation scheme.

A converted scenario's window (``Scenario.end``) is an upper bound on the makespan. All
tasks in series is always one, but it is often ten to fifty times the optimum, and the
planner's timeline, and with it the size of every per-day table, grows with the window.
These functions build one feasible schedule greedily (every task, in a topological
order, at the earliest time its predecessors and resources allow) and return its
makespan, a much tighter bound. They return ``None`` when the greedy pass finds no
schedule; callers then keep the serial bound.
"""

from __future__ import annotations

import bisect
import heapq
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

#: Busy intervals ``[start, end)`` of one worker, sorted by start and disjoint.
Busy = list[tuple[int, int]]


def topological(predecessors: Mapping[int, Sequence[int]]) -> list[int]:
    """Every node after its predecessors; among ready nodes the smallest id first.

    Raises
    ------
    ValueError
        When the precedence relations contain a cycle or name an unknown node.
    """
    successors: dict[int, list[int]] = {node: [] for node in predecessors}
    indegree = {node: len(preds) for node, preds in predecessors.items()}
    for node, preds in predecessors.items():
        for pred in preds:
            if pred not in successors:
                raise ValueError(f"precedence {pred} -> {node} names an unknown node")
            successors[pred].append(node)
    ready = [node for node, count in indegree.items() if count == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        node = heapq.heappop(ready)
        order.append(node)
        for succ in successors[node]:
            indegree[succ] -= 1
            if indegree[succ] == 0:
                heapq.heappush(ready, succ)
    if len(order) != len(predecessors):
        raise ValueError("the precedence relations contain a cycle")
    return order


def renewable_makespan(
    durations: Mapping[int, int],
    demands: Mapping[int, Sequence[int]],
    capacities: Sequence[int],
    predecessors: Mapping[int, Sequence[int]],
) -> int | None:
    """Makespan of a serial schedule under renewable resources (finish-to-start precedences).

    Parameters
    ----------
    durations, demands
        Duration and demand per resource of every task (keys of ``predecessors``).
    capacities
        Capacity of each renewable resource.
    predecessors
        Finish-to-start predecessors of every task.
    """
    if any(d > c for demand in demands.values() for d, c in zip(demand, capacities, strict=True)):
        return None
    usage: list[list[int]] = [[] for _ in capacities]
    finish: dict[int, int] = {}
    for task in topological(predecessors):
        duration, demand = durations[task], demands[task]
        start = max((finish[p] for p in predecessors[task]), default=0)
        while (clash := _last_clash(usage, demand, capacities, start, duration)) is not None:
            start = clash + 1
        for used, amount in zip(usage, demand, strict=True):
            if amount:
                used.extend([0] * (start + duration - len(used)))
                for day in range(start, start + duration):
                    used[day] += amount
        finish[task] = start + duration
    return max(finish.values(), default=0)


def _last_clash(
    usage: list[list[int]], demand: Sequence[int], capacities: Sequence[int], start: int, duration: int
) -> int | None:
    """The last time unit of ``[start, start + duration)`` where ``demand`` does not fit."""
    for day in range(start + duration - 1, start - 1, -1):
        for used, amount, capacity in zip(usage, demand, capacities, strict=True):
            if amount and day < len(used) and used[day] + amount > capacity:
                return day
    return None


def staffed_makespan(
    durations: Mapping[int, int],
    slots: Mapping[int, Sequence[frozenset[int]]],
    predecessors: Mapping[int, Sequence[int]],
) -> int | None:
    """Makespan of a serial schedule of tasks that each need distinct workers for their whole run.

    Parameters
    ----------
    durations
        Duration of every task (keys of ``predecessors``).
    slots
        Per task, one set of eligible workers for each head it needs; a worker fills
        at most one slot of a task and works on one task at a time.
    predecessors
        Finish-to-start predecessors of every task.
    """
    busy: dict[int, Busy] = {}
    finish: dict[int, int] = {}
    for task in topological(predecessors):
        duration, needs = durations[task], slots[task]
        earliest = max((finish[p] for p in predecessors[task]), default=0)
        start = earliest if duration == 0 or not needs else _staffed_start(busy, needs, earliest, duration)
        if start is None:
            return None
        finish[task] = start + duration
    return max(finish.values(), default=0)


def _staffed_start(
    busy: dict[int, Busy], needs: Sequence[frozenset[int]], earliest: int, duration: int
) -> int | None:
    """Earliest start from ``earliest`` at which a team is free throughout; books that team."""
    workers = set().union(*needs)
    ends = {end for w in workers for _, end in busy.get(w, ()) if end > earliest}
    for start in sorted({earliest, *ends}):
        free = {w for w in workers if _free(busy.get(w, []), start, start + duration)}
        team = _match(needs, free)
        if team is not None:
            for worker in team:
                bisect.insort(busy.setdefault(worker, []), (start, start + duration))
            return start
    return None


def _free(intervals: Busy, start: int, end: int) -> bool:
    """Whether no busy interval overlaps ``[start, end)``."""
    at = bisect.bisect_left(intervals, (end,))
    return at == 0 or intervals[at - 1][1] <= start


def _match(needs: Sequence[frozenset[int]], free: set[int]) -> list[int] | None:
    """Distinct free workers, one per slot (augmenting paths), or ``None`` when there are none."""
    holder: dict[int, int] = {}  # worker -> slot

    def augment(slot: int, seen: set[int]) -> bool:
        for worker in sorted(needs[slot] & free):
            if worker in seen:
                continue
            seen.add(worker)
            if worker not in holder or augment(holder[worker], seen):
                holder[worker] = slot
                return True
        return False

    if all(augment(slot, set()) for slot in range(len(needs))):
        return list(holder)
    return None
