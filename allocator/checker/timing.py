"""Rules on when tasks run: dependencies with lags, planned predecessors, hard deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models import DependencyType

if TYPE_CHECKING:
    import datetime as dt

    from allocator.checker.context import CheckContext, PlannedTask
    from models import Dependency


def _required(dep: Dependency, pred: PlannedTask, succ: PlannedTask) -> tuple[str, int, int]:
    """``(side, value, bound)``: the successor's start or end value and its lower bound."""
    if dep.type is DependencyType.FS:
        return "start", succ.start, pred.end + dep.lag
    if dep.type is DependencyType.SS:
        return "start", succ.start, pred.start + dep.lag
    if dep.type is DependencyType.FF:
        return "end", succ.end, pred.end + dep.lag
    return "end", succ.end, pred.start + dep.lag  # SF


def check_dependencies(ctx: CheckContext) -> None:
    """FS/SS/FF/SF with lags in timeline days; a planned task's predecessors are planned."""
    for succ in ctx.planned():
        for dep in succ.task.after:
            pred = ctx.tasks.get(dep.task)
            if pred is None:
                ctx.findings.add(
                    "predecessor",
                    succ.entity,
                    f"predecessor {dep.task} is not planned (or not in the scenario)",
                )
                continue
            side, value, bound = _required(dep, pred, succ)
            if value < bound:
                # The bound on an end E is met by a finish on timeline day E - 1.
                earliest = ctx.date(bound if side == "start" else bound - 1)
                verb = "start" if side == "start" else "finish"
                ctx.findings.add(
                    "dependency",
                    succ.entity,
                    f"{dep.type.value}{dep.lag:+d} after {pred.task.id} "
                    f"({pred.plan.start}..{pred.plan.finish}): "
                    f"{verb} {_side_date(succ, side)} must be on or after {earliest} "
                    f"(timeline {side} {value}, at least {bound})",
                )


def _side_date(pt: PlannedTask, side: str) -> dt.date:
    return pt.plan.start if side == "start" else pt.plan.finish


def check_hard_deadlines(ctx: CheckContext) -> None:
    """Tasks under a hard deadline (their own or their project's) end by it.

    In integer terms ``E <= d + 1`` with ``d`` the last timeline day on or before the
    deadline, that is ``finish <= deadline`` for tasks and milestones alike.
    """
    for pt in ctx.planned():
        deadlines = []
        if pt.task.deadline is not None and pt.task.deadline_type == "hard":
            deadlines.append(("task", pt.task.deadline))
        if pt.project.deadline is not None and pt.project.deadline_type == "hard":
            deadlines.append((f"project {pt.project.id}", pt.project.deadline))
        for owner, deadline in deadlines:
            last = ctx.days.on_or_before(deadline)
            if pt.end > last + 1:
                ctx.findings.add(
                    "deadline",
                    pt.entity,
                    f"finishes {pt.plan.finish}, after the hard {owner} deadline {deadline} "
                    f"by {pt.end - last - 1} working day(s)",
                )


def warn_past_window(ctx: CheckContext) -> None:
    """Warn about tasks that finish after the scenario's planning window."""
    for pt in ctx.planned():
        if pt.plan.finish > ctx.scenario.end:
            ctx.findings.warn(
                f"task {pt.task.id} finishes {pt.plan.finish}, after the window end {ctx.scenario.end}"
            )
