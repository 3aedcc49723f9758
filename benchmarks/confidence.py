"""Planning at a confidence: percentile efforts against buffers per chain.

Run from the repository root::

    python -m benchmarks.confidence --confidence 0.8 --time-limit 30
    python -m benchmarks.confidence --planted 40x90 --seeds 0-4 --confidence 0.8 --time-limit 30

For each scenario (the bundled quarter, or planted departments with estimate rules on
every skill: -10 % to +40 %, likely 0) and each way of planning, with the same time
limit: ``scenario`` plans the efforts as given; ``efforts`` plans every effort at its
percentile (:mod:`allocator.risk.confidence`); ``buffers`` plans the efforts as given and
then again with each deadline moved earlier by its chain's buffer
(:mod:`allocator.risk.buffers`; half the time each). Each verified plan is then sampled
(``--samples``, the same seed for all) with its teams and order kept, and the run prints
one JSON line per plan: the deadlines that hold at the confidence, the mean chance of a
deadline, the expected weighted late days, the planned late days and the cost.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from allocator.io import load_scenario
from allocator.risk.buffers import solve_with_buffers
from allocator.risk.confidence import as_plan_of, confident_scenario
from allocator.risk.run import RiskOptions, run_risk
from allocator.search.solve import SolveOptions, solve_scenario
from benchmarks.planted import parse_seeds, parse_sizes
from models.risk import EstimateRule, RiskSpec

if TYPE_CHECKING:
    from models import Plan, Scenario

ROOT = Path(__file__).resolve().parents[1]
METHODS = ("scenario", "efforts", "buffers")


def with_rules(scenario: Scenario) -> Scenario:
    """``scenario`` with an estimate rule on every skill: -10 % to +40 %, likely 0."""
    skills = sorted({r.skill for _, task in scenario.tasks() for r in task.requires})
    rules = tuple(EstimateRule(skill=skill, low=-10, likely=0, high=40) for skill in skills)
    return scenario.model_copy(update={"risk": RiskSpec(estimates=rules)})


def plan_with(
    method: str, scenario: Scenario, confidence: float, time_limit: float, seed: int
) -> Plan | None:
    """A verified plan of ``scenario`` made the way ``method`` names, in ``time_limit`` seconds."""
    options = SolveOptions(time_limit=time_limit, workers=2, seed=seed)
    if method == "scenario":
        return solve_scenario(scenario, options).plan
    if method == "efforts":
        plan = solve_scenario(confident_scenario(scenario, confidence), options).plan
        return None if plan is None else as_plan_of(scenario, plan)
    result, _ = solve_with_buffers(scenario, confidence, options, solve_scenario)
    return result.plan


def measure(name: str, scenario: Scenario, method: str, args: argparse.Namespace) -> dict[str, object]:
    """One plan's figures under sampling."""
    plan = plan_with(method, scenario, args.confidence, args.time_limit, args.seed)
    row: dict[str, object] = {"scenario": name, "method": method, "confidence": args.confidence}
    if plan is None or plan.check is None or not plan.check.ok:
        row["plan"] = "none" if plan is None else "violations"
        return row
    report = run_risk(scenario, plan, RiskOptions(samples=args.samples, seed=args.seed))
    priority = {p.id: p.priority for p in scenario.projects}
    chances = [p.on_time for p in report.projects if p.on_time is not None]
    row |= {
        "plan": "verified",
        "deadlines": len(chances),
        "hold": sum(1 for c in chances if c >= args.confidence),
        "mean_on_time": round(sum(chances) / len(chances), 3) if chances else None,
        "expected_weighted_late_days": round(
            sum(priority.get(p.project, 1) * p.mean_late_days for p in report.projects), 1
        ),
        "planned_weighted_late_days": plan.kpis.weighted_late_days,
        "cost": round(plan.kpis.staff_cost + plan.kpis.vendor_cost),
        "vendor_cost": round(plan.kpis.vendor_cost),
    }
    return row


def scenarios(args: argparse.Namespace) -> list[tuple[str, Scenario]]:
    """The quarter, or the planted instances asked for."""
    if args.planted is None:
        return [("quarter", load_scenario(ROOT / "scenarios" / "quarter.yaml"))]
    from allocator.demo.planted import planted_plan

    found = []
    for size in parse_sizes(args.planted):
        for seed in parse_seeds(args.seeds):
            made = planted_plan(size.people, size.vendors, size.projects, size.tasks, size.weeks, seed)
            found.append((f"planted-{size.name}-s{seed}", with_rules(made.scenario)))
    return found


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print one JSON line per scenario and method."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--planted", metavar="SIZES", help="planted sizes such as 40x90 (default: the quarter)"
    )
    parser.add_argument("--seeds", default="0", help="planted generator seeds: N, N-M or a list")
    parser.add_argument("--confidence", type=float, default=0.8)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--methods", default=",".join(METHODS))
    args = parser.parse_args(argv)
    for name, scenario in scenarios(args):
        for method in args.methods.split(","):
            print(json.dumps(measure(name, scenario, method, args)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
