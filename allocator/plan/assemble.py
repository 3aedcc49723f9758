"""From an integer schedule to a dated :class:`models.Plan`.

The schedule is first tightened (no effort-driven task runs longer than its team
needs), then dated on the timeline; every reported figure is then recomputed from
the dated task plans by :mod:`allocator.plan.figures`, never read from the solver.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from allocator.plan.figures import build_plan_figures, fill_task_effort
from allocator.problem.data import predecessor_floors
from allocator.problem.overtime import booking_units, choice_overtime_units, extra_effort, overtime_hours
from allocator.problem.schedule import NO_REQUIREMENT, Schedule, TaskChoice
from models import Assignment, Plan, TaskPlan

if TYPE_CHECKING:
    from allocator.problem.data import ModeData, Problem
    from models import SolverInfo


def delivered(problem: Problem, choice: TaskChoice, end: int) -> int:
    """Effort units the team of ``choice`` delivers from its start up to ``end`` (overtime included)."""
    total = 0
    for pid, (allocation, _) in choice.people.items():
        units = booking_units(problem, pid, allocation, choice.start, end)
        terms = problem.people[pid].overtime
        total += units + (extra_effort(terms, units) if pid in choice.overtime and terms else 0)
    contractors = sum(sum(c.values()) for c in choice.vendors.values())
    if contractors:
        total += 100 * contractors * (problem.vendor_prefix[end] - problem.vendor_prefix[choice.start])
    return total


def tighten(problem: Problem, schedule: Schedule) -> None:
    """Run each effort-driven task no longer than its team needs.

    The end moves to the first day the effort is delivered, but not below the floors
    that finish-to-finish and start-to-finish dependencies put on it; when such a
    floor holds the end, the start moves later instead, as far as the successors'
    start-to-start and start-to-finish dependencies allow. Shortening only frees
    capacity; tasks bound to a vendor's minimum engagement are left alone.
    """
    for tid, task in problem.tasks.items():
        choice = schedule[tid]
        mode = task.modes[choice.mode]
        if not choice.present or mode.effort is None or _engagement_bound(problem, choice):
            continue
        effort = mode.effort
        end = max(choice.start + 1, predecessor_floors(problem.preds(tid), schedule)[1])
        while end < choice.end and delivered(problem, choice, end) < effort:
            end += 1
        choice.end = end
        latest = min([end - 1, *_start_ceilings(problem, schedule, tid)])
        start = choice.start
        while start < latest and _delivered_from(problem, choice, start + 1, end) >= effort:
            start += 1
        choice.start = start


def _delivered_from(problem: Problem, choice: TaskChoice, start: int, end: int) -> int:
    moved = TaskChoice(
        choice.task, True, choice.mode, start, end, choice.people, choice.vendors, choice.overtime
    )
    return delivered(problem, moved, end)


def _start_ceilings(problem: Problem, schedule: Schedule, tid: str) -> list[int]:
    """Latest start that the successors' SS and SF dependencies on ``tid`` allow."""
    ceilings = []
    for dep in problem.succs(tid):
        succ = schedule[dep.succ]
        if not succ.present:
            continue
        if dep.kind == "SS":
            ceilings.append(succ.start - dep.lag)
        elif dep.kind == "SF":
            ceilings.append(succ.end - dep.lag)
    return ceilings


def _engagement_bound(problem: Problem, choice: TaskChoice) -> bool:
    return any(problem.vendors[v].min_days > 0 for v in choice.vendors)


def task_plans(problem: Problem, schedule: Schedule) -> list[TaskPlan]:
    """Dated task plans of every planned task, in topological order."""
    plans = []
    for tid, task in problem.tasks.items():
        choice = schedule[tid]
        if not choice.present:
            continue
        mode = task.modes[choice.mode]
        last = choice.end - 1  # a milestone (end == start >= 1) is dated the day it is reached
        plans.append(
            TaskPlan(
                task=tid,
                project=task.project,
                mode=mode.name,
                start=problem.timeline.date(min(choice.start, last)),
                finish=problem.timeline.date(last),
                working_days=choice.end - choice.start,
                assignments=tuple(_assignments(problem, mode, choice)),
            )
        )
    return plans


