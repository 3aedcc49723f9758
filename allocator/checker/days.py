"""The checker's own calendar: timeline days, working days and presence, date by date.

Everything here is computed from the scenario alone, with the ``holidays`` package for
public holidays. It shares no code with the optimiser's calendar, so a fault there (a
holiday counted as a working day, leave forgotten, presence shifted) shows up as a broken
rule instead of passing on both sides. The rules are those of ``docs/planning-rules.md``
(*Time* and *Availability of a person*):

- A calendar works a date when the date's weekday is one of its working weekdays and the
  date is neither a public holiday of its country and subdivision nor a company day off.
- A person follows the scenario calendar; a person with their own ``country`` follows that
  country's public holidays (and their own ``subdivision``, if any) instead, with the
  scenario's working weekdays and company days off.
- Timeline days are the dates from the scenario start that some calendar in use works
  (the scenario's or a person's).
- On a timeline day a person is present for a whole percentage of the day: 0 when their
  calendar does not work it or outside their employment (``start``/``end``, both
  inclusive); otherwise ``100 * (1 - off)`` rounded to a whole percent, where ``off`` is
  the sum of the fractions of the time off covering the day, at most 1.

Ranges of days are half-open timeline indices ``[start, end)``; sums over them are one
subtraction of prefix sums, computed once per person.
"""

from __future__ import annotations

import bisect
import datetime as dt
import warnings
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING

import holidays

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from models import CalendarSpec, Person, Scenario

__all__ = ["TimelineDays", "holiday_dates", "person_calendar", "presence_on", "works_on"]


@lru_cache(maxsize=128)
def holiday_dates(country: str, subdivision: str | None, years: tuple[int, ...]) -> frozenset[dt.date]:
    """Public holidays of ``country`` (and ``subdivision``) in ``years``, from ``holidays``.

    Years the package has no data for have no holidays; its warning about them is muted.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = holidays.country_holidays(country, subdiv=subdivision, years=list(years))
    return frozenset(table.keys())


def person_calendar(scenario: Scenario, person: Person) -> CalendarSpec:
    """The calendar ``person`` works to.

    The scenario calendar, with the person's own country and subdivision where given; a
    person's missing subdivision is the scenario's when they are in the scenario's
    country, else none; a missing country is the scenario's.
    """
    base = scenario.calendar
    if person.country is None and person.subdivision is None:
        return base
    country = base.country if person.country is None else person.country
    region: str | None = person.subdivision
    if region is None and country == base.country:
        region = base.subdivision
    return base.model_copy(update={"country": country, "subdivision": region})


def works_on(spec: CalendarSpec, day: dt.date, public: frozenset[dt.date]) -> bool:
    """Whether the calendar ``spec`` works ``day``, given its public holidays ``public``."""
    if day.weekday() not in spec.working_weekdays or day in public:
        return False
    return not any(off.start <= day <= off.end for off in spec.days_off)


def presence_on(person: Person, day: dt.date) -> int:
    """Percent of ``day`` that ``person`` is present, assuming their calendar works it."""
    if person.start is not None and day < person.start:
        return 0
    if person.end is not None and day > person.end:
        return 0
    off = sum(leave.fraction for leave in person.time_off if leave.start <= day <= leave.end)
    return round(100 * (1.0 - min(off, 1.0)))


def _prefix(values: Iterable[int]) -> list[int]:
    """``result[i]`` is the sum of the first ``i`` values."""
    return [0, *accumulate(values)]


class TimelineDays:
    """Timeline days of a scenario up to ``last``, with working days and presence.

    Parameters
    ----------
    scenario
        The scenario whose calendars and people are read.
    last
        Last date the timeline reaches (the plan's horizon).
    """

    def __init__(self, scenario: Scenario, last: dt.date) -> None:
        self.scenario = scenario
        first = scenario.start
        self._years = tuple(range(first.year, max(first, last).year + 1))
        every = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        in_use = {scenario.calendar, *(person_calendar(scenario, p) for p in scenario.people)}
        flags = {spec: self._flags(spec, every) for spec in in_use}
        kept = [n for n in range(len(every)) if any(worked[n] for worked in flags.values())]
        self.dates: list[dt.date] = [every[n] for n in kept]
        self._index = {day: n for n, day in enumerate(self.dates)}
        self._working = {spec: [worked[n] for n in kept] for spec, worked in flags.items()}
        self._scenario_prefix = _prefix(int(w) for w in self.working(scenario.calendar))
        self._presence: dict[str, list[int]] = {}
        self._presence_prefix: dict[str, list[int]] = {}

    def _flags(self, spec: CalendarSpec, days: Sequence[dt.date]) -> list[bool]:
        public = holiday_dates(spec.country, spec.subdivision, self._years) if spec.country else frozenset()
        return [works_on(spec, day, public) for day in days]

    def __len__(self) -> int:
        return len(self.dates)

    def date(self, index: int) -> dt.date:
        """Date of timeline day ``index``."""
        return self.dates[index]

    def index(self, day: dt.date) -> int | None:
        """Index of ``day`` when it is a timeline day, else ``None``."""
        return self._index.get(day)

    def on_or_after(self, day: dt.date) -> int:
        """Index of the first timeline day on or after ``day`` (``len`` when past the end)."""
        return bisect.bisect_left(self.dates, day)

    def on_or_before(self, day: dt.date) -> int:
        """Index of the last timeline day on or before ``day`` (-1 when before the start)."""
        return bisect.bisect_right(self.dates, day) - 1

    def working(self, spec: CalendarSpec) -> list[bool]:
        """Per timeline day, whether the calendar ``spec`` works it."""
        if spec not in self._working:
            self._working[spec] = self._flags(spec, self.dates)
        return self._working[spec]

    def presence(self, person: Person) -> list[int]:
        """Per timeline day, the percent of the day ``person`` is present (0 to 100)."""
        if person.id not in self._presence:
            worked = self.working(person_calendar(self.scenario, person))
            self._presence[person.id] = [
                presence_on(person, day) if works else 0
                for day, works in zip(self.dates, worked, strict=True)
            ]
        return self._presence[person.id]

    def presence_days(self, person: Person, start: int, end: int) -> float:
        """Days ``person`` is present in ``[start, end)``; a partial day counts its share."""
        if person.id not in self._presence_prefix:
            self._presence_prefix[person.id] = _prefix(self.presence(person))
        prefix = self._presence_prefix[person.id]
        return (prefix[end] - prefix[start]) / 100

    def scenario_working_days(self, start: int, end: int) -> int:
        """Days in ``[start, end)`` the scenario calendar works (a contractor's days)."""
        return self._scenario_prefix[end] - self._scenario_prefix[start]

    def late_days(self, end: int, deadline: dt.date | None) -> int:
        """Timeline days an end ``E`` lies past ``deadline``: ``max(0, E - d - 1)``, ``d`` the
        last timeline day on or before it (0 without a deadline)."""
        if deadline is None:
            return 0
        return max(0, end - self.on_or_before(deadline) - 1)
