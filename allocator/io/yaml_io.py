"""Scenario files in YAML: safe parsing with positions, and writing back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from allocator.io.atomic import atomic_write_text
from allocator.io.errors import InputProblem, ScenarioError
from models.calendar import WEEKDAY_NAMES

if TYPE_CHECKING:
    from pathlib import Path

    from models import Scenario


class _ScenarioLoader(yaml.SafeLoader):
    """A safe loader that keeps dates as text and refuses repeated keys.

    Dates stay strings so that pydantic reports an impossible date such as
    ``2027-13-01`` against its field, instead of the parser failing on it.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"key {key!r} appears twice",
                    key_node.start_mark,
                )
            if isinstance(key, str | int | float | bool):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_ScenarioLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def parse_yaml(text: str, file: str) -> object:
    """Parse YAML text safely (plain data only, never objects).

    Parameters
    ----------
    text
        The YAML source.
    file
        File name used in problems.

    Raises
    ------
    ScenarioError
        When the text is not well-formed YAML; the problem gives line and column.
    """
    try:
        return yaml.load(text, Loader=_ScenarioLoader)
    except yaml.MarkedYAMLError as error:
        raise ScenarioError([_syntax_problem(error, file)]) from None
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        # Nesting too deep for the parser, or a scalar the safe constructors reject.
        raise ScenarioError([InputProblem(file, "", "", f"cannot read YAML: {error}")]) from None


def _syntax_problem(error: yaml.MarkedYAMLError, file: str) -> InputProblem:
    mark = error.problem_mark or error.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    what = " ".join(part for part in (error.context, error.problem) if part)
    return InputProblem(file, "", "", f"malformed YAML at {where}{what}")


def read_text(path: Path, file: str) -> str:
    """The UTF-8 text of ``path``; unreadable files raise :class:`ScenarioError`."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError([InputProblem(file, "", "", f"not UTF-8 text (byte {error.start})")]) from None
    except OSError as error:
        raise ScenarioError([InputProblem(file, "", "", f"cannot read file: {error.strerror}")]) from None


def read_mapping(path: Path, file: str) -> dict[Any, Any]:
    """The top-level mapping of a YAML scenario file.

    Raises
    ------
    ScenarioError
        When the file is empty, malformed or not a mapping at the top level.
    """
    text = read_text(path, file)
    data = parse_yaml(text, file)
    if data is None:
        raise ScenarioError(
            [InputProblem(file, "", "", "file is empty; a scenario needs at least start and end")]
        )
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        raise ScenarioError(
            [InputProblem(file, "", "", f"top level must be a mapping of fields, not {kind}")]
        )
    return data


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """Plain data for a scenario: defaults left out and short forms used where exact.

    Parameters
    ----------
    scenario
        The scenario to describe.
    """
    data: dict[str, Any] = scenario.model_dump(mode="json", exclude_defaults=True)
    calendar = data.get("calendar", {})
    if "working_weekdays" in calendar:
        calendar["working_weekdays"] = [WEEKDAY_NAMES[day] for day in calendar["working_weekdays"]]
    for project in data.get("projects", []):
        for task in project.get("tasks", []):
            _shorten_task(task)
    return data


def _shorten_task(task: dict[str, Any]) -> None:
    if "requires" in task:
        task["requires"] = [_short_requirement(item) for item in task["requires"]]
    if "after" in task:
        task["after"] = [_short_dependency(item) for item in task["after"]]
    for mode in task.get("modes", []):
        if mode.get("requires") is not None:
            mode["requires"] = [_short_requirement(item) for item in mode["requires"]]


def _short_requirement(item: dict[str, Any]) -> str | dict[str, Any]:
    # The short form "skill:level" cannot say "people", nor a skill containing ":".
    if set(item) - {"skill", "level"} or ":" in item["skill"]:
        return item
    return f"{item['skill']}:{item.get('level', 1)}"


def _short_dependency(item: dict[str, Any]) -> str | dict[str, Any]:
    task = item["task"]
    if len(task.split()) != 1 or task != task.strip():
        return item
    kind, lag = item.get("type", "FS"), item.get("lag", 0)
    return task if (kind, lag) == ("FS", 0) else f"{task} {kind}{lag:+d}"


class _ScenarioDumper(yaml.SafeDumper):
    """A safe dumper that keeps Unicode readable but quotes Unicode line breaks safely."""


#: Line breaks PyYAML folds or drops in plain and single-quoted scalars.
_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Double quotes escape these characters, so the text reads back unchanged.
    style = '"' if any(mark in text for mark in _UNICODE_BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_ScenarioDumper.add_representer(str, _represent_text)


def scenario_to_yaml(scenario: Scenario) -> str:
    """The YAML text of a scenario, as :func:`save_scenario_yaml` writes it."""
    return yaml.dump(
        scenario_to_data(scenario),
        Dumper=_ScenarioDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def save_scenario_yaml(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario to a YAML file atomically; loading it gives an equal scenario.

    Parameters
    ----------
    scenario
        The scenario to write.
    path
        Destination file; replaced in one step, so a reader never sees half a file.
    """
    atomic_write_text(path, scenario_to_yaml(scenario))
