"""Seeded synthetic scenarios for scale tests and demonstrations.

:func:`generate_scenario` builds a realistic IT portfolio of any size: a pool of
skills with levels, people in two countries (some part-time, some on leave, a few
joiners and leavers), vendors, a shared test environment and projects whose tasks
form small dependency graphs, with a few links across projects. Task efforts are
scaled so that each skill's demand is about three quarters of the staff capacity
that can be booked in the window (at the scenario's allocation levels), so a good
plan is mostly on time, vendors give slack, and the few hard deadlines are
comfortably feasible.

The same arguments and seed always give the same scenario.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from models import Scenario

if TYPE_CHECKING:
    from collections.abc import Sequence

#: Default first day of a generated plan (a Monday), so output never depends on today.
DEFAULT_START = dt.date(2027, 1, 4)
#: Share of the staff capacity in the window the generated work asks for.
TARGET_LOAD = 0.75
#: Allocation levels of generated scenarios, in percent (few levels keep large models small).
ALLOCATIONS = (50, 100)
#: Skills of a generated department, most common first.
SKILL_POOL = (
    "backend",
    "frontend",
    "cloud",
    "data",
    "qa",
    "pm",
    "itsm",
    "security",
    "network",
    "mobile",
)
#: Relative size of each skill's team.
SKILL_WEIGHTS = (10, 6, 6, 6, 5, 4, 4, 3, 2, 2)
FIRST_NAMES = (
    "Alex", "Sam", "Jordan", "Priya", "Chen", "Fatima", "Lukas", "Aisha", "Tom", "Mei",
    "Oliver", "Sofia", "Ravi", "Hannah", "Kwame", "Elena", "Noah", "Zara", "Jonas", "Leila",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Patel", "Müller", "Khan", "Jones", "Schmidt", "Okafor", "Wang", "Brown", "Fischer",
    "Singh", "Taylor", "Weber", "Ali", "Evans", "Novak", "Rossi", "Murphy", "Haddad", "Kim",
)  # fmt: skip
PROJECT_THEMES = (
    "Cloud migration", "CRM replacement", "Customer portal release", "Data platform",
    "ERP upgrade", "Service-desk rollout", "Security remediation", "Network refresh",
    "Mobile app", "Identity and access management", "Billing modernisation", "Analytics dashboards",
)  # fmt: skip


@dataclass
class _Department:
    """People and vendors generated so far, with what tasks need to know about them."""

    skills: tuple[str, ...]
    window_days: int
    people: list[dict[str, Any]] = field(default_factory=list)
    vendors: list[dict[str, Any]] = field(default_factory=list)
    capacity: dict[str, float] = field(default_factory=dict)  #: person-days per main skill

    def best_level(self, skill: str) -> int:
        """Highest level of ``skill`` among people and vendors (0 when nobody has it)."""
        levels = [p["skills"].get(skill, 0) for p in self.people + self.vendors]
        return max(levels, default=0)


@dataclass
class _TaskDraft:
    """A task before it becomes scenario data: enough to size efforts and deadlines."""

    data: dict[str, Any]
    layer: int
    length: float = 0.0  #: estimated working days at full team size


def generate_scenario(
    people: int,
    vendors: int,
    projects: int,
    tasks: int,
    weeks: int,
    seed: int,
    start: dt.date | None = None,
) -> Scenario:
    """Generate a realistic synthetic scenario.

    Parameters
    ----------
    people
        Members of staff (at least 1).
    vendors
        Contractor firms (0 or more).
    projects
        Projects (at least 1).
    tasks
        Tasks over all projects, milestones included (at least ``projects``).
    weeks
        Length of the planning window in weeks (at least 1).
    seed
        Seed of the random generator: the same arguments give the same scenario.
    start
        First day of the plan (default: Monday 4 January 2027).

    Returns
    -------
    Scenario
        A validated scenario with exactly the requested numbers of people, vendors,
        projects and tasks.
    """
    return Scenario.model_validate(scenario_data(people, vendors, projects, tasks, weeks, seed, start))


def scenario_data(
    people: int,
    vendors: int,
    projects: int,
    tasks: int,
    weeks: int,
    seed: int,
    start: dt.date | None = None,
) -> dict[str, Any]:
    """The plain data of :func:`generate_scenario`, before validation.

    Parameters
    ----------
    people, vendors, projects, tasks, weeks, seed, start
        As for :func:`generate_scenario`.

    Returns
    -------
    dict
        Scenario fields, with dates as :class:`datetime.date` and projects, tasks, people
        and vendors as dictionaries in the order the file lists them.
    """
    _check_sizes(people, vendors, projects, tasks, weeks)
    rng = random.Random(seed)
    first = start or DEFAULT_START
    last = first + dt.timedelta(days=7 * weeks - 1)
    skills = SKILL_POOL[: min(len(SKILL_POOL), max(1, people // 3))]
    department = _Department(skills=skills, window_days=_weekdays(first, last))
    for index in range(people):
        department.people.append(_person(rng, department, index, first, last))
    department.vendors = [_vendor(rng, department, index) for index in range(vendors)]
    portfolio = _portfolio(rng, department, projects, tasks, first)
    data: dict[str, Any] = {
        "name": f"synthetic-{people}p-{projects}x{tasks}-{weeks}w-seed{seed}",
        "start": first,
        "end": last,
        "currency": "EUR",
        "calendar": {"country": "GB", "subdivision": "ENG"},
        "allocations": list(ALLOCATIONS),
        "people": department.people,
        "vendors": department.vendors,
        "resources": _resources(rng, portfolio, department.window_days),
        "projects": portfolio,
        "solver": {"time_limit": 60, "workers": 0, "seed": seed},
    }
    return data


def _check_sizes(people: int, vendors: int, projects: int, tasks: int, weeks: int) -> None:
    if people < 1 or projects < 1 or weeks < 1 or vendors < 0:
        raise ValueError("need at least one person, one project and one week, and no negative vendors")
    if tasks < projects:
        raise ValueError(f"{tasks} tasks cannot fill {projects} projects: every project needs one")


# --- calendar helpers -------------------------------------------------------------


def _weekdays(first: dt.date, last: dt.date) -> int:
    """Monday-to-Friday days from ``first`` to ``last`` inclusive."""
    return sum(1 for offset in range((last - first).days + 1) if (first + dt.timedelta(offset)).weekday() < 5)


def _add_weekdays(day: dt.date, count: int) -> dt.date:
    """The weekday ``count`` weekdays after ``day`` (``day`` itself moved to a weekday first)."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


