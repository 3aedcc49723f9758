"""Re-timing a plan for many samples at once: arrays of shape ``[samples]`` per task.

Tasks are taken in the model's order (every source before the task it holds back). A
task starts at the latest of its floor, its vendors' lead times (slipped where an event
says so), its FS and SS predecessors and the tasks planned before it on its people,
vendors and shared resources. An effort-driven task then lasts until its team has
delivered the sampled effort on its working days (an absent person delivers nothing);
a fixed-duration task waits for a window of the sampled length in which its whole team
is present; a milestone is reached when what it waits for is. FF and SF dependencies
hold the end back as in the planning rules (``docs/planning-rules.md``).

Alongside every start and end the source that set it is kept (``2 * task + point``;
``NO_SOURCE`` for the task's own floor, ``OWN_WORK`` for an end set by the work from the
start), from which the chains that set each project's finish are traced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from allocator.risk.model import END, Source, team_cumulative, team_present

if TYPE_CHECKING:
    from allocator.risk.events import EventTable
    from allocator.risk.model import RetimeModel, TaskShape

NO_SOURCE = -1
OWN_WORK = -2


@dataclass
class Timing:
    """Start and end (exclusive) timeline day of every task in every sample, ``[tasks, samples]``."""

    start: np.ndarray
    end: np.ndarray
    start_source: np.ndarray
    end_source: np.ndarray
    overrun: np.ndarray  #: ``[samples]``: some task ran past the end of the timeline


def retime(model: RetimeModel, work: np.ndarray, happen: np.ndarray, events: EventTable) -> Timing:
    """Start and end of every task of ``model`` in every sample.

    Parameters
    ----------
    model
        The plan's tasks, teams and order.
    work
        Work of each task in each sample, ``[tasks, samples]``: effort units for
        effort-driven tasks, working days for fixed-duration ones.
    happen
        Which events happen in each sample, ``[events, samples]``.
    events
        The events' impacts on absences and vendor lead times.
    """
    count, samples = work.shape
    timing = Timing(
        start=np.zeros((count, samples), dtype=np.int64),
        end=np.zeros((count, samples), dtype=np.int64),
        start_source=np.full((count, samples), NO_SOURCE, dtype=np.int32),
        end_source=np.full((count, samples), OWN_WORK, dtype=np.int32),
        overrun=np.zeros(samples, dtype=bool),
    )
    for shape in model.tasks:
        _place(model, shape, work[shape.index], happen, events, timing)
    return timing


def _place(
    model: RetimeModel,
    shape: TaskShape,
    work: np.ndarray,
    happen: np.ndarray,
    events: EventTable,
    timing: Timing,
) -> None:
    floor = _floor(model, shape, happen, events, len(work))
    start, start_source = _latest(floor, shape.starts, timing)
    end_floor, end_source = _latest(np.zeros_like(floor), shape.ends, timing)
    index, horizon = shape.index, model.horizon
    if shape.kind == "effort":
        end = _effort_end(model, shape, np.minimum(start, horizon), work, happen, events)
        held = end_floor > end
        end = np.maximum(end, end_floor)
        timing.end_source[index] = np.where(held, end_source, OWN_WORK)
    else:
        days = (
            np.maximum(np.rint(work), 0).astype(np.int64) if shape.kind == "fixed" else np.zeros_like(start)
        )
        pushed = end_floor - days > start
        start = np.where(pushed, end_floor - days, start)
        start_source = np.where(pushed, end_source, start_source)
        if shape.kind == "fixed":
            fitted = _present_start(model, shape, np.minimum(start, horizon), days, happen, events)
            start_source = np.where(fitted > start, NO_SOURCE, start_source)  # waited for its team
            start = fitted
        end = start + days
    timing.overrun |= end > horizon
    timing.start[index] = np.minimum(start, horizon)
    timing.end[index] = np.minimum(end, horizon)
    timing.start_source[index] = start_source


def _floor(
    model: RetimeModel, shape: TaskShape, happen: np.ndarray, events: EventTable, samples: int
) -> np.ndarray:
    """The task's own floor and its vendors' lead times, slipped in the samples an event hits."""
    floor = np.full(samples, shape.floor, dtype=np.int64)
    for vendor in shape.vendors:
        lead = np.full(samples, model.lead_days[vendor], dtype=np.int64)
        for slip in events.slips:
            if slip.vendor == vendor:
                lead += slip.days * happen[slip.event]
        floor = np.maximum(floor, lead)
    return floor


def _latest(floor: np.ndarray, sources: list[Source], timing: Timing) -> tuple[np.ndarray, np.ndarray]:
    """The latest of ``floor`` and every source's day plus lag, with the source that set it."""
    if not sources:
        return floor, np.full(floor.shape, NO_SOURCE, dtype=np.int32)
    days = [floor]
    for source in sources:
        points = timing.end if source.point == END else timing.start
        days.append(points[source.task] + source.lag)
    stacked = np.stack(days)
    which = np.argmax(stacked, axis=0)
    codes = np.array([NO_SOURCE, *(2 * s.task + s.point for s in sources)], dtype=np.int32)
    return stacked.max(axis=0), codes[which]


