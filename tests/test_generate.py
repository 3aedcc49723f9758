"""The synthetic scenario generator: exact sizes, determinism, consistency and load."""

from __future__ import annotations

import datetime as dt
import time
from graphlib import CycleError, TopologicalSorter
from itertools import combinations_with_replacement
from pathlib import Path

import pytest

from allocator.demo.generate import DEFAULT_START, TARGET_LOAD, generate_scenario
from allocator.io import load_scenario, save_scenario_yaml
from allocator.io.checks import find_problems
from models import Mode, Person, Scenario, Task

#: (people, vendors, projects, tasks, weeks)
SIZES = [
    (1, 0, 1, 1, 1),
    (3, 0, 1, 2, 2),
    (12, 2, 3, 20, 8),
    (40, 2, 7, 80, 13),
    (120, 5, 20, 400, 26),
]


def _task_count(scenario: Scenario) -> int:
    return sum(len(project.tasks) for project in scenario.projects)


def _dangling_references(scenario: Scenario) -> list[str]:
    """Every id a task names that the scenario does not define."""
    tasks = scenario.task_index()
    people = scenario.person_index()
    resources = {resource.id for resource in scenario.resources}
    missing = []
    for _, task in scenario.tasks():
        missing += [dep.task for dep in task.after if dep.task not in tasks]
        missing += [p for p in (*task.pinned, *task.excluded, *task.preferred) if p not in people]
        for mode in task.resolved_modes(scenario.allocations):
            missing += [r for r in mode.resources or {} if r not in resources]
    return missing


