"""What-if variants: a base scenario plus a list of named, typed changes.

A variant file names the scenario it is derived from (``extends``) and lists the
changes to make to it. Each change is one of the models below, told apart by its
``type``. Identifiers are checked against the base scenario when the changes are
applied (see :mod:`allocator.whatif.changes`); the models check the shape only.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from models.base import DomainModel
from models.ids import Identifier
from models.project import DeadlineType, Project
from models.resources import Overtime, Person, Vendor


class ChangeBase(DomainModel):
    """Fields every change has.

    Parameters
    ----------
    name
        A label shown in comparisons instead of the generated description.
    """

    name: str = ""


class DateShift(ChangeBase):
    """A change that moves a date: to a given date, or by calendar days and weeks.

    Exactly one of ``to`` or a shift (``days`` and/or ``weeks``) is given; the shift
    may be negative (``weeks: -2`` pulls a deadline in by a fortnight).
    """

    to: dt.date | None = None
    days: int | None = None
    weeks: int | None = None

    @model_validator(mode="after")
    def _one_way(self) -> DateShift:
        shifted = self.days is not None or self.weeks is not None
        if self.to is not None and shifted:
            raise ValueError("give either 'to' (a date) or a shift in 'days' / 'weeks', not both")
        if self.to is None and not shifted:
            raise ValueError("give 'to' (a date) or a shift in 'days' / 'weeks'")
        return self

    @property
    def shift_days(self) -> int:
        """The shift in calendar days (0 when moving to a date)."""
        return (self.days or 0) + 7 * (self.weeks or 0)

    def moved(self, day: dt.date | None, fallback: dt.date) -> dt.date:
        """The new date for ``day`` (``fallback`` when there was none)."""
        if self.to is not None:
            return self.to
        return (day or fallback) + dt.timedelta(days=self.shift_days)


class AddPerson(ChangeBase):
    """A hire: a new person, optionally joining on ``start``."""

    type: Literal["add-person"]
    person: Person
    start: dt.date | None = None


class RemovePerson(ChangeBase):
    """A leaver: the person's last day is the day before ``from``; without it they are gone."""

    type: Literal["remove-person"]
    person: Identifier
    from_: dt.date | None = Field(default=None, alias="from")


class AddTimeOff(ChangeBase):
    """Leave for one person, ``start`` to ``end`` inclusive."""

    type: Literal["time-off"]
    person: Identifier
    start: dt.date
    end: dt.date
    fraction: float = Field(default=1.0, gt=0.0, le=1.0)
    reason: str = "what-if"

    @model_validator(mode="after")
    def _ordered(self) -> AddTimeOff:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class CapacityChange(ChangeBase):
    """A new FTE and/or reserve for one person."""

    type: Literal["capacity"]
    person: Identifier
    fte: float | None = Field(default=None, gt=0.0, le=1.0)
    reserve: float | None = Field(default=None, ge=0.0, lt=1.0)

    @model_validator(mode="after")
    def _something(self) -> CapacityChange:
        if self.fte is None and self.reserve is None:
            raise ValueError("give 'fte' and/or 'reserve'")
        return self


class OvertimeChange(ChangeBase):
    """Overtime a person may work (replacing what they had)."""

    type: Literal["overtime"]
    person: Identifier
    overtime: Overtime


class AddVendor(ChangeBase):
    """A new vendor under contract."""

    type: Literal["add-vendor"]
    vendor: Vendor


