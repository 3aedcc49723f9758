"""Post-project evaluation: estimate accuracy per skill, team, person, vendor and project.

A **sample** is one task that is done or under way (per skill and per project), or one
person's or vendor's part of such a task (per person, team and vendor). Its ratio is
actual over estimated effort: actual is what was booked plus what is still left
(``remaining_effort``; nothing when done), estimated is the baseline's (the task's
effort, or the person's planned effort on it). For a person, the task's remaining effort
is shared in proportion to the planned effort. Fixed-duration tasks have no effort
estimate and are left out. The **slip** of a finished task is its actual working days
(actual start to actual finish) less its planned working days.

Each figure is the **median** over its samples, with the sample size beside it; the
learned multiplier shrinks it toward 1 for small samples: ``m = 1 + (median - 1) * n /
(n + k)`` (``k`` = :data:`SHRINKAGE` unless told otherwise).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING

from allocator.status.earned import measure_tasks, measure_timeline
from models.status import Accuracy, EstimateReview

if TYPE_CHECKING:
    from allocator.problem.calendar import Timeline
    from allocator.status.earned import TaskMeasure
    from allocator.status.inputs import Measured
    from models.status import Dimension

#: Samples at which the multiplier goes half-way from 1 to the median.
SHRINKAGE = 5.0


def shrunk_multiplier(ratios: list[float], shrinkage: float = SHRINKAGE) -> float:
    """``1 + (median - 1) * n / (n + k)``: the median ratio shrunk toward 1 for small samples."""
    if not ratios:
        return 1.0
    count = len(ratios)
    return 1.0 + (median(ratios) - 1.0) * count / (count + shrinkage)


@dataclass(frozen=True)
class Sample:
    """One estimate and what the work took, for one group of one dimension."""

    dimension: Dimension
    key: str
    estimated: float
    actual: float
    slip: int | None

    @property
    def ratio(self) -> float:
        """Actual over estimated effort."""
        return self.actual / self.estimated


def task_slip(measured: Measured, measure: TaskMeasure, timeline: Timeline) -> int | None:
    """Working days a finished task took beyond its planned working days (``None`` when not finished)."""
    entry = measured.by_task().get(measure.task)
    if entry is None or entry.status != "done" or entry.actual_start is None or entry.actual_finish is None:
        return None
    start, finish = (
        timeline.day_on_or_after(entry.actual_start),
        timeline.day_on_or_before(entry.actual_finish),
    )
    return (finish - start + 1) - (measure.window[1] - measure.window[0])


def task_samples(measured: Measured, measure: TaskMeasure, timeline: Timeline) -> list[Sample]:
    """The task as a sample of its project and of each skill it requires."""
    if measure.planned_effort is None or measure.status == "not_started":
        return []
    _, task = measured.scenario.task_index()[measure.task]
    actual, slip = measure.booked + measure.remaining, task_slip(measured, measure, timeline)
    keys: list[tuple[Dimension, str]] = [("project", measure.project)]
    keys.extend(("skill", skill) for skill in sorted({r.skill for r in task.requires}))
    return [Sample(dimension, key, measure.planned_effort, actual, slip) for dimension, key in keys]


def resource_samples(measured: Measured, measure: TaskMeasure, timeline: Timeline) -> list[Sample]:
    """Each person's and vendor's part of the task as a sample (people also count for their team)."""
    if measure.planned_effort is None or measure.status == "not_started":
        return []
    plan = next(tp for tp in measured.baseline.tasks if tp.task == measure.task)
    planned: dict[str, float] = defaultdict(float)
    for row in plan.assignments:
        planned[row.resource] += row.effort
    booked: dict[str, float] = defaultdict(float)
    for booking in measured.bookings:
        if booking.task == measure.task:
            booked[booking.person] += booking.days
    total, slip = sum(planned.values()), task_slip(measured, measure, timeline)
    people, samples = measured.scenario.person_index(), []
    for resource, estimated in planned.items():
        if estimated <= 0:
            continue
        actual = booked[resource] + measure.remaining * estimated / total
        if resource in people:
            samples.append(Sample("person", resource, estimated, actual, slip))
            if people[resource].team:
                samples.append(Sample("team", people[resource].team, estimated, actual, slip))
        else:
            samples.append(Sample("vendor", resource, estimated, actual, slip))
    return samples


def accuracy(samples: list[Sample], shrinkage: float = SHRINKAGE) -> list[Accuracy]:
    """One :class:`Accuracy` per dimension and key, by dimension then key."""
    groups: dict[tuple[Dimension, str], list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[sample.dimension, sample.key].append(sample)
    order = ("skill", "team", "person", "vendor", "project")
    result = []
    for (dimension, key), group in sorted(groups.items(), key=lambda g: (order.index(g[0][0]), g[0][1])):
        ratios = [s.ratio for s in group]
        slips = [s.slip for s in group if s.slip is not None]
        result.append(
            Accuracy(
                dimension=dimension,
                key=key,
                samples=len(group),
                estimated=sum(s.estimated for s in group),
                actual=sum(s.actual for s in group),
                ratio=median(ratios),
                multiplier=shrunk_multiplier(ratios, shrinkage),
                slip=float(median(slips)) if slips else None,
                slip_samples=len(slips),
            )
        )
    return result


def review_estimates(measured: Measured, shrinkage: float = SHRINKAGE) -> EstimateReview:
    """Estimate accuracy of the finished and partly finished work of ``measured``."""
    timeline = measure_timeline(measured)
    measures = measure_tasks(measured, timeline)
    samples = [
        sample
        for measure in measures
        for sample in (
            *task_samples(measured, measure, timeline),
            *resource_samples(measured, measure, timeline),
        )
    ]
    reviewed = [m for m in measures if m.status != "not_started" and m.planned_effort is not None]
    method = (
        "median of actual / estimated effort over the samples, shrunk toward 1: "
        f"m = 1 + (median - 1) * n / (n + {shrinkage:g})"
    )
    return EstimateReview(
        scenario=measured.scenario.name,
        tasks_reviewed=len(reviewed),
        tasks_done=sum(1 for m in reviewed if m.status == "done"),
        method=method,
        shrinkage=shrinkage,
        accuracy=tuple(accuracy(samples, shrinkage)),
    )
