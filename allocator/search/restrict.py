"""Restrict a problem to a neighbourhood: free some tasks, hold the rest as fixed work.

The restricted problem has variables only for the free tasks; everything the other
tasks occupy (people's allocation, contractors, shared resources, spend, project ends)
becomes :class:`allocator.problem.data.FixedWork`, and their dependencies with free tasks
become bounds. The CP-SAT model of a neighbourhood is therefore small whatever the
size of the portfolio.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from allocator.problem.data import FixedWork, ModeData, Problem, ProjectData, TaskData, predecessor_floors
from allocator.problem.overtime import choice_overtime_units
from allocator.search.evaluate import task_cost

if TYPE_CHECKING:
    from allocator.problem.schedule import Schedule, TaskChoice


#: A free task may move at most this many timeline days from where it is: small domains
#: keep the element lookups of effort (and so each sub-solve) cheap.
REACH = 60
#: People considered per free task mode besides its current team.
CANDIDATES = 10


def restrict(problem: Problem, schedule: Schedule, free: set[str], *, prune: bool = True) -> Problem:
    """``problem`` with only the ``free`` tasks left to decide, the rest fixed to ``schedule``.

    Each free task stays within :data:`REACH` days of its current window. With ``prune``
    each of its modes keeps at most :data:`CANDIDATES` people besides its current team
    (without, every eligible person: see :func:`same_candidates`).
    """
    fixed = FixedWork()
    for tid, choice in schedule.items():
        if tid not in free and choice.present:
            _occupy(problem, fixed, choice)
    tasks = {t: _bounded(problem, schedule, free, task) for t, task in problem.tasks.items() if t in free}
    if prune:
        tasks = {t: _pruned(task, schedule[t], fixed) for t, task in tasks.items()}
    projects = {pid: _project(project, tasks, schedule) for pid, project in problem.projects.items()}
    baseline = {t: c for t, c in problem.baseline.items() if t in free} if problem.baseline else None
    return dataclasses.replace(
        problem,
        tasks=tasks,
        projects=projects,
        deps=[d for d in problem.deps if d.pred in free and d.succ in free],
        baseline=baseline,
        frozen=problem.frozen & free,
        fixed=fixed,
    )


def _occupy(problem: Problem, fixed: FixedWork, choice: TaskChoice) -> None:
    start, end = choice.start, choice.end
    mode = problem.tasks[choice.task].modes[choice.mode]
    for pid, (allocation, _) in choice.people.items():
        fixed.person_load.setdefault(pid, []).append((start, end, allocation))
    for pid, units in choice_overtime_units(problem, choice).items():
        fixed.overtime_units[pid] = fixed.overtime_units.get(pid, 0) + units
    worked = problem.vendor_prefix[end] - problem.vendor_prefix[start]
    for vid, counts in choice.vendors.items():
        count = sum(counts.values())
        fixed.vendor_use.setdefault(vid, []).append((start, end, count))
        fixed.vendor_days[vid] = fixed.vendor_days.get(vid, 0) + count * worked
    for rid, amount in mode.resources.items():
        if problem.resources[rid].consumable:
            fixed.consumed[rid] = fixed.consumed.get(rid, 0) + amount
        else:
            fixed.resource_use.setdefault(rid, []).append((start, end, amount))
    project = problem.tasks[choice.task].project
    fixed.project_end[project] = max(fixed.project_end.get(project, 0), end)
    fixed.project_cost[project] = fixed.project_cost.get(project, 0) + task_cost(problem, choice, staff=True)
    fixed.makespan = max(fixed.makespan, end)


def _bounded(problem: Problem, schedule: Schedule, free: set[str], task: TaskData) -> TaskData:
    """The task with the bounds its fixed predecessors and successors put on it."""
    earliest, floor, latest_end = task.earliest, task.end_floor, task.latest_end
    latest_start = task.latest_start
    fixed_preds = [dep for dep in problem.preds(task.id) if dep.pred not in free]
    start_floor, end_floor = predecessor_floors(fixed_preds, schedule)
    earliest, floor = max(earliest, start_floor), max(floor, end_floor)
    for dep in problem.succs(task.id):
        succ = schedule[dep.succ]
        if dep.succ in free or not succ.present:
            continue
        if dep.kind == "FS":
            latest_end = min(latest_end, succ.start - dep.lag)
        elif dep.kind == "SS":
            latest_start = min(succ.start - dep.lag, latest_start if latest_start is not None else succ.start)
        elif dep.kind == "FF":
            latest_end = min(latest_end, succ.end - dep.lag)
        else:
            latest_start = min(succ.end - dep.lag, latest_start if latest_start is not None else succ.end)
    current = schedule[task.id]
    if current.present:
        earliest = max(earliest, current.start - REACH)
        latest_end = min(latest_end, max(current.end + REACH, floor))
        latest_start = min(
            latest_start if latest_start is not None else current.start + REACH, current.start + REACH
        )
    return dataclasses.replace(
        task, earliest=earliest, end_floor=floor, latest_end=latest_end, latest_start=latest_start
    )


def _pruned(task: TaskData, current: TaskChoice, fixed: FixedWork) -> TaskData:
    """The task with at most :data:`CANDIDATES` people per mode besides its current team.

    Kept: the current team, pinned and preferred people, then the people least booked
    by fixed work around the task's window. A neighbourhood is a local move; the other
    candidates get their turn in other neighbourhoods.
    """
    low, high = task.earliest, task.latest_end

    def booked(pid: str) -> int:
        segments = fixed.person_load.get(pid, ())
        return sum(a * (min(e, high) - max(s, low)) for s, e, a in segments if s < high and e > low)

    keep = set(current.people) | set(task.pinned) | set(task.preferred)
    modes = []
    for mode in task.modes:
        others = set(sorted((p for p in mode.people if p not in keep), key=booked)[:CANDIDATES])
        modes.append(_with_people(mode, keep | others))
    return dataclasses.replace(task, modes=modes)


def same_candidates(problem: Problem, like: Problem) -> Problem:
    """``problem`` (restricted) with each task mode's people cut to those ``like`` has there.

    People ``like`` does not know at all (added by a relaxation) are kept: so a relaxed
    problem restricted this way stays a relaxation of ``like`` whatever it changed.
    """
    known = set(like.people)
    tasks = {}
    for tid, task in problem.tasks.items():
        other = like.tasks.get(tid)
        if other is None:
            tasks[tid] = task
            continue
        modes = [
            _with_people(mode, {p for p in mode.people if p not in known} | set(twin.people))
            for mode, twin in zip(task.modes, other.modes, strict=True)
        ]
        tasks[tid] = dataclasses.replace(task, modes=modes)
    return dataclasses.replace(problem, tasks=tasks)


def _with_people(mode: ModeData, people: set[str]) -> ModeData:
    """``mode`` with only ``people`` (in its own order) eligible."""
    kept = [p for p in mode.people if p in people]
    return dataclasses.replace(
        mode,
        people=kept,
        levels={p: mode.levels[p] for p in kept},
        covers={p: mode.covers[p] for p in kept},
        starts={p: mode.starts[p] for p in kept if p in mode.starts},
    )


def _project(project: ProjectData, tasks: dict[str, TaskData], schedule: Schedule) -> ProjectData:
    """The project's free tasks; deferral stays a decision only when all of them are free."""
    free = [t for t in project.tasks if t in tasks]
    whole = len(free) == len(project.tasks)
    candidate = project.candidate and whole
    if project.candidate and not whole:
        for tid in free:
            tasks[tid] = dataclasses.replace(tasks[tid], optional=False)
    return dataclasses.replace(project, tasks=free, candidate=candidate)
