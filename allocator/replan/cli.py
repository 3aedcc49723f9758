"""The ``replan`` and ``diff`` commands (registered on the ``allocator`` command group)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from allocator.app.common import (
    CONTEXT,
    EXIT_FAILED,
    InputError,
    load_plan_input,
    load_scenario_input,
    out_console,
)
from allocator.io import ScenarioError, atomic_write_text, plan_json, scenario_hash
from allocator.replan.changes import diff_plans
from allocator.replan.derive import DEFAULT_FREEZE_DAYS, STABILITY_LEVELS
from allocator.replan.progress_io import read_actuals_csv
from allocator.replan.render import changes_csv, changes_json, changes_markdown, render_changes
from allocator.replan.run import ReplanOptions, replan
from allocator.replan.slips import SlipError, parse_slip
from allocator.search.solve import SolveOptions

if TYPE_CHECKING:
    from models import Plan, Scenario
    from models.changes import ChangeList


def _format_option() -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "markdown", "csv", "json"]),
        default="table",
        show_default=True,
        help="How to print the change list.",
    )


@click.command(context_settings=CONTEXT)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--baseline", type=click.Path(path_type=Path), required=True, help="The plan people work to.")
@click.option(
    "--as-of", "as_of", help="Date of the progress; the re-plan starts on it [default: progress.as_of]."
)
@click.option("--actuals", type=click.Path(path_type=Path), help="Progress as a CSV of actuals.")
@click.option(
    "--freeze",
    type=click.IntRange(min=0),
    default=DEFAULT_FREEZE_DAYS,
    show_default=True,
    metavar="DAYS",
    help="Working days in which planned starts keep their dates and people.",
)
@click.option(
    "--stability",
    type=click.Choice(list(STABILITY_LEVELS)),
    default="medium",
    show_default=True,
    help="How strongly to avoid changes, against lateness.",
)
@click.option(
    "--stability-weight",
    type=click.IntRange(min=0),
    metavar="N",
    help="Stability weight against 10 per late day (overrides --stability).",
)
@click.option("--slip", multiple=True, metavar="TASK=+10d", help="A task starts N working days later.")
@click.option("--effort", multiple=True, metavar="TASK=x1.3", help="A task's (remaining) effort grows.")
@click.option("--start", multiple=True, metavar="TASK=DATE", help="A task starts no earlier than DATE.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the re-plan here."
)
@click.option(
    "--changes", type=click.Path(dir_okay=False, path_type=Path), help="Write the change list (JSON)."
)
@click.option(
    "--scenario-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the re-plan scenario (YAML), against which `allocator check` verifies the re-plan.",
)
@_format_option()
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS")
@click.option("--workers", type=click.IntRange(min=0), metavar="N")
@click.option("--seed", type=click.IntRange(min=0), metavar="N")
def replan_command(
    scenario: Path,
    baseline: Path,
    as_of: str | None,
    actuals: Path | None,
    freeze: int,
    stability: str,
    stability_weight: int | None,
    slip: tuple[str, ...],
    effort: tuple[str, ...],
    start: tuple[str, ...],
    output: Path | None,
    changes: Path | None,
    scenario_out: Path | None,
    fmt: str,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
) -> None:
    """Re-plan SCENARIO from a date, changing as little of the BASELINE plan as pays.

    Done tasks stay done, work in progress keeps its people, tasks planned to start in
    the freeze window keep their dates and people (unless that is infeasible: the change
    list then names the tasks released). The re-plan is verified by the checker.

    \b
    Example:
      allocator replan scenarios/replan/scenario.yaml --baseline scenarios/replan/baseline.json \\
          --slip crm-build=+10d -o replan.json --changes changes.json

    Exit codes: 0 a verified re-plan, 1 no plan, 2 invalid input.
    """
    loaded = load_scenario_input(scenario)
    base = load_plan_input(baseline)
    try:
        progress = read_actuals_csv(actuals) if actuals else None
    except ScenarioError as error:
        raise InputError(str(error)) from None
    day = _as_of(as_of, loaded)
    try:
        slips = [
            parse_slip(k, v)
            for k, values in (("slip", slip), ("effort", effort), ("start", start))
            for v in values
        ]
    except SlipError as error:
        raise InputError(str(error)) from None
    weight = STABILITY_LEVELS[stability] if stability_weight is None else stability_weight
    options = ReplanOptions(
        day, freeze, weight, slips, SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    )
    try:
        result = replan(loaded, base, options, progress, str(scenario))
    except (ScenarioError, SlipError) as error:
        raise InputError(str(error)) from None
    if result.plan is None or result.changes is None:
        click.echo("No re-plan found within the time limit.", err=True)
        sys.exit(EXIT_FAILED)
    _write_outputs(result.plan, result.changes, result.setup.scenario, output, changes, scenario_out)
    _print_changes(result.changes, fmt)


def _as_of(text: str | None, scenario: Scenario) -> dt.date:
    if text is None:
        if scenario.progress is None or scenario.progress.as_of is None:
            raise InputError("give --as-of DATE (the scenario's progress section has no as_of)")
        return scenario.progress.as_of
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"cannot read --as-of {text!r}; write YYYY-MM-DD") from None
    recorded = scenario.progress.as_of if scenario.progress else None
    if recorded is not None and recorded != day:
        raise InputError(f"--as-of {day} differs from the scenario's progress.as_of {recorded}")
    return day


def _write_outputs(
    plan: Plan,
    changes: ChangeList,
    scenario: Scenario,
    output: Path | None,
    changes_path: Path | None,
    scenario_out: Path | None,
) -> None:
    from allocator.io import scenario_to_yaml

    if output is not None:
        _write(output, plan_json(plan))
    if changes_path is not None:
        _write(changes_path, changes_json(changes))
    if scenario_out is not None:
        _write(scenario_out, scenario_to_yaml(scenario))


@click.command(context_settings=CONTEXT)
@click.argument("plan_a", type=click.Path(path_type=Path))
@click.argument("plan_b", type=click.Path(path_type=Path))
@click.option("--scenario", type=click.Path(path_type=Path), help="Scenario both plans were made for.")
@click.option("--ignore-hash", is_flag=True, help="Compare plans made for different scenarios.")
@_format_option()
def diff(plan_a: Path, plan_b: Path, scenario: Path | None, ignore_hash: bool, fmt: str) -> None:
    """The change list from PLAN_A to PLAN_B (two plans of the same scenario).

    \b
    Example:
      allocator diff baseline.json replan.json --format markdown --ignore-hash
    """
    first, second = load_plan_input(plan_a), load_plan_input(plan_b)
    hashes = {first.scenario_hash, second.scenario_hash}
    if scenario is not None:
        hashes.add(scenario_hash(load_scenario_input(scenario)))
    if len(hashes) > 1 and not ignore_hash:
        raise InputError(
            f"{plan_a} and {plan_b} were made for different scenarios "
            f"({first.scenario_hash[:12]} and {second.scenario_hash[:12]}"
            + (", or not for the given scenario" if scenario else "")
            + "); use --ignore-hash to compare them anyway"
        )
    changes = diff_plans(first, second)
    from allocator.replan.summary import manager_summary

    _print_changes(changes.model_copy(update={"summary": manager_summary(changes)}), fmt)


def _print_changes(changes: ChangeList, fmt: str) -> None:
    if fmt == "json":
        click.echo(changes_json(changes), nl=False)
    elif fmt == "csv":
        click.echo(changes_csv(changes), nl=False)
    elif fmt == "markdown":
        click.echo(changes_markdown(changes), nl=False)
    else:
        render_changes(changes, out_console(140))


def _write(path: Path, text: str) -> None:
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist")
    try:
        atomic_write_text(path, text)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None
