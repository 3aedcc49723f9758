"""What the optimiser minimises, and how long it may search."""

from __future__ import annotations

from enum import Enum

from pydantic import Field, field_validator

from models.base import DomainModel


class ObjectiveTerm(str, Enum):
    """Terms an objective stage can weigh (all minimised)."""

    LATENESS = "lateness"  #: priority-weighted late working days (projects and soft task deadlines)
    DEFERRAL = "deferral"  #: value of deferred candidate projects
    COST = "cost"  #: vendor spend plus mode costs
    STAFF_COST = "staff_cost"  #: cost of staff days booked on tasks
    MAKESPAN = "makespan"  #: working day on which the last task finishes
    FINISH = "finish"  #: priority-weighted sum of project finish days
    PREFERENCES = "preferences"  #: preferred people not used, and concurrent tasks per person
    STABILITY = "stability"  #: changes against a baseline plan (re-planning)


DEFAULT_STAGES: tuple[dict[ObjectiveTerm, int], ...] = (
    {ObjectiveTerm.LATENESS: 1, ObjectiveTerm.DEFERRAL: 1},
    {ObjectiveTerm.COST: 1},
    {ObjectiveTerm.FINISH: 1},
    {ObjectiveTerm.PREFERENCES: 1},
)


class ObjectiveConfig(DomainModel):
    """Lexicographic stages, each a weighted sum of terms.

    The first stage is optimised, its value kept as a bound, then the next, and so
    on. A single stage with several weighted terms gives a weighted objective.
    """

    stages: tuple[dict[ObjectiveTerm, int], ...] = DEFAULT_STAGES

    @field_validator("stages")
    @classmethod
    def _non_empty(cls, stages: tuple[dict[ObjectiveTerm, int], ...]) -> tuple[dict[ObjectiveTerm, int], ...]:
        if not stages or any(not stage for stage in stages):
            raise ValueError("every objective stage needs at least one term")
        for stage in stages:
            if any(weight < 0 for weight in stage.values()):
                raise ValueError("objective weights must not be negative")
        return stages


class SolverSettings(DomainModel):
    """Search settings a scenario can carry; the command line overrides them."""

    time_limit: float = Field(default=30.0, gt=0.0)
    workers: int = Field(default=0, ge=0)  #: 0 means all cores
    seed: int = Field(default=0, ge=0)
    log: bool = False
