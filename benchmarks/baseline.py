"""The priority-rule baseline: serial schedule generation with the latest-finish-time rule.

The planner's own constructive heuristic (:func:`allocator.construct.serial.construct_schedule`),
run on its own: roughly what the resource levelling of classic project tools does. Set
beside the optimised plans it shows what optimisation adds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allocator.checker import check_plan
from allocator.construct.serial import construct_schedule
from allocator.io import scenario_hash
from allocator.plan.assemble import assemble_plan
from allocator.problem.compile import compile_problem, horizon_date
from allocator.search.evaluate import stage_values

if TYPE_CHECKING:
    from allocator.problem.data import Problem
    from allocator.problem.schedule import Schedule
    from models import Plan, Scenario

#: Horizons tried, in planning windows past the window, when the schedule overflows.
HORIZON_GROWTH = (1.0, 3.0, 7.0)


@dataclass(frozen=True)
class BaselineResult:
    """The baseline schedule's figures.

    Parameters
    ----------
    objective
        Value of the first objective stage (``None`` when construction failed).
    wall_time
        Seconds from the scenario to the checked plan.
    checker_ok
        Whether the independent checker accepts the plan.
    plan
        The dated plan, when one was constructed.
    """

    objective: int | None
    wall_time: float
    checker_ok: bool
    plan: Plan | None = None


def _construct(scenario: Scenario) -> tuple[Problem, Schedule | None]:
    """Construct with the horizon growing as the solver does when the work overflows it."""
    problem = compile_problem(scenario)
    schedule = construct_schedule(problem)
    for extra_windows in HORIZON_GROWTH[1:]:
        if schedule is not None:
            break
        problem = compile_problem(scenario, horizon_date(scenario, extra_windows))
        schedule = construct_schedule(problem)
    return problem, schedule


def lft_baseline(scenario: Scenario) -> BaselineResult:
    """Schedule ``scenario`` with the latest-finish-time serial heuristic, and check the plan.

    Parameters
    ----------
    scenario
        A validated scenario (typically a converted benchmark instance).

    Returns
    -------
    BaselineResult
        The first stage's value (the makespan for PSPLIB; the runner reports each
        family's own measure from the plan), the time taken and the checker's verdict.
    """
    began = time.perf_counter()
    problem, schedule = _construct(scenario)
    if schedule is None:
        return BaselineResult(None, time.perf_counter() - began, False)
    objective = stage_values(problem, schedule)[0]
    plan = assemble_plan(problem, schedule, scenario_hash(scenario))
    report = check_plan(scenario, plan)
    return BaselineResult(objective, time.perf_counter() - began, report.ok, plan)
