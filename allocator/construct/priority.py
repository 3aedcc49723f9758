"""The order in which construction places tasks: the latest-finish-time rule.

Tasks leading to a hard deadline come first, then tasks by their latest finish (a
backward pass from deadlines through the dependency network), committed projects before
candidates; higher task priority and the order of the scenario break ties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from allocator.problem.data import ModeData, Problem, TaskData

#: Sort key of a task among those ready to be placed (smallest first).
PriorityKey = tuple[bool, bool, float, int, int]


def priority_key(problem: Problem, scores: Mapping[str, float] | None = None) -> Callable[[str], PriorityKey]:
    """The sort key of the latest-finish-time rule.

    Parameters
    ----------
    problem
        The compiled problem.
    scores
        Values to sort by in place of the latest finishes (a searched order,
        :mod:`allocator.search.priorities`).

    Returns
    -------
    Callable[[str], PriorityKey]
        For a task id: committed before optional, leading to a hard deadline before not,
        then latest finish, higher priority, and position in the problem.
    """
    due: Mapping[str, float] = latest_finish(problem) if scores is None else scores
    order = {tid: i for i, tid in enumerate(problem.tasks)}
    urgent = leads_to_hard_deadline(problem)

    def key(tid: str) -> PriorityKey:
        task = problem.tasks[tid]
        return (task.optional, tid not in urgent, due[tid], -task.priority, order[tid])

    return key


def latest_finish(problem: Problem) -> dict[str, int]:
    """Latest finish of each task: its due day, pulled earlier by its successors' due days."""
    shortest = {tid: _task_shortest_duration(task) for tid, task in problem.tasks.items()}
    due: dict[str, int] = {}
    for tid in reversed(list(problem.tasks)):
        task = problem.tasks[tid]
        due[tid] = min(
            d for d in (task.latest_end, task.soft_end, _project_due(problem, task)) if d is not None
        )
    succs: dict[str, list[tuple[str, int]]] = {}
    for dep in problem.deps:
        succs.setdefault(dep.pred, []).append((dep.succ, dep.lag))
    for tid in reversed(list(problem.tasks)):
        for succ, lag in succs.get(tid, []):
            due[tid] = min(due[tid], due[succ] - shortest[succ] - lag)
    return due


def shortest_duration(mode: ModeData) -> int:
    """Fewest days the mode can take: its duration, or its effort with a full team at 100 %."""
    if mode.duration is not None:
        return mode.duration
    assert mode.effort is not None
    return max(1, -(-mode.effort // (max(1, mode.team_max) * 100 * 100)))


def _task_shortest_duration(task: TaskData) -> int:
    return min((shortest_duration(mode) for mode in task.modes), default=0)


def leads_to_hard_deadline(problem: Problem) -> set[str]:
    """Tasks under a hard deadline and everything they depend on: placed before the rest."""
    urgent = {tid for tid, task in problem.tasks.items() if task.latest_end < problem.horizon}
    for tid in reversed(list(problem.tasks)):
        if tid in urgent:
            urgent.update(dep.pred for dep in problem.preds(tid))
    return urgent


def _project_due(problem: Problem, task: TaskData) -> int | None:
    return problem.projects[task.project].soft_end
