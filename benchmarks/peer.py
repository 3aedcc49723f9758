"""The peer: PyJobShop (CP-SAT backend) on the same instances, for a side-by-side comparison.

PyJobShop (Lan, van den Houten et al., PyPI ``pyjobshop``) is installed with the project's
``bench`` extra and imported only when a comparison is asked for. Each instance is built
from the same raw numbers the converters read, so both solvers see the same problem:

- PSPLIB: one job, one task per job of the file (dummies included), renewable resources,
  finish-to-start precedences; objective makespan.
- MISTA 2013: one job per project with its release date and the due date
  ``release + critical path duration``, so total tardiness is the total project delay;
  global and local renewable resources, nonrenewable ones as consumables; objective
  ``W * tardiness + makespan`` with ``W`` above any makespan (the lexicographic order).
- iMOPSE: one machine per worker, one mode per qualified worker for each task (each task
  is done by exactly one worker of sufficient level); objective makespan.
- MSPSP cannot be modelled: an activity needs several workers per skill from a pool, and
  PyJobShop's modes fix one resource set each, so every combination of workers would be a
  mode. The family is compared against the published values alone.
"""

from __future__ import annotations

import importlib
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchmarks.convert import imopse, mista, psplib

if TYPE_CHECKING:
    from pathlib import Path

    from benchmarks.convert import BenchmarkInstance

#: Families PyJobShop can express, and why the others are left out.
SUPPORTED = ("psplib", "mista", "imopse")
UNSUPPORTED_REASON = {
    "mspsp": "PyJobShop cannot model several workers per skill drawn from a pool (MSPSP)",
}


class PeerUnavailable(RuntimeError):
    """PyJobShop is not installed."""


@dataclass(frozen=True)
class PeerResult:
    """What PyJobShop reports for one instance (first objective stage, as the runner measures)."""

    objective: int | None
    bound: int | None
    status: str
    wall_time: float


def load_pyjobshop() -> Any:
    """Import PyJobShop, or raise :class:`PeerUnavailable` with how to install it."""
    try:
        return importlib.import_module("pyjobshop")
    except ImportError as error:
        raise PeerUnavailable(
            "the PyJobShop comparison needs the 'pyjobshop' package: pip install -e '.[bench]'"
        ) from error


def supports(family: str) -> bool:
    """Whether PyJobShop can model instances of ``family``."""
    return family in SUPPORTED


def _psplib_tasks(model: Any, jobs: psplib.PsplibInstance, resources: list[Any], job: Any) -> None:
    """Tasks, modes and precedences of one PSPLIB project file."""
    tasks = {entry.number: model.add_task(job=job) for entry in jobs.jobs}
    for entry in jobs.jobs:
        for mode in entry.modes:
            demands = list(mode.renewable) + list(mode.nonrenewable)
            model.add_mode(tasks[entry.number], resources, mode.duration, demands)
        for successor in entry.successors:
            model.add_end_before_start(tasks[entry.number], tasks[successor])


def build_psplib(pyjobshop: Any, path: Path) -> tuple[Any, int]:
    """A PyJobShop model of a PSPLIB file; the objective divisor is 1 (makespan)."""
    instance = psplib.read_psplib(path)
    model = pyjobshop.Model()
    resources = [model.add_renewable(capacity) for capacity in instance.renewable_capacities]
    resources += [model.add_consumable(capacity) for capacity in instance.nonrenewable_capacities]
    _psplib_tasks(model, instance, resources, model.add_job())
    model.set_objective(weight_makespan=1)
    return model, 1


def build_mista(pyjobshop: Any, path: Path) -> tuple[Any, int]:
    """A PyJobShop model of a MISTA instance; the objective divisor turns it into TPD."""
    instance = mista.read_mista(path)
    model = pyjobshop.Model()
    shared = {
        index: (model.add_renewable(c) if index < _renewable_types(instance) else model.add_consumable(c))
        for index, c in enumerate(instance.global_capacities)
        if c is not None
    }
    for project in instance.projects:
        jobs = project.jobs
        capacities = list(jobs.renewable_capacities) + list(jobs.nonrenewable_capacities)
        resources = [
            shared.get(index)
            or (model.add_renewable(c) if index < len(jobs.renewable_capacities) else model.add_consumable(c))
            for index, c in enumerate(capacities)
        ]
        due = project.release + project.critical_path_duration
        job = model.add_job(release_date=project.release, due_date=due)
        _psplib_tasks(model, jobs, resources, job)
    weight = instance.upper_bound() + 1
    model.set_objective(weight_total_tardiness=weight, weight_makespan=1)
    return model, weight


def _renewable_types(instance: mista.MistaInstance) -> int:
    return len(instance.projects[0].jobs.renewable_capacities) if instance.projects else 0


def build_imopse(pyjobshop: Any, path: Path) -> tuple[Any, int]:
    """A PyJobShop model of an iMOPSE file: workers as machines, qualified workers as modes."""
    instance = imopse.read_imopse(path)
    model = pyjobshop.Model()
    machines = {worker.id: model.add_machine() for worker in instance.workers}
    job = model.add_job()
    tasks = {task.id: model.add_task(job=job) for task in instance.tasks}
    for task in instance.tasks:
        for worker in instance.workers:
            if worker.skills.get(task.skill, -1) >= task.level:
                model.add_mode(tasks[task.id], machines[worker.id], task.duration)
        for pred in task.predecessors:
            model.add_end_before_start(tasks[pred], tasks[task.id])
    model.set_objective(weight_makespan=1)
    return model, 1


BUILDERS = {"psplib": build_psplib, "mista": build_mista, "imopse": build_imopse}


def solve_peer(entry: BenchmarkInstance, time_limit: float, workers: int, seed: int) -> PeerResult:
    """Solve ``entry`` with PyJobShop's CP-SAT backend under the same limits as ours.

    The wall time runs from the instance file to the answer, as the runner measures ours.

    Raises
    ------
    PeerUnavailable
        When PyJobShop is not installed.
    ValueError
        When PyJobShop cannot model the family (see :data:`UNSUPPORTED_REASON`).
    """
    pyjobshop = load_pyjobshop()
    began = time.perf_counter()
    if entry.family not in BUILDERS:
        raise ValueError(UNSUPPORTED_REASON.get(entry.family, f"no PyJobShop model for {entry.family}"))
    model, divisor = BUILDERS[entry.family](pyjobshop, entry.path)
    result = model.solve(
        solver="ortools",
        time_limit=time_limit,
        num_workers=workers,
        display=False,
        random_seed=seed,
    )
    found = math.isfinite(result.objective)
    return PeerResult(
        objective=int(result.objective) // divisor if found else None,
        bound=math.ceil(result.lower_bound - 1e-6) // divisor if found else None,
        status=str(result.status.value).lower(),
        wall_time=time.perf_counter() - began,
    )
