"""A small Python API for notebooks and scripts.

>>> from allocator import api
>>> scenario = api.load("scenarios/quarter.yaml")           # doctest: +SKIP
>>> plan = api.solve(scenario, time_limit=30)               # doctest: +SKIP
>>> api.projects_frame(plan)                                # doctest: +SKIP

Every plan :func:`solve` returns has passed the independent checker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from allocator.advise.run import Advice
from allocator.advise.run import advise as run_advice
from allocator.checker import check_plan
from allocator.diagnose.lateness import explain_plan
from allocator.io import ScenarioError, load_plan, load_scenario, save_plan
from allocator.output import assignments_frame, loads_frame, projects_frame
from allocator.search.solve import SolveControl, SolveOptions, SolveResult, solve_scenario
from models import SolverStatus

if TYPE_CHECKING:
    from collections.abc import Callable

    from allocator.search.solve import Progress
    from models import CheckReport, Explanation, Plan, Scenario

__all__ = [
    "NoPlanError",
    "ScenarioError",
    "advise",
    "assignments_frame",
    "check",
    "explain",
    "load",
    "load_plan",
    "loads_frame",
    "no_plan_reasons",
    "projects_frame",
    "save_plan",
    "solve",
]


class NoPlanError(Exception):
    """No verified plan was found for a scenario.

    Attributes
    ----------
    status
        ``infeasible`` when no plan can exist, ``unknown`` when none was found in time.
    reasons
        Why, in business terms; one sentence each.
    """

    def __init__(self, status: SolverStatus, reasons: list[str]) -> None:
        self.status = status
        self.reasons = reasons
        super().__init__("no plan: " + "; ".join(reasons))


def load(path: str | Path) -> Scenario:
    """Read, validate and check a scenario file (YAML) or scenario folder.

    Parameters
    ----------
    path
        A ``.yaml`` file or a folder holding ``scenario.yaml`` and tables.

    Raises
    ------
    ScenarioError
        With every problem found; ``error.problems`` lists them, each naming file,
        entity and field.
    """
    return load_scenario(path)


def solve(
    scenario: Scenario | str | Path,
    time_limit: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    explain_seconds: float = 0.0,
) -> Plan:
    """Plan a scenario and return the best verified plan.

    Parameters
    ----------
    scenario
        A scenario, or the path of one (read with :func:`load`).
    time_limit
        Seconds of search over all objective stages (default: the scenario's setting).
    workers
        Search threads, 0 for all cores (default: the scenario's setting).
    seed
        Random seed; with one worker the same seed gives the same plan.
    progress
        Called with each progress report (new incumbent, stage start).
    explain_seconds
        After the search, time to explain late projects (``plan.explanations``; 0: none).

    Returns
    -------
    Plan
        The best plan found, checked by the independent checker; ``plan.solver`` says
        whether it is proven optimal.

    Raises
    ------
    NoPlanError
        When no plan exists (``status`` ``infeasible``) or none was found in time.
    """
    if isinstance(scenario, str | Path):
        scenario = load(scenario)
    options = SolveOptions(
        time_limit=time_limit, workers=workers, seed=seed, progress=progress, explain_seconds=explain_seconds
    )
    result = solve_scenario(scenario, options, SolveControl())
    if result.plan is None:
        raise NoPlanError(result.status, no_plan_reasons(result))
    return result.plan


def explain(scenario: Scenario, plan: Plan, time_limit: float = 30.0, workers: int = 1) -> list[Explanation]:
    """Why each late project of ``plan`` is late (and why each deferred candidate is out).

    Every cause listed was verified by re-planning the project with the cause relaxed and
    everything else held (:mod:`allocator.diagnose.lateness`).

    Parameters
    ----------
    scenario, plan
        A scenario and a verified plan of it.
    time_limit
        Seconds for all the re-plans.
    workers
        Causes tested side by side.
    """
    return explain_plan(scenario, plan, time_limit, workers=workers)


def advise(
    scenario: Scenario, plan: Plan | None = None, time_limit: float = 120.0, budget: float | None = None
) -> Advice:
    """Remedies for the late projects, each solved as a verified what-if variant and ranked.

    Parameters
    ----------
    scenario
        The base scenario.
    plan
        A verified plan of it to start from (solved, with explanations, when ``None``).
    time_limit
        Seconds for everything.
    budget
        Most a remedy may cost; dearer levers are not tried.

    Returns
    -------
    Advice
        ``remedies`` best first, each with its levers, cost, late days saved, projects
        brought on time and its verified plan (see :mod:`allocator.advise.run`).
    """
    return run_advice(scenario, plan, time_limit, budget)


def check(scenario: Scenario, plan: Plan) -> CheckReport:
    """Verify every planning rule for ``plan`` with the independent checker.

    Parameters
    ----------
    scenario
        The scenario the plan is for.
    plan
        A plan, e.g. from :func:`solve` or :func:`load_plan`, possibly edited by hand.

    Returns
    -------
    CheckReport
        ``ok`` when no rule is broken; otherwise ``violations`` name rule, entity and dates.
    """
    return check_plan(scenario, plan)


def no_plan_reasons(result: SolveResult) -> list[str]:
    """Why a solve gave no plan, in business terms.

    Parameters
    ----------
    result
        A solve result without a plan.

    Returns
    -------
    list of str
        The solver's own reasons when it gave any, else one sentence for the status.
    """
    if result.reasons:
        return list(result.reasons)
    if result.info.interrupted:
        return ["the search was interrupted before any plan was found"]
    if result.status == SolverStatus.INFEASIBLE:
        return [
            "no plan can meet every hard rule: hard deadlines, capacities, vendor limits and budgets "
            "cannot all hold together; move a hard deadline, make it soft, or add people or vendors"
        ]
    if result.status == SolverStatus.INVALID:
        return ["the optimiser rejected its own model; this is a bug, please report it with the scenario"]
    return [f"no plan found within the time limit ({result.info.time_limit:g} s); allow more time"]
