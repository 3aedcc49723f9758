"""Why no plan exists: certain reasons, in the planner's words.

When the solver proves a scenario infeasible, or finds no plan, :func:`explain_infeasibility`
looks for cheap facts that each *prove* no plan can exist, and phrases them with real
dates and the names of tasks, skills and people. It never guesses: every check is a
relaxation of the planning rules (``docs/planning-rules.md``), so whatever it reports
holds for every plan. An empty answer means no such simple fact was found.

Only work that must be planned is examined: committed projects, plus candidate projects
that committed work depends on. Any other candidate project can always be deferred.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.io.checks import hard_deadline
from allocator.problem.data import EFFORT_SCALE, MONEY_SCALE

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from allocator.problem.data import ModeData, Problem, TaskData
    from models import Person, Project, Requirement, Task

#: At most this many reasons of one kind are listed; the rest are counted.
MAX_REASONS_PER_KIND = 10
#: At most this many people or vendors are named when saying why nobody is available.
MAX_NAMED = 5
#: Effort units a full-time contractor delivers on a working day (100 % x 100 %).
FULL_DAY = EFFORT_SCALE


def explain_infeasibility(problem: Problem) -> list[str]:
    """Reasons, each certain, why no plan exists for ``problem``.

    Parameters
    ----------
    problem
        The compiled scenario the solver found no plan for.

    Returns
    -------
    list of str
        One sentence per reason, naming tasks, skills, people and dates; in order:
        tasks nobody can do, impossible pins, hard deadlines the dependency chains
        cannot meet, skills short of capacity before a deadline, shared resources
        and budgets too small. Empty when no certain reason was found.
    """
    context = _Context.build(problem)
    unstaffable = _unstaffable_tasks(context)
    reasons = _capped(list(unstaffable.values()), "tasks nobody can do")
    reasons += _capped(_pin_conflicts(context, set(unstaffable)), "impossible pins")
    reasons += _capped(_chain_deadlines(context, set(unstaffable)), "deadlines out of reach")
    reasons += _capped(_skill_shortages(context, set(unstaffable)), "skill shortages")
    reasons += _capped(_resource_shortages(context), "resource shortages")
    reasons += _capped(_budget_shortfalls(context), "budgets too small")
    return reasons


@dataclass
class _Context:
    """The problem with the scenario objects behind it and the tasks that must be planned."""

    problem: Problem
    required: list[TaskData]
    people: dict[str, Person]
    tasks: dict[str, tuple[Project, Task]]
    present_prefix: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, problem: Problem) -> _Context:
        required = required_tasks(problem)
        return cls(
            problem=problem,
            required=[problem.tasks[tid] for tid in problem.tasks if tid in required],
            people=problem.scenario.person_index(),
            tasks=problem.scenario.task_index(),
        )

    def date(self, day: int) -> str:
        """ISO date of timeline day ``day``, clamped to the timeline."""
        dates = self.problem.timeline.dates
        return dates[min(max(day, 0), len(dates) - 1)].isoformat()

    def present_days(self, presence_class: int) -> list[int]:
        """Prefix sums of the days (x100) a presence class is present at all."""
        if presence_class not in self.present_prefix:
            person = next(p for p in self.problem.people.values() if p.presence_class == presence_class)
            prefix = [0]
            for percent in person.presence:
                prefix.append(prefix[-1] + (100 if percent > 0 else 0))
            self.present_prefix[presence_class] = prefix
        return self.present_prefix[presence_class]


def required_tasks(problem: Problem) -> set[str]:
    """Tasks every plan contains: committed projects and the candidates committed work needs.

    Parameters
    ----------
    problem
        The compiled scenario.

    Returns
    -------
    set of str
        Ids of the tasks that cannot be deferred.
    """
    projects = {pid for pid, project in problem.projects.items() if not project.candidate}
    queue = [tid for pid in projects for tid in problem.projects[pid].tasks]
    while queue:
        for dep in problem.preds(queue.pop()):
            owner = problem.tasks[dep.pred].project
            if owner not in projects:
                projects.add(owner)
                queue.extend(problem.projects[owner].tasks)
    return {tid for pid in projects for tid in problem.projects[pid].tasks}


def _capped(reasons: list[str], kind: str) -> list[str]:
    if len(reasons) <= MAX_REASONS_PER_KIND:
        return reasons
    more = len(reasons) - MAX_REASONS_PER_KIND
    return [*reasons[:MAX_REASONS_PER_KIND], f"... and {more} more {kind}."]


def _days(units: float) -> str:
    """Effort units as person-days with at most one decimal."""
    return f"{units / EFFORT_SCALE:.1f}".removesuffix(".0")


def _skill(requirement: Requirement) -> str:
    return f"{requirement.skill} at level {requirement.level}"


def _label(task: TaskData) -> str:
    return f"Task '{task.id}' (project {task.project})"


# --- 1. tasks nobody qualified is available for -------------------------------------------------


def _window(task: TaskData) -> tuple[int, int]:
    """Days ``[first, end)`` the task may occupy (the formulation never ends it before its start)."""
    return task.earliest, max(task.earliest, task.latest_end)


def _span(mode: ModeData) -> int:
    """Fewest timeline days the mode occupies."""
    return mode.duration if mode.duration is not None else 1


def _vendor_usable(context: _Context, task: TaskData, mode: ModeData, vendor_id: str) -> bool:
    first, end = _window(task)
    lead = context.problem.vendors[vendor_id].lead_day
    return vendor_id in mode.vendors and max(first, lead) + _span(mode) <= end


def _heads(context: _Context, task: TaskData, mode: ModeData, index: int | None, need: int) -> int:
    """People and contractors who could cover requirement ``index`` (any, when ``None``).

    Counting stops at ``need``: the exact number is only wanted when it falls short.
    """
    vendors = (
        min(context.problem.vendors[vid].headcount, mode.team_max)
        for vid in mode.vendors
        if (index is None or index in mode.vendor_covers[vid]) and _vendor_usable(context, task, mode, vid)
    )
    if index is None or len(mode.requirements) == 1:  # every eligible person covers it
        heads = len(mode.people)
    else:
        covering = (pid for pid in mode.people if index in mode.covers[pid])
        heads = sum(1 for _ in itertools.islice(covering, need))
    return heads if heads >= need else heads + sum(vendors)


def _top_sum(values: Iterable[int], count: int, enough: int) -> int:
    """Sum of the ``count`` largest ``values``, or any sum of ``count`` of them once it reaches ``enough``."""
    largest: list[int] = []
    total = 0
    for value in values if count > 0 else ():
        if len(largest) < count:
            heapq.heappush(largest, value)
            total += value
        elif value > largest[0]:
            total += value - heapq.heapreplace(largest, value)
        if len(largest) == count and total >= enough:
            break
    return total


def _unstaffable_tasks(context: _Context) -> dict[str, str]:
    """Required tasks none of whose modes can be staffed inside the task's window."""
    found = {}
    for task in context.required:
        first, end = _window(task)
        if all(first + _span(mode) > end for mode in task.modes):
            continue  # the window itself is too short: reported with the deadlines
        obstacles = [_mode_obstacle(context, task, mode) for mode in task.modes]
        if not all(obstacles):
            continue
        if len(task.modes) == 1:
            found[task.id] = f"{_label(task)} {obstacles[0]}."
        else:
            modes = " ".join(f"Mode '{m.name}' {o}." for m, o in zip(task.modes, obstacles, strict=True))
            found[task.id] = f"{_label(task)} cannot be done in any of its modes. {modes}"
    return found


