"""The scenario: everything the optimiser needs to make a plan."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from models.base import DomainModel
from models.calendar import CalendarSpec
from models.ids import Identifier
from models.objective import ObjectiveConfig, SolverSettings
from models.progress import Progress
from models.project import Allocation, Project, Task
from models.resources import OvertimePolicy, Person, SharedResource, Vendor
from models.risk import RiskSpec

if TYPE_CHECKING:
    from collections.abc import Iterator


class Scenario(DomainModel):
    """People, vendors, shared resources and projects over a planning window.

    Parameters
    ----------
    start
        First day of the plan.
    end
        Last day of the planning window (a quarter's end). Work may run past it when
        it cannot fit; the plan then reports it as late or outside the window.
    currency
        Currency of all money amounts (reporting only).
    allocations
        Default allowed allocation levels, in percent of a full-time day.
    overtime_policy
        The terms on which ``allocator advise`` may propose overtime to people without
        any (``None``: it proposes none). Plans use only the people's own ``overtime``.
    """

    name: str = "scenario"
    start: dt.date
    end: dt.date
    currency: str = "EUR"
    calendar: CalendarSpec = Field(default_factory=CalendarSpec)
    allocations: tuple[Allocation, ...] = (50, 100)
    people: tuple[Person, ...] = ()
    vendors: tuple[Vendor, ...] = ()
    resources: tuple[SharedResource, ...] = ()
    projects: tuple[Project, ...] = ()
    objective: ObjectiveConfig = Field(default_factory=ObjectiveConfig)
    solver: SolverSettings = Field(default_factory=SolverSettings)
    extends: Identifier | None = None
    progress: Progress | None = None  #: progress as of a date, for re-planning
    risk: RiskSpec | None = None  #: estimate rules, risk events and drivers (``docs/risk.md``)
    overtime_policy: OvertimePolicy | None = None

    @model_validator(mode="after")
    def _window(self) -> Scenario:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def tasks(self) -> Iterator[tuple[Project, Task]]:
        """Every task with its project, in file order."""
        for project in self.projects:
            for task in project.tasks:
                yield project, task

    def task_index(self) -> dict[str, tuple[Project, Task]]:
        """Tasks by id."""
        return {task.id: (project, task) for project, task in self.tasks()}

    def person_index(self) -> dict[str, Person]:
        """People by id."""
        return {person.id: person for person in self.people}

    def vendor_index(self) -> dict[str, Vendor]:
        """Vendors by id."""
        return {vendor.id: vendor for vendor in self.vendors}
