"""Run the planner on a benchmark family and measure it against the published values.

Each instance is converted to a scenario, solved by :func:`allocator.search.solve.solve_scenario`
(the code path of a user's scenario) and its plan verified once more by
:func:`allocator.checker.check_plan`. Optionally the latest-finish-time baseline and the
PyJobShop peer run on the same instance, alternating with ours one instance at a time.
"""

from __future__ import annotations

import csv
import math
import statistics
import time
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from allocator.checker import check_plan
from allocator.search.solve import SolveOptions, solve_scenario
from benchmarks import peer as peer_module
from benchmarks.baseline import lft_baseline
from benchmarks.convert import imopse, list_instances, mspsp, psplib

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from benchmarks.convert import BenchmarkInstance
    from models import Plan, Scenario, SolverInfo

#: Instance samples: every instance, or the first instance of each parameter group.
SAMPLES = ("all", "first-per-group")


class UnknownInstances(ValueError):
    """Instance names the family's table does not have."""


@dataclass(frozen=True)
class RunConfig:
    """What to run: the family, its set, the limits and the comparisons.

    Parameters
    ----------
    sample
        ``"all"`` or ``"first-per-group"`` (instance 1 of each parameter group, e.g. the
        60 groups of j120).
    peer
        ``"pyjobshop"`` to solve every instance with PyJobShop as well.
    baseline
        ``"lft"`` to run the latest-finish-time serial heuristic as well.
    names
        Only these instances (by name), when given.
    repeat
        Solve each instance this many times, with seeds ``seed``, ``seed + 1``, ...: the
        run-to-run spread of a multi-threaded, time-limited search.
    """

    family: str
    subset: str | None = None
    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0
    limit: int | None = None
    sample: str = "all"
    peer: str | None = None
    baseline: str | None = None
    root: Path | None = None
    names: tuple[str, ...] | None = None
    repeat: int = 1


@dataclass
class Row:
    """One instance's results: ours, the published values, the baseline's and the peer's."""

    instance: str
    subset: str
    seed: int = 0
    objective: int | None = None
    best_bound: int | None = None
    status: str = ""
    proven_optimal: bool = False
    wall_time_s: float = 0.0
    first_solution_s: float | None = None
    best_known: int | None = None
    lower_bound: int | None = None
    critical_path_bound: int | None = None
    gap_best_known_pct: float | None = None
    gap_lower_bound_pct: float | None = None
    gap_critical_path_pct: float | None = None
    checker: str = ""
    cost: float | None = None
    baseline_objective: int | None = None
    baseline_gap_best_known_pct: float | None = None
    baseline_time_s: float | None = None
    baseline_checker: str = ""
    peer_objective: int | None = None
    peer_bound: int | None = None
    peer_status: str = ""
    peer_time_s: float | None = None
    peer_gap_best_known_pct: float | None = None


#: CSV header: one column per :class:`Row` field, in order.
COLUMNS = tuple(f.name for f in fields(Row))


def group_of(name: str) -> str:
    """Parameter group of an instance: its name without the trailing ``_<number>``."""
    stem, _, last = name.rpartition("_")
    return stem if stem and last.isdigit() else name


def select_instances(config: RunConfig) -> list[BenchmarkInstance]:
    """The instances ``config`` asks for, in the order of the family's table."""
    if config.sample not in SAMPLES:
        raise ValueError(f"unknown sample {config.sample!r}; choose from {', '.join(SAMPLES)}")
    entries = list_instances(config.family, config.subset, config.root)
    if config.names is not None:
        unknown = set(config.names) - {entry.name for entry in entries}
        if unknown:
            raise UnknownInstances(f"no such instance in {config.family}: {', '.join(sorted(unknown))}")
        entries = [entry for entry in entries if entry.name in config.names]
    if config.sample == "first-per-group":
        firsts: dict[str, BenchmarkInstance] = {}
        for entry in entries:
            firsts.setdefault(group_of(entry.name), entry)
        entries = list(firsts.values())
    return entries[: config.limit] if config.limit is not None else entries


