"""Loading a scenario: read the file or folder, validate the models, check cross-references.

Reading is :mod:`allocator.io.yaml_io` (one YAML file) or :mod:`allocator.io.folder` (a
folder of tables); the models' own validation and :func:`allocator.io.checks.find_problems`
follow, and every problem of all three steps is reported at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from allocator.io.calibration_io import take_calibration
from allocator.io.checks import find_problems
from allocator.io.errors import InputProblem, ScenarioError
from allocator.io.folder import read_folder
from allocator.io.locate import relocate, validation_problems
from allocator.io.yaml_io import read_mapping
from models import Scenario
from models.calibration import apply_calibration

if TYPE_CHECKING:
    from allocator.io.locate import Origins
    from models.calibration import Calibration


def build_scenario(
    raw: dict[Any, Any],
    file: str,
    origins: Origins | None = None,
    earlier: list[InputProblem] | None = None,
    calibration: Calibration | None = None,
) -> Scenario:
    """Validate raw data into a Scenario and check it; report every problem at once.

    Parameters
    ----------
    raw
        The scenario data as read from files.
    file
        File problems are reported against (table origins override it).
    origins
        Where table rows were merged into ``raw``.
    earlier
        Problems found while reading, reported together with the rest.
    calibration
        Effort multipliers to apply before the cross-reference checks (``calibration:``).

    Raises
    ------
    ScenarioError
        With every problem found, when there is at least one.
    """
    origins = origins or {}
    problems = list(earlier or [])
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as error:
        problems.extend(validation_problems(error, raw, file, origins))
        raise ScenarioError(problems) from None
    if problems:
        # Some cells could not be read and were left out; checking references now would
        # only report consequences of those gaps.
        raise ScenarioError(problems)
    if calibration is not None:
        scenario = apply_calibration(scenario, calibration)
    problems.extend(relocate(problem, origins) for problem in find_problems(scenario, file))
    if problems:
        raise ScenarioError(problems)
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and check a scenario: a YAML file or a scenario folder.

    Parameters
    ----------
    path
        A ``.yaml`` file, or a folder holding ``scenario.yaml`` and optional tables
        (see ``docs/scenario-errors.md`` for the table formats). A ``calibration:``
        field names learned effort multipliers, applied here (``docs/status.md``).

    Returns
    -------
    Scenario
        The validated scenario, free of the problems :func:`allocator.io.checks.find_problems` looks for.

    Raises
    ------
    ScenarioError
        With every problem found in the input.
    """
    target = Path(path)
    if target.is_dir():
        raw, origins, problems = read_folder(target)
        file = str(target / "scenario.yaml")
        calibration, more = take_calibration(raw, target, file)
        return build_scenario(raw, file, origins, [*problems, *more], calibration)
    if not target.exists():
        raise ScenarioError([InputProblem(str(path), "", "", "no such file or folder")])
    raw = read_mapping(target, str(path))
    calibration, problems = take_calibration(raw, target.parent, str(path))
    return build_scenario(raw, str(path), earlier=problems, calibration=calibration)
