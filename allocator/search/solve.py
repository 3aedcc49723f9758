"""Solve a scenario: construct a first plan, then improve it stage by stage with CP-SAT.

Every plan that leaves this module has passed the independent checker. The best
verified plan so far is kept at every step, so a time-out or an interruption still
returns it.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from allocator.bounds.portfolio import portfolio_bounds
from allocator.checker import check_plan
from allocator.construct.serial import construct_schedule
from allocator.cpsat.formulation.model import Formulation, build_formulation
from allocator.cpsat.formulation.objectives import MONEY_TERMS, stage_expression
from allocator.cpsat.formulation.timing import add_floors
from allocator.cpsat.solution import apply_hint, extract_schedule
from allocator.cpsat.solver import (
    Incumbents,
    complete_hint,
    hint_values,
    integral_bound,
    make_solver,
    to_status,
)
from allocator.diagnose.explain import explain_infeasibility
from allocator.diagnose.lateness import explain_lateness
from allocator.io import scenario_hash
from allocator.plan.assemble import assemble_plan, schedule_from_plan, tighten
from allocator.problem.compile import compile_problem, horizon_date
from allocator.problem.data import MONEY_SCALE, Problem
from allocator.search.budget import DEFAULT_BUDGET, TimeBudget
from allocator.search.evaluate import stage_values
from allocator.search.literature.feasible_sets import makespan_bound
from allocator.search.literature.pooled import PooledSearch, applicable, cut_driven, pooled_search
from allocator.search.lns import LnsSettings, improve
from allocator.search.priorities import PrioritySearch, search_priorities
from models import Explanation, ObjectiveTerm, Plan, Scenario, SolverInfo, SolverStatus
from models.plan import StageResult, stage_gap

if TYPE_CHECKING:
    from collections.abc import Callable

    from ortools.sat.python import cp_model

    from allocator.bounds.lateness import PortfolioBounds
    from allocator.problem.schedule import Schedule
    from allocator.replan.input import ReplanInput

#: Up to this many tasks the last full-model search of a multi-skill makespan stage starts
#: without the hint (BENCHMARKS.md: a hint at the best plan holds CP-SAT's bound there).
UNHINTED_TASKS = 30
#: CP-SAT workers of a whole-stage search of staffed lateness above the small models: on
#: the bundled quarter (90 tasks, 20 s, five seeds) one worker reached 154 weighted late
#: days on average against 221 with two on two cores (BENCHMARKS.md, "IT portfolios").
LATENESS_SEARCH_WORKERS = 1
#: Statuses that end a stage and the solve.
_FAILED = (SolverStatus.INFEASIBLE, SolverStatus.INVALID)
#: Horizons tried, in planning windows past the window, when construction overflows.
HORIZON_GROWTH = (3.0, 7.0)


@dataclass(frozen=True)
class Progress:
    """A progress report: a new incumbent or the start of a stage."""

    stage: int
    stages: int
    objective: float | None
    bound: float | None
    elapsed: float
    message: str = ""


@dataclass
class SolveOptions:
    """How long and how to search. ``None`` fields fall back to the scenario's settings."""

    time_limit: float | None = None
    workers: int | None = None
    seed: int | None = None
    log: bool | None = None
    construct_only: bool = False
    warm_start: Plan | None = None  #: a plan to start from (a what-if base, a re-plan baseline)
    progress: Callable[[Progress], None] | None = None
    replan: ReplanInput | None = None  #: baseline decisions and frozen tasks of a re-plan
    budget: TimeBudget = DEFAULT_BUDGET  #: how the time limit is split (:mod:`allocator.search.budget`)
    explain_seconds: float = 0.0  #: after the search, to explain late projects (0: no explanations)
    explain_causes: bool = True  #: ``False``: only re-plan late projects alone, explain nothing


@dataclass
class SolveResult:
    """The outcome of a solve: the best verified plan (if any) and why not otherwise."""

    status: SolverStatus
    plan: Plan | None
    info: SolverInfo
    reasons: list[str] = field(default_factory=list)


