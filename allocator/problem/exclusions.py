"""Which tasks can never run at the same time, and why.

Two task modes cannot overlap when a chain of finish-to-start dependencies orders their
tasks, or when together they need more than some binding capacity: a union of skill
pools (every union: Hall's condition, :mod:`allocator.problem.pools`) or a renewable shared
resource. Both the feasible-set bound (:mod:`allocator.search.literature.feasible_sets`) and the CP model's
no-overlap cliques (:mod:`allocator.cpsat.formulation.cliques`) read these facts from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from allocator.problem.pools import Pool, binding_unions, mode_pool_demands

if TYPE_CHECKING:
    from allocator.problem.data import ModeData, Problem

Matrix = np.ndarray  #: integer or boolean 2-D array


def mode_demands(problem: Problem, modes: list[ModeData]) -> tuple[Matrix, Matrix]:
    """Each mode's least demand on every binding capacity (columns), and the capacities.

    Columns are the unions of skill pools and the renewable shared resources the modes
    use; columns no set of these modes can exceed are dropped.
    """
    pools: set[Pool] = {pool for mode in modes for pool in mode_pool_demands(mode)}
    unions = binding_unions(problem, sorted(pools), every_union=True)
    resources = sorted({r for mode in modes for r in mode.resources if not problem.resources[r].consumable})
    capacity = np.array([cap for _, cap in unions] + [problem.resources[r].capacity for r in resources])
    rows = []
    for mode in modes:
        pooled = mode_pool_demands(mode)
        rows.append(
            [sum(pooled.get(pool, 0) for pool in union) for union, _ in unions]
            + [mode.resources.get(r, 0) for r in resources]
        )
    demand = np.array(rows, dtype=np.int64).reshape(len(modes), len(capacity))
    binding = demand.sum(axis=0) > capacity
    return demand[:, binding], capacity[binding]


def overloading(demand: Matrix, capacity: Matrix) -> Matrix:
    """Whether two rows of ``demand`` together exceed some capacity (symmetric, boolean)."""
    over = np.zeros((len(demand), len(demand)), dtype=bool)
    for row in range(len(demand)):
        over[row] = np.any(demand + demand[row] > capacity, axis=1)
    return over


def chained(problem: Problem, task_ids: list[str]) -> Matrix:
    """Whether two tasks are ordered by a chain of finish-to-start dependencies (lag >= 0).

    A task counts as chained to itself: a set of running tasks never holds it twice.
    """
    after: dict[str, set[str]] = {}
    for tid in reversed(list(problem.tasks)):  # tasks are in topological order
        chain = [dep.succ for dep in problem.succs(tid) if dep.kind == "FS" and dep.lag >= 0]
        after[tid] = set().union(*({succ} | after[succ] for succ in chain))
    index = {tid: i for i, tid in enumerate(task_ids)}
    apart = np.zeros((len(task_ids), len(task_ids)), dtype=bool)
    for i, tid in enumerate(task_ids):
        apart[i, i] = True
        for later in after[tid] & index.keys():
            apart[i, index[later]] = apart[index[later], i] = True
    return apart
