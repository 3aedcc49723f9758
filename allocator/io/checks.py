"""Cross-reference checks of a scenario: what the models alone cannot see.

:func:`find_problems` returns errors, each of which makes the scenario unusable
(a typo in an id, a dependency cycle, a task nobody can do, a window too short for
its work). :func:`find_warnings` returns things that are allowed but probably not
meant. The rules are those of ``docs/planning-rules.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import holidays as holidays_lib

from allocator.io.errors import InputProblem, unknown
from allocator.io.risk_checks import risk_problems
from allocator.problem.calendar import Timeline

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from models import Mode, Person, Project, Requirement, Scenario, Task

#: Window checks stop this far after the plan start; a longer window never limits a task.
MAX_CHECKED_SPAN = dt.timedelta(days=20 * 366)
#: Slack for comparing fractional person-days against whole working days.
EFFORT_TOLERANCE = 1e-6

Reason = tuple[str, str]  # (field, message): why one mode of a task cannot be used


def find_problems(scenario: Scenario, file: str) -> list[InputProblem]:
    """Every error in a scenario that makes it unusable, in a stable order.

    Parameters
    ----------
    scenario
        A scenario that passed model validation.
    file
        File name the problems are reported against.

    Returns
    -------
    list of InputProblem
        Empty when the scenario is usable.
    """
    context = _Context(scenario)
    found: list[InputProblem] = [
        *_duplicate_ids(scenario),
        *_unknown_references(scenario),
        *_dependency_cycles(scenario),
        *_calendar_problems(scenario),
        *_overtime_problems(scenario),
        *_deadline_problems(scenario),
        *_far_dates(scenario),
        *risk_problems(scenario),
    ]
    for project, task in scenario.tasks():
        found.extend(_task_capability_problems(context, project, task))
    return [replace(problem, file=file) for problem in found]


def _problem(entity: str, field: str, message: str) -> InputProblem:
    return InputProblem("", entity, field, message)


# --- ids and references -------------------------------------------------------------------


def _duplicate_ids(scenario: Scenario) -> Iterator[InputProblem]:
    """Ids used twice; people and vendors share one namespace since assignments name both."""
    groups: list[list[tuple[str, str, str]]] = [
        [("person", p.id, "") for p in scenario.people] + [("vendor", v.id, "") for v in scenario.vendors],
        [("resource", r.id, "") for r in scenario.resources],
        [("project", p.id, "") for p in scenario.projects],
        [("task", t.id, f" in project '{p.id}'") for p, t in scenario.tasks()],
    ]
    for group in groups:
        seen: dict[str, str] = {}
        for kind, ident, where in group:
            if ident in seen:
                yield _problem(
                    f"{kind} '{ident}'", "id", f"id '{ident}' is used twice (first by {seen[ident]})"
                )
            else:
                seen[ident] = f"{kind} '{ident}'{where}"


def _unknown_references(scenario: Scenario) -> Iterator[InputProblem]:
    task_ids = [t.id for _, t in scenario.tasks()]
    for _, task in scenario.tasks():
        entity = f"task '{task.id}'"
        for index, dependency in enumerate(task.after):
            if dependency.task not in task_ids:
                yield _problem(entity, f"after[{index}].task", unknown("task", dependency.task, task_ids))
        yield from _people_references(scenario, task)
        yield from _resource_references(scenario, entity, "resources", task.resources)
        for index, mode in enumerate(task.modes):
            yield from _resource_references(
                scenario, entity, f"modes[{index}].resources", mode.resources or {}
            )


def _people_references(scenario: Scenario, task: Task) -> Iterator[InputProblem]:
    people = scenario.person_index()
    vendors = scenario.vendor_index()
    entity = f"task '{task.id}'"
    for role, names in (("pinned", task.pinned), ("excluded", task.excluded), ("preferred", task.preferred)):
        for index, name in enumerate(names):
            if name in vendors and name not in people:
                message = f"'{name}' is a vendor; only people can be {role} (use the task's vendor policy)"
                yield _problem(entity, f"{role}[{index}]", message)
            elif name not in people:
                yield _problem(entity, f"{role}[{index}]", unknown("person", name, people))
    for index, name in enumerate(task.pinned):
        if name in task.excluded:
            yield _problem(entity, f"pinned[{index}]", f"'{name}' is both pinned and excluded")


def _resource_references(
    scenario: Scenario, entity: str, field: str, units: dict[str, int]
) -> Iterator[InputProblem]:
    known = [r.id for r in scenario.resources]
    for resource, amount in units.items():
        if resource not in known:
            yield _problem(entity, f"{field}.{resource}", unknown("resource", resource, known))
        elif amount < 0:
            yield _problem(entity, f"{field}.{resource}", f"units must not be negative, got {amount}")


# --- dependency cycles ----------------------------------------------------------------------


def _dependency_cycles(scenario: Scenario) -> Iterator[InputProblem]:
    """One problem per distinct cycle a depth-first search meets, printed in execution order."""
    tasks = {task.id: task for _, task in scenario.tasks()}
    successors: dict[str, list[str]] = {ident: [] for ident in tasks}
    for task in tasks.values():
        for dependency in task.after:
            if dependency.task in successors:
                successors[dependency.task].append(task.id)
    reported: set[tuple[str, ...]] = set()
    for cycle in find_cycles(successors):
        start = cycle.index(min(cycle))
        ordered = tuple(cycle[start:] + cycle[:start])
        if ordered in reported:
            continue
        reported.add(ordered)
        first, last = tasks[ordered[0]], ordered[-1]
        index = next(i for i, d in enumerate(first.after) if d.task == last)
        text = " -> ".join((*ordered, ordered[0]))
        yield _problem(f"task '{first.id}'", f"after[{index}].task", f"dependency cycle: {text}")


def find_cycles(successors: dict[str, list[str]]) -> list[list[str]]:
    """Cycles closed by the back edges of an iterative depth-first search.

    Parameters
    ----------
    successors
        Node -> nodes it points to; every node appears as a key.

    Returns
    -------
    list of list of str
        Each cycle as its nodes in edge order, without repeating the first.
        Every graph with a cycle yields at least one.
    """
    state: dict[str, int] = {}  # 1 while on the current path, 2 when finished
    cycles: list[list[str]] = []
    for root in successors:
        if root in state:
            continue
        path, stack = [root], [iter(successors[root])]
        state[root] = 1
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(following) == 1:
                cycles.append(path[path.index(following) :])
            elif following not in state:
                state[following] = 1
                path.append(following)
                stack.append(iter(successors[following]))
    return cycles


# --- calendars and deadlines ----------------------------------------------------------------


def _calendar_problems(scenario: Scenario) -> Iterator[InputProblem]:
    """Countries and subdivisions the public-holiday tables do not know."""
    places = [("scenario", "calendar.", scenario.calendar.country, scenario.calendar.subdivision)]
    places += [(f"person '{p.id}'", "", p.country, p.subdivision) for p in scenario.people]
    supported = holidays_lib.list_supported_countries()
    for entity, prefix, country, subdivision in places:
        if country is None or _holidays_known(country, subdivision):
            continue
        if country not in supported:
            yield _problem(entity, f"{prefix}country", unknown("country code", country, supported))
        else:
            message = unknown(f"subdivision of {country}", str(subdivision), supported[country])
            yield _problem(entity, f"{prefix}subdivision", message)


def _overtime_problems(scenario: Scenario) -> Iterator[InputProblem]:
    """Overtime per week above the contract week itself: almost surely a slip of the pen."""
    week = scenario.calendar.hours_per_week
    places = [(f"person '{p.id}'", "overtime.", p.overtime) for p in scenario.people]
    places.append(("scenario", "overtime_policy.", scenario.overtime_policy))
    for entity, prefix, terms in places:
        if terms is not None and terms.hours_per_week > week:
            message = (
                f"{terms.hours_per_week:g} h of overtime per week exceeds the contract week of {week:g} h"
            )
            yield _problem(entity, f"{prefix}hours_per_week", message)


@lru_cache(maxsize=256)
def _holidays_known(country: str, subdivision: str | None) -> bool:
    # Asking the table itself also accepts the aliases it knows ("England" for "ENG").
    try:
        holidays_lib.country_holidays(country, subdiv=subdivision, years=[2030])
    except NotImplementedError:
        return False
    return True


def earliest_start(scenario: Scenario, project: Project, task: Task) -> dt.date:
    """First date the task may start: the latest of the plan, project and task starts."""
    dates = [scenario.start, project.earliest_start, task.earliest_start]
    return max(day for day in dates if day is not None)


def hard_deadline(project: Project, task: Task) -> dt.date | None:
    """Date the task must finish by: the earlier of its own and its project's hard deadlines."""
    dates = [
        task.deadline if task.deadline_type == "hard" else None,
        project.deadline if project.deadline_type == "hard" else None,
    ]
    present = [day for day in dates if day is not None]
    return min(present) if present else None


