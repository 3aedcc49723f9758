"""Presence per timeline day: the working days of each calendar are computed once per timeline.

Presence must be what a day-by-day evaluation of the calendar, the employment dates and
the leave gives.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from allocator.problem.calendar import Timeline, WorkingCalendar, person_calendar_spec
from models import CalendarSpec, Person, TimeOff
from models.calendar import DateRange
from tests.solver_helpers import MONDAY, person, project, scenario, task


def _day_by_day(cal: WorkingCalendar, who: Person, day: dt.date) -> int:
    if not cal.is_working_day(day):
        return 0
    if (who.start and day < who.start) or (who.end and day > who.end):
        return 0
    off = sum(t.fraction for t in who.time_off if t.contains(day))
    return max(0, round(100 * (1.0 - min(off, 1.0))))


def _date(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


@settings(max_examples=40, deadline=None)
@given(
    leave=st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 6), st.sampled_from([1.0, 0.5, 0.25])), max_size=3
    ),
    start=st.none() | st.integers(0, 20),
    end=st.none() | st.integers(20, 50),
    country=st.sampled_from([None, "GB", "DE"]),
    shutdown=st.none() | st.integers(0, 40),
)
@example(leave=[], start=None, end=25, country=None, shutdown=None)  # leaves, no leave
@example(leave=[], start=10, end=None, country="GB", shutdown=3)  # joins
@example(leave=[(5, 2, 0.5), (6, 3, 1.0)], start=None, end=None, country=None, shutdown=None)
def test_presence_is_the_day_by_day_presence(leave, start, end, country, shutdown) -> None:
    days_off = () if shutdown is None else (DateRange(start=_date(shutdown), end=_date(shutdown + 2)),)
    who = person(
        "ana",
        time_off=tuple(TimeOff(start=_date(o), end=_date(o + n), fraction=f) for o, n, f in leave),
        start=None if start is None else _date(start),
        end=None if end is None else _date(end),
        country=country,
    )
    the_scenario = scenario(project("p", task("t")), people=(who, person("bo")), weeks=8).model_copy(
        update={"calendar": CalendarSpec(days_off=days_off)}
    )
    timeline = Timeline(the_scenario, _date(70))
    for member in the_scenario.people:
        cal = timeline.calendar(person_calendar_spec(the_scenario, member))
        expected = [_day_by_day(cal, member, day) for day in timeline.dates]
        assert timeline.availability(the_scenario, member) == expected


def test_a_persons_country_and_region_default_to_the_scenarios_in_the_optimiser_and_the_checker() -> None:
    """Scenario Bavaria (DE-BY). Epiphany, 6 Jan 2027, is a holiday there but not in Berlin.
    A person naming only DE keeps Bavaria's holidays; one naming only the region BE gets
    Berlin's within Germany; one in GB has no Bavarian region (and works 6 Jan)."""
    from allocator.checker.days import TimelineDays

    epiphany = dt.date(2027, 1, 6)
    staff = (
        person("de", country="DE"),
        person("be", subdivision="BE"),
        person("gb", country="GB"),
    )
    the_scenario = scenario(project("p", task("t")), people=staff, country="DE", subdivision="BY")
    timeline = Timeline(the_scenario, MONDAY + dt.timedelta(days=20))
    checker = TimelineDays(the_scenario, MONDAY + dt.timedelta(days=20))
    day = timeline.index(epiphany)
    assert day is not None and checker.dates[day] == epiphany
    expected = {"de": 0, "be": 100, "gb": 100}
    for who in staff:
        assert (
            person_calendar_spec(the_scenario, who).subdivision
            == {"de": "BY", "be": "BE", "gb": None}[who.id]
        )
        assert timeline.availability(the_scenario, who)[day] == expected[who.id]
        assert checker.presence(who)[day] == expected[who.id]
