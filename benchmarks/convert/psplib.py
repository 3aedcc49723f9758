"""PSPLIB project files (``.sm`` single-mode, ``.mm`` multi-mode) to scenarios.

Format: Kolisch & Sprecher (1996), "PSPLIB - A project scheduling problem library",
European Journal of Operational Research 96(1). Jobs ``1`` and ``N`` are dummy source
and sink jobs of duration 0; precedences are finish-to-start; renewable resources
limit the demand of the jobs running at each time unit, nonrenewable resources limit
the total demand of the chosen modes over the whole project.

This module also holds the time conventions every benchmark converter shares: every
day is a working day, and day index ``i`` is the date ``PLAN_START + i days``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from benchmarks.convert.bounds import renewable_makespan
from models import (
    CalendarSpec,
    Dependency,
    Mode,
    ObjectiveConfig,
    ObjectiveTerm,
    Project,
    Scenario,
    SharedResource,
    Task,
    TeamSize,
)

if TYPE_CHECKING:
    from pathlib import Path

#: First day of every converted plan (a Monday; any date works, as every day is worked).
PLAN_START = dt.date(2000, 1, 3)
#: A calendar in which every day is a working day, so day indices equal time units.
EVERY_DAY = CalendarSpec(country=None, working_weekdays=(0, 1, 2, 3, 4, 5, 6))
#: Minimise the last finish index.
MAKESPAN_OBJECTIVE = ObjectiveConfig(stages=({ObjectiveTerm.MAKESPAN: 1},))

#: Maps a resource kind (``"R"`` renewable, ``"N"`` nonrenewable) and a 1-based number to an id.
ResourceNamer = Callable[[str, int], str]


def day(start: dt.date, index: int) -> dt.date:
    """Date of day ``index`` of a plan that starts on ``start`` (every day worked).

    Raises
    ------
    ValueError
        When the day lies beyond the calendar (absurd durations in a malformed file).
    """
    try:
        return start + dt.timedelta(days=index)
    except OverflowError:
        raise ValueError(f"day {index} lies beyond the calendar; durations are too long") from None


def longest_path(durations: Mapping[int, int], successors: Mapping[int, Iterable[int]]) -> int:
    """Length of the longest path through the durations of a precedence graph.

    Parameters
    ----------
    durations
        Duration of every node.
    successors
        Finish-to-start successors of each node (nodes without an entry have none).

    Returns
    -------
    int
        The earliest possible finish of the last node when resources are ignored:
        the critical-path lower bound on the makespan.

    Raises
    ------
    ValueError
        When the graph has a cycle or an edge to an unknown node.
    """
    indegree = dict.fromkeys(durations, 0)
    for node, nexts in successors.items():
        for succ in nexts:
            if succ not in indegree or node not in indegree:
                raise ValueError(f"precedence {node} -> {succ} names an unknown node")
            indegree[succ] += 1
    finish = {node: durations[node] for node in durations}
    ready = [node for node, count in indegree.items() if count == 0]
    done = 0
    while ready:
        node = ready.pop()
        done += 1
        for succ in successors.get(node, ()):
            finish[succ] = max(finish[succ], finish[node] + durations[succ])
            indegree[succ] -= 1
            if indegree[succ] == 0:
                ready.append(succ)
    if done != len(durations):
        raise ValueError("the precedence relations contain a cycle")
    return max(finish.values(), default=0)


@dataclass(frozen=True)
class PsplibMode:
    """One execution mode of a job: a duration and demands per resource."""

    duration: int
    renewable: tuple[int, ...]
    nonrenewable: tuple[int, ...]


@dataclass(frozen=True)
class PsplibJob:
    """A job: its number, finish-to-start successors and modes."""

    number: int
    successors: tuple[int, ...]
    modes: tuple[PsplibMode, ...]


@dataclass(frozen=True)
class PsplibInstance:
    """The raw numbers of a PSPLIB project file.

    Parameters
    ----------
    name
        Instance name (the file stem, e.g. ``j301_1``).
    horizon
        The file's horizon (the sum of the longest mode durations in PSPLIB).
    renewable_capacities, nonrenewable_capacities
        Availability of each resource, in file order (``R 1``, ``R 2``, ...).
    jobs
        Jobs ``1..N`` in order, dummy source and sink included.
    """

    name: str
    horizon: int
    renewable_capacities: tuple[int, ...]
    nonrenewable_capacities: tuple[int, ...]
    jobs: tuple[PsplibJob, ...]

    def predecessors(self) -> dict[int, list[int]]:
        """Finish-to-start predecessors of every job."""
        preds: dict[int, list[int]] = {job.number: [] for job in self.jobs}
        for job in self.jobs:
            for succ in job.successors:
                preds[succ].append(job.number)
        return preds

    def upper_bound(self) -> int:
        """A makespan every feasible instance reaches: all jobs in series, longest modes."""
        serial = sum(max(mode.duration for mode in job.modes) for job in self.jobs)
        return max(self.horizon, serial)

    def schedule_bound(self) -> int:
        """Makespan of a quick serial schedule; :meth:`upper_bound` when it finds none.

        Each job takes its shortest mode that leaves enough of every nonrenewable
        resource for the least the later jobs need.
        """
        modes = _chosen_modes(self)
        if modes is None:
            return self.upper_bound()
        makespan = renewable_makespan(
            {number: mode.duration for number, mode in modes.items()},
            {number: mode.renewable for number, mode in modes.items()},
            self.renewable_capacities,
            self.predecessors(),
        )
        return self.upper_bound() if makespan is None else min(makespan, self.upper_bound())


def _chosen_modes(instance: PsplibInstance) -> dict[int, PsplibMode] | None:
    """A mode per job within the nonrenewable capacities, shortest first; ``None`` if greedy fails."""
    capacities = instance.renewable_capacities
    usable = {
        job.number: sorted(
            (m for m in job.modes if all(d <= c for d, c in zip(m.renewable, capacities, strict=True))),
            key=lambda mode: (mode.duration, sum(mode.nonrenewable)),
        )
        for job in instance.jobs
    }
    if not all(usable.values()):
        return None
    least = {
        number: [min(column) for column in zip(*(m.nonrenewable for m in modes), strict=True)]
        for number, modes in usable.items()
    }
    left = list(instance.nonrenewable_capacities)
    reserve = [sum(column) for column in zip(*least.values(), strict=True)] if least else []
    chosen: dict[int, PsplibMode] = {}
    for job in instance.jobs:
        reserve = [r - own for r, own in zip(reserve, least[job.number], strict=True)]
        fits = (m for m in usable[job.number] if _fits(m.nonrenewable, reserve, left))
        mode = next(fits, None)
        if mode is None:
            return None
        chosen[job.number] = mode
        left = [c - u for c, u in zip(left, mode.nonrenewable, strict=True)]
    return chosen


def _fits(use: Sequence[int], reserve: Sequence[int], left: Sequence[int]) -> bool:
    """Whether ``use`` leaves at least ``reserve`` of what is ``left`` of every resource."""
    return all(u + r <= c for u, r, c in zip(use, reserve, left, strict=True))


def critical_path_lower_bound(instance: PsplibInstance) -> int:
    """Longest path through the (shortest-mode) durations: a lower bound on the makespan."""
    durations = {job.number: min(mode.duration for mode in job.modes) for job in instance.jobs}
    return longest_path(durations, {job.number: job.successors for job in instance.jobs})


# ---------------------------------------------------------------------------- parsing


def _ints(tokens: Sequence[str], where: str) -> list[int]:
    try:
        return [int(token) for token in tokens]
    except ValueError:
        raise ValueError(f"{where}: expected whole numbers, got {' '.join(tokens)!r}") from None


def _header_int(lines: Sequence[str], label: str) -> int:
    """The first number after the colon of the first line that starts with ``label``."""
    for line in lines:
        if line.strip().startswith(label):
            _, _, value = line.partition(":")
            tokens = value.split()
            if not tokens:
                break
            return _ints(tokens[:1], label)[0]
    raise ValueError(f"missing header {label!r}")


def _section(lines: Sequence[str], marker: str) -> list[list[int]]:
    """Numeric rows after the line starting with ``marker``, up to the next ``*`` line.

    Lines whose first token is not a number (column headings, dashes) are skipped.
    """
    starts = [i for i, line in enumerate(lines) if line.strip().startswith(marker)]
    if not starts:
        raise ValueError(f"missing section {marker!r}")
    rows: list[list[int]] = []
    for line in lines[starts[0] + 1 :]:
        if line.strip().startswith("*"):
            break
        tokens = line.split()
        if tokens and tokens[0].lstrip("-").isdigit():
            rows.append(_ints(tokens, marker))
    return rows


def _read_modes(rows: list[list[int]], resources: int) -> dict[int, list[list[int]]]:
    """Rows of ``REQUESTS/DURATIONS`` grouped by job: ``[mode, duration, demands...]`` each."""
    modes: dict[int, list[list[int]]] = {}
    job: int | None = None
    for row in rows:
        if len(row) == resources + 3:
            job, row = row[0], row[1:]
            if job in modes:
                raise ValueError(f"job {job} is listed twice in REQUESTS/DURATIONS")
            modes[job] = []
        elif len(row) != resources + 2 or job is None:
            raise ValueError(f"REQUESTS/DURATIONS row {row} does not match {resources} resources")
        if row[0] != len(modes[job]) + 1:
            raise ValueError(f"job {job}: modes must be numbered 1, 2, ...; got {row[0]}")
        if min(row[1:]) < 0:
            raise ValueError(f"job {job}: negative duration or demand {row}")
        modes[job].append(row)
    return modes


def _build_job(precedence: list[int], mode_rows: list[list[int]], renewable: int, jobs: int) -> PsplibJob:
    number = precedence[0]
    if len(precedence) < 3 or len(precedence) != 3 + precedence[2]:
        raise ValueError(f"job {number}: successor count does not match the successors listed")
    if precedence[1] != len(mode_rows):
        raise ValueError(f"job {number}: {precedence[1]} modes announced, {len(mode_rows)} given")
    successors = tuple(precedence[3:])
    if any(not 1 <= succ <= jobs for succ in successors):
        raise ValueError(f"job {number}: successor outside 1..{jobs}")
    modes = tuple(
        PsplibMode(
            duration=row[1], renewable=tuple(row[2 : 2 + renewable]), nonrenewable=tuple(row[2 + renewable :])
        )
        for row in mode_rows
    )
    return PsplibJob(number=number, successors=successors, modes=modes)


def parse_psplib(text: str, name: str = "psplib") -> PsplibInstance:
    """Read the text of a PSPLIB ``.sm`` or ``.mm`` file.

    Raises
    ------
    ValueError
        When the text is not a well-formed PSPLIB file (missing section, wrong counts,
        non-numeric or negative data, unknown successor, precedence cycle).
    """
    lines = text.splitlines()
    jobs = _header_int(lines, "jobs (incl. supersource/sink )")
    horizon = _header_int(lines, "horizon")
    renewable = _header_int(lines, "- renewable")
    nonrenewable = _header_int(lines, "- nonrenewable")
    if _header_int(lines, "- doubly constrained") != 0:
        raise ValueError("doubly constrained resources are not supported")
    if jobs < 1 or min(horizon, renewable, nonrenewable) < 0:
        raise ValueError("negative or zero counts in the header")
    precedences = _section(lines, "PRECEDENCE RELATIONS:")
    modes = _read_modes(_section(lines, "REQUESTS/DURATIONS:"), renewable + nonrenewable)
    availability = _section(lines, "RESOURCEAVAILABILITIES:")
    if len(availability) != 1 or len(availability[0]) != renewable + nonrenewable:
        raise ValueError(f"RESOURCEAVAILABILITIES must give {renewable + nonrenewable} capacities")
    if [row[0] for row in precedences] != list(range(1, jobs + 1)) or sorted(modes) != list(
        range(1, jobs + 1)
    ):
        raise ValueError(f"jobs must be listed as 1..{jobs} in both PRECEDENCE and REQUESTS")
    instance = PsplibInstance(
        name=name,
        horizon=horizon,
        renewable_capacities=tuple(availability[0][:renewable]),
        nonrenewable_capacities=tuple(availability[0][renewable:]),
        jobs=tuple(_build_job(row, modes[row[0]], renewable, jobs) for row in precedences),
    )
    critical_path_lower_bound(instance)  # rejects cycles here, not in the solver
    return instance


def read_psplib(path: Path) -> PsplibInstance:
    """Read a PSPLIB ``.sm`` or ``.mm`` file; the instance is named after the file stem."""
    return parse_psplib(path.read_text(encoding="latin-1"), name=path.stem)


# ---------------------------------------------------------------------------- conversion


def plain_resource_id(kind: str, number: int) -> str:
    """``R1``, ``R2``, ... and ``N1``, ... as in the file's column headings."""
    return f"{kind}{number}"


