"""All bounds of a portfolio at once, with the reasons a manager reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.bounds.chains import earliest_finishes
from allocator.bounds.cost import forced_cost
from allocator.bounds.energy import PoolBound, pool_bounds
from allocator.bounds.lateness import PortfolioBounds, chain_lateness, project_bounds

if TYPE_CHECKING:
    from allocator.problem.data import Problem


def portfolio_bounds(problem: Problem) -> PortfolioBounds:
    """Chains, per-project bounds, the best pool bound and the forced cost of ``problem``.

    The committed projects' lateness bound is the larger of their chain bounds summed
    and the best pool bound (which includes the chain bounds of the projects outside
    its pool); each is a relaxation of the planning rules (:mod:`allocator.bounds`).
    """
    chains = earliest_finishes(problem)
    weighted = chain_lateness(problem, chains)
    committed = {pid: w for pid, w in weighted.items() if not problem.projects[pid].candidate}
    bounds = PortfolioBounds(
        chains=chains,
        committed_lateness=sum(committed.values()),
        candidate_lateness={pid: w for pid, w in weighted.items() if pid not in committed},
        projects=project_bounds(problem, chains),
        cost=forced_cost(problem),
    )
    bounds.reasons = [f"{pid}: {b.reason}" for pid, b in bounds.projects.items()]
    best = max(pool_bounds(problem, chains, committed), key=lambda b: b.weighted, default=None)
    if best is not None and best.weighted > bounds.committed_lateness:
        bounds.committed_lateness = best.weighted
        bounds.reasons.append(pool_reason(problem, best))
    return bounds


def pool_reason(problem: Problem, bound: PoolBound) -> str:
    """One line on a pool that cannot deliver its projects' work by their deadlines."""
    pool = bound.pool
    who = f"{len(pool.people)} people" + (
        f" and vendor(s) {', '.join(sorted(pool.vendors))}" if pool.vendors else ""
    )
    deadline = problem.timeline.date(max(0, min(bound.deadline_day, len(problem.timeline)) - 1))
    return (
        f"{pool.name} ({who}) owe {bound.work_days:.0f} person-days of work to "
        f"{', '.join(bound.projects)} and can deliver {bound.capacity_days:.0f} by {deadline:%d %b}: "
        f"together at least {bound.weighted} weighted late days"
    )
