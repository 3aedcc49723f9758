"""Find remedies: solve each lever as a what-if variant, rank them, then try the best together.

The base plan (given, or solved here with explanations) says which projects are late and
why. Each lever (:mod:`allocator.advise.levers`) becomes a variant solved by the what-if
runner (:func:`allocator.whatif.runner.solve_all`): warm-started from the base plan, every
plan verified by the checker, variants side by side on the cores. A *control* variant with
no change is solved with the same time and seed, and every saving is measured against it,
not against the base plan, so that what a longer search alone would find is not credited
to a lever. Each variant's search is followed by a re-plan of each late project alone,
everything else held (:func:`allocator.diagnose.lateness.improve_late_projects`): that
is where a hire or a vendor's extra contractor is put to use within seconds. The best
levers are then tried in pairs and as a triple (greedily, in rank
order), since two half-fixes often make one whole one. When the base plan's lateness is
proven optimal, the base is the control, and the levers that provably cannot beat it are
set aside by bounds before any search (:mod:`allocator.advise.screen`), so the time goes to
those that can.

Ranking: priority-weighted late days saved per unit of money (fixed costs plus the extra
vendor spend and overtime pay against the control); levers that cost nothing first (by
days saved).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.advise.levers import FALLBACKS, REORDERING, Lever, candidate_levers, forced_chain_hires
from allocator.advise.screen import screen_levers
from allocator.search.solve import SolveOptions, solve_scenario
from allocator.whatif.executors import JobEvent, fair_share
from allocator.whatif.runner import RunSettings, solve_all
from allocator.whatif.variants import quick_variant
from models import ObjectiveTerm, SolverStatus

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from allocator.whatif.executors import JobOutcome
    from models import Plan, Scenario
    from models.plan import StageResult

#: Shares of the time limit: the base solve and its explanations (when no plan is given),
#: then single levers; combinations get what is left.
BASE_SHARE, EXPLAIN_SHARE, SINGLES_SHARE = 0.35, 0.15, 0.7
#: Seconds a variant gets at least (0.2 s a task, at most 20 s): fewer levers are tried
#: rather than each too briefly.
MIN_VARIANT_SECONDS, SECONDS_PER_TASK = 20.0, 0.2
#: Of each variant's time, the share for re-planning its late projects one at a time
#: after its search (where an extra person is put to use fastest).
POLISH_SHARE = 0.5
#: Levers tried one at a time at most, and how many of the best are combined.
MAX_LEVERS, COMBINE = 8, 3


@dataclass(frozen=True)
class Remedy:
    """A lever (or several) solved: what it costs and what it brings."""

    name: str
    levers: tuple[Lever, ...]
    money: float  #: fixed cost plus the extra vendor spend and overtime pay against the control
    effort_days: float
    late_days_saved: int  #: priority-weighted, against the control
    projects_on_time: tuple[str, ...]  #: late in the control, on time with the remedy
    finishes: dict[str, tuple[dt.date | None, dt.date | None]]  #: project -> (control, remedy) where moved
    verified: bool
    proven: bool = False  #: control and remedy both proven optimal on the first stage: the saving is exact
    #: Of ``late_days_saved``, what no plan without the lever reaches: the scenario's bound
    #: on its first stage less the remedy's value (all of it against a proven control).
    #: The rest lies within the control's gap: more search alone may find it.
    assured_days: int = 0
    overtime_hours: float = 0.0  #: overtime the remedy's plan books
    plan: Plan | None = field(default=None, repr=False)

    @property
    def score(self) -> tuple[float, ...]:
        """Sort key: free remedies first by days saved, then days saved per unit of money,
        each by the saving no plan without the lever reaches first; scope and date
        fallbacks (a deferral, a deadline agreed later) after all others."""
        if any(lever.kind in FALLBACKS for lever in self.levers):
            return (2, -self.late_days_saved)
        if self.money <= 0:
            return (0, -self.assured_days, -self.late_days_saved)
        return (1, -self.assured_days / self.money, -self.late_days_saved / self.money)

    @property
    def within_gap(self) -> bool:
        """Whether part of the saving could come from more search without the lever."""
        return self.assured_days < self.late_days_saved


@dataclass
class Advice:
    """The outcome of ``allocator advise``."""

    scenario: str
    base_late_days: int
    control_late_days: int
    late_projects: tuple[str, ...]
    remedies: list[Remedy]  #: ranked, the ones that save something
    tried: list[str]  #: every lever and combination tried
    currency: str = "EUR"
    base_plan: Plan | None = None
    notes: list[str] = field(default_factory=list)
    control_is_base: bool = False  #: the base's lateness is proven optimal, so it is the control


def advise(
    scenario: Scenario,
    plan: Plan | None = None,
    time_limit: float = 120.0,
    budget: float | None = None,
    seed: int = 0,
    workers: int = 0,
    executor: str = "local",
    on_event: Callable[[JobEvent], None] | None = None,
) -> Advice:
    """Remedies for the late projects of ``scenario`` (of ``plan`` when given).

    Parameters
    ----------
    scenario
        The base scenario.
    plan
        A verified plan of it to start from; solved here (with explanations) when ``None``.
    time_limit
        Seconds for everything: base solve, levers and combinations.
    budget
        Most money a remedy may cost; dearer ones are left out.
    seed
        Random seed of every solve.
    workers
        Cores to use (0: all); variants run side by side, one worker each.
    executor
        ``local`` or ``dask://HOST:PORT``, as for ``allocator compare``.
    on_event
        Progress of each variant's solve.
    """
    started = time.monotonic()
    events = on_event or (lambda event: None)
    if plan is None or not plan.explanations:
        plan = _base_plan(scenario, plan, time_limit, seed, workers, events)
    late = tuple(p.project for p in plan.projects if p.late_days > 0 and not p.deferred)
    advice = Advice(scenario.name, plan.kpis.weighted_late_days, plan.kpis.weighted_late_days, late, [], [])
    advice.currency, advice.base_plan = scenario.currency, plan
    if not late:
        return advice
    levers = candidate_levers(scenario, list(plan.explanations))
    proven = advice.control_is_base = _first_stage_proven(plan)
    if _lateness_proven(plan):
        levers = _screen(scenario, plan, levers, advice)
    levers = _affordable(levers, budget, advice)
    rounds = _Rounds(
        scenario, plan, min(workers, fair_share(1)) if workers else fair_share(1), seed, executor, events
    )
    left = time_limit - (time.monotonic() - started)
    least = min(MIN_VARIANT_SECONDS, SECONDS_PER_TASK * sum(1 for _ in scenario.tasks()))
    fit = max(1, min(MAX_LEVERS, int(left * SINGLES_SHARE * rounds.cores / least) - (0 if proven else 1)))
    first, pending = levers[:fit], levers[fit:]
    share = SINGLES_SHARE if len(first) > 1 else 1.0  # one lever: nothing to combine
    control, remedies, slot = rounds.solve(_singles(first), left * share, None)
    advice.control_late_days = control.kpis.weighted_late_days if control else advice.base_late_days
    advice.tried = [lever.name for lever in first]
    best = [r for r in sorted(remedies, key=lambda r: r.score) if r.late_days_saved > 0 and r.score[0] < 2]
    combos = _combinations(best[:COMBINE], budget)
    left = time_limit - (time.monotonic() - started)
    if combos and left > 1:
        _, more, _ = rounds.solve(combos, left, control)
        remedies += more
        advice.tried += [name for name, _ in combos]
    if not combos:  # nothing to combine: the time left tries more levers
        fair = True  # each with the control's time, so that more search is not credited to a lever
        if not proven and _lateness_proven(control):
            # The re-solved control proved the optimum, which no search beats: the levers
            # that can beat it (those of the first round included) share the time left.
            assert control is not None
            saved = {r.name for r in remedies if r.late_days_saved > 0}
            retry = [lv for lv in first if lv.name not in saved] + pending
            pending, fair = _affordable(_screen(scenario, control, retry, advice), budget, advice), False
        while pending and (left := time_limit - (time.monotonic() - started)) >= (slot if fair else 1):
            size = rounds.cores * int(left // slot) if fair else fit
            batch, pending = pending[:size], pending[size:]
            seconds = slot * -(-len(batch) // rounds.cores) if fair else left
            remedies += rounds.solve(_singles(batch), seconds, control)[1]
            advice.tried += [lever.name for lever in batch if lever.name not in advice.tried]
    advice.notes += [f"not tried (time): {lv.name}" for lv in pending]
    advice.remedies = sorted((r for r in remedies if r.late_days_saved > 0), key=lambda r: r.score)
    return advice


def _base_plan(
    scenario: Scenario,
    plan: Plan | None,
    time_limit: float,
    seed: int,
    workers: int,
    events: Callable[[JobEvent], None],
) -> Plan:
    """The base solved with explanations (warm-started from ``plan`` when one is given)."""
    events(JobEvent("base", "started", "solving the base and explaining late projects"))
    options = SolveOptions(
        time_limit=time_limit * BASE_SHARE,
        workers=workers or None,
        seed=seed,
        warm_start=plan,
        explain_seconds=time_limit * EXPLAIN_SHARE,
    )
    result = solve_scenario(scenario, options)
    if result.plan is None:
        raise ValueError("no plan for the base scenario: " + "; ".join(result.reasons[:3]))
    events(JobEvent("base", "done", f"{result.plan.kpis.weighted_late_days} weighted late days"))
    return result.plan


def _combinations(best: list[Remedy], budget: float | None) -> list[tuple[str, tuple[Lever, ...]]]:
    """The best levers in pairs (first with each other) and all of them together."""
    found: list[tuple[str, tuple[Lever, ...]]] = []
    if len(best) >= 2:
        found += [(f"{best[0].name} + {other.name}", (*best[0].levers, *other.levers)) for other in best[1:]]
    if len(best) >= 3:
        found.append((" + ".join(r.name for r in best), tuple(lv for r in best for lv in r.levers)))
    if budget is not None:
        found = [(name, levers) for name, levers in found if sum(lv.money for lv in levers) <= budget]
    return found


def _first_stage(plan: Plan | None) -> StageResult | None:
    """How the plan's first objective stage was solved, if it was."""
    stages = plan.solver.stages if plan is not None and plan.solver else ()
    return stages[0] if stages else None


