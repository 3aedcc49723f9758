"""Planning at a confidence: efforts raised to a percentile of their estimates, then checked.

``allocator solve --confidence 0.8`` plans a copy of the scenario in which every
effort-driven task's work is the 80th percentile of its estimate (never less than its
planned effort). Since work only grows, a plan of that copy obeys every rule of the
scenario itself (a team that delivers more than the effort delivers the effort; dates,
deadlines and capacities are the same), so the plan is stamped and checked as a plan of
the scenario. A risk analysis of it then says which deadlines hold at that confidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from allocator.checker import check_plan
from allocator.io import scenario_hash
from allocator.risk.estimates import Triangle, triangular
from allocator.risk.run import RiskOptions, run_risk

if TYPE_CHECKING:
    from models import Mode, Plan, Project, Scenario, Task
    from models.risk import EstimateRule
    from models.risk_report import RiskReport

#: Samples of the analysis that says which deadlines hold.
CONFIDENCE_SAMPLES = 2000


def confident_scenario(scenario: Scenario, confidence: float) -> Scenario:
    """``scenario`` with each effort raised to the ``confidence`` percentile of its estimate.

    Fixed durations stay (a window's length is a commitment, not an estimate), and rules on
    vendors do not apply (who is staffed is not known before planning).
    """
    rules = scenario.risk.estimates if scenario.risk else ()
    projects = tuple(
        project.model_copy(
            update={
                "tasks": tuple(_confident_task(project, task, rules, confidence) for task in project.tasks)
            }
        )
        for project in scenario.projects
    )
    return scenario.model_copy(update={"projects": projects})


def _factor(project: Project, task: Task, mode: Mode, rules: tuple[EstimateRule, ...], share: float) -> float:
    """The ``share`` percentile of the work of ``mode`` over its planned effort (1 without an estimate)."""
    planned = mode.effort
    if planned is None or planned <= 0:
        return 1.0
    if task.estimate is not None:
        low, likely, high = task.estimate.resolved(task.effort if task.effort is not None else planned)
        if likely <= 0:
            return 1.0
        ratio = Triangle(low / likely, 1.0, high / likely, "task")
        if not task.modes:  # an absolute estimate of the task's own effort
            ratio = Triangle(low / planned, likely / planned, high / planned, "task")
    else:
        skills = {r.skill for r in mode.requires or ()}
        rule = next((r for r in rules if _applies(r, project, skills)), None)
        if rule is None:
            return 1.0
        ratio = Triangle(*rule.factors(), "rule")
    return max(1.0, float(triangular(np.array([share]), ratio)[0]))


def effort_factor(scenario: Scenario, project: Project, task: Task, mode: int, confidence: float) -> float:
    """The ``confidence`` percentile of the work of ``task`` in its mode ``mode`` (an index)
    over its planned effort: 1 for fixed durations and work without an estimate."""
    rules = scenario.risk.estimates if scenario.risk else ()
    return _factor(project, task, task.resolved_modes((100,))[mode], rules, confidence)


def _applies(rule: EstimateRule, project: Project, skills: set[str]) -> bool:
    kind, ident = rule.target
    return (kind == "project" and ident == project.id) or (kind == "skill" and ident in skills)


def _confident_task(project: Project, task: Task, rules: tuple[EstimateRule, ...], share: float) -> Task:
    if task.modes:
        modes = tuple(
            mode.model_copy(update={"effort": mode.effort * _factor(project, task, filled, rules, share)})
            if mode.effort is not None and filled.effort is not None
            else mode
            for mode, filled in zip(task.modes, task.resolved_modes((100,)), strict=True)
        )
        return task.model_copy(update={"modes": modes})
    if task.effort is None:
        return task
    (filled,) = task.resolved_modes((100,))
    return task.model_copy(update={"effort": task.effort * _factor(project, task, filled, rules, share)})


def as_plan_of(scenario: Scenario, plan: Plan) -> Plan:
    """A plan made for the confident copy, stamped and checked as a plan of ``scenario``."""
    stamped = plan.model_copy(update={"scenario_hash": scenario_hash(scenario)})
    return stamped.model_copy(update={"check": check_plan(scenario, stamped)})


def deadlines_at(scenario: Scenario, plan: Plan, confidence: float, seed: int = 0) -> tuple[RiskReport, str]:
    """A risk analysis of ``plan`` and the lines saying which deadlines hold at ``confidence``."""
    report = run_risk(scenario, plan, RiskOptions(samples=CONFIDENCE_SAMPLES, seed=seed))
    percent = f"{100 * confidence:.0f} %"
    lines = [
        f"Deadlines at {percent} confidence ({report.samples} samples of the estimates and risk events):"
    ]
    for project in report.projects:
        if project.deadline is None or project.on_time is None:
            continue
        verdict = "holds" if project.on_time >= confidence else "does not hold"
        lines.append(
            f"  {project.project}: {verdict} ({100 * project.on_time:.0f} % on time by {project.deadline}; "
            f"P{100 * confidence:.0f} finish {_percentile(report, project.project, confidence)})"
        )
    return report, "\n".join(lines) + "\n"


def _percentile(report: RiskReport, project: str, share: float) -> str:
    """The finish by which ``share`` of the samples are done, read off the project's curve."""
    curve = next(p.curve for p in report.projects if p.project == project)
    return str(next((day for day, done in curve if done >= share - 1e-9), curve[-1][0]))
