"""What a status report or a review measures: scenario, baseline, progress and bookings, checked together.

Every problem is reported at once, naming file, row and column: unknown tasks, people
or vendors, duplicate rows, dates outside the plan or after the as-of date, a booking
of more days than a week has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allocator.io import InputProblem, ScenarioError
from allocator.io.errors import unknown
from allocator.replan.progress_io import read_actuals_csv

if TYPE_CHECKING:
    from pathlib import Path

    from models import Plan, Scenario
    from models.progress import Progress, TaskProgress
    from models.status import Booking

#: A person cannot book more days than a week has.
DAYS_PER_WEEK = 7.0


@dataclass(frozen=True)
class Measured:
    """A plan and what happened to it, as of a date.

    Attributes
    ----------
    scenario, baseline
        The scenario and the plan people worked to.
    progress
        Where each task stands (tasks not listed have not started).
    bookings
        Effort booked per person, task and week (empty when not given).
    as_of
        The date the progress describes.
    """

    scenario: Scenario
    baseline: Plan
    progress: Progress
    bookings: tuple[Booking, ...]
    as_of: dt.date

    def by_task(self) -> dict[str, TaskProgress]:
        """Progress entries by task id."""
        return self.progress.by_task()


def plan_last_day(scenario: Scenario, baseline: Plan) -> dt.date:
    """The last day of the plan: the scenario's end or the baseline's latest finish."""
    return max([scenario.end, *(tp.finish for tp in baseline.tasks)])


def read_measured(
    scenario: Scenario,
    baseline: Plan,
    actuals: Path,
    bookings_path: Path | None,
    as_of: dt.date,
) -> Measured:
    """Read and check the actuals and bookings of ``baseline``.

    Raises
    ------
    ScenarioError
        With every problem of both files.
    """
    from allocator.status.bookings_io import read_bookings_csv

    progress = read_actuals_csv(actuals)
    bookings = read_bookings_csv(bookings_path) if bookings_path is not None else ()
    measured = Measured(scenario, baseline, progress, bookings, as_of)
    problems = [
        *as_of_problems(measured, str(actuals)),
        *progress_row_problems(measured, str(actuals)),
        *booking_problems(measured, str(bookings_path)),
    ]
    if problems:
        raise ScenarioError(problems)
    return measured


def as_of_problems(measured: Measured, file: str) -> list[InputProblem]:
    """The as-of date outside the plan."""
    first, last = measured.scenario.start, plan_last_day(measured.scenario, measured.baseline)
    if first <= measured.as_of <= last:
        return []
    message = f"as-of date {measured.as_of} is outside the plan, {first} to {last}"
    return [InputProblem(file, "progress", "as_of", message)]


def progress_row_problems(measured: Measured, file: str) -> list[InputProblem]:
    """Unknown or repeated tasks, unknown assignees, dates outside the plan, in each actuals row."""
    scenario, problems = measured.scenario, []
    tasks = scenario.task_index()
    planned = {tp.task for tp in measured.baseline.tasks}
    resources = set(scenario.person_index()) | set(scenario.vendor_index())
    seen: set[str] = set()
    for row, entry in enumerate(measured.progress.tasks, start=2):
        entity = f"progress of task '{entry.task}'"
        if entry.task not in tasks:
            problems.append(InputProblem(file, entity, "task", unknown("task", entry.task, tasks), row))
            continue
        if entry.task not in planned:
            problems.append(InputProblem(file, entity, "task", "task is not in the baseline plan", row))
        if entry.task in seen:
            problems.append(InputProblem(file, entity, "task", "task listed twice", row))
        seen.add(entry.task)
        problems.extend(
            InputProblem(file, entity, "assignees", unknown("person or vendor", who, resources), row)
            for who in entry.assignees or ()
            if who not in resources
        )
        problems.extend(_date_problems(measured, entry, file, row))
        if entry.status == "in_progress" and entry.remaining_effort is None and entry.remaining_days is None:
            message = "a task in progress needs remaining_effort (person-days) or remaining_days"
            problems.append(InputProblem(file, entity, "remaining_effort", message, row))
    return problems


def _date_problems(measured: Measured, entry: TaskProgress, file: str, row: int) -> list[InputProblem]:
    entity, problems = f"progress of task '{entry.task}'", []
    for column, day in (("actual_start", entry.actual_start), ("actual_finish", entry.actual_finish)):
        if day is None or (column == "actual_start" and entry.status == "not_started"):
            continue
        if day < measured.scenario.start:
            message = f"{day} is before the plan starts ({measured.scenario.start})"
            problems.append(InputProblem(file, entity, column, message, row))
        elif day > measured.as_of:
            problems.append(
                InputProblem(file, entity, column, f"{day} is after the as-of date {measured.as_of}", row)
            )
    return problems


def booking_problems(measured: Measured, file: str) -> list[InputProblem]:
    """Unknown people, vendors or tasks, repeated rows, weeks outside the plan, impossible days."""
    scenario, problems = measured.scenario, []
    tasks, people, vendors = scenario.task_index(), scenario.person_index(), scenario.vendor_index()
    first_week = scenario.start - dt.timedelta(days=scenario.start.weekday())
    seen: set[tuple[str, str, dt.date]] = set()
    for row, booking in enumerate(measured.bookings, start=2):
        entity = f"booking of '{booking.person}' on '{booking.task}'"
        if booking.person not in people and booking.person not in vendors:
            message = unknown("person or vendor", booking.person, [*people, *vendors])
            problems.append(InputProblem(file, entity, "person", message, row))
        if booking.task not in tasks:
            problems.append(InputProblem(file, entity, "task", unknown("task", booking.task, tasks), row))
        if not first_week <= booking.week <= measured.as_of:
            message = (
                f"week of {booking.week} is outside the plan to the as-of date, "
                f"{scenario.start} to {measured.as_of}"
            )
            problems.append(InputProblem(file, entity, "week", message, row))
        key = (booking.person, booking.task, booking.week)
        if key in seen:
            problems.append(InputProblem(file, entity, "week", "the same person, task and week twice", row))
        seen.add(key)
        if booking.person in people and booking.days > DAYS_PER_WEEK:
            message = f"{booking.days:g} days in one week; a week has {DAYS_PER_WEEK:g}"
            problems.append(InputProblem(file, entity, "days", message, row))
    return problems
