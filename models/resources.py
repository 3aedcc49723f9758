"""People, vendors and shared (non-human) resources."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from models.base import DomainModel
from models.calendar import TimeOff
from models.ids import Identifier

SkillLevel = Annotated[int, Field(ge=1, le=5)]
Skills = dict[Identifier, SkillLevel]


def _skill_map(value: object) -> object:
    """Accept ``{skill: level}`` or a list of names (level 3) or ``"skill:level"`` strings."""
    if isinstance(value, list | tuple):
        skills: dict[str, object] = {}
        for item in value:
            if isinstance(item, str) and ":" in item:
                name, level = item.split(":", 1)
                skills[name.strip()] = level.strip()
            elif isinstance(item, str):
                skills[item.strip()] = 3
            else:
                raise ValueError(f"cannot read skill {item!r}; write skill: level")
        return skills
    return value


class Overtime(DomainModel):
    """Overtime a person may work above their contract.

    Parameters
    ----------
    hours_per_week
        Hours per week above the contract, worked when fully booked on project work; a
        booking at 50 % brings half of them. 0 means the person is never asked.
    cost_multiplier
        Multiplier on the hourly rate (``cost_per_day`` over the contract day's hours)
        for overtime hours: 1.5 is time and a half.
    max_hours
        Most overtime hours over the whole plan (``None``: only the weekly rate limits).
    """

    hours_per_week: float = Field(ge=0.0)
    cost_multiplier: float = Field(default=1.5, ge=1.0)
    max_hours: float | None = Field(default=None, ge=0.0)

    # The optimiser counts hours in 1/100 h and the multiplier in percent: round here, so
    # that it and the checker read the same figures.
    _hours = field_validator("hours_per_week", "max_hours")(
        classmethod(lambda cls, v: None if v is None else round(v, 2))
    )
    _multiplier = field_validator("cost_multiplier")(classmethod(lambda cls, v: round(v, 2)))

    @property
    def allowed(self) -> bool:
        """Whether any overtime may be planned at all."""
        return self.hours_per_week > 0 and self.max_hours != 0


class OvertimePolicy(Overtime):
    """The terms on which ``allocator advise`` may propose overtime to people who have none.

    Parameters
    ----------
    teams
        Line teams whose people may be asked (empty: every team).
    """

    teams: tuple[Identifier, ...] = ()


class Person(DomainModel):
    """A member of staff.

    Parameters
    ----------
    fte
        Contracted capacity as a share of a full-time day (1.0 full time, 0.8 four days).
    reserve
        Share of a full-time day kept for non-project work (support, BAU). Project
        capacity is ``fte - reserve``.
    cost_per_day
        Cost of one full-time day, in the scenario's currency.
    country, subdivision
        Public-holiday calendar of this person when it differs from the scenario's.
    max_concurrent_tasks
        At most this many tasks at once (``None``: no limit beyond capacity).
    overtime
        Overtime the person may work (``None``: none).
    """

    id: Identifier
    name: str = ""
    skills: Skills = Field(default_factory=dict)
    fte: float = Field(default=1.0, gt=0.0, le=1.0)
    reserve: float = Field(default=0.0, ge=0.0, lt=1.0)
    cost_per_day: float = Field(default=0.0, ge=0.0)
    time_off: tuple[TimeOff, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    country: str | None = None
    subdivision: str | None = None
    max_concurrent_tasks: int | None = Field(default=None, ge=1)
    team: str = ""
    overtime: Overtime | None = None

    _skills = field_validator("skills", mode="before")(classmethod(lambda cls, v: _skill_map(v)))

    @model_validator(mode="after")
    def _consistent(self) -> Person:
        if self.reserve >= self.fte:
            raise ValueError(f"reserve {self.reserve} leaves no project capacity from fte {self.fte}")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"employment end {self.end} is before start {self.start}")
        return self

    @property
    def capacity_pct(self) -> int:
        """Project capacity per day in percent of a full-time day."""
        return round(100 * (self.fte - self.reserve))

    def level(self, skill: str) -> int:
        """Level of ``skill`` (0 when the person lacks it)."""
        return self.skills.get(skill, 0)

    @property
    def overtime_allowed(self) -> bool:
        """Whether plans may book this person with overtime."""
        return self.overtime is not None and self.overtime.allowed


class Vendor(DomainModel):
    """A contractor firm: a pool of interchangeable contractors.

    Parameters
    ----------
    headcount
        Contractors that can work at once.
    day_rate
        Price of one contractor-day.
    lead_time_days
        Working days from the plan start before the first contractor can start.
    min_engagement_days
        If the vendor is used at all, at least this many contractor-days are bought.
    spend_cap
        Total spend allowed with this vendor (``None``: no cap).
    """

    id: Identifier
    name: str = ""
    skills: Skills = Field(default_factory=dict)
    headcount: int = Field(default=1, ge=0)
    day_rate: float = Field(default=0.0, ge=0.0)
    lead_time_days: int = Field(default=0, ge=0)
    min_engagement_days: int = Field(default=0, ge=0)
    spend_cap: float | None = Field(default=None, ge=0.0)

    _skills = field_validator("skills", mode="before")(classmethod(lambda cls, v: _skill_map(v)))

    def level(self, skill: str) -> int:
        """Level of ``skill`` (0 when the vendor lacks it)."""
        return self.skills.get(skill, 0)


class SharedResource(DomainModel):
    """A non-human resource tasks consume: a test environment, a lab, a licence pool.

    Parameters
    ----------
    capacity
        Units available at once (``renewable``), or in total over the plan
        (``consumable``, e.g. a budget of licences or hours).
    """

    id: Identifier
    name: str = ""
    capacity: int = Field(ge=0)
    kind: Literal["renewable", "consumable"] = "renewable"
