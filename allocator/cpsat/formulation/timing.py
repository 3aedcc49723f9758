"""Windows, modes, durations and dependencies."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from allocator.bounds.chains import Chains
    from allocator.cpsat.formulation.variables import TaskVars, Variables
    from allocator.problem.data import Problem


def add_mode_choice(model: cp_model.CpModel, variables: Variables) -> None:
    """A planned task runs in exactly one mode; a deferred one in none, parked at its earliest start."""
    for task in variables.tasks.values():
        model.add(sum(m.chosen for m in task.modes) == task.present)
        if not isinstance(task.present, int):
            model.add(task.start == task.data.earliest).only_enforce_if(~task.present)
            model.add(task.end == task.data.earliest).only_enforce_if(~task.present)


def add_durations(model: cp_model.CpModel, variables: Variables) -> None:
    """Fixed-duration modes last exactly their duration; effort-driven ones at least a day."""
    for task in variables.tasks.values():
        for mode in task.modes:
            if mode.data.duration is not None:
                model.add(task.end == task.start + mode.data.duration).only_enforce_if(mode.chosen)
            else:
                model.add(task.end >= task.start + 1).only_enforce_if(mode.chosen)


def add_floors(model: cp_model.CpModel, variables: Variables, chains: Chains) -> None:
    """Redundant: no planned task starts or ends before its chain allows.

    ``chains`` is :func:`allocator.bounds.chains.earliest_finishes` of the whole problem,
    valid in every plan, so also in a neighbourhood's restricted model. The floors carry
    the calendars, leave and lead times of the fastest team into the search before anyone
    is chosen (measured in BENCHMARKS.md). Tasks the chains do not know get none.
    """
    for tid, task in variables.tasks.items():
        if tid not in chains.finish:
            continue
        for floor in (task.start >= chains.start[tid], task.end >= chains.finish[tid]):
            constraint = model.add(floor)
            if not isinstance(task.present, int):
                constraint.only_enforce_if(task.present)


def add_dependencies(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """FS/SS/FF/SF with lags in timeline days; a planned successor needs a planned predecessor."""
    for dep in problem.deps:
        pred, succ = variables.tasks[dep.pred], variables.tasks[dep.succ]
        constraint = model.add(_dependency_expr(dep.kind, pred, succ, dep.lag))
        if isinstance(succ.present, int):
            model.add(pred.present == 1)
        else:
            constraint.only_enforce_if(succ.present)
            model.add(pred.present >= succ.present)


def _dependency_expr(
    kind: str, pred: TaskVars, succ: TaskVars, lag: int
) -> cp_model.BoundedLinearExpression | bool:
    if kind == "SS":
        return succ.start >= pred.start + lag
    if kind == "FF":
        return succ.end >= pred.end + lag
    if kind == "SF":
        return succ.end >= pred.start + lag
    return succ.start >= pred.end + lag