def _between(context: _Context, task: TaskData) -> str:
    """The task's window in words: open-ended when it has no hard deadline."""
    first, end = _window(task)
    if task.latest_end >= context.problem.horizon:
        return f"from {context.date(first)} on"
    if end - 1 <= first:
        return f"on {context.date(first)}"
    return f"between {context.date(first)} and {context.date(end - 1)}"


def _by_whom(mode: ModeData) -> str:
    """`` by people with backend at level 4 and qa at level 2``, or nothing without requirements."""
    if not mode.requirements:
        return ""
    return " by people with " + " and ".join(_skill(r) for r in mode.requirements)


def _mode_obstacle(context: _Context, task: TaskData, mode: ModeData) -> str | None:
    """Why ``mode`` can never be staffed in the task's window; ``None`` when it might be."""
    between = _between(context, task)
    first, end = _window(task)
    if first + _span(mode) > end:
        return f"lasts {mode.duration} working days but only {end - first} lie {between}"
    needed = sum(r.people for r in mode.requirements)
    if needed > mode.team_max or (mode.is_effort and mode.team_max == 0):
        return f"needs {max(needed, 1)} people but its team allows at most {mode.team_max}"
    for index, requirement in enumerate(mode.requirements):
        heads = _heads(context, task, mode, index, requirement.people)
        if heads < requirement.people:
            return _missing_skill(context, task, mode, requirement, heads, between)
    heads = _heads(context, task, mode, None, mode.team_min)
    if heads < mode.team_min:
        return f"needs a team of at least {mode.team_min} {between}; only {heads} qualified are available"
    if mode.effort is not None:
        most = _deliverable(context, task, mode)
        if most < mode.effort:
            work = f"{_days(mode.effort)} person-days of work{_by_whom(mode)}"
            team = f"qualified people and contractors (at most {mode.team_max} at once)"
            return f"needs {work} {between}; {team} can deliver at most {_days(most)} then"
    return None


