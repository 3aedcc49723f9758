"""Figures a report shows, derived from a plan and (when given) its scenario.

Everything here is plain data (pandas frames and dicts); charts and sheets only draw it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from allocator.problem.calendar import WorkingCalendar, date_range
from allocator.report.colours import project_colours
from allocator.report.solver import project_bounds

if TYPE_CHECKING:
    from collections.abc import Callable

    from models import Plan, ProjectBound, Scenario, TaskPlan

#: Columns of :meth:`ReportData.skill_months`.
SKILL_MONTH_COLUMNS = ("month", "skill", "staff_days", "vendor_days", "capacity_days")
#: Columns of :meth:`ReportData.vendor_weeks`.
VENDOR_WEEK_COLUMNS = ("week_start", "vendor", "days", "cost")


def iso_week(day: dt.date) -> str:
    """The ISO week of ``day`` as plans write it, e.g. ``2027-W03``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_start(day: dt.date) -> dt.date:
    """The first day of the month of ``day``."""
    return day.replace(day=1)


@dataclass
class ReportData:
    """A plan with what the report derives from it.

    Parameters
    ----------
    plan
        The plan to show.
    scenario
        The scenario it was made for; adds dependencies, leave, skill capacity and
        task names. Without it those parts are left out.
    """

    plan: Plan
    scenario: Scenario | None = None
    colours: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.colours = project_colours(p.project for p in self.plan.projects)

    @cached_property
    def is_working_day(self) -> Callable[[dt.date], bool]:
        """The organisation's working days (weekdays when there is no scenario)."""
        if self.scenario is None:
            return lambda day: day.weekday() < 5
        first, last = self.span
        return WorkingCalendar(self.scenario.calendar, first, last).is_working_day

    @cached_property
    def span(self) -> tuple[dt.date, dt.date]:
        """First and last day any task or load of the plan touches."""
        days = [t.start for t in self.plan.tasks] + [t.finish for t in self.plan.tasks]
        days += [load.week_start for load in self.plan.loads]
        if self.scenario is not None:
            days += [self.scenario.start, self.scenario.end]
        if not days:
            today = self.plan.created.date()
            return today, today
        return min(days), max(days)

    @cached_property
    def vendor_ids(self) -> frozenset[str]:
        """Resources that are vendors."""
        ids = {use.vendor for use in self.plan.vendors}
        ids |= {a.resource for t in self.plan.tasks for a in t.assignments if a.kind == "vendor"}
        return frozenset(ids)

    @cached_property
    def project_bounds(self) -> dict[str, ProjectBound]:
        """Per project, the lateness every plan must accept (projects with a proven bound)."""
        return project_bounds(self.plan)

    @cached_property
    def task_names(self) -> dict[str, str]:
        """Task id -> display name (the id when the scenario gives none)."""
        names = {t.task: t.task for t in self.plan.tasks}
        if self.scenario is not None:
            names.update({task.id: task.name or task.id for _, task in self.scenario.tasks()})
        return names

    @cached_property
    def person_names(self) -> dict[str, str]:
        """Person or vendor id -> display name; names two share are followed by the id."""
        names: dict[str, str] = {}
        if self.scenario is not None:
            names.update({p.id: p.name or p.id for p in self.scenario.people})
            names.update({v.id: v.name or v.id for v in self.scenario.vendors})
        counts = Counter(names.values())
        return {ident: name if counts[name] == 1 else f"{name} ({ident})" for ident, name in names.items()}

    def dependencies(self) -> list[tuple[str, str]]:
        """``(predecessor, successor)`` pairs of planned tasks, from the scenario."""
        if self.scenario is None:
            return []
        planned = {t.task for t in self.plan.tasks}
        return [
            (dep.task, task.id)
            for _, task in self.scenario.tasks()
            for dep in task.after
            if task.id in planned and dep.task in planned
        ]

    def people(self) -> list[str]:
        """People with weekly loads, in plan order (vendors left out)."""
        seen = dict.fromkeys(load.resource for load in self.plan.loads)
        return [person for person in seen if person not in self.vendor_ids]

    def working_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Working days from ``first`` to ``last`` inclusive."""
        return [day for day in date_range(first, last) if self.is_working_day(day)]

    def leave_by_week(self) -> dict[tuple[str, str], float]:
        """Days of leave per ``(person, ISO week)`` on working days, from the scenario."""
        leave: dict[tuple[str, str], float] = defaultdict(float)
        if self.scenario is None:
            return leave
        first, last = self.span
        for person in self.scenario.people:
            for off in person.time_off:
                for day in self.working_days(max(off.start, first), min(off.end, last)):
                    leave[(person.id, iso_week(day))] += off.fraction
        return leave

    def _task_days(self, task: TaskPlan) -> list[dt.date]:
        return self.working_days(task.start, task.finish) or [task.start]

    def skill_months(self) -> pd.DataFrame:
        """Demand for each skill per month (staff and vendor person-days) and staff capacity.

        Demand spreads each assignee's effort evenly over the task's working days.
        Capacity counts every person who has the skill at any level, so a person
        with several skills counts towards each of them.
        """
        demand: dict[tuple[dt.date, str, str], float] = defaultdict(float)
        for task in self.plan.tasks:
            days = self._task_days(task)
            for row in task.assignments:
                effort = row.effort or row.allocation / 100 * row.count * len(days)
                for day in days:
                    demand[(month_start(day), row.skill or "unspecified", row.kind)] += effort / len(days)
        capacity = self._skill_capacity()
        keys = sorted({(m, s) for m, s, _ in demand} | set(capacity))
        rows = [
            (
                m,
                s,
                demand.get((m, s, "person"), 0.0),
                demand.get((m, s, "vendor"), 0.0),
                capacity.get((m, s), 0.0),
            )
            for m, s in keys
        ]
        return pd.DataFrame(rows, columns=list(SKILL_MONTH_COLUMNS))

    def _skill_capacity(self) -> dict[tuple[dt.date, str], float]:
        capacity: dict[tuple[dt.date, str], float] = defaultdict(float)
        if self.scenario is None:
            return capacity
        people = self.scenario.person_index()
        for load in self.plan.loads:
            person = people.get(load.resource)
            if person is None:
                continue
            # A week belongs to the month of its Thursday, as ISO weeks belong to years.
            month = month_start(load.week_start + dt.timedelta(days=3))
            for skill in person.skills:
                capacity[(month, skill)] += load.capacity_days
        return capacity

    def vendor_weeks(self) -> pd.DataFrame:
        """Contractor-days and spend per vendor and week (week of its Monday)."""
        rates = {use.vendor: use.cost / use.days for use in self.plan.vendors if use.days}
        used: dict[tuple[dt.date, str], float] = defaultdict(float)
        for task in self.plan.tasks:
            vendor_rows = [row for row in task.assignments if row.kind == "vendor"]
            if not vendor_rows:
                continue
            for day in self._task_days(task):
                monday = day - dt.timedelta(days=day.weekday())
                for row in vendor_rows:
                    used[(monday, row.resource)] += row.count * row.allocation / 100
        rows = [
            (week, vendor, days, days * rates.get(vendor, 0.0))
            for (week, vendor), days in sorted(used.items())
        ]
        return pd.DataFrame(rows, columns=list(VENDOR_WEEK_COLUMNS))
