"""The independent plan checker: every planning rule re-verified from the plan alone.

:func:`check_plan` reads only the scenario and the plan, never the optimiser's model, so a
fault in the formulation cannot hide itself. It imports nothing of the optimiser either:
it works out timeline days, working days and presence itself (:mod:`allocator.checker.days`)
and recomputes every figure the plan records (:mod:`allocator.checker.figures`), so a fault
in the optimiser's calendar or in the code that fills the figures is caught too. Each rule
family is one function; :data:`RULES` lists the rule ids a report can name, in the order
they are checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.checker.context import CheckContext
from allocator.checker.figures import check_figures
from allocator.checker.overtime import check_overtime
from allocator.checker.pools import check_budgets, check_shared_resources, check_vendors
from allocator.checker.structure import (
    check_earliest_starts,
    check_modes,
    check_projects_planned,
    resolve_tasks,
)
from allocator.checker.teams import check_team_rules
from allocator.checker.timing import check_dependencies, check_hard_deadlines, warn_past_window
from allocator.checker.work import check_person_days, check_work
from models import CheckReport

if TYPE_CHECKING:
    from models import Plan, Scenario

__all__ = ["RULES", "check_plan"]

#: Rule ids, in the order they are checked.
RULES: tuple[str, ...] = (
    "plan-ids",
    "duplicate-task",
    "dates",
    "earliest-start",
    "mode",
    "projects",
    "qualification",
    "headcount",
    "team-size",
    "allocation",
    "vendor-policy",
    "pinned",
    "excluded",
    "employment",
    "capacity",
    "concurrency",
    "effort",
    "duration",
    "presence",
    "overtime",
    "predecessor",
    "dependency",
    "deadline",
    "vendor-headcount",
    "vendor-lead-time",
    "vendor-spend",
    "vendor-engagement",
    "resource-renewable",
    "resource-consumable",
    "budget",
)
FIGURES_RULE = "figures"


def check_plan(scenario: Scenario, plan: Plan, *, figures: bool = True) -> CheckReport:
    """Verify every planning rule for ``plan`` and recompute its figures.

    Parameters
    ----------
    scenario
        The scenario the plan claims to solve.
    plan
        The plan to verify: its task plans carry dates, modes and assignments.
    figures
        Also compare the plan's recorded project forecasts, vendor use, weekly loads,
        KPIs and task lateness against recomputed ones (rule ``figures``). Turn off to
        judge bare task plans.

    Returns
    -------
    CheckReport
        ``ok`` when no rule is broken; each violation names its rule, the entity
        (``task crm-build``, ``person alice``, ``vendor acme``, ``project crm``) and the
        dates and numbers involved. Warnings break no rule: tasks finishing after the
        scenario end, work scheduled longer than needed, recorded assignment efforts
        that differ from the effort delivered.
    """
    ctx = CheckContext(scenario, plan)
    resolve_tasks(ctx)
    check_earliest_starts(ctx)
    check_modes(ctx)
    check_projects_planned(ctx)
    check_team_rules(ctx)
    check_person_days(ctx)
    check_work(ctx)
    check_overtime(ctx)
    check_dependencies(ctx)
    check_hard_deadlines(ctx)
    check_vendors(ctx)
    check_shared_resources(ctx)
    check_budgets(ctx)
    warn_past_window(ctx)
    checked = RULES
    if figures:
        check_figures(ctx)
        checked = (*RULES, FIGURES_RULE)
    found = ctx.findings
    return CheckReport(
        ok=not found.violations,
        violations=tuple(found.violations),
        warnings=tuple(found.warnings),
        checked_rules=checked,
    )
