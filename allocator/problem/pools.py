"""Skill pools: who can cover a (skill, level) requirement, alone and in unions.

Every head covering a requirement takes at least the mode's smallest allocation of a
qualified person's capacity (or a contractor's whole day), and each person covers one
requirement at a time, so the heads needing any skill of a union of pools fit the
capacity of everyone qualified for at least one of them (Hall's condition when every
union is taken). The CP model adds these as redundant cumulative constraints
(:func:`allocator.cpsat.formulation.capacity.add_skill_pool_bounds`); the feasible-set bound
(:mod:`allocator.search.literature.feasible_sets`) tests sets of tasks against them.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from allocator.problem.data import ModeData, Problem

Pool = tuple[str, int]  #: (skill, level)

#: Skill pools are also combined in pairs up to this many (skill, level) pools.
PAIRED_POOLS = 8
#: With ``every_union``, every union of pools is taken up to this many pools.
EVERY_UNION_POOLS = 10


def mode_pool_demands(mode: ModeData) -> dict[Pool, int]:
    """Capacity (percent of a day) a mode takes from each pool while it runs, at least."""
    smallest = min(mode.allocations, default=100)
    demands: dict[Pool, int] = {}
    for requirement in mode.requirements:
        pool = (requirement.skill, requirement.level)
        demands[pool] = demands.get(pool, 0) + requirement.people * smallest
    return demands


def binding_unions(
    problem: Problem, pools: list[Pool], *, every_union: bool = False
) -> list[tuple[tuple[Pool, ...], int]]:
    """Each pool and the unions tighter than their parts, with their capacities.

    Each pool alone, every pair up to :data:`PAIRED_POOLS` pools and all of them
    together; with ``every_union``, every union up to :data:`EVERY_UNION_POOLS` pools.
    A union is left out where its capacity is at least that of its parts together
    (nobody in it has two of its skills): it adds nothing to them.
    """
    alone = {pool: pool_capacity(problem, (pool,)) for pool in pools}
    result = []
    for union in _unions(sorted(pools), every_union):
        capacity = alone[union[0]] if len(union) == 1 else pool_capacity(problem, union)
        if len(union) == 1 or capacity < sum(alone[part] for part in union):
            result.append((union, capacity))
    return result


def _unions(pools: list[Pool], every_union: bool) -> list[tuple[Pool, ...]]:
    if every_union and len(pools) <= EVERY_UNION_POOLS:
        return [union for size in range(1, len(pools) + 1) for union in combinations(pools, size)]
    unions: list[tuple[Pool, ...]] = [(pool,) for pool in pools]
    if len(pools) <= PAIRED_POOLS:
        unions += [(a, b) for i, a in enumerate(pools) for b in pools[i + 1 :]]
    if len(pools) > 2:
        unions.append(tuple(pools))
    return unions


def pool_capacity(problem: Problem, union: tuple[Pool, ...]) -> int:
    """Summed capacity of the people and contractors qualified for any pool of ``union``."""

    def qualified(skills: dict[str, int]) -> bool:
        return any(skills.get(skill, 0) >= level for skill, level in union)

    people = sum(p.capacity for p in problem.people.values() if qualified(p.skills))
    return people + 100 * sum(v.headcount for v in problem.vendors.values() if qualified(v.skills))
