"""The time-budget policy: how a solve's time limit is split (allocator.search.budget)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import allocator.search.solve as solve_module
from allocator.cpsat.formulation.model import Formulation
from allocator.io import load_scenario
from allocator.problem.data import Problem
from allocator.search.budget import DEFAULT_BUDGET, TimeBudget
from allocator.search.solve import SolveOptions

SMALL_TEAM = Path(__file__).parent.parent / "scenarios" / "small-team.yaml"


@given(st.integers(1, 6), st.booleans(), st.floats(0.1, 1000))
def test_stages_that_use_their_whole_share_spend_exactly_the_time_left(
    stages: int, have_plan: bool, remaining: float
) -> None:
    """Each stage takes its share of what is left; the last takes all of it, so stages
    that each use their whole share end exactly at the time limit, never past it."""
    left, spent = remaining, 0.0
    for index in range(stages):
        share = DEFAULT_BUDGET.stage_share(index, stages, have_plan)
        assert 0 < share <= 1
        spent += left * share
        left -= left * share
    assert math.isclose(spent, remaining, rel_tol=1e-9)


def test_first_stage_gets_most_and_nearly_all_without_a_plan() -> None:
    policy = DEFAULT_BUDGET
    assert policy.stage_share(0, 4, have_plan=True) == 0.85
    assert policy.stage_share(0, 4, have_plan=False) == 0.9
    assert policy.stage_share(1, 4, have_plan=True) == pytest.approx(1 / 3)
    assert policy.stage_share(0, 1, have_plan=True) == 1.0


def test_shares_inside_a_stage() -> None:
    policy = TimeBudget(monolithic_share=0.25, floor_share=0.1, floor_max_seconds=2.0, hint_min_seconds=1.0)
    assert policy.full_model_seconds(40, whole=True) == 40
    assert policy.full_model_seconds(40, whole=False) == 10
    assert policy.floor_seconds(10) == 1.0
    assert policy.floor_seconds(100) == 2.0
    assert policy.hint_seconds(1.0) == 1.0
    assert policy.hint_seconds(100.0) == pytest.approx(20.0)
    assert policy.pooled_seconds(True, 60) == policy.cut_share * 60
    assert policy.pooled_seconds(False, 600) == policy.pooled_max_seconds


def test_a_solve_follows_the_policy_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """A policy under which every model is too large for the full model builds none (the
    stages are left to neighbourhood search); the default builds one. Both plans verify."""
    scenario = load_scenario(SMALL_TEAM)
    built: list[int] = []
    real = solve_module.build_formulation

    def counting(problem: Problem) -> Formulation:
        built.append(len(problem.tasks))
        return real(problem)

    monkeypatch.setattr(solve_module, "build_formulation", counting)
    no_full_model = TimeBudget(full_model_tasks=0)
    result = solve_module.solve_scenario(
        scenario, SolveOptions(time_limit=2, workers=1, seed=0, budget=no_full_model)
    )
    assert result.plan is not None and result.plan.check is not None and result.plan.check.ok
    assert built == []
    result = solve_module.solve_scenario(scenario, SolveOptions(time_limit=2, workers=1, seed=0))
    assert result.plan is not None and result.plan.check is not None and result.plan.check.ok
    assert built == [len(scenario.task_index())]