def _demands(mode: PsplibMode, resource_id: ResourceNamer) -> dict[str, int]:
    """Nonzero demands of a mode keyed by resource id."""
    demands = {resource_id("R", k): units for k, units in enumerate(mode.renewable, start=1) if units}
    demands |= {resource_id("N", k): units for k, units in enumerate(mode.nonrenewable, start=1) if units}
    return demands


def job_task(
    job: PsplibJob, predecessors: Sequence[int], task_id: Callable[[int], str], resource_id: ResourceNamer
) -> Task:
    """A job as a task with no staff: fixed duration(s) and shared-resource demands.

    A single-mode job becomes a plain fixed-duration task; a multi-mode job becomes a
    task with modes ``m1``, ``m2``, ... in file order.
    """
    common = {
        "id": task_id(job.number),
        "team": TeamSize(min=0, max=0),
        "vendor": "never",
        "after": tuple(Dependency(task=task_id(pred)) for pred in predecessors),
    }
    if len(job.modes) == 1:
        only = job.modes[0]
        return Task(duration=only.duration, resources=_demands(only, resource_id), **common)
    modes = tuple(
        Mode(name=f"m{k}", duration=mode.duration, resources=_demands(mode, resource_id))
        for k, mode in enumerate(job.modes, start=1)
    )
    return Task(modes=modes, **common)


