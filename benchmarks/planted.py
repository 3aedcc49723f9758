"""The planted family: generated portfolios whose optimum (0 late days) is known by construction.

Run from the repository root::

    python -m benchmarks run planted --sizes 40x90,250x1500,1000x6000 --seeds 0-4 --time-limit 60 \
        -o planted.csv

Each instance is :func:`allocator.demo.planted.generate_planted_scenario` of one size
(``PEOPLExTASKS``; projects, vendors and weeks follow from it, :func:`derived_size`) and
one generator seed. It is planned twice in the same fresh process: by construction
alone (``SolveOptions(construct_only=True)``, the first plan the search starts from),
then by the full search (:func:`allocator.search.solve.solve_scenario`) under the time
limit; the plan is verified once more by :func:`allocator.checker.check_plan`. A plan
with 0 late days exists for every instance, so every late day the search leaves is
distance from the optimum.

Each instance runs in a fresh process (``multiprocessing`` with ``spawn``), so the peak
resident memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is that instance's: the
interpreter and imports (``baseline_rss_mb``, measured before the scenario is generated)
plus generating, constructing, searching and checking.
"""

from __future__ import annotations

import math
import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from allocator.checker import check_plan
from allocator.demo.planted import DEFAULT_LOAD, planted_plan
from allocator.search.solve import Progress, SolveOptions, solve_scenario
from benchmarks.runner import first_stage_bound

if TYPE_CHECKING:
    from collections.abc import Callable

#: The family's name on the command line.
FAMILY = "planted"


@dataclass(frozen=True)
class PlantedSize:
    """A size of the family: people and tasks as asked, the rest derived (:func:`derived_size`)."""

    people: int
    tasks: int
    projects: int
    vendors: int
    weeks: int

    @property
    def name(self) -> str:
        """``PEOPLExTASKS``, as on the command line."""
        return f"{self.people}x{self.tasks}"


def derived_size(people: int, tasks: int) -> PlantedSize:
    """Projects, vendors and weeks for ``people`` and ``tasks``.

    Weeks: 13 (a quarter) up to 300 tasks, 26 up to 3,000, 52 beyond. Projects:
    ``tasks / (6 sqrt(weeks))`` rounded, at least 1 (about 20 tasks a project in a
    quarter, 30 in half a year, 45 in a year: 4 for 90 tasks, 49 for 1,500, 139 for
    6,000). Vendors: one per 25 people, at least 1.
    """
    if people < 1 or tasks < 1:
        raise ValueError(f"a size needs at least one person and one task, not {people}x{tasks}")
    weeks = 13 if tasks <= 300 else 26 if tasks <= 3000 else 52
    projects = max(1, min(tasks, round(tasks / (6 * math.sqrt(weeks)))))
    return PlantedSize(people, tasks, projects, max(1, round(people / 25)), weeks)


def parse_sizes(text: str) -> list[PlantedSize]:
    """``"40x90,250x1500"`` as sizes."""
    sizes = []
    for part in text.split(","):
        people, sep, tasks = part.strip().lower().partition("x")
        if not sep or not people.isdigit() or not tasks.isdigit():
            raise ValueError(f"a size is PEOPLExTASKS such as 40x90, not {part.strip()!r}")
        sizes.append(derived_size(int(people), int(tasks)))
    return sizes


def parse_seeds(text: str) -> list[int]:
    """``"0-4"``, ``"3"`` or ``"0,2,5"`` as generator seeds."""
    seeds: list[int] = []
    for part in text.split(","):
        first, sep, last = part.strip().partition("-")
        if not first.isdigit() or (sep and not last.isdigit()):
            raise ValueError(f"seeds are N, N-M or a comma-separated list, not {part.strip()!r}")
        seeds += list(range(int(first), int(last) + 1)) if sep else [int(first)]
    return seeds


@dataclass(frozen=True)
class PlantedConfig:
    """What to run: sizes, generator seeds, the solve's limits and the planting's slack and load.

    Parameters
    ----------
    seed
        CP-SAT's random seed (the generator seeds are ``seeds``).
    isolate
        Solve each instance in a fresh process (per-instance peak memory); ``False``
        solves in this process, where the peak only grows (for quick tests).
    """

    sizes: tuple[PlantedSize, ...]
    seeds: tuple[int, ...]
    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0
    slack_days: int = 0
    load: float = DEFAULT_LOAD
    isolate: bool = True


