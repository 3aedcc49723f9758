"""Measuring a plan in flight: bookings, earned value, status reports and estimate reviews."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import Field

from models.base import DomainModel
from models.ids import Identifier

IssueKind = Literal["late", "over_estimate", "over_capacity", "vendor_spend"]
ForecastKind = Literal["earned_schedule", "replan"]
Dimension = Literal["skill", "team", "person", "vendor", "project"]


class Booking(DomainModel):
    """Effort booked by one person (or vendor) on one task in one ISO week.

    Parameters
    ----------
    person
        Id of the person, or of the vendor whose contractors did the work.
    task
        Id of the task.
    week
        Monday of the ISO week the days were worked in.
    days
        Person-days booked (for a vendor: contractor-days, all contractors together).
    """

    person: Identifier
    task: Identifier
    week: dt.date
    days: float = Field(ge=0.0)


class Rag(str, Enum):
    """Red, amber or green: how a project stands, by the rule the report states."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class EarnedValue(DomainModel):
    """Earned-value figures of a project or of the portfolio, in the scenario's currency.

    ``spi = ev / pv``, ``cpi = ev / ac``, ``eac = bac / cpi``; each is ``None`` when its
    divisor is zero (nothing planned or nothing booked yet).
    """

    bac: float  #: budget at completion: the baseline's planned cost
    pv: float  #: planned value: planned cost of the work scheduled by the as-of date
    ev: float  #: earned value: budgeted cost of the work done
    ac: float  #: actual cost: booked effort at the scenario's rates (plus fixed costs started)
    spi: float | None = None
    cpi: float | None = None
    eac: float | None = None  #: estimate at completion


class BurnPoint(DomainModel):
    """Cumulative planned, earned and actual value at the end of one week."""

    day: dt.date
    pv: float
    ev: float | None = None  #: known only on the as-of date (and at the start)
    ac: float | None = None  #: known up to the as-of date


class ProjectStatus(DomainModel):
    """Where one project stands on the as-of date."""

    project: Identifier
    name: str = ""
    value: EarnedValue
    tasks_total: int = 0
    tasks_done: int = 0
    tasks_in_progress: int = 0
    baseline_finish: dt.date | None = None
    forecast_finish: dt.date | None = None
    deadline: dt.date | None = None
    forecast_late_days: int = 0  #: working days the forecast finish lies past the deadline
    #: From a risk analysis of the baseline (``--risk``): the P80 finish and the chance of
    #: finishing by the deadline (``None`` without an analysis, or without a deadline).
    risk_p80: dt.date | None = None
    risk_on_time: float | None = None
    rag: Rag = Rag.GREEN
    reasons: tuple[str, ...] = ()  #: why the RAG is what it is, in plain words
    burnup: tuple[BurnPoint, ...] = ()


class Issue(DomainModel):
    """One thing a manager should know about, in plain words."""

    kind: IssueKind
    key: str  #: stable id (kind and entity) to tell new issues from old ones
    message: str
    weight: float = 0.0  #: how much it matters, to rank issues of one kind


class ReplanForecast(DomainModel):
    """How a re-plan of the remaining work gave the forecast finishes.

    ``weighted_late_days`` is the verified re-plan's ``Σ priority * late days`` over the
    work still to do (a deadline already passed counts from the as-of date there).
    """

    weighted_late_days: int
    solver_status: str  #: ``optimal`` or ``feasible``
    time_limit: float  #: seconds the search was given
    seed: int
    wall_time: float  #: seconds the re-plan took
    verified: bool = True  #: passed the independent checker
    released: tuple[str, ...] = ()  #: tasks in the freeze window that could not keep their dates


class RiskSource(DomainModel):
    """The risk analysis whose percentiles a status shows beside the forecast."""

    samples: int
    seed: int
    early_starts: bool = False


class StatusReport(DomainModel):
    """A status report of a plan as of a date."""

    scenario: str
    as_of: dt.date
    currency: str = "EUR"
    forecast: ForecastKind = "earned_schedule"  #: which method gave the forecast finishes
    forecast_method: str = ""
    replan: ReplanForecast | None = None  #: how the re-plan went, for a re-plan forecast
    risk: RiskSource | None = None
    rules: tuple[str, ...] = ()  #: the formulas and the RAG rule, as stated in the report
    portfolio: EarnedValue
    portfolio_rag: Rag = Rag.GREEN
    projects: tuple[ProjectStatus, ...] = ()
    issues: tuple[Issue, ...] = ()
    changes: tuple[str, ...] = ()  #: what changed since the previous status
    previous_as_of: dt.date | None = None


class Accuracy(DomainModel):
    """Estimate accuracy of one skill, team, person, vendor or project.

    ``ratio`` is the median over its samples of actual over estimated effort, ``slip``
    the median duration slip in working days of its finished tasks, ``multiplier`` the
    ratio shrunk toward 1 for small samples.
    """

    dimension: Dimension
    key: str
    samples: int
    estimated: float  #: person-days estimated (the baseline), summed over the samples
    actual: float  #: person-days booked plus remaining, summed over the samples
    ratio: float
    multiplier: float
    slip: float | None = None
    slip_samples: int = 0


class LearnedRange(DomainModel):
    """A skill's three-point range of actual over estimated effort, from its finished tasks.

    ``p10``, ``p50`` and ``p90`` are the observed percentiles of the finished tasks'
    ratios; ``low``, ``likely`` and ``high`` the same shrunk toward the no-information
    range for small samples. ``rule_low``, ``rule_likely`` and ``rule_high`` state the
    shrunk range relative to the calibrated effort (divided by ``multiplier``), in
    percent over it: the estimate rule a calibrated scenario gets.
    """

    skill: Identifier
    samples: int  #: finished tasks requiring the skill
    p10: float
    p50: float
    p90: float
    low: float
    likely: float
    high: float
    multiplier: float  #: the skill's multiplier as written to the calibration
    rule_low: float
    rule_likely: float
    rule_high: float


class EstimateReview(DomainModel):
    """Post-project evaluation: how far the estimates were from what the work took."""

    scenario: str
    tasks_reviewed: int
    tasks_done: int
    method: str
    shrinkage: float
    accuracy: tuple[Accuracy, ...] = ()
    range_method: str = ""
    ranges: tuple[LearnedRange, ...] = ()