def critical_path_bound(entry: BenchmarkInstance) -> int | None:
    """Longest path through the durations (``None`` for MISTA, whose delay bound is 0)."""
    if entry.family == "psplib":
        return psplib.critical_path_lower_bound(psplib.read_psplib(entry.path))
    if entry.family == "mspsp":
        return mspsp.critical_path_lower_bound(mspsp.read_mspsp(entry.path))
    if entry.family == "imopse":
        return imopse.critical_path_lower_bound(imopse.read_imopse(entry.path))
    return None


def plan_objective(family: str, scenario: Scenario, plan: Plan) -> int:
    """The family's measure recomputed from the plan: makespan, or total project delay (MISTA)."""
    if family == "mista":
        return sum(project.late_days for project in plan.projects)
    return max(((task.start - scenario.start).days + task.working_days for task in plan.tasks), default=0)


def gap_pct(value: float | None, reference: float | None) -> float | None:
    """``100 * (value - reference) / reference`` (a reference of 0 counts as 1, for delays)."""
    if value is None or reference is None:
        return None
    return round(100.0 * (value - reference) / max(1.0, abs(reference)), 3)


def first_stage_bound(scenario: Scenario, info: SolverInfo) -> float | None:
    """The bound of the leading term of the scenario's first objective stage, when the
    search reached that stage.

    ``SolverInfo.best_bound`` is the first stage *that found a solution*; when the first
    stage found none, that is a later stage's bound. A stage of several terms has a
    leading one whose weight exceeds what the others can add (MISTA: delay * W +
    makespan), so ``floor(bound / W)`` bounds the leading term.
    """
    first = {term.value: weight for term, weight in scenario.objective.stages[0].items()}
    bound = next((stage.bound for stage in info.stages if stage.terms == first), None)
    if bound is None or len(first) == 1:
        return bound
    return float(math.floor(bound / max(first.values()) + 1e-9))


def _solve_ours(entry: BenchmarkInstance, config: RunConfig, row: Row) -> None:
    """Convert, solve and check the instance; fill ours into ``row``."""
    began = time.perf_counter()
    scenario = entry.load()
    options = SolveOptions(time_limit=config.time_limit, workers=config.workers, seed=config.seed)
    result = solve_scenario(scenario, options)
    row.wall_time_s = round(time.perf_counter() - began, 3)
    row.status = result.status.value
    row.first_solution_s = result.info.time_to_first_plan
    if result.plan is None:
        row.checker = "no plan"
        return
    row.checker = "ok" if check_plan(scenario, result.plan).ok else "violations"
    row.objective = plan_objective(entry.family, scenario, result.plan)
    bound = first_stage_bound(scenario, result.info)
    row.best_bound = None if bound is None else math.ceil(bound - 1e-6)
    row.proven_optimal = row.best_bound is not None and row.best_bound >= row.objective
    row.cost = round(sum(project.cost for project in result.plan.projects), 2)


def _run_baseline(entry: BenchmarkInstance, row: Row) -> None:
    scenario = entry.load()
    result = lft_baseline(scenario)
    row.baseline_objective = (
        None if result.plan is None else plan_objective(entry.family, scenario, result.plan)
    )
    row.baseline_time_s = round(result.wall_time, 3)
    row.baseline_checker = "ok" if result.checker_ok else "violations"
    row.baseline_gap_best_known_pct = gap_pct(row.baseline_objective, entry.best_known)


def _run_peer(entry: BenchmarkInstance, config: RunConfig, row: Row) -> None:
    if not peer_module.supports(entry.family):
        row.peer_status = "not modelled"
        return
    result = peer_module.solve_peer(entry, config.time_limit, config.workers, config.seed)
    row.peer_objective, row.peer_bound = result.objective, result.bound
    row.peer_status, row.peer_time_s = result.status, round(result.wall_time, 3)
    row.peer_gap_best_known_pct = gap_pct(result.objective, entry.best_known)