@dataclass
class PlantedRow:
    """One instance: the planted scenario, the constructed plan and the searched one."""

    instance: str
    people: int
    tasks: int
    projects: int
    vendors: int
    weeks: int
    seed: int
    slack_days: int = 0
    load: float = DEFAULT_LOAD
    planted_utilisation: float | None = None
    generate_s: float | None = None
    constructed_late_days: int | None = None  #: weighted, of the first (constructed) plan
    constructed_projects_late: int | None = None
    construct_s: float | None = None
    late_days: int | None = None  #: weighted late days of the searched plan; the optimum is 0
    projects_late: int | None = None
    best_bound: int | None = None  #: the first stage's bound (lateness + deferral)
    status: str = ""
    first_solution_s: float | None = None
    best_stage1_s: float | None = None  #: when the first stage first reached its final value
    wall_time_s: float = 0.0
    peak_rss_mb: float | None = None
    baseline_rss_mb: float | None = None
    checker: str = ""


#: CSV header: one column per :class:`PlantedRow` field, in order.
COLUMNS = tuple(f.name for f in fields(PlantedRow))


def _rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def solve_instance(size: PlantedSize, seed: int, config: PlantedConfig) -> PlantedRow:
    """Generate one planted instance, plan it by construction and by the search, check it."""
    row = PlantedRow(
        f"planted-{size.name}-s{seed}", size.people, size.tasks, size.projects, size.vendors, size.weeks, seed
    )
    row.slack_days, row.load, row.baseline_rss_mb = config.slack_days, config.load, _rss_mb()
    began = time.perf_counter()
    sizes = (size.people, size.vendors, size.projects, size.tasks, size.weeks, seed)
    planted = planted_plan(*sizes, slack_days=config.slack_days, load=config.load)
    row.generate_s = round(time.perf_counter() - began, 3)
    row.planted_utilisation = round(planted.utilisation, 3)
    scenario = planted.scenario
    began = time.perf_counter()
    constructed = solve_scenario(scenario, SolveOptions(construct_only=True, workers=1, seed=config.seed))
    row.construct_s = round(time.perf_counter() - began, 3)
    if constructed.plan is not None:
        row.constructed_late_days = constructed.plan.kpis.weighted_late_days
        row.constructed_projects_late = constructed.plan.kpis.projects_late
    improved: list[tuple[float, float]] = []  # (first-stage value, seconds), as reported
    options = SolveOptions(time_limit=config.time_limit, workers=config.workers, seed=config.seed)
    options.progress = _first_stage(improved)
    began = time.perf_counter()
    result = solve_scenario(scenario, options)
    final = result.info.stages[0].objective if result.info.stages else None
    row.best_stage1_s = _reached(improved, final) or result.info.time_to_first_plan
    row.wall_time_s = round(time.perf_counter() - began, 3)
    row.status, row.first_solution_s = result.status.value, result.info.time_to_first_plan
    bound = first_stage_bound(scenario, result.info)
    row.best_bound = None if bound is None else math.ceil(bound - 1e-6)
    if result.plan is None:
        row.checker = "no plan"
    else:
        row.checker = "ok" if check_plan(scenario, result.plan).ok else "violations"
        row.late_days = result.plan.kpis.weighted_late_days
        row.projects_late = result.plan.kpis.projects_late
    row.peak_rss_mb = _rss_mb()
    return row


def _first_stage(improved: list[tuple[float, float]]) -> Callable[[Progress], None]:
    """A progress callback keeping each improvement of the first stage's value."""

    def on_progress(progress: Progress) -> None:
        value = progress.objective
        if progress.stage == 1 and value is not None and (not improved or value < improved[-1][0]):
            improved.append((value, round(progress.elapsed, 3)))

    return on_progress


