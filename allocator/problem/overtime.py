"""Overtime in integer form: what a booking with overtime delivers, costs and uses of the cap.

A person allowed ``H`` overtime hours per week, on a contract week of ``W`` hours over
``n`` working weekdays, who is booked with overtime at allocation ``a`` on an
effort-driven task delivers ``a x (1 + H/W)`` of a day on each day they are present
(``docs/planning-rules.md``, *Overtime*). In effort units a booking of ``units`` at
contract (allocation percent x presence percent) brings ``units x H/W`` units more, for
``units / EFFORT_SCALE x H/n`` overtime hours, paid at the person's day rate times the
multiplier.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from allocator.problem.data import EFFORT_SCALE, OvertimeData

if TYPE_CHECKING:
    from collections.abc import Iterable

    from allocator.problem.data import Problem
    from allocator.problem.schedule import TaskChoice
    from models import CalendarSpec, Person

#: Overtime hours (per week, the cap, the contract week) are counted in 1/100 hour.
HOURS_SCALE = 100
#: The cost multiplier is counted in percent.
MULTIPLIER_SCALE = 100


def overtime_data(person: Person, calendar: CalendarSpec, rate: int) -> OvertimeData | None:
    """Integer overtime terms of ``person`` (day rate ``rate`` in cents); ``None`` without overtime."""
    if person.overtime is None or not person.overtime.allowed:
        return None
    terms = person.overtime
    share = round(terms.hours_per_week * HOURS_SCALE)
    week = round(calendar.hours_per_week * HOURS_SCALE)
    weekdays = len(calendar.working_weekdays)
    # Money units per effort unit: rate (cents) x H/W x multiplier / 100 (see MONEY_SCALE).
    num = rate * share * round(terms.cost_multiplier * MULTIPLIER_SCALE)
    den = week * MULTIPLIER_SCALE * 100
    common = math.gcd(num, den) or 1
    cap = None
    if terms.max_hours is not None:
        cap = round(terms.max_hours * HOURS_SCALE) * EFFORT_SCALE * weekdays // max(1, share)
    return OvertimeData(share, week, weekdays, num // common, den // common, cap)


def booking_units(problem: Problem, person: str, allocation: int, start: int, end: int) -> int:
    """Effort units at contract of a booking at ``allocation`` over ``[start, end)``."""
    prefix = problem.presence_prefix[problem.people[person].presence_class]
    return allocation * (prefix[end] - prefix[start])


def extra_effort(terms: OvertimeData, units: int) -> int:
    """Effort units overtime adds to a booking of ``units`` at contract (rounded down)."""
    return units * terms.share_hours // terms.week_hours


def overtime_cost(terms: OvertimeData, units: int) -> int:
    """Money units of the overtime of a booking of ``units`` at contract (rounded up)."""
    return -(-units * terms.cost_num // terms.cost_den)


def overtime_hours(terms: OvertimeData, units: int) -> float:
    """Overtime hours of a booking of ``units`` at contract."""
    return units / EFFORT_SCALE * terms.share_hours / HOURS_SCALE / terms.weekdays


def overtime_allocation(problem: Problem, choice: TaskChoice, person: str) -> int:
    """Allocation percent overtime adds to a person's booking on ``choice`` (rounded down;
    0 at contract): ``a x H/W``."""
    terms = problem.people[person].overtime
    if person not in choice.overtime or terms is None:
        return 0
    return extra_effort(terms, choice.people[person][0])


def choice_overtime_units(problem: Problem, choice: TaskChoice) -> dict[str, int]:
    """Effort units at contract of each booking of ``choice`` marked with overtime, by person.

    Only effort-driven modes gain from overtime; bookings on other modes count none.
    """
    if not choice.overtime or not problem.tasks[choice.task].modes[choice.mode].is_effort:
        return {}
    return {
        pid: booking_units(problem, pid, choice.people[pid][0], choice.start, choice.end)
        for pid in sorted(choice.overtime)
        if pid in choice.people and problem.people[pid].overtime is not None
    }


def choice_overtime_cost(problem: Problem, choice: TaskChoice) -> int:
    """Money units of the overtime booked on ``choice``."""
    total = 0
    for pid, units in choice_overtime_units(problem, choice).items():
        terms = problem.people[pid].overtime
        assert terms is not None
        total += overtime_cost(terms, units)
    return total


def uplifted(units: Any, numerator: Any, week: int) -> Any:
    """``units x numerator / week``, rounded up: a delivery raised by :func:`delivery_uplift`
    (integers, or numpy arrays of them)."""
    return -(-units * numerator // week)


def delivery_uplift(problem: Problem, people: Iterable[str]) -> tuple[list[int], int] | None:
    """Per person the most a booking of theirs can deliver, as ``numerator / denominator``
    times its units at contract: ``(W + H) / W`` for people allowed overtime, ``W / W``
    otherwise. ``None`` when nobody in ``people`` may work overtime (their bookings
    deliver exactly their units), so bounds stay as they are without overtime."""
    terms = [problem.people[pid].overtime for pid in people]
    weeks = {t.week_hours for t in terms if t is not None}
    if not weeks:
        return None
    week = weeks.pop()
    return [week + t.share_hours if t is not None else week for t in terms], week
