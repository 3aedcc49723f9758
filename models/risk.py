"""Uncertainty of a scenario: three-point estimates, estimate rules, risk events and drivers.

None of this changes what a plan must obey; it describes how the work may turn out, for
the Monte Carlo of ``allocator risk`` (``docs/risk.md``). A scenario without any of it
is read exactly as before.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from models.base import DomainModel
from models.ids import Identifier

#: Percent over the planned work an estimate rule may go down to (exclusive): -100 % is no work.
LOWEST_PERCENT = -100.0


class Estimate(DomainModel):
    """A three-point estimate of a task's work, in the task's own unit.

    Person-days for an effort-driven task, working days for a fixed-duration one.
    The work is drawn from the triangular distribution on ``[low, high]`` with its
    mode at ``likely``.

    Parameters
    ----------
    low
        The least the work can be (an optimistic outcome).
    likely
        The most likely amount; defaults to the task's ``effort`` or ``duration``.
    high
        The most it can be (a pessimistic outcome).
    """

    low: float = Field(ge=0.0)
    likely: float | None = Field(default=None, ge=0.0)
    high: float = Field(ge=0.0)

    @model_validator(mode="after")
    def _ordered(self) -> Estimate:
        if self.likely is not None and self.low > self.likely:
            raise ValueError(f"low {self.low:g} is above likely {self.likely:g}")
        if self.likely is not None and self.likely > self.high:
            raise ValueError(f"likely {self.likely:g} is above high {self.high:g}")
        if self.low > self.high:
            raise ValueError(f"low {self.low:g} is above high {self.high:g}")
        return self

    def resolved(self, planned: float) -> tuple[float, float, float]:
        """``(low, likely, high)`` with ``likely`` defaulting to the ``planned`` work."""
        likely = planned if self.likely is None else self.likely
        return self.low, likely, self.high


class EstimateRule(DomainModel):
    """A default estimate for tasks without their own: percent over their planned work.

    Names exactly one of ``skill`` (tasks whose chosen mode requires it), ``project``
    (every task of the project) or ``vendor`` (tasks the plan gives contractors of it).
    ``{skill: integration, low: 0, high: 50}`` reads "integration work runs 0-50 % over".

    Parameters
    ----------
    low, likely, high
        Percent over the planned work (negative for less work), above -100.
    """

    skill: Identifier | None = None
    project: Identifier | None = None
    vendor: Identifier | None = None
    low: float = Field(default=0.0, gt=LOWEST_PERCENT)
    likely: float = Field(default=0.0, gt=LOWEST_PERCENT)
    high: float = Field(gt=LOWEST_PERCENT)

    @model_validator(mode="after")
    def _consistent(self) -> EstimateRule:
        named = [name for name in ("skill", "project", "vendor") if getattr(self, name) is not None]
        if len(named) != 1:
            raise ValueError("name exactly one of skill, project or vendor")
        if self.low > self.likely:
            raise ValueError(f"low {self.low:g} % is above likely {self.likely:g} %")
        if self.likely > self.high:
            raise ValueError(f"likely {self.likely:g} % is above high {self.high:g} %")
        return self

    @property
    def target(self) -> tuple[str, str]:
        """``(kind, id)`` of what the rule applies to: ``("skill", "integration")``."""
        for kind in ("skill", "project", "vendor"):
            ident = getattr(self, kind)
            if ident is not None:
                return kind, ident
        raise AssertionError("validated: one target")  # pragma: no cover

    def factors(self) -> tuple[float, float, float]:
        """``(low, likely, high)`` as multipliers of the planned work (``50`` % -> ``1.5``)."""
        return 1 + self.low / 100, 1 + self.likely / 100, 1 + self.high / 100


class Driver(DomainModel):
    """A shared cause several risk events hang on (a market shortage, a re-organisation).

    An event with a driver can only happen in the outcomes where its driver happens,
    so events on one driver tend to happen together.
    """

    id: Identifier
    name: str = ""
    probability: float = Field(ge=0.0, le=1.0)


class RiskEvent(DomainModel):
    """Something that may happen, with its probability and its impact.

    Exactly one impact:

    - ``effort_growth`` percent more work on ``task``, or on every task of ``project``;
    - ``person`` unavailable from ``unavailable_from`` to ``unavailable_until``
      (inclusive; open-ended without it);
    - ``vendor``'s lead time slips by ``lead_time_slip`` working days.

    Parameters
    ----------
    probability
        Chance the event happens (given its driver, when it has one).
    driver
        A :class:`Driver` the event depends on.
    """

    id: Identifier
    name: str = ""
    probability: float = Field(ge=0.0, le=1.0)
    driver: Identifier | None = None
    task: Identifier | None = None
    project: Identifier | None = None
    effort_growth: float | None = Field(default=None, ge=0.0)
    person: Identifier | None = None
    unavailable_from: dt.date | None = None
    unavailable_until: dt.date | None = None
    vendor: Identifier | None = None
    lead_time_slip: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_impact(self) -> RiskEvent:
        impacts = [kind for kind in ("effort", "person", "vendor") if self._names(kind)]
        if len(impacts) != 1:
            raise ValueError(
                "give exactly one impact: effort_growth with task or project; person with "
                "unavailable_from; or vendor with lead_time_slip"
            )
        self._complete(impacts[0])
        return self

    def _names(self, kind: str) -> bool:
        fields = {
            "effort": (self.task, self.project, self.effort_growth),
            "person": (self.person, self.unavailable_from, self.unavailable_until),
            "vendor": (self.vendor, self.lead_time_slip),
        }[kind]
        return any(value is not None for value in fields)

    def _complete(self, kind: str) -> None:
        if kind == "effort":
            if (self.task is None) == (self.project is None):
                raise ValueError("effort_growth applies to exactly one of task or project")
            if self.effort_growth is None:
                raise ValueError("effort_growth (percent more work) is missing")
        elif kind == "person":
            if self.person is None or self.unavailable_from is None:
                raise ValueError("a person's unavailability needs person and unavailable_from")
            until = self.unavailable_until
            if until is not None and until < self.unavailable_from:
                raise ValueError(
                    f"unavailable_until {until} is before unavailable_from {self.unavailable_from}"
                )
        elif self.vendor is None or self.lead_time_slip is None:
            raise ValueError("a vendor's slip needs vendor and lead_time_slip (working days)")

    @property
    def impact(self) -> str:
        """``effort``, ``person`` or ``vendor``: the kind of impact."""
        return next(kind for kind in ("effort", "person", "vendor") if self._names(kind))


class RiskSpec(DomainModel):
    """The ``risk`` section of a scenario.

    Parameters
    ----------
    estimates
        Default estimates for tasks without their own; the first rule that applies wins.
    events
        Risk events.
    drivers
        Shared causes of events.
    """

    estimates: tuple[EstimateRule, ...] = ()
    events: tuple[RiskEvent, ...] = ()
    drivers: tuple[Driver, ...] = ()
