"""MISTA 2013 challenge instances (multi-project, multi-mode RCPSP) to scenarios.

Format and objectives: Wauters, Kinable, Smet, Vancroonenburg, Vanden Berghe & Verstichel
(2016), "The multi-mode resource-constrained multi-project scheduling problem", Journal
of Scheduling 19(3). An instance file lists projects (release date, critical path
duration ``CPD``, a PSPLIB multi-mode file) and, per resource type of the project files,
a global capacity or ``-1`` for local. Objectives, lexicographic: total project delay
``TPD = sum_p (finish_p - release_p - CPD_p)``, then total makespan
``TMS = max_p finish_p - min_p release_p``.

In the scenario, the product's ``MAKESPAN`` is the last finish index counted from day 0,
so ``TMS = makespan - min release`` (a constant offset: minimising one minimises the
other). Each project's soft deadline is day ``release + CPD - 1``, so its late days are
exactly its delay ``finish - release - CPD`` (never negative, as no project can finish
before its critical path).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.convert.psplib import (
    EVERY_DAY,
    PLAN_START,
    PsplibInstance,
    day,
    project_tasks,
    read_psplib,
)
from models import ObjectiveConfig, ObjectiveTerm, Project, Scenario, SharedResource

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping


@dataclass(frozen=True)
class MistaProject:
    """One project of an instance: release date, critical path duration and its jobs."""

    release: int
    critical_path_duration: int
    file: str
    jobs: PsplibInstance


@dataclass(frozen=True)
class MistaInstance:
    """The raw numbers of a MISTA instance file and the project files it references.

    Parameters
    ----------
    global_capacities
        One entry per resource type of the project files (renewable ones first, then
        nonrenewable, as in their columns): the global capacity, or ``None`` for local.
    """

    name: str
    projects: tuple[MistaProject, ...]
    global_capacities: tuple[int | None, ...]

    def upper_bound(self) -> int:
        """A finish index every feasible instance reaches: all jobs in series after the last release."""
        serial = sum(p.jobs.upper_bound() for p in self.projects)
        return max((p.release for p in self.projects), default=0) + serial


def mista_objective(instance: MistaInstance) -> ObjectiveConfig:
    """Lateness (TPD) first, then makespan (TMS up to the constant min release), as one stage.

    ``W * lateness + makespan`` with ``W`` above every makespan a plan can have orders
    plans exactly as the lexicographic pair does: the scenario's last day is day
    :meth:`MistaInstance.upper_bound` (a schedule every instance reaches), so a makespan
    (a finish index) is at most one more. One weighted stage searches better than two
    lexicographic ones here: the whole time goes to the pair, and moves that keep the
    delay but shorten the plan count as progress (set A at 60 s: A-5 213 → 182, A-7
    806 → 674, A-8 469 → 425; BENCHMARKS.md).
    """
    weight = instance.upper_bound() + 2
    return ObjectiveConfig(stages=({ObjectiveTerm.LATENESS: weight, ObjectiveTerm.MAKESPAN: 1},))


def scores(instance: MistaInstance, finish: Mapping[str, int]) -> tuple[int, int]:
    """The challenge objectives ``(TPD, TMS)`` from each project's finish index.

    Parameters
    ----------
    finish
        Finish index (half-open end of its last task) per project id ``p1``, ``p2``, ...
    """
    delays = (
        finish[project_id(i)] - p.release - p.critical_path_duration
        for i, p in enumerate(instance.projects, start=1)
    )
    releases = min(p.release for p in instance.projects)
    return sum(delays), max(finish.values()) - releases


# ---------------------------------------------------------------------------- parsing


def _take_int(tokens: list[str], what: str) -> int:
    if not tokens:
        raise ValueError(f"file ends before {what}")
    token = tokens.pop(0)
    try:
        return int(token)
    except ValueError:
        raise ValueError(f"{what}: expected a whole number, got {token!r}") from None


def _check_resources(project: MistaProject, types: int) -> None:
    jobs = project.jobs
    if len(jobs.renewable_capacities) + len(jobs.nonrenewable_capacities) != types:
        raise ValueError(f"{project.file} does not have the {types} resource types of the instance")


def read_mista(path: Path) -> MistaInstance:
    """Read a MISTA instance file and the project files it names (relative to its folder).

    Raises
    ------
    ValueError
        When a number is missing or malformed, or a project file does not match the
        instance's resource types or is not a valid PSPLIB file.
    """
    tokens = path.read_text(encoding="latin-1").split()
    count = _take_int(tokens, "the number of projects")
    projects = []
    for i in range(1, count + 1):
        release = _take_int(tokens, f"release of project {i}")
        cpd = _take_int(tokens, f"critical path duration of project {i}")
        if not tokens:
            raise ValueError(f"file ends before the file name of project {i}")
        file = tokens.pop(0)
        projects.append(MistaProject(release, cpd, file, read_psplib(path.parent / file)))
    types = _take_int(tokens, "the number of resource types")
    capacities = [_take_int(tokens, f"capacity of resource type {k}") for k in range(1, types + 1)]
    if tokens or min(capacities, default=0) < -1 or any(p.release < 0 for p in projects):
        raise ValueError("trailing data, or a negative release date or capacity")
    for project in projects:
        _check_resources(project, types)
    return MistaInstance(
        name=path.stem,
        projects=tuple(projects),
        global_capacities=tuple(None if c == -1 else c for c in capacities),
    )


# ---------------------------------------------------------------------------- conversion


def project_id(number: int) -> str:
    """Project ``i`` (1-based, in file order) as ``p{i}``."""
    return f"p{number}"


class _ResourceNames:
    """Resource ids of project ``number``: globals keep ``R{k}``/``N{k}``, locals get ``p{i}-``."""

    def __init__(self, instance: MistaInstance, number: int) -> None:
        self.globals = instance.global_capacities
        self.renewable = len(instance.projects[number - 1].jobs.renewable_capacities)
        self.prefix = f"{project_id(number)}-"

    def is_global(self, kind: str, k: int) -> bool:
        offset = 0 if kind == "R" else self.renewable
        return self.globals[offset + k - 1] is not None

    def __call__(self, kind: str, k: int) -> str:
        return f"{kind}{k}" if self.is_global(kind, k) else f"{self.prefix}{kind}{k}"


def _local_resources(instance: MistaInstance, number: int) -> list[SharedResource]:
    names = _ResourceNames(instance, number)
    jobs = instance.projects[number - 1].jobs
    local = [
        SharedResource(id=names("R", k), capacity=c, kind="renewable")
        for k, c in enumerate(jobs.renewable_capacities, start=1)
        if not names.is_global("R", k)
    ]
    return local + [
        SharedResource(id=names("N", k), capacity=c, kind="consumable")
        for k, c in enumerate(jobs.nonrenewable_capacities, start=1)
        if not names.is_global("N", k)
    ]


def _global_resources(instance: MistaInstance) -> list[SharedResource]:
    renewable = len(instance.projects[0].jobs.renewable_capacities) if instance.projects else 0
    resources = []
    for index, capacity in enumerate(instance.global_capacities):
        if capacity is not None:
            kind, k = ("R", index + 1) if index < renewable else ("N", index + 1 - renewable)
            resources.append(
                SharedResource(
                    id=f"{kind}{k}", capacity=capacity, kind="renewable" if kind == "R" else "consumable"
                )
            )
    return resources


def _project(instance: MistaInstance, number: int, start: dt.date) -> Project:
    project = instance.projects[number - 1]
    prefix = f"{project_id(number)}-"
    return Project(
        id=project_id(number),
        name=Path(project.file).stem,
        priority=1,
        earliest_start=day(start, project.release),
        deadline=day(start, project.release + project.critical_path_duration - 1),
        deadline_type="soft",
        tasks=project_tasks(project.jobs, lambda job: f"{prefix}j{job}", _ResourceNames(instance, number)),
    )


def to_scenario(instance: MistaInstance, start: dt.date = PLAN_START) -> Scenario:
    """The instance as a multi-project scenario: lateness (TPD) first, then makespan.

    Project ``i`` becomes ``p{i}`` with tasks ``p{i}-j{n}`` and modes ``m1``..; global
    renewable resource ``k`` is ``R{k}``; local ones are ``p{i}-R{k}``; nonrenewable ones
    are consumable resources ``p{i}-N{k}``.
    """
    resources: list[SharedResource] = _global_resources(instance)
    for number in range(1, len(instance.projects) + 1):
        resources += _local_resources(instance, number)
    return Scenario(
        name=instance.name,
        start=start,
        end=day(start, instance.upper_bound()),
        calendar=EVERY_DAY,
        allocations=(100,),
        resources=tuple(resources),
        projects=tuple(_project(instance, i, start) for i in range(1, len(instance.projects) + 1)),
        objective=mista_objective(instance),
    )


def load_mista_scenario(path: Path) -> Scenario:
    """Read a MISTA instance file (and its project files) and convert it to a scenario."""
    return to_scenario(read_mista(path))


def project_finishes(scenario: Scenario, task_finish: Mapping[str, int]) -> dict[str, int]:
    """Finish index of every project from the finish index of its tasks (for :func:`scores`)."""
    return {project.id: max(task_finish[task.id] for task in project.tasks) for project in scenario.projects}
