"""Re-planning the generated large scenario after a slip of 10 tasks, against a from-scratch solve.

Run from the repository root::

    python -m benchmarks.replan --time-limit 60 --workers 2

Prints the time to the first verified plan of a from-scratch solve of the re-plan
scenario and of the re-plan, and how many tasks each changes against the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import time
from typing import TYPE_CHECKING

from allocator.plan.assemble import delivered, schedule_from_plan
from allocator.problem.compile import compile_problem
from allocator.problem.data import EFFORT_SCALE
from allocator.replan.changes import diff_plans
from allocator.replan.run import ReplanOptions, replan
from allocator.replan.slips import apply_slips, parse_slip
from allocator.search.solve import SolveOptions, solve_scenario
from benchmarks.planner import large_scenario
from models.progress import Progress, TaskProgress

if TYPE_CHECKING:
    from models import Plan, Scenario


def on_track(scenario: Scenario, plan: Plan, as_of: dt.date) -> Progress:
    """Progress exactly as planned: tasks finished before ``as_of`` done, started ones under way.

    The remaining effort of a task under way is what its team delivers from ``as_of`` to
    its planned finish on the working days of the plan, so that progress on track
    leaves every date as it was.
    """
    problem = compile_problem(scenario)
    schedule = schedule_from_plan(problem, plan)
    day = problem.timeline.day_on_or_after(as_of)
    entries = []
    for tp in plan.tasks:
        if tp.start >= as_of:
            continue
        if tp.finish < as_of:
            entries.append(TaskProgress(task=tp.task, status="done"))
            continue
        choice = schedule[tp.task]
        mode = problem.tasks[tp.task].modes[choice.mode]
        if mode.effort is not None:
            left = max(1, mode.effort - delivered(problem, choice, day))
            remaining = math.ceil(100 * left / EFFORT_SCALE) / 100
            entries.append(TaskProgress(task=tp.task, status="in_progress", remaining_effort=remaining))
        else:
            entries.append(TaskProgress(task=tp.task, status="in_progress", remaining_days=choice.end - day))
    return Progress(as_of=as_of, tasks=tuple(entries))


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    scenario = large_scenario(1)
    started = time.monotonic()
    base = solve_scenario(scenario, SolveOptions(construct_only=True, seed=1, workers=args.workers))
    assert base.plan is not None
    print(f"baseline (constructed): {time.monotonic() - started:.1f} s")
    as_of = scenario.start + dt.timedelta(days=14)
    starts = sorted((tp.start, tp.task) for tp in base.plan.tasks if tp.start >= as_of + dt.timedelta(days=7))
    slips = [parse_slip("slip", f"{task}=+10d") for _, task in starts[:: max(1, len(starts) // 10)][:10]]
    options = ReplanOptions(
        as_of, slips=slips, solve=SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=1)
    )
    started = time.monotonic()
    result = replan(scenario, base.plan, options, on_track(scenario, base.plan, as_of))
    replan_wall = time.monotonic() - started
    assert result.plan is not None and result.changes is not None
    changed = sum(1 for t in result.changes.tasks if not t.history)
    verified = result.plan.check.ok if result.plan.check else None
    print(
        f"re-plan: first verified plan {result.first_plan_at:.2f} s, wall {replan_wall:.1f} s, "
        f"tasks changed {changed}, frozen released {len(result.released)}, verified {verified}",
        flush=True,
    )
    # From scratch: the slipped scenario solved anew, as a planner without re-planning would.
    fresh_scenario = apply_slips(scenario, base.plan, as_of, slips)
    started = time.monotonic()
    fresh = solve_scenario(
        fresh_scenario, SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=1)
    )
    fresh_wall = time.monotonic() - started
    if fresh.plan is None:
        print(f"from scratch: no plan in {fresh_wall:.1f} s")
        return
    fresh_changed = len(diff_plans(base.plan, fresh.plan).tasks)
    print(
        f"from scratch: first verified plan {fresh.info.time_to_first_plan:.2f} s (compiling included), "
        f"{fresh_wall:.1f} s wall, tasks changed {fresh_changed}"
    )
    print(f"ratio first plan: {(result.first_plan_at or 0.0) / (fresh.info.time_to_first_plan or 1.0):.2f}")


if __name__ == "__main__":
    main()
