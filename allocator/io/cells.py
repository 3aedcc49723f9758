"""The cell syntax of scenario tables (CSV or XLSX), one converter per kind of column.

Lists are separated by ``;``. Blank cells leave the field unset.

=============  ==========================  ===========================================
column kind    example                     meaning
=============  ==========================  ===========================================
text           ``Ana Lima``, ``0.8``       taken as written (numbers and dates too)
list           ``ana; ben``                several ids
skills         ``backend:4; sql:3``        skill and level (a bare skill means level 3)
requires       ``backend:3; qa:2*2``       skill, level (default 1), ``*`` people (default 1)
team           ``1-3`` or ``2``            team size range, or an exact size
after          ``design; build SS+2``      predecessors, optionally with type and lag
resources      ``test-env:1; lab``         shared resource and units (default 1)
=============  ==========================  ===========================================
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

Converter = Callable[[str], object]


class CellError(ValueError):
    """A cell that does not follow the syntax of its column."""


def cell_text(value: object) -> str | None:
    """A spreadsheet or CSV cell as stripped text; ``None`` for a blank cell."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime):
        # Spreadsheets store dates as date-times; the scenario counts whole days.
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def text(cell: str) -> object:
    """The cell as written; pydantic converts numbers, dates and choices."""
    return cell


def items(cell: str) -> list[str]:
    """``"ana; ben"`` -> ``["ana", "ben"]``."""
    return [part.strip() for part in cell.split(";") if part.strip()]


_REQUIREMENT = re.compile(r"^(?P<skill>[^:*]+?)\s*(?::\s*(?P<level>\d+))?\s*(?:\*\s*(?P<people>\d+))?$")


def requirements(cell: str) -> list[dict[str, object]]:
    """``"backend:3; qa:2*2"`` -> requirement mappings."""
    result: list[dict[str, object]] = []
    for part in items(cell):
        match = _REQUIREMENT.match(part)
        if not match:
            raise CellError(f"cannot read requirement {part!r}; write skill:level or skill:level*people")
        requirement: dict[str, object] = {"skill": match["skill"]}
        if match["level"]:
            requirement["level"] = int(match["level"])
        if match["people"]:
            requirement["people"] = int(match["people"])
        result.append(requirement)
    return result


def team_size(cell: str) -> object:
    """``"1-3"`` -> ``{"min": 1, "max": 3}``; ``"2"`` -> ``2``."""
    low, dash, high = cell.partition("-")
    try:
        if not dash:
            return int(low)
        return {"min": int(low), "max": int(high)}
    except ValueError:
        raise CellError(
            f"cannot read team size {cell!r}; write a number such as 2 or a range such as 1-3"
        ) from None


def resource_units(cell: str) -> dict[str, object]:
    """``"test-env:1; lab"`` -> ``{"test-env": "1", "lab": 1}``."""
    units: dict[str, object] = {}
    for part in items(cell):
        name, colon, amount = part.partition(":")
        if not name.strip() or (colon and not amount.strip()):
            raise CellError(f"cannot read resource use {part!r}; write resource:units")
        units[name.strip()] = amount.strip() if colon else 1
    return units


def estimate(cell: str) -> dict[str, object]:
    """``"8/10/16"`` -> ``{"low": "8", "likely": "10", "high": "16"}``; ``"8/16"`` leaves out likely."""
    parts = [part.strip() for part in cell.split("/")]
    if len(parts) not in (2, 3) or not all(parts):
        raise CellError(f"cannot read estimate {cell!r}; write low/likely/high such as 8/10/16, or low/high")
    if len(parts) == 2:
        return {"low": parts[0], "high": parts[1]}
    return {"low": parts[0], "likely": parts[1], "high": parts[2]}
