"""The ``compare`` and ``sweep`` commands; registered on the main command group.

Exit codes as everywhere: 0 every plan verified, 1 a variant without a plan,
2 invalid input or usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from allocator.app.common import CONTEXT, EXIT_FAILED, InputError, load_scenario_input, out_console
from allocator.io import PlanFileError, ScenarioError, load_plan
from allocator.whatif.compare import Comparison, column, compare_plans
from allocator.whatif.quick import QuickChangeError, parse_quick_variant
from allocator.whatif.report import comparison_csv, comparison_json, comparison_markdown, render_comparison
from allocator.whatif.runner import CompareProgress, RunSettings, save_outputs, solve_all
from allocator.whatif.sweep import (
    parse_values,
    sweep_answer,
    sweep_charts,
    sweep_csv,
    sweep_json,
    sweep_rows,
    sweep_variants,
)
from allocator.whatif.variants import Variant, load_variant, quick_variant, variant_paths

if TYPE_CHECKING:
    from collections.abc import Callable

    from models import Scenario

PIPE_WIDTH = 140


def _shared_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "-o",
            "--output",
            type=click.Path(file_okay=False, path_type=Path),
            help="Folder for every verified plan (NAME.json), its scenario and the comparison.",
        ),
        click.option(
            "--time-limit",
            type=click.FloatRange(min=0, min_open=True),
            metavar="SECONDS",
            help="Search time of each plan [default: the base scenario's solver.time_limit].",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            metavar="N",
            help="Search threads per plan; cores / N plans run at once.",
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0),
            default=0,
            show_default=True,
            metavar="N",
            help="Random seed of every plan.",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["table", "markdown", "csv", "json"]),
            default="table",
            show_default=True,
            help="How to print the comparison.",
        ),
        click.option(
            "--executor",
            default="local",
            show_default=True,
            metavar="local|dask://HOST:PORT",
            help="Where variants are solved: local processes or a Dask distributed cluster.",
        ),
        click.option(
            "--base-plan",
            type=click.Path(dir_okay=False, path_type=Path),
            help="A saved plan of the base to reuse instead of solving the base again.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="No progress on standard error."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command(context_settings=CONTEXT)
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("variants", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--change",
    "changes",
    multiple=True,
    metavar="TEXT",
    help="A one-off variant, e.g. \"effort crm-build x1.4\"; join changes with ';'. Repeatable.",
)
@_shared_options
def compare(base: Path, variants: tuple[Path, ...], changes: tuple[str, ...], **options: Any) -> None:
    """Solve BASE and each VARIANT (files or folders of variant files) and compare them.

    Variants run in parallel processes, each warm-started from the base plan with the
    same time limit, workers and seed. Every plan is verified by the checker.

    \b
    Examples:
      allocator compare scenarios/quarter.yaml scenarios/whatif/ -o whatif-out --time-limit 20
      allocator compare scenarios/quarter.yaml --change "effort crm-build x1.4" --format markdown

    Exit codes: 0 every plan verified, 1 a variant without a plan, 2 invalid input.
    """
    base_scenario = load_scenario_input(base)
    found = [_load_variant(path) for path in variant_paths(variants)]
    found += [_quick(base_scenario, text) for text in changes]
    if not found:
        raise click.UsageError("name at least one VARIANT file or folder, or give --change")
    _unique_names(found)
    comparison = _run(base_scenario, found, options)
    _print(comparison, options["fmt"])
    _exit(comparison)


@click.command(context_settings=CONTEXT)
@click.argument("base", type=click.Path(path_type=Path))
@click.option(
    "--change",
    "template",
    required=True,
    metavar="TEXT",
    help='The change with {} where the value goes, e.g. "vendor bluepeak headcount={}".',
)
@click.option(
    "--values",
    "values_text",
    required=True,
    metavar="LIST|RANGE",
    help="Values: 0,1,2  or  0..4  or  1.0..1.5:0.1.",
)
@_shared_options
def sweep(base: Path, template: str, values_text: str, **options: Any) -> None:
    """Solve BASE once per value of one parameter and chart the KPIs against it.

    \b
    Examples:
      allocator sweep scenarios/quarter.yaml --change "vendor bluepeak headcount={}" --values 0..4
      allocator sweep scenarios/quarter.yaml --change "effort erp-upgrade x{}" --values 1.0..1.5:0.1

    Exit codes: 0 every plan verified, 1 a value without a plan, 2 invalid input.
    """
    base_scenario = load_scenario_input(base)
    try:
        values = parse_values(values_text)
        found = sweep_variants(base_scenario, template, values)
    except QuickChangeError as error:
        raise InputError(str(error)) from None
    except ScenarioError as error:
        raise InputError(str(error)) from None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--values'") from None
    comparison = _run(base_scenario, found, options)
    parameter = template.split()[0] if template.split() else "value"
    _print_sweep(comparison, parameter, options["fmt"])
    _exit(comparison)


def _load_variant(path: Path) -> Variant:
    try:
        return load_variant(path)
    except ScenarioError as error:
        raise InputError(str(error)) from None


def _quick(base: Scenario, text: str) -> Variant:
    try:
        changes = parse_quick_variant(text, [project.id for project in base.projects])
        return quick_variant(base, changes, name=text.strip())
    except QuickChangeError as error:
        raise InputError(f"--change {error}") from None
    except ScenarioError as error:
        raise InputError(str(error)) from None


def _unique_names(variants: list[Variant]) -> None:
    names = [v.name for v in variants]
    repeated = sorted({n for n in names if names.count(n) > 1 or n == "base"})
    if repeated:
        raise InputError(f"variant names must be unique and not 'base': {', '.join(repeated)}")


def _settings(options: dict[str, Any]) -> RunSettings:
    base_plan = None
    if options["base_plan"] is not None:
        try:
            base_plan = load_plan(options["base_plan"])
        except PlanFileError as error:
            raise InputError(f"cannot read base plan:\n{error}") from None
    executor = options["executor"]
    if executor != "local" and not executor.startswith(("dask://", "tcp://")):
        raise click.BadParameter(f"unknown executor '{executor}'", param_hint="'--executor'")
    return RunSettings(options["time_limit"], options["workers"], options["seed"], executor, base_plan)


def _run(base: Scenario, variants: list[Variant], options: dict[str, Any]) -> Comparison:
    settings = _settings(options)
    output: Path | None = options["output"]
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
    console = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    names = ["base", *(v.name for v in variants)]
    live = console.is_terminal and not options["quiet"]
    if not options["quiet"]:
        console.print(f"comparing {len(variants)} variants of {base.name}", markup=False)
    try:
        with CompareProgress(console, names, live, options["quiet"]) as progress:
            base_outcome, outcomes = solve_all(base, variants, settings, progress)
    except ImportError as error:
        raise InputError(f"the Dask executor needs dask[distributed] installed ({error})") from None
    except OSError as error:
        raise InputError(f"cannot reach executor {settings.executor}: {error}") from None
    columns = [column("base", base_outcome)] + [
        column(v.name, o, v.changes) for v, o in zip(variants, outcomes, strict=True)
    ]
    scenarios = [base, *(v.scenario for v in variants)]
    comparison = compare_plans(scenarios, columns)
    if output is not None:
        save_outputs(output, scenarios, names, [base_outcome, *outcomes])
        (output / "comparison.json").write_text(comparison_json(comparison), encoding="utf-8")
        (output / "comparison.md").write_text(comparison_markdown(comparison), encoding="utf-8")
    return comparison


def _print(comparison: Comparison, fmt: str) -> None:
    if fmt == "json":
        click.echo(comparison_json(comparison), nl=False)
    elif fmt == "csv":
        click.echo(comparison_csv(comparison), nl=False)
    elif fmt == "markdown":
        click.echo(comparison_markdown(comparison), nl=False)
    else:
        render_comparison(comparison, out_console(PIPE_WIDTH))


def _print_sweep(comparison: Comparison, parameter: str, fmt: str) -> None:
    if fmt == "json":
        click.echo(sweep_json(comparison, parameter), nl=False)
    elif fmt == "csv":
        click.echo(sweep_csv(comparison), nl=False)
    elif fmt == "markdown":
        click.echo(comparison_markdown(comparison), nl=False)
    else:
        from allocator.whatif.report import _rich_table
        from allocator.whatif.sweep import SWEEP_HEADINGS

        console = out_console(PIPE_WIDTH)
        header = [parameter, *SWEEP_HEADINGS, "status"]
        console.print(_rich_table(f"Sweep of {parameter}", header, sweep_rows(comparison)))
        console.print(sweep_charts(comparison, parameter), markup=False, highlight=False)
        console.print(sweep_answer(comparison, parameter), markup=False)


def _exit(comparison: Comparison) -> None:
    for col in comparison.columns:
        if col.plan is None:
            reasons = "; ".join(col.reasons[:3])
            click.echo(f"{col.name}: no plan ({col.status}){': ' + reasons if reasons else ''}", err=True)
    if any(col.plan is None for col in comparison.columns):
        sys.exit(EXIT_FAILED)
