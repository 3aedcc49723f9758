"""What a solve needs to re-plan: the baseline's decisions and the tasks frozen to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.plan.assemble import schedule_from_plan

if TYPE_CHECKING:
    from allocator.problem.data import Problem
    from models import Plan


@dataclass(frozen=True)
class ReplanInput:
    """The reference a re-plan is measured against.

    Parameters
    ----------
    baseline
        The baseline's decisions for the work still to do, dated on the re-plan
        scenario (in-progress tasks resume on the as-of date with their team).
    frozen
        Tasks that keep the baseline's mode, dates and team exactly.
    """

    baseline: Plan
    frozen: frozenset[str] = field(default_factory=frozenset)

    def apply(self, problem: Problem) -> None:
        """Set the problem's baseline schedule and frozen tasks."""
        problem.baseline = schedule_from_plan(problem, self.baseline)
        problem.frozen = {tid for tid in self.frozen if tid in problem.baseline}