#: Longest plan the optimiser accepts: its timeline reaches past the last date by as much again.
MAX_PLAN_SPAN = dt.timedelta(days=10 * 366)


def _far_dates(scenario: Scenario) -> Iterator[InputProblem]:
    """Dates so far past the plan start that no plan could span them (a typo, usually)."""
    limit = scenario.start + MAX_PLAN_SPAN if dt.date.max - scenario.start > MAX_PLAN_SPAN else dt.date.max
    message = f"is more than 10 years after the plan start {scenario.start}; a plan spans at most 10 years"
    if scenario.end > limit:
        yield _problem("scenario", "end", f"{scenario.end} {message}")
    for project in scenario.projects:
        for field in ("deadline", "earliest_start"):
            value = getattr(project, field)
            if value and value > limit:
                yield _problem(f"project '{project.id}'", field, f"{value} {message}")
        for task in project.tasks:
            for field in ("deadline", "earliest_start"):
                value = getattr(task, field)
                if value and value > limit:
                    yield _problem(f"task '{task.id}'", field, f"{value} {message}")


def _deadline_problems(scenario: Scenario) -> Iterator[InputProblem]:
    for project in scenario.projects:
        start = max(scenario.start, project.earliest_start or scenario.start)
        if project.deadline_type == "hard" and project.deadline and project.deadline < start:
            message = f"hard deadline {project.deadline} is before the earliest start {start}"
            yield _problem(f"project '{project.id}'", "deadline", message)
    for project, task in scenario.tasks():
        entity, start = f"task '{task.id}'", earliest_start(scenario, project, task)
        project_end = project.deadline if project.deadline_type == "hard" else None
        if task.earliest_start and project_end and task.earliest_start > project_end:
            message = (
                f"earliest start {task.earliest_start} is after the hard deadline {project_end} "
                f"of project '{project.id}'"
            )
            yield _problem(entity, "earliest_start", message)
        elif task.deadline_type == "hard" and task.deadline and task.deadline < start:
            yield _problem(
                entity, "deadline", f"hard deadline {task.deadline} is before the earliest start {start}"
            )


