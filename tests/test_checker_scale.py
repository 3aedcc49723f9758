"""The checker on a department-sized plan: 250 people, 1,500 tasks, 26 weeks.

Every person works six effort-driven tasks back to back (20 timeline days each), each
task after the previous one of the same person; efforts are set to what the person
delivers in the window (leave and holidays included), so the plan is valid.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from test_checker_scenarios import make_plan

from allocator.checker import check_plan
from allocator.problem.calendar import Timeline
from models import Assignment, CalendarSpec, Person, Project, Scenario, Task, TaskPlan, TimeOff

START = dt.date(2027, 1, 4)
END = START + dt.timedelta(weeks=26) - dt.timedelta(days=3)
PEOPLE, SLOTS, LENGTH, PROJECTS = 250, 6, 20, 50


def _people() -> tuple[Person, ...]:
    return tuple(
        Person(
            id=f"p{n:03d}",
            skills={"dev": 3},
            country="DE" if n % 5 == 0 else None,
            cost_per_day=400 + n,
            time_off=(
                TimeOff(
                    start=START + dt.timedelta(weeks=n % 20),
                    end=START + dt.timedelta(weeks=n % 20, days=4),
                    fraction=0.5 if n % 3 else 1.0,
                ),
            ),
        )
        for n in range(PEOPLE)
    )


@pytest.fixture(scope="module")
def large() -> tuple[Scenario, list[TaskPlan]]:
    base = Scenario(start=START, end=END, calendar=CalendarSpec(country="GB"), people=_people())
    timeline = Timeline(base, END)
    efforts: dict[str, float] = {}
    plans: list[TaskPlan] = []
    for slot in range(SLOTS):
        for n, person in enumerate(base.people):
            task_id, first = f"t{slot}-{n}", slot * LENGTH
            presence = timeline.availability(base, person)[first : first + LENGTH]
            efforts[task_id] = max(0.5, math.floor(sum(presence) / 100 * 2) / 2)
            plans.append(
                TaskPlan(
                    task=task_id,
                    project=f"prj{n % PROJECTS}",
                    start=timeline.date(first),
                    finish=timeline.date(first + LENGTH - 1),
                    working_days=LENGTH,
                    assignments=(Assignment(resource=person.id, allocation=100, skill="dev"),),
                )
            )
    projects = []
    for p in range(PROJECTS):
        tasks = tuple(
            Task(
                id=f"t{slot}-{n}",
                effort=efforts[f"t{slot}-{n}"],
                requires=("dev:3",),
                after=(f"t{slot - 1}-{n}",) if slot else (),
            )
            for slot in range(SLOTS)
            for n in range(p, PEOPLE, PROJECTS)
        )
        projects.append(Project(id=f"prj{p}", tasks=tasks))
    return base.model_copy(update={"projects": tuple(projects)}), plans


def test_large_valid_plan_passes(large) -> None:
    scenario, task_plans = large
    plan = make_plan(scenario, task_plans)
    assert len(plan.tasks) == 1500
    report = check_plan(scenario, plan)
    assert report.ok, report.violations[:5]
