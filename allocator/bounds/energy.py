"""Energetic reasoning over skill pools: the work a pool owes against what it can deliver.

A relaxation of the planning rules that keeps, for a *pool* of people and vendors (for
example everyone with qa at level 2 or above), only its total capacity per day
(``sum of capacity x presence`` of its people plus the contractors its vendors may field from
their lead time) and the work only the pool can do: the tasks every mode of which is
staffed from the pool alone. Such a task's effort (for a fixed-duration task, its
smallest booking: heads x the lowest allocation x the lowest presence x its duration)
must be delivered by the pool, at any pace, split over days at will (a fluid
relaxation: teams, windows, dependencies inside the pool and every other rule dropped).

In every plan the projects finish in some order; the first ``k`` to finish between them
owe the pool at least the ``k`` smallest project workloads, so the ``k``-th finishes no
earlier than the day the pool's capacity since the earliest release reaches that sum,
``T_k``. Each project also finishes no earlier than its chain allows
(:mod:`allocator.bounds.chains`). The cheapest matching of projects to finishing places
(an assignment problem, solved exactly) bounds their weighted lateness together; projects
outside the pool add their own chain bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from ortools.graph.python import linear_sum_assignment

from allocator.problem.overtime import delivery_uplift, uplifted

if TYPE_CHECKING:
    from allocator.bounds.chains import Chains
    from allocator.problem.data import ModeData, Problem

#: Effort units a contractor delivers on one scenario working day.
CONTRACTOR_DAY = 10_000
#: Most pools examined (single skills and levels first, then pairs).
MAX_POOLS = 200


@dataclass(frozen=True)
class Pool:
    """People and vendors that can only be booked together, and the name users see."""

    name: str
    people: frozenset[str]
    vendors: frozenset[str]


@dataclass(frozen=True)
class PoolBound:
    """The weighted lateness a pool forces on the projects that depend on it."""

    pool: Pool
    weighted: int  #: lower bound on the weighted lateness of ``projects``
    projects: tuple[str, ...]  #: projects whose work the pool owes (committed)
    work_days: float  #: person-days of that work
    capacity_days: float  #: person-days the pool can deliver from its earliest release to the deadline
    deadline_day: int  #: latest soft deadline among ``projects`` (timeline day, exclusive)


def pool_bounds(problem: Problem, chains: Chains, chain_weighted: dict[str, int]) -> list[PoolBound]:
    """For every skill pool, the weighted lateness of all projects it forces (see the module)."""
    energy = _Energy(problem)
    results = []
    for pool in candidate_pools(problem):
        bound = energy.bound(pool, chains, chain_weighted)
        if bound is not None:
            results.append(bound)
    return results


def candidate_pools(problem: Problem) -> list[Pool]:
    """Pools by skill and level, then by the pairs of requirements modes ask for together."""
    singles: dict[tuple[str, int], Pool] = {}
    pairs: set[tuple[tuple[str, int], tuple[str, int]]] = set()
    for task in problem.tasks.values():
        for mode in task.modes:
            keys = sorted({(r.skill, r.level) for r in mode.requirements})
            for key in keys:
                singles.setdefault(key, _skill_pool(problem, *key))
            pairs.update((a, b) for i, a in enumerate(keys) for b in keys[i + 1 :])
    pools = list(singles.values())
    for a, b in sorted(pairs):
        first, second = singles[a], singles[b]
        pools.append(
            Pool(
                f"{first.name} or {second.name}", first.people | second.people, first.vendors | second.vendors
            )
        )
    return pools[:MAX_POOLS]


def _skill_pool(problem: Problem, skill: str, level: int) -> Pool:
    people = frozenset(p.id for p in problem.people.values() if p.skills.get(skill, 0) >= level)
    vendors = frozenset(v.id for v in problem.vendors.values() if v.skills.get(skill, 0) >= level)
    return Pool(f"{skill} L{level}+" if level > 1 else skill, people, vendors)


class _Energy:
    """Pool capacities by prefix sums, and the smallest work of each task in effort units."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.presence = np.array(problem.presence_prefix, dtype=np.int64)
        self.vendor_days = np.array(problem.vendor_prefix, dtype=np.int64)  # 100 per day
        #: each person's lowest presence (percent) on a day they are present; 100 if never
        self.lowest_presence = {
            pid: min((v for v in person.presence if v > 0), default=100)
            for pid, person in problem.people.items()
        }
        #: per task of a committed project: each mode's eligible people and vendors (``None``
        #: when some mode needs nobody, so no pool holds it) and the least work it asks
        self.teams: dict[str, tuple[list[tuple[frozenset[str], frozenset[str]]], int] | None] = {
            tid: self._team_sets(task.modes) for tid, task in problem.tasks.items()
        }

    def bound(self, pool: Pool, chains: Chains, chain_weighted: dict[str, int]) -> PoolBound | None:
        problem = self.problem
        work: dict[str, int] = {}
        release = problem.horizon
        for tid, task in problem.tasks.items():
            project = problem.projects[task.project]
            teams = self.teams[tid]
            if project.candidate or teams is None or not self._inside(teams[0], pool):
                continue
            need = teams[1]
            if need > 0:
                work[task.project] = work.get(task.project, 0) + need
                release = min(release, chains.start[tid])
        late = [pid for pid in work if problem.projects[pid].soft_end is not None]
        if not late:
            return None
        capacity = self._capacity(pool)
        ordered = sorted(work[pid] for pid in late)
        finishes = _finishing_days(capacity, release, np.cumsum(ordered), problem.horizon)
        weighted = self._assignment(late, finishes, chains, chain_weighted)
        outside = sum(w for pid, w in chain_weighted.items() if pid not in late)
        deadline = max(problem.projects[pid].soft_end or 0 for pid in late)
        return PoolBound(
            pool=pool,
            weighted=weighted + outside,
            projects=tuple(sorted(late)),
            work_days=sum(work[pid] for pid in late) / CONTRACTOR_DAY,
            capacity_days=float(capacity[min(deadline, problem.horizon)] - capacity[release])
            / CONTRACTOR_DAY,
            deadline_day=deadline,
        )

    def _team_sets(
        self, modes: list[ModeData]
    ) -> tuple[list[tuple[frozenset[str], frozenset[str]]], int] | None:
        """Each mode's eligible people and vendors, and the least work of the task; ``None``
        when some mode needs nobody (no pool can hold the task)."""
        if not all(mode.team_max > 0 and (mode.people or mode.vendors) for mode in modes):
            return None
        sets = [(frozenset(mode.people), frozenset(mode.vendors)) for mode in modes]
        return sets, min(self._work(mode) for mode in modes)

    @staticmethod
    def _inside(teams: list[tuple[frozenset[str], frozenset[str]]], pool: Pool) -> bool:
        """Whether every mode's team can only come from ``pool``."""
        return all(people <= pool.people and vendors <= pool.vendors for people, vendors in teams)

    def _work(self, mode: ModeData) -> int:
        """The least work ``mode`` asks of its team, in effort units."""
        if mode.effort is not None:
            return mode.effort
        assert mode.duration is not None
        heads = max(mode.team_min, sum(r.people for r in mode.requirements))
        lowest = min(mode.allocations) * self._lowest_presence(mode)
        return heads * lowest * mode.duration

    def _lowest_presence(self, mode: ModeData) -> int:
        """The lowest presence (percent) any eligible person has on a day they are present."""
        values = [self.lowest_presence[pid] for pid in mode.people]
        return min([*values, 100]) if mode.vendors or values else 0

    def _capacity(self, pool: Pool) -> np.ndarray:
        """``capacity[E]`` = effort units the pool can deliver on timeline days ``[0, E)``
        (people allowed overtime as if they worked it every day)."""
        problem = self.problem
        total = np.zeros(problem.horizon + 1, dtype=np.int64)
        people = sorted(pool.people)
        uplift = delivery_uplift(problem, people)
        for at, pid in enumerate(people):
            person = problem.people[pid]
            units = person.capacity * self.presence[person.presence_class]
            total += units if uplift is None else uplifted(units, uplift[0][at], uplift[1])
        for vid in pool.vendors:
            vendor = problem.vendors[vid]
            days = self.vendor_days - self.vendor_days[min(vendor.lead_day, problem.horizon)]
            total += vendor.headcount * (CONTRACTOR_DAY // 100) * np.maximum(days, 0)
        return total

    def _assignment(
        self, late: list[str], finishes: list[int], chains: Chains, chain_weighted: dict[str, int]
    ) -> int:
        """The cheapest matching of projects to finishing places (exact)."""
        problem = self.problem
        solver = linear_sum_assignment.SimpleLinearSumAssignment()
        for row, pid in enumerate(late):
            project = problem.projects[pid]
            assert project.soft_end is not None
            earliest = max(chains.finish[t] for t in project.tasks)
            tasks_late = chain_weighted.get(pid, 0) - project.priority * max(0, earliest - project.soft_end)
            for column, finish in enumerate(finishes):
                cost = project.priority * max(0, max(finish, earliest) - project.soft_end) + tasks_late
                solver.add_arc_with_cost(row, column, cost)
        if solver.solve() != solver.OPTIMAL:
            return 0
        return int(solver.optimal_cost())


def _finishing_days(capacity: np.ndarray, release: int, sums: np.ndarray, horizon: int) -> list[int]:
    """For each cumulative workload, the first end ``E`` with capacity ``[release, E)`` covering it."""
    targets = capacity[release] + sums
    ends = np.searchsorted(capacity, targets, side="left")
    return [int(min(end, horizon)) for end in ends]
