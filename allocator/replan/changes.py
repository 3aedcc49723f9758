"""The change list between a baseline plan and a new plan, computed from the plans alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models.changes import AllocationChange, ChangeList, PersonChange, ProjectChange, TaskChange

if TYPE_CHECKING:
    import datetime as dt

    from allocator.replan.derive import ReplanSetup
    from models import Plan, TaskPlan


@dataclass
class TaskView:
    """What a plan says about one task: dates, mode, who (allocation, or contractor count)."""

    task: str
    project: str
    mode: str
    start: dt.date | None
    finish: dt.date | None
    team: dict[str, int] = field(default_factory=dict)
    vendor_days: float = 0.0
    history: bool = False


def plan_views(plan: Plan) -> dict[str, TaskView]:
    """A view of every task of ``plan``."""
    return {tp.task: _view(tp) for tp in plan.tasks}


def _view(tp: TaskPlan) -> TaskView:
    team: dict[str, int] = {}
    for row in tp.assignments:
        team[row.resource] = team.get(row.resource, 0) + (
            row.allocation if row.kind == "person" else row.count
        )
    vendor_days = sum(row.effort for row in tp.assignments if row.kind == "vendor")
    return TaskView(tp.task, tp.project, tp.mode, tp.start, tp.finish, team, vendor_days)


def replan_views(replan: Plan, baseline: Plan, setup: ReplanSetup) -> dict[str, TaskView]:
    """The re-plan with its history: done tasks as they happened, work in progress from its actual start."""
    old = plan_views(baseline)
    views = plan_views(replan)
    for tid, going in setup.in_progress.items():
        view, before = views.get(tid), old.get(tid)
        if view is None:
            continue
        view.start = going.actual_start or view.start
        if before is not None:
            view.vendor_days += before.vendor_days * _share_before(before, setup.as_of)
    for done in setup.done:
        before = old.get(done.task)
        team = {p: (before.team.get(p, 100) if before else 100) for p in done.assignees}
        vendor_days = before.vendor_days if before else 0.0
        views[done.task] = TaskView(
            done.task,
            done.project,
            before.mode if before else "default",
            done.start,
            done.finish,
            team,
            vendor_days,
            True,
        )
    return views


def _share_before(view: TaskView, as_of: dt.date) -> float:
    """Share of a task's calendar window that lies before ``as_of``."""
    if view.start is None or view.finish is None:
        return 0.0
    span = (view.finish - view.start).days + 1
    return min(1.0, max(0.0, (as_of - view.start).days / span))


def compare(
    old: dict[str, TaskView],
    new: dict[str, TaskView],
    deadlines: dict[str, dt.date | None],
    as_of: dt.date | None = None,
) -> ChangeList:
    """Every task, project and person difference between two sets of task views."""
    tasks = tuple(c for tid in old if tid in new for c in [_task_change(old[tid], new[tid])] if c is not None)
    projects = _project_changes(old, new, deadlines)
    late = tuple(
        sorted(
            p
            for p, finish in _finishes(new).items()
            if finish is not None and deadlines.get(p) is not None and finish > deadlines[p]  # type: ignore[operator]
        )
    )
    return ChangeList(
        as_of=as_of,
        tasks=tasks,
        added_tasks=tuple(tid for tid in new if tid not in old),
        removed_tasks=tuple(tid for tid in old if tid not in new),
        projects=projects,
        people=_people_changes(old, new, tasks),
        vendor_days_added=round(
            sum(v.vendor_days for v in new.values()) - sum(v.vendor_days for v in old.values()), 2
        ),
        projects_late=late,
    )