class VendorChange(ChangeBase):
    """New headcount, day rate, spend cap or lead time of a vendor; ``spend_cap_factor`` scales the cap."""

    type: Literal["vendor"]
    vendor: Identifier
    headcount: int | None = Field(default=None, ge=0)
    day_rate: float | None = Field(default=None, ge=0.0)
    spend_cap: float | None = Field(default=None, ge=0.0)
    spend_cap_factor: float | None = Field(default=None, ge=0.0)
    lead_time_days: int | None = Field(default=None, ge=0)  #: an earlier (or later) engagement

    @model_validator(mode="after")
    def _something(self) -> VendorChange:
        given = [self.headcount, self.day_rate, self.spend_cap, self.spend_cap_factor, self.lead_time_days]
        if all(value is None for value in given):
            raise ValueError(
                "give at least one of headcount, day_rate, spend_cap, spend_cap_factor, lead_time_days"
            )
        if self.spend_cap is not None and self.spend_cap_factor is not None:
            raise ValueError("give spend_cap or spend_cap_factor, not both")
        return self


class Target(ChangeBase):
    """A change aimed at one task or one whole project (exactly one of the two)."""

    task: Identifier | None = None
    project: Identifier | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Target:
        if (self.task is None) == (self.project is None):
            raise ValueError("name exactly one of 'task' or 'project'")
        return self


class EffortChange(Target):
    """Effort of a task, or of every effort-driven task of a project: ``add`` days or ``factor``."""

    type: Literal["effort"]
    add: float | None = None
    factor: float | None = Field(default=None, gt=0.0)

    @model_validator(mode="after")
    def _one_amount(self) -> EffortChange:
        if (self.add is None) == (self.factor is None):
            raise ValueError("give exactly one of 'add' (person-days) or 'factor' (e.g. 1.4)")
        return self


class EarliestStart(Target, DateShift):
    """Delay (or bring forward) the earliest start of a task or project."""

    type: Literal["earliest-start"]


class DeadlineMove(Target, DateShift):
    """Move the deadline of a task or project; optionally make it hard or soft."""

    type: Literal["deadline"]
    deadline_type: DeadlineType | None = None


class PriorityChange(ChangeBase):
    """A new priority (weight of each late day) for a project."""

    type: Literal["priority"]
    project: Identifier
    priority: int = Field(ge=0)


class AddProject(ChangeBase):
    """A new project with its tasks (an urgent request, a new initiative)."""

    type: Literal["add-project"]
    project: Project


class DropProject(ChangeBase):
    """Take a project out of the portfolio; dependencies on its tasks are dropped too."""

    type: Literal["drop-project"]
    project: Identifier


class DeferProject(ChangeBase):
    """Make a project a candidate the optimiser may defer, worth ``value`` when planned."""

    type: Literal["defer-project"]
    project: Identifier
    value: float = Field(default=0.0, ge=0.0)


class Pin(ChangeBase):
    """A person who must work on a task."""

    type: Literal["pin"]
    task: Identifier
    person: Identifier


class Unpin(ChangeBase):
    """Release a pinned person from a task."""

    type: Literal["unpin"]
    task: Identifier
    person: Identifier


Change = Annotated[
    AddPerson
    | RemovePerson
    | AddTimeOff
    | CapacityChange
    | OvertimeChange
    | AddVendor
    | VendorChange
    | EffortChange
    | EarliestStart
    | DeadlineMove
    | PriorityChange
    | AddProject
    | DropProject
    | DeferProject
    | Pin
    | Unpin,
    Field(discriminator="type"),
]

#: Every change type, as written in ``type:``.
CHANGE_TYPES: tuple[str, ...] = (
    "add-person",
    "remove-person",
    "time-off",
    "capacity",
    "overtime",
    "add-vendor",
    "vendor",
    "effort",
    "earliest-start",
    "deadline",
    "priority",
    "add-project",
    "drop-project",
    "defer-project",
    "pin",
    "unpin",
)


class VariantSpec(DomainModel):
    """A variant file: the scenario it extends and the changes to make to it.

    Parameters
    ----------
    extends
        Path of the base scenario (or of another variant), relative to the variant file.
    name
        Name of the variant in comparisons (defaults to the file name).
    description
        One sentence on the question the variant answers.
    changes
        The changes, applied in order.
    """

    extends: Identifier
    name: str = ""
    description: str = ""
    changes: tuple[Change, ...] = ()
