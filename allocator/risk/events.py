"""Risk events in each sample: whether they happen, and what they change.

An event with a driver happens only in the samples where its driver happens, with its
own probability then; events on one driver therefore happen together more often than
independent ones (the chance of an event is its driver's times its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from allocator.risk.model import HANDOVER_DAYS

if TYPE_CHECKING:
    from allocator.problem.calendar import Timeline
    from allocator.problem.data import Problem
    from allocator.risk.model import RetimeModel
    from models.risk import RiskSpec


@dataclass(frozen=True)
class Absence:
    """A person away on timeline days ``[first, end)`` when event ``event`` happens.

    An absence without an end is a person gone for good: after :data:`HANDOVER_DAYS`
    someone carries on their work, as for a leaver.
    """

    event: int
    person: str
    first: int
    end: int


@dataclass(frozen=True)
class Slip:
    """A vendor whose contractors start ``days`` working days later when ``event`` happens."""

    event: int
    vendor: str
    days: int


@dataclass(frozen=True)
class Growth:
    """Task number ``task`` of the model has ``factor`` times the work when ``event`` happens."""

    event: int
    task: int
    factor: float


@dataclass(frozen=True)
class EventTable:
    """The events of a scenario in the terms of one re-timing model."""

    ids: tuple[str, ...]
    probabilities: np.ndarray
    drivers: np.ndarray  #: index into ``driver_probabilities`` per event, -1 without one
    driver_probabilities: np.ndarray
    absences: tuple[Absence, ...]
    slips: tuple[Slip, ...]
    growths: tuple[Growth, ...]

    @property
    def width(self) -> int:
        """Uniform draws each sample needs for its events and drivers."""
        return len(self.ids) + len(self.driver_probabilities)

    def happen(self, uniforms: np.ndarray) -> np.ndarray:
        """Which events happen, ``[events, samples]``, from draws ``[samples, width]``."""
        count = len(self.ids)
        if not count:
            return np.zeros((0, len(uniforms)), dtype=bool)
        draws, driver_draws = uniforms[:, :count].T, uniforms[:, count:].T
        own = np.less(draws, self.probabilities[:, None])
        driven = np.less(driver_draws, self.driver_probabilities[:, None])
        needed = np.ones_like(own)
        has_driver = self.drivers >= 0
        needed[has_driver] = driven[self.drivers[has_driver]]
        return own & needed


def event_table(problem: Problem, model: RetimeModel) -> EventTable:
    """The events of the scenario's ``risk`` section, resolved on ``problem``'s timeline."""
    scenario = problem.scenario
    risk = scenario.risk
    if risk is None:
        empty = np.zeros(0)
        return EventTable((), empty, np.zeros(0, dtype=int), empty, (), (), ())
    drivers = {driver.id: i for i, driver in enumerate(risk.drivers)}
    return EventTable(
        ids=tuple(e.id for e in risk.events),
        probabilities=np.array([e.probability for e in risk.events], dtype=float),
        drivers=np.array([drivers.get(e.driver, -1) if e.driver else -1 for e in risk.events], dtype=int),
        driver_probabilities=np.array([d.probability for d in risk.drivers], dtype=float),
        absences=_absences(risk, problem.timeline, model.horizon),
        slips=tuple(
            Slip(i, e.vendor, e.lead_time_slip)
            for i, e in enumerate(risk.events)
            if e.vendor is not None and e.lead_time_slip is not None
        ),
        growths=_growths(risk, model),
    )


def _absences(risk: RiskSpec, timeline: Timeline, horizon: int) -> tuple[Absence, ...]:
    found = []
    for i, event in enumerate(risk.events):
        if event.person is None or event.unavailable_from is None:
            continue
        first = timeline.day_on_or_after(event.unavailable_from)
        until = event.unavailable_until
        end = first + HANDOVER_DAYS if until is None else timeline.day_on_or_before(until) + 1
        end = min(end, horizon)
        if end > first:
            found.append(Absence(i, event.person, first, end))
    return tuple(found)


def _growths(risk: RiskSpec, model: RetimeModel) -> tuple[Growth, ...]:
    found = []
    for i, event in enumerate(risk.events):
        if event.effort_growth is None:
            continue
        factor = 1 + event.effort_growth / 100
        for shape in model.tasks:
            if shape.id == event.task or shape.project == event.project:
                found.append(Growth(i, shape.index, factor))
    return tuple(found)