def run_instance(entry: BenchmarkInstance, config: RunConfig, peer_first: bool = False) -> Row:
    """All measurements of one instance; the peer runs before ours when ``peer_first``."""
    row = Row(
        entry.name, entry.subset, config.seed, best_known=entry.best_known, lower_bound=entry.lower_bound
    )
    row.critical_path_bound = critical_path_bound(entry)
    if config.peer and peer_first:
        _run_peer(entry, config, row)
    _solve_ours(entry, config, row)
    if config.peer and not peer_first:
        _run_peer(entry, config, row)
    if config.baseline:
        _run_baseline(entry, row)
    row.gap_best_known_pct = gap_pct(row.objective, entry.best_known)
    row.gap_lower_bound_pct = gap_pct(row.objective, entry.lower_bound)
    row.gap_critical_path_pct = gap_pct(row.objective, row.critical_path_bound)
    return row


def check_config(config: RunConfig) -> None:
    """Reject unknown comparisons early; a missing PyJobShop is a clear error, not a traceback."""
    if config.peer not in (None, "pyjobshop"):
        raise ValueError(f"unknown peer {config.peer!r}; the peer is 'pyjobshop'")
    if config.baseline not in (None, "lft"):
        raise ValueError(f"unknown baseline {config.baseline!r}; the baseline is 'lft'")
    if config.repeat < 1:
        raise ValueError(f"repeat must be at least 1, not {config.repeat}")
    if config.peer and peer_module.supports(config.family):
        peer_module.load_pyjobshop()  # families it cannot model need no PyJobShop at all


def run(config: RunConfig, on_row: Callable[[Row], None] | None = None) -> list[Row]:
    """Run every selected instance (``config.repeat`` times each, one seed after the
    other), alternating which solver goes first (ours, theirs, ...).

    Parameters
    ----------
    config
        Family, set, limits and comparisons.
    on_row
        Called with each finished row (progress output).
    """
    check_config(config)
    rows: list[Row] = []
    for entry in select_instances(config):
        for seed in range(config.seed, config.seed + config.repeat):
            row = run_instance(entry, replace(config, seed=seed), peer_first=len(rows) % 2 == 1)
            rows.append(row)
            if on_row is not None:
                on_row(row)
    return rows


