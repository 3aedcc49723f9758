"""The ``report`` and ``import`` commands; registered on the ``allocator`` command group.

Heavy modules (plotting, spreadsheets) are imported when a command runs, so that the
other commands start quickly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from allocator.app.common import CONTEXT, InputError, load_plan_input, load_scenario_input

if TYPE_CHECKING:
    from models import Scenario

REPORT_SUFFIXES = (".html", ".htm", ".xlsx")


def _scenario(path: Path) -> Scenario:
    from allocator.io import ScenarioError
    from allocator.io.workbook import load_workbook_scenario

    if path.suffix.lower() != ".xlsx":
        return load_scenario_input(path)
    try:
        return load_workbook_scenario(path)
    except ScenarioError as error:
        raise InputError(str(error)) from None


def _output(path: Path, suffixes: tuple[str, ...]) -> None:
    if path.suffix.lower() not in suffixes:
        raise click.BadParameter(f"{path} must end in {' or '.join(suffixes)}", param_hint="'-o'")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist")


@click.command("report", context_settings=CONTEXT)
@click.argument("plan", type=click.Path(path_type=Path))
@click.option(
    "--scenario",
    type=click.Path(path_type=Path),
    help="The plan's scenario: adds dependencies, leave, skills and names.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="report.html (a single file that opens offline) or plan.xlsx.",
)
@click.option(
    "--risk",
    "risk_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A risk analysis of the plan (allocator risk --format json): finish curves, or a risk sheet.",
)
def report_command(plan: Path, scenario: Path | None, output: Path, risk_file: Path | None = None) -> None:
    """Write PLAN as an HTML report or an Excel workbook, chosen by the output's extension.

    \b
    Examples:
      allocator report plan.json --scenario scenarios/quarter.yaml -o report.html
      allocator report plan.json -o plan.xlsx
      allocator report plan.json --scenario scenarios/quarter.yaml --risk risk.json -o report.html
    """
    _output(output, REPORT_SUFFIXES)
    loaded = load_plan_input(plan)
    if risk_file is not None:
        from allocator.risk.report import read_risk_report, write_with_risk

        write_with_risk(
            loaded, output, _scenario(scenario) if scenario else None, read_risk_report(risk_file)
        )
        click.echo(f"wrote {output}", err=True)
        return
    context = _scenario(scenario) if scenario is not None else None
    if context is not None:
        from allocator.io import scenario_hash

        if scenario_hash(context) != loaded.scenario_hash:
            click.echo(f"warning: {plan} was made for a different version of {scenario}", err=True)
    try:
        if output.suffix.lower() == ".xlsx":
            from allocator.report.excel import write_excel_report

            write_excel_report(loaded, output, context)
        else:
            from allocator.report.html import write_html_report

            write_html_report(loaded, output, context)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror}") from None
    click.echo(f"wrote {output}", err=True)


@click.command("import", context_settings=CONTEXT)
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Scenario YAML file to write.",
)
def import_command(source: Path, output: Path) -> None:
    """Turn a spreadsheet scenario into a scenario YAML file.

    SOURCE is a workbook (.xlsx, one sheet per table; start from
    scenarios/templates/scenario-template.xlsx) or a scenario folder (scenario.yaml plus
    CSV or XLSX tables). Problems name the sheet or file, the row and the column.

    \b
    Example:
      allocator import team-plan.xlsx -o scenario.yaml
      allocator solve scenario.yaml -o plan.json
    """
    from allocator.io import save_scenario_yaml

    _output(output, (".yaml", ".yml"))
    scenario = _scenario(source)
    try:
        save_scenario_yaml(scenario, output)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror}") from None
    tasks = sum(1 for _ in scenario.tasks())
    click.echo(
        f"wrote {output}: {len(scenario.people)} people, {len(scenario.vendors)} vendors, "
        f"{len(scenario.projects)} projects, {tasks} tasks",
        err=True,
    )
