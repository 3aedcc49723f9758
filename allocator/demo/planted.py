"""Planted-solution scenarios: generated scenarios whose optimum (0 late days) is known.

:func:`planted_plan` draws the department and the portfolio as
:func:`allocator.demo.generate.generate_scenario` does (skills with levels, part-time and
reserves, leave and half days, public holidays of England and Bavaria, joiners and
leavers, vendors with lead times, minimum engagements and spend caps, effort-driven and
fixed-duration tasks, in-house and outsourced modes, milestones, a shared test
environment, candidate projects, budgets, and each project's layers of tasks with the
generator's number and kinds of links), then:

1. builds a plan first, with deadlines and budgets left out: a day-by-day list schedule
   of the people (:mod:`allocator.demo.planting`). Each project's layers are spread over
   what is left of the window after its earliest start; which tasks of the layer before a
   task follows is chosen as the schedule runs, among those already far enough along; a
   task that waits for a team while someone is idle takes that person's skill as its
   requirement. The windows are scaled until the plan's utilisation of staff is about
   ``load``, each effort-driven task's effort is then what its team delivers in its
   window, and links across projects are drawn as the generator draws them, between
   tasks the plan already has in that order;
2. dates the plan with the product's own code (``tighten``, ``assemble_plan``) and has
   the independent checker verify it;
3. sets every project's deadline at the plan's finish of that project plus ``slack_days``
   working days of the scenario calendar (hard for the projects the generator made hard,
   soft for the rest), raises any budget the plan would exceed, and verifies the same
   plan against the final scenario: it breaks no rule and has 0 late days (else
   :class:`~allocator.demo.planting.PlantingError`). A plan holding every deadline
   exists by construction.

The plan is then thrown away: the scenario carries no trace of it beyond its deadlines
(no assignments, no pinned people, preferred people only where the generator drew them,
tasks in the generator's order). The planted plan uses people only, so the vendors are
spare capacity. The same arguments give the same scenario.

**Utilisation** is booked person-days over *bookable* person-days of staff in the
planning window. Booked days are as the plan's weekly loads report them (allocation times
presence over the days of each booking); bookable days are each person's presence times
the largest allocation their capacity can be booked at with the scenario's allocation
levels (with 50 and 100, a person at 80 % can only be booked at 50 %, as
:func:`allocator.demo.generate.usable_pct` counts it). The weeks counted are those from
``start`` to ``end``; work the plan does after the window does not count.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allocator.checker import check_plan
from allocator.demo.generate import ALLOCATIONS, layer_count, project_budget, scenario_data, usable_pct
from allocator.demo.planting import Planting, PlantingError, TaskShape, plant_schedule, planted_efforts
from allocator.io import scenario_hash
from allocator.plan.assemble import assemble_plan, schedule_from_plan, tighten
from allocator.problem.calendar import WorkingCalendar
from allocator.problem.compile import compile_problem, horizon_date
from allocator.problem.data import EFFORT_SCALE
from models import CalendarSpec, Scenario

if TYPE_CHECKING:
    from allocator.problem.data import Problem
    from allocator.problem.schedule import Schedule
    from models import Plan

#: Default target utilisation of the planted plan.
DEFAULT_LOAD = 0.85
#: Schedules tried while fitting the utilisation.
FIT_ROUNDS = 8
#: Utilisation close enough to the target to stop fitting.
FIT_TOLERANCE = 0.01
#: Scale of the windows when no larger one fits the horizon (one-day windows, mostly).
SHORTEST_FACTOR = 0.01
#: Planning windows past the window end the planted schedule may use.
PLANTING_WINDOWS = 4.0

__all__ = [
    "DEFAULT_LOAD",
    "PlantedScenario",
    "PlantingError",
    "check_planted_options",
    "generate_planted_scenario",
    "planted_plan",
    "planted_utilisation",
]


@dataclass(frozen=True)
class PlantedScenario:
    """A planted scenario and the plan it was built around.

    Parameters
    ----------
    scenario
        The final scenario, deadlines set: what ``allocator generate --planted`` writes.
    plan
        The planted plan, dated on ``scenario`` and verified by the checker against it
        (``plan.check``): 0 late days.
    utilisation
        Booked over bookable person-days of staff in the window (see the module notes).
    """

    scenario: Scenario
    plan: Plan
    utilisation: float


def check_planted_options(slack_days: int, load: float) -> None:
    """Refuse a negative slack or a load outside ``(0, 1]`` with a :class:`ValueError`."""
    if slack_days < 0:
        raise ValueError(f"slack days must be 0 or more, not {slack_days}")
    if not 0 < load <= 1:
        raise ValueError(f"load must be above 0 and at most 1, not {load}")


def generate_planted_scenario(
    people: int,
    vendors: int,
    projects: int,
    tasks: int,
    weeks: int,
    seed: int,
    start: dt.date | None = None,
    *,
    slack_days: int = 0,
    load: float = DEFAULT_LOAD,
) -> Scenario:
    """A generated scenario in which a plan with 0 late days exists by construction.

    Parameters are those of :func:`planted_plan`; the planted plan itself is discarded.
    """
    return planted_plan(
        people, vendors, projects, tasks, weeks, seed, start, slack_days=slack_days, load=load
    ).scenario


def planted_plan(
    people: int,
    vendors: int,
    projects: int,
    tasks: int,
    weeks: int,
    seed: int,
    start: dt.date | None = None,
    *,
    slack_days: int = 0,
    load: float = DEFAULT_LOAD,
) -> PlantedScenario:
    """Generate a planted scenario together with its planted plan.

    Parameters
    ----------
    people, vendors, projects, tasks, weeks, seed, start
        As for :func:`allocator.demo.generate.generate_scenario`.
    slack_days
        Working days of the scenario calendar between each project's planted finish and
        its deadline (0: the deadline is the planted finish).
    load
        Target utilisation of staff by the planted plan, in ``(0, 1]``; the plan comes as
        close as a dense schedule of the portfolio allows (:attr:`PlantedScenario.utilisation`).

    Returns
    -------
    PlantedScenario
        The final scenario and the planted plan, verified against it with 0 late days.

    Raises
    ------
    ValueError
        Sizes the generator cannot honour, a negative slack or a load outside ``(0, 1]``.
    PlantingError
        When the planted plan could not be completed or does not verify (a bug).
    """
    check_planted_options(slack_days, load)
    data = scenario_data(people, vendors, projects, tasks, weeks, seed, start)
    data["name"] = f"planted-{people}p-{projects}x{tasks}-{weeks}w-seed{seed}"
    _make_staffable(data)
    plan = _planted_relaxed_plan(data, load, seed)
    _set_deadlines(data, plan, slack_days)
    scenario = Scenario.model_validate(data)
    final = _verified_on(scenario, plan)
    return PlantedScenario(scenario, final, planted_utilisation(scenario, final))


# --- staffable by people alone ----------------------------------------------------------


def _make_staffable(data: dict[str, Any]) -> None:
    """Let people alone staff every task, so the planted plan needs no contractor.

    A requirement's level is capped at the best level among the people who can be
    booked at the task's allocation (those who stay to the end, when any of them has
    the skill); a fixed-duration window at 100 % that only part-timers could staff is
    booked at 50 %; a second requirement that only the person covering the first
    could meet is dropped.
    """
    people = data["people"]
    for project in data["projects"]:
        for task in project["tasks"]:
            if not task.get("requires"):
                continue
            if "duration" in task and not _capped_levels(task, people, min(task["allocations"])):
                task["allocations"] = [min(ALLOCATIONS)]
            _capped_levels(task, people, min(task.get("allocations", ALLOCATIONS)))
            _two_people(task, people)


def _capacity(person: dict[str, Any]) -> int:
    return round(100 * (person["fte"] - person["reserve"]))


def _capped_levels(task: dict[str, Any], people: list[dict[str, Any]], allocation: int) -> bool:
    """Cap each requirement at the best level of people able to take ``allocation``, stayers
    first; ``False`` (nothing changed) when some required skill has no such person at all."""
    able = [p for p in people if _capacity(p) >= allocation]
    stayers = [p for p in able if "end" not in p]
    best = []
    for requirement in task["requires"]:
        levels = [p["skills"].get(requirement["skill"], 0) for p in stayers]
        if not any(levels):
            levels = [p["skills"].get(requirement["skill"], 0) for p in able]
        best.append(max(levels, default=0))
    if min(best) == 0:
        return False
    for requirement, level in zip(task["requires"], best, strict=True):
        requirement["level"] = min(requirement["level"], level)
    return True


def _two_people(task: dict[str, Any], people: list[dict[str, Any]]) -> None:
    """Drop a second requirement that no one but the first requirement's people can meet."""
    if len(task["requires"]) < 2:
        return
    first, second = task["requires"][:2]
    meets = [
        {p["id"] for p in people if p["skills"].get(r["skill"], 0) >= r["level"]} for r in (first, second)
    ]
    if any(a != b for a in meets[0] for b in meets[1]):
        return
    task["requires"] = [first]
    task["team"] = {"min": 1, "max": task["team"]["max"]}


