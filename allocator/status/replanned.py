"""Forecast finish by re-planning the work left from the as-of date.

The re-plan is the one ``allocator replan`` makes from the same actuals, with its
default freeze window and stability: done tasks stay done, a task in progress resumes on
the as-of date with the people on it and its ``remaining_effort`` (or
``remaining_days``) as the work left, whatever the estimate was, and everything else is
solved afresh. Every plan it returns has passed the independent checker; each project's
forecast finish is its finish in that plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.replan.run import ReplanOptions, replan
from allocator.search.solve import SolveOptions
from models.status import ReplanForecast

if TYPE_CHECKING:
    import datetime as dt

    from allocator.status.inputs import Measured
    from models import Plan, Scenario
    from models.progress import TaskProgress

#: Seconds of search a re-plan forecast is given unless told otherwise.
DEFAULT_TIME_LIMIT = 20.0

REPLAN_METHOD = (
    "re-plan: the work left re-planned from the as-of date as allocator replan does (done work "
    "kept, work in progress resumed by its people with its remaining effort, the rest solved), "
    "verified by the checker; each project's forecast finish is its finish in the re-plan"
)


class NoReplanError(Exception):
    """No verified re-plan was found within the time limit."""


@dataclass(frozen=True)
class Replanned:
    """A verified re-plan of the work left and the finishes it forecasts.

    Attributes
    ----------
    plan, scenario
        The re-plan and the re-plan scenario it was verified against (``None`` when no
        work is left).
    summary
        How the re-plan went, as the report states it.
    finishes
        Per project with work left, its finish in the re-plan (``None`` when deferred).
    """

    plan: Plan | None
    scenario: Scenario | None
    summary: ReplanForecast
    finishes: dict[str, dt.date | None] = field(default_factory=dict)

    def method(self) -> str:
        """The forecast method in words, with how this re-plan went."""
        s = self.summary
        if self.plan is None:
            return f"{REPLAN_METHOD} (no work left to re-plan)"
        return (
            f"{REPLAN_METHOD} ({s.solver_status} after {s.wall_time:.1f} s of at most "
            f"{s.time_limit:g} s, seed {s.seed}; weighted late days {s.weighted_late_days})"
        )


def _finished(entry: TaskProgress | None) -> bool:
    """Done, or in progress with nothing left (as the re-plan counts it)."""
    if entry is None:
        return False
    remaining = entry.remaining_effort if entry.remaining_effort is not None else entry.remaining_days
    return entry.status == "done" or (entry.status == "in_progress" and remaining == 0)


def replan_forecast(
    measured: Measured,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int | None = None,
    workers: int | None = None,
    file: str = "actuals",
) -> Replanned:
    """Re-plan the work left in ``measured`` from its as-of date.

    Parameters
    ----------
    time_limit, seed, workers
        The search settings (``None``: the scenario's).
    file
        Named in input problems.

    Raises
    ------
    ScenarioError
        When the progress does not fit the scenario for a re-plan.
    NoReplanError
        When no verified re-plan is found in the time.
    """
    scenario = measured.scenario
    used_seed = seed if seed is not None else scenario.solver.seed
    entries = measured.by_task()
    if all(_finished(entries.get(task.id)) for _, task in scenario.tasks()):
        summary = ReplanForecast(
            weighted_late_days=0,
            solver_status="optimal",
            time_limit=time_limit,
            seed=used_seed,
            wall_time=0.0,
        )
        return Replanned(None, None, summary)
    started = time.monotonic()
    options = ReplanOptions(
        measured.as_of, solve=SolveOptions(time_limit=time_limit, workers=workers, seed=used_seed)
    )
    # A status may be taken after the scenario's end, while late work runs on; the re-plan
    # scenario ends on the later of the two anyway, so start from that window.
    window = scenario.model_copy(update={"end": max(scenario.end, measured.as_of)})
    result = replan(window, measured.baseline, options, measured.progress, file)
    plan = result.plan
    if plan is None or plan.check is None or not plan.check.ok:
        raise NoReplanError(f"no verified re-plan found within {time_limit:g} s")
    status = (
        result.solve.status.value if result.solve is not None and result.solve.plan is plan else "feasible"
    )
    summary = ReplanForecast(
        weighted_late_days=plan.kpis.weighted_late_days,
        solver_status=status,
        time_limit=time_limit,
        seed=used_seed,
        wall_time=round(time.monotonic() - started, 2),
        verified=True,
        released=tuple(result.released),
    )
    finishes = {p.project: None if p.deferred else p.finish for p in plan.projects}
    return Replanned(plan, result.setup.scenario, summary, finishes)
