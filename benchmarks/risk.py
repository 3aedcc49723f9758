"""Speed of ``allocator risk``: samples re-timed per second on the example and a large department.

Run from the repository root::

    python -m benchmarks.risk quarter --samples 10000 --workers 1
    python -m benchmarks.risk large --samples 1000 --workers 2

``quarter`` is ``scenarios/quarter.yaml`` with its own ``risk`` section. ``large`` is
``allocator generate --people 250 --vendors 10 --projects 50 --tasks 1500 --weeks 26
--seed 1`` with estimate rules on every skill (-10 % to +50 %, likely +5 %), and per
ten projects a two-week absence and 20 % more work on a project (one vendor slip too),
added here. The plan is solved first
(``--time-limit``, not timed) or read with ``--plan``; the run prints one JSON line with
the wall time of the analysis (compiling the timeline, the samples and the statistics),
and its phases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from allocator import api
from allocator.demo.generate import generate_scenario
from allocator.io import load_plan, load_scenario
from allocator.risk.run import RiskOptions, batches, dask_runner, prepare, run_here, run_risk
from models.risk import EstimateRule, RiskEvent, RiskSpec

if TYPE_CHECKING:
    from models import Plan, Scenario

ROOT = Path(__file__).resolve().parents[1]
LARGE = (250, 10, 50, 1500, 26, 1)


def large_scenario() -> Scenario:
    """The 250-person department with estimate rules and a few events."""
    scenario = generate_scenario(*LARGE)
    skills = sorted({r.skill for _, task in scenario.tasks() for r in task.requires})
    rules = tuple(EstimateRule(skill=skill, low=-10, likely=5, high=50) for skill in skills)
    events: list[RiskEvent] = []
    for number, project in enumerate(scenario.projects[::10]):
        person = scenario.people[number * 7 % len(scenario.people)]
        start = scenario.start.replace(day=min(scenario.start.day + 14, 28))
        away = {"unavailable_from": start, "unavailable_until": start + dt.timedelta(days=13)}
        events.append(RiskEvent(id=f"away-{number}", probability=0.2, person=person.id, **away))
        events.append(RiskEvent(id=f"grow-{number}", probability=0.3, project=project.id, effort_growth=20))
    if scenario.vendors:
        events.append(
            RiskEvent(id="slip", probability=0.25, vendor=scenario.vendors[0].id, lead_time_slip=10)
        )
    return scenario.model_copy(update={"risk": RiskSpec(estimates=rules, events=tuple(events))})


def scenario_and_plan(name: str, plan_file: Path | None, time_limit: float) -> tuple[Scenario, Plan]:
    """The benchmark scenario and a plan for it."""
    scenario = load_scenario(ROOT / "scenarios" / "quarter.yaml") if name == "quarter" else large_scenario()
    if plan_file is not None:
        return scenario, load_plan(plan_file)
    return scenario, api.solve(scenario, time_limit=time_limit, workers=2, seed=0)


def measure(scenario: Scenario, plan: Plan, samples: int, workers: int, seed: int) -> dict[str, object]:
    """Time one analysis and its phases."""
    started = time.perf_counter()
    problem, setup = prepare(scenario, plan)
    prepared = time.perf_counter() - started
    spans = batches(samples, len(setup.triangles), 2 * workers if workers > 1 else 1)
    runner = run_here if workers <= 1 else dask_runner(workers)
    sampling_started = time.perf_counter()
    runner(setup, seed, spans)
    sampled = time.perf_counter() - sampling_started
    del problem
    whole_started = time.perf_counter()
    report = run_risk(scenario, plan, RiskOptions(samples=samples, seed=seed, workers=workers))
    whole = time.perf_counter() - whole_started
    return {
        "scenario": scenario.name,
        "tasks": len(setup.triangles),
        "samples": samples,
        "workers": workers,
        "prepare_s": round(prepared, 2),
        "samples_s": round(sampled, 2),
        "analysis_s": round(whole, 2),
        "p80_of_first_project": str(report.projects[0].p80),
        "overrun_samples": report.overrun_samples,
    }


def main() -> None:
    """Command line of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=["quarter", "large"])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plan", type=Path, help="A plan of the scenario (otherwise solved first).")
    parser.add_argument("--time-limit", type=float, default=20.0, help="Solve time when no --plan is given.")
    args = parser.parse_args()
    scenario, plan = scenario_and_plan(args.scenario, args.plan, args.time_limit)
    print(json.dumps(measure(scenario, plan, args.samples, args.workers, args.seed)))


if __name__ == "__main__":
    main()