class SolveControl:
    """Lets another thread (a Ctrl-C handler) stop the search; the best plan is kept."""

    def __init__(self) -> None:
        self._stopped = threading.Event()
        self._solver: cp_model.CpSolver | None = None

    @property
    def stopped(self) -> bool:
        """Whether a stop was asked for."""
        return self._stopped.is_set()

    def stop(self) -> None:
        """Stop the running search and skip the remaining stages."""
        self._stopped.set()
        if self._solver is not None:
            self._solver.stop_search()

    def attach(self, solver: cp_model.CpSolver | None) -> None:
        """The solver a stop should interrupt."""
        self._solver = solver
        if solver is not None and self.stopped:
            solver.stop_search()


@dataclass
class _Run:
    """State of one solve: the clock, the best verified plan and the stage results."""

    problem: Problem
    options: SolveOptions
    control: SolveControl
    started: float = field(default_factory=time.monotonic)
    best: Plan | None = None
    best_schedule: Schedule | None = None
    best_values: tuple[int, ...] | None = None
    hint: Schedule | None = None  #: what the search starts from when no plan verified yet
    first_plan_at: float | None = None
    first_source: str = ""
    construct_seconds: float = 0.0  #: what one construction took (the order search needs room for one)
    stages: list[StageResult] = field(default_factory=list)
    hash: str = ""
    bounds: PortfolioBounds | None = None  #: what no plan can beat (:mod:`allocator.bounds`)
    explanations: list[Explanation] = field(default_factory=list)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def report(self, stage: int, objective: float | None, bound: float | None, message: str = "") -> None:
        if self.options.progress:
            total = len(self.problem.scenario.objective.stages)
            self.options.progress(Progress(stage, total, objective, bound, self.elapsed(), message))


def solve_scenario(
    scenario: Scenario, options: SolveOptions | None = None, control: SolveControl | None = None
) -> SolveResult:
    """Plan ``scenario``: a constructed first plan, then lexicographic CP-SAT stages.

    Parameters
    ----------
    scenario
        A validated scenario.
    options
        Time limit, workers, seed; defaults from ``scenario.solver``.
    control
        Lets a signal handler stop the search early; the best verified plan is returned.

    Returns
    -------
    SolveResult
        ``plan`` is ``None`` only when no verified plan was found.
    """
    options = options or SolveOptions()
    started = time.monotonic()  # the clock includes compiling: it is what the user waits for
    problem = compile_problem(scenario)
    if options.replan is not None:
        options.replan.apply(problem)
    run = _Run(problem, options, control or SolveControl(), started=started, hash=scenario_hash(scenario))
    _construct(run)
    run.bounds = portfolio_bounds(run.problem)
    statuses: list[SolverStatus] = []
    if not options.construct_only and not run.control.stopped:
        _search_priorities(run)
        statuses = _optimise(run)
    if options.explain_seconds > 0 and not run.control.stopped:
        _explain(run)
    return _result(run, statuses)


def _settings(run: _Run) -> tuple[float, int, int, bool]:
    base, opts = run.problem.scenario.solver, run.options
    time_limit = opts.time_limit if opts.time_limit is not None else base.time_limit
    workers = opts.workers if opts.workers is not None else base.workers
    seed = opts.seed if opts.seed is not None else base.seed
    log = opts.log if opts.log is not None else base.log
    return time_limit, used_workers(workers), seed, log


def default_explain_seconds(time_limit: float) -> float:
    """Time to explain late projects after a search of ``time_limit`` seconds: half of it,
    10 s at least and 120 s at most."""
    return min(120.0, max(10.0, time_limit / 2))


def used_workers(asked: int) -> int:
    """Search threads for ``asked`` (0: every core); never more than the machine's cores,
    where extra threads only take turns and each searches less."""
    cores = os.cpu_count() or 1
    return min(asked, cores) if asked else cores


