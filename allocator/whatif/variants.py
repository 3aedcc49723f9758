"""Variant files: read them, follow ``extends`` to the base, apply and check the changes.

Problems are reported like scenario problems, as :class:`~allocator.io.ScenarioError`:
the file, the change (``changes[2] (effort)``) and the field, with suggestions for
unknown ids and change types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from allocator.io import InputProblem, ScenarioError, did_you_mean, load_scenario
from allocator.io.yaml_io import read_mapping
from allocator.whatif.changes import ChangeProblem, apply_change, editable
from allocator.whatif.describe import describe_change
from models import Scenario
from models.whatif import CHANGE_TYPES, VariantSpec

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from models.whatif import Change


@dataclass(frozen=True)
class Variant:
    """A scenario derived from a base by named changes.

    Parameters
    ----------
    name
        Name in comparisons.
    scenario
        The scenario with every change applied, validated like any scenario.
    changes
        One sentence per change, in the order applied (inherited changes first).
    source
        The variant file, or ``--change`` for a variant given on the command line.
    """

    name: str
    scenario: Scenario
    changes: tuple[str, ...] = ()
    source: str = ""
    description: str = ""
    spec: tuple[Change, ...] = field(default=(), repr=False)


def _entity(index: int, change: Any) -> str:
    kind = change.get("type") if isinstance(change, dict) else None
    return f"changes[{index}]" + (f" ({kind})" if isinstance(kind, str) else "")


def _spec_problem(item: Any, raw: dict[str, Any], file: str) -> InputProblem:
    loc = list(item["loc"])
    if len(loc) < 2 or loc[0] != "changes" or not isinstance(loc[1], int):
        return InputProblem(file, "variant", ".".join(map(str, loc)), item["msg"])
    index = loc[1]
    change = raw["changes"][index] if isinstance(raw.get("changes"), list) else None
    if item["type"] == "union_tag_invalid":
        kind = str(change.get("type")) if isinstance(change, dict) else ""
        hint = did_you_mean(kind, CHANGE_TYPES) or f" (one of {', '.join(CHANGE_TYPES)})"
        return InputProblem(file, _entity(index, {}), "type", f"unknown change type '{kind}'{hint}")
    if item["type"] == "union_tag_not_found":
        message = f"every change needs a 'type': one of {', '.join(CHANGE_TYPES)}"
        return InputProblem(file, _entity(index, {}), "type", message)
    path = ".".join("from" if p == "from_" else str(p) for p in loc[3:])
    return InputProblem(file, _entity(index, change), path, item["msg"].removeprefix("Value error, "))


def read_spec(path: Path, file: str) -> VariantSpec:
    """Read and shape-check a variant file.

    Raises
    ------
    ScenarioError
        With every problem of shape (unknown change types, missing fields).
    """
    raw = read_mapping(path, file)
    try:
        return VariantSpec.model_validate(raw)
    except ValidationError as error:
        raise ScenarioError([_spec_problem(item, raw, file) for item in error.errors()]) from None


def is_variant_file(path: Path) -> bool:
    """Whether ``path`` is a variant file (a YAML mapping with ``extends``)."""
    if path.is_dir() or path.suffix not in (".yaml", ".yml"):
        return False
    try:
        return "extends" in read_mapping(path, str(path))
    except ScenarioError:
        return True  # let the reader report what is wrong with it


def apply_changes(base: Scenario, changes: Sequence[Change], file: str, name: str | None = None) -> Scenario:
    """The scenario ``base`` with ``changes`` applied in order, fully validated.

    Parameters
    ----------
    base
        The validated base scenario.
    changes
        Changes to apply.
    file
        File the changes come from, for problems.
    name
        Name of the resulting scenario (the base's when ``None``).

    Raises
    ------
    ScenarioError
        When a change names an unknown id, cannot apply, or leaves an invalid scenario.
    """
    from allocator.io.checks import find_problems

    data = editable(base.model_dump())
    problems: list[InputProblem] = []
    for index, change in enumerate(changes):
        entity = f"changes[{index}] ({change.type})"
        try:
            apply_change(data, change)
            Scenario.model_validate(data)
        except ChangeProblem as problem:
            problems.append(InputProblem(file, entity, problem.field, problem.message))
        except ValidationError as error:
            problems.extend(_scenario_problem(item, file, entity) for item in error.errors())
    if problems:
        raise ScenarioError(problems)
    if name:
        data["name"] = name
    scenario = Scenario.model_validate(data)
    after = [_after_changes(problem) for problem in find_problems(scenario, file)]
    if after:
        raise ScenarioError(after)
    return scenario


def _scenario_problem(item: Any, file: str, entity: str) -> InputProblem:
    where = ".".join(str(part) for part in item["loc"])
    return InputProblem(file, entity, "", f"leaves {where} invalid: {item['msg']}")


def _after_changes(problem: InputProblem) -> InputProblem:
    entity = f"after the changes, {problem.entity}" if problem.entity else "after the changes"
    return InputProblem(problem.file, entity, problem.field, problem.message)


def _missing_base(path: Path, extends: str, file: str) -> ScenarioError:
    target = path.parent / extends
    siblings = [p.name for p in target.parent.glob("*.y*ml")] if target.parent.is_dir() else []
    hint = did_you_mean(Path(extends).name, siblings)
    return ScenarioError([InputProblem(file, "variant", "extends", f"no such file '{extends}'{hint}")])


_BASES: dict[tuple[Path, int], Scenario] = {}


def _load_base(path: Path) -> Scenario:
    """A base scenario, read once per file version (comparisons share one base)."""
    key = (path.resolve(), path.stat().st_mtime_ns)
    if key not in _BASES:
        _BASES[key] = load_scenario(path)
    return _BASES[key]


def _resolve(path: Path, chain: tuple[Path, ...]) -> tuple[Scenario, list[Change], VariantSpec | None]:
    """The scenario of ``path`` with its changes applied, its changes (inherited first) and its spec."""
    file = str(path)
    real = path.resolve()
    if real in chain:
        loop = " -> ".join(p.name for p in (*chain, real))
        raise ScenarioError([InputProblem(file, "variant", "extends", f"extends forms a cycle: {loop}")])
    if not is_variant_file(path):
        return _load_base(path), [], None
    spec = read_spec(path, file)
    base_path = path.parent / spec.extends
    if not base_path.exists():
        raise _missing_base(path, spec.extends, file)
    base, inherited, _ = _resolve(base_path, (*chain, real))
    scenario = apply_changes(base, spec.changes, file, name=spec.name or path.stem)
    return scenario, [*inherited, *spec.changes], spec


def load_variant(path: str | Path) -> Variant:
    """Read a variant file, follow ``extends`` and apply every change.

    Parameters
    ----------
    path
        The variant file (YAML with ``extends`` and ``changes``).

    Raises
    ------
    ScenarioError
        For an unknown base, a cycle of ``extends``, unknown ids or an invalid result.
    """
    target = Path(path)
    if not target.exists():
        raise ScenarioError([InputProblem(str(path), "", "", "no such file or folder")])
    scenario, changes, spec = _resolve(target, ())
    if spec is None:
        message = "not a variant file: it has no 'extends'"
        raise ScenarioError([InputProblem(str(path), "", "extends", message)])
    name = spec.name or target.stem
    described = tuple(describe_change(change) for change in changes)
    return Variant(name, scenario, described, str(path), spec.description, tuple(changes))


def quick_variant(base: Scenario, changes: Sequence[Change], name: str) -> Variant:
    """A variant of ``base`` from changes written on the command line."""
    scenario = apply_changes(base, changes, "--change", name=name)
    described = tuple(describe_change(change) for change in changes)
    return Variant(name, scenario, described, "--change", spec=tuple(changes))


def variant_paths(paths: Iterable[Path]) -> list[Path]:
    """The variant files named, with folders expanded to their YAML files in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found
