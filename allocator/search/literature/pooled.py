"""Schedule first, staff second: the pooled relaxation of a skill-based model.

Where every mode has a fixed duration and a stage's objective depends on timing alone
(makespan, lateness, finish days), the people can be pooled: each (skill, level) pool and
every union of pools becomes a shared resource whose capacity is everyone qualified for
it (the skill-pool constraints of the full model,
:func:`allocator.cpsat.formulation.capacity.add_skill_pool_bounds`, with every union: Hall's
condition at every moment), and who does what is left out. What remains is resource
scheduling, where CP-SAT's own search is at its strongest. Its schedules are then
staffed in the full model with every start and mode held, a search of a fraction of a
second each.

The relaxation only drops constraints of the full model, so its proven bound bounds the
stage too. A schedule becomes a plan when the staffing succeeds, which it mostly does;
what can fail is that a person has to stay on a task from start to end, and such a
schedule is excluded before the relaxation is searched again: in small models with
people on one task at a time by cuts on the overlaps that no teams fit
(:mod:`allocator.search.literature.staffing_cuts`), which keep the bound a bound and replace the unions
of pools beyond the full model's; otherwise by excluding that one schedule. On
multi-skill benchmarks this finds plans the full model's search misses (measured in
BENCHMARKS.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from allocator.cpsat.formulation.model import Formulation, build_formulation
from allocator.cpsat.formulation.objectives import stage_expression
from allocator.cpsat.solution import apply_hint, extract_schedule
from allocator.cpsat.solver import hint_values, integral_bound, make_solver, solve_with_hint_fixed
from allocator.problem.data import FixedWork, Problem
from allocator.search.literature.staffing_cuts import (
    Conflict,
    OverlapCuts,
    exclusive_people,
    staffing_conflicts,
)
from models import ObjectiveTerm

if TYPE_CHECKING:
    from collections.abc import Callable

    from allocator.problem.schedule import Schedule

#: Objective terms that depend on the timing alone.
TIMING_TERMS = frozenset({ObjectiveTerm.MAKESPAN, ObjectiveTerm.LATENESS, ObjectiveTerm.FINISH})
#: Longest staffing search of the relaxation's schedule.
STAFFING_SECONDS = 5.0
#: Rounds of the relaxation's search at most, each at most this share of its time.
MAX_ATTEMPTS = 1000
ROUND_SHARE = 0.4
#: Largest model whose relaxation is cut by staffing conflicts (each cut restarts the
#: relaxation's search, which in models of 100 tasks and more costs more than it finds).
CUT_TASKS = 60


def applicable(problem: Problem, stage: dict[ObjectiveTerm, int]) -> bool:
    """Whether the pooled relaxation serves this stage of ``problem``.

    People or contractors do the work, every mode has a fixed duration, the stage's
    terms depend on timing alone, and the problem is whole (no work held fixed around
    it, no plan being re-planned).
    """
    modes = [mode for task in problem.tasks.values() for mode in task.modes]
    return (
        any(mode.people or mode.vendors for mode in modes)
        and all(mode.duration is not None for mode in modes)
        and set(stage) <= TIMING_TERMS
        and problem.fixed == FixedWork()
        and problem.baseline is None
        and not problem.frozen
    )


@dataclass
class PooledSearch:
    """How the search runs: CP-SAT settings, and the solve's hooks.

    ``attach`` registers the running solver so that a stop interrupts it; ``accept``
    checks a staffed plan and returns whether it became the best; ``best`` is the best
    verified plan's value on the stage, if there is one.
    """

    workers: int
    seed: int
    log: bool
    attach: Callable[[cp_model.CpSolver | None], None]
    stopped: Callable[[], bool]
    accept: Callable[[Schedule], bool]
    best: Callable[[], int | None]


class _Schedules(cp_model.CpSolverSolutionCallback):
    """The relaxation's schedules as found (each better than the last), and the staffing
    conflicts of those that cannot be staffed; the search stops at the first conflict so
    that its cut joins the relaxation."""

    def __init__(self, relaxation: Formulation, conflicts: Callable[[Schedule], list[Conflict]]) -> None:
        super().__init__()
        self.relaxation, self.conflicts_of = relaxation, conflicts
        self.found: list[Schedule] = []
        self.conflicts: list[Conflict] = []
        self.cut_schedule: Schedule | None = None

    def on_solution_callback(self) -> None:
        schedule = extract_schedule(self, self.relaxation)
        conflicts = self.conflicts_of(schedule)
        if not conflicts:
            self.found.append(schedule)
            return
        self.conflicts += conflicts
        self.cut_schedule = schedule
        self.stop_search()


def pooled_search(
    problem: Problem,
    formulation: Formulation,
    stage: dict[ObjectiveTerm, int],
    hint: Schedule | None,
    budget: float,
    search: PooledSearch,
    floor: float = 0.0,
) -> float:
    """Schedule in the relaxation and staff its schedules in ``formulation`` (the full
    model of ``problem``) for ``budget`` seconds.

    Each round searches the relaxation for schedules better than the best plan, then
    staffs them, best first: the first staffed becomes the best plan; those that cannot
    be staffed are excluded from later rounds. In models of up to :data:`CUT_TASKS`
    tasks with people who work on one task at a time, a round stops at the first
    schedule with staffing conflicts, whose cuts (:mod:`allocator.search.literature.staffing_cuts`) join
    the relaxation, and the next round starts from that schedule as its hint; there
    the relaxation has the full model's unions of pools only, and the cuts do the rest.
    Returns the relaxation's proven bound on the stage (0 if none) from the rounds
    before any single schedule was excluded (cuts keep it), so it holds for the full
    model; a round that finds nothing better than the best plan proves it. ``floor`` is
    a known lower bound on the stage, which the relaxation keeps.
    """
    deadline = time.monotonic() + budget
    exclusive = _cut_by(problem)
    relaxation = pooled_formulation(problem, stage, hint, every_union=not exclusive)
    objective = stage_expression(stage, relaxation.terms)
    if floor > 0:
        relaxation.model.add(objective >= round(floor))
    bound, exact = 0.0, True  # exact: no schedule excluded yet, so the bounds hold
    cuts = OverlapCuts(relaxation)

    def conflicts(timing: Schedule) -> list[Conflict]:
        return staffing_conflicts(problem, timing, exclusive) if exclusive else []

    for attempt in range(MAX_ATTEMPTS):
        left = deadline - time.monotonic()
        best = search.best()
        if left <= 0.05 or search.stopped() or (best is not None and best <= bound):
            break
        if best is not None:
            relaxation.model.add(objective <= best - 1)
        round_time = min(left, ROUND_SHARE * budget)
        solver = make_solver(relaxation, round_time, search.workers, search.seed + attempt, search.log)
        found = _Schedules(relaxation, conflicts)
        search.attach(solver)
        code = solver.solve(relaxation.model, found)
        search.attach(None)
        if exact and code == cp_model.INFEASIBLE and best is not None:
            bound = max(bound, best)  # nothing beats the best plan
        elif exact and code in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.UNKNOWN):
            bound = max(bound, integral_bound(solver))
        if code == cp_model.INFEASIBLE or search.stopped():
            break
        for cut in found.conflicts:
            cuts.add(cut)
        if found.cut_schedule is not None:  # the next round repairs it
            apply_hint(relaxation, found.cut_schedule, teams=False)
        for n, timing in enumerate(reversed(found.found)):
            staffed = staff(formulation, stage, timing, search.workers)
            if staffed is not None and search.accept(staffed):
                break
            _exclude(relaxation, timing, f"{attempt},{n}")
            exact = False
    return bound


def cut_driven(problem: Problem) -> bool:
    """Whether staffing cuts drive the relaxation of ``problem`` (its time share depends
    on it: :meth:`allocator.search.budget.TimeBudget.pooled_seconds`)."""
    return bool(_cut_by(problem))


def _cut_by(problem: Problem) -> set[str]:
    """The people whose staffing conflicts cut the relaxation (none: no cuts)."""
    return exclusive_people(problem) if len(problem.tasks) <= CUT_TASKS else set()


def _exclude(relaxation: Formulation, timing: Schedule, key: str) -> None:
    """No later schedule of the relaxation starts every task as ``timing`` does."""
    model, moved = relaxation.model, []
    for tid, task in relaxation.variables.tasks.items():
        differs = model.new_bool_var(f"moved[{key},{tid}]")
        model.add(task.start != timing[tid].start).only_enforce_if(differs)
        moved.append(differs)
    model.add_bool_or(moved)


def pooled_formulation(
    problem: Problem, stage: dict[ObjectiveTerm, int], hint: Schedule | None, *, every_union: bool = True
) -> Formulation:
    """The relaxation: ``problem`` with nobody on any mode, minimising ``stage``, with
    ``every_union`` of pools or the full model's."""
    anonymous = {
        tid: replace(
            task,
            modes=[
                replace(mode, people=[], levels={}, covers={}, vendors=[], vendor_covers={}, starts={})
                for mode in task.modes
            ],
        )
        for tid, task in problem.tasks.items()
    }
    formulation = build_formulation(replace(problem, tasks=anonymous), pooled=True, every_union=every_union)
    if hint is not None:
        apply_hint(formulation, hint, teams=False)
    formulation.model.minimize(stage_expression(stage, formulation.terms))
    return formulation


def staff(
    formulation: Formulation, stage: dict[ObjectiveTerm, int], timing: Schedule, workers: int
) -> Schedule | None:
    """Teams for ``timing`` (starts and modes held) in the full ``formulation``.

    On success the full model is hinted with the staffed plan, so the search that
    follows starts from it; otherwise its hint is left as it was. Returns ``None`` when
    no team fits the timing within :data:`STAFFING_SECONDS`.
    """
    model = formulation.model
    saved = (list(model.proto.solution_hint.vars), list(model.proto.solution_hint.values))
    apply_hint(formulation, timing, teams=False)
    model.minimize(stage_expression(stage, formulation.terms))
    solver = solve_with_hint_fixed(model, STAFFING_SECONDS, workers)
    if solver is not None:
        hint_values(model, list(solver.response_proto.solution))
        return extract_schedule(solver, formulation)
    model.clear_hints()
    model.proto.solution_hint.vars.extend(saved[0])
    model.proto.solution_hint.values.extend(saved[1])
    return None