# --- the planted plan ---------------------------------------------------------------------


def _shapes(data: dict[str, Any]) -> tuple[dict[str, TaskShape], int]:
    """Layer and links to the layer before of every task, as the generator drew them, and
    the number of links across projects it drew."""
    shapes: dict[str, TaskShape] = {}
    owner = {task["id"]: project["id"] for project in data["projects"] for task in project["tasks"]}
    across = 0
    for project in data["projects"]:
        tasks = project["tasks"]
        milestone = bool(tasks) and tasks[-1].get("duration") == 0 and len(tasks) >= 5
        work = len(tasks) - milestone
        layers = layer_count(work)
        for k, task in enumerate(tasks):
            links = []
            for text in task.get("after", []):
                pred, kind, lag = _parse_dependency(text)
                if owner[pred] != project["id"]:
                    across += 1
                else:
                    links.append((kind, lag))
            is_milestone = milestone and k == work
            layer = layers if is_milestone else k * layers // work
            shapes[task["id"]] = TaskShape(project["id"], layer, tuple(links), is_milestone)
    return shapes, across


def _parse_dependency(text: str) -> tuple[str, str, int]:
    """``"id"``, ``"id FF"``, ``"id SS+2"`` as (predecessor, kind, lag)."""
    pred, _, rest = text.partition(" ")
    if not rest:
        return pred, "FS", 0
    kind, _, lag = rest.partition("+")
    return pred, kind, int(lag or 0)


