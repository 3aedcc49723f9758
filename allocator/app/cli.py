"""The ``allocator`` command line: solve, check, validate, show, generate and schema.

Exit codes are the same for every command: 0 success, 1 no plan or a plan that
breaks a rule, 2 invalid input or usage.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from allocator import __version__
from allocator.app.api import no_plan_reasons
from allocator.app.common import (
    CONTEXT,
    EXIT_FAILED,
    EXIT_OK,
    InputError,
    format_option,
    load_plan_input,
    load_scenario_input,
    out_console,
)
from allocator.checker import check_plan
from allocator.demo.planted import DEFAULT_LOAD
from allocator.io import atomic_write_text, plan_json, scenario_hash, scenario_json_schema
from allocator.io.checks import find_warnings
from allocator.output import SolveProgress, assignments_csv, render_check, render_plan
from allocator.search.solve import (
    SolveControl,
    SolveOptions,
    SolveResult,
    default_explain_seconds,
    solve_scenario,
)
from allocator.whatif import cli as whatif_cli

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ortools.sat.python import cp_model

    from models import Plan, Scenario

#: Width of the summary when standard output is not a terminal.
PIPE_WIDTH = 120
#: What the ``--format`` choices of a plan mean.
PLAN_FORMATS = "table: summary for people; json: the full plan; csv: one row per assignment."

_scenario_argument = click.argument("scenario", type=click.Path(path_type=Path))
_plan_argument = click.argument("plan", type=click.Path(path_type=Path))


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="allocator")
def main() -> None:
    """Capacity planning for IT portfolios: staff and vendors assigned to project tasks.

    Describe people, vendors and projects in a scenario file (YAML), then let the
    optimiser plan it. Every plan is re-verified by an independent checker.

    \b
    Typical session:
      allocator validate scenarios/quarter.yaml
      allocator solve scenarios/quarter.yaml -o plan.json --time-limit 60
      allocator show plan.json --format csv > assignments.csv
      allocator check scenarios/quarter.yaml plan.json

    Exit codes: 0 success, 1 no plan found or rules broken, 2 invalid input or usage.
    """


# --- solve --------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@_scenario_argument
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the plan as JSON here."
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Search time over all objective stages [default: the scenario's solver.time_limit].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    metavar="N",
    help="Search threads; 0 uses every core [default: the scenario's solver.workers].",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    metavar="N",
    help="Random seed; one worker and one seed repeat a plan.",
)
@click.option(
    "--explain-time",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="After the search, time to explain late projects, each cause verified by re-planning "
    "with it relaxed; 0 skips it [default: half the time limit, 10 to 120 s].",
)
@click.option(
    "--confidence",
    type=click.FloatRange(min=0, max=1, min_open=True, max_open=True),
    metavar="P",
    help="Plan to hold deadlines with probability P (docs/risk.md) and say which do.",
)
@click.option(
    "--confidence-method",
    type=click.Choice(["buffers", "efforts"]),
    default="buffers",
    show_default=True,
    help="With --confidence: buffers protect each deadline by its finishing chain's overrun at "
    "P (critical chain; half the time each for a plan and its buffered re-plan); efforts plan "
    "every effort at its P percentile.",
)
@format_option(
    "table",
    "json",
    "csv",
    help="table: summary for people; json: the full plan; csv: one row per assignment.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress on standard error.")
@click.option("--log", is_flag=True, help="Show the CP-SAT search log on standard error.")
def solve(
    scenario: Path,
    output: Path | None,
    time_limit: float | None,
    workers: int | None,
    seed: int | None,
    explain_time: float | None,
    confidence: float | None,
    confidence_method: str,
    fmt: str,
    quiet: bool,
    log: bool,
) -> None:
    """Plan SCENARIO and print a summary; optionally save the plan.

    Progress goes to standard error; Ctrl-C stops the search and keeps the best
    verified plan found so far (it is still saved and printed).

    \b
    Example:
      allocator solve scenarios/quarter.yaml -o plan.json --time-limit 60 --workers 8

    Exit codes: 0 a verified plan, 1 no plan (the reasons are printed), 2 invalid input.
    """
    if output is not None and not output.parent.is_dir():
        raise InputError(f"cannot write {output}: folder {output.parent} does not exist")
    loaded = load_scenario_input(scenario)
    limit = time_limit if time_limit is not None else loaded.solver.time_limit
    explain = explain_time if explain_time is not None else default_explain_seconds(limit)
    options = SolveOptions(
        time_limit=time_limit, workers=workers, seed=seed, log=log or None, explain_seconds=explain
    )
    buffers = ""
    if confidence is None:
        result = _run_solver(loaded, options, quiet, log)
    elif confidence_method == "buffers":
        from allocator.risk.buffers import buffer_lines, solve_with_buffers

        result, found = solve_with_buffers(
            loaded, confidence, options, lambda s, o: _run_solver(s, o, quiet, log)
        )
        buffers = buffer_lines(found, confidence)
    else:
        from allocator.risk.confidence import as_plan_of, confident_scenario

        result = _run_solver(confident_scenario(loaded, confidence), options, quiet, log)
        if result.plan is not None:
            result.plan = as_plan_of(loaded, result.plan)
    if result.plan is None:
        _report_no_plan(result)
        sys.exit(EXIT_FAILED)
    plan = result.plan
    if output is not None:
        _write(output, plan_json(plan))
        if not quiet:
            _err_console().print(f"plan written to {output}", markup=False, highlight=False)
    _print_plan(plan, fmt)
    if confidence is not None and fmt == "table":
        from allocator.risk.confidence import deadlines_at

        click.echo(buffers + deadlines_at(loaded, plan, confidence, seed or 0)[1], nl=False)


class _InterruptibleControl(SolveControl):
    """A solve control that leaves Ctrl-C to the command line.

    CP-SAT otherwise installs its own SIGINT handler for each solve, which works only
    in the thread that started the solve and resets SIGINT to the default (kill the
    process) afterwards; the command line's handler stops the search instead.
    """

    def attach(self, solver: cp_model.CpSolver | None) -> None:
        if solver is not None:
            solver.parameters.catch_sigint_signal = False
        super().attach(solver)


def _run_solver(scenario: Scenario, options: SolveOptions, quiet: bool, log: bool) -> SolveResult:
    control = _InterruptibleControl()
    console = _err_console()
    live = console.is_terminal and not quiet and not log
    with SolveProgress(console, live=live) as progress, _stop_on_interrupt(control), _log_to_stderr(log):
        if not quiet:
            options.progress = progress
            tasks = sum(1 for _ in scenario.tasks())
            console.print(
                f"solving {scenario.name}: {len(scenario.people)} people, {len(scenario.vendors)} vendors, "
                f"{tasks} tasks (Ctrl-C stops and keeps the best plan)",
                markup=False,
            )
        return _solve_in_background(scenario, options, control)


def _solve_in_background(scenario: Scenario, options: SolveOptions, control: SolveControl) -> SolveResult:
    """Solve in a worker thread so that the main thread stays free to handle Ctrl-C.

    Python runs signal handlers in the main thread only, and not while it is inside
    the native solver; waiting on the worker in short steps keeps Ctrl-C prompt.
    """
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = solve_scenario(scenario, options, control)
        except BaseException as error:  # handed to the main thread below
            outcome["error"] = error

    worker = threading.Thread(target=work, name="allocator-solve", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if "error" in outcome:
        raise outcome["error"]
    result: SolveResult = outcome["result"]
    return result


def _report_no_plan(result: SolveResult) -> None:
    console = _err_console()
    console.print(f"No plan ({result.status.value}):", markup=False, highlight=False)
    for reason in no_plan_reasons(result):
        console.print(f"  {reason}", markup=False, highlight=False)


@contextlib.contextmanager
def _stop_on_interrupt(control: SolveControl) -> Iterator[None]:
    """Ctrl-C stops the search (the best plan is kept); a second Ctrl-C aborts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        _err_console().print("interrupted: stopping the search and keeping the best plan", markup=False)
        control.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _log_to_stderr(enabled: bool) -> Iterator[None]:
    """Send what the solver writes to standard output to standard error instead.

    The CP-SAT search log is written by native code to file descriptor 1; it must not
    mix with a plan printed on standard output.
    """
    if not enabled:
        yield
        return
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


