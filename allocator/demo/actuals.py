"""A quarter as it happened: actuals and bookings of a baseline plan, simulated with overruns.

The bundled ``scenarios/status/`` files come from here. Each task's effort grows by its
skills' overrun (``SKILL_OVERRUN``) and a little noise; contractors of
``VENDOR_OVERRUN`` vendors take longer still. A quarter of the extra effort is absorbed
by longer days (so some people are booked over capacity), the rest lengthens the task,
and a task starts no earlier than its finish-to-start predecessors allow. Remaining effort
in progress is what the work really took, less what is booked.

Run ``python -m allocator.demo.actuals SCENARIO BASELINE AS_OF OUT_PREFIX`` to write
``OUT_PREFIX-actuals.csv`` and ``OUT_PREFIX-bookings.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from allocator.plan.figures import task_window
from allocator.problem.calendar import Timeline, Workdays
from models import DependencyType

if TYPE_CHECKING:
    from models import Person, Plan, Scenario, TaskPlan

SKILL_OVERRUN = {"backend": 1.40, "qa": 1.30, "data": 1.15}
VENDOR_OVERRUN = {"skyforge": 1.50}
NOISE = 0.08


@dataclass(frozen=True)
class Happened:
    """What one task took: its real window (timeline days) and each assignee's real effort."""

    task: str
    start: int
    finish: int  #: last working day (inclusive); ``start - 1`` for a milestone
    effort: dict[str, float]


def _factor(scenario: Scenario, tp: TaskPlan, rng: random.Random) -> float:
    _, task = scenario.task_index()[tp.task]
    skills = [r.skill for r in task.requires] or ["none"]
    mean = sum(SKILL_OVERRUN.get(s, 1.0) for s in skills) / len(skills)
    return mean * (1 + rng.uniform(-NOISE, NOISE))


def simulate(scenario: Scenario, baseline: Plan, seed: int = 0) -> dict[str, Happened]:
    """The whole quarter as it happened, task by task, in baseline order."""
    rng, timeline = random.Random(seed), quarter_timeline(scenario, baseline)
    happened: dict[str, Happened] = {}
    index = scenario.task_index()
    for tp in sorted(baseline.tasks, key=lambda t: (t.start, t.task)):
        start, end = task_window(timeline, tp)
        days = end - start
        for dep in index[tp.task][1].after:
            before = happened.get(dep.task)
            if before is not None and dep.type == DependencyType.FS:
                start = max(start, before.finish + 1 + dep.lag)
        factor = _factor(scenario, tp, rng)
        effort = {
            row.resource: row.effort * factor * VENDOR_OVERRUN.get(row.resource, 1.0)
            for row in tp.assignments
        }
        planned = sum(row.effort for row in tp.assignments)
        growth = sum(effort.values()) / planned if planned > 0 else 1.0
        length = math.ceil(days * (1 + 3 * (growth - 1) / 4)) if days else 0
        happened[tp.task] = Happened(tp.task, start, start + length - 1, effort)
    return happened


def quarter_timeline(scenario: Scenario, baseline: Plan) -> Timeline:
    """A timeline long enough for the overruns."""
    return Timeline(scenario, max(tp.finish for tp in baseline.tasks) + dt.timedelta(days=200))


def snapshot(
    scenario: Scenario, baseline: Plan, happened: dict[str, Happened], as_of: dt.date
) -> tuple[str, str]:
    """The actuals CSV and the bookings CSV of ``happened`` as of ``as_of``."""
    timeline = quarter_timeline(scenario, baseline)
    workdays, people = Workdays(scenario, timeline), scenario.person_index()
    today = timeline.day_on_or_before(as_of)
    actuals, bookings = io.StringIO(), io.StringIO()
    rows = csv.writer(actuals, lineterminator="\n")
    rows.writerow(
        ["task", "status", "actual_start", "actual_finish", "remaining_effort", "remaining_days", "assignees"]
    )
    booked = csv.writer(bookings, lineterminator="\n")
    booked.writerow(["person", "task", "week", "days"])
    fixed = {task.id for _, task in scenario.tasks() if task.effort is None and not task.modes}
    for tp in baseline.tasks:
        what = happened[tp.task]
        if what.start > today:
            continue
        week_days = _bookings(what, workdays, people, today)
        for (who, week), days in sorted(week_days.items()):
            if days >= 0.05:
                booked.writerow([who, tp.task, week, f"{days:.1f}"])
        done = what.finish <= today
        spent = sum(round(d, 1) for d in week_days.values())
        remaining = "" if done else f"{max(sum(what.effort.values()) - spent, 0.5):.1f}"
        left_days = ""
        if not done and tp.task in fixed:
            left_days, remaining = str(what.finish - today), ""
        finish = timeline.date(max(what.finish, what.start)).isoformat() if done else ""
        team = ";".join(row.resource for row in tp.assignments)
        status = "done" if done else "in_progress"
        rows.writerow(
            [tp.task, status, timeline.date(what.start).isoformat(), finish, remaining, left_days, team]
        )
    return actuals.getvalue(), bookings.getvalue()


def _bookings(
    what: Happened, workdays: Workdays, people: dict[str, Person], today: int
) -> dict[tuple[str, str], float]:
    """Each assignee's effort spread over the days they are present in the task's real window."""
    result: dict[tuple[str, str], float] = defaultdict(float)
    days = range(what.start, what.finish + 1)
    for who, effort in what.effort.items():
        weights = [_presence(workdays, people.get(who), day) for day in days]
        total = sum(weights)
        for day, weight in zip(days, weights, strict=True):
            if day <= today and total > 0:
                year, week, _ = workdays.timeline.date(day).isocalendar()
                result[who, f"{year}-W{week:02d}"] += effort * weight / total
    return result


def _presence(workdays: Workdays, person: Person | None, day: int) -> float:
    if person is None:
        return float(workdays.scenario_working_days(day, day + 1))
    return workdays.presence(person)[day] / 100


def main(argv: list[str]) -> None:  # pragma: no cover - a data-making script
    """Write the actuals and bookings CSVs of a simulated quarter."""
    from allocator.io import atomic_write_text, load_plan, load_scenario

    scenario, baseline = load_scenario(argv[0]), load_plan(argv[1])
    happened = simulate(scenario, baseline)
    actuals, bookings = snapshot(scenario, baseline, happened, dt.date.fromisoformat(argv[2]))
    atomic_write_text(Path(f"{argv[3]}-actuals.csv"), actuals)
    atomic_write_text(Path(f"{argv[3]}-bookings.csv"), bookings)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