def _relaxed(data: dict[str, Any], links: bool = True) -> Scenario:
    """The scenario with no deadline, no budget, every project committed (and no links
    when ``links`` is false)."""
    relaxed = copy.deepcopy(data)
    for project in relaxed["projects"]:
        for key in ("deadline", "deadline_type", "budget", "status", "value"):
            project.pop(key, None)
        if not links:
            for task in project["tasks"]:
                task.pop("after", None)
    return Scenario.model_validate(relaxed)


def _planted_relaxed_plan(data: dict[str, Any], load: float, seed: int) -> Plan:
    """Plant the schedule, write its efforts, requirements and links into ``data``, and date
    and verify the plan on the scenario without deadlines."""
    shapes, across = _shapes(data)
    scenario = _relaxed(data, links=False)
    last = horizon_date(scenario, PLANTING_WINDOWS)
    problem = compile_problem(scenario, last)
    planting = _fit_load(problem, shapes, _window_days(problem, shapes), load, seed)
    _write_planting(data, planting, planted_efforts(problem, planting.schedule))
    _link_projects(data, planting.schedule, shapes, across, seed)
    scenario = _relaxed(data)
    problem = compile_problem(scenario, last)
    tighten(problem, planting.schedule)
    plan = assemble_plan(problem, planting.schedule, scenario_hash(scenario))
    report = check_plan(scenario, plan)
    if not report.ok:
        raise PlantingError(f"the planted plan breaks a rule: {report.violations[0].message}")
    return plan


def _window_days(problem: Problem, shapes: dict[str, TaskShape]) -> dict[str, float]:
    """Planned working days of each effort-driven task, so that each project's layers span
    what is left of the window after its earliest start.

    A project of ``L`` layers starting ``s`` days into a window of ``W`` days gives each
    layer ``(W - s) / L`` days; a task's share of that follows its drafted effort against
    the project's mean (square root, to keep layers even).
    """
    window = problem.timeline.day_on_or_before(problem.scenario.end) + 1
    drafts: dict[str, dict[str, float]] = {}
    for tid, task in problem.tasks.items():
        mode = task.modes[0] if task.modes else None
        if mode is not None and mode.effort is not None:
            drafts.setdefault(task.project, {})[tid] = mode.effort / EFFORT_SCALE
    days = {}
    for project, efforts in drafts.items():
        layers = 1 + max(shapes[tid].layer for tid in efforts)
        begin = min(problem.tasks[tid].earliest for tid in problem.projects[project].tasks)
        per_layer = max(1.0, (window - begin) / layers)
        mean = sum(efforts.values()) / len(efforts)
        for tid, effort in efforts.items():
            days[tid] = per_layer * math.sqrt(effort / mean)
    return days