def _construct(run: _Run) -> None:
    """A first plan by construction; the horizon grows when the work does not fit in it.

    The horizon starts at the planning window plus as much again; an overloaded
    portfolio may need longer, and the search must see the horizon the plan needs.
    """
    began = time.monotonic()
    schedule = construct_schedule(run.problem)
    run.construct_seconds = time.monotonic() - began
    for extra_windows in HORIZON_GROWTH:
        if schedule is not None:
            break
        run.problem = compile_problem(run.problem.scenario, horizon_date(run.problem.scenario, extra_windows))
        schedule = construct_schedule(run.problem)
    if schedule is None:
        run.report(0, None, None, "no constructed plan; searching")
    else:
        run.hint = schedule
        _accept(run, schedule, "construction")
    if run.options.warm_start is not None:
        warm = schedule_from_plan(run.problem, run.options.warm_start)
        merged = {tid: warm.get(tid) or (schedule or {}).get(tid) for tid in run.problem.tasks}
        if all(merged.values()):
            complete = {tid: choice for tid, choice in merged.items() if choice is not None}
            if not _accept(run, complete, "warm start") and run.best_schedule is None:
                run.hint = complete


def _search_priorities(run: _Run) -> None:
    """Better first plans from other construction orders (:mod:`allocator.search.priorities`).

    Only where the first stage weighs the lateness of staffed work and the constructed
    plan is not already at the stage's bound.
    """
    problem, stages = run.problem, run.problem.scenario.objective.stages
    if run.best_values is None or ObjectiveTerm.LATENESS not in stages[0] or not _staffed(problem):
        return
    assert run.bounds is not None
    if run.best_values[0] <= run.bounds.stage(problem, stages[0]):
        return
    time_limit, _, seed, _ = _settings(run)
    seconds = run.options.budget.priority_seconds(time_limit - run.elapsed())
    if seconds <= 2 * run.construct_seconds:  # not even two constructions fit: no search
        return

    def accept(schedule: Schedule) -> bool:
        if not _accept(run, schedule, "construction order search"):
            return False
        assert run.best_values is not None
        run.report(1, run.best_values[0], None, "construction order search")
        return True

    run.report(1, run.best_values[0], None, "searching construction orders")
    search = PrioritySearch(time.monotonic() + seconds, seed, accept, lambda: run.control.stopped)
    search_priorities(problem, search)


def _accept(run: _Run, schedule: Schedule, source: str, info: SolverInfo | None = None) -> bool:
    """Tighten, date and check a schedule; keep it when it verifies and ranks no worse.

    Schedules are ranked by their stage objectives, lexicographically, recomputed from
    the schedule itself, so a later stage or a neighbourhood search never replaces the
    best plan with one that is worse on an earlier stage.
    """
    tighten(run.problem, schedule)
    values = stage_values(run.problem, schedule)
    if run.best_values is not None and values > run.best_values:
        return False
    plan = assemble_plan(run.problem, schedule, run.hash, info)
    report = check_plan(run.problem.scenario, plan)
    if not report.ok:
        run.report(0, None, None, f"{source} plan rejected by the checker: {report.violations[0].message}")
        return False
    run.best, run.best_schedule = plan.model_copy(update={"check": report}), schedule
    run.best_values = values
    if run.first_plan_at is None:
        run.first_plan_at, run.first_source = run.elapsed(), source
    return True


def _optimise(run: _Run) -> list[SolverStatus]:
    """The lexicographic stages, each given its share of the time (:mod:`allocator.search.budget`)."""
    time_limit, workers, seed, log = _settings(run)
    policy = run.options.budget
    formulation = None
    if len(run.problem.tasks) <= policy.full_model_tasks or run.best_schedule is None:
        formulation = build_formulation(run.problem)
        if run.bounds is not None:
            add_floors(formulation.model, formulation.variables, run.bounds.chains)
        start_from = run.best_schedule or run.hint
        if start_from is not None:
            apply_hint(formulation, start_from)
            complete_hint(formulation, policy.hint_seconds(time_limit - run.elapsed()))
    stages = run.problem.scenario.objective.stages
    statuses = []
    for index, stage in enumerate(stages):
        remaining = time_limit - run.elapsed()
        if remaining <= 0.05 or run.control.stopped:
            break
        budget = remaining * policy.stage_share(index, len(stages), run.best_schedule is not None)
        status = _StageSearch(run, formulation, index, stage, workers, seed, log).search(budget)
        statuses.append(status)
        if status in (SolverStatus.INFEASIBLE, SolverStatus.INVALID):
            break
    return statuses