# --- check ----------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@_scenario_argument
@_plan_argument
@format_option("table", "json", help=PLAN_FORMATS)
@click.option("--ignore-hash", is_flag=True, help="Check even if the plan was made for another scenario.")
def check(scenario: Path, plan: Path, fmt: str, ignore_hash: bool) -> None:
    """Verify PLAN against every planning rule of SCENARIO.

    Useful after editing a plan by hand, or for a plan from another tool. The plan
    must have been made for this scenario (its scenario hash must match).

    \b
    Example:
      allocator check scenarios/quarter.yaml plan.json

    Exit codes: 0 no rule broken, 1 violations (each names rule, entity and dates), 2 invalid input.
    """
    loaded = load_scenario_input(scenario)
    checked = load_plan_input(plan)
    expected = scenario_hash(loaded)
    if checked.scenario_hash != expected and not ignore_hash:
        raise InputError(
            f"{plan} was made for a different scenario than {scenario} (plan scenario hash "
            f"{checked.scenario_hash[:12]}, scenario hash {expected[:12]}); "
            "re-solve, or use --ignore-hash to check it anyway"
        )
    report = check_plan(loaded, checked)
    if fmt == "json":
        click.echo(report.model_dump_json(indent=2))
    else:
        render_check(report, out_console(PIPE_WIDTH))
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