def project_tasks(
    instance: PsplibInstance, task_id: Callable[[int], str], resource_id: ResourceNamer
) -> tuple[Task, ...]:
    """Every job of the instance as a task; the dummy sink is kept as a milestone.

    The dummy source (job 1) is left out: a milestone is reached at the end of a day,
    so keeping it would delay every first job by one day.
    """
    preds = instance.predecessors()
    return tuple(
        job_task(job, [p for p in preds[job.number] if p != 1], task_id, resource_id)
        for job in instance.jobs
        if job.number != 1
    )


def _shared_resources(instance: PsplibInstance) -> tuple[SharedResource, ...]:
    renewable = (
        SharedResource(id=plain_resource_id("R", k), capacity=capacity, kind="renewable")
        for k, capacity in enumerate(instance.renewable_capacities, start=1)
    )
    consumable = (
        SharedResource(id=plain_resource_id("N", k), capacity=capacity, kind="consumable")
        for k, capacity in enumerate(instance.nonrenewable_capacities, start=1)
    )
    return (*renewable, *consumable)


def to_scenario(instance: PsplibInstance, start: dt.date = PLAN_START) -> Scenario:
    """The instance as a one-project scenario that minimises the makespan.

    Renewable resources become renewable shared resources ``R1``..``RK``, nonrenewable
    ones consumable shared resources ``N1``..; job ``n`` becomes task ``j{n}``.
    """
    project = Project(
        id=instance.name,
        tasks=project_tasks(instance, lambda number: f"j{number}", plain_resource_id),
    )
    return Scenario(
        name=instance.name,
        start=start,
        end=day(start, instance.schedule_bound()),
        calendar=EVERY_DAY,
        allocations=(100,),
        resources=_shared_resources(instance),
        projects=(project,),
        objective=MAKESPAN_OBJECTIVE,
    )


def load_psplib_scenario(path: Path) -> Scenario:
    """Read a PSPLIB file and convert it to a scenario."""
    return to_scenario(read_psplib(path))
