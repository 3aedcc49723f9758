"""Per-project lateness bounds with their reason, and the bound of each objective stage.

A project's bound is its dependency chain's (:func:`~allocator.bounds.chains.earliest_finishes`).
Weighted by the projects' priorities and summed, they bound the lateness term: each
project's lateness in a plan is at least its own bound, whatever the other projects do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.cpsat.formulation.objectives import MONEY_TERMS
from allocator.problem.data import MONEY_SCALE
from models import ObjectiveTerm, ProjectBound

if TYPE_CHECKING:
    import datetime as dt

    from allocator.bounds.chains import Chains
    from allocator.problem.data import Problem, ProjectData


@dataclass
class PortfolioBounds:
    """Everything known below every plan: chains, lateness, cost, and why, in words."""

    chains: Chains
    #: A lower bound on the weighted lateness of the committed projects together.
    committed_lateness: int = 0
    #: Per candidate project, a lower bound on its weighted lateness were it planned.
    candidate_lateness: dict[str, int] = field(default_factory=dict)
    projects: dict[str, ProjectBound] = field(default_factory=dict)
    cost: int = 0  #: money units no plan avoids
    reasons: list[str] = field(default_factory=list)  #: what the lateness bound rests on

    def stage(self, problem: Problem, stage: dict[ObjectiveTerm, int]) -> int:
        """A lower bound on the objective of ``stage`` (in the stage's own units).

        Every term is at least 0, so terms without a bound of their own count 0; a
        candidate project counts the cheaper of its lateness and its deferral.
        """
        mixed = any(t in MONEY_TERMS for t in stage) and any(t not in MONEY_TERMS for t in stage)

        def weight(term: ObjectiveTerm) -> int:
            scale = MONEY_SCALE if mixed and term not in MONEY_TERMS else 1
            return stage.get(term, 0) * scale

        finishes = self.chains.finish
        committed = [p for p in problem.projects.values() if not p.candidate and p.tasks]
        total = weight(ObjectiveTerm.COST) * self.cost
        total += weight(ObjectiveTerm.MAKESPAN) * max(
            (finishes[t] for p in committed for t in p.tasks), default=0
        )
        total += weight(ObjectiveTerm.FINISH) * sum(
            max(1, p.priority) * max(finishes[t] for t in p.tasks) for p in committed
        )
        total += weight(ObjectiveTerm.LATENESS) * self.committed_lateness
        for pid, late in self.candidate_lateness.items():
            value = problem.projects[pid].value
            total += min(weight(ObjectiveTerm.LATENESS) * late, weight(ObjectiveTerm.DEFERRAL) * value)
        return total


def chain_lateness(problem: Problem, chains: Chains) -> dict[str, int]:
    """Per project, its priority-weighted lateness when every task ends at its earliest."""
    weighted: dict[str, int] = {}
    for pid, project in problem.projects.items():
        total = project.priority * _project_late(project, chains)
        for tid in project.tasks:
            task = problem.tasks[tid]
            if task.soft_end is not None:
                total += task.priority * max(0, chains.finish[tid] - task.soft_end)
        if total > 0:
            weighted[pid] = total
    return weighted


def _project_late(project: ProjectData, chains: Chains) -> int:
    if project.soft_end is None or not project.tasks:
        return 0
    return max(0, max(chains.finish[t] for t in project.tasks) - project.soft_end)


def project_bounds(problem: Problem, chains: Chains) -> dict[str, ProjectBound]:
    """The projects that are late in every plan, by their dependency chain, with the reason."""
    bounds = {}
    for pid, project in problem.projects.items():
        late = _project_late(project, chains)
        if late <= 0:
            continue
        last = max(project.tasks, key=lambda t: chains.finish[t])
        chain = chains.chain(last)
        bounds[pid] = ProjectBound(
            project=pid,
            late_days=late,
            earliest_finish=_finish_date(problem, chains.finish[last]),
            deadline=_deadline(problem, pid),
            reason=_chain_reason(problem, chains, pid, chain),
            chain=tuple(chain),
            source="chain",
        )
    return bounds


def _finish_date(problem: Problem, end: int) -> dt.date:
    """The last working day of a task ending (exclusively) on timeline day ``end``."""
    return problem.timeline.date(max(0, min(end, len(problem.timeline)) - 1))


def _deadline(problem: Problem, pid: str) -> dt.date | None:
    project = next(p for p in problem.scenario.projects if p.id == pid)
    return project.deadline


def _chain_reason(problem: Problem, chains: Chains, pid: str, chain: list[str]) -> str:
    """One line: the chain, where it starts and what it needs, in working days and dates."""
    first, last = chain[0], chain[-1]
    start_day = chains.start[first]
    start = problem.timeline.date(min(start_day, len(problem.timeline) - 1))
    days = chains.finish[last] - start_day
    names = " → ".join(_task_label(problem, pid, tid) for tid in chain)
    opening = "starts" if start_day <= 0 else "cannot start before"
    return (
        f"its chain {names} {opening} {start:%d %b} and needs {days} working days even with the "
        f"fastest team the skills allow, so it finishes {_finish_date(problem, chains.finish[last]):%d %b} "
        f"at the earliest"
    )


def _task_label(problem: Problem, pid: str, tid: str) -> str:
    """A task's id, with its project when that is another one (a cross-project dependency)."""
    owner = problem.tasks[tid].project
    return tid if owner == pid else f"{tid} ({owner})"
