"""Progress as of a date: what is done, what is under way and what has not started."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from models.base import DomainModel
from models.ids import Identifier

TaskStatus = Literal["done", "in_progress", "not_started"]


class TaskProgress(DomainModel):
    """Where one task stands on the as-of date.

    Parameters
    ----------
    task
        Id of the task.
    status
        ``done``, ``in_progress`` or ``not_started`` (the default for tasks not listed).
    actual_start, actual_finish
        Dates the work really started and (when done) finished; the baseline's dates
        when left out.
    remaining_effort
        Person-days of work left (effort-driven tasks in progress).
    remaining_days
        Working days left (fixed-duration tasks in progress).
    assignees
        People (or vendors) on the task now; the baseline's team when left out.
    """

    task: Identifier
    status: TaskStatus = "not_started"
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    remaining_effort: float | None = Field(default=None, ge=0.0)
    remaining_days: int | None = Field(default=None, ge=0)
    assignees: tuple[Identifier, ...] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TaskProgress:
        if self.actual_start and self.actual_finish and self.actual_finish < self.actual_start:
            raise ValueError(f"actual_finish {self.actual_finish} is before actual_start {self.actual_start}")
        if self.status != "in_progress" and (self.remaining_effort or self.remaining_days):
            raise ValueError("remaining work is only given for tasks in progress")
        return self


class Progress(DomainModel):
    """Progress of the plan's tasks as of a date (re-planning input).

    Parameters
    ----------
    as_of
        The date the progress describes; the re-plan starts on it.
    tasks
        Tasks that are done or in progress (others have not started).
    """

    as_of: dt.date | None = None
    tasks: tuple[TaskProgress, ...] = ()

    def by_task(self) -> dict[str, TaskProgress]:
        """Progress entries by task id."""
        return {entry.task: entry for entry in self.tasks}
