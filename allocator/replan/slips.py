"""Quick slips from the command line: a later start, a grown estimate, a new earliest start."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allocator.problem.calendar import WorkingCalendar

if TYPE_CHECKING:
    from models import Plan, Scenario, Task

_SHIFT = re.compile(r"^\+?(\d+)\s*([dw]?)$")
_FACTOR = re.compile(r"^[x*]?\s*(\d+(?:\.\d+)?)$")


class SlipError(ValueError):
    """A slip that cannot be read or names an unknown task."""


@dataclass(frozen=True)
class Slip:
    """One change to a task: ``kind`` is ``slip`` (working days), ``effort`` (factor) or ``start`` (date)."""

    task: str
    kind: str
    days: int = 0
    factor: float = 1.0
    date: dt.date | None = None
    text: str = ""


def parse_slip(kind: str, text: str) -> Slip:
    """Read ``TASK=+10d`` (``slip``), ``TASK=x1.3`` (``effort``) or ``TASK=2027-02-01`` (``start``)."""
    task, sep, value = text.partition("=")
    task, value = task.strip(), value.strip()
    if not sep or not task or not value:
        raise SlipError(f"cannot read {text!r}; write TASK=VALUE")
    if kind == "slip":
        match = _SHIFT.match(value)
        if not match:
            raise SlipError(f"cannot read slip {value!r} of task '{task}'; write +10d (working days) or +2w")
        days = int(match.group(1)) * (5 if match.group(2) == "w" else 1)
        return Slip(task, kind, days=days, text=f"{task} starts {days} working days later")
    if kind == "effort":
        match = _FACTOR.match(value)
        if not match or float(match.group(1)) <= 0:
            raise SlipError(f"cannot read effort factor {value!r} of task '{task}'; write x1.3")
        factor = float(match.group(1))
        return Slip(task, kind, factor=factor, text=f"{task} effort x{factor:g}")
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise SlipError(f"cannot read start date {value!r} of task '{task}'; write YYYY-MM-DD") from None
    return Slip(task, kind, date=date, text=f"{task} starts no earlier than {date}")


def apply_slips(scenario: Scenario, baseline: Plan, as_of: dt.date, slips: list[Slip]) -> Scenario:
    """``scenario`` with every slip applied to its task.

    A slip of N working days moves the task's earliest start to N working days after its
    baseline start (or after the as-of date, whichever is later, for work already under way).
    """
    index = scenario.task_index()
    for slip in slips:
        if slip.task not in index:
            raise SlipError(f"unknown task '{slip.task}' in slip {slip.text!r}")
    planned = {tp.task: tp.start for tp in baseline.tasks}
    projects = []
    for project in scenario.projects:
        tasks = tuple(_slipped(scenario, task, planned, as_of, slips) for task in project.tasks)
        projects.append(project.model_copy(update={"tasks": tasks}))
    return scenario.model_copy(update={"projects": tuple(projects)})


def _slipped(
    scenario: Scenario, task: Task, planned: dict[str, dt.date], as_of: dt.date, slips: list[Slip]
) -> Task:
    for slip in (s for s in slips if s.task == task.id):
        if slip.kind == "effort":
            task = _scaled(task, slip.factor)
        elif slip.kind == "start":
            task = task.model_copy(update={"earliest_start": slip.date})
        else:
            base = max(planned.get(task.id, as_of), as_of)
            task = task.model_copy(update={"earliest_start": add_working_days(scenario, base, slip.days)})
    return task


def _scaled(task: Task, factor: float) -> Task:
    update: dict[str, object] = {}
    if task.effort is not None:
        update["effort"] = task.effort * factor
    if task.modes:
        update["modes"] = tuple(
            m.model_copy(update={"effort": m.effort * factor}) if m.effort is not None else m
            for m in task.modes
        )
    return task.model_copy(update=update)


def scale_progress_effort(remaining: float | None, task: str, slips: list[Slip]) -> float | None:
    """Remaining effort of a task in progress after the effort factors that name it."""
    if remaining is None:
        return None
    for slip in slips:
        if slip.task == task and slip.kind == "effort":
            remaining *= slip.factor
    return remaining


def add_working_days(scenario: Scenario, first: dt.date, days: int) -> dt.date:
    """The date ``days`` working days (scenario calendar) after ``first``."""
    calendar = WorkingCalendar(scenario.calendar, first, first + dt.timedelta(days=7 * (days // 5 + 3)))
    day = first
    while days > 0:
        day += dt.timedelta(days=1)
        days -= calendar.is_working_day(day)
    return day