def _absence_groups(
    shape: TaskShape, happen: np.ndarray, events: EventTable, samples: int
) -> tuple[list, np.ndarray]:
    """The absences of the team's people, and per sample which of them happen (as one key)."""
    absences = [a for a in events.absences if a.person in shape.people]
    key = np.zeros(samples, dtype=np.int64)
    for bit, absence in enumerate(absences[:62]):
        key |= happen[absence.event].astype(np.int64) << bit
    return absences[:62], key


def _presence_with(model: RetimeModel, absences: list, key: int) -> dict[str, np.ndarray]:
    """Presence per person with the absences of ``key`` taken out."""
    presence = dict(model.presence)
    for bit, absence in enumerate(absences):
        if key >> bit & 1:
            changed = presence[absence.person].copy()
            changed[absence.first : absence.end] = 0
            presence[absence.person] = changed
    return presence


def _effort_end(
    model: RetimeModel,
    shape: TaskShape,
    start: np.ndarray,
    work: np.ndarray,
    happen: np.ndarray,
    events: EventTable,
) -> np.ndarray:
    """First day by whose end the team has delivered ``work`` from ``start`` (at least one day)."""
    assert shape.cumulative is not None
    units = np.maximum(np.rint(work), 0).astype(np.int64)
    absences, key = _absence_groups(shape, happen, events, len(work))
    end = np.empty_like(start)
    for value in np.unique(key):
        cumulative = shape.cumulative
        if value:
            presence = _presence_with(model, absences, int(value))
            cumulative = team_cumulative(shape.people, shape.vendors, presence, model.contractor_days)
        chosen = key == value
        target = cumulative[start[chosen]] + units[chosen]
        end[chosen] = np.searchsorted(cumulative, target, side="left")
    return np.maximum(end, start + 1)


def _present_start(
    model: RetimeModel,
    shape: TaskShape,
    start: np.ndarray,
    days: np.ndarray,
    happen: np.ndarray,
    events: EventTable,
) -> np.ndarray:
    """First start on or after ``start`` of a window of ``days`` with the whole team present."""
    assert shape.present is not None
    absences, key = _absence_groups(shape, happen, events, len(start))
    moved = np.empty_like(start)
    for value in np.unique(key):
        present = shape.present
        if value:
            present = team_present(shape.people, _presence_with(model, absences, int(value)), model.horizon)
        chosen = key == value
        for length in np.unique(days[chosen]):
            rows = chosen & (days == length)
            moved[rows] = first_fit(present, int(length))[start[rows]]
    return moved


def first_fit(present: np.ndarray, length: int) -> np.ndarray:
    """For each day ``d`` (and one past the last), the first start ``>= d`` of ``length`` present days.

    ``len(present)`` (past the end of the timeline) where no window fits.
    """
    horizon = len(present)
    if length == 0:
        return np.arange(horizon + 1)
    days = np.arange(horizon)
    absent = np.where(~present, days, horizon)
    next_absent = np.minimum.accumulate(absent[::-1])[::-1]
    fits = (next_absent - days >= length) & (days + length <= horizon)
    starts = np.where(fits, days, horizon)
    first = np.minimum.accumulate(starts[::-1])[::-1]
    return np.concatenate((first, [horizon]))
