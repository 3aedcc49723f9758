"""Bookings input: a CSV of effort booked per person, task and week.

Columns ``person,task,week,days``: ``person`` is a person's id or a vendor's (then
``days`` are contractor-days of all its contractors together), ``week`` an ISO week
(``2027-W03``) or any date in the week, ``days`` the person-days booked in it. Every
unreadable cell is reported at once, naming file, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from pydantic import ValidationError

from allocator.io import InputProblem, ScenarioError
from allocator.io.csv_table import read_csv_table
from models.status import Booking

if TYPE_CHECKING:
    from pathlib import Path

#: Columns of a bookings CSV, all required.
BOOKING_COLUMNS = ("person", "task", "week", "days")
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)


def parse_week(text: str) -> dt.date:
    """The Monday of the week ``text`` names: ``2027-W03`` or a date inside the week.

    Raises
    ------
    ValueError
        When ``text`` is neither.
    """
    text = text.strip()
    match = _ISO_WEEK.match(text)
    if match:
        return dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"cannot read week {text!r}; write 2027-W03 or a date") from None
    return day - dt.timedelta(days=day.weekday())


def read_bookings_csv(path: Path) -> tuple[Booking, ...]:
    """Bookings from a CSV file (see the module docstring).

    Raises
    ------
    ScenarioError
        Naming the row and column of every unreadable cell.
    """
    file = str(path)
    header, rows = read_csv_table(path, "bookings")
    problems = _header_problems(header, file)
    if problems:
        raise ScenarioError(problems)
    bookings = []
    for number, row in enumerate(rows, start=2):
        booking = _row_booking(row, file, number, problems)
        if booking is not None:
            bookings.append(booking)
    if problems:
        raise ScenarioError(problems)
    return tuple(bookings)


def _header_problems(header: list[str], file: str) -> list[InputProblem]:
    expected = ", ".join(BOOKING_COLUMNS)
    problems = [
        InputProblem(file, "", name, f"unknown column; use {expected}", 1)
        for name in header
        if name not in BOOKING_COLUMNS
    ]
    problems.extend(
        InputProblem(file, "", name, "missing column", 1) for name in BOOKING_COLUMNS if name not in header
    )
    return problems


def _row_booking(
    row: dict[str | None, str | list[str] | None], file: str, number: int, problems: list[InputProblem]
) -> Booking | None:
    if None in row:
        problems.append(InputProblem(file, "booking", "", "more cells than columns", number))
        return None
    cells = {str(k).strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str | None)}
    entity = f"booking of '{cells.get('person', '')}' on '{cells.get('task', '')}'"
    data: dict[str, object] = {k: v for k, v in cells.items() if v}
    if "week" in data:
        try:
            data["week"] = parse_week(str(data["week"]))
        except ValueError as error:
            problems.append(InputProblem(file, entity, "week", str(error), number))
            return None
    try:
        return Booking.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            column = ".".join(str(part) for part in detail["loc"])
            problems.append(InputProblem(file, entity, column, detail["msg"], number))
        return None