@dataclass
class _Context:
    """Shared lookups for the per-task checks; the timeline is built only when needed."""

    scenario: Scenario

    @cached_property
    def calendars_ok(self) -> bool:
        return not any(True for _ in _calendar_problems(self.scenario))

    @cached_property
    def timeline(self) -> Timeline | None:
        deadlines = [d for p, t in self.scenario.tasks() if (d := hard_deadline(p, t)) is not None]
        if not deadlines or not self.calendars_ok:
            return None
        last = min(max(deadlines), _capped(self.scenario.start))
        return Timeline(self.scenario, last) if last >= self.scenario.start else None

    def window(self, project: Project, task: Task) -> tuple[dt.date, dt.date, int] | None:
        """Earliest start, hard deadline and timeline days between them, when bounded and checkable."""
        deadline, timeline = hard_deadline(project, task), self.timeline
        start = earliest_start(self.scenario, project, task)
        if deadline is None or timeline is None or deadline > timeline.last or deadline < start:
            return None
        days = timeline.day_on_or_before(deadline) - timeline.day_on_or_after(start) + 1
        return start, deadline, max(days, 0)


def _capped(start: dt.date) -> dt.date:
    return dt.date.max if dt.date.max - start < MAX_CHECKED_SPAN else start + MAX_CHECKED_SPAN


# --- who can do each task -------------------------------------------------------------------


def _task_capability_problems(context: _Context, project: Project, task: Task) -> Iterator[InputProblem]:
    """Errors for a task none of whose modes can be carried out, and for impossible pins."""
    entity = f"task '{task.id}'"
    modes = task.resolved_modes(context.scenario.allocations)
    reasons = [mode_reasons(context, project, task, mode) for mode in modes]
    if all(reasons):
        if not task.modes:
            for field, message in reasons[0]:
                yield _problem(entity, field, message)
        else:
            text = "; ".join(
                f"mode '{m.name}': {msg}" for m, found in zip(modes, reasons, strict=True) for _, msg in found
            )
            yield _problem(entity, "modes", f"no mode can be used: {text}")
    people = context.scenario.person_index()
    for index, name in enumerate(task.pinned):
        person = people.get(name)
        if person is not None and not any(_meets_any(person, mode.requires or ()) for mode in modes):
            message = f"'{name}' is pinned but meets none of the skill requirements of any mode"
            yield _problem(entity, f"pinned[{index}]", message)


def _meets_any(person: Person, requires: Iterable[Requirement]) -> bool:
    return any(person.level(r.skill) >= r.level for r in requires)


def mode_reasons(context: _Context, project: Project, task: Task, mode: Mode) -> list[Reason]:
    """Why ``mode`` (resolved, as from ``Task.resolved_modes``) can never be used; empty if it can.

    Parameters
    ----------
    context
        Shared lookups of the scenario.
    project, task
        The task the mode belongs to, and its project.
    mode
        A resolved mode: every field filled.
    """
    return [
        *_skill_reasons(context.scenario, task, mode),
        *_team_reasons(mode),
        *_resource_reasons(context.scenario, mode),
        *_window_reasons(context, project, task, mode),
    ]


