"""Why a schedule cannot be staffed: the overlaps that force it, as a cut.

The pooled relaxation (:mod:`allocator.search.literature.pooled`) schedules without people and staffs
its schedules afterwards. A schedule that cannot be staffed fails because some person
would have to stay on a task from start to end while others need them; which days the
tasks run matters only through *which tasks overlap*, when the people involved can work
on one task at a time (each allocation above half their capacity, or at most one task
at once). More overlaps only add constraints, so if the teams cannot fit a set of
overlaps, no schedule with those overlaps (the tasks in the same modes) can be staffed.

:func:`staffing_conflicts` finds such sets, small (no overlap can be left out of one),
from a relaxation of the staffing: who may be on each task, the skill coverage, team
size and pins, and that an exclusive person is on at most one of two overlapping tasks.
Being a relaxation of the full model's staffing, its "no teams" is proof; its "teams"
may still fail in the full model (calendars, budgets), which then excludes the single
schedule. :class:`OverlapCuts` adds the cut to the relaxation: one of the overlaps must
end, or a task change its mode. It excludes only schedules that cannot be staffed, so
the relaxation's bound stays a bound. This is a logic-based Benders decomposition
(Hooker and Ottosson, 2003) with the relaxation as master problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from allocator.cpsat.formulation.model import Formulation
    from allocator.problem.data import ModeData, Problem
    from allocator.problem.schedule import Schedule

#: Overlaps tested one by one for leaving out of a conflict at most this many times.
MINIMISE_TESTS = 60
#: Conflicts taken from one schedule at most.
MOST_CONFLICTS = 8

Pair = tuple[str, str]


@dataclass(frozen=True)
class Conflict:
    """Overlapping tasks, in the modes given, that no teams fit."""

    modes: dict[str, int]  #: task -> mode index
    overlaps: tuple[Pair, ...]


def exclusive_people(problem: Problem) -> set[str]:
    """People who can never be on two overlapping tasks (as the full model holds them)."""
    smallest: dict[str, int] = {}
    for task in problem.tasks.values():
        for mode in task.modes:
            for person in mode.people:
                least = min(mode.levels[person])
                smallest[person] = min(smallest.get(person, least), least)
    return {
        pid
        for pid, least in smallest.items()
        if 2 * least > problem.people[pid].capacity or problem.people[pid].max_concurrent == 1
    }


def staffing_conflicts(
    problem: Problem, timing: Schedule, exclusive: set[str], most: int = MOST_CONFLICTS, seconds: float = 1.0
) -> list[Conflict]:
    """Sets of ``timing``'s overlaps that no teams fit, none of which can be left out, and
    no two sharing an overlap: up to ``most``, so that one schedule yields several cuts.

    ``exclusive`` is :func:`exclusive_people` of ``problem``. Empty when the relaxed
    staffing finds teams, when a task cannot be staffed whatever overlaps it (no overlap
    to blame), or when a test runs out of ``seconds``.
    """
    model = _Staffing(problem, timing, exclusive)
    left = list(model.overlap)
    found: list[Conflict] = []
    while left and len(found) < most:
        core = model.core(left, seconds)
        if not core:
            break
        core = _minimised(model, core, seconds)
        if not core:
            break
        tasks = {task for pair in core for task in pair}
        found.append(Conflict(modes={t: timing[t].mode for t in sorted(tasks)}, overlaps=tuple(sorted(core))))
        left = [pair for pair in left if pair not in core]
    return found


def _minimised(model: _Staffing, core: list[Pair], seconds: float) -> list[Pair]:
    """``core`` with overlaps left out while it still admits no teams ([] if none is needed)."""
    for pair in list(core)[:MINIMISE_TESTS]:
        if pair not in core or len(core) == 1:
            continue
        smaller = model.core([p for p in core if p != pair], seconds)
        if smaller is not None:
            core = smaller
    return core


@dataclass
class _Staffing:
    """The relaxed staffing of a timing, each overlap's constraints behind a literal."""

    problem: Problem
    timing: Schedule
    exclusive: set[str]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    overlap: dict[Pair, cp_model.IntVar] = field(default_factory=dict)

    def __post_init__(self) -> None:
        running = {
            tid: choice for tid, choice in self.timing.items() if choice.present and choice.end > choice.start
        }
        on: dict[str, dict[str, cp_model.IntVar]] = {}
        for tid, choice in running.items():
            mode = self.problem.tasks[tid].modes[choice.mode]
            on[tid] = {p: self.model.new_bool_var(f"on[{tid},{p}]") for p in mode.people}
            self._team(tid, mode, on[tid])
        ids = sorted(running)
        for n, a in enumerate(ids):
            for b in ids[n + 1 :]:
                if running[a].start >= running[b].end or running[b].start >= running[a].end:
                    continue
                shared = sorted(self.exclusive & on[a].keys() & on[b].keys())
                if not shared:
                    continue
                literal = self.model.new_bool_var(f"overlap[{a},{b}]")
                for person in shared:
                    self.model.add(on[a][person] + on[b][person] <= 1).only_enforce_if(literal)
                self.overlap[a, b] = literal

    def _team(self, tid: str, mode: ModeData, on: dict[str, cp_model.IntVar]) -> None:
        """Coverage, team size and pins of the task's mode (not where contractors may help)."""
        model = self.model
        for person in self.problem.tasks[tid].pinned:
            if person not in on:
                model.add_bool_or([])  # a pinned person outside the mode: no teams at all
                return
            model.add(on[person] == 1)
        if mode.vendors:
            return
        heads = sum(on.values())
        model.add(heads >= mode.team_min)
        model.add(heads <= mode.team_max)
        if len(mode.requirements) == 1:
            model.add(heads >= mode.requirements[0].people)
        elif mode.requirements:
            covers = {
                (p, r): model.new_bool_var(f"covers[{tid},{p},{r}]") for p in on for r in mode.covers[p]
            }
            for person, literal in on.items():
                model.add(sum(covers[person, r] for r in mode.covers[person]) == literal)
            for index, requirement in enumerate(mode.requirements):
                model.add(sum(v for (_, r), v in covers.items() if r == index) >= requirement.people)

    def core(self, pairs: list[Pair], seconds: float) -> list[Pair] | None:
        """Overlaps among ``pairs`` that together admit no teams (``[]``: a task has none
        whatever the overlaps; ``None``: teams fit, or the time ran out)."""
        model = self.model
        model.clear_assumptions()
        model.add_assumptions([self.overlap[p] for p in pairs])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.catch_sigint_signal = False
        if solver.solve(model) != cp_model.INFEASIBLE:
            return None
        by_index = {self.overlap[p].index: p for p in pairs}
        return [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]


