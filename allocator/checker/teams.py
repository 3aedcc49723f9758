"""Rules on who works on a task: skills and levels, head counts, team size, allocations,
vendor policy, pins, exclusions and employment."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from allocator.checker.context import CheckContext, PlannedTask
    from models import Assignment, Mode


def _level(ctx: CheckContext, row: Assignment, skill: str) -> int | None:
    """Level of the row's person or vendor in ``skill`` (``None`` when the id is unknown)."""
    holder = ctx.people.get(row.resource) if row.kind == "person" else ctx.vendors.get(row.resource)
    return None if holder is None else holder.level(skill)


def _heads(row: Assignment) -> int:
    return row.count if row.kind == "vendor" else 1


def check_team_rules(ctx: CheckContext) -> None:
    """Every team rule, for every task whose mode is known."""
    for pt in ctx.planned():
        if pt.mode is None:
            continue  # reported by the mode rule; the team cannot be judged without it
        check_qualification(ctx, pt, pt.mode)
        check_headcounts(ctx, pt, pt.mode)
        check_team_size(ctx, pt, pt.mode)
        check_allocations(ctx, pt, pt.mode)
        check_vendor_policy(ctx, pt, pt.mode)
        check_pins(ctx, pt)
    check_employment(ctx)


def check_qualification(ctx: CheckContext, pt: PlannedTask, mode: Mode) -> None:
    """Each row covers one requirement of the mode and meets its (lowest) level."""
    needed: dict[str, int] = {}
    for req in mode.requires or ():
        needed[req.skill] = min(needed.get(req.skill, req.level), req.level)
    for row in pt.plan.assignments:
        who = f"{row.kind} {row.resource}"
        if row.skill is None:
            if needed:
                ctx.findings.add("qualification", pt.entity, f"{who} covers no requirement (skill missing)")
            continue
        if row.skill not in needed:
            ctx.findings.add(
                "qualification",
                pt.entity,
                f"{who} covers {row.skill!r}, not a requirement of mode {mode.name}",
            )
            continue
        level = _level(ctx, row, row.skill)
        if level is not None and level < needed[row.skill]:
            ctx.findings.add(
                "qualification",
                pt.entity,
                f"{who} has {row.skill} level {level}, the task needs {needed[row.skill]}",
            )


def check_headcounts(ctx: CheckContext, pt: PlannedTask, mode: Mode) -> None:
    """For each requirement, enough heads at or above its level cover its skill.

    Requirements of one skill at several levels nest: the heads at level ``L`` or above
    must number at least the people of all requirements of that skill at ``L`` or above
    (Hall's condition for this nested case, so a greedy matching exists).
    """
    levels: dict[str, list[int]] = defaultdict(list)
    for row in pt.plan.assignments:
        if row.skill is not None:
            level = _level(ctx, row, row.skill) or 0
            levels[row.skill].extend([level] * _heads(row))
    for req in mode.requires or ():
        demand = sum(r.people for r in mode.requires or () if r.skill == req.skill and r.level >= req.level)
        supply = sum(1 for level in levels[req.skill] if level >= req.level)
        if supply < demand:
            ctx.findings.add(
                "headcount",
                pt.entity,
                f"{supply} head(s) cover {req.skill} at level {req.level} or above, {demand} needed",
            )


def check_team_size(ctx: CheckContext, pt: PlannedTask, mode: Mode) -> None:
    """Heads (people plus contractors) lie within the mode's team range; nobody twice."""
    heads = sum(_heads(row) for row in pt.plan.assignments)
    team = mode.team
    if team is not None and not team.min <= heads <= team.max:
        ctx.findings.add(
            "team-size", pt.entity, f"team of {heads}, mode {mode.name} allows {team.min}..{team.max}"
        )
    repeated = [
        p for p, n in Counter(r.resource for r in pt.plan.assignments if r.kind == "person").items() if n > 1
    ]
    for person in repeated:
        ctx.findings.add("team-size", pt.entity, f"person {person} appears in more than one row")


def check_allocations(ctx: CheckContext, pt: PlannedTask, mode: Mode) -> None:
    """People work at an allowed allocation, one head per row; contractors at 100 %."""
    allowed = tuple(mode.allocations or ())
    for row in pt.plan.assignments:
        who = f"{row.kind} {row.resource}"
        if row.kind == "vendor" and row.allocation != 100:
            ctx.findings.add(
                "allocation", pt.entity, f"{who} at {row.allocation} %, contractors work at 100 %"
            )
        if row.kind == "person" and row.allocation not in allowed:
            ctx.findings.add("allocation", pt.entity, f"{who} at {row.allocation} %, allowed {list(allowed)}")
        if row.kind == "person" and row.count != 1:
            ctx.findings.add(
                "allocation", pt.entity, f"{who} has count {row.count}; a person row is one head"
            )


def check_vendor_policy(ctx: CheckContext, pt: PlannedTask, mode: Mode) -> None:
    """``never``: no contractor rows; ``only``: no person rows."""
    kinds = {row.kind for row in pt.plan.assignments}
    if mode.vendor == "never" and "vendor" in kinds:
        ctx.findings.add(
            "vendor-policy", pt.entity, f"mode {mode.name} allows no vendors but has contractors"
        )
    if mode.vendor == "only" and "person" in kinds:
        ctx.findings.add("vendor-policy", pt.entity, f"mode {mode.name} is vendor-only but has staff")


def check_pins(ctx: CheckContext, pt: PlannedTask) -> None:
    """Pinned people are assignees; excluded people are not."""
    people = {row.resource for row in pt.plan.assignments if row.kind == "person"}
    for person in pt.task.pinned:
        if person not in people:
            ctx.findings.add("pinned", pt.entity, f"pinned person {person} is not assigned")
    for person in pt.task.excluded:
        if person in people:
            ctx.findings.add("excluded", pt.entity, f"excluded person {person} is assigned")


def check_employment(ctx: CheckContext) -> None:
    """A person works only on tasks whose whole window lies inside their employment."""
    for pt in ctx.planned():
        for row in pt.plan.assignments:
            person = ctx.people.get(row.resource) if row.kind == "person" else None
            if person is None:
                continue
            if person.start is not None and pt.plan.start < person.start:
                ctx.findings.add(
                    "employment",
                    f"person {person.id}",
                    f"on task {pt.task.id} from {pt.plan.start}, but joins on {person.start}",
                )
            if person.end is not None and pt.plan.finish > person.end:
                ctx.findings.add(
                    "employment",
                    f"person {person.id}",
                    f"on task {pt.task.id} until {pt.plan.finish}, but leaves on {person.end}",
                )
