"""Redundant: no-overlap over cliques of task modes that can never run together.

Where two task modes together need more of some union of skill pools (or a renewable
resource) than there is, they cannot overlap (:mod:`allocator.problem.exclusions`); the pool
cumulatives imply it, but only a disjunctive constraint lets CP-SAT reason about the
order of such tasks (edge finding, detectable precedences). The conflicts are covered
greedily by cliques, which also take in modes ordered by dependencies and the other
modes of the same task, and each clique becomes one no-overlap constraint. On
multi-skill instances where few tasks can be staffed together this turns a bound
10-20 % below the optimum into a proof in under a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from allocator.problem.exclusions import Matrix, chained, mode_demands, overloading

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from allocator.cpsat.formulation.variables import Variables
    from allocator.problem.data import Problem

#: Cliques are added only where at least this share of the pairs of modes not ordered by
#: dependencies cannot run together. Below it they cost more than they give: on the 219
#: MSPSP set-1a and set-2a instances under a fifth, one-minute solves proved 3 fewer and
#: took 15 % longer; on the 104 at a quarter or more, 2 more and 35 % less time.
MIN_CONFLICT_SHARE = 0.25


def add_conflict_cliques(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """One no-overlap per clique of modes that cannot run at the same time.

    Only where people or contractors cover skill requirements (elsewhere the resource
    cumulatives alone do as well) and where at least :data:`MIN_CONFLICT_SHARE` of the
    pairs of modes not ordered by dependencies conflict; left out of restricted
    problems, like the pool bounds, as fixed work is not counted.
    """
    if problem.fixed.project_end or not (problem.people or problem.vendors):
        return
    modes = [
        mode
        for task in variables.tasks.values()
        for mode in task.modes
        if mode.data.duration is None or mode.data.duration > 0
    ]
    if len(modes) < 2 or not any(mode.data.requirements for mode in modes):
        return
    demand, capacity = mode_demands(problem, [mode.data for mode in modes])
    position = {tid: n for n, tid in enumerate(dict.fromkeys(mode.data.task for mode in modes))}
    of_task = np.array([position[mode.data.task] for mode in modes])
    ordered = chained(problem, list(position))[np.ix_(of_task, of_task)]  # same task counts as ordered
    conflicting = overloading(demand, capacity) & ~ordered
    if conflicting.sum() < MIN_CONFLICT_SHARE * (~ordered).sum():
        return
    apart = ordered | conflicting
    np.fill_diagonal(apart, False)
    for clique in conflict_cliques(apart, conflicting):
        model.add_no_overlap([modes[i].interval for i in clique])


def conflict_cliques(apart: Matrix, needed: Matrix) -> list[list[int]]:
    """Cliques of ``apart`` covering every edge of ``needed`` (greedy, largest first).

    Each clique starts from the node with the most uncovered needed edges and that
    edge's neighbour sharing the most neighbours, then grows by the candidate sharing
    the most neighbours with the others.
    """
    open_edges = needed.copy()
    cliques: list[list[int]] = []
    while open_edges.any():
        first = int(open_edges.sum(axis=1).argmax())
        partners = np.flatnonzero(open_edges[first])
        candidates = apart[first].copy()
        second = int(partners[(apart[partners] & candidates).sum(axis=1).argmax()])
        clique = [first, second]
        candidates &= apart[second]
        while candidates.any():
            grow = np.flatnonzero(candidates)
            best = int(grow[(apart[grow] & candidates).sum(axis=1).argmax()])
            clique.append(best)
            candidates &= apart[best]
        members = np.array(clique)
        open_edges[np.ix_(members, members)] = False
        cliques.append(clique)
    return cliques