@dataclass
class OverlapCuts:
    """Cuts on a relaxation's schedules, sharing one literal per ordered pair of tasks."""

    relaxation: Formulation
    before: dict[Pair, cp_model.IntVar] = field(default_factory=dict)

    def add(self, conflict: Conflict) -> None:
        """Some overlap of ``conflict`` ends, or one of its tasks runs in another mode."""
        tasks = self.relaxation.variables.tasks
        reasons: list[cp_model.LiteralT] = [
            self._before(a, b) for pair in conflict.overlaps for a, b in (pair, pair[::-1])
        ]
        for tid, mode in conflict.modes.items():
            task = tasks[tid]
            if len(task.modes) > 1:
                reasons.append(~task.modes[mode].chosen)
            if not isinstance(task.present, int):
                reasons.append(~task.present)
        self.relaxation.model.add_bool_or(reasons)

    def _before(self, first: str, second: str) -> cp_model.IntVar:
        """A literal that ``first`` ends by the day ``second`` starts."""
        if (first, second) not in self.before:
            tasks = self.relaxation.variables.tasks
            literal = self.relaxation.model.new_bool_var(f"before[{first},{second}]")
            self.relaxation.model.add(tasks[first].end <= tasks[second].start).only_enforce_if(literal)
            self.before[first, second] = literal
        return self.before[first, second]