def _missing_skill(
    context: _Context, task: TaskData, mode: ModeData, requirement: Requirement, heads: int, between: str
) -> str:
    count = f"{requirement.people} people with " if requirement.people > 1 else ""
    need = f"needs {count}{_skill(requirement)} {between}"
    qualified = [p for p in context.people.values() if p.level(requirement.skill) >= requirement.level]
    vendors = [
        v for v in context.problem.vendors.values() if v.skills.get(requirement.skill, 0) >= requirement.level
    ]
    if not qualified and not vendors:
        return f"{need}; nobody has {requirement.skill} at level {requirement.level} or above"
    why = [
        f"{p.id}: {_person_obstacle(context, task, mode, p.id)}" for p in qualified if p.id not in mode.people
    ]
    why += [
        f"{v.id}: {_vendor_obstacle(context, task, mode, v.id)}"
        for v in vendors
        if not _vendor_usable(context, task, mode, v.id)
    ]
    shown = "; ".join(why[:MAX_NAMED]) + ("; ..." if len(why) > MAX_NAMED else "")
    available = "nobody qualified is" if heads == 0 else f"only {heads} qualified are"
    return f"{need}; {available} available then ({shown})"


def _person_obstacle(context: _Context, task: TaskData, mode: ModeData, person_id: str) -> str:
    """Why a person cannot be on ``mode`` of ``task`` (skills aside)."""
    person, data = context.people[person_id], context.problem.people[person_id]
    first, end = _window(task)
    if person_id in context.tasks[task.id][1].excluded:
        return "excluded from this task"
    if mode.vendor_policy == "only":
        return "the task is for contractors only"
    if data.capacity < min(mode.allocations):
        return f"capacity {data.capacity} % is below the smallest allocation {min(mode.allocations)} %"
    if data.first_day >= end:
        return f"joins {person.start}"
    if data.end_day <= first:
        return f"leaves {person.end}"
    if mode.duration is not None:
        return _absence(context, task, mode, person_id)
    return "not available then"


def _absence(context: _Context, task: TaskData, mode: ModeData, person_id: str) -> str:
    """Why an employed person is never present for the whole of a fixed-duration window."""
    person, data = context.people[person_id], context.problem.people[person_id]
    first, end = _window(task)
    in_a_row = f"{mode.duration} working days in a row"
    if min(end, data.end_day) - max(first, data.first_day) < (mode.duration or 0):
        if data.end_day < end:
            return f"leaves {person.end}, too soon for {in_a_row}"
        return f"joins {person.start}, too late for {in_a_row}"
    return f"never present for {in_a_row} then (leave or holidays)"


def _vendor_obstacle(context: _Context, task: TaskData, mode: ModeData, vendor_id: str) -> str:
    """Why a vendor cannot supply ``mode`` of ``task`` (skills aside)."""
    vendor = context.problem.vendors[vendor_id]
    if mode.vendor_policy == "never":
        return "the task takes no contractors"
    if vendor.headcount == 0:
        return "no contractors"
    return f"no contractor before {context.date(vendor.lead_day)}"