def _first_stage_proven(plan: Plan | None) -> bool:
    """Whether the plan's first objective stage was solved to proven optimality."""
    stage = _first_stage(plan)
    return stage is not None and stage.status == SolverStatus.OPTIMAL


def _lateness_proven(plan: Plan | None) -> bool:
    """Whether the plan's first stage weighs lateness and is proven optimal: then no plan
    of the scenario is less late, and the levers can be screened against it."""
    stage = _first_stage(plan)
    if stage is None or stage.status != SolverStatus.OPTIMAL:
        return False
    return ObjectiveTerm.LATENESS.value in stage.terms


def _screen(scenario: Scenario, optimal: Plan, levers: list[Lever], advice: Advice) -> list[Lever]:
    """Against ``optimal``, a plan whose lateness is proven optimal: the levers that can beat
    it, with the hires for each forcing chain added first (:mod:`allocator.advise.screen`);
    the reason for each one set aside goes to ``advice.notes``."""
    named = {lever.name for lever in levers}
    levers = levers + [lv for lv in forced_chain_hires(scenario, optimal) if lv.name not in named]
    screened = screen_levers(scenario, optimal.kpis.weighted_late_days, levers)
    advice.notes += [note for note in screened.notes if note not in advice.notes]
    return screened.kept


def _affordable(levers: list[Lever], budget: float | None, advice: Advice) -> list[Lever]:
    """The levers within ``budget``; each dearer one is noted in ``advice.notes``."""
    if budget is None:
        return levers
    advice.notes += [f"over budget, not tried: {lv.name}" for lv in levers if lv.money > budget]
    return [lv for lv in levers if lv.money <= budget]


