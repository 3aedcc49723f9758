"""Objective terms: each a named integer expression the lexicographic stages weigh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.cpsat.formulation.expressions import staff_cost
from allocator.cpsat.formulation.money import task_cost
from allocator.cpsat.formulation.stability import stability_term
from allocator.problem.data import MONEY_SCALE
from models import ObjectiveTerm

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from allocator.cpsat.formulation.variables import Variables
    from allocator.problem.data import Problem

#: Terms counted in money units; others are scaled up when a stage mixes both.
MONEY_TERMS = frozenset({ObjectiveTerm.COST, ObjectiveTerm.STAFF_COST})


def build_term(
    term: ObjectiveTerm, model: cp_model.CpModel, problem: Problem, variables: Variables
) -> cp_model.LinearExprT:
    """The integer expression of one objective term."""
    builders = {
        ObjectiveTerm.LATENESS: _lateness,
        ObjectiveTerm.DEFERRAL: _deferral,
        ObjectiveTerm.COST: _cost,
        ObjectiveTerm.STAFF_COST: _staff_cost,
        ObjectiveTerm.MAKESPAN: _makespan,
        ObjectiveTerm.FINISH: _finish,
        ObjectiveTerm.PREFERENCES: _preferences,
        ObjectiveTerm.STABILITY: stability_term,
    }
    return builders[term](model, problem, variables)


def stage_expression(
    stage: dict[ObjectiveTerm, int], terms: dict[ObjectiveTerm, cp_model.LinearExprT]
) -> cp_model.LinearExprT:
    """Weighted sum of a stage's terms; time terms are scaled to money units when mixed with money."""
    mixed = any(t in MONEY_TERMS for t in stage) and any(t not in MONEY_TERMS for t in stage)
    return sum(
        weight * (MONEY_SCALE if mixed and term not in MONEY_TERMS else 1) * terms[term]
        for term, weight in stage.items()
    )


def _lateness(model: cp_model.CpModel, problem: Problem, variables: Variables) -> cp_model.LinearExprT:
    """Priority-weighted late working days of projects and of tasks with soft deadlines."""
    terms = []
    for project in problem.projects.values():
        if project.soft_end is None or project.priority == 0:
            continue
        late = model.new_int_var(0, problem.horizon, f"late[{project.id}]")
        for tid in project.tasks:
            model.add(late >= variables.tasks[tid].end - project.soft_end)
        model.add(late >= problem.fixed.project_end.get(project.id, 0) - project.soft_end)
        terms.append(project.priority * late)
    for task in variables.tasks.values():
        if task.data.soft_end is not None and task.data.priority > 0:
            late = model.new_int_var(0, problem.horizon, f"late[{task.data.id}]")
            model.add(late >= task.end - task.data.soft_end)
            terms.append(task.data.priority * late)
    return sum(terms)


def _deferral(model: cp_model.CpModel, problem: Problem, variables: Variables) -> cp_model.LinearExprT:
    """Value of the candidate projects left out."""
    return sum(
        project.value * (1 - variables.project_present[pid])
        for pid, project in problem.projects.items()
        if project.candidate
    )


def _cost(model: cp_model.CpModel, problem: Problem, variables: Variables) -> cp_model.LinearExprT:
    """Vendor spend, overtime pay and mode costs, in money units."""
    return sum(
        term
        for task in variables.tasks.values()
        for term in task_cost(model, problem, variables, task, staff=False)
    )


def _staff_cost(model: cp_model.CpModel, problem: Problem, variables: Variables) -> cp_model.LinearExprT:
    """Cost of staff days booked on tasks, in money units."""
    return sum(
        staff_cost(model, problem, task, assign)
        for task in variables.tasks.values()
        for mode in task.modes
        for assign in mode.people.values()
    )


def _makespan(model: cp_model.CpModel, problem: Problem, variables: Variables) -> cp_model.LinearExprT:
    """Day on which the last task ends."""
    makespan = model.new_int_var(min(problem.fixed.makespan, problem.horizon), problem.horizon, "makespan")
    for task in variables.tasks.values():
        model.add(makespan >= task.end)
    return makespan


def _finish(model: cp_model.CpModel, problem: Problem, variables: Variables) -> cp_model.LinearExprT:
    """Priority-weighted sum of project finish days (at least 1 per project)."""
    terms = []
    for pid, project in problem.projects.items():
        if not project.tasks:
            continue
        finish = model.new_int_var(0, problem.horizon, f"finish[{pid}]")
        ends = [variables.tasks[t].end for t in project.tasks]
        model.add_max_equality(finish, [*ends, problem.fixed.project_end.get(pid, 0)])
        variables.project_end[pid] = finish
        terms.append(max(1, project.priority) * finish)
    return sum(terms)


def _preferences(model: cp_model.CpModel, problem: Problem, variables: Variables) -> cp_model.LinearExprT:
    """Preferred people left off their tasks."""
    terms = []
    for task in variables.tasks.values():
        for person in task.data.preferred:
            on_task = [m.people[person].assigned for m in task.modes if person in m.people]
            terms.append(task.present - sum(on_task))
    return sum(terms)
