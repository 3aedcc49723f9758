"""Some samples re-planned by the optimiser instead of re-timed: what re-planning would recover.

A sample becomes a scenario of its own: each task's work is its sampled work, each
absence that happens is time off (a person gone for good leaves the day before), each
slip lengthens the vendor's lead time. It is solved warm-started from the plan, and its
priority-weighted late days are set against those of the same sample re-timed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from allocator.risk.estimates import sample_uniforms
from allocator.risk.sample import sample_work
from allocator.risk.stats import deadline_end
from allocator.search.solve import SolveOptions, solve_scenario
from models import TimeOff
from models.risk_report import Replanned

if TYPE_CHECKING:
    from allocator.problem.data import Problem
    from allocator.risk.model import TaskShape
    from allocator.risk.sample import RiskSetup
    from models import Mode, Person, Plan, Scenario, Task, Vendor
    from models.risk import RiskEvent

#: Smallest effort a sampled task keeps (a task must have some work to be planned).
LEAST_EFFORT = 0.01


@dataclass(frozen=True)
class ReplanSettings:
    """How many samples to re-plan and how long each may search."""

    samples: int
    time_limit: float = 10.0
    seed: int = 0


def replan_samples(
    problem: Problem, plan: Plan, setup: RiskSetup, finish: np.ndarray, seed: int, settings: ReplanSettings
) -> Replanned:
    """Re-plan the first ``settings.samples`` samples and compare them with their re-timing.

    Parameters
    ----------
    finish
        Re-timed end day of each project in each sample, ``[projects, samples]``.
    seed
        The analysis seed (the samples' draws).
    """
    scenario = problem.scenario
    count = min(settings.samples, finish.shape[1])
    uniforms = sample_uniforms(seed, 0, count, setup.width)
    happen = setup.events.happen(uniforms[:, len(setup.triangles) :])
    work = sample_work(setup, uniforms, happen)
    due = _due_days(problem, setup)
    priority = {p.id: p.priority for p in scenario.projects}
    retimed, replanned, kept = [], [], []
    shifts: dict[str, list[tuple[int, int]]] = {project: [] for project in setup.projects}
    for sample in range(count):
        variant = sampled_scenario(scenario, setup, work[:, sample], happen[:, sample])
        options = SolveOptions(time_limit=settings.time_limit, workers=1, seed=settings.seed, warm_start=plan)
        result = solve_scenario(variant, options)
        if result.plan is None:
            continue
        ends = {pp.project: pp.finish for pp in result.plan.projects if pp.finish is not None}
        row_ends = finish[:, sample]
        retimed.append(_late(dict(zip(setup.projects, row_ends, strict=True)), due, priority))
        planned_ends = {p: problem.timeline.day_on_or_before(day) + 1 for p, day in ends.items()}
        replanned.append(_late(planned_ends, due, priority))
        kept.append(sample)
        for row, project in enumerate(setup.projects):
            if project in planned_ends:
                shifts[project].append((int(row_ends[row]), planned_ends[project]))
    return Replanned(
        tried=count,
        samples=tuple(kept),
        retimed_late_days=round(float(np.mean(retimed)) if retimed else 0.0, 2),
        replanned_late_days=round(float(np.mean(replanned)) if replanned else 0.0, 2),
        projects={project: _mean_dates(problem, pairs) for project, pairs in shifts.items() if pairs},
    )


def _mean_dates(problem: Problem, pairs: list[tuple[int, int]]) -> tuple[dt.date, dt.date]:
    """The mean re-timed and re-planned finish dates of ``(end day, end day)`` pairs."""
    dates = problem.timeline.dates
    retimed = round(float(np.mean([a for a, _ in pairs])))
    replanned = round(float(np.mean([b for _, b in pairs])))
    return dates[max(retimed, 1) - 1], dates[max(replanned, 1) - 1]


def _due_days(problem: Problem, setup: RiskSetup) -> dict[str, int]:
    deadlines = {p.id: p.deadline for p in problem.scenario.projects}
    return {p: deadline_end(problem, d) for p in setup.projects if (d := deadlines.get(p)) is not None}


def _late(ends: dict[str, int], due: dict[str, int], priority: dict[str, int]) -> float:
    """Priority-weighted working days late over the projects with a deadline."""
    return float(sum(priority[p] * max(0, int(end) - due[p]) for p, end in ends.items() if p in due))


def sampled_scenario(scenario: Scenario, setup: RiskSetup, work: np.ndarray, happen: np.ndarray) -> Scenario:
    """The scenario of one sample: its work, its absences as time off, its vendor slips."""
    factors = {shape.id: (shape, float(work[shape.index])) for shape in setup.model.tasks}
    projects = tuple(
        project.model_copy(
            update={"tasks": tuple(_task(task, factors.get(task.id)) for task in project.tasks)}
        )
        for project in scenario.projects
    )
    events = scenario.risk.events if scenario.risk else ()
    happened = [event for event, on in zip(events, happen, strict=True) if on]
    people = tuple(_person(person, happened) for person in scenario.people)
    vendors = tuple(_vendor(vendor, happened) for vendor in scenario.vendors)
    return scenario.model_copy(
        update={"projects": projects, "people": people, "vendors": vendors, "risk": None}
    )


def _task(task: Task, sampled: tuple[TaskShape, float] | None) -> Task:
    if sampled is None:
        return task
    shape, work = sampled
    planned = float(shape.work)
    if planned <= 0:
        return task
    factor = work / planned
    if task.modes:
        return task.model_copy(update={"modes": tuple(_mode(mode, factor) for mode in task.modes)})
    if task.effort is not None:
        return task.model_copy(update={"effort": max(task.effort * factor, LEAST_EFFORT)})
    if task.duration:
        return task.model_copy(update={"duration": max(1, round(task.duration * factor))})
    return task


def _mode(mode: Mode, factor: float) -> Mode:
    if mode.effort is not None:
        return mode.model_copy(update={"effort": max(mode.effort * factor, LEAST_EFFORT)})
    if mode.duration:
        return mode.model_copy(update={"duration": max(1, round(mode.duration * factor))})
    return mode


def _person(person: Person, happened: list[RiskEvent]) -> Person:
    off = list(person.time_off)
    end = person.end
    for event in happened:
        if event.person != person.id or event.unavailable_from is None:
            continue
        if event.unavailable_until is None:  # gone for good: leaves the day before
            last = event.unavailable_from - dt.timedelta(days=1)
            end = last if end is None else min(end, last)
        else:
            off.append(TimeOff(start=event.unavailable_from, end=event.unavailable_until, reason=event.id))
    if person.start is not None and end is not None and end < person.start:
        end = person.start
    return person.model_copy(update={"time_off": tuple(off), "end": end})


def _vendor(vendor: Vendor, happened: list[RiskEvent]) -> Vendor:
    slip = sum(e.lead_time_slip or 0 for e in happened if e.vendor == vendor.id)
    return vendor.model_copy(update={"lead_time_days": vendor.lead_time_days + slip}) if slip else vendor