# --- people and vendors -----------------------------------------------------------


def _person(
    rng: random.Random, department: _Department, index: int, first: dt.date, last: dt.date
) -> dict[str, Any]:
    """One member of staff; every skill of the pool gets at least one person first."""
    skills = department.skills
    main = skills[index] if index < len(skills) else _weighted_skill(rng, skills)
    levels = {main: rng.choices((2, 3, 4, 5), weights=(2, 4, 3, 1))[0]}
    for extra in rng.sample(skills, k=min(len(skills), rng.randint(1, 3)))[:2]:
        levels.setdefault(extra, rng.randint(1, 3))
    fte = rng.choices((1.0, 0.8, 0.6), weights=(85, 10, 5))[0]
    reserve = rng.choices((0.0, 0.1, 0.2, 0.3), weights=(70, 10, 12, 8))[0] if fte == 1.0 else 0.0
    person: dict[str, Any] = {
        "id": f"person-{index + 1:03d}",
        "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "skills": levels,
        "fte": fte,
        "reserve": reserve,
        "cost_per_day": 300 + 80 * levels[main] + rng.randrange(0, 100, 10),
        "time_off": _leave(rng, first, department.window_days),
    }
    _employment(rng, person, first, department.window_days)
    if rng.random() < 0.25:
        person.update(country="DE", subdivision="BY")
    if rng.random() < 0.1:
        person["max_concurrent_tasks"] = 2
    usable = usable_pct(round(100 * (fte - reserve)), ALLOCATIONS) / 100
    available = _available_days(person, first, last)
    department.capacity[main] = department.capacity.get(main, 0.0) + available * usable
    return person