def _singles(levers: list[Lever]) -> list[tuple[str, tuple[Lever, ...]]]:
    """Each lever alone, as a candidate of a round."""
    return [(lever.name, (lever,)) for lever in levers]


@dataclass(frozen=True)
class _Rounds:
    """What every round of variants shares: the base, the cores, the seed, where they run."""

    scenario: Scenario
    plan: Plan
    cores: int
    seed: int
    executor: str
    events: Callable[[JobEvent], None]

    def solve(
        self, candidates: list[tuple[str, tuple[Lever, ...]]], seconds: float, control: Plan | None
    ) -> tuple[Plan | None, list[Remedy], float]:
        """Solve each candidate side by side, with a control (the base re-solved with no
        change) unless ``control`` is given or the base's first stage is proven optimal
        (then the base is the control: no search can beat it). The control's plan, the
        remedies, and the seconds each variant had."""
        scenario, plan = self.scenario, self.plan
        if control is None and _first_stage_proven(plan):
            control = plan
        variants = [] if control is not None else [quick_variant(scenario, [], "control")]
        variants += [
            quick_variant(scenario, [c for lv in levers for c in lv.changes], name)
            for name, levers in candidates
        ]
        slot = max(2.0, seconds / -(-len(variants) // max(1, self.cores)))
        settings = RunSettings(
            slot * (1 - POLISH_SHARE),
            1,
            self.seed,
            self.executor,
            base_plan=plan,
            polish_seconds=slot * POLISH_SHARE,
        )
        _, outcomes = solve_all(scenario, variants, settings, self.events)
        if control is None:
            control, outcomes = outcomes[0].plan, outcomes[1:]
        floor = max(_first_stage_bound(plan), _first_stage_bound(control))
        remedies = [
            _remedy(name, levers, control, outcome, floor)
            for (name, levers), outcome in zip(candidates, outcomes, strict=True)
        ]
        return control, remedies, slot


def _first_stage_bound(plan: Plan | None) -> float:
    """The plan's proven bound on its first objective stage (0 when none is known)."""
    stage = _first_stage(plan)
    return stage.bound if stage is not None else 0.0


def _assured(levers: tuple[Lever, ...], plan: Plan, saved: int, floor: float) -> int:
    """Of ``saved``, the weighted late days below ``floor``, the scenario's bound: no plan
    without the levers reaches them. Levers that only re-order or pin work add no plan
    the scenario lacks, so nothing they save is assured."""
    stage = _first_stage(plan)
    if saved <= 0 or stage is None or all(lever.kind in REORDERING for lever in levers):
        return 0
    return max(0, min(saved, int(floor - stage.objective)))


def _remedy(
    name: str, levers: tuple[Lever, ...], control: Plan | None, outcome: JobOutcome, floor: float
) -> Remedy:
    plan = outcome.plan
    fixed = sum(lv.money for lv in levers)
    effort = sum(lv.effort_days for lv in levers)
    if plan is None or control is None:
        return Remedy(name, levers, fixed, effort, 0, (), {}, False, plan=plan)
    extra_spend = plan.kpis.vendor_cost + plan.kpis.overtime_cost
    extra_spend -= control.kpis.vendor_cost + control.kpis.overtime_cost
    before = {p.project: p for p in control.projects}
    on_time = tuple(
        p.project
        for p in plan.projects
        if p.late_days == 0 and not p.deferred and p.project in before and before[p.project].late_days > 0
    )
    moved = {
        p.project: (before[p.project].finish, p.finish)
        for p in plan.projects
        if p.project in before and before[p.project].finish != p.finish
    }
    saved = control.kpis.weighted_late_days - plan.kpis.weighted_late_days
    return Remedy(
        name=name,
        levers=levers,
        money=round(fixed + extra_spend, 2),
        effort_days=effort,
        late_days_saved=saved,
        assured_days=_assured(levers, plan, saved, floor),
        projects_on_time=on_time,
        finishes=moved,
        verified=plan.check is not None and plan.check.ok,
        proven=_first_stage_proven(control) and _first_stage_proven(plan),
        overtime_hours=plan.kpis.overtime_hours,
        plan=plan,
    )
