"""Makespan upper bounds from the converters' serial schedules."""

from __future__ import annotations

import pytest

from benchmarks.convert.bounds import renewable_makespan, staffed_makespan, topological
from benchmarks.convert.psplib import PsplibInstance, PsplibJob, PsplibMode


def test_renewable_tasks_run_side_by_side_only_when_capacity_allows():
    # Two independent 3-day tasks each using 2 units: in series under capacity 3, together under 4.
    durations, demands, preds = {1: 3, 2: 3}, {1: (2,), 2: (2,)}, {1: [], 2: []}
    assert renewable_makespan(durations, demands, (3,), preds) == 6
    assert renewable_makespan(durations, demands, (4,), preds) == 3


def test_renewable_task_waits_for_predecessor_and_fills_a_gap():
    # 1 (2 days, 1 unit) then 3 (1 day, 2 units); 2 (4 days, 1 unit) runs alongside 1 and 3.
    durations = {1: 2, 2: 4, 3: 1}
    demands = {1: (1,), 2: (1,), 3: (1,)}
    assert renewable_makespan(durations, demands, (2,), {1: [], 2: [], 3: [1]}) == 4
    assert renewable_makespan(durations, {**demands, 3: (3,)}, (2,), {1: [], 2: [], 3: [1]}) is None


def test_staffed_tasks_take_the_earliest_free_worker():
    # Task 1 books worker 1 on [0, 2), task 2 worker 2 on [0, 2); task 3 needs worker 2: [2, 4).
    durations = {1: 2, 2: 2, 3: 2}
    slots = {1: [frozenset({1})], 2: [frozenset({1, 2})], 3: [frozenset({2})]}
    assert staffed_makespan(durations, slots, {1: [], 2: [], 3: []}) == 4


def test_staffed_team_is_matched_not_picked_greedily():
    # Slot 0 accepts 1 or 2, slot 1 only 1: the team is {2 -> slot 0, 1 -> slot 1}.
    slots = {1: [frozenset({1, 2}), frozenset({1})]}
    assert staffed_makespan({1: 5}, slots, {1: []}) == 5
    assert staffed_makespan({1: 5}, {1: [frozenset({1}), frozenset({1})]}, {1: []}) is None


def test_topological_order_rejects_cycles():
    assert topological({3: [], 1: [3], 2: [3]}) == [3, 1, 2]
    with pytest.raises(ValueError, match="cycle"):
        topological({1: [2], 2: [1]})


def test_psplib_modes_keep_nonrenewable_budget_for_later_jobs():
    # Job 1's short mode uses all 4 units of N1 that job 2 needs 2 of, so job 1 takes its long mode.
    jobs = (
        PsplibJob(1, (2,), (PsplibMode(1, (0,), (4,)), PsplibMode(3, (0,), (2,)))),
        PsplibJob(2, (), (PsplibMode(2, (0,), (2,)),)),
    )
    instance = PsplibInstance(
        "tiny", horizon=5, renewable_capacities=(1,), nonrenewable_capacities=(4,), jobs=jobs
    )
    assert instance.schedule_bound() == 5  # 3 + 2
