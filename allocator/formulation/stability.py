"""Stability against a baseline plan (re-planning): frozen work and the cost of change."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from allocator.compile import Problem
    from allocator.formulation.variables import Variables
    from allocator.schedule import Schedule


def add_freeze(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Frozen tasks keep the baseline's mode, dates and people."""
    if problem.baseline is None:
        return
    for tid in problem.frozen:
        choice, task = problem.baseline.get(tid), variables.tasks.get(tid)
        if choice is None or task is None or not choice.present:
            continue
        model.add(task.start == choice.start)
        model.add(task.end == choice.end)
        for mode in task.modes:
            model.add(mode.chosen == int(mode.data.index == choice.mode))
            for pid, assign in mode.people.items():
                model.add(assign.assigned == int(mode.data.index == choice.mode and pid in choice.people))


def stability_term(model: cp_model.CpModel, problem: Problem, variables: Variables) -> cp_model.LinearExprT:
    """Changes against the baseline: moved starts (days) and people taken off their tasks."""
    if problem.baseline is None:
        return 0
    terms: list[cp_model.LinearExprT] = []
    for tid, choice in problem.baseline.items():
        task = variables.tasks.get(tid)
        if task is None or not choice.present:
            continue
        moved = model.new_int_var(0, problem.horizon, f"moved[{tid}]")
        model.add_abs_equality(moved, task.start - choice.start)
        terms.append(moved)
        for pid in choice.people:
            kept = [m.people[pid].assigned for m in task.modes if pid in m.people]
            terms.append(1 - sum(kept))
    return sum(terms)


def stability_value(problem: Problem, schedule: Schedule) -> int:
    """The stability term evaluated on a schedule (same definition as :func:`stability_term`)."""
    if problem.baseline is None:
        return 0
    total = 0
    for tid, choice in problem.baseline.items():
        new = schedule.get(tid)
        if new is None or not choice.present:
            continue
        total += abs(new.start - choice.start)
        total += sum(1 for pid in choice.people if pid not in new.people)
    return total
