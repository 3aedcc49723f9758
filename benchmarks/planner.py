"""Planner speed on the bundled example and on a generated department-sized scenario.

Run from the repository root::

    python -m benchmarks.planner example --time-limit 10
    python -m benchmarks.planner large --time-limit 60

Each run prints one JSON line: time to the first verified plan (and where it came from),
wall time, objective per stage with bounds, the plan's headline figures, and the peak
resident memory of the process.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path
from typing import TYPE_CHECKING

from allocator.demo.generate import generate_scenario
from allocator.io import load_scenario
from allocator.search.solve import SolveOptions, solve_scenario

if TYPE_CHECKING:
    from models import Scenario

ROOT = Path(__file__).resolve().parents[1]


def large_scenario(seed: int) -> Scenario:
    """The large generated portfolio: 250 people, 10 vendors, 50 projects, 1,500 tasks, 26 weeks."""
    return generate_scenario(people=250, vendors=10, projects=50, tasks=1500, weeks=26, seed=seed)


def run(which: str, time_limit: float, workers: int, seed: int) -> dict[str, object]:
    """Solve one benchmark scenario and return its measurements."""
    began = time.perf_counter()
    if which == "example":
        scenario = load_scenario(ROOT / "scenarios" / "quarter.yaml")
    else:
        scenario = large_scenario(seed)
    loaded = time.perf_counter() - began
    result = solve_scenario(scenario, SolveOptions(time_limit=time_limit, workers=workers, seed=seed))
    info, plan = result.info, result.plan
    return {
        "scenario": which,
        "time_limit": time_limit,
        "workers": workers,
        "load_s": round(loaded, 3),
        "status": result.status.value,
        "first_plan_s": info.time_to_first_plan,
        "first_plan_source": info.first_plan_source,
        "wall_s": info.wall_time,
        "stages": [(s.terms, s.objective, s.bound, s.status.value) for s in info.stages],
        "verified": bool(plan and plan.check and plan.check.ok),
        "weighted_late_days": plan.kpis.weighted_late_days if plan else None,
        "projects_late": plan.kpis.projects_late if plan else None,
        "vendor_cost": plan.kpis.vendor_cost if plan else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenario", choices=["example", "large"])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(run(args.scenario, args.time_limit, args.workers, args.seed)))


if __name__ == "__main__":
    main()
