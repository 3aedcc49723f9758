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

**Learned ranges.** Per skill with at least :data:`MIN_RANGE_SAMPLES` finished (done)
tasks requiring it, the 10th, 50th and 90th percentiles of those tasks' ratios (linear
interpolation between the sorted ratios, :func:`percentile`) are shrunk toward the
no-information range :data:`NO_INFORMATION` with the same weight ``w = n / (n + k)``:
``point = prior + (observed - prior) * w``. Stated relative to the calibrated effort (the
estimate times the skill's multiplier as written), each point is divided by the
multiplier, then written as percent over: ``100 * (point / m - 1)``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING

from allocator.status.earned import measure_tasks, measure_timeline
from models.status import Accuracy, EstimateReview, LearnedRange

if TYPE_CHECKING:
    from allocator.problem.calendar import Timeline
    from allocator.status.earned import TaskMeasure
    from allocator.status.inputs import Measured
    from models.status import Dimension

#: Samples at which the multiplier goes half-way from 1 to the median.
SHRINKAGE = 5.0
#: Digits the multipliers are written with (and divided out of the ranges with).
MULTIPLIER_DIGITS = 3
#: Finished tasks a skill needs before a range is learned for it.
MIN_RANGE_SAMPLES = 3
#: Percentiles of the ratios that give a range's low, likely and high.
RANGE_PERCENTILES = (10.0, 50.0, 90.0)
#: The range assumed without information (actual over estimated effort): -10 % to +30 %.
NO_INFORMATION = (0.9, 1.0, 1.3)
#: Decimals of the percentages of a learned estimate rule.
PERCENT_DIGITS = 1


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
    done: bool = False

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
    done = measure.status == "done"
    return [Sample(dimension, key, measure.planned_effort, actual, slip, done) for dimension, key in keys]


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


def percentile(values: list[float], percent: float) -> float:
    """The ``percent`` percentile of ``values``, interpolating linearly between the sorted values.

    With ``v`` sorted and ``n`` values, the position is ``h = (n - 1) * percent / 100``
    and the percentile ``v[floor(h)] + (h - floor(h)) * (v[floor(h) + 1] - v[floor(h)])``
    (numpy's default, Excel's ``PERCENTILE.INC``).
    """
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * percent / 100.0
    below = int(position)
    if below + 1 >= len(ordered):
        return ordered[-1]
    return ordered[below] + (position - below) * (ordered[below + 1] - ordered[below])


def shrunk_range(
    ratios: list[float], shrinkage: float = SHRINKAGE, prior: tuple[float, float, float] = NO_INFORMATION
) -> tuple[float, float, float]:
    """The 10th, 50th and 90th percentile of ``ratios``, each shrunk toward ``prior``.

    ``point = prior + (observed - prior) * n / (n + k)``: the same weight as the
    multiplier's, so five samples go half-way from the no-information range.
    """
    weight = len(ratios) / (len(ratios) + shrinkage) if ratios else 0.0
    observed = [percentile(ratios, q) if ratios else p for q, p in zip(RANGE_PERCENTILES, prior, strict=True)]
    low, likely, high = (p + (o - p) * weight for o, p in zip(observed, prior, strict=True))
    return low, likely, high


def over_calibrated(point: float, multiplier: float) -> float:
    """A ratio over the estimate as percent over the calibrated effort: ``100 * (point / m - 1)``."""
    return round(100.0 * (point / multiplier - 1.0), PERCENT_DIGITS) + 0.0  # + 0.0: no "-0"


def learned_ranges(
    samples: list[Sample], figures: list[Accuracy], shrinkage: float = SHRINKAGE
) -> list[LearnedRange]:
    """One range per skill with at least :data:`MIN_RANGE_SAMPLES` finished tasks, by skill."""
    finished: dict[str, list[float]] = defaultdict(list)
    for sample in samples:
        if sample.dimension == "skill" and sample.done:
            finished[sample.key].append(sample.ratio)
    multipliers = {a.key: round(a.multiplier, MULTIPLIER_DIGITS) for a in figures if a.dimension == "skill"}
    result = []
    for skill in sorted(finished):
        ratios = finished[skill]
        if len(ratios) < MIN_RANGE_SAMPLES:
            continue
        low, likely, high = shrunk_range(ratios, shrinkage)
        p10, p50, p90 = (percentile(ratios, q) for q in RANGE_PERCENTILES)
        m = multipliers[skill]
        result.append(
            LearnedRange(
                skill=skill,
                samples=len(ratios),
                p10=p10,
                p50=p50,
                p90=p90,
                low=low,
                likely=likely,
                high=high,
                multiplier=m,
                rule_low=over_calibrated(low, m),
                rule_likely=over_calibrated(likely, m),
                rule_high=over_calibrated(high, m),
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
    figures = accuracy(samples, shrinkage)
    prior = "/".join(f"{100 * (p - 1):+g}" if p != 1 else "0" for p in NO_INFORMATION)
    range_method = (
        f"per skill with at least {MIN_RANGE_SAMPLES} finished tasks: the 10th, 50th and 90th "
        f"percentiles of their actual / estimated effort, shrunk toward the no-information range "
        f"{prior} % with weight n / (n + {shrinkage:g}), divided by the skill's multiplier "
        "(percent over the calibrated effort)"
    )
    return EstimateReview(
        scenario=measured.scenario.name,
        tasks_reviewed=len(reviewed),
        tasks_done=sum(1 for m in reviewed if m.status == "done"),
        method=method,
        shrinkage=shrinkage,
        accuracy=tuple(figures),
        range_method=range_method,
        ranges=tuple(learned_ranges(samples, figures, shrinkage)),
    )
