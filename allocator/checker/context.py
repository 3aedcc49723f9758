"""What every rule of the checker reads: the plan resolved against the scenario and timeline.

The checker re-implements the planning rules from the plan alone; it shares no code with
the optimiser (its calendar is :mod:`allocator.checker.days`). Dates are turned into
timeline-day indices here, once, so each rule works on integers: a task occupies
``[start, end)`` and a milestone has ``end == start``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.checker.days import TimelineDays
from models import Mode, Person, Plan, Project, Scenario, Task, TaskPlan, Vendor, Violation

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

#: Slack on effort sums (person-days), as the planning rules allow.
EFFORT_TOLERANCE = 0.001
#: Slack on money and other float comparisons.
FLOAT_TOLERANCE = 1e-6


@dataclass
class Findings:
    """Violations and warnings collected while checking."""

    violations: list[Violation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, rule: str, entity: str, message: str) -> None:
        """Record that ``rule`` is broken for ``entity``."""
        self.violations.append(Violation(rule=rule, entity=entity, message=message))

    def warn(self, message: str) -> None:
        """Record something worth a look that breaks no rule."""
        self.warnings.append(message)


@dataclass(frozen=True)
class PlannedTask:
    """A task plan resolved against the scenario: its task, project, mode and window."""

    plan: TaskPlan
    project: Project
    task: Task
    mode: Mode | None  #: ``None`` when the plan names a mode the task does not have
    start: int  #: timeline index of the first day (S)
    end: int  #: one past the last day (E); equals ``start`` for a milestone

    @property
    def entity(self) -> str:
        """How violations name this task."""
        return f"task {self.task.id}"

    @property
    def is_milestone(self) -> bool:
        """Whether the task occupies no timeline day."""
        return self.end == self.start


class CheckContext:
    """The scenario, the plan and the lookups shared by all rules.

    Parameters
    ----------
    scenario
        The scenario the plan claims to solve.
    plan
        The plan to verify.
    """

    def __init__(self, scenario: Scenario, plan: Plan) -> None:
        self.scenario = scenario
        self.plan = plan
        last = max([scenario.end, *(tp.finish for tp in plan.tasks)])
        #: Timeline days, working days and presence, reaching the latest finish.
        self.days = TimelineDays(scenario, last)
        self.people: dict[str, Person] = scenario.person_index()
        self.vendors: dict[str, Vendor] = scenario.vendor_index()
        self.task_index: dict[str, tuple[Project, Task]] = scenario.task_index()
        self.findings = Findings()
        self.size = len(self.days)
        #: Each task planned once, with known ids; filled by :func:`resolve_tasks`.
        self.tasks: dict[str, PlannedTask] = {}

    def date(self, index: int) -> dt.date:
        """Date of a timeline index, clamped to the timeline."""
        return self.days.date(min(max(index, 0), self.size - 1))

    def planned(self) -> Iterator[PlannedTask]:
        """Every resolved task plan, in plan order."""
        return iter(self.tasks.values())
