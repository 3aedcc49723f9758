"""Read a CSV table of input (actuals, bookings) into rows, or report why it cannot be read."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, Any

from allocator.io.errors import InputProblem, ScenarioError

if TYPE_CHECKING:
    from pathlib import Path


def read_csv_table(path: Path, what: str) -> tuple[list[str], list[dict[Any, Any]]]:
    """The header (names stripped) and rows of the CSV file at ``path`` (as
    :class:`csv.DictReader` gives them: cells past the header under the key ``None``).

    Raises
    ------
    ScenarioError
        Naming the file when it cannot be read as CSV (``cannot read {what}: …``).
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or ()]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ScenarioError([InputProblem(str(path), "", "", f"cannot read {what}: {error}")]) from None
    return header, rows