def _reached(improved: list[tuple[float, float]], final: float | None) -> float | None:
    """Seconds until the first stage first reported ``final`` (``None`` when it never did:
    the first plan had it already)."""
    if final is None:
        return None
    return next((seconds for value, seconds in improved if value <= final + 1e-9), None)


def _in_fresh_process(size: PlantedSize, seed: int, config: PlantedConfig) -> PlantedRow:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(solve_instance, size, seed, config).result()


def run(config: PlantedConfig, on_row: Callable[[PlantedRow], None] | None = None) -> list[PlantedRow]:
    """Every size with every seed, one instance after the other (each in a fresh process
    when ``config.isolate``).

    Parameters
    ----------
    config
        Sizes, seeds, limits.
    on_row
        Called with each finished row (progress output).
    """
    rows = []
    for size in config.sizes:
        for seed in config.seeds:
            solve = _in_fresh_process if config.isolate else solve_instance
            row = solve(size, seed, config)
            rows.append(row)
            if on_row is not None:
                on_row(row)
    return rows


def format_row(row: PlantedRow) -> str:
    """One progress line: late days found against the optimum 0, the bound, times and memory."""
    constructed = "—" if row.constructed_late_days is None else row.constructed_late_days
    return (
        f"{row.instance}: late {row.late_days} ({row.projects_late} projects) "
        f"[optimum 0, bound {row.best_bound}, constructed {constructed}] {row.status} "
        f"first {row.first_solution_s}s reached {row.best_stage1_s}s wall {row.wall_time_s}s "
        f"rss {row.peak_rss_mb} MB "
        f"checker={row.checker}"
    )


# ---------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class PlantedSummary:
    """Figures over one size (or a whole run)."""

    instances: int
    verified: int
    at_optimum: int  #: plans with 0 late days
    proven_optimal: int  #: ... whose first-stage bound is 0 as well
    mean_late_days: float | None
    max_late_days: int | None
    mean_projects_late: float | None
    mean_constructed_late_days: float | None
    mean_first_solution_s: float | None
    mean_wall_time_s: float | None
    max_peak_rss_mb: float | None
    total_time_s: float


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def _instance_time(row: PlantedRow) -> float:
    """Seconds to generate, construct and search one instance."""
    return row.wall_time_s + (row.generate_s or 0.0) + (row.construct_s or 0.0)


def summarise(rows: list[PlantedRow]) -> PlantedSummary:
    """Counts and averages over ``rows``."""
    late = [row.late_days for row in rows if row.late_days is not None]
    return PlantedSummary(
        instances=len(rows),
        verified=sum(row.checker == "ok" for row in rows),
        at_optimum=sum(row.late_days == 0 for row in rows),
        proven_optimal=sum(row.late_days == 0 and row.best_bound == 0 for row in rows),
        mean_late_days=_mean([float(v) for v in late]),
        max_late_days=max(late, default=None),
        mean_projects_late=_mean([float(r.projects_late) for r in rows if r.projects_late is not None]),
        mean_constructed_late_days=_mean(
            [float(r.constructed_late_days) for r in rows if r.constructed_late_days is not None]
        ),
        mean_first_solution_s=_mean([r.first_solution_s for r in rows if r.first_solution_s is not None]),
        mean_wall_time_s=_mean([row.wall_time_s for row in rows]),
        max_peak_rss_mb=max((r.peak_rss_mb for r in rows if r.peak_rss_mb is not None), default=None),
        total_time_s=round(sum(_instance_time(row) for row in rows), 3),
    )


def format_summary(rows: list[PlantedRow]) -> str:
    """One block of ``label: value`` lines per size, then the whole run, ``—`` where a figure
    does not apply."""
    sizes = list(dict.fromkeys(f"{row.people}x{row.tasks}" for row in rows))
    blocks = [(size, [r for r in rows if f"{r.people}x{r.tasks}" == size]) for size in sizes]
    if len(blocks) > 1:
        blocks.append(("all", rows))
    lines = []
    for name, chosen in blocks:
        summary = summarise(chosen)
        lines.append(f"size {name}:")
        for f in fields(summary):
            value = getattr(summary, f.name)
            lines.append(f"  {f.name.replace('_', ' ')}: {'—' if value is None else value}")
    return "\n".join(lines)
