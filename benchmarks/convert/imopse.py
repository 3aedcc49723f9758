"""iMOPSE multi-skill RCPSP (``.def``) files to scenarios.

Format and instances: Myszkowski, Skowroński, Olech & Oślizło (2015), "Hybrid ant colony
optimization in solving multi-skill resource-constrained project scheduling problem",
Soft Computing 19(12). Each task needs one worker whose level in the task's skill type
is at least the required level; a worker does one task at a time; salary is the cost
per time unit. Levels in the files start at 0; the product's levels start at 1, so
every level is shifted up by one (the comparisons are unchanged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from benchmarks.convert.bounds import staffed_makespan
from benchmarks.convert.psplib import EVERY_DAY, PLAN_START, day, longest_path
from models import (
    Dependency,
    ObjectiveConfig,
    ObjectiveTerm,
    Person,
    Project,
    Requirement,
    Scenario,
    Task,
    TeamSize,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence
    from pathlib import Path

#: Objective choices: makespan only, makespan then staff cost, or staff cost then makespan.
ImopseObjective = Literal["makespan", "makespan-cost", "cost-makespan"]

_OBJECTIVES: dict[str, ObjectiveConfig] = {
    "makespan": ObjectiveConfig(stages=({ObjectiveTerm.MAKESPAN: 1},)),
    "makespan-cost": ObjectiveConfig(stages=({ObjectiveTerm.MAKESPAN: 1}, {ObjectiveTerm.STAFF_COST: 1})),
    "cost-makespan": ObjectiveConfig(stages=({ObjectiveTerm.STAFF_COST: 1}, {ObjectiveTerm.MAKESPAN: 1})),
}
_SKILL = re.compile(r"^(Q\d+):$")
#: Highest file level the product can hold after the shift by one (product levels are 1..5).
MAX_FILE_LEVEL = 4


@dataclass(frozen=True)
class ImopseWorker:
    """A worker (``Resource`` in the file): id, salary per time unit, level per skill type."""

    id: int
    salary: float
    skills: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ImopseTask:
    """A task: id, duration, the skill type and minimum level it needs, its predecessors."""

    id: int
    duration: int
    skill: str
    level: int
    predecessors: tuple[int, ...] = ()


@dataclass(frozen=True)
class ImopseInstance:
    """The raw numbers of an iMOPSE ``.def`` file (levels as in the file, from 0)."""

    name: str
    workers: tuple[ImopseWorker, ...]
    tasks: tuple[ImopseTask, ...]

    def upper_bound(self) -> int:
        """A makespan every feasible instance reaches: all tasks in series."""
        return sum(task.duration for task in self.tasks)

    def schedule_bound(self) -> int:
        """Makespan of a quick serial schedule; :meth:`upper_bound` when it finds none."""
        eligible = {
            task.id: frozenset(w.id for w in self.workers if w.skills.get(task.skill, -1) >= task.level)
            for task in self.tasks
        }
        makespan = staffed_makespan(
            {task.id: task.duration for task in self.tasks},
            {task.id: (eligible[task.id],) for task in self.tasks},
            {task.id: task.predecessors for task in self.tasks},
        )
        return self.upper_bound() if makespan is None else min(makespan, self.upper_bound())


def critical_path_lower_bound(instance: ImopseInstance) -> int:
    """Longest path through the durations: a lower bound on the makespan."""
    successors: dict[int, list[int]] = {}
    for task in instance.tasks:
        for pred in task.predecessors:
            successors.setdefault(pred, []).append(task.id)
    return longest_path({task.id: task.duration for task in instance.tasks}, successors)


# ---------------------------------------------------------------------------- parsing


def _number(token: str, what: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise ValueError(f"{what}: expected a whole number, got {token!r}") from None


def _table(lines: Sequence[str], heading: str) -> list[list[str]]:
    """Token rows after the line starting with ``heading``, up to the next ``=`` rule."""
    starts = [i for i, line in enumerate(lines) if line.strip().startswith(heading)]
    if not starts:
        raise ValueError(f"missing table {heading!r}")
    rows: list[list[str]] = []
    for line in lines[starts[0] + 1 :]:
        if line.strip().startswith("="):
            break
        if line.split():
            rows.append(line.split())
    return rows


def _header_count(lines: Sequence[str], label: str) -> int:
    for line in lines:
        if line.strip().startswith(label):
            return _number(line.partition(":")[2].strip(), label)
    raise ValueError(f"missing header {label!r}")


def _skill_pairs(tokens: Sequence[str], what: str) -> list[tuple[str, int]]:
    """``Qa: la Qb: lb ...`` as ``[(Qa, la), ...]``."""
    if len(tokens) % 2:
        raise ValueError(f"{what}: skills must come as 'Q<n>: <level>' pairs")
    pairs = []
    for name, level in zip(tokens[::2], tokens[1::2], strict=True):
        match = _SKILL.match(name)
        if not match:
            raise ValueError(f"{what}: expected a skill type like 'Q3:', got {name!r}")
        pairs.append((match.group(1), _number(level, what)))
    return pairs


def _worker(row: list[str]) -> ImopseWorker:
    if len(row) < 2:
        raise ValueError(f"resource row {row} needs an id and a salary")
    try:
        salary = float(row[1])
    except ValueError:
        raise ValueError(f"resource {row[0]}: salary {row[1]!r} is not a number") from None
    return ImopseWorker(
        id=_number(row[0], "resource id"), salary=salary, skills=dict(_skill_pairs(row[2:], "resource"))
    )


def _task(row: list[str]) -> ImopseTask:
    if len(row) < 4:
        raise ValueError(f"task row {row} needs an id, a duration and a skill")
    ((skill, level),) = _skill_pairs(row[2:4], f"task {row[0]}")
    return ImopseTask(
        id=_number(row[0], "task id"),
        duration=_number(row[1], "task duration"),
        skill=skill,
        level=level,
        predecessors=tuple(_number(token, "predecessor id") for token in row[4:]),
    )


def _validate(instance: ImopseInstance, tasks: int, workers: int) -> None:
    ids = [task.id for task in instance.tasks]
    if len(ids) != tasks or len(instance.workers) != workers or len(set(ids)) != len(ids):
        raise ValueError(f"expected {tasks} distinct tasks and {workers} resources")
    levels = [task.level for task in instance.tasks]
    levels += [level for worker in instance.workers for level in worker.skills.values()]
    if any(not 0 <= level <= MAX_FILE_LEVEL for level in levels):
        raise ValueError(f"skill levels must lie in 0..{MAX_FILE_LEVEL}")
    if any(task.duration < 0 for task in instance.tasks) or any(w.salary < 0 for w in instance.workers):
        raise ValueError("negative duration or salary")
    critical_path_lower_bound(instance)  # rejects unknown predecessors and cycles


def parse_imopse(text: str, name: str = "imopse") -> ImopseInstance:
    """Read the text of an iMOPSE ``.def`` file.

    Raises
    ------
    ValueError
        When a table or header is missing, counts disagree, levels fall outside what the
        product holds, or a predecessor is unknown or cyclic.
    """
    lines = text.splitlines()
    instance = ImopseInstance(
        name=name,
        workers=tuple(_worker(row) for row in _table(lines, "ResourceID")),
        tasks=tuple(_task(row) for row in _table(lines, "TaskID")),
    )
    _validate(instance, _header_count(lines, "Tasks:"), _header_count(lines, "Resources:"))
    return instance


def read_imopse(path: Path) -> ImopseInstance:
    """Read an iMOPSE ``.def`` file; the instance is named after the file stem."""
    return parse_imopse(path.read_text(encoding="latin-1"), name=path.stem)


# ---------------------------------------------------------------------------- conversion


def _person(worker: ImopseWorker, cost_scale: float) -> Person:
    return Person(
        id=f"r{worker.id}",
        skills={skill: level + 1 for skill, level in worker.skills.items()},
        cost_per_day=worker.salary * cost_scale,
    )


def _task_of(task: ImopseTask) -> Task:
    return Task(
        id=f"t{task.id}",
        duration=task.duration,
        requires=(Requirement(skill=task.skill, level=task.level + 1, people=1),),
        team=TeamSize(min=1, max=1),
        allocations=(100,),
        vendor="never",
        after=tuple(Dependency(task=f"t{pred}") for pred in task.predecessors),
    )


def to_scenario(
    instance: ImopseInstance,
    start: dt.date = PLAN_START,
    objective: ImopseObjective = "makespan",
    cost_scale: float = 1.0,
) -> Scenario:
    """The instance as a one-project scenario of full-time people.

    Parameters
    ----------
    instance
        The parsed file.
    start
        Date of day index 0.
    objective
        ``makespan`` (the literature's usual objective), ``makespan-cost`` (then staff
        cost = salary x duration) or ``cost-makespan`` (cost first).
    cost_scale
        Factor on every salary; salaries have one decimal, so ``10`` makes them whole
        numbers should the optimiser round day rates.
    """
    return Scenario(
        name=instance.name,
        start=start,
        end=day(start, instance.schedule_bound()),
        calendar=EVERY_DAY,
        allocations=(100,),
        people=tuple(_person(worker, cost_scale) for worker in instance.workers),
        projects=(Project(id=instance.name, tasks=tuple(_task_of(task) for task in instance.tasks)),),
        objective=_OBJECTIVES[objective],
    )


def load_imopse_scenario(path: Path) -> Scenario:
    """Read an iMOPSE ``.def`` file and convert it to a makespan scenario."""
    return to_scenario(read_imopse(path))