def write_csv(rows: Sequence[Any], path: Path, columns: tuple[str, ...] = COLUMNS) -> None:
    """One line per instance (a dataclass row), with ``columns`` (default :data:`COLUMNS`)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in asdict(row).items()})


# ---------------------------------------------------------------------------- summary


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def _present(values: list[float | None]) -> list[float]:
    return [value for value in values if value is not None]


@dataclass(frozen=True)
class Summary:
    """Figures over a run (gaps in per cent; ``None`` where no instance gives the value)."""

    instances: int
    verified: int
    at_best_known: int
    with_best_known: int
    proven_optimal: int
    mean_gap_best_known: float | None
    max_gap_best_known: float | None
    mean_gap_lower_bound: float | None
    mean_gap_critical_path: float | None
    total_time_s: float
    mean_time_s: float | None
    baseline_mean_gap_best_known: float | None = None
    baseline_mean_gap_critical_path: float | None = None
    peer_at_best_known: int | None = None
    peer_proven_optimal: int | None = None
    peer_mean_gap_best_known: float | None = None
    peer_mean_time_s: float | None = None
    gap_ratio: float | None = None  #: our mean gap over the peer's
    time_ratio: float | None = None  #: our total time over the peer's


def _reaches(value: int | None, best_known: int | None) -> bool:
    return value is not None and best_known is not None and value <= best_known


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    """Ours over theirs; 1 when both are zero, ``None`` when theirs alone is zero or missing."""
    if ours is None or theirs is None:
        return None
    if theirs == 0:
        return 1.0 if ours == 0 else None
    return round(ours / theirs, 3)


def _peer_figures(rows: list[Row], ours_gap: float | None) -> dict[str, object]:
    modelled = [row for row in rows if row.peer_time_s is not None]
    if not modelled:
        return {}
    gap = _mean(_present([row.peer_gap_best_known_pct for row in modelled]))
    peer_time = sum(row.peer_time_s or 0.0 for row in modelled)
    ours_modelled = sum(row.wall_time_s for row in modelled)
    return {
        "peer_at_best_known": sum(1 for r in modelled if _reaches(r.peer_objective, r.best_known)),
        "peer_proven_optimal": sum(1 for r in modelled if r.peer_status == "optimal"),
        "peer_mean_gap_best_known": gap,
        "peer_mean_time_s": _mean([row.peer_time_s or 0.0 for row in modelled]),
        "gap_ratio": _ratio(ours_gap, gap),
        "time_ratio": round(ours_modelled / peer_time, 3) if peer_time else None,
    }


def summarise(rows: list[Row]) -> Summary:
    """Counts and averages over the rows of a run."""
    gaps = _present([row.gap_best_known_pct for row in rows])
    total = round(sum(row.wall_time_s for row in rows), 3)
    mean_gap = _mean(gaps)
    baseline_rows = [row for row in rows if row.baseline_time_s is not None]
    return Summary(
        instances=len(rows),
        verified=sum(1 for row in rows if row.checker == "ok"),
        at_best_known=sum(1 for r in rows if _reaches(r.objective, r.best_known)),
        with_best_known=sum(1 for row in rows if row.best_known is not None),
        proven_optimal=sum(1 for row in rows if row.proven_optimal),
        mean_gap_best_known=mean_gap,
        max_gap_best_known=max(gaps) if gaps else None,
        mean_gap_lower_bound=_mean(_present([row.gap_lower_bound_pct for row in rows])),
        mean_gap_critical_path=_mean(_present([row.gap_critical_path_pct for row in rows])),
        total_time_s=total,
        mean_time_s=_mean([row.wall_time_s for row in rows]),
        baseline_mean_gap_best_known=_mean(_present([r.baseline_gap_best_known_pct for r in baseline_rows])),
        baseline_mean_gap_critical_path=_mean(
            _present([gap_pct(r.baseline_objective, r.critical_path_bound) for r in baseline_rows])
        ),
        **_peer_figures(rows, mean_gap),  # type: ignore[arg-type]
    )


def format_summary(summary: Summary) -> str:
    """The summary as ``label: value`` lines, ``—`` where a figure does not apply."""
    return "\n".join(
        f"{_label(f.name)}: {'—' if getattr(summary, f.name) is None else getattr(summary, f.name)}"
        for f in fields(summary)
    )


def _label(field_name: str) -> str:
    """A summary figure's printed name: its field name with spaces."""
    return field_name.replace("_", " ")


def summarise_seeds(rows: list[Row]) -> dict[int, Summary]:
    """One summary per seed of a repeated run, by seed."""
    seeds = sorted({row.seed for row in rows})
    return {seed: summarise([row for row in rows if row.seed == seed]) for seed in seeds}


def format_spread(summaries: dict[int, Summary]) -> str:
    """Each figure over the seeds of a repeated run: mean, range, standard deviation and
    the value of every seed, ``—`` where no seed gives the figure."""
    seeds = list(summaries)
    lines = [f"seeds: {', '.join(map(str, seeds))}"]
    for f in fields(Summary):
        label = _label(f.name)
        values = [getattr(summaries[seed], f.name) for seed in seeds]
        present = [float(value) for value in values if value is not None]
        if not present:
            lines.append(f"{label}: —")
            continue
        each = " / ".join("—" if value is None else f"{value:g}" for value in values)
        spread = statistics.stdev(present) if len(present) > 1 else 0.0
        lines.append(
            f"{label}: mean {statistics.fmean(present):.3f}, min {min(present):g}, max {max(present):g}, "
            f"sd {spread:.3f} ({each})"
        )
    return "\n".join(lines)
