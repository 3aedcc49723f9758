"""Small builders and assertions for solver tests.

Every scenario starts on Monday 2027-01-04 unless a test says otherwise, with no public
holidays (calendar country ``None``) so that timeline days are the weekdays. Every solve
goes through :func:`solve`, which asserts that the plan it returns passes the independent
checker, so no test can accept a plan the rules forbid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from ortools.sat.python import cp_model

from allocator.checker import check_plan
from allocator.cpsat.formulation.model import build_formulation
from allocator.cpsat.formulation.objectives import stage_expression
from allocator.problem.compile import compile_problem
from allocator.search.solve import SolveOptions, SolveResult, solve_scenario
from benchmarks.convert.psplib import EVERY_DAY, MAKESPAN_OBJECTIVE, PLAN_START, day
from models import (
    CalendarSpec,
    Dependency,
    ObjectiveConfig,
    ObjectiveTerm,
    Person,
    Plan,
    Project,
    Requirement,
    Scenario,
    SharedResource,
    SolverStatus,
    Task,
    TaskPlan,
    TeamSize,
    Vendor,
)

#: Monday; the default first day of every test scenario.
MONDAY = dt.date(2027, 1, 4)
#: Default objective: the product's default lexicographic stages.
DEFAULT_STAGES = ObjectiveConfig().stages


def d(text: str) -> dt.date:
    """A date from ``"2027-01-04"`` or, within 2027, ``"01-04"``."""
    return dt.date.fromisoformat(text if len(text) > 5 else f"2027-{text}")


def weekday_after(first: dt.date, count: int) -> dt.date:
    """The weekday ``count`` weekdays after ``first`` (``count == 0`` gives ``first``)."""
    day = first
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def person(pid: str, *skills: str, **fields: Any) -> Person:
    """A full-time person; ``skills`` as ``"backend:3"`` (level 3 when omitted)."""
    return Person(id=pid, skills=list(skills or ("dev:3",)), **fields)


def vendor(vid: str, *skills: str, **fields: Any) -> Vendor:
    """A vendor; ``skills`` as ``"backend:3"`` (level 3 when omitted)."""
    return Vendor(id=vid, skills=list(skills or ("dev:3",)), **fields)


def task(tid: str, **fields: Any) -> Task:
    """A task needing one ``dev`` unless ``requires`` says otherwise."""
    fields.setdefault("requires", ("dev",))
    if "effort" not in fields and "duration" not in fields and "modes" not in fields:
        fields["effort"] = 5
    return Task(id=tid, **fields)


def project(pid: str, *tasks: Task, **fields: Any) -> Project:
    """A project holding ``tasks``."""
    return Project(id=pid, tasks=tasks, **fields)


def stages(*terms: tuple[ObjectiveTerm, ...] | ObjectiveTerm) -> ObjectiveConfig:
    """Lexicographic stages, each a term or a tuple of terms of weight 1."""
    result = []
    for stage in terms:
        members = stage if isinstance(stage, tuple) else (stage,)
        result.append(dict.fromkeys(members, 1))
    return ObjectiveConfig(stages=tuple(result))


def scenario(
    *projects: Project,
    people: tuple[Person, ...] = (),
    vendors: tuple[Vendor, ...] = (),
    resources: tuple[SharedResource, ...] = (),
    start: dt.date = MONDAY,
    weeks: int = 8,
    country: str | None = None,
    subdivision: str | None = None,
    objective: ObjectiveConfig | None = None,
    **fields: Any,
) -> Scenario:
    """A scenario of ``weeks`` weeks from ``start`` with the given people, vendors and projects.

    ``objective`` defaults to the product's default stages.
    """
    if objective is not None:
        fields["objective"] = objective
    return Scenario(
        name="test",
        start=start,
        end=start + dt.timedelta(weeks=weeks, days=-1),
        calendar=CalendarSpec(country=country, subdivision=subdivision),
        people=people,
        vendors=vendors,
        resources=resources,
        projects=projects,
        **fields,
    )


def solve(
    the_scenario: Scenario,
    *,
    time_limit: float = 5.0,
    expect: SolverStatus | None = SolverStatus.OPTIMAL,
    **options: Any,
) -> SolveResult:
    """Solve with one worker and seed 0; assert the status and that any plan passes the checker."""
    result = solve_scenario(the_scenario, SolveOptions(time_limit=time_limit, workers=1, seed=0, **options))
    if expect is not None:
        assert result.status == expect, (result.status, result.reasons)
    if result.plan is not None:
        assert_verified(the_scenario, result.plan)
    return result


def assert_verified(the_scenario: Scenario, plan: Plan) -> None:
    """The independent checker accepts ``plan``, figures included."""
    report = check_plan(the_scenario, plan)
    assert report.ok, report.violations


def planned(result: SolveResult) -> Plan:
    """The plan of a result, which must exist."""
    assert result.plan is not None, (result.status, result.reasons)
    return result.plan


def task_of(plan: Plan, tid: str) -> TaskPlan:
    """The task plan of ``tid``."""
    matches = [tp for tp in plan.tasks if tp.task == tid]
    assert len(matches) == 1, f"task {tid} planned {len(matches)} times"
    return matches[0]


def dates(plan: Plan, tid: str) -> tuple[dt.date, dt.date, int]:
    """Start, finish and working days of a task."""
    tp = task_of(plan, tid)
    return tp.start, tp.finish, tp.working_days


def team(plan: Plan, tid: str) -> dict[str, int]:
    """Assignees of a task: person id -> allocation, vendor id -> contractor count."""
    return {
        row.resource: row.allocation if row.kind == "person" else row.count
        for row in task_of(plan, tid).assignments
    }


def stage_values(plan: Plan) -> list[float]:
    """Objective value of each lexicographic stage."""
    assert plan.solver is not None
    return [stage.objective for stage in plan.solver.stages]


def project_of(plan: Plan, pid: str) -> Any:
    """The project forecast of ``pid``."""
    return next(p for p in plan.projects if p.project == pid)


def first_stage_optimum(the_scenario: Scenario) -> tuple[int, cp_model.CpModel]:
    """The proven optimum of the first objective stage of the full CP-SAT model, one worker,
    with the model (to inspect its constraints)."""
    formulation = build_formulation(compile_problem(the_scenario))
    formulation.model.minimize(stage_expression(the_scenario.objective.stages[0], formulation.terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    assert solver.solve(formulation.model) == cp_model.OPTIMAL
    return round(solver.objective_value), formulation.model


#: Skills of the random multi-skill problems.
SKILLS = ("a", "b", "c")


def skill_task(tid: str, duration: int, needs: dict[str, int], after: tuple[str, ...] = ()) -> Task:
    """A fixed-duration task needing ``needs`` heads per skill, exactly that team, full time."""
    heads = sum(needs.values())
    return Task(
        id=tid,
        duration=duration,
        requires=tuple(Requirement(skill=s, people=n) for s, n in needs.items() if n),
        team=TeamSize(min=heads, max=heads),
        allocations=(100,),
        vendor="never",
        after=tuple(Dependency(task=p) for p in after),
    )


def skill_scenario(people: tuple[Person, ...], tasks: tuple[Task, ...]) -> Scenario:
    """One project, every day worked, minimise the makespan (as multi-skill benchmarks)."""
    return Scenario(
        name="pools",
        start=PLAN_START,
        end=day(PLAN_START, sum(t.duration or 0 for t in tasks) + 1),
        calendar=EVERY_DAY,
        allocations=(100,),
        people=people,
        projects=(Project(id="p", tasks=tasks),),
        objective=MAKESPAN_OBJECTIVE,
    )


@st.composite
def skill_problems(draw: st.DrawFn) -> tuple[tuple[Person, ...], tuple[Task, ...]]:
    """2-4 people with 1-3 skills; 2-5 tasks needing 1-2 heads of random skills."""
    people = tuple(
        Person(
            id=f"p{k}",
            skills=dict.fromkeys(draw(st.lists(st.sampled_from(SKILLS), min_size=1, unique=True)), 1),
        )
        for k in range(draw(st.integers(2, 4)))
    )
    tasks = []
    for index in range(draw(st.integers(2, 5))):
        first, second = draw(st.sampled_from(SKILLS)), draw(st.sampled_from(SKILLS))
        needs = {first: 1} if first == second or draw(st.booleans()) else {first: 1, second: 1}
        earlier = [f"t{k}" for k in range(index)]
        after = tuple(draw(st.lists(st.sampled_from(earlier), unique=True, max_size=1))) if earlier else ()
        tasks.append(skill_task(f"t{index}", draw(st.integers(1, 4)), needs, after))
    return people, tuple(tasks)
