"""Learned effort multipliers and ranges, and how a scenario applies them to its tasks."""

from __future__ import annotations

from statistics import fmean
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from models.base import DomainModel
from models.ids import Identifier
from models.risk import EstimateRule, RiskSpec

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

    The estimate rules (learned ranges, in percent over the calibrated effort) are
    appended after the scenario's own ``risk: estimates:`` rules, which keep precedence
    (the first rule that applies wins); a rule naming nothing in the scenario is left out.

    Parameters
    ----------
    skills
        Multiplier per skill id.
    projects
        Multiplier per project id (for a project that continues).
    estimates
        Default three-point estimates, relative to the calibrated effort.
    method
        How the multipliers were estimated (for the record).
    source
        What they were learned from (for the record).
    """

    skills: dict[Identifier, Multiplier] = Field(default_factory=dict)
    projects: dict[Identifier, Multiplier] = Field(default_factory=dict)
    estimates: tuple[EstimateRule, ...] = ()
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


def _known(scenario: Scenario, rule: EstimateRule) -> bool:
    kind, ident = rule.target
    if kind == "project":
        return any(p.id == ident for p in scenario.projects)
    if kind == "vendor":
        return any(v.id == ident for v in scenario.vendors)
    return any(
        r.skill == ident
        for _, task in scenario.tasks()
        for r in (*task.requires, *(r for m in task.modes for r in m.requires or ()))
    )


def _with_rules(scenario: Scenario, rules: tuple[EstimateRule, ...]) -> Scenario:
    learned = tuple(rule for rule in rules if _known(scenario, rule))
    if not learned:
        return scenario
    risk = scenario.risk or RiskSpec()
    return scenario.model_copy(
        update={"risk": risk.model_copy(update={"estimates": (*risk.estimates, *learned)})}
    )


def apply_calibration(scenario: Scenario, calibration: Calibration) -> Scenario:
    """``scenario`` with every task's effort multiplied, and the learned rules after its own."""
    projects = tuple(
        project.model_copy(
            update={
                "tasks": tuple(_scaled_task(t, calibration.task_factor(project, t)) for t in project.tasks)
            }
        )
        for project in scenario.projects
    )
    return _with_rules(scenario.model_copy(update={"projects": projects}), calibration.estimates)