def _staffed(problem: Problem) -> bool:
    """Whether any task is done by people or contractors (not only by shared resources).

    Pure resource scheduling (the PSPLIB and MISTA families) is what CP-SAT's own
    search does best on; assignment-heavy portfolios gain from our neighbourhoods.
    """
    return any(mode.people or mode.vendors for task in problem.tasks.values() for mode in task.modes)


class _StageSearch:
    """One lexicographic stage: CP-SAT on the full model, then neighbourhood search.

    Small portfolios get the whole stage as one CP-SAT search. Larger ones get a share
    of it, then large-neighbourhood search (:mod:`allocator.search.lns`) from the best
    verified plan; the largest skip the full model altogether, which also bounds memory.
    A stage that minimises the makespan alone keeps the whole stage for CP-SAT: our
    neighbourhoods aim at lateness, CP-SAT's own at the end of the schedule (measured on
    multi-skill benchmarks in BENCHMARKS.md). The shares are
    :class:`~allocator.search.budget.TimeBudget`'s.
    """

    def __init__(
        self,
        run: _Run,
        formulation: Formulation | None,
        index: int,
        stage: dict[ObjectiveTerm, int],
        workers: int,
        seed: int,
        log: bool,
    ) -> None:
        self.run, self.formulation, self.index, self.stage = run, formulation, index, stage
        self.workers, self.seed, self.log = workers, seed, log
        self.policy = run.options.budget
        #: The literature's multi-skill pre-stages apply (:mod:`allocator.search.literature`).
        self.prestaged = formulation is not None and index == 0 and applicable(run.problem, stage)
        #: The full model gets the whole stage: no neighbourhoods after it.
        self.whole = formulation is not None and self._whole()
        #: The stage's bound from :mod:`allocator.bounds`, set when the search starts.
        self.known = 0.0

    def search(self, budget: float) -> SolverStatus:
        """Search for ``budget`` seconds; bound later stages by the result."""
        run, index = self.run, self.index
        run.report(index + 1, None, None, f"stage {index + 1}: {', '.join(t.value for t in self.stage)}")
        started = time.monotonic()
        deadline = started + budget
        self.known = self._known_bound()
        status, bound = SolverStatus.FEASIBLE, self.known
        if self.formulation is not None:
            if self.prestaged:
                status, found = self._prestages(self.formulation, budget)
                bound = max(bound, found)
            if status not in _FAILED and not self._proven(bound):
                status, found = self._full_model(self.formulation, deadline - time.monotonic())
                bound = max(bound, found)
            if status in _FAILED:
                return status
        if run.best_schedule is None:
            return SolverStatus.UNKNOWN
        if not self.whole and not self._proven(bound) and not run.control.stopped:
            self._neighbourhoods(deadline)
        assert run.best_schedule is not None
        value = stage_values(run.problem, run.best_schedule)[index]
        status = SolverStatus.OPTIMAL if value <= bound else SolverStatus.FEASIBLE
        self._record(value, status, bound, time.monotonic() - started)
        return status

    def _known_bound(self) -> float:
        """The stage's bound from :mod:`allocator.bounds`; kept by the model where it weighs lateness.

        It holds for every plan, so the model may keep it as a constraint: CP-SAT then
        proves a plan that reaches it optimal at once.
        """
        run = self.run
        assert run.bounds is not None
        bound = run.bounds.stage(run.problem, self.stage)
        if bound > 0 and self.formulation is not None and ObjectiveTerm.LATENESS in self.stage:
            self.formulation.model.add(stage_expression(self.stage, self.formulation.terms) >= bound)
        return float(bound)

    def _prestages(self, formulation: Formulation, budget: float) -> tuple[SolverStatus, float]:
        """A multi-skill makespan stage: a first look at the full model (its bound settles
        easy instances at once), then the feasible-set bound and the pooled relaxation."""
        started = time.monotonic()
        status, bound = self._monolithic(formulation, self.policy.first_look_share * budget)
        bound = max(bound, self.known)
        floor = 0.0
        if status == SolverStatus.FEASIBLE and not self._proven(bound):
            floor = self._floor(formulation, budget)
            bound = max(bound, floor)
        if status == SolverStatus.FEASIBLE and not self._proven(bound):
            pooled_time = self.policy.pooled_seconds(cut_driven(self.run.problem), budget)
            pooled_time = min(pooled_time, budget - (time.monotonic() - started))
            bound = max(bound, self._pooled(formulation, pooled_time, floor))
        return status, bound

    def _full_model(self, formulation: Formulation, left: float) -> tuple[SolverStatus, float]:
        """CP-SAT on the full model, hinted at the best plan, for its share of ``left`` seconds."""
        if self.prestaged and len(self.run.problem.tasks) <= UNHINTED_TASKS:
            # A hint at the best plan holds CP-SAT's bound where it starts; small
            # models find the plan again quickly and then prove it (BENCHMARKS.md).
            formulation.model.clear_hints()
        workers, problem = self.workers, self.run.problem
        larger = len(problem.tasks) > UNHINTED_TASKS and _staffed(problem)
        if self.whole and larger and ObjectiveTerm.LATENESS in self.stage:
            workers = min(workers, LATENESS_SEARCH_WORKERS)
        return self._monolithic(formulation, self.policy.full_model_seconds(left, self.whole), workers)

    def _whole(self) -> bool:
        """Whether the full model gets the whole stage (no neighbourhoods after it)."""
        problem = self.run.problem
        return (
            len(problem.tasks) <= self.policy.monolithic_tasks
            or self.run.best_schedule is None
            or not _staffed(problem)
            or set(self.stage) == {ObjectiveTerm.MAKESPAN}
        )

    def _best_value(self) -> int | None:
        """The best verified plan's value on this stage, if there is a plan."""
        best = self.run.best_schedule
        return None if best is None else stage_values(self.run.problem, best)[self.index]

    def _proven(self, bound: float) -> bool:
        """Whether the best verified plan reaches ``bound`` on this stage."""
        value = self._best_value()
        return value is not None and value <= bound

    def _floor(self, formulation: Formulation, budget: float) -> float:
        """The feasible-set bound of a makespan-only stage, kept by the model (0 if none).

        See :mod:`allocator.search.literature.feasible_sets`: it is valid for every plan, so the model
        keeps it for the stages after this one too.
        """
        if set(self.stage) != {ObjectiveTerm.MAKESPAN}:
            return 0.0
        day = makespan_bound(self.run.problem, self.policy.floor_seconds(budget))
        if day is None:
            return 0.0
        floor = self.stage[ObjectiveTerm.MAKESPAN] * day
        formulation.model.add(stage_expression(self.stage, formulation.terms) >= floor)
        self.run.report(self.index + 1, None, floor, "feasible-set bound")
        return float(floor)

    def _pooled(self, formulation: Formulation, budget: float, floor: float) -> float:
        """The pooled relaxation's search (:mod:`~allocator.search.literature.pooled`); its stage bound."""
        run, index = self.run, self.index

        def accept(staffed: Schedule) -> bool:
            if not _accept(run, staffed, "pooled relaxation"):
                return False
            run.report(index + 1, self._best_value(), None, "pooled relaxation staffed")
            return True

        control = run.control
        search = PooledSearch(
            self.workers,
            self.seed,
            self.log,
            control.attach,
            lambda: control.stopped,
            accept,
            self._best_value,
        )
        start_from = run.best_schedule or run.hint
        return pooled_search(run.problem, formulation, self.stage, start_from, budget, search, floor)

    def _monolithic(
        self, formulation: Formulation, budget: float, workers: int | None = None
    ) -> tuple[SolverStatus, float]:
        run, index = self.run, self.index
        formulation.model.minimize(stage_expression(self.stage, formulation.terms))
        solver = make_solver(formulation, budget, workers or self.workers, self.seed, self.log, self.stage)
        callback = Incumbents(lambda obj, bound: run.report(index + 1, obj, bound))
        run.control.attach(solver)
        code = solver.solve(formulation.model, callback)
        run.control.attach(None)
        status = to_status(code)
        if status in (SolverStatus.OPTIMAL, SolverStatus.FEASIBLE):
            _accept(run, extract_schedule(solver, formulation), "search")
            hint_values(formulation.model, list(solver.response_proto.solution))
        return status, integral_bound(solver)

    def _neighbourhoods(self, deadline: float) -> None:
        run, index = self.run, self.index
        assert run.best_schedule is not None

        def accepted(candidate: Schedule) -> bool:
            if not _accept(run, candidate, "search"):
                return False
            run.report(index + 1, stage_values(run.problem, candidate)[index], None, "")
            return True

        floors = run.bounds.chains if run.bounds is not None else None
        settings = LnsSettings(
            deadline, self.workers, self.seed + index, stopped=lambda: run.control.stopped, floors=floors
        )
        improve(run.problem, run.best_schedule, index, settings, accepted)

    def _record(self, value: int, status: SolverStatus, bound: float, wall: float) -> None:
        unit = _unit(self.stage)
        self.run.stages.append(
            StageResult(
                terms={t.value: w for t, w in self.stage.items()},
                objective=value / unit,
                bound=min(bound, value) / unit,
                status=status,
                wall_time=round(wall, 3),
            )
        )
        if self.formulation is not None and self.run.best_schedule is not None:
            self.formulation.model.add(stage_expression(self.stage, self.formulation.terms) <= value)
            apply_hint(self.formulation, self.run.best_schedule)


