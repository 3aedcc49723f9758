"""Three-point estimates of each planned task, and the random draws of every sample.

A task's work is triangular on ``[low, high]`` with its mode at ``likely``, in the unit
of the task's chosen mode (effort units or working days). Where it comes from, in order:
the task's own ``estimate``; else the first estimate rule of the ``risk`` section that
applies (project, vendor in the planned team, or a skill the mode requires); else none
(the planned work, every time).

Every sample draws its own uniform numbers from the seed sequence ``(seed, sample)``,
so a sample's outcome depends on the seed and its index only: never on how the samples
are split between workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from allocator.problem.data import EFFORT_SCALE

if TYPE_CHECKING:
    from allocator.risk.model import RetimeModel, TaskShape
    from models import Scenario, Task
    from models.risk import EstimateRule


@dataclass(frozen=True)
class Triangle:
    """A triangular distribution of work: ``low <= likely <= high``, in work units."""

    low: float
    likely: float
    high: float
    source: str  #: ``task``, ``rule #N`` or ``planned``

    @property
    def uncertain(self) -> bool:
        """Whether the work varies at all."""
        return self.high > self.low


def task_triangles(scenario: Scenario, model: RetimeModel) -> list[Triangle]:
    """The distribution of each planned task's work, in the order of ``model.tasks``."""
    tasks = {task.id: task for _, task in scenario.tasks()}
    rules = scenario.risk.estimates if scenario.risk else ()
    return [_triangle(tasks[shape.id], shape, rules) for shape in model.tasks]


def _triangle(task: Task, shape: TaskShape, rules: tuple[EstimateRule, ...]) -> Triangle:
    planned = float(shape.work)
    unit = EFFORT_SCALE if shape.kind == "effort" else 1
    if task.estimate is not None:
        low, likely, high = task.estimate.resolved(planned / unit)
        if task.modes:  # scale the chosen mode's work by the estimate's ratios
            return Triangle(planned * low / likely, planned, planned * high / likely, "task")
        return Triangle(low * unit, likely * unit, high * unit, "task")
    for number, rule in enumerate(rules, start=1):
        if _applies(rule, shape):
            low_f, likely_f, high_f = rule.factors()
            return Triangle(planned * low_f, planned * likely_f, planned * high_f, f"rule #{number}")
    return Triangle(planned, planned, planned, "planned")


def _applies(rule: EstimateRule, shape: TaskShape) -> bool:
    kind, ident = rule.target
    if kind == "project":
        return shape.project == ident
    if kind == "vendor":
        return ident in shape.vendors
    return ident in shape.skills


def triangular(uniform: np.ndarray, triangle: Triangle) -> np.ndarray:
    """Inverse distribution function of ``triangle`` at ``uniform`` (any shape of array)."""
    low, likely, high = triangle.low, triangle.likely, triangle.high
    if high <= low:
        return np.full(uniform.shape, low, dtype=float)
    split = (likely - low) / (high - low)
    rising = low + np.sqrt(uniform * (high - low) * (likely - low))
    falling = high - np.sqrt((1.0 - uniform) * (high - low) * (high - likely))
    return np.where(uniform < split, rising, falling)


def sample_uniforms(seed: int, first: int, count: int, width: int) -> np.ndarray:
    """Uniform draws ``[count, width]`` of samples ``first .. first + count - 1``.

    Sample ``i`` draws from the child ``i`` of ``SeedSequence(seed)`` (the same stream
    as ``SeedSequence(seed).spawn(i + 1)[i]``), so its numbers do not depend on the batch.
    """
    rows = np.empty((count, width))
    for row in range(count):
        stream = np.random.SeedSequence(seed, spawn_key=(first + row,))
        rows[row] = np.random.Generator(np.random.PCG64(stream)).random(width)
    return rows