def _fit_load(
    problem: Problem, shapes: dict[str, TaskShape], window_days: dict[str, float], load: float, seed: int
) -> Planting:
    """The planting whose utilisation is closest to ``load`` over a few scales of the windows.

    The scale is searched by ratio steps until the target is bracketed, then by
    bisection; a schedule that cannot reach the target (its utilisation stops growing
    twice in a row) ends the search early.
    """
    below: tuple[float, float] | None = None  # (factor, utilisation) under the target
    above: tuple[float, float] | None = None
    best: tuple[float, Planting] | None = None
    factor, stalled = 1.0, 0
    for _ in range(FIT_ROUNDS):
        try:
            capacities = resource_capacities(problem, window_days, factor)
            planting: Planting | None = plant_schedule(problem, shapes, window_days, factor, seed, capacities)
        except PlantingError:  # the windows do not fit in the horizon: shorter ones
            planting, above = None, (factor, math.inf)
        if planting is not None:
            used = schedule_utilisation(problem, planting.schedule)
            if best is None or abs(used - load) < best[0]:
                best = (abs(used - load), planting)
            if abs(used - load) <= FIT_TOLERANCE:
                break
            stalled = stalled + 1 if below is not None and used < load and used <= below[1] + 0.005 else 0
            if used < load and (below is None or factor > below[0]):
                below = (factor, used)
            elif used >= load and (above is None or factor < above[0]):
                above = (factor, used)
            if stalled >= 2 and above is None:
                break
        factor = _next_factor(below, above, load)
    if best is None:  # a tiny department for its portfolio: the shortest windows
        return plant_schedule(problem, shapes, window_days, SHORTEST_FACTOR, seed)
    return best[1]


def resource_capacities(problem: Problem, window_days: dict[str, float], factor: float) -> dict[str, int]:
    """Units of each renewable shared resource, sized as the generator sizes the test
    environment (one and a half times the average use over the window, so that it rarely
    binds) but on the planned windows; never fewer than the generator gave."""
    window = problem.timeline.day_on_or_before(problem.scenario.end) + 1
    busy: dict[str, float] = {}
    for tid, task in problem.tasks.items():
        mode = task.modes[0]
        days = mode.duration if mode.duration is not None else factor * window_days.get(tid, 1.0)
        for rid, units in mode.resources.items():
            busy[rid] = busy.get(rid, 0.0) + units * days
    return {
        rid: max(resource.capacity, math.ceil(1.5 * busy.get(rid, 0.0) / window))
        for rid, resource in problem.resources.items()
        if not resource.consumable
    }


def _next_factor(below: tuple[float, float] | None, above: tuple[float, float] | None, load: float) -> float:
    if below is not None and above is not None:
        return (below[0] + above[0]) / 2
    if below is not None:
        return below[0] * min(2.0, max(1.1, load / max(below[1], 1e-6)))
    assert above is not None
    return above[0] * max(0.5, min(0.9, load / above[1]))


def schedule_utilisation(problem: Problem, schedule: Schedule) -> float:
    """Booked over bookable person-days of staff in the window, from a schedule (fast form
    of :func:`planted_utilisation`)."""
    scenario = problem.scenario
    window = problem.timeline.day_on_or_before(scenario.end) + 1
    booked = 0
    for choice in schedule.values():
        for pid, (allocation, _) in choice.people.items():
            prefix = problem.presence_prefix[problem.people[pid].presence_class]
            booked += allocation * (prefix[min(choice.end, window)] - prefix[min(choice.start, window)])
    bookable = 0
    for person in problem.people.values():
        usable = usable_pct(person.capacity, scenario.allocations)
        bookable += usable * problem.presence_prefix[person.presence_class][window]
    return booked / bookable if bookable else 0.0


def planted_utilisation(scenario: Scenario, plan: Plan) -> float:
    """Booked over bookable person-days of staff in the planning window, from a plan's loads.

    Parameters
    ----------
    scenario
        The scenario of the plan.
    plan
        A dated plan; its weekly loads (``booked_days``, ``capacity_days``) are read for
        the weeks from ``scenario.start`` to ``scenario.end``.

    Returns
    -------
    float
        Σ booked days over Σ bookable days, where a person's bookable days are their
        capacity days times the largest bookable allocation over their capacity.
    """
    people = scenario.person_index()
    booked = bookable = 0.0
    for load in plan.loads:
        person = people.get(load.resource)
        in_window = scenario.start - dt.timedelta(days=6) <= load.week_start <= scenario.end
        if person is None or not in_window or person.capacity_pct <= 0:
            continue
        booked += load.booked_days
        usable = usable_pct(person.capacity_pct, scenario.allocations)
        bookable += load.capacity_days * usable / person.capacity_pct
    return booked / bookable if bookable else 0.0


