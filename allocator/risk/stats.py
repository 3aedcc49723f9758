"""Figures of the samples: finish percentiles, the chance of each deadline, the tasks behind the spread."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from models.risk_report import ProjectRisk, TaskDriver

if TYPE_CHECKING:
    import datetime as dt

    from allocator.problem.data import Problem
    from allocator.risk.sample import RiskSetup
    from models import Plan

#: Percentiles reported for every project.
PERCENTILES = (0.50, 0.80, 0.95)
#: Tasks named as drivers of a project's spread.
DRIVERS = 3


def percentile_days(finish: np.ndarray, share: float) -> int:
    """The end day by which ``share`` of the samples have finished (a day some sample ends on)."""
    return int(np.quantile(finish, share, method="inverted_cdf"))


def deadline_end(problem: Problem, deadline: dt.date) -> int:
    """The exclusive end day a task meets ``deadline`` by (as the planning rules count it)."""
    return problem.timeline.day_on_or_before(deadline) + 1


def project_risks(
    problem: Problem,
    plan: Plan,
    setup: RiskSetup,
    finish: np.ndarray,
    length: np.ndarray,
    critical: np.ndarray,
) -> tuple[ProjectRisk, ...]:
    """One :class:`ProjectRisk` per planned project, in scenario order.

    Parameters
    ----------
    finish
        End day of each project in each sample, ``[projects, samples]``.
    length
        Working days of each task in each sample, ``[tasks, samples]``.
    critical
        Samples in which each task is on the chain setting each project's finish, ``[projects, tasks]``.
    """
    planned = {pp.project: pp for pp in plan.projects}
    deadlines = {p.id: p.deadline for p in problem.scenario.projects}
    timeline = problem.timeline
    risks = []
    for row, project in enumerate(setup.projects):
        ends = finish[row]
        deadline = deadlines.get(project)
        on_time = late = None
        if deadline is not None:
            due = deadline_end(problem, deadline)
            on_time = float(np.mean(ends <= due))
            late = float(np.mean(np.maximum(ends - due, 0)))
        p50, p80, p95 = (timeline.date(percentile_days(ends, share) - 1) for share in PERCENTILES)
        planned_finish = planned[project].finish if project in planned else None
        risks.append(
            ProjectRisk(
                project=project,
                planned_finish=planned_finish or p50,
                deadline=deadline,
                p50=p50,
                p80=p80,
                p95=p95,
                mean_late_days=round(late or 0.0, 2),
                on_time=on_time,
                drivers=_drivers(setup, project, ends, length, critical[row]),
                curve=_curve(timeline.dates, ends),
            )
        )
    return tuple(risks)


def _curve(dates: list[dt.date], ends: np.ndarray) -> tuple[tuple[dt.date, float], ...]:
    """Each finish date some sample reaches, with the share of samples finished by then."""
    days, counts = np.unique(ends, return_counts=True)
    shares = np.cumsum(counts) / len(ends)
    return tuple(
        (dates[int(day) - 1], round(float(share), 4)) for day, share in zip(days, shares, strict=True)
    )


def _drivers(
    setup: RiskSetup, project: str, ends: np.ndarray, length: np.ndarray, critical: np.ndarray
) -> tuple[TaskDriver, ...]:
    """The tasks most often on the chain setting the finish, among those whose length varies."""
    samples = len(ends)
    candidates = [t for t in np.flatnonzero(critical) if np.ptp(length[t]) > 0]
    if not candidates or np.ptp(ends) == 0:
        return ()
    correlations = _rank_correlations(length[candidates], ends)
    rows = sorted(
        zip(candidates, correlations, strict=True),
        key=lambda item: (-critical[item[0]], -item[1]),
    )[:DRIVERS]
    tasks = setup.model.tasks
    return tuple(
        TaskDriver(
            task=tasks[t].id,
            project=tasks[t].project,
            criticality=round(float(critical[t]) / samples, 4),
            correlation=round(float(np.clip(r, -1.0, 1.0)), 4),
        )
        for t, r in rows
    )


def _rank_correlations(lengths: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Spearman correlation of each row of ``lengths`` with ``ends`` (ties ranked on average)."""
    ranked = pd.DataFrame(lengths.T).rank().to_numpy(copy=True)
    target = pd.Series(ends).rank().to_numpy(copy=True)
    ranked -= ranked.mean(axis=0)
    target -= target.mean()
    norms = np.sqrt((ranked**2).sum(axis=0) * (target**2).sum())
    return np.divide(ranked.T @ target, norms, out=np.zeros(len(norms)), where=norms > 0)
