"""Earliest finishes: each task as early as its chain, the calendars and its skills allow.

A relaxation of the planning rules that keeps, for every task, its earliest start, its
dependencies (all four kinds, with lags), the presence of each eligible person on each
day (holidays, leave, part-time, joiners), vendor lead times, and the fastest team a
mode could ever have; and drops everything that makes tasks compete: people's capacity
across tasks, vendor headcount across tasks, shared resources, budgets and hard
deadlines. Every plan therefore ends each task no earlier than :attr:`Chains.finish`.

The fastest team of an effort-driven mode is bounded by the ``team_max`` eligible
people and contractors who would deliver the most in the window, each at the largest
allocation they may take: their deliveries summed are at least what any real team
delivers; a person allowed overtime counts as if booked with it throughout (the cap
dropped). A fixed-duration mode starts no earlier than the first day from which,
for each of its requirements, someone covering it could be present throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from allocator.problem.overtime import delivery_uplift, uplifted

if TYPE_CHECKING:
    from allocator.problem.data import Dep, ModeData, Problem

#: Effort units a contractor delivers on one scenario working day (100 % x 100 % presence).
CONTRACTOR_DAY = 10_000


@dataclass
class Chains:
    """Earliest start and finish of every task (timeline days, finish exclusive)."""

    start: dict[str, int] = field(default_factory=dict)
    finish: dict[str, int] = field(default_factory=dict)
    #: The dependency that sets a task's earliest start or finish (``None``: its own
    #: earliest start, or its work alone, sets it).
    driver: dict[str, Dep | None] = field(default_factory=dict)
    #: Index of the mode that finishes first (the one the reason names).
    mode: dict[str, int] = field(default_factory=dict)

    def chain(self, task: str) -> list[str]:
        """The tasks that set ``task``'s earliest finish, first to last."""
        order = [task]
        while (dep := self.driver.get(order[-1])) is not None and dep.pred not in order:
            order.append(dep.pred)
        return order[::-1]


def earliest_finishes(problem: Problem) -> Chains:
    """Earliest start and finish of every task of ``problem`` in any plan.

    Tasks are visited in the problem's topological order. Tasks held at a baseline
    (re-planning) keep their baseline window.
    """
    delivery = _Delivery(problem)
    chains = Chains()
    for tid, task in problem.tasks.items():
        held = problem.baseline.get(tid) if problem.baseline is not None and tid in problem.frozen else None
        if held is not None:
            chains.start[tid], chains.finish[tid] = held.start, held.end
            chains.driver[tid], chains.mode[tid] = None, held.mode
            continue
        start, start_dep, end_floor, end_dep = _floors(problem, chains, tid, task.earliest)
        best_end, best_mode = None, 0
        for mode in task.modes:
            end = delivery.earliest_end(mode, start)
            if end is not None and (best_end is None or end < best_end):
                best_end, best_mode = end, mode.index
        # No mode fits the timeline: the bound claims nothing beyond the start.
        finish = max(end_floor, best_end if best_end is not None else start)
        chains.start[tid], chains.finish[tid], chains.mode[tid] = start, finish, best_mode
        chains.driver[tid] = end_dep if end_dep is not None and end_floor >= finish else start_dep
    return chains


def _floors(
    problem: Problem, chains: Chains, tid: str, earliest: int
) -> tuple[int, Dep | None, int, Dep | None]:
    """Earliest start and end that ``tid``'s predecessors allow, and the dependency behind each."""
    start, start_dep, end, end_dep = earliest, None, 0, None
    for dep in problem.preds(tid):
        if dep.pred not in chains.finish:
            continue
        if dep.kind in ("FS", "SS"):
            floor = (chains.finish if dep.kind == "FS" else chains.start)[dep.pred] + dep.lag
            if floor > start:
                start, start_dep = floor, dep
        else:
            floor = (chains.finish if dep.kind == "FF" else chains.start)[dep.pred] + dep.lag
            if floor > end:
                end, end_dep = floor, dep
    return start, start_dep, end, end_dep