def _skill_reasons(scenario: Scenario, task: Task, mode: Mode) -> Iterator[Reason]:
    for index, requirement in enumerate(mode.requires or ()):
        skill, level = requirement.skill, requirement.level
        people = [p for p in scenario.people if p.level(skill) >= level and p.id not in task.excluded]
        vendors = [v for v in scenario.vendors if v.level(skill) >= level and v.headcount > 0]
        heads = sum(v.headcount for v in vendors) if mode.vendor != "never" else 0
        if mode.vendor != "only":
            heads += len(people)
        field, need = f"requires[{index}]", f"'{skill}' at level {level} or above"
        if heads >= requirement.people:
            continue
        if mode.vendor == "only":
            yield field, f"vendor policy is 'only' but no vendor has enough contractors with {need}"
        elif heads == 0:
            rule = " (contractors may not do this task)" if vendors and mode.vendor == "never" else ""
            yield field, f"nobody has skill {need}{rule}"
        else:
            yield field, f"needs {requirement.people} people with {need} but only {heads} qualify"


def _team_reasons(mode: Mode) -> Iterator[Reason]:
    team = mode.team
    needed = sum(r.people for r in mode.requires or ())
    if team is None:
        return
    if team.max < needed:
        yield "team", f"team max {team.max} is smaller than the {needed} people the requirements need"
    elif mode.effort is not None and team.max == 0:
        yield "team", "team max is 0, so nobody can do the effort"


def _resource_reasons(scenario: Scenario, mode: Mode) -> Iterator[Reason]:
    capacity = {r.id: r.capacity for r in scenario.resources}
    for resource, units in (mode.resources or {}).items():
        if resource in capacity and units > capacity[resource]:
            message = f"uses {units} units of '{resource}' but its capacity is {capacity[resource]}"
            yield f"resources.{resource}", message


def _window_reasons(context: _Context, project: Project, task: Task, mode: Mode) -> Iterator[Reason]:
    window = context.window(project, task)
    if window is None:
        return
    start, deadline, days = window
    span = f"only {days} working days lie between {start} and the hard deadline {deadline}"
    if mode.duration is not None and days < mode.duration:
        yield "duration", f"lasts {mode.duration} working days but {span}"
    team_max = mode.team.max if mode.team else 0
    if mode.effort is not None and team_max > 0 and days < mode.effort / team_max - EFFORT_TOLERANCE:
        need = mode.effort / team_max
        message = f"{mode.effort:g} person-days need at least {need:g} working days with {team_max} people"
        yield "effort", f"{message}, but {span}"


# --- warnings -------------------------------------------------------------------------------


def find_warnings(scenario: Scenario) -> list[str]:
    """Things a scenario allows but probably does not mean.

    Parameters
    ----------
    scenario
        A scenario that passed model validation.

    Returns
    -------
    list of str
        One sentence per warning, naming the entity by id.
    """
    context = _Context(scenario)
    warnings = [
        f"person '{p.id}' has no skills, so no task can use them" for p in scenario.people if not p.skills
    ]
    warnings += [
        f"project '{p.id}' is a candidate with value 0, so deferring it costs nothing"
        for p in scenario.projects
        if p.status == "candidate" and p.value == 0
    ]
    warnings += list(_time_off_warnings(scenario))
    for project, task in scenario.tasks():
        warnings += list(_mode_warnings(context, project, task))
    return warnings


def _time_off_warnings(scenario: Scenario) -> Iterator[str]:
    for person in scenario.people:
        for leave in person.time_off:
            if leave.end < scenario.start or leave.start > scenario.end:
                leave_text = f"time off {leave.start} to {leave.end}"
                window = f"{scenario.start} to {scenario.end}"
                yield f"person '{person.id}' has {leave_text} outside the plan window {window}"


def _mode_warnings(context: _Context, project: Project, task: Task) -> Iterator[str]:
    modes = task.resolved_modes(context.scenario.allocations)
    reasons = [mode_reasons(context, project, task, mode) for mode in modes]
    for mode, found in zip(modes, reasons, strict=True):
        if found and not all(reasons):
            yield f"task '{task.id}' mode '{mode.name}' can never be used: {found[0][1]}"
        smallest = min(mode.allocations or (100,))
        candidates = [p for p in context.scenario.people if _meets_any(p, mode.requires or ())]
        if mode.vendor != "only" and candidates and max(p.capacity_pct for p in candidates) < smallest:
            most = max(p.capacity_pct for p in candidates)
            yield (
                f"task '{task.id}' mode '{mode.name}': the smallest allowed allocation is {smallest}% "
                f"but no qualified person has more than {most}% capacity"
            )
