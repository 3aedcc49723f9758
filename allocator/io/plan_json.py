"""Plan files: written atomically as JSON, read back with errors that name file and field."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from allocator.io.atomic import atomic_write_text
from models import Plan

#: At most this many field errors are listed for one bad plan file.
MAX_LISTED_ERRORS = 10


class PlanFileError(Exception):
    """A plan file cannot be read: missing, not JSON, or not shaped like a plan.

    Parameters
    ----------
    file
        The plan file as the user named it.
    problems
        One line per problem, each naming the field when there is one.
    """

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{self.file}: {problem}" for problem in self.problems)


def plan_json(plan: Plan) -> str:
    """The JSON text of a plan as plan files hold it (indented, newline at the end)."""
    return plan.model_dump_json(indent=2) + "\n"


def save_plan(plan: Plan, path: str | Path) -> None:
    """Write ``plan`` to ``path`` as JSON, atomically.

    Parameters
    ----------
    plan
        The plan to write.
    path
        Destination file; its directory must exist. A reader sees the old file or
        the new one, never half a plan.
    """
    atomic_write_text(path, plan_json(plan))


def load_plan(path: str | Path) -> Plan:
    """Read a plan file written by :func:`save_plan` (or ``allocator solve -o``).

    Parameters
    ----------
    path
        The plan JSON file.

    Returns
    -------
    Plan
        The validated plan.

    Raises
    ------
    PlanFileError
        When the file is missing, unreadable, not JSON, or not shaped like a plan;
        each problem names the field (``tasks[0].start``) where there is one.
    """
    file = str(path)
    data = _read_json(Path(path), file)
    if not isinstance(data, dict):
        raise PlanFileError(file, [f"top level must be a JSON object (a plan), not {type(data).__name__}"])
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        raise PlanFileError(file, _field_problems(error)) from None


def _read_json(path: Path, file: str) -> object:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise PlanFileError(file, ["no such file"]) from None
    except IsADirectoryError:
        raise PlanFileError(file, ["is a folder, not a plan file"]) from None
    except OSError as error:
        raise PlanFileError(file, [f"cannot read file: {error.strerror}"]) from None
    except UnicodeDecodeError as error:
        raise PlanFileError(file, [f"not UTF-8 text (byte {error.start})"]) from None
    if not text.strip():
        raise PlanFileError(file, ["file is empty; expected a plan in JSON"])
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanFileError(
            file, [f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from None
    except RecursionError:
        raise PlanFileError(file, ["not valid JSON: nested too deeply"]) from None


def _field_problems(error: ValidationError) -> list[str]:
    problems = [
        f"field '{_field_path(item['loc'])}': {item['msg']}" if item["loc"] else item["msg"]
        for item in error.errors(include_url=False)
    ]
    if len(problems) > MAX_LISTED_ERRORS:
        hidden = len(problems) - MAX_LISTED_ERRORS
        problems = [*problems[:MAX_LISTED_ERRORS], f"... and {hidden} more problems"]
    return problems


def _field_path(location: tuple[int | str, ...]) -> str:
    """``('tasks', 0, 'start')`` as ``tasks[0].start``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path
