"""Turn a scenario, its baseline plan and progress into a re-plan scenario.

The re-plan scenario starts on the as-of date. Done tasks leave it (dependencies on them
are met); a task in progress becomes a task with its remaining work, pinned to those of
its current assignees who can still do it; everything else is planned afresh. The
checker then judges the re-plan like any plan of that scenario.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.problem.calendar import WorkingCalendar
from models import Assignment, ObjectiveConfig, ObjectiveTerm, Plan, TaskPlan, TeamSize
from models.changes import DoneTask

if TYPE_CHECKING:
    from models import Dependency, Mode, Person, Project, Scenario, Task
    from models.progress import Progress, TaskProgress

#: Stability weights of the ``--stability`` settings; lateness weighs ``LATENESS_WEIGHT``.
STABILITY_LEVELS = {"low": 1, "medium": 5, "high": 40}
LATENESS_WEIGHT = 10
#: Working days after the as-of date in which planned starts are frozen by default.
DEFAULT_FREEZE_DAYS = 5


def replan_objective(stability_weight: int) -> ObjectiveConfig:
    """Stages of a re-plan: lateness against stability, then cost, finish and preferences."""
    first = {
        ObjectiveTerm.LATENESS: LATENESS_WEIGHT,
        ObjectiveTerm.DEFERRAL: LATENESS_WEIGHT,
        ObjectiveTerm.STABILITY: stability_weight,
    }
    rest = ({ObjectiveTerm.COST: 1}, {ObjectiveTerm.FINISH: 1}, {ObjectiveTerm.PREFERENCES: 1})
    return ObjectiveConfig(stages=(first, *rest))


@dataclass
class InProgress:
    """A task under way on the as-of date."""

    task: str
    actual_start: dt.date | None
    kept: tuple[str, ...]  #: current assignees who carry on
    leaving: tuple[str, ...]  #: current assignees who can no longer work on it


@dataclass
class ReplanSetup:
    """The re-plan scenario and what it was made from."""

    scenario: Scenario
    reference: Plan  #: the baseline's decisions for the work still to do
    frozen: frozenset[str]
    as_of: dt.date
    done: list[DoneTask] = field(default_factory=list)
    in_progress: dict[str, InProgress] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def derive_replan(
    scenario: Scenario,
    baseline: Plan,
    progress: Progress,
    as_of: dt.date,
    stability_weight: int = STABILITY_LEVELS["medium"],
    freeze_days: int = DEFAULT_FREEZE_DAYS,
    unfrozen: frozenset[str] = frozenset(),
) -> ReplanSetup:
    """The re-plan scenario for ``scenario`` as of ``as_of``.

    Parameters
    ----------
    scenario
        The scenario with any slips applied (validated against ``progress``).
    baseline
        The plan people are working to.
    progress
        What is done and what is under way.
    as_of
        First day of the re-plan.
    stability_weight
        Weight of stability against ten per late day in the first objective stage.
    freeze_days
        Working days from ``as_of`` in which not-started tasks keep their baseline.
    unfrozen
        Tasks never frozen (those the slip changed).
    """
    entries = progress.by_task()
    planned = {tp.task: tp for tp in baseline.tasks}
    people = scenario.person_index()
    setup = ReplanSetup(scenario, baseline, frozenset(), as_of)
    projects = []
    for project in scenario.projects:
        tasks = []
        for task in project.tasks:
            entry = entries.get(task.id)
            if entry is not None and _is_done(entry):
                setup.done.append(_done(project.id, task.id, entry, planned.get(task.id)))
                continue
            if entry is not None and entry.status == "in_progress":
                task = _resume(scenario, task, entry, planned.get(task.id), people, as_of, setup)
            tasks.append(_open_task(task, as_of, setup))
        if tasks:
            projects.append(_open_project(project, tuple(tasks), as_of, setup))
    done_ids = {d.task for d in setup.done}
    started = _days_under_way(scenario, setup)
    projects = [_open_deps(p, done_ids, started) for p in projects]
    setup.scenario = scenario.model_copy(
        update={
            "name": f"{scenario.name} re-plan {as_of.isoformat()}",
            "start": as_of,
            "end": max(scenario.end, as_of),
            "projects": tuple(projects),
            "vendors": _shorter_lead_times(scenario, as_of),
            "objective": replan_objective(stability_weight),
            "progress": None,
        }
    )
    setup.reference = _reference(setup, planned)
    setup.frozen = _frozen(setup, planned, freeze_days, unfrozen)
    return setup


def _is_done(entry: TaskProgress) -> bool:
    """Done, or in progress with nothing left to do."""
    if entry.status == "done":
        return True
    remaining = entry.remaining_effort if entry.remaining_effort is not None else entry.remaining_days
    return entry.status == "in_progress" and remaining is not None and remaining == 0


def _done(project: str, task: str, entry: TaskProgress, planned: TaskPlan | None) -> DoneTask:
    who = entry.assignees
    if who is None:
        who = tuple(a.resource for a in planned.assignments) if planned else ()
    return DoneTask(
        task=task,
        project=project,
        start=entry.actual_start or (planned.start if planned else None),
        finish=entry.actual_finish or (planned.finish if planned else None),
        assignees=tuple(who),
    )


def _available(person: Person | None, until: dt.date, as_of: dt.date) -> bool:
    """Whether a current assignee is employed from ``as_of`` until ``until``."""
    if person is None:
        return False
    if person.start and person.start > as_of:
        return False
    return not (person.end and person.end < max(until, as_of))


def _resume(
    scenario: Scenario,
    task: Task,
    entry: TaskProgress,
    planned: TaskPlan | None,
    people: dict[str, Person],
    as_of: dt.date,
    setup: ReplanSetup,
) -> Task:
    """The remaining work of a task in progress, pinned to the assignees who carry on."""
    modes = task.resolved_modes(scenario.allocations)
    mode = next((m for m in modes if planned and m.name == planned.mode), modes[0])
    current = entry.assignees
    if current is None:
        current = tuple(a.resource for a in planned.assignments if a.kind == "person") if planned else ()
    until = planned.finish if planned else as_of
    kept = tuple(p for p in current if p in people and _available(people[p], until, as_of))
    leaving = tuple(p for p in current if p in people and p not in kept)
    setup.in_progress[task.id] = InProgress(
        task.id, entry.actual_start or (planned.start if planned else None), kept, leaving
    )
    for pid in leaving:
        setup.warnings.append(f"task '{task.id}': {pid} can no longer work on it; a successor is planned")
    return _remaining_task(task, mode, entry, kept)


def _remaining_task(task: Task, mode: Mode, entry: TaskProgress, kept: tuple[str, ...]) -> Task:
    assert mode.team is not None
    effort = entry.remaining_effort if mode.effort is not None else None
    duration = entry.remaining_days if mode.duration is not None else None
    pinned = tuple(dict.fromkeys((*kept, *task.pinned)))
    # Every pinned person is on the team, so the team has at least that many: saying so
    # changes no plan, and lets a team of two who carry on be built as a team of two.
    team = TeamSize(min=max(mode.team.min, len(pinned)), max=max(mode.team.max, len(pinned)))
    remaining = mode.model_copy(update={"effort": effort, "duration": duration, "team": team})
    return task.model_copy(
        update={
            "effort": None,
            "duration": None,
            "modes": (remaining,),
            "pinned": pinned,
            "after": tuple(d for d in task.after if d.type.value in ("FF", "SF")),
        }
    )


def _open_task(task: Task, as_of: dt.date, setup: ReplanSetup) -> Task:
    """A task still to do: earliest starts before the as-of date lapse, past hard deadlines soften."""
    update: dict[str, object] = {}
    if task.earliest_start and task.earliest_start < as_of:
        update["earliest_start"] = None
    if task.deadline and task.deadline < as_of and task.deadline_type == "hard":
        update["deadline_type"] = "soft"
        setup.warnings.append(f"task '{task.id}': hard deadline {task.deadline} has passed; now soft")
    return task.model_copy(update=update) if update else task


def _open_project(project: Project, tasks: tuple[Task, ...], as_of: dt.date, setup: ReplanSetup) -> Project:
    update: dict[str, object] = {"tasks": tasks}
    if project.earliest_start and project.earliest_start < as_of:
        update["earliest_start"] = None
    if project.deadline and project.deadline < as_of and project.deadline_type == "hard":
        update["deadline_type"] = "soft"
        setup.warnings.append(
            f"project '{project.id}': hard deadline {project.deadline} has passed; now soft"
        )
    return project.model_copy(update=update)


def _days_under_way(scenario: Scenario, setup: ReplanSetup) -> dict[str, int]:
    """Working days each task in progress has run before the as-of date."""
    return {
        tid: working_days_between(scenario, going.actual_start, setup.as_of)
        for tid, going in setup.in_progress.items()
        if going.actual_start is not None and going.actual_start < setup.as_of
    }


def _open_deps(project: Project, done: set[str], started: dict[str, int]) -> Project:
    """Dependencies on done tasks are met; those on a task's start count its days under way.

    A task in progress starts on the as-of date in the re-plan, so a start-to-start or
    start-to-finish lag from it would count again the days it has already run.
    """
    tasks = tuple(
        t.model_copy(update={"after": tuple(_open_dep(d, started) for d in t.after if d.task not in done)})
        for t in project.tasks
    )
    return project.model_copy(update={"tasks": tasks})


def _open_dep(dep: Dependency, started: dict[str, int]) -> Dependency:
    if dep.type.value not in ("SS", "SF") or dep.task not in started or dep.lag <= 0:
        return dep
    return dep.model_copy(update={"lag": max(0, dep.lag - started[dep.task])})


def working_days_between(scenario: Scenario, first: dt.date, last: dt.date) -> int:
    """Working days of the scenario calendar from ``first`` up to, not including, ``last``."""
    calendar = WorkingCalendar(scenario.calendar, first, max(first, last))
    days, day = 0, first
    while day < last:
        days += calendar.is_working_day(day)
        day += dt.timedelta(days=1)
    return days


def _shorter_lead_times(scenario: Scenario, as_of: dt.date) -> tuple[object, ...]:
    """Vendor lead times count from the plan start; the days already passed are served."""
    passed = working_days_between(scenario, scenario.start, as_of)
    return tuple(
        v.model_copy(update={"lead_time_days": max(0, v.lead_time_days - passed)}) for v in scenario.vendors
    )


def _reference(setup: ReplanSetup, planned: dict[str, TaskPlan]) -> Plan:
    """The baseline's decisions for the remaining work, dated on the re-plan."""
    tasks = []
    for project, task in setup.scenario.tasks():
        old = planned.get(task.id)
        if old is None:
            continue
        going = setup.in_progress.get(task.id)
        if going is not None:
            rows = tuple(a for a in old.assignments if a.kind == "vendor" or a.resource in going.kept)
            rows += tuple(
                Assignment(resource=p, allocation=100)
                for p in going.kept
                if p not in {a.resource for a in rows}
            )
            old = old.model_copy(update={"assignments": rows})
        if old.start < setup.as_of:
            old = old.model_copy(
                update={"start": setup.as_of, "finish": max(old.finish, setup.as_of), "working_days": 1}
            )
        tasks.append(old.model_copy(update={"project": project.id}))
    return Plan(
        scenario=setup.scenario.name,
        scenario_hash="",
        created=dt.datetime.now(dt.UTC).replace(microsecond=0),
        tasks=tuple(tasks),
    )


def _frozen(
    setup: ReplanSetup, planned: dict[str, TaskPlan], freeze_days: int, unfrozen: frozenset[str]
) -> frozenset[str]:
    """Not-started tasks the baseline starts within ``freeze_days`` working days of the as-of date."""
    if freeze_days <= 0:
        return frozenset()
    horizon = setup.as_of + dt.timedelta(days=7 * (freeze_days // 5 + 2))
    calendar = WorkingCalendar(setup.scenario.calendar, setup.as_of, horizon)
    day, counted = setup.as_of, 0
    while counted < freeze_days:
        counted += calendar.is_working_day(day)
        day += dt.timedelta(days=1)
    return frozenset(
        tid
        for tid in setup.scenario.task_index()
        if tid in planned
        and tid not in setup.in_progress
        and tid not in unfrozen
        and setup.as_of <= planned[tid].start < day
    )
