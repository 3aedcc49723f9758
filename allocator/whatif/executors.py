"""Where variants are solved: local worker processes, or a Dask distributed cluster.

Both executors run the same :func:`run_job` on a :class:`SolveJob` and hand back
:class:`JobOutcome` items in job order. Progress is reported as :class:`JobEvent`
items to one callback in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from allocator.checker import check_plan
from allocator.search.solve import Progress, SolveOptions, solve_scenario

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from models import Plan, Scenario, SolverStatus


@dataclass(frozen=True)
class SolveJob:
    """One scenario to solve, with the settings every variant of a comparison shares."""

    name: str
    scenario: Scenario
    time_limit: float | None = None
    workers: int = 1
    seed: int | None = None
    warm_start: Plan | None = None
    explain_seconds: float = 0.0  #: after the search, late projects re-planned alone (and explained)
    explain_causes: bool = True


@dataclass(frozen=True)
class JobOutcome:
    """What solving one job gave: the verified plan (or none and why), and the time taken."""

    name: str
    status: SolverStatus
    plan: Plan | None
    reasons: tuple[str, ...] = ()
    wall_time: float = 0.0


@dataclass(frozen=True)
class JobEvent:
    """A progress report about one job: ``started``, ``progress`` or ``done``."""

    name: str
    kind: str
    message: str = ""
    objective: float | None = None
    bound: float | None = None


#: Queue of progress events in a worker process (set by the pool's initializer).
_EVENTS: Any = None


def _worker_init(events: Any) -> None:
    global _EVENTS
    _EVENTS = events


def _emit(event: JobEvent) -> None:
    if _EVENTS is not None:
        _EVENTS.put(event)


def run_job(job: SolveJob, sink: Callable[[JobEvent], None] | None = None) -> JobOutcome:
    """Solve one job, re-verify its plan with the checker, and report progress.

    Parameters
    ----------
    job
        The scenario and settings.
    sink
        Where progress goes; by default the worker process's event queue (if any).

    Returns
    -------
    JobOutcome
        The plan carries the checker's verdict; ``plan`` is ``None`` when none was found.
    """
    started = time.monotonic()
    emit = sink or _emit
    emit(JobEvent(job.name, "started"))

    def progress(report: Progress) -> None:
        if report.objective is not None or report.message:
            message = f"stage {report.stage}/{report.stages}" if report.stage else report.message
            emit(JobEvent(job.name, "progress", message, report.objective, report.bound))

    options = SolveOptions(
        time_limit=job.time_limit,
        workers=job.workers,
        seed=job.seed,
        warm_start=job.warm_start,
        progress=progress,
        explain_seconds=job.explain_seconds,
        explain_causes=job.explain_causes,
    )
    result = solve_scenario(job.scenario, options)
    plan = result.plan
    if plan is not None:
        plan = plan.model_copy(update={"check": check_plan(job.scenario, plan)})
    outcome = JobOutcome(job.name, result.status, plan, tuple(result.reasons), time.monotonic() - started)
    emit(JobEvent(job.name, "done", result.status.value))
    return outcome


class Executor(Protocol):
    """Runs solve jobs somewhere and returns their outcomes in job order."""

    def run(self, jobs: Sequence[SolveJob], on_event: Callable[[JobEvent], None]) -> list[JobOutcome]:
        """Solve every job; report progress to ``on_event`` in the calling thread."""
        ...

    def close(self) -> None:
        """Release processes or connections."""
        ...


def fair_share(workers: int, cores: int | None = None) -> int:
    """How many variants run at once so that ``workers`` search threads each fit the cores."""
    return max(1, (cores or os.cpu_count() or 1) // max(1, workers))


class LocalExecutor:
    """Solve jobs in local worker processes, ``processes`` at a time.

    The processes start when the executor is made, before the base is solved, so
    their start-up overlaps useful work.
    """

    def __init__(self, processes: int) -> None:
        # Forked workers inherit the imported solver at once; they are made before any
        # solver thread runs in this process. Elsewhere, spawned workers import it anew.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._events: Any = context.Queue()
        self._pool = ProcessPoolExecutor(
            max_workers=processes, mp_context=context, initializer=_worker_init, initargs=(self._events,)
        )
        for _ in range(processes):
            self._pool.submit(os.getpid)

    def run(self, jobs: Sequence[SolveJob], on_event: Callable[[JobEvent], None]) -> list[JobOutcome]:
        """Solve every job in the pool; see :class:`Executor`."""
        futures: list[Future[JobOutcome]] = [self._pool.submit(run_job, job) for job in jobs]
        pending: set[Future[JobOutcome]] = set(futures)
        while pending:
            _, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            self._drain(on_event)
        self._drain(on_event)
        return [future.result() for future in futures]

    def _drain(self, on_event: Callable[[JobEvent], None]) -> None:
        while True:
            try:
                on_event(self._events.get_nowait())
            except queue.Empty:
                return

    def close(self) -> None:
        """Stop the worker processes."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._events.close()


class DaskExecutor:
    """Solve jobs on a Dask distributed cluster (``dask://HOST:PORT`` or ``tcp://HOST:PORT``).

    Each job is one Dask task; the scheduler spreads them over the cluster's workers.
    Give each Dask worker as many threads as its cores divided by ``--workers``, so
    that the search threads of concurrent variants share the cores fairly.
    """

    def __init__(self, address: str) -> None:
        from distributed import Client

        self._client = Client(address.replace("dask://", "tcp://", 1), timeout=30)

    def run(self, jobs: Sequence[SolveJob], on_event: Callable[[JobEvent], None]) -> list[JobOutcome]:
        """Submit every job to the cluster; see :class:`Executor`."""
        from distributed import as_completed

        futures = [
            self._client.submit(run_job, job, pure=False, key=f"allocator-{job.name}-{i}")
            for i, job in enumerate(jobs)
        ]
        for job in jobs:
            on_event(JobEvent(job.name, "started", "submitted to the cluster"))
        by_key = {future.key: job.name for future, job in zip(futures, jobs, strict=True)}
        for future in as_completed(futures):
            status = "done" if future.status == "finished" else future.status
            on_event(JobEvent(by_key[future.key], "done", status))
        return [future.result() for future in futures]

    def close(self) -> None:
        """Disconnect from the cluster (the cluster keeps running)."""
        self._client.close()


def make_executor(spec: str, processes: int) -> LocalExecutor | DaskExecutor:
    """The executor for ``--executor``: ``local`` or ``dask://HOST:PORT``.

    Raises
    ------
    ValueError
        For an unknown executor.
    """
    if spec == "local":
        return LocalExecutor(processes)
    if spec.startswith(("dask://", "tcp://")):
        return DaskExecutor(spec)
    raise ValueError(f"unknown executor '{spec}'; use local or dask://HOST:PORT")
