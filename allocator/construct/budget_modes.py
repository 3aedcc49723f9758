"""Consumable budgets in construction: a mode for every task that the budgets allow together.

Serial schedule generation picks each task's mode greedily. To leave enough of every
consumable budget for the tasks not yet placed, it keeps back what each of them needs in
a *fallback* mode; a task may take any mode that fits next to those reservations, and
the fallback modes of the rest then still fit. Keeping back each task's least use of each
consumable is enough when one mode of the task is thriftiest on all of them at once.
When the thriftiest modes differ per consumable (MISTA 2013 instances: two nonrenewable
budgets per project), the least uses of different modes add up to less than any set of
modes really needs, and construction can spend a budget it cannot do without; the
fallback modes are then chosen together, by a small CP-SAT model over the budgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from allocator.problem.data import ModeData, Problem, TaskData

#: Seconds allowed to the fallback-mode model (it has one choice per task and mode).
FALLBACK_TIME_LIMIT = 1.0
#: Scale of the objective: a mode's use of a consumable as a share of its budget.
SHARE_SCALE = 10_000

Reservation = dict[str, dict[str, int]]  #: task id -> consumable id -> units kept back


def least_consumption(problem: Problem, task: TaskData) -> dict[str, int]:
    """Per consumable resource, the least any mode of ``task`` uses.

    Parameters
    ----------
    problem
        The compiled problem.
    task
        One of its tasks.

    Returns
    -------
    dict[str, int]
        Units per consumable resource (every consumable of the problem, 0 when unused).
    """
    consumable = [rid for rid, r in problem.resources.items() if r.consumable]
    return {rid: min((mode.resources.get(rid, 0) for mode in task.modes), default=0) for rid in consumable}


def budget_reservation(problem: Problem) -> Reservation:
    """Consumable units to keep back for each task until it is placed.

    Parameters
    ----------
    problem
        The compiled problem.

    Returns
    -------
    Reservation
        Each task's least use of each consumable when, for every task, one usable mode is
        thriftiest on every consumable; otherwise the uses of fallback modes that fit all
        budgets together (least total use, as shares of the budgets), and the least uses
        again when no such modes exist.
    """
    least = {tid: least_consumption(problem, task) for tid, task in problem.tasks.items()}
    if all(_has_thriftiest_mode(problem, task, least[tid]) for tid, task in problem.tasks.items()):
        return least
    fallback = fallback_modes(problem)
    if fallback is None:
        return least
    return {tid: _consumption(problem, problem.tasks[tid].modes[index]) for tid, index in fallback.items()}


def fallback_modes(problem: Problem) -> dict[str, int] | None:
    """A usable mode per task whose consumption fits every consumable budget together.

    Parameters
    ----------
    problem
        The compiled problem.

    Returns
    -------
    dict[str, int] | None
        Task id -> mode index, using the least of the budgets (summed as shares); ``None``
        when no such choice exists or none is found in :data:`FALLBACK_TIME_LIMIT`.
    """
    consumables = {rid: r.capacity for rid, r in problem.resources.items() if r.consumable}
    model = cp_model.CpModel()
    chosen: dict[str, list[tuple[int, cp_model.IntVar]]] = {}
    use: dict[str, list[cp_model.LinearExprT]] = {rid: [] for rid in consumables}
    cost: list[cp_model.LinearExprT] = []
    for tid, task in problem.tasks.items():
        modes = [mode for mode in task.modes if usable(problem, task, mode)]
        if not modes:
            return None
        choices = [(mode.index, model.new_bool_var(f"{tid}-{mode.index}")) for mode in modes]
        model.add_exactly_one(var for _, var in choices)
        chosen[tid] = choices
        for mode, (_, var) in zip(modes, choices, strict=True):
            for rid, amount in mode.resources.items():
                if rid in consumables and amount:
                    use[rid].append(amount * var)
                    cost.append(_share(amount, consumables[rid]) * var)
    for rid, capacity in consumables.items():
        model.add(sum(use[rid]) <= capacity)
    model.minimize(sum(cost))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = FALLBACK_TIME_LIMIT
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {
        tid: next(index for index, var in choices if solver.value(var)) for tid, choices in chosen.items()
    }


def usable(problem: Problem, task: TaskData, mode: ModeData) -> bool:
    """Whether ``mode`` can ever be used: no renewable resource above its capacity, pins kept.

    Parameters
    ----------
    problem
        The compiled problem.
    task
        The task of ``mode``.
    mode
        One of its modes.

    Returns
    -------
    bool
        ``False`` for a mode that construction can never place whatever else is booked.
    """
    for rid, amount in mode.resources.items():
        resource = problem.resources[rid]
        if not resource.consumable and amount > resource.capacity:
            return False
    return all(pid in mode.people for pid in task.pinned)


def _has_thriftiest_mode(problem: Problem, task: TaskData, least: dict[str, int]) -> bool:
    """Whether a usable mode of ``task`` uses no more of any consumable than its least use."""
    return any(
        usable(problem, task, mode)
        and all(mode.resources.get(rid, 0) <= amount for rid, amount in least.items())
        for mode in task.modes
    )


def _consumption(problem: Problem, mode: ModeData) -> dict[str, int]:
    """The units of every consumable ``mode`` uses (0 when unused)."""
    return {rid: mode.resources.get(rid, 0) for rid, r in problem.resources.items() if r.consumable}


def _share(amount: int, capacity: int) -> int:
    """``amount`` as a whole-number share of ``capacity`` (at least 1 for any use)."""
    return max(1, amount * SHARE_SCALE // max(1, capacity))
