"""Why a project is late: the chain that sets its finish and the causes that were verified.

An :class:`Explanation` is attached to a plan for each late project. Its ``chain`` is a
fact of the plan (which task waits for which, who works on it). Each :class:`Cause` was
tested: the cause was relaxed (more capacity of a skill in a window, a person back from
leave, a dependency removed, a vendor engaged without lead time), the project was
re-planned with every other project held as planned, and the cause is listed only
because the relaxed re-plan finishes the project earlier. ``days_earlier`` is measured
against the same re-plan without the relaxation.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from models.base import DomainModel

CauseKind = Literal["capacity", "leave", "dependency", "vendor-lead"]


class ChainStep(DomainModel):
    """One task of the chain that sets a project's finish, latest last."""

    task: str
    project: str
    name: str = ""
    start: dt.date
    finish: dt.date
    working_days: int = Field(ge=0)
    skills: str = ""  #: what the chosen mode requires, e.g. ``qa L3``
    people: tuple[str, ...] = ()  #: who works on it (people and vendors)
    after: str | None = None  #: the task whose finish (or start) sets its earliest start
    waits: int = Field(default=0, ge=0)  #: working days it starts after ``after`` allows
    ready: dt.date | None = None  #: the earliest it could start (``waits`` working days before ``start``)
    waits_for: str = ""  #: what it waits for, in words


class Cause(DomainModel):
    """A verified cause of lateness and the relaxation that showed it.

    ``skills``/``start``/``end`` describe a capacity cause (the skills and the window of
    the extra person tested), ``person`` a leave cause, ``predecessor`` a dependency
    cause, ``vendor`` a lead-time cause; the other fields are empty.
    """

    kind: CauseKind
    text: str  #: the cause in business terms
    relaxation: str  #: what was relaxed to test it
    days_earlier: int = Field(ge=1)  #: working days the project finishes earlier when relaxed
    late_days_relaxed: int = Field(ge=0)
    proven: bool = False  #: the re-plan it is measured against was solved to optimality
    skills: dict[str, int] = Field(default_factory=dict)
    start: dt.date | None = None
    end: dt.date | None = None
    person: str | None = None
    predecessor: str | None = None
    vendor: str | None = None


class Explanation(DomainModel):
    """Why one project is late (or, ``deferred``, why a candidate project is left out),
    with the causes that were verified.

    For a deferred candidate, ``finish`` and ``late_days`` are what the project would get
    if it were planned with every other project held as planned (``finish`` ``None``: it
    cannot be planned so).
    """

    project: str
    deferred: bool = False
    finish: dt.date | None
    deadline: dt.date | None
    late_days: int = Field(ge=0)  #: working days past the deadline in the plan
    forced_days: int = Field(default=0, ge=0)  #: of which no plan can avoid (a proven bound)
    forced_reason: str = ""  #: why they are forced; for a deferred candidate: its lateness against its value
    replanned_late_days: int | None = None  #: the project re-planned alone, everything else held
    chain: tuple[ChainStep, ...] = ()
    causes: tuple[Cause, ...] = ()
    summary: str = ""  #: the explanation in a few sentences
