"""The ``status`` and ``review`` commands (registered on the ``allocator`` command group)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from pydantic import ValidationError

from allocator.app.common import (
    CONTEXT,
    EXIT_FAILED,
    InputError,
    format_option,
    load_plan_input,
    load_scenario_input,
)
from allocator.io import ScenarioError, atomic_write_text
from allocator.status.inputs import plan_last_day, read_measured
from allocator.status.replanned import DEFAULT_TIME_LIMIT
from allocator.status.review import SHRINKAGE, review_estimates
from models.status import StatusReport

if TYPE_CHECKING:
    from allocator.status.inputs import Measured
    from allocator.status.replanned import Replanned
    from models import Plan
    from models.risk_report import RiskReport

_FILE = click.Path(dir_okay=False, path_type=Path)
BOOKINGS_HELP = (
    "Effort booked: CSV person,task,week,days "
    "[default: NAME-bookings.csv or bookings.csv beside the actuals]."
)


def _measured(
    scenario: Path, baseline: Path, actuals: Path, bookings: Path | None, as_of: dt.date | None
) -> Measured:
    loaded, plan = load_scenario_input(scenario), load_plan_input(baseline)
    if not actuals.is_file():
        raise InputError(f"cannot read actuals {actuals}: no such file")
    bookings = bookings if bookings is not None else _beside(actuals)
    if bookings is not None and not bookings.is_file():
        raise InputError(f"cannot read bookings {bookings}: no such file")
    try:
        return read_measured(loaded, plan, actuals, bookings, as_of or plan_last_day(loaded, plan))
    except ScenarioError as error:
        raise InputError(str(error)) from None


def _beside(actuals: Path) -> Path | None:
    """``NAME-bookings.csv`` or ``bookings.csv`` beside ``NAME-actuals.csv``, when there is one."""
    stem = actuals.stem.removesuffix("actuals").rstrip("-_")
    candidates = [actuals.with_name(f"{stem}-bookings.csv")] if stem else []
    candidates.append(actuals.with_name("bookings.csv"))
    return next((path for path in candidates if path.is_file()), None)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"cannot read --as-of {text!r}; write YYYY-MM-DD") from None


def _previous(path: Path | None) -> StatusReport | None:
    if path is None:
        return None
    try:
        return StatusReport.model_validate_json(path.read_bytes())
    except OSError as error:
        raise InputError(f"cannot read previous status {path}: {error.strerror}") from None
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"{path}: not a status report in JSON (field '{where}': {first['msg']})") from None


def _risk(path: Path | None, baseline: Plan) -> RiskReport | None:
    """The risk analysis of the baseline (``allocator risk --format json``), checked against it."""
    if path is None:
        return None
    from allocator.risk.report import read_risk_report

    report = read_risk_report(path)
    if report.scenario_hash != baseline.scenario_hash:
        raise InputError(
            f"{path}: the risk analysis was made for another scenario than the baseline's "
            f"({report.scenario_hash[:12]}, not {baseline.scenario_hash[:12]})"
        )
    return report


def _replanned(
    measured: Measured, time_limit: float, seed: int | None, workers: int | None, file: str
) -> Replanned:
    from allocator.status.replanned import NoReplanError, replan_forecast

    try:
        return replan_forecast(measured, time_limit, seed, workers, file)
    except ScenarioError as error:
        raise InputError(str(error)) from None
    except NoReplanError as error:
        click.echo(
            f"Error: {error}; give a longer --time-limit, or use --forecast earned-schedule.", err=True
        )
        sys.exit(EXIT_FAILED)


def _write(path: Path, text: str) -> None:
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist")
    try:
        atomic_write_text(path, text)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None


@click.command(context_settings=CONTEXT)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--baseline", type=_FILE, required=True, help="The plan the work is measured against.")
@click.option("--actuals", type=_FILE, required=True, help="Progress as a CSV of actuals (as for replan).")
@click.option("--bookings", type=_FILE, help=BOOKINGS_HELP)
@click.option("--as-of", "as_of", required=True, help="Date of the actuals (YYYY-MM-DD).")
@click.option("--previous", type=_FILE, help="The last status report (JSON), for what changed since.")
@format_option("markdown", "html", "json", help="One page of Markdown, a self-contained HTML page, or JSON.")
@click.option(
    "-o", "--output", type=_FILE, help="Write the report here (atomically) instead of standard output."
)
@click.option(
    "--forecast",
    type=click.Choice(["earned-schedule", "replan"]),
    default="earned-schedule",
    show_default=True,
    help="Forecast finishes by earned schedule (immediate) or by re-planning the work left (a solve).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help=f"Search time of the re-plan (--forecast replan) [default: {DEFAULT_TIME_LIMIT:g}].",
)
@click.option("--seed", type=click.IntRange(min=0), metavar="N", help="Seed of the re-plan's search.")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    metavar="N",
    help="Search threads of the re-plan (0: every core).",
)
@click.option(
    "--risk",
    "risk_path",
    type=_FILE,
    help="A risk analysis of the baseline (allocator risk --format json): P80 and on-time chance.",
)
def status_command(
    scenario: Path,
    baseline: Path,
    actuals: Path,
    bookings: Path | None,
    as_of: str,
    previous: Path | None,
    fmt: str,
    output: Path | None,
    forecast: str,
    time_limit: float | None,
    seed: int | None,
    workers: int | None,
    risk_path: Path | None,
) -> None:
    """Status of SCENARIO's BASELINE plan as of a date: earned value, forecast, RAG and top issues.

    Per project and for the portfolio: planned value, earned value, actual cost (bookings
    at the scenario's rates), SPI, CPI, estimate at completion, the forecast finish (by
    earned schedule, or with --forecast replan from a verified re-plan of the work left)
    and a red/amber/green status, with its rule stated in the output. With --risk, each
    project's P80 finish and chance of meeting its deadline stand beside the forecast.

    \b
    Example:
      allocator status scenarios/quarter.yaml --baseline scenarios/status/baseline.json \\
          --actuals scenarios/status/w07-actuals.csv --as-of 2027-02-15 \\
          --previous w05.json --format html -o status.html
      allocator status ... --forecast replan --time-limit 20 --seed 0 --risk risk.json

    Exit codes: 0 a report, 1 no re-plan found in the time, 2 invalid input (nothing is written).
    """
    from allocator.status.render import status_html, status_json, status_markdown
    from allocator.status.report import build_status

    if forecast != "replan" and (time_limit is not None or seed is not None or workers is not None):
        raise InputError(
            "--time-limit, --seed and --workers set the re-plan: give them with --forecast replan"
        )
    last = _previous(previous)
    measured = _measured(scenario, baseline, actuals, bookings, _date(as_of))
    risk = _risk(risk_path, measured.baseline)
    replanned = None
    if forecast == "replan":
        limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
        replanned = _replanned(measured, limit, seed, workers, str(actuals))
    report = build_status(measured, last, replanned, risk)
    text = {"markdown": status_markdown, "html": status_html, "json": status_json}[fmt](report)
    if output is not None:
        _write(output, text)
    else:
        click.echo(text, nl=False)


@click.command(context_settings=CONTEXT)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--baseline", type=_FILE, required=True, help="The plan the estimates come from.")
@click.option("--actuals", type=_FILE, required=True, help="Progress as a CSV of actuals.")
@click.option("--bookings", type=_FILE, help=BOOKINGS_HELP)
@click.option("--as-of", "as_of", help="Date of the actuals [default: the plan's last day].")
@click.option(
    "--shrinkage",
    type=click.FloatRange(min=0),
    default=SHRINKAGE,
    show_default=True,
    metavar="K",
    help="Samples at which a multiplier (and a range) goes half-way from the no-information value.",
)
@format_option("markdown", "json")
@click.option(
    "-o", "--output", type=_FILE, help="Write the learned multipliers and ranges here (calibration.yaml)."
)
def review_command(
    scenario: Path,
    baseline: Path,
    actuals: Path,
    bookings: Path | None,
    as_of: str | None,
    shrinkage: float,
    fmt: str,
    output: Path | None,
) -> None:
    """Estimate accuracy of SCENARIO's finished and partly finished work, and learned multipliers.

    Per skill, team, person, vendor and project: the median of actual over estimated
    effort and the median duration slip, each with its sample size. The multipliers
    (median shrunk toward 1 for small samples) go to a scenario fragment that a later
    scenario applies with `calibration: calibration.yaml`, with a three-point range per
    skill with at least 3 finished tasks (10th, 50th and 90th percentile of the ratios,
    shrunk toward -10/0/+30 %, relative to the calibrated effort) as estimate rules that
    `allocator risk` uses after the scenario's own.

    \b
    Example:
      allocator review scenarios/quarter.yaml --baseline scenarios/status/baseline.json \\
          --actuals scenarios/status/final-actuals.csv -o calibration.yaml

    Exit codes: 0 a review, 2 invalid input (nothing is written).
    """
    from allocator.status.calibration import calibration_yaml
    from allocator.status.render import review_markdown

    measured = _measured(scenario, baseline, actuals, bookings, _date(as_of) if as_of else None)
    review = review_estimates(measured, shrinkage)
    if output is not None:
        _write(output, calibration_yaml(review, f"{scenario.name}, actuals {actuals.name}"))
    if fmt == "json":
        click.echo(review.model_dump_json(indent=2))
    else:
        click.echo(review_markdown(review), nl=False)
