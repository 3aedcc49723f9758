"""Objective values of an integer schedule, computed without the solver.

The same terms the CP-SAT objective weighs (:mod:`allocator.cpsat.formulation.objectives`),
evaluated on a schedule so that plans from construction, warm starts, neighbourhood
searches and CP-SAT stages can be ranked against each other lexicographically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.cpsat.formulation.objectives import MONEY_TERMS
from allocator.cpsat.formulation.stability import stability_value
from allocator.problem.data import MONEY_SCALE
from allocator.problem.overtime import choice_overtime_cost
from models import ObjectiveTerm

if TYPE_CHECKING:
    from allocator.problem.data import Problem
    from allocator.problem.schedule import Schedule, TaskChoice


def term_values(problem: Problem, schedule: Schedule) -> dict[ObjectiveTerm, int]:
    """Value of every objective term for ``schedule`` (money terms in money units)."""
    return {
        ObjectiveTerm.LATENESS: _lateness(problem, schedule),
        ObjectiveTerm.DEFERRAL: _deferral(problem, schedule),
        ObjectiveTerm.COST: sum(task_cost(problem, c, staff=False) for c in schedule.values() if c.present),
        ObjectiveTerm.STAFF_COST: sum(_staff_cost(problem, c) for c in schedule.values() if c.present),
        ObjectiveTerm.MAKESPAN: max((c.end for c in schedule.values()), default=0),
        ObjectiveTerm.FINISH: _finish(problem, schedule),
        ObjectiveTerm.PREFERENCES: _preferences(problem, schedule),
        ObjectiveTerm.STABILITY: stability_value(problem, schedule),
    }


def stage_values(problem: Problem, schedule: Schedule) -> tuple[int, ...]:
    """The objective of each lexicographic stage, in stage order (smaller is better)."""
    terms = term_values(problem, schedule)
    result = []
    for stage in problem.scenario.objective.stages:
        mixed = any(t in MONEY_TERMS for t in stage) and any(t not in MONEY_TERMS for t in stage)
        result.append(
            sum(
                weight * (MONEY_SCALE if mixed and term not in MONEY_TERMS else 1) * terms[term]
                for term, weight in stage.items()
            )
        )
    return tuple(result)


def _lateness(problem: Problem, schedule: Schedule) -> int:
    total = 0
    for project in problem.projects.values():
        ends = [schedule[t].end for t in project.tasks if schedule[t].present]
        if project.soft_end is not None and ends:
            total += project.priority * max(0, max(ends) - project.soft_end)
    for tid, task in problem.tasks.items():
        choice = schedule[tid]
        if task.soft_end is not None and choice.present:
            total += task.priority * max(0, choice.end - task.soft_end)
    return total


def _deferral(problem: Problem, schedule: Schedule) -> int:
    return sum(
        project.value
        for project in problem.projects.values()
        if project.candidate and project.tasks and not schedule[project.tasks[0]].present
    )


def _finish(problem: Problem, schedule: Schedule) -> int:
    total = 0
    for project in problem.projects.values():
        if project.tasks:
            total += max(1, project.priority) * max(schedule[t].end for t in project.tasks)
    return total


def _preferences(problem: Problem, schedule: Schedule) -> int:
    return sum(
        1
        for tid, task in problem.tasks.items()
        for person in task.preferred
        if schedule[tid].present and person not in schedule[tid].people
    )


def task_cost(problem: Problem, choice: TaskChoice, staff: bool) -> int:
    """Money units of a task: mode cost, vendor spend and overtime pay, plus staff cost when ``staff``."""
    mode = problem.tasks[choice.task].modes[choice.mode]
    worked = problem.vendor_prefix[choice.end] - problem.vendor_prefix[choice.start]
    total = mode.cost + sum(
        problem.vendors[vid].day_rate * sum(counts.values()) * worked
        for vid, counts in choice.vendors.items()
    )
    total += choice_overtime_cost(problem, choice)
    return total + (_staff_cost(problem, choice) if staff else 0)


def _staff_cost(problem: Problem, choice: TaskChoice) -> int:
    days = choice.end - choice.start
    return sum(
        problem.people[pid].cost_per_day * allocation * days for pid, (allocation, _) in choice.people.items()
    )