def _write_planting(data: dict[str, Any], planting: Planting, efforts: dict[str, float]) -> None:
    """Efforts, requirements given to idle people, and links to the layer before, into ``data``.

    An outsourced mode keeps the generator's ratio: 70 % of the in-house effort.
    """
    for resource in data["resources"]:
        resource["capacity"] = planting.capacities.get(resource["id"], resource["capacity"])
    for project in data["projects"]:
        for task in project["tasks"]:
            tid = task["id"]
            task.pop("after", None)
            if planting.after.get(tid):
                task["after"] = [_dependency_text(*link) for link in planting.after[tid]]
            if tid in planting.redrawn:
                skill, level = planting.redrawn[tid]
                task["requires"] = [{"skill": skill, "level": level}]
                task["name"] = f"{skill.capitalize()} work {tid}"
            effort = efforts.get(tid)
            if effort is None:
                continue
            for holder in task.get("modes", [task]):
                outsourced = holder.get("vendor") == "only"
                holder["effort"] = max(0.5, round(0.7 * effort * 2) / 2) if outsourced else effort


def _dependency_text(pred: str, kind: str, lag: int) -> str:
    """The generator's short form: ``id``, ``id FF``, ``id SS+2``, ``id FS+1``."""
    if kind == "FS" and lag == 0:
        return pred
    return f"{pred} {kind}+{lag}" if lag else f"{pred} {kind}"


def _link_projects(
    data: dict[str, Any], schedule: Schedule, shapes: dict[str, TaskShape], links: int, seed: int
) -> None:
    """As many links across projects as the generator drew, by its rules (from a first-layer
    task of an earlier committed project into a later project without a hard deadline),
    each to a task that starts after the predecessor ends in the planted schedule."""
    rng = random.Random(f"planted-links-{seed}")
    projects = data["projects"]
    for _ in range(links):
        source, target = sorted(rng.sample(range(len(projects)), k=2))
        if projects[source].get("status") == "candidate" or projects[target].get("deadline_type") == "hard":
            continue
        firsts = [t["id"] for t in projects[source]["tasks"] if shapes[t["id"]].layer == 0]
        pred = rng.choice(firsts)
        after = [t for t in projects[target]["tasks"] if schedule[t["id"]].start >= schedule[pred].end]
        if not after:
            continue
        successor = rng.choice(after)
        if pred not in successor.get("after", []):
            successor["after"] = [*successor.get("after", []), pred]


# --- deadlines from the planted plan ------------------------------------------------------


def _set_deadlines(data: dict[str, Any], plan: Plan, slack_days: int) -> None:
    """Each project's deadline at its planted finish plus the slack; budgets the plan fits."""
    finishes = {p.project: p for p in plan.projects}
    first, last = data["start"], max(p.finish for p in plan.projects if p.finish) + dt.timedelta(days=400)
    calendar = WorkingCalendar(CalendarSpec.model_validate(data["calendar"]), first, last)
    for project in data["projects"]:
        planned = finishes[project["id"]]
        assert planned.finish is not None
        project["deadline"] = _add_working_days(calendar, planned.finish, slack_days)
        if "budget" in project:
            needed = math.ceil(planned.cost * 1.1 / 1000) * 1000
            project["budget"] = float(max(project_budget(project), needed))


def _add_working_days(calendar: WorkingCalendar, day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days of ``calendar`` after ``day`` (``day`` itself for 0)."""
    while count > 0:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


def _verified_on(scenario: Scenario, plan: Plan) -> Plan:
    """The planted plan dated on the final scenario and verified there, with 0 late days."""
    problem = compile_problem(scenario)
    schedule = schedule_from_plan(problem, plan)
    if len(schedule) != len(problem.tasks):
        raise PlantingError("the planted plan does not cover every task of the final scenario")
    final = assemble_plan(problem, schedule, scenario_hash(scenario))
    report = check_plan(scenario, final)
    if not report.ok:
        raise PlantingError(
            f"the planted plan breaks a rule of the final scenario: {report.violations[0].message}"
        )
    late = [p.project for p in final.projects if p.late_days > 0]
    if late or final.kpis.weighted_late_days != 0:
        raise PlantingError(f"the planted plan is late on the final scenario: {', '.join(late)}")
    return final.model_copy(update={"check": report})
