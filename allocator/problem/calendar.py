"""Real dates to working days and back, per person.

The solver counts time in *timeline days*: the dates from the plan start that are
working days in at least one calendar in use (the scenario's or a person's own
country calendar). A public holiday of only one country stays on the timeline and
is simply a day off for the people of that country.
"""

from __future__ import annotations

import bisect
import datetime as dt
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays as holidays_lib

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from models import CalendarSpec, Person, Scenario


@lru_cache(maxsize=64)
def public_holidays(country: str, subdivision: str | None, years: tuple[int, ...]) -> frozenset[dt.date]:
    """Public holidays of a country (and subdivision) in the given years.

    Years the ``holidays`` package has no data for simply have none (it warns about
    them; the warning is not the user's concern, so it is kept off their terminal).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = holidays_lib.country_holidays(country, subdiv=subdivision, years=list(years))
        return frozenset(table.keys())


def _years(first: dt.date, last: dt.date) -> tuple[int, ...]:
    return tuple(range(first.year, last.year + 1))


def date_range(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    """Every date from ``first`` to ``last`` inclusive."""
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)


class WorkingCalendar:
    """Working days of one calendar: weekdays minus public holidays and company days off."""

    def __init__(self, spec: CalendarSpec, first: dt.date, last: dt.date) -> None:
        self.spec = spec
        self.holidays: frozenset[dt.date] = (
            public_holidays(spec.country, spec.subdivision, _years(first, last))
            if spec.country
            else frozenset()
        )

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is worked in this calendar."""
        if day.weekday() not in self.spec.working_weekdays or day in self.holidays:
            return False
        return not any(off.contains(day) for off in self.spec.days_off)


def person_calendar_spec(scenario: Scenario, person: Person) -> CalendarSpec:
    """The calendar of ``person``: the scenario's, with their own country and region if given.

    Each of ``country`` and ``subdivision`` defaults to the scenario's; the scenario's
    subdivision is kept only in the scenario's own country (a region of another country
    would mean nothing there).
    """
    if person.country is None and person.subdivision is None:
        return scenario.calendar
    country = person.country or scenario.calendar.country
    same_country = country == scenario.calendar.country
    subdivision = person.subdivision or (scenario.calendar.subdivision if same_country else None)
    return scenario.calendar.model_copy(update={"country": country, "subdivision": subdivision})


class Timeline:
    """The ordered timeline days of a scenario between its start and ``last``.

    Parameters
    ----------
    scenario
        The scenario whose calendars define the working days.
    last
        Last date the timeline may reach (the horizon).
    """

    def __init__(self, scenario: Scenario, last: dt.date) -> None:
        self.first = scenario.start
        self.last = last
        specs = {scenario.calendar} | {person_calendar_spec(scenario, p) for p in scenario.people}
        self._calendars = {spec: WorkingCalendar(spec, self.first, last) for spec in specs}
        default = self._calendars[scenario.calendar]
        self.dates: list[dt.date] = [
            day
            for day in date_range(self.first, last)
            if any(cal.is_working_day(day) for cal in self._calendars.values())
        ]
        self._index = {day: i for i, day in enumerate(self.dates)}
        self._working: dict[CalendarSpec, list[bool]] = {}
        self.default_calendar = default

    def __len__(self) -> int:
        return len(self.dates)

    def calendar(self, spec: CalendarSpec) -> WorkingCalendar:
        """The resolved calendar for ``spec`` (built on first use)."""
        if spec not in self._calendars:
            self._calendars[spec] = WorkingCalendar(spec, self.first, self.last)
        return self._calendars[spec]

    def day_on_or_after(self, day: dt.date) -> int:
        """Index of the first timeline day on or after ``day`` (``len`` when past the end)."""
        return bisect.bisect_left(self.dates, day)

    def day_on_or_before(self, day: dt.date) -> int:
        """Index of the last timeline day on or before ``day`` (-1 when before the start)."""
        return bisect.bisect_right(self.dates, day) - 1

    def index(self, day: dt.date) -> int | None:
        """Index of ``day`` if it is a timeline day."""
        return self._index.get(day)

    def date(self, index: int) -> dt.date:
        """Date of timeline day ``index``."""
        return self.dates[index]

    def availability(self, scenario: Scenario, person: Person) -> list[int]:
        """Per timeline day, the percent of the day ``person`` can work (0 to 100).

        Zero on their public holidays and days off, outside employment and on full
        days of leave; reduced on partial days of leave. Capacity (FTE, reserve) is
        not part of this: it caps allocation, not presence.
        """
        working = self.working_days(person_calendar_spec(scenario, person))
        if not (person.start or person.end or person.time_off):
            return [100 if worked else 0 for worked in working]  # present on every working day
        return [
            _presence(person, day) if worked else 0 for day, worked in zip(self.dates, working, strict=True)
        ]

    def working_days(self, spec: CalendarSpec) -> list[bool]:
        """Per timeline day, whether it is worked in the calendar ``spec`` (computed once per calendar)."""
        if spec not in self._working:
            cal = self.calendar(spec)
            self._working[spec] = [cal.is_working_day(day) for day in self.dates]
        return self._working[spec]


def _presence(person: Person, day: dt.date) -> int:
    """Percent of a working ``day`` that ``person`` is present: employment and leave."""
    if (person.start and day < person.start) or (person.end and day > person.end):
        return 0
    off = sum(t.fraction for t in person.time_off if t.contains(day))
    return max(0, round(100 * (1.0 - min(off, 1.0))))


def prefix_sums(values: Sequence[int]) -> list[int]:
    """``result[i]`` = sum of ``values[:i]``; length ``len(values) + 1``."""
    result = [0]
    for value in values:
        result.append(result[-1] + value)
    return result


class Workdays:
    """Presence per person and scenario-calendar working days on a timeline, by prefix sums.

    Each person's presence is computed once; any range of days is then one subtraction.

    Parameters
    ----------
    scenario
        The scenario whose people and calendar are read.
    timeline
        The days, as indexes.
    """

    def __init__(self, scenario: Scenario, timeline: Timeline) -> None:
        self.scenario = scenario
        self.timeline = timeline
        worked = [int(timeline.default_calendar.is_working_day(day)) for day in timeline.dates]
        self._scenario_days = prefix_sums(worked)
        self._presence: dict[str, list[int]] = {}
        self._presence_prefix: dict[str, list[int]] = {}

    def presence(self, person: Person) -> list[int]:
        """Per timeline day, the percent of the day ``person`` is present."""
        if person.id not in self._presence:
            self._presence[person.id] = self.timeline.availability(self.scenario, person)
        return self._presence[person.id]

    def presence_days(self, person: Person, start: int, end: int) -> float:
        """Days ``person`` is present in ``[start, end)``, partial days counting their fraction."""
        if person.id not in self._presence_prefix:
            self._presence_prefix[person.id] = prefix_sums(self.presence(person))
        prefix = self._presence_prefix[person.id]
        return (prefix[end] - prefix[start]) / 100

    def scenario_working_days(self, start: int, end: int) -> int:
        """Working days of the scenario calendar in ``[start, end)`` (a contractor's days)."""
        return self._scenario_days[end] - self._scenario_days[start]