def _explain(run: _Run) -> None:
    """Explain each late project (:mod:`allocator.diagnose.lateness`), after the search and
    on top of its time limit; a project re-planned alone that finishes earlier is kept."""
    if run.best_schedule is None or run.bounds is None:
        return
    causes = run.options.explain_causes
    run.report(
        len(run.stages), None, None, "explaining late projects" if causes else "re-planning late projects"
    )
    _, workers, seed, _ = _settings(run)
    deadline = time.monotonic() + run.options.explain_seconds
    bounds = run.bounds.projects

    def accept(schedule: Schedule) -> Schedule | None:
        candidate = {tid: replace(choice) for tid, choice in schedule.items()}
        return candidate if _accept(run, candidate, "explanation") else None

    run.explanations = explain_lateness(
        run.problem, run.best_schedule, bounds, deadline, seed, accept, workers, causes
    )
    _restate_stages(run)


def _unit(stage: dict[ObjectiveTerm, int]) -> int:
    """Model units per reported unit of a stage: money stages are reported in currency."""
    return MONEY_SCALE if any(term in MONEY_TERMS for term in stage) else 1


def _restate_stages(run: _Run) -> None:
    """Each stage's objective recomputed from the best plan (a later step may improve it)."""
    if run.best_schedule is None:
        return
    values = stage_values(run.problem, run.best_schedule)
    stages = run.problem.scenario.objective.stages
    for index, (stage, result) in enumerate(zip(stages, run.stages, strict=False)):
        objective = values[index] / _unit(stage)
        if objective < result.objective:
            run.stages[index] = result.model_copy(
                update={"objective": objective, "bound": min(result.bound, objective)}
            )


