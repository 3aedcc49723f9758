"""Money: contractor-days and vendor spend, staff cost, overtime pay, spend caps, minimum
engagements, budgets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.cpsat.formulation.expressions import contractor_days, overtime_cost, staff_cost
from allocator.problem.data import MONEY_SCALE, RATE_SCALE, Problem

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from allocator.cpsat.formulation.variables import ModeVars, TaskVars, Variables


def vendor_spend_by_vendor(
    model: cp_model.CpModel, problem: Problem, variables: Variables
) -> dict[str, list[cp_model.LinearExpr]]:
    """Spend terms (money units) of each vendor, one per task mode that may use it."""
    spend: dict[str, list[cp_model.LinearExpr]] = {}
    for vendor_id, groups in variables.vendor_assignments().items():
        rate = problem.vendors[vendor_id].day_rate
        spend[vendor_id] = [
            rate * contractor_days(model, problem, variables, task, use) for task, _, use in groups
        ]
    return spend


def add_vendor_terms(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Spend caps and minimum engagements of vendors."""
    for vendor_id, groups in variables.vendor_assignments().items():
        vendor = problem.vendors[vendor_id]
        days = [contractor_days(model, problem, variables, task, use) for task, _, use in groups]
        fixed_days = problem.fixed.vendor_days.get(vendor_id, 0)
        if vendor.spend_cap is not None:
            model.add(vendor.day_rate * (sum(days) + fixed_days) <= vendor.spend_cap)
        if vendor.min_days > 0 and fixed_days < vendor.min_days * 100:
            engaged = model.new_bool_var(f"engaged[{vendor_id}]")
            for _, _, use in groups:
                model.add_implication(use.used, engaged)
            if fixed_days > 0:
                model.add(engaged == 1)
            model.add(sum(days) + fixed_days >= vendor.min_days * 100 * engaged)


def mode_cost(mode: ModeVars) -> cp_model.LinearExpr:
    """Fixed cost of a mode (money units) when chosen."""
    return mode.data.cost * mode.chosen


def task_cost(
    model: cp_model.CpModel, problem: Problem, variables: Variables, task: TaskVars, staff: bool
) -> list[cp_model.LinearExpr]:
    """Vendor spend, overtime pay and mode costs of a task, plus staff cost when ``staff``."""
    terms: list[cp_model.LinearExpr] = []
    for mode in task.modes:
        if mode.data.cost:
            terms.append(mode_cost(mode))
        for use in mode.vendors.values():
            rate = problem.vendors[use.vendor].day_rate
            terms.append(rate * contractor_days(model, problem, variables, task, use))
        for assign in mode.people.values():
            pay = overtime_cost(model, problem, task, assign)
            if pay is not None:
                terms.append(pay)
        if staff:
            terms += [staff_cost(model, problem, task, assign) for assign in mode.people.values()]
    return terms


def add_budgets(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Project spend (staff, vendors, mode costs) within budget."""
    for project in problem.projects.values():
        if project.budget is None:
            continue
        terms = [
            term
            for tid in project.tasks
            for term in task_cost(model, problem, variables, variables.tasks[tid], staff=True)
        ]
        model.add(sum(terms) + problem.fixed.project_cost.get(project.id, 0) <= project.budget)


assert MONEY_SCALE == 100 * RATE_SCALE, "rate in cents x allocation percent (or x 100 per contractor-day)"
