"""Re-plan a scenario from a date: repair the baseline, verify it, then improve it with CP-SAT."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.checker import check_plan
from allocator.io import scenario_hash
from allocator.plan.assemble import assemble_plan, schedule_from_plan, tighten
from allocator.problem.compile import compile_problem
from allocator.replan.changes import compare, plan_deadlines, plan_views, replan_views
from allocator.replan.derive import DEFAULT_FREEZE_DAYS, STABILITY_LEVELS, derive_replan
from allocator.replan.input import ReplanInput
from allocator.replan.progress_io import check_progress
from allocator.replan.repair import repair_schedule
from allocator.replan.slips import apply_slips, scale_progress_effort
from allocator.replan.summary import manager_summary
from allocator.search.solve import SolveOptions, solve_scenario
from models.progress import Progress

if TYPE_CHECKING:
    import datetime as dt

    from allocator.replan.derive import ReplanSetup
    from allocator.replan.slips import Slip
    from allocator.search.solve import SolveControl, SolveResult
    from models import Plan, Scenario
    from models.changes import ChangeList


@dataclass
class ReplanOptions:
    """How to re-plan: freeze window, stability weight, slips and search settings."""

    as_of: dt.date
    freeze_days: int = DEFAULT_FREEZE_DAYS
    stability_weight: int = STABILITY_LEVELS["medium"]
    slips: list[Slip] = field(default_factory=list)
    solve: SolveOptions = field(default_factory=SolveOptions)


@dataclass
class ReplanResult:
    """The verified re-plan, its change list, and how it was found."""

    plan: Plan | None
    changes: ChangeList | None
    setup: ReplanSetup
    released: list[str]
    first_plan_at: float | None  #: seconds to the first verified re-plan
    solve: SolveResult | None = None


def replan(
    scenario: Scenario,
    baseline: Plan,
    options: ReplanOptions,
    progress: Progress | None = None,
    file: str = "scenario",
    control: SolveControl | None = None,
) -> ReplanResult:
    """Re-plan ``scenario`` from ``options.as_of`` with as few changes to ``baseline`` as pay.

    Raises
    ------
    ScenarioError
        When the progress does not fit the scenario (unknown task, as-of date outside the window).
    """
    started = time.monotonic()
    progress = progress or scenario.progress or Progress()
    check_progress(scenario, progress, options.as_of, file)
    progress = _scaled(progress, options.slips)
    slipped = apply_slips(scenario, baseline, options.as_of, options.slips)
    unfrozen = frozenset(s.task for s in options.slips)
    setup = derive_replan(
        slipped, baseline, progress, options.as_of, options.stability_weight, options.freeze_days, unfrozen
    )
    first, released = _first_plan(setup)
    first_at = None if first is None else time.monotonic() - started
    frozen = setup.frozen - set(released)
    solve_options = _with_replan(options.solve, first, ReplanInput(setup.reference, frozenset(frozen)))
    result = solve_scenario(setup.scenario, solve_options, control)
    plan = _keep_promises(setup, frozen, result.plan) or first
    changes = None
    if plan is not None:
        changes = change_list(baseline, plan, setup, released, options.slips)
    return ReplanResult(plan, changes, setup, released, first_at, result)


def _scaled(progress: Progress, slips: list[Slip]) -> Progress:
    entries = tuple(
        e.model_copy(update={"remaining_effort": scale_progress_effort(e.remaining_effort, e.task, slips)})
        for e in progress.tasks
    )
    return progress.model_copy(update={"tasks": entries})


def _first_plan(setup: ReplanSetup) -> tuple[Plan | None, list[str]]:
    """The repaired baseline, verified by the checker, and the frozen tasks it released."""
    problem = compile_problem(setup.scenario)
    reference = schedule_from_plan(problem, setup.reference)
    repair = repair_schedule(problem, reference, set(setup.frozen), set(setup.in_progress))
    if repair.schedule is None:
        return None, sorted(setup.frozen)
    tighten(problem, repair.schedule)
    plan = assemble_plan(problem, repair.schedule, scenario_hash(setup.scenario))
    report = check_plan(setup.scenario, plan)
    if not report.ok:
        return None, sorted(setup.frozen)
    return plan.model_copy(update={"check": report}), repair.released


def _with_replan(options: SolveOptions, first: Plan | None, replan_input: ReplanInput) -> SolveOptions:
    return SolveOptions(
        time_limit=options.time_limit,
        workers=options.workers,
        seed=options.seed,
        log=options.log,
        construct_only=options.construct_only,
        warm_start=first or options.warm_start,
        progress=options.progress,
        replan=replan_input,
    )


def _keep_promises(setup: ReplanSetup, frozen: frozenset[str], plan: Plan | None) -> Plan | None:
    """``plan`` when it keeps every frozen task and every continuing assignee, else ``None``."""
    if plan is None:
        return None
    reference, new = plan_views(setup.reference), plan_views(plan)
    for tid in frozen:
        old, now = reference.get(tid), new.get(tid)
        if (
            old is None
            or now is None
            or (old.start, old.finish, old.team) != (now.start, now.finish, now.team)
        ):
            return None
    for tid, going in setup.in_progress.items():
        view = new.get(tid)
        if view is None or any(p not in view.team for p in going.kept):
            return None
    return plan


def change_list(
    baseline: Plan, plan: Plan, setup: ReplanSetup, released: list[str], slips: list[Slip]
) -> ChangeList:
    """The change list of a re-plan against its baseline, with history and a summary."""
    views = replan_views(plan, baseline, setup)
    changes = compare(plan_views(baseline), views, plan_deadlines(baseline, plan), setup.as_of)
    changes = changes.model_copy(
        update={
            "released": tuple(released),
            "done": tuple(setup.done),
            "slipped": tuple(s.text for s in slips),
        }
    )
    return changes.model_copy(update={"summary": manager_summary(changes, len(setup.in_progress))})
