"""The bundled example scenarios load cleanly and show the features they are meant to show."""

from __future__ import annotations

import datetime as dt
from graphlib import TopologicalSorter
from pathlib import Path

import pytest

from allocator.io import load_scenario
from allocator.io.checks import find_problems
from models import DependencyType, Scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))


@pytest.fixture(scope="module")
def quarter() -> Scenario:
    return load_scenario(SCENARIOS / "quarter.yaml")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_loads_without_problems(path: Path) -> None:
    scenario = load_scenario(path)
    assert find_problems(scenario, path.name) == []
    graph = {task.id: [dep.task for dep in task.after] for _, task in scenario.tasks()}
    assert len(tuple(TopologicalSorter(graph).static_order())) == len(graph)


def test_quarter_window_and_size(quarter: Scenario) -> None:
    assert quarter.start == dt.date(2027, 1, 4)
    assert quarter.end == dt.date(2027, 3, 31)
    assert len(quarter.people) == 40
    assert 6 <= len(quarter.projects) <= 8
    assert 75 <= sum(len(p.tasks) for p in quarter.projects) <= 95
    skills = {skill for person in quarter.people for skill in person.skills}
    assert {"backend", "frontend", "cloud", "data", "security", "itsm", "qa", "pm"} <= skills


def test_quarter_people(quarter: Scenario) -> None:
    people = quarter.people
    assert quarter.calendar.country == "GB"
    assert quarter.calendar.subdivision == "ENG"
    assert {p.country for p in people} == {None, "DE", "IN"}
    assert {p.fte for p in people} >= {0.6, 0.8, 1.0}
    assert any(p.reserve >= 0.2 for p in people)
    assert [p.id for p in people if p.start and p.start > quarter.start], "a joiner"
    assert [p.id for p in people if p.end and p.end < quarter.end], "a leaver"
    assert any(t.fraction == 1.0 for p in people for t in p.time_off)
    assert any(t.fraction == 0.5 for p in people for t in p.time_off)
    assert all(p.cost_per_day > 0 for p in people)
    assert any(p.max_concurrent_tasks for p in people)


def test_quarter_vendors_and_resources(quarter: Scenario) -> None:
    vendors = quarter.vendor_index()
    assert len(vendors) == 2
    assert any(v.lead_time_days >= 10 and v.spend_cap for v in vendors.values())
    assert any(v.min_engagement_days > 0 for v in vendors.values())
    kinds = {r.kind: r for r in quarter.resources}
    assert kinds["renewable"].capacity == 2
    assert "consumable" in kinds


def test_quarter_projects(quarter: Scenario) -> None:
    projects = quarter.projects
    hard = [p for p in projects if p.deadline_type == "hard"]
    assert len(hard) == 1
    assert hard[0].deadline is not None and hard[0].deadline < quarter.end
    candidates = [p for p in projects if p.status == "candidate"]
    assert len(candidates) == 1 and candidates[0].value > 0
    assert any(p.budget for p in projects)
    assert len({p.priority for p in projects}) >= 3


def test_quarter_tasks(quarter: Scenario) -> None:
    tasks = [task for _, task in quarter.tasks()]
    assert any(t.effort and t.team and t.team.max > t.team.min for t in tasks), "team ranges"
    assert any(t.duration and t.duration > 0 for t in tasks), "fixed-duration windows"
    assert any(t.duration == 0 for t in tasks), "milestones"
    assert any(len(t.modes) == 2 and any(m.vendor == "only" for m in t.modes) for t in tasks)
    assert any(t.pinned for t in tasks) and any(t.excluded for t in tasks) and any(t.preferred for t in tasks)
    assert any(t.resources for t in tasks)
    kinds = {dep.type for t in tasks for dep in t.after}
    assert {DependencyType.FS, DependencyType.SS, DependencyType.FF} <= kinds
    assert any(dep.lag > 0 for t in tasks for dep in t.after)


def test_quarter_has_cross_project_dependencies(quarter: Scenario) -> None:
    owner = {task.id: project.id for project, task in quarter.tasks()}
    crossing = [
        (owner[dep.task], project.id) for project, task in quarter.tasks() for dep in task.after
        if owner[dep.task] != project.id
    ]  # fmt: skip
    assert len(crossing) >= 3
    candidates = {p.id for p in quarter.projects if p.status == "candidate"}
    assert not any(source in candidates for source, _ in crossing), "no plan waits on deferrable work"
