"""Better first plans by searching the order construction places tasks in.

Serial schedule generation turns an order of the tasks into a plan in a fraction of a
second (:func:`allocator.construct.serial.construct_schedule`). The latest-finish-time
order is a good start, not the best: which of two projects competing for the same
testers goes first is exactly what it cannot weigh. So the order itself is searched
(biased random sampling and hill climbing on the priority values, as in the
multi-pass heuristics of the RCPSP literature, Kolisch and Hartmann 1999): each
candidate order shifts the latest finishes the rule sorts by, either at random (an
order of its own, biased towards higher priority) or a little around the best order
so far (one project's tasks together, or a tenth of the tasks one by one). Every
candidate is a complete plan; it is kept when it ranks no worse on the objective
stages, and handed on when it is strictly better.

Measured on the bundled quarter and on generated departments in BENCHMARKS.md.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allocator.construct.priority import latest_finish, priority_key
from allocator.construct.serial import construct_schedule
from allocator.plan.assemble import tighten
from allocator.search.evaluate import stage_values

if TYPE_CHECKING:
    from collections.abc import Callable

    from allocator.problem.data import Problem
    from allocator.problem.schedule import Schedule

#: Every this many candidates, one is an order of its own rather than a step from the best.
RESTART_EVERY = 4
#: Spread (timeline days) of the random shifts of an order of its own, and of a step.
RESTART_SPREADS = (5.0, 10.0, 20.0, 40.0)
STEP_SPREADS = (2.0, 5.0, 10.0)
#: Days of latest finish one point of priority is worth in an order of its own.
PRIORITY_PULLS = (0.0, 1.0, 2.0, 4.0)
#: Share of the tasks a step shifts one by one.
STEP_SHARE = 0.1


@dataclass
class PrioritySearch:
    """Limits and callbacks of one search."""

    deadline: float  #: ``time.monotonic()`` at which to stop
    seed: int
    accept: Callable[[Schedule], bool]  #: verifies and keeps a strictly better plan
    stopped: Callable[[], bool] = lambda: False
    candidates: int = 0  #: plans built
    improvements: int = 0  #: plans handed to ``accept`` and kept


def search_priorities(problem: Problem, search: PrioritySearch) -> None:
    """Build plans from candidate orders until the deadline; hand on each better one.

    Nothing is built once the deadline has passed: on a large portfolio one construction
    can take longer than the whole time limit.
    """
    if time.monotonic() >= search.deadline or search.stopped():
        return
    rng = random.Random(search.seed)
    due = latest_finish(problem)
    base = {tid: float(day) for tid, day in due.items()}
    best_scores = base
    best_values = _values(problem, base)
    if best_values is None:
        return
    while time.monotonic() < search.deadline and not search.stopped():
        search.candidates += 1
        if search.candidates % RESTART_EVERY == 0:
            scores = _own_order(problem, base, rng)
        else:
            scores = _step(problem, best_scores, rng)
        built = _build(problem, scores)
        if built is None:
            continue
        values = stage_values(problem, built)
        if values > best_values:
            continue
        if values < best_values and search.accept(built):
            search.improvements += 1
        best_scores, best_values = scores, values


def _values(problem: Problem, scores: dict[str, float]) -> tuple[int, ...] | None:
    built = _build(problem, scores)
    return None if built is None else stage_values(problem, built)


def _build(problem: Problem, scores: dict[str, float]) -> Schedule | None:
    """The plan construction builds from the order ``scores`` give (smallest first)."""
    schedule = construct_schedule(problem, priority_key(problem, scores))
    if schedule is not None:
        tighten(problem, schedule)
    return schedule


def _own_order(problem: Problem, base: dict[str, float], rng: random.Random) -> dict[str, float]:
    """Latest finishes shifted at random, pulled earlier by priority."""
    spread, pull = rng.choice(RESTART_SPREADS), rng.choice(PRIORITY_PULLS)
    return {
        tid: day + rng.uniform(0, spread) - pull * problem.tasks[tid].priority for tid, day in base.items()
    }


def _step(problem: Problem, best: dict[str, float], rng: random.Random) -> dict[str, float]:
    """The best order with one project's tasks, or a tenth of the tasks, shifted a little."""
    scores = dict(best)
    spread = rng.choice(STEP_SPREADS)
    if rng.random() < 0.5:
        shift = rng.uniform(-spread, spread)
        for tid in problem.projects[rng.choice(sorted(problem.projects))].tasks:
            scores[tid] += shift
    else:
        for tid in rng.sample(sorted(scores), max(1, int(len(scores) * STEP_SHARE))):
            scores[tid] += rng.uniform(-spread, spread)
    return scores
