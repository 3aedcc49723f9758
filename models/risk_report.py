"""What a risk analysis of a plan found: finish percentiles and the chance of each deadline."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from models.base import DomainModel


class TaskDriver(DomainModel):
    """A task that drives the spread of its project's finish.

    Parameters
    ----------
    criticality
        Share of the samples in which the task is on the chain that sets the project's
        finish (its criticality index).
    correlation
        Rank correlation of the task's length with the project's finish over the samples
        (its sensitivity); 0 when either never varies.
    """

    task: str
    project: str
    criticality: float = Field(ge=0.0, le=1.0)
    correlation: float = Field(ge=-1.0, le=1.0)


class ProjectRisk(DomainModel):
    """The spread of one project's finish over the samples.

    ``on_time`` is the share of samples finishing on or before the deadline (``None``
    without one); ``curve`` the finish dates with the share of samples finished by each.
    """

    project: str
    planned_finish: dt.date
    deadline: dt.date | None = None
    p50: dt.date
    p80: dt.date
    p95: dt.date
    mean_late_days: float = 0.0  #: working days past the deadline, averaged over the samples
    on_time: float | None = None
    drivers: tuple[TaskDriver, ...] = ()
    curve: tuple[tuple[dt.date, float], ...] = ()


class Replanned(DomainModel):
    """Samples re-planned by the optimiser instead of re-timed: what re-planning recovers."""

    tried: int  #: samples given to the optimiser
    samples: tuple[int, ...]  #: those it found a plan for in the time, by sample index
    retimed_late_days: float  #: priority-weighted late days, averaged, with the plan re-timed
    replanned_late_days: float  #: the same with each sample re-planned
    #: Per project, the mean finish re-timed and re-planned over the samples kept.
    projects: dict[str, tuple[dt.date, dt.date]] = Field(default_factory=dict)


class RiskReport(DomainModel):
    """A Monte Carlo of a plan under its scenario's estimates and risk events."""

    scenario: str
    scenario_hash: str
    samples: int
    seed: int
    early_starts: bool = False
    projects: tuple[ProjectRisk, ...] = ()
    event_rates: dict[str, float] = Field(default_factory=dict)  #: share of samples each event happened
    overrun_samples: int = 0  #: samples in which some task ran past the end of the timeline
    uncertain_tasks: int = 0  #: tasks whose work varies
    replanned: Replanned | None = None
    wall_time: float = 0.0
