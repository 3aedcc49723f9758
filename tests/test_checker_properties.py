"""Property test: random small valid plans pass the checker, and one mutation (shift a
date, drop an assignee, raise an allocation) is reported exactly where a brute-force
oracle says a rule breaks.

The scenario has no public holidays, so every weekday is a timeline day and every
person is present on all of them; the oracle can then count in plain weekdays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st
from test_checker_scenarios import make_plan

from allocator.checker import check_plan
from models import Assignment, Dependency, Person, Plan, Project, Scenario, Task, TaskPlan

START = dt.date(2026, 1, 5)  # a Monday
DAYS = 80
WEEKDAYS = [day for day in (START + dt.timedelta(days=n) for n in range(DAYS * 2)) if day.weekday() < 5][
    :DAYS
]
ORACLE_RULES = {"capacity", "dependency", "effort", "headcount", "dates"}


@dataclass
class Drawn:
    """One task as drawn: who, how much, and where the greedy schedule put it."""

    effort: int
    person: int
    allocation: int
    after_previous: bool
    start: int = 0
    end: int = 0


task_strategy = st.builds(
    Drawn,
    effort=st.integers(1, 4),
    person=st.integers(0, 2),
    allocation=st.sampled_from([50, 100]),
    after_previous=st.booleans(),
)
delay_strategy = st.integers(0, 3)


def _schedule(tasks: list[Drawn], delays: list[int]) -> None:
    """Greedy: each task at the first start after its predecessor where the person has room."""
    load = {p: [0] * DAYS for p in range(3)}
    for i, task in enumerate(tasks):
        length = task.effort * 100 // task.allocation
        earliest = (tasks[i - 1].end if i and task.after_previous else 0) + delays[i]
        start = earliest
        while any(load[task.person][d] + task.allocation > 100 for d in range(start, start + length)):
            start += 1
        task.start, task.end = start, start + length
        for day in range(start, start + length):
            load[task.person][day] += task.allocation


def _scenario(tasks: list[Drawn]) -> Scenario:
    project_tasks = tuple(
        Task(
            id=f"t{i}",
            effort=task.effort,
            requires=("dev:3",),
            after=(Dependency(task=f"t{i - 1}"),) if i and task.after_previous else (),
        )
        for i, task in enumerate(tasks)
    )
    return Scenario(
        start=START,
        end=WEEKDAYS[-1],
        people=tuple(Person(id=f"p{n}", skills={"dev": 3}) for n in range(3)),
        projects=(Project(id="prj", tasks=project_tasks),),
    )


def _task_plan(i: int, task: Drawn, rows: tuple[Assignment, ...]) -> TaskPlan:
    return TaskPlan(
        task=f"t{i}",
        project="prj",
        start=WEEKDAYS[task.start],
        finish=WEEKDAYS[max(task.end - 1, task.start)],
        working_days=task.end - task.start,
        assignments=rows,
    )


def _rows(task: Drawn) -> tuple[Assignment, ...]:
    return (Assignment(resource=f"p{task.person}", allocation=task.allocation, skill="dev"),)


def _oracle(tasks: list[Drawn], rows: list[tuple[Assignment, ...]]) -> set[str]:
    """Rules the plan breaks, by brute force over weekdays."""
    broken = set()
    for i, task in enumerate(tasks):
        if task.end <= task.start:
            broken.add("dates")
        if not rows[i]:
            broken.add("headcount")
        delivered = sum(r.allocation / 100 * (task.end - task.start) for r in rows[i])
        if delivered < task.effort - 0.001:
            broken.add("effort")
        if i and task.after_previous and task.start < tasks[i - 1].end:
            broken.add("dependency")
    for day in range(DAYS):
        for person in range(3):
            booked = sum(
                r.allocation
                for t, rs in zip(tasks, rows, strict=True)
                for r in rs
                if r.resource == f"p{person}" and t.start <= day < t.end
            )
            if booked > 100:
                broken.add("capacity")
    return broken


def _mutate(kind: str, target: int, tasks: list[Drawn], rows: list[tuple[Assignment, ...]]) -> bool:
    """Apply one mutation in place; ``False`` when it does not apply to this plan."""
    task = tasks[target]
    if kind == "later start":
        task.start += 1  # same finish: one day less to deliver the effort
    elif kind == "earlier":
        if task.start == 0:
            return False
        task.start, task.end = task.start - 1, task.end - 1
    elif kind == "drop assignee":
        rows[target] = ()
    elif kind == "raise allocation":
        if task.allocation == 100:
            return False
        rows[target] = (rows[target][0].model_copy(update={"allocation": 100}),)
    return True


@settings(max_examples=60, deadline=None)
@given(
    tasks=st.lists(task_strategy, min_size=1, max_size=6),
    delays=st.lists(delay_strategy, min_size=6, max_size=6),
    kind=st.sampled_from(["later start", "earlier", "drop assignee", "raise allocation"]),
    target=st.integers(0, 5),
)
def test_mutation_is_reported_where_a_rule_breaks(
    tasks: list[Drawn], delays: list[int], kind: str, target: int
) -> None:
    _schedule(tasks, delays)
    scenario = _scenario(tasks)
    rows = [_rows(task) for task in tasks]
    valid = make_plan(
        scenario, [_task_plan(i, t, r) for i, (t, r) in enumerate(zip(tasks, rows, strict=True))]
    )
    assert check_plan(scenario, valid).ok, check_plan(scenario, valid).violations

    target %= len(tasks)
    if not _mutate(kind, target, tasks, rows):
        return
    expected = _oracle(tasks, rows)  # may be empty: raising or moving can stay within the rules
    mutated = _bare_plan(scenario, tasks, rows)
    found = {v.rule for v in check_plan(scenario, mutated, figures=False).violations}
    assert found & ORACLE_RULES == expected


def _bare_plan(scenario: Scenario, tasks: list[Drawn], rows: list[tuple[Assignment, ...]]) -> Plan:
    plans = []
    for i, (task, rs) in enumerate(zip(tasks, rows, strict=True)):
        plan = _task_plan(i, task, rs)
        if task.end <= task.start:  # a one-day task whose start moved past its finish
            plan = plan.model_copy(update={"finish": WEEKDAYS[task.end - 1], "working_days": 1})
        plans.append(plan)
    return Plan(scenario=scenario.name, scenario_hash="", created=dt.datetime(2026, 1, 1), tasks=tuple(plans))
