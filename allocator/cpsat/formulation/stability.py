"""Stability against a baseline plan (re-planning): frozen work and the cost of change.

The cost of change counts, against the baseline's decisions for the work still to do:

- each working day a task's start moves (either way), ``MOVE_WEIGHT`` each;
- each person taken off a task they were on, ``REASSIGN_WEIGHT`` each;
- each person kept on a task at another allocation, ``ALLOCATION_WEIGHT`` each;
- each person whose set of projects changes (a project gained or lost), ``MIX_WEIGHT`` each.

:func:`stability_term` builds it in the model and :func:`stability_value` evaluates it on
a schedule; the two follow the same definition, and the tests hold them equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from allocator.cpsat.formulation.variables import TaskVars, Variables
    from allocator.problem.data import Problem
    from allocator.problem.schedule import Schedule, TaskChoice

#: Cost of moving a task's start by one working day.
MOVE_WEIGHT = 1
#: Cost of taking a person off a task they were told they are on.
REASSIGN_WEIGHT = 5
#: Cost of keeping a person on a task at another allocation.
ALLOCATION_WEIGHT = 1
#: Cost of changing the set of projects a person works on.
MIX_WEIGHT = 5


def add_freeze(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Frozen tasks keep the baseline's mode, dates, people, allocations and contractors."""
    if problem.baseline is None:
        return
    for tid in problem.frozen:
        choice, task = problem.baseline.get(tid), variables.tasks.get(tid)
        if choice is None or task is None or not choice.present:
            continue
        model.add(task.start == choice.start)
        model.add(task.end == choice.end)
        for mode in task.modes:
            chosen = mode.data.index == choice.mode
            model.add(mode.chosen == int(chosen))
            for pid, assign in mode.people.items():
                model.add(assign.assigned == int(chosen and pid in choice.people))
                if chosen and pid in choice.people:
                    model.add(assign.allocation == choice.people[pid][0])
            for vid, use in mode.vendors.items():
                count = sum(choice.vendors.get(vid, {}).values()) if chosen else 0
                model.add(use.count == count)


def baseline_projects(problem: Problem, schedule: Schedule) -> dict[str, set[str]]:
    """Projects each person works on in ``schedule`` (people without work map to an empty set)."""
    projects: dict[str, set[str]] = {pid: set() for pid in problem.people}
    for tid, choice in schedule.items():
        task = problem.tasks.get(tid)
        if task is None or not choice.present:
            continue
        for pid in choice.people:
            projects.setdefault(pid, set()).add(task.project)
    return projects


def stability_term(model: cp_model.CpModel, problem: Problem, variables: Variables) -> cp_model.LinearExprT:
    """Changes against the baseline, weighted as the module docstring says."""
    if problem.baseline is None:
        return 0
    terms: list[cp_model.LinearExprT] = []
    for tid, choice in problem.baseline.items():
        task = variables.tasks.get(tid)
        if task is None or not choice.present:
            continue
        moved = model.new_int_var(0, problem.horizon, f"moved[{tid}]")
        model.add_abs_equality(moved, task.start - choice.start)
        terms.append(MOVE_WEIGHT * moved)
        terms.extend(_team_changes(task, choice))
    terms.extend(_mix_changes(model, problem, variables))
    return sum(terms)


def _team_changes(task: TaskVars, choice: TaskChoice) -> list[cp_model.LinearExprT]:
    """People taken off the task, and people kept at another allocation."""
    terms: list[cp_model.LinearExprT] = []
    for pid, (allocation, _) in choice.people.items():
        kept = [m.people[pid] for m in task.modes if pid in m.people]
        terms.append(REASSIGN_WEIGHT * (1 - sum(a.assigned for a in kept)))
        same = [a.levels[allocation] for a in kept if allocation in a.levels]
        terms.append(ALLOCATION_WEIGHT * (sum(a.assigned for a in kept) - sum(same)))
    return terms


def _mix_changes(
    model: cp_model.CpModel, problem: Problem, variables: Variables
) -> list[cp_model.LinearExprT]:
    """One literal per person, forced to 1 when they gain a project or lose one entirely."""
    assert problem.baseline is not None
    before = baseline_projects(problem, problem.baseline)
    by_person: dict[str, dict[str, list[cp_model.IntVar]]] = {}
    for pid, entries in variables.person_assignments().items():
        for task, _, assign in entries:
            by_person.setdefault(pid, {}).setdefault(task.data.project, []).append(assign.assigned)
    terms: list[cp_model.LinearExprT] = []
    for pid, projects in before.items():
        on = by_person.get(pid, {})
        changed = model.new_bool_var(f"mix_changed[{pid}]")
        for project, literals in on.items():
            if project not in projects:
                for literal in literals:
                    model.add_implication(literal, changed)
        for project in projects:
            has = model.new_bool_var(f"keeps[{pid},{project}]")
            model.add(has <= sum(on.get(project, [])))
            model.add(changed >= 1 - has)
        terms.append(MIX_WEIGHT * changed)
    return terms


def stability_value(problem: Problem, schedule: Schedule) -> int:
    """The stability term evaluated on a schedule (same definition as :func:`stability_term`)."""
    if problem.baseline is None:
        return 0
    total = 0
    for tid, choice in problem.baseline.items():
        new = schedule.get(tid)
        if new is None or not choice.present:
            continue
        total += MOVE_WEIGHT * abs(new.start - choice.start)
        for pid, (allocation, _) in choice.people.items():
            if pid not in new.people:
                total += REASSIGN_WEIGHT
            elif new.people[pid][0] != allocation:
                total += ALLOCATION_WEIGHT
    before = baseline_projects(problem, problem.baseline)
    after = baseline_projects(problem, schedule)
    total += MIX_WEIGHT * sum(1 for pid, projects in before.items() if after.get(pid, set()) != projects)
    return total