def _deliverable(context: _Context, task: TaskData, mode: ModeData) -> int:
    """Most effort units the largest allowed team can deliver inside the task's window.

    Counting stops once a team delivering the whole effort is found.
    """
    assert mode.effort is not None
    return _top_sum(_shares(context, task, mode), mode.team_max, mode.effort)


def _shares(context: _Context, task: TaskData, mode: ModeData) -> Iterator[int]:
    """Most effort units each eligible person and contractor can deliver in the task's window."""
    problem, (first, end) = context.problem, _window(task)
    for vid in mode.vendors:
        vendor = problem.vendors[vid]
        start = max(first, vendor.lead_day)
        if start < end:
            per_contractor = 100 * (problem.vendor_prefix[end] - problem.vendor_prefix[start])
            yield from [per_contractor] * min(vendor.headcount, mode.team_max)
    for pid in mode.people:
        prefix = problem.presence_prefix[problem.people[pid].presence_class]
        yield max(mode.levels[pid]) * (prefix[end] - prefix[first])


# --- 2. hard deadlines the dependency chains cannot meet ----------------------------------------


@dataclass
class _Bound:
    """Earliest start and end (exclusive) of a task, and the predecessor that set them."""

    start: int
    end: int
    cause: str | None


def _chain_deadlines(context: _Context, skip: set[str]) -> list[str]:
    """Required tasks whose earliest finish, over their dependency chain, is after their deadline."""
    bounds: dict[str, _Bound] = {}
    late: set[str] = set()
    reasons = []
    for task in context.required:
        bound = bounds[task.id] = _task_bound(context, task, bounds)
        if bound.end <= _window(task)[1]:
            continue
        late.add(task.id)
        chain = _chain(task.id, bounds)
        if task.id not in skip and not late.intersection(chain[:-1]):
            reasons.append(_deadline_reason(context, task, bound, chain))
    return reasons


def _task_bound(context: _Context, task: TaskData, bounds: dict[str, _Bound]) -> _Bound:
    start, start_cause = task.earliest, None
    end_floor, end_cause = 0, None
    for dep in context.problem.preds(task.id):
        pred = bounds[dep.pred]
        anchor = pred.end if dep.kind in ("FS", "FF") else pred.start
        if dep.kind in ("FS", "SS") and anchor + dep.lag > start:
            start, start_cause = anchor + dep.lag, dep.pred
        elif dep.kind in ("FF", "SF") and anchor + dep.lag > end_floor:
            end_floor, end_cause = anchor + dep.lag, dep.pred
    options = [o for o in (_mode_bound(context, mode, start) for mode in task.modes) if o is not None]
    if not options:  # no mode can be staffed: fall back to durations alone
        options = [(start, start + (mode.duration or 1)) for mode in task.modes]
    first = min(s for s, _ in options)
    finish = min(e for _, e in options)
    if end_floor > finish:
        return _Bound(first, end_floor, end_cause)
    return _Bound(first, finish, start_cause)


def _mode_bound(context: _Context, mode: ModeData, start: int) -> tuple[int, int] | None:
    """Earliest start and end of ``mode`` from ``start``, given who can work it; ``None`` if nobody."""
    if mode.duration is not None and not mode.requirements and mode.team_min == 0:
        return start, start + mode.duration
    first = min(_assignee_starts(context, mode, start), default=None)
    if first is None:
        return None
    if mode.duration is not None:
        return first, first + mode.duration
    rate = _team_rate(context, mode)
    if rate == 0 or mode.effort is None:
        return None
    return first, first + max(1, math.ceil(mode.effort / rate))


def _assignee_starts(context: _Context, mode: ModeData, start: int) -> Iterator[int]:
    """Earliest day from ``start`` each eligible assignee could begin; stops at ``start`` itself."""
    problem = context.problem
    for vid in mode.vendors:
        yield max(start, problem.vendors[vid].lead_day)
    for pid in mode.people:
        if mode.duration is None:
            day = max(start, problem.people[pid].first_day)
        else:
            first = mode.starts[pid].first_from(start)
            if first is None:
                continue
            day = first
        yield day
        if day == start:
            return


