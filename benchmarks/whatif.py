"""Orchestration overhead of ``allocator compare`` on the bundled example.

Run from the repository root::

    python -m benchmarks.whatif --time-limit 10 --processes 2

Six variants of ``scenarios/quarter.yaml`` (``scenarios/whatif/``) are solved with a
time limit T each, one search worker each, ``processes`` at a time. The ideal wall time
is ``6 * T / processes``; the run prints one JSON line with the measured wall time of
the variants (base plan given, as with ``--base-plan``), its ratio to the ideal, the
solves' own wall times (which include model building, construction and checking past
T), the time to load the variants, and the wall time of a whole run including the
base solve.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from allocator.io import load_scenario
from allocator.whatif import RunSettings, load_variant, solve_all
from allocator.whatif.executors import fair_share
from allocator.whatif.variants import variant_paths

ROOT = Path(__file__).resolve().parents[1]


def measure(time_limit: float, processes: int, seed: int) -> dict[str, object]:
    """Compare the six bundled variants and return the timings."""
    started = time.monotonic()
    base = load_scenario(ROOT / "scenarios" / "quarter.yaml")
    variants = [load_variant(path) for path in variant_paths([ROOT / "scenarios" / "whatif"])]
    loaded = time.monotonic() - started
    workers = max(1, (os.cpu_count() or 1) // processes)
    settings = RunSettings(time_limit=time_limit, workers=workers, seed=seed)
    whole_started = time.monotonic()
    base_outcome, _ = solve_all(base, [], settings, lambda event: None)
    base_wall = time.monotonic() - whole_started
    given = RunSettings(time_limit, workers, seed, base_plan=base_outcome.plan)
    variants_started = time.monotonic()
    _, outcomes = solve_all(base, variants, given, lambda event: None)
    wall = time.monotonic() - variants_started
    ideal = len(variants) * time_limit / fair_share(workers)
    solve_walls = [round(o.wall_time, 2) for o in outcomes]
    return {
        "benchmark": "whatif-compare",
        "variants": len(variants),
        "time_limit": time_limit,
        "processes": fair_share(workers),
        "workers_per_variant": workers,
        "variants_wall": round(wall, 2),
        "ideal_wall": round(ideal, 2),
        "ratio_to_ideal": round(wall / ideal, 3),
        "solve_walls": solve_walls,
        "orchestration_overhead": round(wall - sum(solve_walls) / fair_share(workers), 2),
        "base_solve_wall": round(base_wall, 2),
        "whole_run_wall": round(base_wall + wall, 2),
        "load_variants": round(loaded, 2),
        "plans_verified": sum(1 for o in outcomes if o.plan is not None and o.plan.check and o.plan.check.ok),
    }


def main() -> None:
    """Parse arguments, run the benchmark and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(measure(args.time_limit, args.processes, args.seed)))


if __name__ == "__main__":
    main()