def _has_cycle(scenario: Scenario) -> bool:
    graph = {task.id: [dep.task for dep in task.after] for _, task in scenario.tasks()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError:
        return True
    return False


def _unstaffable(scenario: Scenario) -> list[str]:
    """Tasks none of whose modes has a qualified person or vendor for every requirement."""
    failing = []
    for _, task in scenario.tasks():
        modes = task.resolved_modes(scenario.allocations)
        if not any(_mode_staffable(scenario, mode) for mode in modes):
            failing.append(task.id)
    return failing


def _mode_staffable(scenario: Scenario, mode: Mode) -> bool:
    for requirement in mode.requires or ():
        people = [] if mode.vendor == "only" else scenario.people
        vendors = [] if mode.vendor == "never" else scenario.vendors
        qualified = sum(p.level(requirement.skill) >= requirement.level for p in people)
        contractors = sum(v.headcount for v in vendors if v.level(requirement.skill) >= requirement.level)
        if qualified + contractors < requirement.people:
            return False
    return True


@pytest.mark.parametrize("size", SIZES)
def test_requested_sizes_are_met_exactly(size: tuple[int, int, int, int, int]) -> None:
    people, vendors, projects, tasks, weeks = size
    scenario = generate_scenario(people, vendors, projects, tasks, weeks, seed=7)
    assert len(scenario.people) == people
    assert len(scenario.vendors) == vendors
    assert len(scenario.projects) == projects
    assert _task_count(scenario) == tasks
    assert all(project.tasks for project in scenario.projects)
    assert scenario.start == DEFAULT_START
    assert (scenario.end - scenario.start).days == 7 * weeks - 1


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generated_scenarios_are_consistent(size: tuple[int, int, int, int, int], seed: int) -> None:
    scenario = generate_scenario(*size, seed=seed)
    assert _dangling_references(scenario) == []
    assert not _has_cycle(scenario)
    assert _unstaffable(scenario) == []
    assert find_problems(scenario, "generated") == []


def test_same_seed_gives_the_same_scenario() -> None:
    first = generate_scenario(40, 3, 6, 70, 13, seed=11)
    second = generate_scenario(40, 3, 6, 70, 13, seed=11)
    assert first == second


def test_different_seeds_give_different_scenarios() -> None:
    scenarios = [generate_scenario(40, 3, 6, 70, 13, seed=seed) for seed in range(3)]
    dumps = {scenario.model_dump_json() for scenario in scenarios}
    assert len(dumps) == 3


def test_start_date_is_honoured() -> None:
    start = dt.date(2027, 4, 5)
    scenario = generate_scenario(10, 1, 2, 10, 4, seed=1, start=start)
    assert scenario.start == start
    assert scenario.end == dt.date(2027, 5, 2)


def test_department_is_realistic() -> None:
    # 250 people make every feature of the generator appear with near certainty.
    scenario = generate_scenario(250, 10, 50, 1500, 26, seed=3)
    people = scenario.people
    assert {p.country for p in people} == {None, "DE"}
    assert any(p.fte < 1 for p in people)
    assert any(p.reserve > 0 for p in people)
    assert any(p.start is not None for p in people), "a joiner"
    assert any(p.end is not None for p in people), "a leaver"
    assert any(t.fraction < 1 for p in people for t in p.time_off), "half days of leave"
    assert all(1 <= len(p.skills) <= 3 for p in people)
    assert all(2 <= len(v.skills) <= 4 for v in scenario.vendors)
    assert any(p.status == "candidate" for p in scenario.projects)
    assert any(t.modes for _, t in scenario.tasks())
    assert any(t.duration for _, t in scenario.tasks()), "fixed-duration windows"
    assert any(d.type.value != "FS" for _, t in scenario.tasks() for d in t.after)
    assert _cross_project_links(scenario) > 0


def _cross_project_links(scenario: Scenario) -> int:
    owner = {task.id: project.id for project, task in scenario.tasks()}
    return sum(owner[dep.task] != project.id for project, task in scenario.tasks() for dep in task.after)


def test_hard_deadlines_appear_and_leave_room() -> None:
    hard = [
        project
        for seed in range(5)
        for project in generate_scenario(120, 5, 20, 400, 26, seed=seed).projects
        if project.deadline_type == "hard"
    ]
    assert hard
    for project in hard:
        assert project.status == "committed"
        assert project.deadline is not None


def test_no_work_waits_on_a_candidate_project() -> None:
    for seed in range(5):
        scenario = generate_scenario(120, 5, 20, 400, 26, seed=seed)
        candidates = {t.id for p, t in scenario.tasks() if p.status == "candidate"}
        for project, task in scenario.tasks():
            if project.status == "committed":
                assert not candidates & {dep.task for dep in task.after}


@pytest.mark.parametrize("size", SIZES[2:])
def test_demand_is_about_three_quarters_of_capacity(size: tuple[int, int, int, int, int]) -> None:
    scenario = generate_scenario(*size, seed=5)
    demand = sum(_person_days(scenario, task) for _, task in scenario.tasks())
    capacity = sum(_capacity_days(scenario, person) for person in scenario.people)
    # The generator aims at TARGET_LOAD of its own estimate; leave and holidays move it a little.
    assert 0.8 * TARGET_LOAD * capacity <= demand <= 1.2 * TARGET_LOAD * capacity


def _person_days(scenario: Scenario, task: Task) -> float:
    mode = task.resolved_modes(scenario.allocations)[0]
    if mode.effort is not None:
        return mode.effort
    heads = sum(r.people for r in mode.requires or ())
    return (mode.duration or 0) * heads * min(mode.allocations or (100,)) / 100


def _capacity_days(scenario: Scenario, person: Person) -> float:
    """Weekdays in the window times the share of a day the person can be booked at."""
    weekdays = sum(
        1
        for offset in range((scenario.end - scenario.start).days + 1)
        if (scenario.start + dt.timedelta(offset)).weekday() < 5
    )
    return weekdays * _bookable_pct(person.capacity_pct, scenario.allocations) / 100


def _bookable_pct(capacity: int, levels: tuple[int, ...]) -> int:
    """Largest sum of up to four bookings at the allowed levels within ``capacity``."""
    sums = [sum(combo) for n in range(5) for combo in combinations_with_replacement(levels, n)]
    return max(total for total in sums if total <= capacity)


def test_large_scenario_is_quick() -> None:
    began = time.perf_counter()
    scenario = generate_scenario(250, 10, 50, 1500, 26, seed=0)
    elapsed = time.perf_counter() - began
    assert _task_count(scenario) == 1500
    assert elapsed < 2.0


def test_yaml_round_trip(tmp_path: Path) -> None:
    scenario = generate_scenario(20, 2, 4, 30, 8, seed=4)
    path = tmp_path / "generated.yaml"
    save_scenario_yaml(scenario, path)
    assert load_scenario(path) == scenario


@pytest.mark.parametrize(
    ("people", "vendors", "projects", "tasks", "weeks"),
    [(0, 0, 1, 1, 1), (1, -1, 1, 1, 1), (1, 0, 0, 0, 1), (1, 0, 3, 2, 1), (1, 0, 1, 1, 0)],
)
def test_impossible_sizes_are_refused(
    people: int, vendors: int, projects: int, tasks: int, weeks: int
) -> None:
    with pytest.raises(ValueError):
        generate_scenario(people, vendors, projects, tasks, weeks, seed=0)