def _task_change(old: TaskView, new: TaskView) -> TaskChange | None:
    removed = tuple(sorted(r for r in old.team if r not in new.team))
    added = tuple(sorted(r for r in new.team if r not in old.team))
    allocations = tuple(
        AllocationChange(resource=r, old=old.team[r], new=new.team[r])
        for r in sorted(old.team)
        if r in new.team and new.team[r] != old.team[r]
    )
    start_shift, finish_shift = _shift(old.start, new.start), _shift(old.finish, new.finish)
    if not (removed or added or allocations or start_shift or finish_shift or old.mode != new.mode):
        return None
    return TaskChange(
        task=new.task,
        project=new.project,
        old_start=old.start,
        old_finish=old.finish,
        new_start=new.start,
        new_finish=new.finish,
        start_shift_days=start_shift,
        finish_shift_days=finish_shift,
        removed=removed,
        added=added,
        allocations=allocations,
        old_mode=old.mode,
        new_mode=new.mode,
        history=new.history,
    )


def _shift(old: dt.date | None, new: dt.date | None) -> int:
    return 0 if old is None or new is None else (new - old).days


def _finishes(views: dict[str, TaskView]) -> dict[str, dt.date | None]:
    result: dict[str, dt.date | None] = {}
    for view in views.values():
        current = result.get(view.project)
        if view.finish is not None and (current is None or view.finish > current):
            result[view.project] = view.finish
        else:
            result.setdefault(view.project, current)
    return result


def _project_changes(
    old: dict[str, TaskView], new: dict[str, TaskView], deadlines: dict[str, dt.date | None]
) -> tuple[ProjectChange, ...]:
    before, after = _finishes(old), _finishes(new)
    changes = []
    for project in sorted(set(before) | set(after)):
        first, second = before.get(project), after.get(project)
        if first == second:
            continue
        deadline = deadlines.get(project)
        changes.append(
            ProjectChange(
                project=project,
                old_finish=first,
                new_finish=second,
                shift_days=_shift(first, second),
                deadline=deadline,
                late_now=bool(deadline and second and second > deadline),
            )
        )
    return tuple(changes)


def _people_changes(
    old: dict[str, TaskView], new: dict[str, TaskView], tasks: tuple[TaskChange, ...]
) -> tuple[PersonChange, ...]:
    joined: dict[str, list[str]] = {}
    left: dict[str, list[str]] = {}
    moved: dict[str, list[str]] = {}
    for change in tasks:
        for resource in change.added:
            joined.setdefault(resource, []).append(change.task)
        for resource in change.removed:
            left.setdefault(resource, []).append(change.task)
        if change.moved:
            for resource in new[change.task].team:
                if resource not in change.added:
                    moved.setdefault(resource, []).append(change.task)
    for tid in new:
        if tid not in old:
            for resource in new[tid].team:
                joined.setdefault(resource, []).append(tid)
    for tid in old:
        if tid not in new:
            for resource in old[tid].team:
                left.setdefault(resource, []).append(tid)
    before, after = _projects_of(old), _projects_of(new)
    result = []
    for person in sorted(set(joined) | set(left) | set(moved) | set(before) | set(after)):
        gained = tuple(sorted(after.get(person, set()) - before.get(person, set())))
        lost = tuple(sorted(before.get(person, set()) - after.get(person, set())))
        if person in joined or person in left or person in moved or gained or lost:
            result.append(
                PersonChange(
                    person=person,
                    joined=tuple(joined.get(person, [])),
                    left=tuple(left.get(person, [])),
                    moved=tuple(moved.get(person, [])),
                    projects_added=gained,
                    projects_removed=lost,
                )
            )
    return tuple(result)


def _projects_of(views: dict[str, TaskView]) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for view in views.values():
        for resource in view.team:
            result.setdefault(resource, set()).add(view.project)
    return result


def plan_deadlines(*plans: Plan) -> dict[str, dt.date | None]:
    """Project deadlines as the plans record them (the later plan wins)."""
    deadlines: dict[str, dt.date | None] = {}
    for plan in plans:
        for project in plan.projects:
            if project.deadline is not None or project.project not in deadlines:
                deadlines[project.project] = project.deadline
    return deadlines


def diff_plans(old: Plan, new: Plan) -> ChangeList:
    """The change list between two plans of the same scenario."""
    return compare(plan_views(old), plan_views(new), plan_deadlines(old, new))
