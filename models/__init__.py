"""Domain models of allocator: the scenario a user describes and the plan it gets.

This package is pure domain: pydantic v2 models, validated on construction.
It never imports :mod:`allocator`.
"""

from models.calendar import CalendarSpec, TimeOff
from models.explain import Cause, ChainStep, Explanation
from models.ids import PersonId, ProjectId, ResourceId, SkillId, TaskId, VendorId
from models.objective import ObjectiveConfig, ObjectiveTerm, SolverSettings
from models.plan import (
    Assignment,
    CheckReport,
    Kpis,
    Plan,
    ProjectBound,
    ProjectPlan,
    SolverInfo,
    SolverStatus,
    TaskPlan,
    VendorUse,
    Violation,
    WeekLoad,
)
from models.project import Dependency, DependencyType, Mode, Project, Requirement, Task, TeamSize
from models.resources import Overtime, OvertimePolicy, Person, SharedResource, Vendor
from models.scenario import Scenario

__all__ = [
    "Assignment",
    "CalendarSpec",
    "Cause",
    "ChainStep",
    "CheckReport",
    "Dependency",
    "DependencyType",
    "Explanation",
    "Kpis",
    "Mode",
    "ObjectiveConfig",
    "ObjectiveTerm",
    "Overtime",
    "OvertimePolicy",
    "Person",
    "PersonId",
    "Plan",
    "Project",
    "ProjectBound",
    "ProjectId",
    "ProjectPlan",
    "Requirement",
    "ResourceId",
    "Scenario",
    "SharedResource",
    "SkillId",
    "SolverInfo",
    "SolverSettings",
    "SolverStatus",
    "Task",
    "TaskId",
    "TaskPlan",
    "TeamSize",
    "TimeOff",
    "Vendor",
    "VendorId",
    "VendorUse",
    "Violation",
    "WeekLoad",
]
