"""How a solve spends its time limit: one policy, in one place.

The clock starts before compiling, since that is what the user waits for. A solve then
spends its time in this order, each step taking a share of what is left:

1. **Construction** (:mod:`allocator.construct`): untimed, seconds at department scale.
   Where the first stage weighs lateness of staffed work, the order construction places
   tasks in is then searched (:mod:`allocator.search.priorities`) for
   :attr:`TimeBudget.priority_share` of the time limit, at most
   :attr:`TimeBudget.priority_max_seconds`; not at all when that time would not hold two
   constructions (on the largest portfolios one construction takes most of a minute).
2. **Hint completion**: the best plan's decisions are fixed once in the full model to fill
   in every derived variable (:func:`allocator.cpsat.solver.complete_hint`), for
   :attr:`TimeBudget.hint_share` of the remaining time, at least
   :attr:`TimeBudget.hint_min_seconds`.
3. **Stages** (lexicographic: lateness → cost → finish → preferences, as the scenario
   orders them): the first stage gets :attr:`TimeBudget.first_stage_share` of the
   remaining time when later stages follow (:attr:`TimeBudget.first_stage_share_without_plan`
   while no verified plan exists: later stages are moot without one), every later stage
   an even share of what is left, so time a stage does not use passes to the next.
4. **Within a stage** (:class:`allocator.search.solve._StageSearch`):

   - models of up to :attr:`TimeBudget.monolithic_tasks` tasks, models without a verified
     plan, pure resource scheduling and makespan-only stages: the whole stage is one
     CP-SAT search of the full model;
   - larger staffed models: :attr:`TimeBudget.monolithic_share` of the stage for the full
     model, the rest for neighbourhood search (:mod:`allocator.search.lns`);
   - above :attr:`TimeBudget.full_model_tasks` tasks with a verified plan: no full model is
     built (it would cost more memory and time than it returns), neighbourhoods only.

   Literature pre-stages (:mod:`allocator.search.literature`, multi-skill makespan stages
   only) run before the full model's search: a first look at the full model
   (:attr:`TimeBudget.first_look_share`), the feasible-set bound
   (:attr:`TimeBudget.floor_share`, at most :attr:`TimeBudget.floor_max_seconds`) and the
   pooled relaxation (:attr:`TimeBudget.cut_share` when staffing cuts drive it, else
   :attr:`TimeBudget.pooled_share`, at most :attr:`TimeBudget.pooled_max_seconds`).

Limits inside one algorithm (a neighbourhood's sub-solve, one round of the relaxation, a
staffing check) stay with that algorithm; they never change how the user's time is split.
The figures behind each share are in BENCHMARKS.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TimeBudget:
    """The shares of a solve's time limit; the module docstring says where each applies."""

    priority_share: float = 0.2  #: of the time limit, to search construction orders
    priority_max_seconds: float = 60.0
    monolithic_tasks: int = 150  #: up to this many tasks a stage is one CP-SAT search
    full_model_tasks: int = 400  #: above this many (with a verified plan) no full model
    monolithic_share: float = 0.1  #: the full model's share of a stage on larger portfolios
    hint_share: float = 0.2  #: of the remaining time, to complete the first hint
    hint_min_seconds: float = 0.5
    first_stage_share: float = 0.85  #: of the remaining time, when later stages follow
    first_stage_share_without_plan: float = 0.9
    first_look_share: float = 0.1  #: of a multi-skill first stage, the full model first
    floor_share: float = 0.05  #: of a makespan stage, for the feasible-set bound
    floor_max_seconds: float = 1.0
    pooled_share: float = 0.25  #: of a stage, for the pooled relaxation
    pooled_max_seconds: float = 15.0
    cut_share: float = 0.8  #: of a stage, for a pooled relaxation driven by staffing cuts

    def priority_seconds(self, remaining: float) -> float:
        """Seconds to search construction orders, with ``remaining`` seconds left."""
        return min(self.priority_max_seconds, self.priority_share * remaining)

    def hint_seconds(self, remaining: float) -> float:
        """Seconds to complete the first hint, with ``remaining`` seconds left."""
        return max(self.hint_min_seconds, self.hint_share * remaining)

    def stage_share(self, index: int, stages: int, have_plan: bool) -> float:
        """Share of the remaining time for stage ``index`` of ``stages``."""
        if index == 0 and stages > 1:
            return self.first_stage_share if have_plan else self.first_stage_share_without_plan
        return 1.0 / (stages - index)

    def full_model_seconds(self, left: float, whole: bool) -> float:
        """Seconds for the full model's search with ``left`` seconds of the stage left."""
        return left if whole else left * self.monolithic_share

    def floor_seconds(self, stage_budget: float) -> float:
        """Seconds for the feasible-set bound of a makespan stage."""
        return min(self.floor_max_seconds, self.floor_share * stage_budget)

    def pooled_seconds(self, cut_driven: bool, stage_budget: float) -> float:
        """Seconds for the pooled relaxation: most of the stage where staffing cuts drive
        it, else a share of at most a few seconds."""
        if cut_driven:
            return self.cut_share * stage_budget
        return min(self.pooled_max_seconds, self.pooled_share * stage_budget)


#: The policy every solve uses unless told otherwise.
DEFAULT_BUDGET = TimeBudget()
