"""``allocator risk SCENARIO PLAN``: a Monte Carlo of a plan under uncertain estimates and risk events."""

from __future__ import annotations

from pathlib import Path

import click

from allocator.app.common import CONTEXT, InputError, format_option, load_plan_input, load_scenario_input
from allocator.io import scenario_hash
from allocator.risk.render import risk_csv, risk_json, risk_text
from allocator.risk.run import RiskOptions, run_risk


@click.command(context_settings=CONTEXT)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.argument("plan", type=click.Path(path_type=Path))
@click.option(
    "--samples", type=click.IntRange(min=1), default=1000, show_default=True, help="Samples to draw."
)
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Same seed, same figures."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Local Dask worker processes the samples are split over; 1 runs in this process.",
)
@click.option(
    "--scheduler", metavar="ADDRESS", help="A running Dask scheduler (tcp://HOST:PORT) to use instead."
)
@click.option(
    "--early-starts",
    is_flag=True,
    help="Let a task start before its planned start when what it waits for finishes early.",
)
@format_option(
    "text", "json", "csv", help="text: a table for people; json: the full report; csv: one row per project."
)
@click.option(
    "--reoptimise",
    type=click.IntRange(min=0),
    default=0,
    metavar="K",
    help="Also re-plan the first K samples with the optimiser, to show what re-planning recovers.",
)
@click.option(
    "--reoptimise-time",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Search time of each re-planned sample.",
)
@click.option("--ignore-hash", is_flag=True, help="Analyse even if the plan was made for another scenario.")
def risk_command(
    scenario: Path,
    plan: Path,
    samples: int,
    seed: int,
    workers: int,
    scheduler: str | None,
    early_starts: bool,
    fmt: str,
    reoptimise: int,
    reoptimise_time: float,
    ignore_hash: bool,
) -> None:
    """How sure each deadline of PLAN is, under SCENARIO's estimates and risk events.

    Samples the work of every task from its three-point estimate (or the scenario's
    estimate rules) and the risk events, and re-times the plan for each sample with its
    modes, teams and order kept, on the same calendar. Prints per project the P50, P80
    and P95 finish, the chance of meeting the deadline and the tasks behind the spread.

    \b
    Example:
      allocator solve scenarios/quarter.yaml -o plan.json
      allocator risk scenarios/quarter.yaml plan.json --samples 10000 --seed 1
      allocator risk scenarios/quarter.yaml plan.json --reoptimise 5 --reoptimise-time 10

    Exit codes: 0 success, 2 invalid input.
    """
    loaded = load_scenario_input(scenario)
    checked = load_plan_input(plan)
    if checked.scenario_hash != scenario_hash(loaded) and not ignore_hash:
        raise InputError(
            f"{plan} was made for a different scenario than {scenario}; re-solve, or use --ignore-hash"
        )
    options = RiskOptions(
        samples=samples,
        seed=seed,
        workers=workers,
        scheduler=scheduler,
        early_starts=early_starts,
        reoptimise=min(reoptimise, samples),
        reoptimise_time=reoptimise_time,
    )
    report = run_risk(loaded, checked, options)
    render = {"json": risk_json, "csv": risk_csv}.get(fmt, risk_text)
    click.echo(render(report), nl=False)