def _team_rate(context: _Context, mode: ModeData) -> int:
    """Most effort units per day the largest allowed team can deliver."""
    contractors = (
        FULL_DAY
        for vid in mode.vendors
        for _ in range(min(context.problem.vendors[vid].headcount, mode.team_max))
    )
    people = (100 * max(mode.levels[pid]) for pid in mode.people)
    return _top_sum(itertools.chain(contractors, people), mode.team_max, mode.team_max * FULL_DAY)


def _chain(task_id: str, bounds: dict[str, _Bound]) -> list[str]:
    chain = [task_id]
    while (cause := bounds[chain[-1]].cause) is not None:
        chain.append(cause)
    return chain[::-1]


def _deadline_reason(context: _Context, task: TaskData, bound: _Bound, chain: list[str]) -> str:
    project, model_task = context.tasks[task.id]
    deadline = hard_deadline(project, model_task)
    finish = max(bound.end - 1, bound.start)
    if finish >= context.problem.horizon:
        cannot = f"cannot finish by {context.date(finish)}, the end of the timeline"
    else:
        cannot = f"cannot finish before {context.date(finish)}"
    if deadline is None:
        head = f"{_label(task)} has no hard deadline but"
    else:
        head = f"{_label(task)} has a hard deadline of {deadline} but"
    if len(chain) == 1:
        return f"{head} it {cannot}: it starts no earlier than {context.date(bound.start)}."
    return f"{head} its dependency chain ({' → '.join(chain)}) {cannot}."


# --- 3. skills short of capacity before a hard deadline -----------------------------------------


@dataclass
class _Demand:
    """Least work a required task asks of holders of one skill, and by when."""

    task: str
    skill: str
    level: int
    units: int
    fixed: bool
    first: int
    end: int


def _skill_shortages(context: _Context, skip: set[str]) -> list[str]:
    """For each skill and level, the first hard deadline before which its work exceeds capacity.

    Tasks in ``skip`` (already reported as impossible) are left out, so every shortage
    found is a further reason.
    """
    demands = sorted(
        (d for task in context.required if task.id not in skip and (d := _skill_demand(context, task))),
        key=lambda d: d.end,
    )
    reasons = []
    keys = sorted({(d.skill, d.level) for d in demands})
    for skill, level in keys:
        reason = _first_shortage(
            context, skill, level, [d for d in demands if d.skill == skill and d.level >= level]
        )
        if reason:
            reasons.append(reason)
    return reasons


def _skill_demand(context: _Context, task: TaskData) -> _Demand | None:
    """The task's demand when every mode needs one and the same skill, and it has a hard deadline."""
    first, end = _window(task)
    if task.latest_end >= context.problem.horizon:
        return None
    skills = {m.requirements[0].skill if len(m.requirements) == 1 else None for m in task.modes}
    if len(skills) != 1 or None in skills:
        return None
    units = [_mode_units(mode) for mode in task.modes]
    fixed = any(mode.duration is not None for mode in task.modes)
    level = min(mode.requirements[0].level for mode in task.modes)
    return _Demand(task.id, str(skills.pop()), level, min(units), fixed, first, end)


def _mode_units(mode: ModeData) -> int:
    """Least effort units (or booked person-days, fixed-duration) the mode's team gives."""
    if mode.effort is not None:
        return mode.effort
    heads = max(mode.team_min, mode.requirements[0].people)
    return (mode.duration or 0) * heads * min(mode.allocations) * 100


def _first_shortage(context: _Context, skill: str, level: int, demands: list[_Demand]) -> str | None:
    total, first, fixed = 0, context.problem.horizon, False
    for index, demand in enumerate(demands):
        total += demand.units
        first, fixed = min(first, demand.first), fixed or demand.fixed
        if index + 1 < len(demands) and demands[index + 1].end == demand.end:
            continue
        supply = _supply(context, skill, level, first, demand.end, fixed)
        if total > supply:
            count = index + 1
            names = ", ".join(d.task for d in demands[: min(count, MAX_NAMED)])
            more = ", ..." if count > MAX_NAMED else ""
            tasks = "1 task with a hard deadline" if count == 1 else f"{count} tasks with hard deadlines"
            return (
                f"By {context.date(demand.end - 1)}, work needing {skill} ≥ {level} totals {_days(total)} "
                f"person-days ({tasks}: {names}{more}) but qualified people "
                f"and contractors can supply at most {_days(supply)} from {context.date(first)}."
            )
    return None


