"""The spend no plan avoids: mode costs, and work that only vendors can do.

A relaxation of the planning rules that keeps, for each task of a committed project, the
cheapest of its modes, where a mode costs its own fixed cost plus the contractors it
cannot do without: for a requirement no eligible person covers (or a mode that takes
vendors only), the heads it needs, each booked on every scenario working day of the
task's window at the cheapest covering vendor's day rate. The window is at least as long
as the mode's fixed duration, or for effort-driven work at least its effort divided by
the most its largest team could deliver in a day. Everything else (who else is on the
team, vendor minimum engagements, the other stages) is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from allocator.problem.overtime import delivery_uplift, uplifted

if TYPE_CHECKING:
    from allocator.problem.data import ModeData, Problem, TaskData

#: Effort units a contractor delivers on one scenario working day.
CONTRACTOR_DAY = 10_000


def forced_cost(problem: Problem) -> int:
    """Money units every plan spends at least (the ``cost`` objective term)."""
    days = np.array(problem.vendor_prefix, dtype=np.int64) // 100
    total = 0
    for task in problem.tasks.values():
        if task.optional or not task.modes:
            continue
        total += min(_mode_cost(problem, task, mode, days) for mode in task.modes)
    return total


def _mode_cost(problem: Problem, task: TaskData, mode: ModeData, days: np.ndarray) -> int:
    cost = mode.cost
    if mode.team_max == 0:
        return cost
    if mode.vendor_policy == "only" and mode.effort is not None:
        rate = min((problem.vendors[v].day_rate for v in mode.vendors), default=0)
        return cost + rate * (-(-mode.effort // CONTRACTOR_DAY)) * 100
    window = _least_window(problem, task, mode, days)
    for index, requirement in enumerate(mode.requirements):
        covered_by_staff = mode.vendor_policy != "only" and any(
            index in mode.covers[pid] for pid in mode.people
        )
        if covered_by_staff:
            continue
        rates = [problem.vendors[v].day_rate for v in mode.vendors if index in mode.vendor_covers[v]]
        if rates:
            cost += requirement.people * min(rates) * window * 100
    return cost


def _least_window(problem: Problem, task: TaskData, mode: ModeData, days: np.ndarray) -> int:
    """The fewest scenario working days a window of the mode's least length can hold."""
    if mode.duration is not None:
        length = mode.duration
    else:
        assert mode.effort is not None
        heads = [max(mode.levels[p]) * 100 for p in mode.people]
        uplift = delivery_uplift(problem, mode.people)
        if uplift is not None:  # overtime makes a head deliver up to (W + H) / W of a day
            heads = [uplifted(units, num, uplift[1]) for units, num in zip(heads, uplift[0], strict=True)]
        heads += [CONTRACTOR_DAY] * sum(
            min(problem.vendors[v].headcount, mode.team_max) for v in mode.vendors
        )
        per_day = sum(sorted(heads, reverse=True)[: mode.team_max])
        length = -(-mode.effort // max(1, per_day))
    first, last = task.earliest, problem.horizon - length
    if length <= 0 or last < first:
        return 0
    return int(np.min(days[first + length : last + length + 1] - days[first : last + 1]))