def usable_pct(capacity: int, levels: Sequence[int]) -> int:
    """Largest total allocation, from bookings at the allowed levels, within ``capacity``.

    With levels 50 and 100 a person with 80 % capacity can only ever be booked at 50 %:
    the load target counts what can be booked, not the contract.
    """
    reachable = [True] + [False] * capacity
    for total in range(1, capacity + 1):
        reachable[total] = any(level <= total and reachable[total - level] for level in levels)
    return max(total for total in range(capacity + 1) if reachable[total])


def _weighted_skill(rng: random.Random, skills: Sequence[str]) -> str:
    return rng.choices(skills, weights=SKILL_WEIGHTS[: len(skills)])[0]


def _leave(rng: random.Random, first: dt.date, window_days: int) -> list[dict[str, Any]]:
    """Zero to two blocks of leave, some of them half days."""
    blocks = []
    for _ in range(rng.choices((0, 1, 2), weights=(35, 50, 15))[0]):
        begin = _add_weekdays(first, rng.randrange(window_days))
        end = _add_weekdays(begin, rng.randint(0, 9))
        fraction = 0.5 if rng.random() < 0.2 else 1.0
        blocks.append({"start": begin, "end": end, "fraction": fraction, "reason": "annual leave"})
    return blocks


def _employment(rng: random.Random, person: dict[str, Any], first: dt.date, window_days: int) -> None:
    """Make about one person in thirty a joiner and one in thirty a leaver."""
    draw = rng.random()
    if draw < 1 / 30:
        person["start"] = _add_weekdays(first, rng.randint(window_days // 10, window_days * 2 // 5))
    elif draw < 2 / 30:
        person["end"] = _add_weekdays(first, rng.randint(window_days * 3 // 5, window_days * 9 // 10))


def _available_days(person: dict[str, Any], first: dt.date, last: dt.date) -> float:
    """Weekdays of employment minus leave, less a small share for public holidays."""
    begin = max(first, person.get("start") or first)
    end = min(last, person.get("end") or last)
    days = _weekdays(begin, end) if begin <= end else 0
    leave = sum(_weekdays(t["start"], t["end"]) * t["fraction"] for t in person["time_off"])
    return max(0.0, 0.97 * days - leave)


def _vendor(rng: random.Random, department: _Department, index: int) -> dict[str, Any]:
    """A contractor firm with two to four skills of the pool."""
    skills = department.skills
    chosen = rng.sample(skills, k=min(len(skills), rng.randint(2, 4)))
    day_rate = rng.randrange(400, 1100, 50)
    vendor: dict[str, Any] = {
        "id": f"vendor-{index + 1:02d}",
        "name": f"{rng.choice(LAST_NAMES)} {rng.choice(('Consulting', 'Digital', 'Partners', 'Solutions'))}",
        "skills": {skill: rng.randint(3, 4) for skill in chosen},
        "headcount": rng.randint(2, 6),
        "day_rate": day_rate,
        "lead_time_days": rng.choice((0, 5, 10, 15)),
        "min_engagement_days": rng.choice((0, 0, 10, 20)),
    }
    if rng.random() < 0.5:
        vendor["spend_cap"] = day_rate * rng.randint(40, 120)
    return vendor


# --- projects and tasks ------------------------------------------------------------


def _portfolio(
    rng: random.Random, department: _Department, projects: int, tasks: int, first: dt.date
) -> list[dict[str, Any]]:
    """Projects with their tasks, efforts scaled to the target load, deadlines and cross links."""
    sizes = _split(rng, tasks, projects)
    mean_effort = _mean_effort(department, tasks)
    drafts = [_project_tasks(rng, department, j, size, mean_effort) for j, size in enumerate(sizes)]
    _scale_efforts([d for project in drafts for d in project], department.capacity)
    portfolio = [_project(rng, department, j, drafts[j], first) for j in range(projects)]
    _link_projects(rng, portfolio, drafts)
    return portfolio


def _scale_efforts(drafts: list[_TaskDraft], capacity: dict[str, float]) -> None:
    """Scale efforts so that each skill's demand is the target share of its capacity.

    A task is scaled by the factor of its first requirement's skill; fixed-duration
    windows keep their length and count as demand.
    """
    demand: dict[str, float] = {}
    for draft in drafts:
        for skill, days in _demand(draft.data):
            demand[skill] = demand.get(skill, 0.0) + days
    for draft in drafts:
        task = draft.data
        if not task.get("requires") or "duration" in task:
            continue
        skill = task["requires"][0]["skill"]
        factor = TARGET_LOAD * capacity.get(skill, 0.0) / demand[skill] if demand.get(skill) else 1.0
        for holder in task.get("modes", [task]):
            holder["effort"] = max(0.5, round(holder["effort"] * factor * 2) / 2)
        draft.length *= factor


def _demand(task: dict[str, Any]) -> list[tuple[str, float]]:
    """Person-days a task asks of each skill (effort shared evenly over its requirements)."""
    requires = task.get("requires", [])
    if not requires:
        return []
    if "duration" in task:
        share = task["duration"] * min(task.get("allocations", [100])) / 100
        return [(r["skill"], share * r.get("people", 1)) for r in requires]
    effort = float(task["modes"][0]["effort"] if "modes" in task else task["effort"])
    return [(r["skill"], effort / len(requires)) for r in requires]


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` positive, uneven sizes that add up exactly."""
    sizes = [1] * parts
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    for index in rng.choices(range(parts), weights=weights, k=total - parts):
        sizes[index] += 1
    return sizes


def _mean_effort(department: _Department, tasks: int) -> float:
    """Mean person-days per task that makes all tasks ask for the target share of capacity."""
    return max(1.0, TARGET_LOAD * sum(department.capacity.values()) / tasks)


def _project_tasks(
    rng: random.Random, department: _Department, project: int, size: int, mean_effort: float
) -> list[_TaskDraft]:
    """Tasks of one project in layers; each task after one or two tasks of the layer before."""
    milestone = size >= 5 and rng.random() < 0.4
    work = size - 1 if milestone else size
    layers = layer_count(work)
    drafts: list[_TaskDraft] = []
    for k in range(work):
        task_id = f"p{project + 1:02d}-t{k + 1:03d}"
        draft = _work_task(rng, department, task_id, mean_effort)
        draft.layer = k * layers // work
        previous = [d for d in drafts if d.layer == draft.layer - 1]
        if previous:
            draft.data["after"] = [_dependency(rng, d.data["id"]) for d in _pick(rng, previous)]
        drafts.append(draft)
    if milestone:
        drafts.append(_milestone(project, size, drafts))
    return drafts


def layer_count(work: int) -> int:
    """Layers of a project of ``work`` tasks (milestone left out): about 1.2 times the square root.

    The ``k``-th task (from 0) sits in layer ``k * layer_count(work) // work`` and follows one
    or two tasks of the layer before.
    """
    return max(1, min(work, round(1.2 * math.sqrt(work))))


def _pick(rng: random.Random, candidates: list[_TaskDraft]) -> list[_TaskDraft]:
    return rng.sample(candidates, k=min(len(candidates), rng.choice((1, 1, 2))))


def _dependency(rng: random.Random, task_id: str) -> str:
    """Mostly finish-to-start; sometimes start-to-start with a lag or finish-to-finish."""
    draw = rng.random()
    if draw < 0.1:
        return f"{task_id} SS+{rng.randint(1, 3)}"
    if draw < 0.15:
        return f"{task_id} FF"
    if draw < 0.2:
        return f"{task_id} FS+{rng.randint(1, 2)}"
    return task_id


def _milestone(project: int, size: int, drafts: list[_TaskDraft]) -> _TaskDraft:
    """A zero-length milestone after every task nothing else waits for."""
    waited_on = {dep.split()[0] for d in drafts for dep in d.data.get("after", [])}
    ends = [d.data["id"] for d in drafts if d.data["id"] not in waited_on]
    data = {"id": f"p{project + 1:02d}-t{size:03d}", "name": "Milestone: delivered", "duration": 0}
    data["after"] = ends
    return _TaskDraft(data=data, layer=max(d.layer for d in drafts) + 1)


def _work_task(rng: random.Random, department: _Department, task_id: str, mean_effort: float) -> _TaskDraft:
    """An effort-driven task (most) or a fixed-duration window (about one in ten)."""
    skill = _demand_skill(rng, department)
    requirement = {"skill": skill, "level": min(department.best_level(skill), rng.choice((1, 2, 2, 3, 3)))}
    data: dict[str, Any] = {"id": task_id, "name": f"{skill.capitalize()} work {task_id}"}
    if rng.random() < 0.1:
        data["duration"] = rng.randint(1, 5)
        data["requires"] = [requirement]
        data["allocations"] = [rng.choice((50, 100))]
        return _TaskDraft(data=data, layer=0, length=data["duration"])
    effort = round(rng.uniform(0.4, 1.6) * mean_effort * 2) / 2 or 0.5
    team_max = rng.choice((2, 2, 3))
    data.update(effort=effort, requires=[requirement], team={"min": 1, "max": team_max})
    second = _second_requirement(rng, department, skill)
    if second is not None:
        data["requires"].append(second)
        data["team"] = {"min": 2, "max": 3}
    _choices(rng, department, data, requirement)
    return _TaskDraft(data=data, layer=0, length=effort / data["team"]["max"])


def _demand_skill(rng: random.Random, department: _Department) -> str:
    """A skill drawn in proportion to the capacity that exists for it."""
    skills = list(department.capacity)
    return rng.choices(skills, weights=[department.capacity[s] + 1.0 for s in skills])[0]


def _second_requirement(rng: random.Random, department: _Department, skill: str) -> dict[str, Any] | None:
    others = [s for s in department.capacity if s != skill]
    if not others or rng.random() >= 0.1:
        return None
    other = rng.choice(others)
    return {"skill": other, "level": min(department.best_level(other), 2)}


def _choices(
    rng: random.Random, department: _Department, data: dict[str, Any], requirement: dict[str, Any]
) -> None:
    """User choices on a few tasks: a preferred person, or an outsourced alternative."""
    qualified = [
        p["id"] for p in department.people if p["skills"].get(requirement["skill"], 0) >= requirement["level"]
    ]
    if qualified and rng.random() < 0.05:
        data["preferred"] = [rng.choice(qualified)]
    able = [v for v in department.vendors if v["skills"].get(requirement["skill"], 0) >= requirement["level"]]
    if qualified and able and len(data["requires"]) == 1 and rng.random() < 0.04:
        effort = data.pop("effort")
        data["modes"] = [
            {"name": "in-house", "effort": effort, "vendor": "never"},
            {"name": "outsourced", "effort": max(0.5, round(0.7 * effort * 2) / 2), "vendor": "only",
             "cost": rng.randrange(1000, 6000, 500)},
        ]  # fmt: skip


def _project(
    rng: random.Random, department: _Department, index: int, drafts: list[_TaskDraft], first: dt.date
) -> dict[str, Any]:
    """A project around its tasks: window, priority, deadline and status."""
    window = department.window_days
    length = _critical_length(drafts)
    hard = index > 0 and rng.random() < 0.1 and 2.5 * length + 10 <= window
    latest_offset = window - math.ceil(2.5 * length) - 10 if hard else window - math.ceil(1.5 * length)
    # About half the projects start later than the plan, within its first quarter.
    offset = rng.randint(0, max(0, min(window // 4, latest_offset))) if rng.random() < 0.5 else 0
    project: dict[str, Any] = {
        "id": f"p{index + 1:02d}",
        "name": f"{PROJECT_THEMES[index % len(PROJECT_THEMES)]} {index // len(PROJECT_THEMES) + 1}",
        "priority": rng.choices((1, 2, 3, 4, 5), weights=(2, 4, 3, 2, 1))[0],
        "tasks": [d.data for d in drafts],
    }
    if offset:
        project["earliest_start"] = _add_weekdays(first, offset)
    if hard:
        # At least two and a half times the critical chain, and never before the window's end.
        project.update(deadline_type="hard", priority=5, deadline=_add_weekdays(first, window - 1))
    else:
        slack = rng.uniform(1.6, 2.6)
        project["deadline"] = _add_weekdays(first, min(window - 1, offset + math.ceil(slack * length) + 5))
    if not hard and index > 0 and rng.random() < 0.1:
        project.update(status="candidate", value=project["priority"] * rng.randint(20, 60))
    if rng.random() < 0.1:
        project["budget"] = project_budget(project)
    return project


def _critical_length(drafts: list[_TaskDraft]) -> float:
    """Longest chain of estimated task lengths (dependencies treated as finish-to-start)."""
    finish: dict[str, float] = {}
    for draft in drafts:
        before = [finish[dep.split()[0]] for dep in draft.data.get("after", []) if dep.split()[0] in finish]
        finish[draft.data["id"]] = max(before, default=0.0) + draft.length
    return max(finish.values(), default=0.0)


def project_budget(project: dict[str, Any]) -> float:
    """A budget with room: generous day rates on every person-day of effort."""
    days = sum(_person_days(task) for task in project["tasks"])
    return float(round(days * 1200, -3) + 10000)


def _person_days(task: dict[str, Any]) -> float:
    if "modes" in task:
        return max(float(mode["effort"]) for mode in task["modes"])
    if "effort" in task:
        return float(task["effort"])
    heads = sum(r.get("people", 1) for r in task.get("requires", []))
    return float(task["duration"] * heads)


def _link_projects(
    rng: random.Random, portfolio: list[dict[str, Any]], drafts: list[list[_TaskDraft]]
) -> None:
    """A few dependencies across projects, always from an earlier committed project into a later
    soft-deadline one, from an early task, so no cycle forms and no plan waits on deferred work."""
    links = min(len(portfolio) - 1, sum(len(d) for d in drafts) // 60)
    for _ in range(links):
        source, target = sorted(rng.sample(range(len(portfolio)), k=2))
        if portfolio[source].get("status") == "candidate" or portfolio[target].get("deadline_type") == "hard":
            continue
        predecessor = rng.choice([d for d in drafts[source] if d.layer == 0]).data["id"]
        successor = rng.choice(drafts[target]).data
        if predecessor not in successor.get("after", []):
            successor["after"] = [*successor.get("after", []), predecessor]


def _resources(rng: random.Random, portfolio: list[dict[str, Any]], window_days: int) -> list[dict[str, Any]]:
    """A shared test environment used by half the testing tasks, sized so that it rarely binds."""
    testing = [t for p in portfolio for t in p["tasks"] if _is_testing(t) and rng.random() < 0.5]
    for task in testing:
        task["resources"] = {"test-env": 1}
    busy_days = sum(_person_days(t) / t.get("team", {"max": 1})["max"] for t in testing)
    capacity = max(2, math.ceil(1.5 * busy_days / window_days))
    return [{"id": "test-env", "name": "Shared test environment", "capacity": capacity}]


def _is_testing(task: dict[str, Any]) -> bool:
    return any(r["skill"] == "qa" for r in task.get("requires", [])) and task.get("duration") != 0
