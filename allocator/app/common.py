"""What every command of the command line shares: exit codes, the input error, loaders.

Kept apart from :mod:`allocator.app.cli` so that the command groups defined in their own
packages (what-if, re-planning, reports) use the same conventions without importing
the main group.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console

from allocator.io import PlanFileError, ScenarioError, load_plan, load_scenario

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from models import Plan, Scenario

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
F = TypeVar("F", bound="Callable[..., Any]")  #: a command function

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class InputError(click.ClickException):
    """Input the command cannot use: shown without a traceback, exit code 2."""

    exit_code = EXIT_INPUT


def format_option(*choices: str, help: str = "Output format.") -> Callable[[F], F]:
    """The ``--format`` option every command shares: one of ``choices``, the first by default."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help=help
    )


def load_scenario_input(path: Path) -> Scenario:
    """The scenario at ``path``, or an :class:`InputError` listing every problem in it.

    A variant file (``extends`` and ``changes``, as ``allocator advise -o`` and what-if
    studies write) is read as the scenario it describes, so every command takes it.
    """
    from allocator.whatif.variants import is_variant_file, load_variant  # what-if builds on this module

    try:
        if is_variant_file(path):
            return load_variant(path).scenario
        return load_scenario(path)
    except ScenarioError as error:
        raise InputError(str(error)) from None


def load_plan_input(path: Path) -> Plan:
    """The plan at ``path``, or an :class:`InputError` naming the file and field."""
    try:
        return load_plan(path)
    except PlanFileError as error:
        raise InputError(f"cannot read plan:\n{error}") from None


def out_console(pipe_width: int = 120) -> Console:
    """Standard output for rich tables; ``pipe_width`` wide when it is a file or a pipe."""
    console = Console(file=sys.stdout, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = pipe_width
    return console
