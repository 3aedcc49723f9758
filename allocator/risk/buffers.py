"""Planning at a confidence with buffers: likely efforts, deadlines protected per chain.

The critical-chain alternative to planning every effort at its percentile
(:mod:`allocator.risk.confidence`). A plan at the likely efforts is made first; for each
project with a deadline, the chain of tasks that sets its finish in that plan
(:func:`allocator.diagnose.chain.trace_chain`) is read, and each chain task's overrun at
the confidence is its planned working days times its effort's percentile over its
likely effort, less one. The project's buffer is the root of the sum of their squares
(the root-square-error sizing of critical-chain buffers: Newbold, *Project Management in
the Fast Lane*, 1998; Leach, *Critical Chain Project Management*, 2005): overruns of
independent tasks do not all happen at once, so the buffer is shorter than their sum.

The plan is then searched again with each deadline moved earlier by its buffer, warm
started from the first plan: the search aims at finishing one buffer before the
deadline, on the same work, the same budget and the same capacities. A hard deadline is
moved no earlier than the first plan's finish of the project, so that plan stays
feasible and a plan always exists. Since only deadlines tighten, the plan is a plan of
the scenario itself; it is re-dated and checked against the scenario's own deadlines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from allocator.checker import check_plan
from allocator.diagnose.chain import trace_chain
from allocator.diagnose.lateness import explain_plan
from allocator.io import scenario_hash
from allocator.plan.assemble import assemble_plan, schedule_from_plan
from allocator.problem.compile import compile_problem
from allocator.risk.confidence import effort_factor

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from allocator.problem.data import Problem
    from allocator.search.solve import SolveOptions, SolveResult
    from models import Plan, Scenario, SolverInfo

#: Tasks of a chain whose overruns a buffer covers, the latest ones (longer chains are cut).
BUFFER_CHAIN = 40


@dataclass(frozen=True)
class Buffer:
    """One project's buffer: working days, the chain it protects, and the deadlines."""

    project: str
    days: int
    chain: tuple[str, ...]
    deadline: dt.date  #: the scenario's deadline
    target: dt.date  #: the deadline the buffered plan aims at


def chain_buffers(scenario: Scenario, plan: Plan, confidence: float) -> list[Buffer]:
    """The buffer of every project with a deadline, from the chains of ``plan``.

    Parameters
    ----------
    scenario
        The scenario ``plan`` was made for (likely efforts).
    plan
        A verified plan of ``scenario``.
    confidence
        The share of outcomes the buffers should cover (0.8: the 80th percentile of each
        chain task's effort).
    """
    problem = compile_problem(scenario)
    schedule = schedule_from_plan(problem, plan)
    finishes = {p.project: p.finish for p in plan.projects}
    buffers = []
    for project in scenario.projects:
        if project.deadline is None or project.id not in problem.projects:
            continue
        steps = trace_chain(problem, schedule, project.id, BUFFER_CHAIN)
        if not steps:
            continue
        overruns = [
            _overrun(scenario, step.task, step.end - step.start, schedule[step.task].mode, confidence)
            for step in steps
        ]
        days = math.ceil(math.sqrt(sum(o * o for o in overruns)) - 1e-9)
        target = _earlier(problem, project.deadline, days)
        finish = finishes.get(project.id)
        if project.deadline_type == "hard" and finish is not None:
            target = max(target, min(finish, project.deadline))
        buffers.append(Buffer(project.id, days, tuple(s.task for s in steps), project.deadline, target))
    return buffers


def _overrun(scenario: Scenario, tid: str, days: int, mode: int, confidence: float) -> float:
    """Working days a chain task of ``days`` runs over at the percentile (the chain may
    pass through another project's tasks)."""
    owner = next(p for p in scenario.projects if any(t.id == tid for t in p.tasks))
    task = next(t for t in owner.tasks if t.id == tid)
    return days * (effort_factor(scenario, owner, task, mode, confidence) - 1)


def _earlier(problem: Problem, day: dt.date, days: int) -> dt.date:
    """``days`` timeline days before ``day`` (not before the timeline's first day)."""
    timeline = problem.timeline
    index = timeline.day_on_or_before(day)
    return timeline.dates[max(0, index - days)]


def buffered_scenario(scenario: Scenario, buffers: list[Buffer]) -> Scenario:
    """``scenario`` with each project's deadline at its buffer's target."""
    targets = {b.project: b.target for b in buffers}
    projects = tuple(
        p.model_copy(update={"deadline": targets[p.id]}) if p.id in targets else p for p in scenario.projects
    )
    return scenario.model_copy(update={"projects": projects})


def redated_plan(scenario: Scenario, plan: Plan, solver: SolverInfo | None) -> Plan:
    """A plan made for a buffered copy, with every figure recomputed and checked for ``scenario``."""
    problem = compile_problem(scenario)
    redated = assemble_plan(problem, schedule_from_plan(problem, plan), scenario_hash(scenario), solver)
    return redated.model_copy(update={"check": check_plan(scenario, redated)})


def solve_with_buffers(
    scenario: Scenario,
    confidence: float,
    options: SolveOptions,
    solve: Callable[[Scenario, SolveOptions], SolveResult],
) -> tuple[SolveResult, list[Buffer]]:
    """Plan ``scenario`` at ``confidence`` with buffers: half the time limit for a plan of
    the scenario, half for the plan aiming at the buffered deadlines, warm-started from it.

    ``solve`` runs one search (the command line's, with its progress display). The result's
    plan is a checked plan of ``scenario``; explanations, when asked for, are of that plan
    against the scenario's own deadlines. Without a buffered plan the first plan is kept.
    """
    limit = options.time_limit if options.time_limit is not None else scenario.solver.time_limit
    first = solve(scenario, replace(options, time_limit=limit / 2, explain_seconds=0.0))
    if first.plan is None:
        return first, []
    buffers = chain_buffers(scenario, first.plan, confidence)
    second = solve(
        buffered_scenario(scenario, buffers),
        replace(options, time_limit=limit / 2, explain_seconds=0.0, warm_start=first.plan),
    )
    result = first
    if second.plan is not None:
        result = replace(second, plan=redated_plan(scenario, second.plan, second.plan.solver))
    assert result.plan is not None
    if options.explain_seconds > 0:
        workers = options.workers if options.workers is not None else scenario.solver.workers
        explained = explain_plan(scenario, result.plan, options.explain_seconds, workers=max(1, workers))
        result = replace(result, plan=result.plan.model_copy(update={"explanations": tuple(explained)}))
    return result, buffers


def buffer_lines(buffers: list[Buffer], confidence: float) -> str:
    """The buffers in words, one project a line."""
    if not buffers:
        return ""
    lines = [f"Buffers at {100 * confidence:.0f} % (root of the squared overruns of each finishing chain):"]
    for b in buffers:
        aim = f"aims at {b.target} for {b.deadline}" if b.target < b.deadline else f"deadline {b.deadline}"
        tasks = f"{len(b.chain)} chain task" + ("s" if len(b.chain) != 1 else "")
        lines.append(f"  {b.project}: {b.days} working days over {tasks}; {aim}")
    return "\n".join(lines) + "\n"
