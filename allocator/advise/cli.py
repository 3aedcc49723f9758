"""``allocator advise``: remedies for late projects, verified and priced."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from allocator.advise.render import advice_json, render_markdown, render_text, write_variants
from allocator.advise.run import advise
from allocator.app.common import (
    CONTEXT,
    InputError,
    format_option,
    load_plan_input,
    load_scenario_input,
    out_console,
)
from allocator.io import scenario_hash
from allocator.whatif.runner import CompareProgress


@click.command(context_settings=CONTEXT)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A saved plan of SCENARIO to start from.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1),
    default=120,
    show_default=True,
    metavar="SECONDS",
    help="Time for everything: the base (unless --plan), each lever, the combinations.",
)
@click.option(
    "--budget",
    type=click.FloatRange(min=0),
    metavar="MONEY",
    help="Most a remedy may cost, in the scenario's currency; dearer levers are not tried.",
)
@click.option(
    "--top", type=click.IntRange(min=1), default=5, show_default=True, help="Remedies shown and written."
)
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Random seed of every solve."
)
@click.option("--workers", type=click.IntRange(min=0), default=0, help="Cores to use; 0 uses every core.")
@click.option("--executor", default="local", show_default=True, help="local, or dask://HOST:PORT.")
@format_option("text", "json", "markdown")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the top remedies here as variant files (extends: SCENARIO) for allocator compare.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress on standard error.")
def advise_command(
    scenario: Path,
    plan_path: Path | None,
    time_limit: float,
    budget: float | None,
    top: int,
    seed: int,
    workers: int,
    executor: str,
    fmt: str,
    output: Path | None,
    quiet: bool,
) -> None:
    """Find what would bring SCENARIO's late projects in, and what it costs.

    Each late project is explained (its chain and the causes verified by relaxing them);
    each cause suggests a lever: a hire or contractor with the skill for the window, a
    vendor engaged without lead time, a project's priority raised. Every lever is solved
    as a what-if variant, warm-started from the base plan and checked, and its saving is
    measured against the base re-solved with the same time and no change. The best are
    then tried together.

    \b
    Examples:
      allocator advise scenarios/quarter.yaml --time-limit 120
      allocator advise scenarios/quarter.yaml --plan plan.json --budget 20000 -o remedies/
      allocator compare scenarios/quarter.yaml remedies/01-*.yaml

    Exit codes: 0 advice given (also when nothing is late or no remedy is found), 2 invalid input.
    """
    loaded = load_scenario_input(scenario)
    plan = None
    if plan_path is not None:
        plan = load_plan_input(plan_path)
        if plan.scenario_hash != scenario_hash(loaded):
            raise InputError(
                f"{plan_path}: plan was made for another scenario (scenario_hash differs from {scenario}); "
                "solve SCENARIO again or give its own plan"
            )
    console = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    if not quiet:
        console.print(f"advising on {loaded.name} within {time_limit:g} s", markup=False)
    with CompareProgress(console, ["base", "control"], console.is_terminal and not quiet, quiet) as progress:
        try:
            advice = advise(loaded, plan, time_limit, budget, seed, workers, executor, progress)
        except ValueError as error:
            raise InputError(f"{scenario}: {error}") from None
    if output is not None and advice.remedies:
        written = write_variants(advice, output, scenario, top)
        if not quiet:
            console.print(f"{len(written)} variant files written to {output}", markup=False)
    if fmt == "json":
        click.echo(advice_json(advice, top), nl=False)
    elif fmt == "markdown":
        click.echo(render_markdown(advice, top), nl=False)
    else:
        render_text(advice, out_console(), top)