# --- validate, schema, show, generate -------------------------------------------------------


@main.command(context_settings=CONTEXT)
@_scenario_argument
def validate(scenario: Path) -> None:
    """Check SCENARIO for errors without solving it, and list warnings.

    Errors (a typo in an id, a dependency cycle, a task nobody can do) name file,
    entity and field. Warnings point at things allowed but probably not meant.

    \b
    Example:
      allocator validate scenarios/quarter.yaml

    Exit codes: 0 usable (warnings or not), 2 errors.
    """
    loaded = load_scenario_input(scenario)
    tasks = sum(1 for _ in loaded.tasks())
    click.echo(
        f"{scenario}: valid: {len(loaded.people)} people, {len(loaded.vendors)} vendors, "
        f"{len(loaded.projects)} projects, {tasks} tasks, {loaded.start} to {loaded.end}"
    )
    for warning in find_warnings(loaded):
        click.echo(f"warning: {warning}")


@main.command(context_settings=CONTEXT)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write it here.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of scenario files (for editor completion).

    \b
    Example:
      allocator schema -o scenario.schema.json
    """
    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        _write(output, text)


@main.command(context_settings=CONTEXT)
@_plan_argument
@format_option(
    "table",
    "json",
    "csv",
    help="table: summary for people; json: the full plan; csv: one row per assignment.",
)
def show(plan: Path, fmt: str) -> None:
    """Print the summary of a saved PLAN, or its assignments as CSV.

    \b
    Examples:
      allocator show plan.json
      allocator show plan.json --format csv > assignments.csv
    """
    _print_plan(load_plan_input(plan), fmt)


@main.command(context_settings=CONTEXT)
@click.option("--people", type=click.IntRange(min=1), default=20, show_default=True, help="Members of staff.")
@click.option("--vendors", type=click.IntRange(min=0), default=2, show_default=True, help="Contractor firms.")
@click.option("--projects", type=click.IntRange(min=1), default=5, show_default=True, help="Projects.")
@click.option(
    "--tasks", type=click.IntRange(min=1), default=40, show_default=True, help="Tasks over all projects."
)
@click.option("--weeks", type=click.IntRange(min=1), default=13, show_default=True, help="Planning window.")
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Same seed, same file."
)
@click.option(
    "--planted",
    is_flag=True,
    help="Build a plan first and set each project's deadline at its finish in that plan: "
    "a plan with 0 late days exists (the plan itself is not written).",
)
@click.option(
    "--slack-days",
    type=click.IntRange(min=0),
    metavar="N",
    help="With --planted: working days between each project's planted finish and its deadline [default: 0].",
)
@click.option(
    "--load",
    type=click.FloatRange(min=0, max=1, min_open=True),
    metavar="F",
    help="With --planted: utilisation of staff the planted plan aims at, above 0 and at most 1 "
    f"[default: {DEFAULT_LOAD}].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="YAML file to write.",
)
def generate(
    people: int,
    vendors: int,
    projects: int,
    tasks: int,
    weeks: int,
    seed: int,
    planted: bool,
    slack_days: int | None,
    load: float | None,
    output: Path,
) -> None:
    """Write a synthetic scenario (for trials and scale tests) as YAML.

    With --planted, a plan is built first and every project's deadline is set at that
    plan's finish of the project (plus --slack-days), so a plan holding every deadline
    is known to exist: the optimum of the lateness stage is 0.

    \b
    Examples:
      allocator generate --people 30 --vendors 2 --projects 6 --tasks 60 --weeks 13 --seed 1 -o demo.yaml
      allocator generate --people 40 --projects 7 --tasks 140 --planted --slack-days 3 -o feasible.yaml
      allocator solve demo.yaml --time-limit 30
    """
    from allocator.io import save_scenario_yaml

    if tasks < projects:
        raise click.BadParameter(f"{tasks} tasks cannot fill {projects} projects", param_hint="'--tasks'")
    if not planted and (slack_days is not None or load is not None):
        raise click.UsageError("--slack-days and --load apply to --planted scenarios only; add --planted")
    _check_folder(output)
    sizes = (people, vendors, projects, tasks, weeks, seed)
    scenario, note = _generated(sizes, planted, slack_days or 0, DEFAULT_LOAD if load is None else load)
    try:
        save_scenario_yaml(scenario, output)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror}") from None
    click.echo(f"wrote {output}: {scenario.name}{note}", err=True)


def _generated(
    sizes: tuple[int, int, int, int, int, int], planted: bool, slack_days: int, load: float
) -> tuple[Scenario, str]:
    """The generated scenario and a note for the message (the planted plan's figures)."""
    from allocator.demo.generate import generate_scenario
    from allocator.demo.planted import PlantingError, planted_plan

    try:
        if not planted:
            return generate_scenario(*sizes), ""
        result = planted_plan(*sizes, slack_days=slack_days, load=load)
    except ValueError as error:  # sizes the generator cannot honour
        raise click.UsageError(str(error)) from None
    except PlantingError as error:
        raise click.ClickException(f"no planted plan: {error}") from None
    finish = result.plan.kpis.latest_finish
    return result.scenario, (
        f" (planted: a plan with 0 late days exists; its utilisation {result.utilisation:.2f}, "
        f"last finish {finish})"
    )


# --- shared helpers ---------------------------------------------------------------------


def _print_plan(plan: Plan, fmt: str) -> None:
    if fmt == "json":
        click.echo(plan_json(plan), nl=False)
    elif fmt == "csv":
        click.echo(assignments_csv(plan), nl=False)
    else:
        render_plan(plan, out_console(PIPE_WIDTH))


def _check_folder(path: Path) -> None:
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist")


def _write(path: Path, text: str) -> None:
    _check_folder(path)
    try:
        atomic_write_text(path, text)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None


def _err_console() -> Console:
    """Standard error, for progress and messages: long lines are not broken."""
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


# --- what-if: compare and sweep (bodies in allocator.whatif.cli) --------------------------

main.add_command(whatif_cli.compare)
main.add_command(whatif_cli.sweep)


# --- replan, diff (their bodies live in allocator/replan/cli.py) ------------------------

from allocator.replan.cli import diff as _diff  # noqa: E402
from allocator.replan.cli import replan_command as _replan  # noqa: E402

main.add_command(_replan, name="replan")
main.add_command(_diff, name="diff")


# --- report, import (their bodies live in allocator/report/cli.py) ----------------------

from allocator.report.cli import import_command as _import  # noqa: E402
from allocator.report.cli import report_command as _report  # noqa: E402

main.add_command(_report, name="report")

from allocator.advise.cli import advise_command as _advise  # noqa: E402

main.add_command(_advise, name="advise")
main.add_command(_import, name="import")


# --- status, review (their bodies live in allocator/status/cli.py) ----------------------

from allocator.status.cli import review_command as _review  # noqa: E402
from allocator.status.cli import status_command as _status  # noqa: E402

main.add_command(_status, name="status")
main.add_command(_review, name="review")


# --- risk (its body lives in allocator/risk/cli.py) -------------------------------------

from allocator.risk.cli import risk_command as _risk  # noqa: E402

main.add_command(_risk, name="risk")


if __name__ == "__main__":  # pragma: no cover
    main()
