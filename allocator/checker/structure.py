"""Rules on the plan's shape: known ids, each task once, dates, modes, whole projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.checker.context import PlannedTask

if TYPE_CHECKING:
    from allocator.checker.context import CheckContext
    from models import TaskPlan


def resolve_tasks(ctx: CheckContext) -> None:
    """Resolve each task plan against the scenario; report unknown ids and repeated tasks.

    Only the first plan of a task is resolved, so later rules see every task at most once.
    """
    for tp in ctx.plan.tasks:
        if tp.task not in ctx.task_index:
            ctx.findings.add("plan-ids", f"task {tp.task}", f"task {tp.task!r} is not in the scenario")
            continue
        if tp.task in ctx.tasks:
            ctx.findings.add("duplicate-task", f"task {tp.task}", "the task is planned more than once")
            continue
        project, task = ctx.task_index[tp.task]
        if tp.project != project.id:
            ctx.findings.add(
                "plan-ids",
                f"task {tp.task}",
                f"planned under project {tp.project!r}, belongs to {project.id!r}",
            )
        modes = {mode.name: mode for mode in task.resolved_modes(ctx.scenario.allocations)}
        start, end = _window(ctx, tp)
        ctx.tasks[tp.task] = PlannedTask(tp, project, task, modes.get(tp.mode), start, end)
        _check_resource_ids(ctx, tp)


def _window(ctx: CheckContext, tp: TaskPlan) -> tuple[int, int]:
    """Timeline window of a task plan, reporting dates that are not timeline days.

    Off-timeline dates are still mapped (start forward, finish backward) so the other
    rules can go on judging the plan.
    """
    days, entity = ctx.days, f"task {tp.task}"
    start_index, finish_index = days.index(tp.start), days.index(tp.finish)
    if start_index is None:
        ctx.findings.add("dates", entity, f"start {tp.start} is not a timeline (working) day")
        start_index = days.on_or_after(tp.start)
    if finish_index is None:
        ctx.findings.add("dates", entity, f"finish {tp.finish} is not a timeline (working) day")
        finish_index = days.on_or_before(tp.finish)
    if tp.finish < tp.start:
        ctx.findings.add("dates", entity, f"finish {tp.finish} is before start {tp.start}")
        return start_index, start_index
    if tp.working_days == 0 and tp.start == tp.finish:
        return finish_index + 1, finish_index + 1  # a milestone is reached at the end of its day
    end = max(start_index, finish_index + 1)
    if tp.working_days != end - start_index:
        ctx.findings.add(
            "dates",
            entity,
            f"working_days is {tp.working_days} but {tp.start}..{tp.finish} spans {end - start_index} "
            "timeline days",
        )
    return start_index, end


def _check_resource_ids(ctx: CheckContext, tp: TaskPlan) -> None:
    for row in tp.assignments:
        known = ctx.people if row.kind == "person" else ctx.vendors
        if row.resource not in known:
            ctx.findings.add(
                "plan-ids",
                f"{row.kind} {row.resource}",
                f"assigned to task {tp.task} but not in the scenario",
            )


def check_earliest_starts(ctx: CheckContext) -> None:
    """Nothing starts before the scenario start, the project's or the task's earliest start."""
    for pt in ctx.planned():
        bounds = [
            ("the scenario start", ctx.scenario.start),
            (f"project {pt.project.id}'s earliest start", pt.project.earliest_start),
            ("the task's earliest start", pt.task.earliest_start),
        ]
        for label, bound in bounds:
            if bound is not None and pt.plan.start < bound:
                ctx.findings.add(
                    "earliest-start", pt.entity, f"starts {pt.plan.start}, before {label} {bound}"
                )


def check_modes(ctx: CheckContext) -> None:
    """The chosen mode is one of the task's modes."""
    for pt in ctx.planned():
        if pt.mode is None:
            names = [mode.name for mode in pt.task.resolved_modes(ctx.scenario.allocations)]
            ctx.findings.add("mode", pt.entity, f"mode {pt.plan.mode!r} is not one of {names}")


def check_projects_planned(ctx: CheckContext) -> None:
    """Committed projects are planned entirely; candidates entirely or not at all."""
    for project in ctx.scenario.projects:
        missing = [task.id for task in project.tasks if task.id not in ctx.tasks]
        if not missing:
            continue
        entity = f"project {project.id}"
        if project.status == "committed":
            ctx.findings.add(
                "projects", entity, f"committed project has unplanned tasks: {', '.join(missing)}"
            )
        elif len(missing) < len(project.tasks):
            ctx.findings.add(
                "projects", entity, f"candidate project is only partly planned; missing {', '.join(missing)}"
            )