def _result(run: _Run, statuses: list[SolverStatus]) -> SolveResult:
    time_limit, workers, seed, _ = _settings(run)
    stages_total = len(run.problem.scenario.objective.stages)
    if run.best is None:
        status = SolverStatus.INFEASIBLE if SolverStatus.INFEASIBLE in statuses else SolverStatus.UNKNOWN
    elif len(statuses) == stages_total and all(s == SolverStatus.OPTIMAL for s in statuses):
        status = SolverStatus.OPTIMAL
    else:
        status = SolverStatus.FEASIBLE
    first = run.stages[0] if run.stages else None
    gap = None if first is None else stage_gap(first)
    info = SolverInfo(
        status=status,
        objective=first.objective if first else None,
        best_bound=first.bound if first else None,
        gap=gap,
        stages=tuple(run.stages),
        wall_time=round(run.elapsed(), 3),
        time_to_first_plan=None if run.first_plan_at is None else round(run.first_plan_at, 3),
        first_plan_source=run.first_source,
        workers=workers,
        seed=seed,
        time_limit=time_limit,
        interrupted=run.control.stopped,
        project_bounds=tuple(run.bounds.projects.values()) if run.bounds else (),
        bound_reasons=tuple(run.bounds.reasons) if run.bounds else (),
    )
    plan = (
        run.best.model_copy(update={"solver": info, "explanations": tuple(run.explanations)})
        if run.best
        else None
    )
    reasons = [] if plan else explain_infeasibility(run.problem)
    return SolveResult(status=status, plan=plan, info=info, reasons=reasons)
