"""Calendars: working weekdays, public holidays, company days off, time off."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from models.base import DomainModel

Weekday = Annotated[int, Field(ge=0, le=6)]
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Hours of a full-time contract week when the calendar does not say.
DEFAULT_HOURS_PER_WEEK = 40.0


class DateRange(DomainModel):
    """A closed range of dates, ``start`` to ``end`` inclusive."""

    start: dt.date
    end: dt.date
    reason: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` lies inside the range."""
        return self.start <= day <= self.end


class TimeOff(DateRange):
    """Leave or absence of a person.

    Parameters
    ----------
    fraction
        Share of each working day in the range that is off: 1.0 for full days,
        0.5 for half days.
    """

    fraction: float = Field(default=1.0, gt=0.0, le=1.0)


class CalendarSpec(DomainModel):
    """A working calendar: which weekdays are worked and which dates are holidays.

    Parameters
    ----------
    country
        ISO 3166 country code for public holidays (``holidays`` package), e.g. ``"GB"``.
        ``None`` means no public holidays.
    subdivision
        Region within the country, e.g. ``"ENG"`` or ``"BY"``.
    working_weekdays
        Weekdays worked, as names (``mon`` .. ``sun``) or numbers (0 = Monday).
    days_off
        Company-wide days off (shutdowns, bridge days), as date ranges.
    hours_per_week
        Hours of a full-time contract week; overtime hours turn into shares of a day with it.
    """

    country: str | None = None
    subdivision: str | None = None
    working_weekdays: tuple[Weekday, ...] = (0, 1, 2, 3, 4)
    days_off: tuple[DateRange, ...] = ()
    hours_per_week: float = Field(default=DEFAULT_HOURS_PER_WEEK, gt=0.0, le=168.0)

    @field_validator("hours_per_week")
    @classmethod
    def _hundredths(cls, value: float) -> float:
        # Counted in 1/100 h by the optimiser; the checker reads the same rounded figure.
        return round(value, 2)

    @property
    def hours_per_day(self) -> float:
        """Hours of a full-time working day: the contract week over the working weekdays."""
        return self.hours_per_week / len(self.working_weekdays)

    @field_validator("working_weekdays", mode="before")
    @classmethod
    def _weekday_names(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return tuple(_weekday_number(v) for v in value)
        return value

    @field_validator("working_weekdays")
    @classmethod
    def _not_empty(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value:
            raise ValueError("at least one working weekday is needed")
        return tuple(sorted(set(value)))


def _weekday_number(value: object) -> object:
    if isinstance(value, str):
        key = value.strip().lower()[:3]
        if key in WEEKDAY_NAMES:
            return WEEKDAY_NAMES.index(key)
        raise ValueError(f"unknown weekday {value!r}; use mon, tue, wed, thu, fri, sat, sun")
    return value
