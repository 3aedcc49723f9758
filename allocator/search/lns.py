"""Large-neighbourhood search over neighbourhoods a planner understands.

A monolithic CP-SAT search stalls on portfolios of realistic size. Here the incumbent
is improved by freeing a small part of it at a time — the tasks of a late project and
those competing with it for people, everything running in a time window, or the work
grown from one task along shared people — with every other task held fixed
(:func:`allocator.search.restrict.restrict`), and letting CP-SAT re-optimise that part alone.
Each sub-model is small whatever the portfolio's size. Earlier lexicographic stages are
kept: a neighbourhood may not worsen them. The neighbourhood size adapts: it grows while
sub-solves are proved optimal without improving, and shrinks when they run out of time.
Sub-solves run side by side, one per worker, each on its own one-worker CP-SAT search.
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from allocator.cpsat.formulation.model import build_formulation
from allocator.cpsat.formulation.objectives import stage_expression
from allocator.cpsat.formulation.timing import add_floors
from allocator.cpsat.solution import apply_hint, extract_schedule
from allocator.cpsat.solver import hint_values
from allocator.search.evaluate import stage_values
from allocator.search.restrict import REACH, restrict

if TYPE_CHECKING:
    from collections.abc import Callable

    from allocator.bounds.chains import Chains
    from allocator.problem.data import Problem
    from allocator.problem.schedule import Schedule


#: Bounds of the adaptive time of one sub-solve, in seconds.
MIN_SUB_TIME, MAX_SUB_TIME = 2.0, 15.0
#: Most tasks a whole-projects neighbourhood frees.
PROJECTS_CAP = 70


@dataclass
class LnsSettings:
    """Limits of one neighbourhood search."""

    deadline: float  #: ``time.monotonic()`` at which to stop
    workers: int  #: sub-solves run side by side (each on one CP-SAT worker)
    seed: int
    sub_time: float = 10.0  #: seconds per sub-solve at most (adapts within the bounds above)
    stopped: Callable[[], bool] = lambda: False
    floors: Chains | None = None  #: earliest starts and finishes of every plan, as floors of each sub-model
    sub_solves: int = 0
    improvements: int = 0
    history: list[tuple[int, bool]] = field(default_factory=list)  #: (size, improved) per sub-solve


class _Lanes:
    """The sub-solves running side by side, so a stop can interrupt them all at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._solvers: set[cp_model.CpSolver] = set()
        self._stopped = False

    def run(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> cp_model.CpSolverStatus:
        with self._lock:
            if self._stopped:
                return cp_model.UNKNOWN
            self._solvers.add(solver)
        try:
            return solver.solve(model)
        finally:
            with self._lock:
                self._solvers.discard(solver)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            for solver in self._solvers:
                solver.stop_search()


def improve(
    problem: Problem,
    schedule: Schedule,
    stage: int,
    settings: LnsSettings,
    on_improve: Callable[[Schedule], bool],
) -> Schedule:
    """Improve ``schedule`` on stage ``stage`` (earlier stages kept) until the deadline.

    ``settings.workers`` sub-solves run side by side, each on its own neighbourhood of
    the incumbent at the time it started (CP-SAT releases the interpreter while it
    searches). A finished sub-solve's schedule is compared with the incumbent of the
    moment. ``on_improve`` receives each better schedule and says whether it was
    accepted (it verifies it); only accepted schedules become the incumbent.
    """
    rng = random.Random(settings.seed)
    values = stage_values(problem, schedule)
    size = max(6, min(30, len(problem.tasks) // 3))
    lanes = _Lanes()
    running: dict[Future[tuple[Schedule | None, bool]], int] = {}
    width = max(1, settings.workers)
    with ThreadPoolExecutor(max_workers=width) as pool:
        while True:
            remaining = settings.deadline - time.monotonic()
            if settings.stopped():
                lanes.stop()
            elif remaining >= 0.3 and values[stage] > 0:
                for _ in range(width - len(running)):
                    free = _neighbourhood(problem, schedule, rng, size)
                    limit = min(settings.sub_time, remaining)
                    job = pool.submit(
                        _sub_solve,
                        problem,
                        schedule,
                        free,
                        stage,
                        limit,
                        rng.randrange(1 << 30),
                        lanes,
                        settings.floors,
                    )
                    running[job] = len(free)
            if not running:
                break
            done, _ = wait(running, timeout=0.1, return_when=FIRST_COMPLETED)
            for job in done:
                freed = running.pop(job)
                candidate, proved = job.result()
                settings.sub_solves += 1
                better = candidate is not None and _better(stage_values(problem, candidate), values, stage)
                settings.history.append((freed, better))
                if better and candidate is not None and on_improve(candidate):
                    schedule, values = candidate, stage_values(problem, candidate)
                    settings.improvements += 1
                else:
                    size = _adapt(
                        settings, size, len(problem.tasks), found=candidate is not None, proved=proved
                    )
    return schedule


def _adapt(settings: LnsSettings, size: int, tasks: int, found: bool, proved: bool) -> int:
    """The next neighbourhood size after a sub-solve that did not improve; adapts the sub-solve time.

    A part proved optimal without gain asks for a larger neighbourhood (and less time);
    one not proved asks for a smaller one, and one without any solution for more time.
    """
    if proved:
        settings.sub_time = max(MIN_SUB_TIME, settings.sub_time * 0.8)
        return min(tasks, size + max(2, size // 3))
    if not found:
        settings.sub_time = min(MAX_SUB_TIME, settings.sub_time * 1.5)
    return max(4, size - max(1, size // 4))


def _better(new: tuple[int, ...], old: tuple[int, ...], stage: int) -> bool:
    return new[: stage + 1] < old[: stage + 1]


def _neighbourhood(problem: Problem, schedule: Schedule, rng: random.Random, size: int) -> set[str]:
    """Tasks to free: a late project, a time window or a seed task, grown along shared people."""
    ids = [t for t in problem.tasks if schedule[t].present]
    kind = rng.choice(("late-projects", "late-projects", "late-chain", "late-project", "window", "people"))
    if kind == "late-projects":
        projects = _late_projects(problem, schedule, rng)
        if projects:
            free = {t for pid in projects for t in problem.projects[pid].tasks if schedule[t].present}
            cap = min(PROJECTS_CAP, 2 * size)
            if len(free) > cap:
                free = set(rng.sample(sorted(free), cap))
            return _whole_candidates(problem, schedule, free)
    late = _late_task(problem, schedule, rng) if kind == "late-chain" else None
    if late is not None:
        return _whole_candidates(problem, schedule, _chain_and_rivals(problem, schedule, late, rng, size))
    if kind in ("late-project", "late-chain"):
        seed_task = _late_task(problem, schedule, rng) or rng.choice(ids)
        free = {t for t in problem.projects[problem.tasks[seed_task].project].tasks if schedule[t].present}
    elif kind == "window":
        centre = schedule[rng.choice(ids)]
        free = {t for t in ids if schedule[t].start < centre.end + 5 and schedule[t].end > centre.start - 5}
    else:
        free = {rng.choice(ids)}
    if len(free) > size:
        free = set(rng.sample(sorted(free), size))
    free = _grow(problem, schedule, free, rng, size)
    return _whole_candidates(problem, schedule, free)


def _late_projects(problem: Problem, schedule: Schedule, rng: random.Random) -> list[str]:
    """One to three late projects (heavier lateness likelier) and the projects they wait on.

    Whole projects move together: a late project is usually held back by a chain that runs
    through another project's work (a shared platform, a landing zone) and by the people
    that project holds, so re-planning them jointly is where lateness gives way.
    """
    weights: dict[str, int] = {}
    for pid, project in problem.projects.items():
        ends = [schedule[t].end for t in project.tasks if schedule[t].present]
        if project.soft_end is not None and ends and max(ends) > project.soft_end:
            weights[pid] = (max(ends) - project.soft_end) * max(1, project.priority)
    if not weights:
        return []
    chosen = set(
        rng.choices(sorted(weights), weights=[weights[p] for p in sorted(weights)], k=rng.randint(1, 3))
    )
    for pid in list(chosen):
        for tid in problem.projects[pid].tasks:
            chosen.update(
                problem.tasks[d.pred].project for d in problem.preds(tid) if d.pred in problem.tasks
            )
    return sorted(chosen)


def _chain_and_rivals(
    problem: Problem, schedule: Schedule, late: str, rng: random.Random, size: int
) -> set[str]:
    """The chain of predecessors that holds ``late`` back, and the tasks competing for its people.

    Walking back from a late task along the dependency that binds its start gives the
    chain to pull earlier; the tasks of people eligible for the chain's tasks that run
    at the same time are what it has to make room among.
    """
    chain, current = [late], late
    while True:
        binding = [
            d.pred
            for d in problem.preds(current)
            if schedule[d.pred].present and schedule[d.pred].end + d.lag >= schedule[current].start
        ]
        if not binding:
            break
        current = max(binding, key=lambda t: schedule[t].end)
        chain.append(current)
    free = set(chain[: max(1, size // 2)])
    rivals: list[str] = []
    for tid in free.copy():
        choice = schedule[tid]
        eligible = {p for m in problem.tasks[tid].modes for p in m.people}
        rivals += [
            other
            for other, c in schedule.items()
            if other not in free
            and c.present
            and c.start < choice.end
            and c.end > choice.start - REACH
            and not eligible.isdisjoint(c.people)
        ]
    rng.shuffle(rivals)
    for other in rivals:
        if len(free) >= size:
            break
        free.add(other)
    return free


def _late_task(problem: Problem, schedule: Schedule, rng: random.Random) -> str | None:
    """A task ending after its project's soft deadline, favouring heavy lateness."""
    late = []
    for tid, task in problem.tasks.items():
        due = problem.projects[task.project].soft_end
        if due is not None and schedule[tid].present and schedule[tid].end > due:
            late.append((tid, (schedule[tid].end - due) * max(1, task.priority)))
    if not late:
        return None
    return rng.choices([t for t, _ in late], weights=[w for _, w in late])[0]


def _grow(problem: Problem, schedule: Schedule, free: set[str], rng: random.Random, size: int) -> set[str]:
    """Add tasks that share eligible people with freed ones and run near them in time."""
    by_person: dict[str, list[str]] = {}
    for tid, choice in schedule.items():
        for pid in choice.people:
            by_person.setdefault(pid, []).append(tid)
    frontier = sorted(free)
    rng.shuffle(frontier)
    while frontier and len(free) < size:
        tid = frontier.pop()
        choice = schedule[tid]
        people = sorted({p for m in problem.tasks[tid].modes for p in m.people})
        for pid in rng.sample(people, min(len(people), 4)):
            for other in by_person.get(pid, []):
                near = schedule[other].start < choice.end + 10 and schedule[other].end > choice.start - 10
                if other not in free and near and len(free) < size:
                    free.add(other)
                    frontier.append(other)
    return free


def _whole_candidates(problem: Problem, schedule: Schedule, free: set[str]) -> set[str]:
    """Deferred candidate projects are freed whole or not at all."""
    for project in problem.projects.values():
        if project.candidate and not schedule[project.tasks[0]].present:
            free.difference_update(project.tasks)
    return free


def _sub_solve(
    problem: Problem,
    schedule: Schedule,
    free: set[str],
    stage: int,
    time_limit: float,
    seed: int,
    lanes: _Lanes,
    floors: Chains | None = None,
) -> tuple[Schedule | None, bool]:
    """Re-optimise the ``free`` tasks; the merged schedule and whether the part was proved optimal."""
    sub = restrict(problem, schedule, free)
    formulation = build_formulation(sub)
    if floors is not None:
        add_floors(formulation.model, formulation.variables, floors)
    apply_hint(formulation, schedule)
    stages = problem.scenario.objective.stages
    expressions = [stage_expression(s, formulation.terms) for s in stages[: stage + 1]]
    current = _hinted_values(formulation.model, expressions, time_limit)
    if current is None:
        return None, False
    for expression, value in zip(expressions[:-1], current[:-1], strict=True):
        formulation.model.add(expression <= value)
    formulation.model.minimize(expressions[-1])
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = time_limit
    params.num_workers = 1
    params.random_seed = seed
    params.catch_sigint_signal = False
    params.symmetry_level = 0
    params.cp_model_probing_level = 0
    status = lanes.run(solver, formulation.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    part = extract_schedule(solver, formulation)
    # Own copies of the held tasks: tightening the candidate must not move the incumbent's.
    merged = {tid: part.get(tid) or replace(choice) for tid, choice in schedule.items()}
    return merged, status == cp_model.OPTIMAL


def _hinted_values(
    model: cp_model.CpModel, expressions: list[cp_model.LinearExprT], time_limit: float
) -> list[int] | None:
    """Values of ``expressions`` at the hint (the incumbent), completing the hint meanwhile."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.catch_sigint_signal = False
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    hint_values(model, list(solver.response_proto.solution))
    return [round(solver.value(e)) for e in expressions]
