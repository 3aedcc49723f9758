"""Learned effort multipliers, and how a scenario applies them to its tasks' estimates."""

from __future__ import annotations

from statistics import fmean
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from models.base import DomainModel
from models.ids import Identifier

if TYPE_CHECKING:
    from models.project import Project, Task
    from models.scenario import Scenario

#: A factor on effort: above 1 where work took longer than estimated.
Multiplier = Annotated[float, Field(gt=0.0, le=10.0)]


class Calibration(DomainModel):
    """Effort multipliers learned from finished work (a scenario fragment).

    A task's effort, and that of each of its modes, is multiplied by the mean of the
    multipliers of the skills it requires (1 for a skill not listed), times its
    project's multiplier (1 when not listed). Fixed-duration work is not changed.

    Parameters
    ----------
    skills
        Multiplier per skill id.
    projects
        Multiplier per project id (for a project that continues).
    method
        How the multipliers were estimated (for the record).
    source
        What they were learned from (for the record).
    """

    skills: dict[Identifier, Multiplier] = Field(default_factory=dict)
    projects: dict[Identifier, Multiplier] = Field(default_factory=dict)
    method: str = ""
    source: str = ""

    def task_factor(self, project: Project, task: Task) -> float:
        """The multiplier of ``task``'s effort."""
        skills = {r.skill for r in task.requires} | {r.skill for m in task.modes for r in m.requires or ()}
        by_skill = fmean(self.skills.get(s, 1.0) for s in sorted(skills)) if skills else 1.0
        return by_skill * self.projects.get(project.id, 1.0)


def _scaled_task(task: Task, factor: float) -> Task:
    if factor == 1.0:
        return task
    modes = tuple(
        m if m.effort is None else m.model_copy(update={"effort": m.effort * factor}) for m in task.modes
    )
    effort = None if task.effort is None else task.effort * factor
    return task.model_copy(update={"effort": effort, "modes": modes})


def apply_calibration(scenario: Scenario, calibration: Calibration) -> Scenario:
    """``scenario`` with every task's effort multiplied as :class:`Calibration` says."""
    projects = tuple(
        project.model_copy(
            update={
                "tasks": tuple(_scaled_task(t, calibration.task_factor(project, t)) for t in project.tasks)
            }
        )
        for project in scenario.projects
    )
    return scenario.model_copy(update={"projects": projects})
