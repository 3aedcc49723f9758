"""Tiny scenarios and hand-written plans shared by the checker and summary tests (no tests here).

The main scenario runs from Mon 2026-04-27 to Fri 2026-06-05 on the GB calendar; bob
works on the DE calendar. Timeline days (indices) around the work:

    0 Apr 27   1 Apr 28   2 Apr 29   3 Apr 30   4 May 1 (DE holiday)
    5 May 4 (GB bank holiday)   6 May 5   7 May 6   8 May 7   9 May 8
    10 May 11  11 May 12  12 May 13  13 May 14 (DE Ascension)  14 May 15
    (May 25 is a holiday in both countries, so not a timeline day.)
"""

from __future__ import annotations

import datetime as dt

from allocator.plan.figures import build_plan_figures, fill_task_effort, plan_timeline
from models import (
    Assignment,
    CalendarSpec,
    Dependency,
    Mode,
    Person,
    Plan,
    Project,
    Requirement,
    Scenario,
    SharedResource,
    Task,
    TaskPlan,
    TeamSize,
    TimeOff,
    Vendor,
)


def d(text: str) -> dt.date:
    """A date from ``MM-DD`` in 2026."""
    return dt.date.fromisoformat(f"2026-{text}")


#: Last day of the planning window, and crm's (soft) deadline unless a test moves it.
WINDOW_END = dt.date(2026, 6, 5)


def person(resource: str, allocation: int = 100, skill: str | None = None) -> Assignment:
    return Assignment(resource=resource, allocation=allocation, skill=skill)


def vendor(resource: str, count: int = 1, skill: str | None = None) -> Assignment:
    return Assignment(resource=resource, kind="vendor", allocation=100, count=count, skill=skill)


def task_plan(
    task: str, project: str, start: str, finish: str, days: int, *rows: Assignment, mode: str = "default"
) -> TaskPlan:
    return TaskPlan(
        task=task,
        project=project,
        mode=mode,
        start=d(start),
        finish=d(finish),
        working_days=days,
        assignments=rows,
    )


def people() -> tuple[Person, ...]:
    return (
        Person(id="alice", skills={"backend": 4, "frontend": 2}, cost_per_day=500),
        Person(id="bob", skills={"backend": 3, "testing": 3}, country="DE", reserve=0.5, cost_per_day=400),
        Person(
            id="carol",
            skills={"frontend": 4, "backend": 3},
            cost_per_day=450,
            max_concurrent_tasks=1,
            time_off=(TimeOff(start=d("05-06"), end=d("05-08"), fraction=0.5),),
        ),
        Person(id="dave", skills={"testing": 4}, cost_per_day=300, end=d("05-15")),
    )


def vendors() -> tuple[Vendor, ...]:
    return (
        Vendor(
            id="acme",
            skills={"backend": 3},
            headcount=2,
            day_rate=800,
            lead_time_days=5,
            min_engagement_days=5,
            spend_cap=4500,
        ),
        Vendor(id="beta", skills={"backend": 3}, headcount=1, day_rate=600, min_engagement_days=10),
    )


def crm_project(deadline: dt.date = WINDOW_END) -> Project:
    testing_modes = (
        Mode(name="inhouse", duration=3),
        Mode(name="express", duration=2, requires=(Requirement(skill="testing", level=4),), cost=1500),
    )
    return Project(
        id="crm",
        priority=2,
        deadline=deadline,
        budget=10000,
        tasks=(
            Task(id="design", effort=4, requires=("backend:3",)),
            Task(
                id="build",
                effort=10,
                requires=(Requirement(skill="backend", level=3, people=2),),
                team=TeamSize(min=2, max=3),
                after=("design",),
                pinned=("alice",),
                resources={"licences": 2},
            ),
            Task(
                id="test",
                requires=("testing:3",),
                modes=testing_modes,
                after=("build",),
                deadline=d("05-14"),
                vendor="never",
                resources={"licences": 1, "env": 1},
            ),
            Task(id="launch", duration=0, after=("test",)),
        ),
    )


def web_project(ui_deadline: dt.date | None = None) -> Project:
    return Project(
        id="web",
        earliest_start=d("05-04"),
        tasks=(
            Task(
                id="ui",
                effort=2.5,
                requires=("frontend:3",),
                resources={"env": 1},
                deadline=ui_deadline,
                deadline_type="soft",
            ),
            Task(
                id="api",
                effort=2,
                requires=("backend:3",),
                team=TeamSize(min=1, max=2),
                after=(Dependency(task="ui", type="SS", lag=2), Dependency(task="ui", type="FF", lag=1)),
                excluded=("alice",),
            ),
        ),
    )


def pilot_project() -> Project:
    return Project(
        id="pilot",
        status="candidate",
        value=5,
        tasks=(
            Task(id="poc", effort=2, requires=("backend:3",), resources={"licences": 1}),
            Task(id="review", effort=1, requires=("frontend:2",), after=("poc",)),
        ),
    )


def scenario(crm_deadline: dt.date = WINDOW_END, ui_deadline: dt.date | None = None) -> Scenario:
    return Scenario(
        name="checker-test",
        start=d("04-27"),
        end=WINDOW_END,
        calendar=CalendarSpec(country="GB"),
        people=people(),
        vendors=vendors(),
        resources=(
            SharedResource(id="env", capacity=1),
            SharedResource(id="licences", capacity=3, kind="consumable"),
        ),
        projects=(crm_project(crm_deadline), web_project(ui_deadline), pilot_project()),
    )


def valid_task_plans() -> dict[str, TaskPlan]:
    """A plan obeying every rule; the pilot candidate is deferred."""
    plans = [
        # alice 4 days present -> 4 person-days.
        task_plan("design", "crm", "04-27", "04-30", 4, person("alice", skill="backend")),
        # 6 timeline days; May 4 is a GB holiday: alice 5 + one contractor 5 = 10.
        task_plan(
            "build",
            "crm",
            "05-04",
            "05-11",
            6,
            person("alice", skill="backend"),
            vendor("acme", skill="backend"),
        ),
        task_plan("test", "crm", "05-12", "05-14", 3, person("dave", skill="testing"), mode="inhouse"),
        task_plan("launch", "crm", "05-14", "05-14", 0),
        # carol on half-day leave May 6-8: 1.5 + 1 (May 11) = 2.5.
        task_plan("ui", "web", "05-06", "05-11", 4, person("carol", skill="frontend")),
        # bob (DE) at 50 %: present May 8, 11, 12, 13, off on Ascension (May 14) -> 2.0.
        task_plan("api", "web", "05-08", "05-14", 5, person("bob", 50, skill="backend")),
    ]
    return {tp.task: tp for tp in plans}


def make_plan(scenario: Scenario, task_plans: list[TaskPlan] | tuple[TaskPlan, ...]) -> Plan:
    """A plan with efforts, lateness and figures derived as the optimiser would record them."""
    timeline = plan_timeline(scenario, task_plans)
    filled = fill_task_effort(scenario, task_plans, timeline)
    figures = build_plan_figures(scenario, filled, timeline)
    return Plan(
        scenario=scenario.name,
        scenario_hash="test",
        created=dt.datetime(2026, 4, 1),
        tasks=filled,
        projects=figures.projects,
        vendors=figures.vendors,
        loads=figures.loads,
        kpis=figures.kpis,
    )
