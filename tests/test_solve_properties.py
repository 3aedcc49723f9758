"""Properties of the solver on random small scenarios, and the checker against broken plans.

Every plan the solver returns must pass the independent checker and report the KPIs
that :func:`allocator.plan.figures.build_plan_figures` recomputes from its task plans; when
there is no plan the status says why (infeasible or unknown). Broken copies of produced
plans must be rejected by the checker with the rule they break.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solver_helpers import MONDAY, d, person, planned, project, scenario, solve, task, task_of

from allocator.checker import check_plan
from allocator.plan.figures import build_plan_figures, plan_timeline, task_window
from models import (
    Assignment,
    Dependency,
    Person,
    Plan,
    Project,
    Requirement,
    Scenario,
    SolverStatus,
    Task,
    TaskPlan,
    TeamSize,
    TimeOff,
    Vendor,
)

SKILLS = ("backend", "qa", "ops")
WEEKS = 8
PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- random scenarios -------------------------------------------------------------------


@st.composite
def people_strategy(draw: st.DrawFn) -> tuple[Person, ...]:
    """2-4 people with random skills, levels, FTE, reserve, leave, cost and employment."""
    count = draw(st.integers(2, 4))
    people = []
    for index in range(count):
        skills = draw(st.lists(st.sampled_from(SKILLS), min_size=1, max_size=2, unique=True))
        fte = draw(st.sampled_from((0.5, 0.8, 1.0)))
        fields: dict[str, Any] = {
            "skills": {skill: draw(st.integers(1, 5)) for skill in skills},
            "fte": fte,
            # A half-timer keeps no reserve, so everyone can take a 50 % booking.
            "reserve": draw(st.sampled_from((0.0, 0.1))) if fte > 0.5 else 0.0,
            "cost_per_day": draw(st.sampled_from((0, 100, 400))),
            "max_concurrent_tasks": draw(st.sampled_from((None, None, 1, 2))),
        }
        if draw(st.booleans()):
            first = MONDAY + dt.timedelta(days=draw(st.integers(0, 35)))
            last = first + dt.timedelta(days=draw(st.integers(0, 9)))
            fraction = draw(st.sampled_from((0.5, 1.0)))
            fields["time_off"] = (TimeOff(start=first, end=last, fraction=fraction),)
        employment = draw(st.sampled_from(("whole", "whole", "joiner", "leaver")))
        if employment == "joiner":
            fields["start"] = MONDAY + dt.timedelta(days=draw(st.integers(1, 20)))
        elif employment == "leaver":
            fields["end"] = MONDAY + dt.timedelta(days=draw(st.integers(20, 50)))
        people.append(Person(id=f"person-{index}", **fields))
    return tuple(people)


@st.composite
def vendors_strategy(draw: st.DrawFn) -> tuple[Vendor, ...]:
    """No vendor or one, with random skills, headcount, rate, lead time, cap and engagement."""
    if not draw(st.booleans()):
        return ()
    skills = draw(st.lists(st.sampled_from(SKILLS), min_size=1, max_size=3, unique=True))
    spend_cap = draw(st.sampled_from((None, None, 3000.0)))
    return (
        Vendor(
            id="vendor-0",
            skills={skill: draw(st.integers(1, 5)) for skill in skills},
            headcount=draw(st.integers(1, 2)),
            day_rate=draw(st.sampled_from((200, 500))),
            lead_time_days=draw(st.integers(0, 5)),
            min_engagement_days=draw(st.sampled_from((0, 0, 5))),
            spend_cap=spend_cap,
        ),
    )


def _requirement(draw: st.DrawFn, people: tuple[Person, ...]) -> Requirement:
    """A requirement someone meets: a skill a person has, at most at their level."""
    holder = draw(st.sampled_from(people))
    skill = draw(st.sampled_from(sorted(holder.skills)))
    return Requirement(skill=skill, level=draw(st.integers(1, holder.skills[skill])))


def _task(draw: st.DrawFn, index: int, people: tuple[Person, ...], earlier: list[str]) -> Task:
    """An effort-driven or fixed-duration task with FS/SS dependencies on earlier tasks (a DAG)."""
    fields: dict[str, Any] = {"requires": (_requirement(draw, people),)}
    if draw(st.integers(0, 4)) == 0:
        fields["duration"] = draw(st.integers(1, 4))
    else:
        fields["effort"] = draw(st.sampled_from((1.0, 2.5, 4.0, 6.0, 8.0)))
        if draw(st.booleans()):
            fields["team"] = TeamSize(min=1, max=2)
    predecessors = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True)) if earlier else []
    fields["after"] = tuple(
        Dependency(task=pred, type=draw(st.sampled_from(("FS", "SS"))), lag=draw(st.integers(0, 2)))
        for pred in predecessors
    )
    return Task(id=f"task-{index}", **fields)


@st.composite
def scenario_strategy(draw: st.DrawFn) -> Scenario:
    """A small valid scenario: 2-4 people, 0-1 vendor, 1-3 projects, 2-6 tasks."""
    people = draw(people_strategy())
    vendors = draw(vendors_strategy())
    project_count = draw(st.integers(1, 3))
    task_count = draw(st.integers(max(2, project_count), 6))
    owners = [index % project_count for index in range(task_count)]
    tasks: list[Task] = []
    for index in range(task_count):
        tasks.append(_task(draw, index, people, [t.id for t in tasks]))
    projects = []
    for number in range(project_count):
        deadline = None
        if draw(st.booleans()):
            deadline = MONDAY + dt.timedelta(days=draw(st.integers(7, 40)))
        projects.append(
            Project(
                id=f"project-{number}",
                priority=draw(st.integers(1, 3)),
                deadline=deadline,
                tasks=tuple(t for t, owner in zip(tasks, owners, strict=True) if owner == number),
            )
        )
    allocations = draw(st.sampled_from(((50, 100), (25, 50, 75, 100))))
    return scenario(*projects, people=people, vendors=vendors, weeks=WEEKS, allocations=allocations)


@PROPERTY_SETTINGS
@given(scenario_strategy())
def test_every_plan_verifies_and_reports_recomputed_kpis(the_scenario: Scenario) -> None:
    result = solve(the_scenario, time_limit=3.0, expect=None)
    if result.plan is None:
        assert result.status in (SolverStatus.INFEASIBLE, SolverStatus.UNKNOWN)
        return
    assert result.status in (SolverStatus.OPTIMAL, SolverStatus.FEASIBLE)
    plan = result.plan
    assert plan.check is not None and plan.check.ok
    figures = build_plan_figures(the_scenario, plan.tasks)
    assert plan.kpis == figures.kpis
    assert plan.projects == figures.projects
    assert plan.vendors == figures.vendors
    assert {tp.task for tp in plan.tasks} == {t.id for _, t in the_scenario.tasks()}
    _assert_broken_copies_rejected(the_scenario, plan)


def _assert_broken_copies_rejected(the_scenario: Scenario, plan: Plan) -> None:
    """Moving a successor before its FS predecessor allows, or dropping an assignee, is caught."""
    timeline = plan_timeline(the_scenario, plan.tasks)
    tasks = the_scenario.task_index()
    for tp in plan.tasks:
        for dep in tasks[tp.task][1].after:
            if dep.type.value != "FS":
                continue
            _, pred_end = task_window(timeline, task_of(plan, dep.task))
            _, end = task_window(timeline, tp)
            early = pred_end + dep.lag - 1
            if end > early >= 0:  # a window still at least one day long
                broken = _with_task(plan, tp.task, start=timeline.date(early), working_days=end - early)
                assert "dependency" in _broken_rules(the_scenario, broken)
    for tp in plan.tasks:
        if tp.assignments:
            broken = _with_task(plan, tp.task, assignments=tp.assignments[1:])
            assert not check_plan(the_scenario, broken).ok


# --- broken copies of one produced plan -------------------------------------------------


def _with_task(plan: Plan, tid: str, **changes: object) -> Plan:
    """A copy of ``plan`` with one task plan changed."""
    tasks = tuple(tp.model_copy(update=changes) if tp.task == tid else tp for tp in plan.tasks)
    return plan.model_copy(update={"tasks": tasks})


def _broken_rules(the_scenario: Scenario, plan: Plan) -> set[str]:
    """Rules the checker reports broken (task plans only, figures aside)."""
    report = check_plan(the_scenario, plan, figures=False)
    assert not report.ok
    return {violation.rule for violation in report.violations}


@pytest.fixture(scope="module")
def produced() -> tuple[Scenario, Plan]:
    """A solved scenario with an FS dependency, a part-time person and a leaver.

    Ann (50 % capacity) is pinned to ``support``; Dave (leaves Fri 01-08) is pinned to
    ``design``, which ``build`` follows finish-to-start.
    """
    the_scenario = scenario(
        project(
            "core",
            task("design", effort=3, allocations=(100,), pinned=("dave",)),
            task("build", effort=5, after=("design",)),
        ),
        project("run", task("support", effort=2.5, pinned=("ann",))),
        people=(
            person("ann", fte=0.6, reserve=0.1),
            person("bob"),
            person("dave", end=d("01-08")),
        ),
    )
    plan = planned(solve(the_scenario))
    return the_scenario, plan


def _window(the_scenario: Scenario, plan: Plan, tid: str) -> tuple[int, int]:
    return task_window(plan_timeline(the_scenario, plan.tasks), task_of(plan, tid))


def test_produced_plan_is_the_expected_one(produced: tuple[Scenario, Plan]) -> None:
    # design: Dave 01-04..01-06; build: Bob from 01-07 for 5 days; support: Ann at 50 %
    # for 5 days. Checked here so that the broken variants below start from a known plan.
    _, plan = produced
    assert (task_of(plan, "design").start, task_of(plan, "design").finish) == (d("01-04"), d("01-06"))
    assert task_of(plan, "build").start == d("01-07")
    assert task_of(plan, "support").assignments[0].allocation == 50


def test_successor_before_its_predecessor_finishes_is_rejected(produced: tuple[Scenario, Plan]) -> None:
    the_scenario, plan = produced
    timeline = plan_timeline(the_scenario, plan.tasks)
    _, design_end = _window(the_scenario, plan, "design")
    build = task_of(plan, "build")
    _, build_end = _window(the_scenario, plan, "build")
    broken = _with_task(
        plan, "build", start=timeline.date(design_end - 1), working_days=build_end - design_end + 1
    )
    assert "dependency" in _broken_rules(the_scenario, broken)
    assert build.start == timeline.date(design_end)  # the original was tight


def test_removed_assignee_is_rejected(produced: tuple[Scenario, Plan]) -> None:
    the_scenario, plan = produced
    broken = _with_task(plan, "build", assignments=())
    assert {"headcount", "effort"} <= _broken_rules(the_scenario, broken)


def test_allocation_beyond_capacity_is_rejected(produced: tuple[Scenario, Plan]) -> None:
    # Ann's capacity is 50 %; booking her at 100 % breaks the capacity rule.
    the_scenario, plan = produced
    row = task_of(plan, "support").assignments[0]
    broken = _with_task(plan, "support", assignments=(row.model_copy(update={"allocation": 100}),))
    assert "capacity" in _broken_rules(the_scenario, broken)


def test_task_moved_onto_a_leavers_days_is_rejected(produced: tuple[Scenario, Plan]) -> None:
    # Dave leaves on Fri 01-08; his design task moved to the next week lies outside it.
    the_scenario, plan = produced
    broken = _with_task(plan, "design", start=d("01-11"), finish=d("01-13"))
    assert "employment" in _broken_rules(the_scenario, broken)


def test_task_plan_order_does_not_matter(produced: tuple[Scenario, Plan]) -> None:
    # The checker reads the plan as a set of task plans: reversed, it still passes.
    the_scenario, plan = produced
    reordered = plan.model_copy(update={"tasks": tuple(reversed(plan.tasks))})
    assert check_plan(the_scenario, reordered, figures=False).ok


def test_extra_person_row_beyond_the_team_is_rejected(produced: tuple[Scenario, Plan]) -> None:
    # build's team is exactly one; adding a second person breaks the team size.
    the_scenario, plan = produced
    build: TaskPlan = task_of(plan, "build")
    extra = Assignment(resource="ann" if build.assignments[0].resource != "ann" else "bob", allocation=50)
    broken = _with_task(plan, "build", assignments=(*build.assignments, extra))
    assert "team-size" in _broken_rules(the_scenario, broken)