def _assignments(problem: Problem, mode: ModeData, choice: TaskChoice) -> list[Assignment]:
    def skill(requirement: int) -> str | None:
        return None if requirement == NO_REQUIREMENT else mode.requirements[requirement].skill

    overtime = _overtime_hours(problem, choice)
    rows = [
        Assignment(
            resource=pid,
            kind="person",
            allocation=allocation,
            skill=skill(req),
            overtime_hours=overtime.get(pid, 0.0),
        )
        for pid, (allocation, req) in sorted(choice.people.items())
    ]
    for vid, by_requirement in sorted(choice.vendors.items()):
        rows += [
            Assignment(resource=vid, kind="vendor", allocation=100, count=count, skill=skill(req))
            for req, count in sorted(by_requirement.items())
            if count > 0
        ]
    return rows


def _overtime_hours(problem: Problem, choice: TaskChoice) -> dict[str, float]:
    """Overtime hours of each booking of ``choice`` with overtime."""
    hours = {}
    for pid, units in choice_overtime_units(problem, choice).items():
        terms = problem.people[pid].overtime
        assert terms is not None
        hours[pid] = overtime_hours(terms, units)
    return hours


def schedule_from_plan(problem: Problem, plan: Plan) -> Schedule:
    """The decisions of a dated plan, read back onto ``problem``'s timeline.

    The inverse of :func:`task_plans`, for warm starts from a saved plan (a what-if
    variant starts from its base plan, a re-plan from its baseline). Tasks, modes and
    people the problem does not know are skipped; tasks missing from the plan are left
    out of the schedule (not planned when optional, to be placed by the caller otherwise).
    """
    schedule: Schedule = {}
    timeline = problem.timeline
    for tp in plan.tasks:
        task = problem.tasks.get(tp.task)
        modes = {m.name: m for m in task.modes} if task else {}
        if task is None or tp.mode not in modes or tp.finish > timeline.last:
            continue
        mode = modes[tp.mode]
        if tp.working_days == 0:
            start = end = timeline.day_on_or_before(tp.finish) + 1
        else:
            start, end = timeline.day_on_or_after(tp.start), timeline.day_on_or_before(tp.finish) + 1
        choice = TaskChoice(task=tp.task, mode=mode.index, start=start, end=end)
        skills = [r.skill for r in mode.requirements]
        for row in tp.assignments:
            requirement = skills.index(row.skill) if row.skill in skills else NO_REQUIREMENT
            if row.kind == "person" and row.resource in problem.people:
                choice.people[row.resource] = (row.allocation, requirement)
                if row.overtime_hours > 0 and mode.is_effort and problem.people[row.resource].overtime:
                    choice.overtime.add(row.resource)
            elif row.kind == "vendor" and row.resource in problem.vendors:
                counts = choice.vendors.setdefault(row.resource, {})
                counts[requirement] = counts.get(requirement, 0) + row.count
        schedule[tp.task] = choice
    for tid, task in problem.tasks.items():
        if tid not in schedule and task.optional:
            schedule[tid] = TaskChoice(task=tid, present=False, start=task.earliest, end=task.earliest)
    return schedule


def assemble_plan(
    problem: Problem, schedule: Schedule, scenario_hash: str, solver: SolverInfo | None = None
) -> Plan:
    """A dated plan with every figure recomputed from its task plans (not yet checked)."""
    scenario = problem.scenario
    plans = fill_task_effort(scenario, task_plans(problem, schedule))
    figures = build_plan_figures(scenario, plans)
    return Plan(
        scenario=scenario.name,
        scenario_hash=scenario_hash,
        created=dt.datetime.now(dt.UTC).replace(microsecond=0),
        currency=scenario.currency,
        tasks=plans,
        projects=figures.projects,
        vendors=figures.vendors,
        loads=figures.loads,
        kpis=figures.kpis,
        solver=solver,
    )
