"""The plan: what the optimiser decided, recomputed KPIs, solver facts and the checker's verdict."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import Field

from models.base import DomainModel
from models.explain import Explanation


class SolverStatus(str, Enum):
    """Outcome of a solve, in the product's words."""

    OPTIMAL = "optimal"  #: proven best for every objective stage
    FEASIBLE = "feasible"  #: a verified plan, not proven best
    INFEASIBLE = "infeasible"  #: proven that no plan exists
    UNKNOWN = "unknown"  #: no plan found in the time allowed
    INVALID = "invalid"  #: the model was rejected (a bug: please report)


class Assignment(DomainModel):
    """Who works on a task and at what allocation.

    ``kind == "vendor"`` rows stand for ``count`` contractors of one vendor, each
    full time on the task. ``skill`` names the requirement this assignee covers.
    """

    resource: str
    kind: Literal["person", "vendor"] = "person"
    allocation: int = Field(ge=1, le=100)
    count: int = Field(default=1, ge=1)
    skill: str | None = None
    effort: float = 0.0  #: person-days this assignee delivers inside the task window
    overtime_hours: float = Field(default=0.0, ge=0.0)  #: overtime worked on the task (people only)


class TaskPlan(DomainModel):
    """Dates, mode and team of one task. ``finish`` is the last working day (inclusive)."""

    task: str
    project: str
    mode: str = "default"
    start: dt.date
    finish: dt.date
    working_days: int
    assignments: tuple[Assignment, ...] = ()
    deadline: dt.date | None = None
    late_days: int = 0


class ProjectPlan(DomainModel):
    """Forecast of one project against its deadline."""

    project: str
    deferred: bool = False
    start: dt.date | None = None
    finish: dt.date | None = None
    deadline: dt.date | None = None
    late_days: int = 0  #: working days past the deadline
    cost: float = 0.0  #: staff cost plus overtime pay plus vendor spend plus mode costs
    budget: float | None = None


class VendorUse(DomainModel):
    """Contractor-days bought from a vendor and what they cost."""

    vendor: str
    days: float
    cost: float
    peak_headcount: int


class WeekLoad(DomainModel):
    """Load of a person (or vendor) in one ISO week, in person-days and as a share of capacity."""

    resource: str
    week: str  #: ISO week, e.g. ``2027-W03``
    week_start: dt.date
    booked_days: float  #: allocation summed over the week's working days
    capacity_days: float  #: project capacity over the week's available days
    utilisation: float  #: booked / capacity (0 when there is no capacity)


class Kpis(DomainModel):
    """Headline figures, recomputed from the plan (never read from the solver).

    ``staff_cost`` counts the contracted days booked; ``overtime_cost`` the overtime pay
    on top of it, for ``overtime_hours`` hours.
    """

    projects_total: int = 0
    projects_on_time: int = 0
    projects_late: int = 0
    projects_deferred: int = 0
    weighted_late_days: int = 0
    latest_finish: dt.date | None = None
    vendor_days: float = 0.0
    vendor_cost: float = 0.0
    staff_cost: float = 0.0
    overtime_hours: float = 0.0
    overtime_cost: float = 0.0
    average_utilisation: float = 0.0
    peak_utilisation: float = 0.0
    people_over_target: int = 0
    skill_shortages: dict[str, float] = Field(default_factory=dict)


class StageResult(DomainModel):
    """Outcome of one lexicographic objective stage.

    A stage that weighs money is reported in currency units (each late day or other
    time term then counts its weight in currency); other stages in their own units.
    """

    terms: dict[str, int]
    objective: float
    bound: float
    status: SolverStatus
    wall_time: float


#: What is written where no bound is known (never "gap 100 %").
NO_BOUND = "no bound"


def stage_gap(stage: StageResult) -> float | None:
    """Relative distance of a stage's objective to its bound; ``None`` where no bound is known
    (a bound of 0 under a positive objective proves nothing, so no "gap 100 %")."""
    if stage.objective == stage.bound:
        return 0.0
    if stage.bound <= 0 < stage.objective:
        return None
    return abs(stage.objective - stage.bound) / max(1.0, abs(stage.objective))


class ProjectBound(DomainModel):
    """A proven lower bound for one project: what no plan of the scenario can beat.

    ``late_days`` working days late at least, in every plan; ``earliest_finish`` the
    earliest finish any plan can reach; ``reason`` says why in one line, naming the
    ``chain`` of tasks that sets it.
    """

    project: str
    late_days: int = Field(ge=0)
    earliest_finish: dt.date | None = None
    deadline: dt.date | None = None
    reason: str = ""
    chain: tuple[str, ...] = ()
    source: Literal["chain", "alone"] = "chain"  #: dependency chain, or the project solved alone


class SolverInfo(DomainModel):
    """How the plan was found."""

    status: SolverStatus
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    stages: tuple[StageResult, ...] = ()
    wall_time: float = 0.0
    time_to_first_plan: float | None = None
    first_plan_source: str = ""  #: ``construction`` or ``search``
    workers: int = 0
    seed: int = 0
    time_limit: float = 0.0
    interrupted: bool = False
    #: Per project, the lateness every plan must accept (projects with a positive bound).
    project_bounds: tuple[ProjectBound, ...] = ()
    #: What the first stage's bound rests on, one line each (chains, skill pools).
    bound_reasons: tuple[str, ...] = ()


class Violation(DomainModel):
    """One rule the checker found broken."""

    rule: str
    entity: str
    message: str


class CheckReport(DomainModel):
    """The independent checker's verdict."""

    ok: bool
    violations: tuple[Violation, ...] = ()
    warnings: tuple[str, ...] = ()
    checked_rules: tuple[str, ...] = ()


class Plan(DomainModel):
    """A verified plan for a scenario."""

    scenario: str
    scenario_hash: str
    created: dt.datetime
    currency: str = "EUR"
    tasks: tuple[TaskPlan, ...] = ()
    projects: tuple[ProjectPlan, ...] = ()
    vendors: tuple[VendorUse, ...] = ()
    loads: tuple[WeekLoad, ...] = ()
    kpis: Kpis = Field(default_factory=Kpis)
    solver: SolverInfo | None = None
    check: CheckReport | None = None
    warnings: tuple[str, ...] = ()
    explanations: tuple[Explanation, ...] = ()  #: why each late project is late (verified causes)
