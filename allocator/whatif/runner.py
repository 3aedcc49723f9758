"""Run a comparison: solve the base, then every variant warm-started from the base plan.

Every variant gets the same time limit, search workers and seed, so the comparison is
fair. Local variants run in worker processes, as many at once as the cores allow.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.live import Live
from rich.table import Table

from allocator.io import atomic_write_text, plan_json, save_scenario_yaml
from allocator.whatif.executors import JobEvent, JobOutcome, SolveJob, fair_share, make_executor, run_job
from models import SolverStatus

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from rich.console import Console, RenderableType

    from allocator.whatif.variants import Variant
    from models import Plan, Scenario


@dataclass(frozen=True)
class RunSettings:
    """Settings shared by every solve of a comparison.

    Parameters
    ----------
    time_limit
        Seconds per plan (base and each variant); ``None``: the scenario's.
    workers
        CP-SAT search threads per plan; concurrent variants share the cores.
    seed
        Random seed of every solve.
    executor
        ``local`` or ``dask://HOST:PORT``.
    base_plan
        A saved plan of the base to start from instead of solving it again.
    polish_seconds
        After each variant's search, time to re-plan its late projects one at a time
        (:func:`allocator.diagnose.lateness.improve_late_projects`); not for the base.
    """

    time_limit: float | None = None
    workers: int = 1
    seed: int = 0
    executor: str = "local"
    base_plan: Plan | None = None
    polish_seconds: float = 0.0  #: after each variant's search, its late projects re-planned alone


def solve_all(
    base: Scenario, variants: Sequence[Variant], settings: RunSettings, on_event: Callable[[JobEvent], None]
) -> tuple[JobOutcome, list[JobOutcome]]:
    """Solve the base (unless given) and every variant.

    Returns
    -------
    tuple
        The base outcome and one outcome per variant, in order.
    """
    if not variants:
        return _base_outcome(base, settings, on_event), []
    processes = min(fair_share(settings.workers), len(variants))
    executor = make_executor(settings.executor, processes)  # local processes start now
    try:
        base_outcome = _base_outcome(base, settings, on_event)
        warm = base_outcome.plan
        jobs = [
            SolveJob(
                v.name,
                v.scenario,
                settings.time_limit,
                settings.workers,
                settings.seed,
                warm,
                explain_seconds=settings.polish_seconds,
                explain_causes=False,
            )
            for v in variants
        ]
        return base_outcome, executor.run(jobs, on_event)
    finally:
        executor.close()


def _base_outcome(base: Scenario, settings: RunSettings, on_event: Callable[[JobEvent], None]) -> JobOutcome:
    if settings.base_plan is not None:
        on_event(JobEvent("base", "done", "saved plan"))
        status = settings.base_plan.solver.status if settings.base_plan.solver else SolverStatus.FEASIBLE
        return JobOutcome("base", status, settings.base_plan)
    job = SolveJob("base", base, settings.time_limit, settings.workers, settings.seed)
    return run_job(job, on_event)


def file_stem(name: str) -> str:
    """A safe file name for a variant name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "variant"


def save_outputs(
    folder: Path, scenarios: Sequence[Scenario], names: Sequence[str], outcomes: Sequence[JobOutcome]
) -> list[Path]:
    """Write each verified plan (``NAME.json``) and its scenario (``NAME.scenario.yaml``).

    The scenario file lets ``allocator check`` re-verify the plan, or a re-plan start from it.
    """
    written = []
    for scenario, name, outcome in zip(scenarios, names, outcomes, strict=True):
        stem = file_stem(name)
        save_scenario_yaml(scenario, folder / f"{stem}.scenario.yaml")
        if outcome.plan is not None:
            atomic_write_text(folder / f"{stem}.json", plan_json(outcome.plan))
            written.append(folder / f"{stem}.json")
    return written


@dataclass
class _Row:
    """What the progress display knows about one plan."""

    state: str = "waiting"
    detail: str = ""
    started: float | None = None
    ended: float | None = None


class CompareProgress:
    """One progress display on standard error for every solve of a comparison.

    On a terminal a live table shows each plan's state, incumbent and elapsed time;
    elsewhere one line is printed when a plan starts and when it is done.
    """

    def __init__(self, console: Console, names: Sequence[str], live: bool, quiet: bool = False) -> None:
        self._console = console
        self._lock = threading.Lock()
        self._rows = {name: _Row() for name in names}
        self._quiet = quiet
        self._live = Live(self, console=console, refresh_per_second=4, transient=True) if live else None

    def __enter__(self) -> CompareProgress:
        if self._live is not None:
            self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.stop()

    def __call__(self, event: JobEvent) -> None:
        """Take one event from a solve."""
        with self._lock:
            line = self._update(self._rows.setdefault(event.name, _Row()), event)
        if line and self._live is None and not self._quiet:
            self._console.print(line, markup=False, highlight=False)

    @staticmethod
    def _update(row: _Row, event: JobEvent) -> str | None:
        now = time.monotonic()
        if event.kind == "started":
            row.state, row.started = "solving", now
            return f"{event.name}: solving"
        if event.kind == "progress":
            objective = "" if event.objective is None else f" objective {event.objective:,.4g}"
            row.detail = f"{event.message}{objective}"
            notice = event.objective is None and not event.message.startswith("stage")
            return f"{event.name}: {event.message}" if notice else None
        row.state, row.ended = event.message, now
        took = "" if row.started is None else f" in {now - row.started:.1f} s"
        return f"{event.name}: {event.message}{took}"

    def __rich__(self) -> RenderableType:
        table = Table(box=None, show_header=False)
        now = time.monotonic()
        with self._lock:
            for name, row in self._rows.items():
                elapsed = "" if row.started is None else f"{(row.ended or now) - row.started:.1f} s"
                table.add_row(name, row.state, row.detail, elapsed)
        return table
