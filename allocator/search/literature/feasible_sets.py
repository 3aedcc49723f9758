"""A lower bound on the makespan from the sets of tasks that can run at the same time.

At every moment of a plan the tasks running form a *feasible set*: no two of them are
ordered by a chain of finish-to-start dependencies, and together they fit every skill
pool (every union of pools: Hall's condition, :mod:`allocator.problem.pools`) and every
renewable shared resource. Each task runs for its duration, so the plan lasts at least
as long as the least total time of feasible sets covering every task's duration: a
covering LP over the maximal feasible sets, the RCPSP bound of Mingozzi, Maniezzo,
Ricciardelli and Bianco (Management Science 44(5), 1998), which Brucker and Knust
(EJOR 127, 2000) computed by column generation. Here the sets are listed outright.

Everything else is left out (precedence beyond "not together", who the people are,
calendars), so the bound holds for every plan. Where few tasks run at once it is
strong: on MSPSP instances it is within a day or two of the optimum where CP-SAT's own
bound stays 10-20 % below it. Where many tasks can run together the sets are too many
to list, and there is no bound (``None``).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np
from ortools.linear_solver import pywraplp

from allocator.problem.exclusions import Matrix, chained, mode_demands

if TYPE_CHECKING:
    from allocator.problem.data import ModeData, Problem

#: Most search nodes listing the maximal feasible sets; past it there is no bound.
MAX_NODES = 20_000


class _TooMany(Exception):
    """The maximal feasible sets are too many to list in time."""


def makespan_bound(problem: Problem, seconds: float) -> int | None:
    """The least makespan any plan of ``problem`` can have, by the feasible-set bound.

    Parameters
    ----------
    problem
        A compiled problem. Tasks of candidate projects and effort-driven tasks are
        left out (the bound stays valid without them).
    seconds
        Time for listing the maximal feasible sets; past it there is no bound.

    Returns
    -------
    int | None
        A timeline day no plan ends before, or ``None`` when the bound cannot be
        computed in time (too many sets) or nothing is left to bound.
    """
    deadline = time.monotonic() + seconds
    shortest = {
        tid: min(mode.duration for mode in task.modes if mode.duration is not None)
        for tid, task in problem.tasks.items()
        if not task.optional and task.modes and all(mode.duration is not None for mode in task.modes)
    }
    tasks = [problem.tasks[tid] for tid, duration in shortest.items() if duration > 0]
    if not tasks:
        return None
    durations = [shortest[task.id] for task in tasks]
    demand, capacity = _demands(problem, [task.modes for task in tasks])
    if np.any(demand > capacity):
        return None  # a task that fits nowhere: the model itself reports it
    apart = chained(problem, [task.id for task in tasks])
    try:
        sets = _maximal_sets(demand, capacity, apart, deadline)
    except _TooMany:
        return None
    covered = _cover(sets, durations)
    return min(task.earliest for task in tasks) + covered


def _demands(problem: Problem, modes_per_task: list[list[ModeData]]) -> tuple[Matrix, Matrix]:
    """Each task's least demand over its modes on every binding capacity, and the capacities."""
    demand, capacity = mode_demands(problem, [mode for modes in modes_per_task for mode in modes])
    first = np.cumsum([0] + [len(modes) for modes in modes_per_task[:-1]])
    least = np.minimum.reduceat(demand, first, axis=0)
    binding = least.sum(axis=0) > capacity
    return least[:, binding], capacity[binding]


def _maximal_sets(demand: Matrix, capacity: Matrix, apart: Matrix, deadline: float) -> list[list[int]]:
    """Every maximal feasible set of task indices (depth-first, each set once)."""
    count = len(demand)
    sets: list[list[int]] = []
    nodes = 0

    def fitting(load: Matrix, candidates: Matrix) -> Matrix:
        return candidates[np.all(demand[candidates] + load <= capacity, axis=1)]

    def extend(chosen: list[int], load: Matrix, candidates: Matrix) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES or (nodes % 100 == 0 and time.monotonic() > deadline):
            raise _TooMany
        for k, task in enumerate(candidates):
            rest = candidates[k + 1 :]
            rest = rest[~apart[task, rest]]
            grown = load + demand[task]
            extend([*chosen, int(task)], grown, fitting(grown, rest))
        if chosen and not extensible(chosen, load):
            sets.append(chosen)

    def extensible(chosen: list[int], load: Matrix) -> bool:
        return len(fitting(load, np.flatnonzero(~apart[chosen].any(axis=0)))) > 0

    extend([], np.zeros(len(capacity), dtype=np.int64), fitting(np.zeros(len(capacity)), np.arange(count)))
    return sets


def _cover(sets: list[list[int]], durations: list[int]) -> int:
    """Least total time of sets giving every task its duration, by linear programming.

    The bound is read from the LP's dual, scaled until it is feasible (no set's tasks
    worth more than one day together), so rounding in the LP solver cannot overstate
    it: ``sum(duration x worth)`` of a feasible dual bounds the covering problem.
    """
    solver = pywraplp.Solver.CreateSolver("GLOP")
    time_in = [solver.NumVar(0, solver.infinity(), f"set_time[{n}]") for n in range(len(sets))]
    members: list[list[pywraplp.Variable]] = [[] for _ in durations]
    for variable, chosen in zip(time_in, sets, strict=True):
        for task in chosen:
            members[task].append(variable)
    covers = [solver.Add(sum(members[task]) >= duration) for task, duration in enumerate(durations)]
    solver.Minimize(sum(time_in))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return max(durations)
    worth = np.array([max(0.0, cover.dual_value()) for cover in covers])
    heaviest = max(float(worth[chosen].sum()) for chosen in sets)
    bound = float(np.dot(worth, durations)) / max(1.0, heaviest)
    return max(max(durations), math.ceil(bound - 1e-6))
