"""Derived expressions shared by several constraint families, each created once."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from allocator.cpsat.formulation.variables import (
        AssignVars,
        OrderLiterals,
        TaskVars,
        Variables,
        VendorVars,
    )
    from allocator.problem.data import Problem


def window_sum(model: cp_model.CpModel, prefix: list[int], task: TaskVars, name: str) -> cp_model.IntVar:
    """``prefix[end] - prefix[start]`` of the task's window (:func:`prefix_at` at both ends)."""
    total = model.new_int_var(0, prefix[-1], name)
    at_end = prefix_at(model, prefix, task.end, task.steps)
    at_start = prefix_at(model, prefix, task.start, task.steps)
    model.add(total == at_end - at_start)
    return total


def prefix_at(
    model: cp_model.CpModel, prefix: list[int], day: cp_model.IntVar, steps: OrderLiterals
) -> cp_model.LinearExpr:
    """``prefix[day]`` as a line through the usual daily rise, plus a step where a day differs.

    Days are the scenario's working days, so a presence prefix mostly rises by the same
    amount a day (100 for a full-time person, 50 at half time) and only leave, other
    countries' holidays and part-time patterns break the line. Each break is one literal
    ``day >= t`` (:func:`order_literal`, shared by every prefix read at the same day
    variable). An element lookup instead encoded every value of the day and of the result
    (92,000 booleans for the bundled quarter's 90 tasks, against about 3,400 literals
    here) and left the search of such models stalled (BENCHMARKS.md, "IT portfolios").
    """
    domain = list(model.proto.variables[day.index].domain)
    low, high = domain[0], domain[-1]
    rises = [prefix[t + 1] - prefix[t] for t in range(low, high)]
    slope = Counter(rises).most_common(1)[0][0] if rises else 0
    terms = [
        (rise - slope) * order_literal(model, day, low + n + 1, steps)
        for n, rise in enumerate(rises)
        if rise != slope
    ]
    return prefix[low] + slope * (day - low) + cp_model.LinearExpr.sum(terms)


def order_literal(
    model: cp_model.CpModel, day: cp_model.IntVar, value: int, steps: OrderLiterals
) -> cp_model.IntVar:
    """The literal ``day >= value``, created once per variable and value."""
    key = (day.index, value)
    if key not in steps:
        literal = model.new_bool_var(f"{day.name}>={value}")
        model.add(day >= value).only_enforce_if(literal)
        model.add(day <= value - 1).only_enforce_if(~literal)
        steps[key] = literal
    return steps[key]


def vendor_worked_days(
    model: cp_model.CpModel, problem: Problem, variables: Variables, task: TaskVars
) -> cp_model.IntVar:
    """Scenario-calendar working days in the task window (x100), created once per task."""
    tid = task.data.id
    if tid not in variables.vendor_days:
        variables.vendor_days[tid] = window_sum(model, problem.vendor_prefix, task, f"vendor_days[{tid}]")
    return variables.vendor_days[tid]


def contractor_days(
    model: cp_model.CpModel, problem: Problem, variables: Variables, task: TaskVars, use: VendorVars
) -> cp_model.IntVar:
    """Contractor-days (x100) a vendor supplies to a task: count x working days of the window."""
    if use.days is None:
        worked = vendor_worked_days(model, problem, variables, task)
        top = max(use.counts, default=0) * problem.vendor_prefix[-1]
        use.days = model.new_int_var(0, top, f"contractor_days[{task.data.id},{use.vendor}]")
        for count, literal in use.counts.items():
            model.add(use.days == count * worked).only_enforce_if(literal)
        model.add(use.days == 0).only_enforce_if(~use.used)
    return use.days


def staff_cost(
    model: cp_model.CpModel, problem: Problem, task: TaskVars, assign: AssignVars
) -> cp_model.IntVar:
    """Money units of a person's booking: day cost x allocation x booked days."""
    if assign.cost is None:
        rate = problem.people[assign.person].cost_per_day
        top = rate * max(assign.levels) * problem.horizon
        assign.cost = model.new_int_var(0, top, f"staff_cost[{task.data.id},{assign.person}]")
        if rate == 0:
            model.add(assign.cost == 0)
        else:
            for allocation, literal in assign.levels.items():
                model.add(assign.cost == rate * allocation * (task.end - task.start)).only_enforce_if(literal)
            model.add(assign.cost == 0).only_enforce_if(~assign.assigned)
    return assign.cost


def overtime_cost(
    model: cp_model.CpModel, problem: Problem, task: TaskVars, assign: AssignVars
) -> cp_model.IntVar | None:
    """Money units of a booking's overtime pay, rounded up (``None`` without overtime units).

    ``cost_den x cost - cost_num x units`` lies in ``[0, cost_den)``: the cost is the
    exact pay rounded up to a whole money unit, as :func:`allocator.problem.overtime.overtime_cost`.
    """
    terms = problem.people[assign.person].overtime
    if assign.overtime_units is None or terms is None:
        return None
    if assign.overtime_cost is None:
        presence_class = problem.people[assign.person].presence_class
        most_units = max(assign.levels) * problem.presence_prefix[presence_class][-1]
        top = -(-terms.cost_num * most_units // terms.cost_den)
        assign.overtime_cost = model.new_int_var(0, top, f"overtime_cost[{task.data.id},{assign.person}]")
        pay = terms.cost_den * assign.overtime_cost - terms.cost_num * assign.overtime_units
        model.add_linear_constraint(pay, 0, terms.cost_den - 1)
    return assign.overtime_cost
