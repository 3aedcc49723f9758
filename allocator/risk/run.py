"""A Monte Carlo of a plan: set up once, run the batches (here or on Dask), summarise.

The same seed gives the same figures whatever the number of workers: each sample's
draws come from ``(seed, sample index)`` and the batches are put together in order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from allocator.io import scenario_hash
from allocator.risk.estimates import task_triangles
from allocator.risk.events import event_table
from allocator.risk.model import build_model, risk_problem
from allocator.risk.sample import Batch, RiskSetup, run_batch
from allocator.risk.stats import project_risks

if TYPE_CHECKING:
    from allocator.problem.data import Problem
    from models import Plan, Scenario
    from models.risk_report import RiskReport

#: Cells (tasks x samples) of one batch: bounds the memory of a batch to some 100 MB.
BATCH_CELLS = 2_000_000

#: Runs ``run_batch`` over ``(first, count)`` pairs and returns the batches in that order.
BatchRunner = Callable[[RiskSetup, int, list[tuple[int, int]]], list[Batch]]


@dataclass(frozen=True)
class RiskOptions:
    """How to run a risk analysis.

    Parameters
    ----------
    samples
        Number of samples.
    seed
        Seed of every sample's random stream.
    workers
        Local Dask worker processes; 1 runs in this process.
    scheduler
        Address of a running Dask scheduler to use instead (``tcp://HOST:PORT``).
    early_starts
        Let a task start before its planned start when what it waits for finishes early.
    reoptimise
        Samples (the first ones) also re-planned by the optimiser, to show what re-planning recovers.
    reoptimise_time
        Search time of each re-planned sample, in seconds.
    """

    samples: int = 1000
    seed: int = 0
    workers: int = 1
    scheduler: str | None = None
    early_starts: bool = False
    reoptimise: int = 0
    reoptimise_time: float = 10.0


def prepare(scenario: Scenario, plan: Plan, early_starts: bool = False) -> tuple[Problem, RiskSetup]:
    """The compiled problem and the setup every batch of ``plan``'s samples shares."""
    problem = risk_problem(scenario, plan)
    model = build_model(problem, plan, early_starts)
    projects: dict[str, list[int]] = {}
    for shape in model.tasks:
        projects.setdefault(shape.project, []).append(shape.index)
    ordered = {p.id: projects[p.id] for p in scenario.projects if p.id in projects}
    return problem, RiskSetup(model, task_triangles(scenario, model), event_table(problem, model), ordered)


def batches(samples: int, tasks: int, parts: int = 1) -> list[tuple[int, int]]:
    """``(first, count)`` of each batch: at least ``parts`` batches, none over :data:`BATCH_CELLS`."""
    size = max(1, min(-(-samples // max(parts, 1)), BATCH_CELLS // max(tasks, 1)))
    return [(first, min(size, samples - first)) for first in range(0, samples, size)]


def run_here(setup: RiskSetup, seed: int, spans: list[tuple[int, int]]) -> list[Batch]:
    """Every batch in this process."""
    return [run_batch(setup, seed, first, count) for first, count in spans]


def dask_runner(workers: int, scheduler: str | None = None) -> BatchRunner:
    """Batches spread over a Dask cluster: a local one of ``workers`` processes, or ``scheduler``'s."""

    def run(setup: RiskSetup, seed: int, spans: list[tuple[int, int]]) -> list[Batch]:
        from distributed import Client, LocalCluster

        if scheduler is not None:
            with Client(scheduler, timeout=30) as client:
                return _on_client(client, setup, seed, spans)
        options = {
            "n_workers": workers,
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,
        }
        with LocalCluster(**options) as cluster, Client(cluster) as client:
            return _on_client(client, setup, seed, spans)

    return run


def _on_client(client: object, setup: RiskSetup, seed: int, spans: list[tuple[int, int]]) -> list[Batch]:
    shared = client.scatter(setup, broadcast=True)  # type: ignore[attr-defined]
    futures = [
        client.submit(run_batch, shared, seed, first, count, pure=False)  # type: ignore[attr-defined]
        for first, count in spans
    ]
    return list(client.gather(futures))  # type: ignore[attr-defined]


def run_risk(
    scenario: Scenario, plan: Plan, options: RiskOptions, runner: BatchRunner | None = None
) -> RiskReport:
    """Sample ``plan`` under ``scenario``'s estimates and risk events and summarise it.

    Parameters
    ----------
    scenario
        The scenario the plan was made for, with its estimates and ``risk`` section.
    plan
        The plan to re-time: its modes, teams and order are kept.
    options
        Samples, seed, workers.
    runner
        Where the batches run; by default here for one worker, else on Dask.
    """
    from models.risk_report import RiskReport

    started = time.perf_counter()
    problem, setup = prepare(scenario, plan, options.early_starts)
    parallel = options.workers > 1 or options.scheduler is not None
    spans = batches(options.samples, len(setup.triangles), 2 * options.workers if parallel else 1)
    if runner is None:
        runner = dask_runner(options.workers, options.scheduler) if parallel else run_here
    results = sorted(runner(setup, options.seed, spans), key=lambda batch: batch.first)
    finish = np.concatenate([b.finish for b in results], axis=1)
    length = np.concatenate([b.length for b in results], axis=1)
    critical = np.sum([b.critical for b in results], axis=0)
    happened = np.sum([b.happened for b in results], axis=0) if setup.events.ids else np.zeros(0)
    projects = project_risks(problem, plan, setup, finish, length, critical)
    replanned = None
    if options.reoptimise:
        from allocator.risk.replan import ReplanSettings, replan_samples

        settings = ReplanSettings(options.reoptimise, options.reoptimise_time)
        replanned = replan_samples(problem, plan, setup, finish, options.seed, settings)
    return RiskReport(
        scenario=scenario.name,
        scenario_hash=scenario_hash(scenario),
        samples=options.samples,
        seed=options.seed,
        early_starts=options.early_starts,
        projects=projects,
        event_rates={ident: float(happened[i]) / options.samples for i, ident in enumerate(setup.events.ids)},
        overrun_samples=int(np.concatenate([b.overrun for b in results]).sum()),
        uncertain_tasks=sum(1 for t in setup.triangles if t.uncertain),
        replanned=replanned,
        wall_time=round(time.perf_counter() - started, 3),
    )
