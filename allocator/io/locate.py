"""Turn validation errors into problems that name entities by id and fields by path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from allocator.io.errors import InputProblem, did_you_mean
from models import (
    CalendarSpec,
    Dependency,
    Mode,
    ObjectiveConfig,
    Person,
    Project,
    Requirement,
    Scenario,
    SharedResource,
    SolverSettings,
    Task,
    TeamSize,
    TimeOff,
    Vendor,
)
from models.calendar import DateRange
from models.risk import Driver, Estimate, EstimateRule, RiskEvent, RiskSpec

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError
    from pydantic_core import ErrorDetails

Loc = Sequence[int | str]

#: Lists whose items are entities with ids: list name -> (entity kind, kind of the parent).
ENTITY_LISTS: dict[str, tuple[str, str]] = {
    "people": ("person", "scenario"),
    "vendors": ("vendor", "scenario"),
    "resources": ("resource", "scenario"),
    "projects": ("project", "scenario"),
    "tasks": ("task", "project"),
}
#: Lists of entities with ids inside a section of the scenario: (section, list) -> entity kind.
SECTION_LISTS: dict[tuple[str, str], str] = {
    ("risk", "events"): "risk event",
    ("risk", "drivers"): "driver",
    ("risk", "estimates"): "estimate rule",
}

#: Model behind each entity kind, and behind nested fields, for suggesting field names.
ENTITY_MODELS: dict[str, type[BaseModel]] = {
    "scenario": Scenario,
    "person": Person,
    "vendor": Vendor,
    "resource": SharedResource,
    "project": Project,
    "task": Task,
    "risk event": RiskEvent,
    "driver": Driver,
    "estimate rule": EstimateRule,
}
FIELD_MODELS: dict[str, type[BaseModel]] = {
    "calendar": CalendarSpec,
    "days_off": DateRange,
    "time_off": TimeOff,
    "objective": ObjectiveConfig,
    "solver": SolverSettings,
    "modes": Mode,
    "requires": Requirement,
    "after": Dependency,
    "team": TeamSize,
    "estimate": Estimate,
    "risk": RiskSpec,
}


@dataclass(frozen=True)
class Origin:
    """Where an entity (or part of one) was written, when it came from a table row.

    Parameters
    ----------
    file
        The table file, as the user named it.
    row
        Spreadsheet row number (header is row 1).
    columns
        Field name -> column name, where the two differ.
    """

    file: str
    row: int | None
    columns: Mapping[str, str] = field(default_factory=dict)


#: Origins by ``(entity label, field prefix)``; the prefix is ``""`` for a whole entity.
Origins = dict[tuple[str, str], Origin]


def entity_label(kind: str, item: object, index: int, parent: str) -> str:
    """How problems name an entity: by id, or by position when it has no usable id."""
    if isinstance(item, Mapping):
        ident = item.get("id")
        if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip():
            return f"{kind} '{str(ident).strip()}'"
    where = "" if parent == "scenario" else f" of {parent}"
    return f"{kind} #{index + 1}{where}"


def format_field(parts: Sequence[int | str]) -> str:
    """``('after', 0, 'task')`` -> ``after[0].task``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "[key]":
            text += f".{part}" if text else str(part)
    return text


def _child(node: object, key: int | str) -> object:
    if isinstance(node, Mapping):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def split_location(raw: object, loc: Loc) -> tuple[str, str, list[int | str]]:
    """The entity kind, entity label and remaining field path of a pydantic error location."""
    kind, label, node = "scenario", "scenario", raw
    parts: list[int | str] = []
    position = 0
    while position < len(loc):
        key = loc[position]
        nxt = loc[position + 1] if position + 1 < len(loc) else None
        entry = ENTITY_LISTS.get(key) if isinstance(key, str) and not parts else None
        if entry and entry[1] == kind and isinstance(nxt, int):
            item = _child(_child(node, key), nxt)
            kind, label, node = entry[0], entity_label(entry[0], item, nxt, label), item
            position += 2
            continue
        section = (
            SECTION_LISTS.get((str(parts[0]), str(key))) if len(parts) == 1 and kind == "scenario" else None
        )
        if section and isinstance(nxt, int):
            item = _child(_child(node, key), nxt)
            kind, label, node = section, entity_label(section, item, nxt, label), item
            parts, position = [], position + 2
            continue
        parts.append(key)
        node = _child(node, key)
        position += 1
    return kind, label, parts


def _known_fields(kind: str, parts: Sequence[int | str]) -> list[str]:
    names = [part for part in parts[:-1] if isinstance(part, str)]
    model = FIELD_MODELS.get(names[-1]) if names else ENTITY_MODELS.get(kind)
    return list(model.model_fields) if model else []


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def error_message(error: ErrorDetails, kind: str, parts: Sequence[int | str]) -> str:
    """A readable message for one pydantic error."""
    kind_of_error, value = error["type"], error.get("input")
    if kind_of_error == "extra_forbidden":
        name = str(parts[-1]) if parts else ""
        return f"unknown field '{name}'{did_you_mean(name, _known_fields(kind, parts))}"
    if kind_of_error == "missing":
        return "required field is missing"
    if kind_of_error in {"model_type", "model_attributes_type", "dict_type"}:
        return f"expected a mapping of fields, got {type(value).__name__} {_shown(value)}"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind_of_error in {"value_error", "assertion_error"} or isinstance(value, Mapping | list):
        return message
    return f"{message}, got {_shown(value)}"


def validation_problems(
    error: ValidationError, raw: object, file: str, origins: Origins
) -> list[InputProblem]:
    """Every error of a pydantic validation as a located problem.

    Parameters
    ----------
    error
        The validation error raised while building the scenario.
    raw
        The data that was validated, used to name entities by their ids.
    file
        File the data came from; table origins override it per entity.
    origins
        Where table rows were merged into ``raw``.
    """
    problems = []
    for detail in error.errors(include_url=False):
        kind, label, parts = split_location(raw, detail["loc"])
        problem = InputProblem(file, label, format_field(parts), error_message(detail, kind, parts))
        problems.append(relocate(problem, origins))
    return problems


def relocate(problem: InputProblem, origins: Origins) -> InputProblem:
    """Point a problem at the table row and column its entity came from, if any."""
    best: tuple[str, Origin] | None = None
    for (label, prefix), origin in origins.items():
        if label != problem.entity or not _has_prefix(problem.field, prefix):
            continue
        if best is None or len(prefix) > len(best[0]):
            best = (prefix, origin)
    if best is None:
        return problem
    prefix, origin = best
    rest = problem.field[len(prefix) :].lstrip(".")
    head = rest.split(".")[0].split("[")[0]
    column = origin.columns.get(head, head) if head else problem.field
    return replace(problem, file=origin.file, row=origin.row, field=column)


def _has_prefix(path: str, prefix: str) -> bool:
    if not prefix:
        return True
    return path == prefix or path.startswith((prefix + ".", prefix + "["))
