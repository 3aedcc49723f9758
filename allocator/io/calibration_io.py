"""The ``calibration:`` field of a scenario: learned multipliers and ranges, read from a fragment.

A scenario names a calibration file (``calibration: calibration.yaml``, relative to the
scenario) or gives the multipliers inline. The file is a scenario fragment whose top
level holds one ``calibration:`` mapping, as ``allocator review -o`` writes it. The
multipliers are applied when the scenario is loaded, and its estimate rules appended after
the scenario's own ``risk: estimates:`` (see :func:`models.calibration.apply_calibration`);
the loaded scenario has the multiplied efforts, the rules and no ``calibration`` field, so
writing it back and loading it again does not apply them twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from allocator.io.errors import InputProblem, ScenarioError
from allocator.io.yaml_io import read_mapping
from models.calibration import Calibration

if TYPE_CHECKING:
    from pathlib import Path

FIELD = "calibration"


def take_calibration(
    raw: dict[Any, Any], folder: Path, file: str
) -> tuple[Calibration | None, list[InputProblem]]:
    """Remove the ``calibration`` field from ``raw`` and read what it names.

    Parameters
    ----------
    raw
        The scenario data as read; the field is removed from it.
    folder
        Folder a calibration file name is relative to.
    file
        The scenario file, for problems.

    Returns
    -------
    tuple
        The calibration (``None`` when the scenario has none) and the problems found.
    """
    if FIELD not in raw:
        return None, []
    value = raw.pop(FIELD)
    if isinstance(value, str):
        try:
            return read_calibration(folder / value), []
        except ScenarioError as error:
            return None, error.problems
    if isinstance(value, dict):
        return _validated(value, file)
    message = "give a calibration file name (calibration: calibration.yaml) or a mapping of multipliers"
    return None, [InputProblem(file, "scenario", FIELD, message)]


def read_calibration(path: Path) -> Calibration:
    """The calibration of a fragment file (top level ``calibration:``).

    Raises
    ------
    ScenarioError
        When the file is missing, malformed, or its multipliers are not positive numbers.
    """
    file = str(path)
    if not path.is_file():
        raise ScenarioError([InputProblem(file, "", "", "no such calibration file")])
    data = read_mapping(path, file)
    extra = [key for key in data if key != FIELD]
    if extra or FIELD not in data or not isinstance(data[FIELD], dict):
        message = "a calibration file holds one mapping, 'calibration:', with skills, projects and estimates"
        raise ScenarioError([InputProblem(file, "", str(extra[0]) if extra else FIELD, message)])
    calibration, problems = _validated(data[FIELD], file)
    if calibration is None:
        raise ScenarioError(problems)
    return calibration


def _validated(value: dict[Any, Any], file: str) -> tuple[Calibration | None, list[InputProblem]]:
    try:
        return Calibration.model_validate(value), []
    except ValidationError as error:
        problems = [
            InputProblem(file, "calibration", ".".join(str(part) for part in detail["loc"]), detail["msg"])
            for detail in error.errors(include_url=False)
        ]
        return None, problems
