"""Projects, tasks, modes, skill requirements and dependencies."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from models.base import DomainModel
from models.ids import Identifier
from models.risk import Estimate

Allocation = Annotated[int, Field(ge=1, le=100)]
VendorPolicy = Literal["allowed", "never", "only"]
DeadlineType = Literal["hard", "soft"]


class Requirement(DomainModel):
    """A skill a task needs: at least ``people`` team members with ``skill`` at ``level`` or above."""

    skill: Identifier
    level: int = Field(default=1, ge=1, le=5)
    people: int = Field(default=1, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, value: object) -> object:
        """Accept ``"backend:3"`` or ``"backend"`` as well as a mapping."""
        if isinstance(value, str):
            name, _, level = value.partition(":")
            return {"skill": name.strip(), "level": int(level) if level.strip() else 1}
        return value


class TeamSize(DomainModel):
    """How many people (staff and contractors) may work on a task together."""

    min: int = Field(default=1, ge=0)
    max: int = Field(default=1, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        if isinstance(value, int):
            return {"min": value, "max": value}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> TeamSize:
        if self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self


class DependencyType(str, Enum):
    """Kinds of dependency between a predecessor and a successor task."""

    FS = "FS"  #: successor starts after predecessor finishes
    SS = "SS"  #: successor starts after predecessor starts
    FF = "FF"  #: successor finishes after predecessor finishes
    SF = "SF"  #: successor finishes after predecessor starts


class Dependency(DomainModel):
    """A dependency on another task (of any project), with a lag in working days."""

    task: Identifier
    type: DependencyType = DependencyType.FS
    lag: int = 0

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, value: object) -> object:
        """Accept ``"design"``, ``"design SS+2"`` or ``"design FS-1"``."""
        if not isinstance(value, str):
            return value
        parts = value.split()
        if len(parts) == 1:
            return {"task": parts[0]}
        if len(parts) != 2:
            raise ValueError(f"cannot read dependency {value!r}; write 'task' or 'task SS+2'")
        spec = parts[1].upper()
        kind, lag = spec[:2], spec[2:]
        return {"task": parts[0], "type": kind, "lag": int(lag) if lag else 0}


class Mode(DomainModel):
    """One way of doing a task. Fields left unset inherit from the task.

    Exactly one of ``effort`` (person-days, effort-driven) or ``duration``
    (working days, fixed-duration) is set once inherited.
    """

    name: Identifier = "default"
    effort: float | None = Field(default=None, gt=0.0)
    duration: int | None = Field(default=None, ge=0)
    requires: tuple[Requirement, ...] | None = None
    team: TeamSize | None = None
    allocations: tuple[Allocation, ...] | None = None
    resources: dict[Identifier, int] | None = None
    vendor: VendorPolicy | None = None
    cost: float = Field(default=0.0, ge=0.0)


class Task(DomainModel):
    """A unit of work in a project.

    Parameters
    ----------
    effort
        Person-days of work (effort-driven: the team and allocation set the duration).
    duration
        Working days the task lasts whoever does it (fixed-duration, e.g. a UAT window);
        its assignees are booked and present for the whole window.
    requires
        Skills needed, each with a minimum level and a number of people.
    team
        Team size range (staff plus contractors). Defaults to exactly the number of
        people the requirements name.
    allocations
        Allowed allocation levels in percent of a full-time day (defaults to the scenario's).
    after
        Dependencies on other tasks, of this or another project.
    resources
        Units of shared resources used while the task runs.
    pinned, excluded, preferred
        People who must, must not, or should preferably work on it.
    vendor
        Whether contractors may (``allowed``), may not (``never``) or must (``only``) do it.
    modes
        Alternative ways of doing the task; each inherits the fields it leaves unset.
    estimate
        A three-point estimate of the work, for risk analysis (``docs/risk.md``); plans
        are made with ``effort`` or ``duration``.
    """

    id: Identifier
    name: str = ""
    effort: float | None = Field(default=None, gt=0.0)
    duration: int | None = Field(default=None, ge=0)
    requires: tuple[Requirement, ...] = ()
    team: TeamSize | None = None
    allocations: tuple[Allocation, ...] | None = None
    after: tuple[Dependency, ...] = ()
    earliest_start: dt.date | None = None
    deadline: dt.date | None = None
    deadline_type: DeadlineType = "hard"
    resources: dict[Identifier, int] = Field(default_factory=dict)
    pinned: tuple[Identifier, ...] = ()
    excluded: tuple[Identifier, ...] = ()
    preferred: tuple[Identifier, ...] = ()
    vendor: VendorPolicy = "allowed"
    cost: float = Field(default=0.0, ge=0.0)
    modes: tuple[Mode, ...] = ()
    estimate: Estimate | None = None

    @field_validator("after", "requires", mode="before")
    @classmethod
    def _single_to_list(cls, value: object) -> object:
        if isinstance(value, str | dict):
            return [value]
        return value

    @model_validator(mode="after")
    def _work_defined(self) -> Task:
        if self.modes:
            names = [m.name for m in self.modes]
            if len(set(names)) != len(names):
                raise ValueError(f"mode names repeat: {names}")
            return self
        if (self.effort is None) == (self.duration is None):
            raise ValueError("give exactly one of effort (person-days) or duration (working days)")
        return self

    def resolved_modes(self, default_allocations: tuple[int, ...]) -> tuple[Mode, ...]:
        """Every mode with all fields filled, inheriting from the task and scenario defaults."""
        if not self.modes:
            return (self._fill(Mode(), default_allocations),)
        return tuple(self._fill(mode, default_allocations) for mode in self.modes)

    def _fill(self, mode: Mode, default_allocations: tuple[int, ...]) -> Mode:
        effort, duration = mode.effort, mode.duration
        if effort is None and duration is None:
            effort, duration = self.effort, self.duration
        requires = self.requires if mode.requires is None else mode.requires
        needed = sum(r.people for r in requires)
        team = mode.team or self.team or TeamSize(min=needed, max=max(needed, 1 if needed else 0))
        return Mode(
            name=mode.name,
            effort=effort,
            duration=duration,
            requires=requires,
            team=team,
            allocations=mode.allocations or self.allocations or default_allocations,
            resources=self.resources if mode.resources is None else mode.resources,
            vendor=mode.vendor or self.vendor,
            cost=mode.cost or self.cost,
        )


class Project(DomainModel):
    """A project: tasks, priority, window and deadline.

    Parameters
    ----------
    priority
        Weight of each late working day of this project (and of its tasks' soft deadlines).
    status
        ``committed`` projects must be planned; ``candidate`` projects may be deferred
        when capacity is short, losing ``value``.
    value
        What deferring a candidate costs, in priority-weighted late days.
    budget
        Spend allowed on the project (staff cost plus vendor spend plus mode costs).
    """

    id: Identifier
    name: str = ""
    priority: int = Field(default=1, ge=0)
    earliest_start: dt.date | None = None
    deadline: dt.date | None = None
    deadline_type: DeadlineType = "soft"
    budget: float | None = Field(default=None, ge=0.0)
    status: Literal["committed", "candidate"] = "committed"
    value: float = Field(default=0.0, ge=0.0)
    tasks: tuple[Task, ...] = ()
