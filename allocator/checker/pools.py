"""Rules on pooled capacity and money: vendors, shared resources, project budgets."""

from __future__ import annotations

from collections import defaultdict
from itertools import accumulate
from typing import TYPE_CHECKING

from allocator.checker.context import FLOAT_TOLERANCE

if TYPE_CHECKING:
    from allocator.checker.context import CheckContext, PlannedTask
    from models import Assignment


def vendor_rows(ctx: CheckContext) -> dict[str, list[tuple[PlannedTask, Assignment]]]:
    """Contractor rows of known vendors, by vendor."""
    rows: dict[str, list[tuple[PlannedTask, Assignment]]] = defaultdict(list)
    for pt in ctx.planned():
        for row in pt.plan.assignments:
            if row.kind == "vendor" and row.resource in ctx.vendors:
                rows[row.resource].append((pt, row))
    return rows


def check_vendors(ctx: CheckContext) -> None:
    """Headcount per day, lead time, spend cap and minimum engagement of every vendor used."""
    for vendor_id, rows in vendor_rows(ctx).items():
        vendor, entity = ctx.vendors[vendor_id], f"vendor {vendor_id}"
        change = [0] * (ctx.size + 1)
        for pt, row in rows:
            change[pt.start] += row.count
            change[pt.end] -= row.count
        over = [day for day, heads in enumerate(accumulate(change[:-1])) if heads > vendor.headcount]
        if over:
            ctx.findings.add(
                "vendor-headcount",
                entity,
                f"more than {vendor.headcount} contractor(s) on {len(over)} day(s), "
                f"first {ctx.date(over[0])}",
            )
        for pt, _ in rows:
            if pt.start < vendor.lead_time_days:
                ctx.findings.add(
                    "vendor-lead-time",
                    entity,
                    f"contractors start task {pt.task.id} on timeline day {pt.start}, lead time is "
                    f"{vendor.lead_time_days} days",
                )
        days = sum(row.count * ctx.days.scenario_working_days(pt.start, pt.end) for pt, row in rows)
        spend = days * vendor.day_rate
        if vendor.spend_cap is not None and spend > vendor.spend_cap + FLOAT_TOLERANCE:
            ctx.findings.add(
                "vendor-spend", entity, f"spend {spend:.2f} exceeds the cap {vendor.spend_cap:.2f}"
            )
        if days < vendor.min_engagement_days:
            ctx.findings.add(
                "vendor-engagement",
                entity,
                f"{days} contractor-day(s) bought, the minimum engagement is {vendor.min_engagement_days}",
            )


def check_shared_resources(ctx: CheckContext) -> None:
    """Renewable resources within capacity every day; consumable ones in total."""
    per_day: dict[str, list[int]] = {}
    total: dict[str, int] = defaultdict(int)
    for pt in ctx.planned():
        for resource_id, units in ((pt.mode.resources or {}) if pt.mode else {}).items():
            total[resource_id] += units
            change = per_day.setdefault(resource_id, [0] * (ctx.size + 1))
            change[pt.start] += units
            change[pt.end] -= units
    known = {resource.id: resource for resource in ctx.scenario.resources}
    for resource_id, units in total.items():
        resource = known.get(resource_id)
        entity = f"resource {resource_id}"
        if resource is None:
            ctx.findings.add("plan-ids", entity, "used by a task but not in the scenario")
        elif resource.kind == "consumable" and units > resource.capacity:
            ctx.findings.add(
                "resource-consumable", entity, f"{units} units used, capacity {resource.capacity}"
            )
        elif resource.kind == "renewable":
            over = [
                day
                for day, use in enumerate(accumulate(per_day[resource_id][:-1]))
                if use > resource.capacity
            ]
            if over:
                ctx.findings.add(
                    "resource-renewable",
                    entity,
                    f"over capacity {resource.capacity} on {len(over)} day(s), first {ctx.date(over[0])}",
                )


def overtime_pay(ctx: CheckContext, row: Assignment) -> float:
    """Pay of a person row's overtime hours: the hourly rate times the person's multiplier."""
    person = ctx.people.get(row.resource) if row.kind == "person" else None
    if person is None or person.overtime is None or not row.overtime_hours:
        return 0.0
    hourly = person.cost_per_day / ctx.scenario.calendar.hours_per_day
    return row.overtime_hours * hourly * person.overtime.cost_multiplier


def task_cost(ctx: CheckContext, pt: PlannedTask) -> float:
    """Staff cost plus overtime pay plus contractor spend plus mode cost of one task."""
    days = pt.end - pt.start
    cost = pt.mode.cost if pt.mode is not None else 0.0
    for row in pt.plan.assignments:
        if row.kind == "person" and row.resource in ctx.people:
            cost += ctx.people[row.resource].cost_per_day * row.allocation / 100 * days
            cost += overtime_pay(ctx, row)
        elif row.kind == "vendor" and row.resource in ctx.vendors:
            worked = ctx.days.scenario_working_days(pt.start, pt.end)
            cost += row.count * worked * ctx.vendors[row.resource].day_rate
    return cost


def check_budgets(ctx: CheckContext) -> None:
    """Project cost (staff, overtime, vendors, modes) within the project's budget."""
    cost: dict[str, float] = defaultdict(float)
    for pt in ctx.planned():
        cost[pt.project.id] += task_cost(ctx, pt)
    for project in ctx.scenario.projects:
        if project.budget is not None and cost[project.id] > project.budget + FLOAT_TOLERANCE:
            ctx.findings.add(
                "budget",
                f"project {project.id}",
                f"costs {cost[project.id]:.2f}, budget {project.budget:.2f}",
            )
