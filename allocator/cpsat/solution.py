"""The one place where solver values become a :class:`Schedule`, and schedules become hints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.problem.schedule import NO_REQUIREMENT, Schedule, TaskChoice

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from allocator.cpsat.formulation.model import Formulation
    from allocator.cpsat.formulation.variables import AssignVars, ModeVars, VendorVars

    #: Where solution values are read: a solver, or a solution callback during its search.
    Values = cp_model.CpSolver | cp_model.CpSolverSolutionCallback


def extract_schedule(solver: Values, formulation: Formulation) -> Schedule:
    """Read the current solution of ``solver`` (or of a solution callback) into a schedule."""
    schedule: Schedule = {}
    for tid, task in formulation.variables.tasks.items():
        choice = TaskChoice(task=tid, present=bool(solver.value(task.present)))
        choice.start, choice.end = solver.value(task.start), solver.value(task.end)
        for mode in task.modes:
            if solver.value(mode.chosen):
                choice.mode = mode.data.index
                _extract_team(solver, mode, choice)
        schedule[tid] = choice
    return schedule


def _extract_team(solver: Values, mode: ModeVars, choice: TaskChoice) -> None:
    for pid, assign in mode.people.items():
        if solver.value(assign.assigned):
            allocation = solver.value(assign.allocation)
            choice.people[pid] = (allocation, _person_requirement(solver, mode, assign))
            if assign.overtime is not None and solver.value(assign.overtime):
                choice.overtime.add(pid)
    for vid, use in mode.vendors.items():
        if solver.value(use.used):
            choice.vendors[vid] = _vendor_requirements(solver, mode, use)


def _person_requirement(solver: Values, mode: ModeVars, assign: AssignVars) -> int:
    if assign.covers:
        return next(r for r, lit in assign.covers.items() if solver.value(lit))
    return 0 if mode.data.requirements else NO_REQUIREMENT


def _vendor_requirements(solver: Values, mode: ModeVars, use: VendorVars) -> dict[int, int]:
    if use.covers:
        return {r: n for r, var in use.covers.items() if (n := solver.value(var)) > 0}
    return {0 if mode.data.requirements else NO_REQUIREMENT: solver.value(use.count)}


def apply_hint(formulation: Formulation, schedule: Schedule, *, teams: bool = True) -> None:
    """Hint every decision of ``schedule`` (old hints are cleared first).

    With ``teams=False`` only the timing is hinted: presence, starts, ends and modes.
    """
    model = formulation.model
    model.clear_hints()
    planned: dict[str, bool] = {}
    for tid, task in formulation.variables.tasks.items():
        project = task.data.project
        planned[project] = planned.get(project, True) and schedule[tid].present
    for pid, present in formulation.variables.project_present.items():
        if not isinstance(present, int) and pid in planned:
            model.add_hint(present, planned[pid])
    for tid, task in formulation.variables.tasks.items():
        choice = schedule[tid]
        model.add_hint(task.start, choice.start)
        model.add_hint(task.end, choice.end)
        for mode in task.modes:
            chosen = choice.present and mode.data.index == choice.mode
            model.add_hint(mode.chosen, chosen)
            if teams:
                _hint_team(model, mode, choice if chosen else None)


def _hint_team(model: cp_model.CpModel, mode: ModeVars, choice: TaskChoice | None) -> None:
    for pid, assign in mode.people.items():
        allocation, requirement = choice.people.get(pid, (0, 0)) if choice else (0, 0)
        model.add_hint(assign.assigned, allocation > 0)
        model.add_hint(assign.allocation, allocation)
        for level, lit in assign.levels.items():
            model.add_hint(lit, level == allocation)
        for r, lit in assign.covers.items():
            model.add_hint(lit, allocation > 0 and r == requirement)
        if assign.overtime is not None:
            model.add_hint(assign.overtime, allocation > 0 and choice is not None and pid in choice.overtime)
    for vid, use in mode.vendors.items():
        by_requirement = choice.vendors.get(vid, {}) if choice else {}
        count = sum(by_requirement.values())
        model.add_hint(use.used, count > 0)
        model.add_hint(use.count, count)
        for n, lit in use.counts.items():
            model.add_hint(lit, n == count)
        for r, var in use.covers.items():
            model.add_hint(var, by_requirement.get(r, 0))
