"""A change list: what a re-plan (or any second plan) changes against a baseline plan."""

from __future__ import annotations

import datetime as dt

from models.base import DomainModel


class AllocationChange(DomainModel):
    """A resource kept on a task at a different allocation (or contractor count)."""

    resource: str
    old: int
    new: int


class TaskChange(DomainModel):
    """How one task differs between the baseline and the new plan.

    ``start_shift_days`` and ``finish_shift_days`` are calendar days (positive: later).
    ``history`` marks tasks whose change happened before the as-of date (actuals).
    """

    task: str
    project: str
    old_start: dt.date | None = None
    old_finish: dt.date | None = None
    new_start: dt.date | None = None
    new_finish: dt.date | None = None
    start_shift_days: int = 0
    finish_shift_days: int = 0
    removed: tuple[str, ...] = ()  #: resources taken off the task
    added: tuple[str, ...] = ()  #: resources put on the task
    allocations: tuple[AllocationChange, ...] = ()
    old_mode: str | None = None
    new_mode: str | None = None
    history: bool = False

    @property
    def moved(self) -> bool:
        """Whether the start or the finish moved."""
        return bool(self.start_shift_days or self.finish_shift_days)

    @property
    def reassigned(self) -> bool:
        """Whether anyone left or joined the task."""
        return bool(self.removed or self.added)


class ProjectChange(DomainModel):
    """A project whose forecast finish moved."""

    project: str
    old_finish: dt.date | None = None
    new_finish: dt.date | None = None
    shift_days: int = 0  #: calendar days, positive: later
    deadline: dt.date | None = None
    late_now: bool = False


class PersonChange(DomainModel):
    """A person whose work changes: tasks joined, left or moved, projects gained or lost."""

    person: str
    joined: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()
    projects_added: tuple[str, ...] = ()
    projects_removed: tuple[str, ...] = ()


class DoneTask(DomainModel):
    """A task finished before the as-of date: reported, no longer planned."""

    task: str
    project: str
    start: dt.date | None = None
    finish: dt.date | None = None
    assignees: tuple[str, ...] = ()


class ChangeList(DomainModel):
    """Every difference between a baseline plan and a new plan, and a summary for managers."""

    as_of: dt.date | None = None
    tasks: tuple[TaskChange, ...] = ()
    added_tasks: tuple[str, ...] = ()  #: planned now, not in the baseline
    removed_tasks: tuple[str, ...] = ()  #: in the baseline, not planned now (deferred or dropped)
    projects: tuple[ProjectChange, ...] = ()
    people: tuple[PersonChange, ...] = ()
    released: tuple[str, ...] = ()  #: frozen tasks released to make the plan feasible
    done: tuple[DoneTask, ...] = ()
    slipped: tuple[str, ...] = ()  #: the slips that prompted the re-plan, as given
    vendor_days_added: float = 0.0
    projects_late: tuple[str, ...] = ()  #: projects forecast to finish after their deadline
    summary: str = ""

    @property
    def change_count(self) -> int:
        """Changes the new plan makes: moved or reassigned tasks (history excluded)."""
        return sum(1 for t in self.tasks if not t.history) + len(self.added_tasks) + len(self.removed_tasks)