class _Delivery:
    """Prefix sums of presence per person and of the scenario's working days, as arrays."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.presence = np.array(problem.presence_prefix, dtype=np.int64)
        self.vendor_days = np.array(problem.vendor_prefix, dtype=np.int64)  # 100 per day
        self.horizon = problem.horizon
        #: per effort mode (by task and index): each eligible person's presence class and top allocation
        self._teams: dict[tuple[str, int], tuple[np.ndarray, np.ndarray, tuple[np.ndarray, int] | None]] = {}

    def earliest_end(self, mode: ModeData, start: int) -> int | None:
        """The earliest end of ``mode`` started no earlier than ``start``; ``None`` if it cannot run."""
        first = self._first_start(mode, start)
        if first is None:
            return None
        if mode.duration is not None:
            return first + mode.duration if first + mode.duration <= self.horizon else None
        assert mode.effort is not None
        if mode.effort <= 0:
            return first
        if mode.team_max == 0:
            return None
        return self._effort_end(mode, first)

    def _first_start(self, mode: ModeData, start: int) -> int | None:
        """The first start from which someone could cover each requirement of ``mode``."""
        problem, first = self.problem, start
        for index, requirement in enumerate(mode.requirements):
            if requirement.people <= 0:
                continue
            options = [
                self._person_start(mode, pid, start) for pid in mode.people if index in mode.covers[pid]
            ]
            options += [
                max(start, problem.vendors[vid].lead_day)
                for vid in mode.vendors
                if index in mode.vendor_covers[vid]
            ]
            known = [day for day in options if day is not None]
            if not known:
                return None
            first = max(first, min(known))
        return first

    def _person_start(self, mode: ModeData, pid: str, start: int) -> int | None:
        person = self.problem.people[pid]
        if mode.duration is not None:
            return mode.starts[pid].first_from(max(start, person.first_day))
        return max(start, person.first_day)

    def _effort_end(self, mode: ModeData, start: int) -> int | None:
        """Smallest end whose best team delivers the mode's effort from ``start`` (binary search)."""
        assert mode.effort is not None
        if self._delivered(mode, start, self.horizon) < mode.effort:
            return None
        low, high = start + 1, self.horizon
        while low < high:
            middle = (low + high) // 2
            if self._delivered(mode, start, middle) >= mode.effort:
                high = middle
            else:
                low = middle + 1
        return low

    def _team(self, mode: ModeData) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, int] | None]:
        key = (mode.task, mode.index)
        if key not in self._teams:
            people = [self.problem.people[pid] for pid in mode.people]
            classes = np.array([p.presence_class for p in people], dtype=np.int64)
            levels = np.array([max(mode.levels[p.id]) for p in people], dtype=np.int64)
            uplift = delivery_uplift(self.problem, mode.people) if mode.is_effort else None
            scaled = None if uplift is None else (np.array(uplift[0], dtype=np.int64), uplift[1])
            self._teams[key] = (classes, levels, scaled)
        return self._teams[key]

    def _delivered(self, mode: ModeData, start: int, end: int) -> int:
        """The most effort ``mode.team_max`` heads could deliver in ``[start, end)``."""
        problem = self.problem
        classes, levels, uplift = self._team(mode)
        heads: list[int] = []
        if len(classes):
            units = levels * (self.presence[classes, end] - self.presence[classes, start])
            if uplift is not None:
                numerators, week = uplift
                units = uplifted(units, numerators, week)
            heads = units.tolist()
        for vid in mode.vendors:
            vendor = problem.vendors[vid]
            first = max(start, vendor.lead_day)
            if first < end:
                days = int(self.vendor_days[end] - self.vendor_days[first]) * CONTRACTOR_DAY // 100
                heads.extend([days] * min(vendor.headcount, mode.team_max))
        heads.sort(reverse=True)
        return sum(heads[: mode.team_max])
