"""One batch of samples: draws, work, re-timing, and what the statistics need from it.

A batch is a pure function of the setup, the seed and its sample indices, so batches
can run anywhere (a local process, a Dask worker) and be put together in sample order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from allocator.risk.estimates import sample_uniforms, triangular
from allocator.risk.retime import OWN_WORK, retime

if TYPE_CHECKING:
    from allocator.risk.estimates import Triangle
    from allocator.risk.events import EventTable
    from allocator.risk.model import RetimeModel
    from allocator.risk.retime import Timing


@dataclass
class RiskSetup:
    """Everything a batch needs, built once and shipped to the workers.

    ``projects`` lists, per project, the indices of its planned tasks in ``model``.
    """

    model: RetimeModel
    triangles: list[Triangle]
    events: EventTable
    projects: dict[str, list[int]]

    @property
    def width(self) -> int:
        """Uniform draws per sample: one per task, one per event and driver."""
        return len(self.triangles) + self.events.width


@dataclass
class Batch:
    """Outcomes of samples ``first .. first + len - 1``.

    Attributes
    ----------
    finish
        Project end (exclusive timeline day) per project and sample, ``[projects, n]``.
    length
        Working days of each task per sample, ``[tasks, n]``.
    critical
        Per project, in how many samples each task is on the chain setting its finish.
    happened
        Per event, in how many samples it happened.
    """

    first: int
    finish: np.ndarray
    length: np.ndarray
    critical: np.ndarray
    happened: np.ndarray
    overrun: np.ndarray


def sample_work(setup: RiskSetup, uniforms: np.ndarray, happen: np.ndarray) -> np.ndarray:
    """Work of each task in each sample, ``[tasks, n]``: its estimate, grown by the events that happen."""
    work = np.empty((len(setup.triangles), len(uniforms)))
    for index, triangle in enumerate(setup.triangles):
        work[index] = triangular(uniforms[:, index], triangle)
    for growth in setup.events.growths:
        work[growth.task] *= np.where(happen[growth.event], growth.factor, 1.0)
    return work


def run_batch(setup: RiskSetup, seed: int, first: int, count: int) -> Batch:
    """Draw, re-time and summarise samples ``first .. first + count - 1``."""
    uniforms = sample_uniforms(seed, first, count, setup.width)
    tasks = len(setup.triangles)
    happen = setup.events.happen(uniforms[:, tasks:])
    timing = retime(setup.model, sample_work(setup, uniforms, happen), happen, setup.events)
    finish = np.stack([timing.end[indices].max(axis=0) for indices in setup.projects.values()])
    critical = np.stack([critical_counts(timing, indices) for indices in setup.projects.values()])
    return Batch(
        first=first,
        finish=finish,
        length=(timing.end - timing.start).astype(np.int32),
        critical=critical,
        happened=happen.sum(axis=1),
        overrun=timing.overrun,
    )


def critical_counts(timing: Timing, project_tasks: list[int]) -> np.ndarray:
    """In how many samples each task is on the chain that sets the project's finish.

    The chain starts at the project's last task to end and follows, backwards, whatever
    set each end (the task's own work from its start, or an FF or SF predecessor) and
    each start (a predecessor, or a task planned before it on the same resource) until
    a task's own floor.
    """
    count, samples = timing.end.shape
    ends = timing.end[project_tasks]
    last = np.asarray(project_tasks)[np.argmax(ends, axis=0)]
    columns = np.arange(samples)
    on_end = np.zeros((count, samples), dtype=bool)
    on_start = np.zeros((count, samples), dtype=bool)
    on_end[last, columns] = True
    for task in range(max(project_tasks), -1, -1):
        if on_end[task].any():
            codes = timing.end_source[task]
            on_start[task] |= on_end[task] & (codes == OWN_WORK)
            _follow(codes, on_end[task] & (codes >= 0), on_start, on_end)
        if on_start[task].any():
            codes = timing.start_source[task]
            _follow(codes, on_start[task] & (codes >= 0), on_start, on_end)
    return (on_end | on_start).sum(axis=1)


def _follow(codes: np.ndarray, chosen: np.ndarray, on_start: np.ndarray, on_end: np.ndarray) -> None:
    """Mark the sources ``codes`` name in the ``chosen`` samples as on the chain."""
    columns = np.flatnonzero(chosen)
    if not len(columns):
        return
    picked = codes[columns]
    tasks, points = picked // 2, picked % 2
    on_end[tasks[points == 1], columns[points == 1]] = True
    on_start[tasks[points == 0], columns[points == 0]] = True