def _supply(context: _Context, skill: str, level: int, first: int, end: int, fixed: bool) -> int:
    """Most effort units holders of ``skill`` at ``level`` can give in ``[first, end)``.

    Fixed-duration work books whole days of people who are present at all, so when it is
    in the total, a person's days count in full rather than weighted by their presence.
    """
    problem, supply = context.problem, 0
    for person in problem.people.values():
        if person.skills.get(skill, 0) >= level:
            cls = person.presence_class
            prefix = context.present_days(cls) if fixed else problem.presence_prefix[cls]
            supply += person.capacity * (prefix[end] - prefix[first])
    for vendor in problem.vendors.values():
        start = max(first, vendor.lead_day)
        if vendor.skills.get(skill, 0) >= level and start < end:
            days = 100 * (end - start) if fixed else problem.vendor_prefix[end] - problem.vendor_prefix[start]
            supply += vendor.headcount * 100 * days
    return supply


# --- 4. shared resources and budgets -------------------------------------------------------------


def _pin_conflicts(context: _Context, skip: set[str]) -> list[str]:
    """Pinned people who can work on no mode of their task (tasks in ``skip`` left out)."""
    reasons = []
    for task in context.required:
        for person_id in () if task.id in skip else task.pinned:
            if person_id not in context.problem.people or any(person_id in m.people for m in task.modes):
                continue
            why = sorted({_pin_obstacle(context, task, mode, person_id) for mode in task.modes})
            reasons.append(
                f"{_label(task)} has {person_id} pinned, but {person_id} cannot work on it: {'; '.join(why)}."
            )
    return reasons


def _pin_obstacle(context: _Context, task: TaskData, mode: ModeData, person_id: str) -> str:
    person = context.people[person_id]
    unmet = [r for r in mode.requirements if person.level(r.skill) < r.level]
    if unmet and len(unmet) == len(mode.requirements):
        wanted = " or ".join(_skill(r) for r in unmet)
        held = person.level(unmet[0].skill)
        has = f"has {unmet[0].skill} at level {held}" if held else f"lacks {unmet[0].skill}"
        return f"{has} but the task needs {wanted}"
    return _person_obstacle(context, task, mode, person_id)


def _resource_shortages(context: _Context) -> list[str]:
    """Consumable resources the cheapest modes overspend, and renewable ones no mode fits."""
    reasons = []
    totals: dict[str, list[tuple[str, int]]] = {}
    for task in context.required:
        for rid, resource in context.problem.resources.items():
            least = min(mode.resources.get(rid, 0) for mode in task.modes)
            if resource.consumable and least > 0:
                totals.setdefault(rid, []).append((task.id, least))
            elif (
                not resource.consumable
                and least > resource.capacity
                and all(_span(m) > 0 for m in task.modes)
            ):
                reasons.append(
                    f"{_label(task)} needs {least} units of '{rid}' at once in every mode, "
                    f"but its capacity is {resource.capacity}."
                )
    for rid, uses in totals.items():
        capacity, total = context.problem.resources[rid].capacity, sum(units for _, units in uses)
        if total > capacity:
            largest = ", ".join(
                f"{tid}: {units}" for tid, units in sorted(uses, key=lambda u: -u[1])[:MAX_NAMED]
            )
            reasons.append(
                f"Resource '{rid}' has {capacity} units in total but the tasks that must be planned "
                f"use at least {total} ({largest})."
            )
    return reasons


def _budget_shortfalls(context: _Context) -> list[str]:
    """Budgets of projects that must be planned, below the fixed costs of their cheapest modes."""
    reasons = []
    required = {task.id for task in context.required}
    currency = context.problem.scenario.currency
    for project in context.problem.projects.values():
        if project.budget is None or not required.intersection(project.tasks):
            continue
        least = sum(min(m.cost for m in context.problem.tasks[tid].modes) for tid in project.tasks)
        if least > project.budget:
            reasons.append(
                f"Project '{project.id}' has a budget of {project.budget / MONEY_SCALE:,.2f} {currency} but "
                f"the fixed costs of its tasks alone total at least {least / MONEY_SCALE:,.2f} {currency}."
            )
    return reasons
