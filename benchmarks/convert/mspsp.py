"""Multi-skill project scheduling (MSPSP) MiniZinc data files to scenarios.

Format and instances: Young, Feydy & Schutt (2017), "Constraint programming applied to
the multi-skill project scheduling problem", CP 2017. Each activity needs, for every
skill, ``sreq[a, s]`` distinct workers who master the skill; a worker contributes one
skill to one activity at a time, for the whole activity. Activities ``1`` and ``nActs``
are dummies of duration 0. Objective: minimise the makespan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from benchmarks.convert.bounds import staffed_makespan
from benchmarks.convert.psplib import EVERY_DAY, MAKESPAN_OBJECTIVE, PLAN_START, day, longest_path
from models import Dependency, Person, Project, Requirement, Scenario, Task, TeamSize

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path


@dataclass(frozen=True)
class MspspInstance:
    """The raw numbers of an MSPSP ``.dzn`` file (activities, skills, workers 1-based in the file).

    Parameters
    ----------
    skills
        ``nSkills``: number of skills.
    durations
        ``dur``: duration of each activity.
    skill_requirements
        ``sreq``: workers needed per skill, one row per activity.
    mastery
        ``mastery``: whether each worker (row) masters each skill (column).
    precedences
        ``(pred, succ)`` pairs of finish-to-start precedences.
    min_makespan, max_makespan
        ``mint`` and ``maxt`` when the file gives them (``maxt`` is often commented out).
    """

    name: str
    skills: int
    durations: tuple[int, ...]
    skill_requirements: tuple[tuple[int, ...], ...]
    mastery: tuple[tuple[bool, ...], ...]
    precedences: tuple[tuple[int, int], ...]
    min_makespan: int | None = None
    max_makespan: int | None = None

    def upper_bound(self) -> int:
        """A makespan every feasible instance reaches: ``maxt``, else all activities in series."""
        serial = sum(self.durations)
        return serial if self.max_makespan is None else min(serial, self.max_makespan)

    def schedule_bound(self) -> int:
        """Makespan of a quick serial schedule; :meth:`upper_bound` when it finds none."""
        masters = [
            frozenset(r for r, row in enumerate(self.mastery, start=1) if row[k]) for k in range(self.skills)
        ]
        activities = range(1, len(self.durations) + 1)
        predecessors: dict[int, list[int]] = {a: [] for a in activities}
        for pred, succ in self.precedences:
            predecessors[succ].append(pred)
        makespan = staffed_makespan(
            dict(zip(activities, self.durations, strict=True)),
            {
                a: [
                    masters[k] for k, heads in enumerate(self.skill_requirements[a - 1]) for _ in range(heads)
                ]
                for a in activities
            },
            predecessors,
        )
        return self.upper_bound() if makespan is None else min(makespan, self.upper_bound())


def critical_path_lower_bound(instance: MspspInstance) -> int:
    """Longest path through the durations: a lower bound on the makespan."""
    durations = dict(enumerate(instance.durations, start=1))
    successors: dict[int, list[int]] = {}
    for pred, succ in instance.precedences:
        successors.setdefault(pred, []).append(succ)
    return longest_path(durations, successors)


# ---------------------------------------------------------------------------- MiniZinc data

_ARRAY2D = re.compile(r"^array2d\s*\((.*)\)$", re.DOTALL)


def parse_dzn(text: str) -> dict[str, str]:
    """Assignments ``name = value;`` of a MiniZinc data file, values as raw text.

    Comments (``%`` to the end of the line) are dropped, so commented-out items are absent.
    """
    code = "\n".join(line.split("%", 1)[0] for line in text.splitlines())
    items: dict[str, str] = {}
    for statement in code.split(";"):
        if not statement.strip():
            continue
        name, sep, value = statement.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ValueError(f"cannot read MiniZinc item {statement.strip()[:60]!r}")
        items[name.strip()] = value.strip()
    return items


def _scalar(token: str, name: str) -> int:
    """An integer or a boolean (``true`` = 1) of item ``name``."""
    token = token.strip()
    if token in ("true", "false"):
        return int(token == "true")
    try:
        return int(token)
    except ValueError:
        raise ValueError(f"{name}: expected a number or boolean, got {token!r}") from None


def _values(body: str, name: str) -> list[int]:
    """Comma-separated scalars, ignoring a trailing comma."""
    tokens = [token for token in body.replace("\n", " ").split(",") if token.strip()]
    return [_scalar(token, name) for token in tokens]


def dzn_int(items: dict[str, str], name: str) -> int:
    """A scalar item."""
    if name not in items:
        raise ValueError(f"missing item {name!r}")
    return _scalar(items[name], name)


def dzn_array(items: dict[str, str], name: str, length: int) -> list[int]:
    """A one-dimensional array ``[a, b, ...]`` of exactly ``length`` values."""
    value = items.get(name, "")
    if not (value.startswith("[") and value.endswith("]")) or "|" in value:
        raise ValueError(f"item {name!r} is missing or not a one-dimensional array")
    values = _values(value[1:-1], name)
    if len(values) != length:
        raise ValueError(f"{name} has {len(values)} values, expected {length}")
    return values


def dzn_matrix(items: dict[str, str], name: str, rows: int, cols: int) -> list[list[int]]:
    """A two-dimensional array in ``[| a, b | c, d |]`` or ``array2d(.., .., [a, b, c, d])`` form."""
    value = items.get(name, "")
    match = _ARRAY2D.match(value)
    if match:
        flat = match.group(1).rpartition("[")[2].rstrip("] \n")
        values = _values(flat, name)
        if len(values) != rows * cols:
            raise ValueError(f"{name} has {len(values)} values, expected {rows} x {cols}")
        return [values[r * cols : (r + 1) * cols] for r in range(rows)]
    if not (value.startswith("[|") and value.endswith("|]")):
        raise ValueError(f"item {name!r} is missing or not a two-dimensional array")
    table = [_values(row, name) for row in value[2:-2].split("|") if row.strip(" \t\n,")]
    if len(table) != rows or any(len(row) != cols for row in table):
        raise ValueError(f"{name} is not a {rows} x {cols} table")
    return table


def parse_mspsp(text: str, name: str = "mspsp") -> MspspInstance:
    """Read the text of an MSPSP ``.dzn`` file.

    Raises
    ------
    ValueError
        When an item is missing, has the wrong shape, or a precedence names an unknown activity.
    """
    items = parse_dzn(text)
    activities, skills = dzn_int(items, "nActs"), dzn_int(items, "nSkills")
    workers, links = dzn_int(items, "nResources"), dzn_int(items, "nPrecs")
    durations = dzn_array(items, "dur", activities)
    sreq = dzn_matrix(items, "sreq", activities, skills)
    mastery = dzn_matrix(items, "mastery", workers, skills)
    pairs = tuple(zip(dzn_array(items, "pred", links), dzn_array(items, "succ", links), strict=True))
    if any(not (1 <= a <= activities and 1 <= b <= activities) for a, b in pairs):
        raise ValueError(f"a precedence names an activity outside 1..{activities}")
    if min(durations, default=0) < 0 or any(min(row, default=0) < 0 for row in sreq):
        raise ValueError("negative duration or skill requirement")
    instance = MspspInstance(
        name=name,
        skills=skills,
        durations=tuple(durations),
        skill_requirements=tuple(tuple(row) for row in sreq),
        mastery=tuple(tuple(bool(v) for v in row) for row in mastery),
        precedences=pairs,
        min_makespan=dzn_int(items, "mint") if "mint" in items else None,
        max_makespan=dzn_int(items, "maxt") if "maxt" in items else None,
    )
    critical_path_lower_bound(instance)  # rejects cycles
    return instance


def read_mspsp(path: Path) -> MspspInstance:
    """Read an MSPSP ``.dzn`` file; the instance is named after the file stem."""
    return parse_mspsp(path.read_text(encoding="utf-8"), name=path.stem)


# ---------------------------------------------------------------------------- conversion


def skill_id(number: int) -> str:
    """Skill ``k`` (1-based column of ``sreq``/``mastery``) as ``s{k}``."""
    return f"s{number}"


def _worker(number: int, masters: tuple[bool, ...]) -> Person:
    skills = {skill_id(k): 1 for k, has in enumerate(masters, start=1) if has}
    return Person(id=f"w{number}", skills=skills, fte=1.0)


def _activity(number: int, instance: MspspInstance, predecessors: list[int]) -> Task:
    needs = instance.skill_requirements[number - 1]
    requires = tuple(
        Requirement(skill=skill_id(k), level=1, people=people)
        for k, people in enumerate(needs, start=1)
        if people
    )
    heads = sum(needs)
    return Task(
        id=f"a{number}",
        duration=instance.durations[number - 1],
        requires=requires,
        team=TeamSize(min=heads, max=heads),
        allocations=(100,),
        vendor="never",
        after=tuple(Dependency(task=f"a{pred}") for pred in predecessors),
    )


def to_scenario(instance: MspspInstance, start: dt.date = PLAN_START) -> Scenario:
    """The instance as a one-project scenario of full-time people that minimises the makespan.

    Worker ``r`` becomes person ``w{r}`` with level 1 in each mastered skill ``s{k}``;
    activity ``a`` becomes task ``a{a}`` of fixed duration whose team is exactly the
    required heads, every person full time (so one skill of one activity at a time).
    """
    predecessors: dict[int, list[int]] = {a: [] for a in range(1, len(instance.durations) + 1)}
    for pred, succ in instance.precedences:
        if pred != 1:  # the dummy source: a milestone at the start would delay every first activity
            predecessors[succ].append(pred)
    tasks = tuple(_activity(a, instance, preds) for a, preds in predecessors.items() if a != 1)
    return Scenario(
        name=instance.name,
        start=start,
        end=day(start, instance.schedule_bound()),
        calendar=EVERY_DAY,
        allocations=(100,),
        people=tuple(_worker(r, masters) for r, masters in enumerate(instance.mastery, start=1)),
        projects=(Project(id=instance.name, tasks=tasks),),
        objective=MAKESPAN_OBJECTIVE,
    )


def load_mspsp_scenario(path: Path) -> Scenario:
    """Read an MSPSP ``.dzn`` file and convert it to a scenario."""
    return to_scenario(read_mspsp(path))
