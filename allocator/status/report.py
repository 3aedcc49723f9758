"""A status report: earned value, forecast and RAG per project and for the portfolio, the top
issues, and what changed since the previous report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.status.earned import burn_up, earned_value, measure_tasks, measure_timeline
from allocator.status.forecast import (
    FORECAST_METHOD,
    RAG_RULE,
    forecast_finish,
    late_days,
    portfolio_rag,
    rag,
)
from allocator.status.issues import top_issues
from models.status import ProjectStatus, StatusReport

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from allocator.problem.calendar import Timeline
    from allocator.status.earned import TaskMeasure
    from allocator.status.inputs import Measured

#: The formulas every report states.
FORMULAS = (
    "PV: each task's planned cost spread evenly over the working days of its baseline window, "
    "summed up to the as-of date",
    "EV: sum of planned cost * share complete (done 100 %, in progress 1 - remaining / planned "
    "effort, not started 0)",
    "AC: booked days * the person's cost per day or the vendor's day rate, plus fixed costs of started tasks",
    "SPI = EV / PV, CPI = EV / AC, EAC = BAC / CPI",
)


def build_status(measured: Measured, previous: StatusReport | None = None) -> StatusReport:
    """The status report of ``measured`` (see :data:`FORMULAS` and the RAG rule).

    Parameters
    ----------
    measured
        Scenario, baseline, progress and bookings, checked together.
    previous
        The last status report, for the changes since then and earlier EV in the burn-up.
    """
    timeline = measure_timeline(measured)
    measures = measure_tasks(measured, timeline)
    as_of_day = timeline.day_on_or_before(measured.as_of)
    projects = tuple(
        _project_status(measured, [m for m in measures if m.project == project.id], timeline, previous)
        for project in measured.scenario.projects
        if any(m.project == project.id for m in measures)
    )
    portfolio = earned_value(measures, as_of_day)
    report = StatusReport(
        scenario=measured.scenario.name,
        as_of=measured.as_of,
        currency=measured.scenario.currency,
        forecast_method=FORECAST_METHOD,
        rules=(*FORMULAS, RAG_RULE),
        portfolio=portfolio,
        portfolio_rag=portfolio_rag(portfolio, [p.rag for p in projects]),
        projects=projects,
        issues=top_issues(measured, measures, timeline),
        previous_as_of=previous.as_of if previous else None,
    )
    if previous is None:
        return report
    return report.model_copy(update={"changes": changes_since(previous, report)})


def _project_status(
    measured: Measured, measures: Sequence[TaskMeasure], timeline: Timeline, previous: StatusReport | None
) -> ProjectStatus:
    project = next(p for p in measured.scenario.projects if p.id == measures[0].project)
    as_of_day = timeline.day_on_or_before(measured.as_of)
    value = earned_value(measures, as_of_day)
    finish = forecast_finish(measures, measured.by_task(), timeline, as_of_day)
    colour, reasons = rag(value, late_days(timeline, finish, project.deadline))
    end = max(m.window[1] for m in measures)
    return ProjectStatus(
        project=project.id,
        name=project.name,
        value=value,
        tasks_total=len(measures),
        tasks_done=sum(1 for m in measures if m.status == "done"),
        tasks_in_progress=sum(1 for m in measures if m.status == "in_progress"),
        baseline_finish=timeline.date(max(end - 1, 0)),
        forecast_finish=finish,
        deadline=project.deadline,
        rag=colour,
        reasons=reasons,
        burnup=burn_up(measures, measured, timeline, _earlier_ev(previous, project.id)),
    )


def _earlier_ev(previous: StatusReport | None, project: str) -> dict[dt.date, float]:
    if previous is None:
        return {}
    for status in previous.projects:
        if status.project == project:
            return {p.day: p.ev for p in status.burnup if p.ev is not None}
    return {}


def changes_since(previous: StatusReport, current: StatusReport) -> tuple[str, ...]:
    """What changed from ``previous`` to ``current``, one plain sentence each."""
    lines: list[str] = []
    before = {p.project: p for p in previous.projects}
    for status in current.projects:
        old = before.get(status.project)
        if old is None:
            lines.append(f"{status.project}: new in this report")
            continue
        lines.extend(_project_changes(old, status))
    old_keys = {i.key for i in previous.issues}
    new_keys = {i.key for i in current.issues}
    lines.extend(f"new issue: {i.message}" for i in current.issues if i.key not in old_keys)
    resolved = [i for i in previous.issues if i.key not in new_keys]
    lines.extend(f"resolved: {i.message}" for i in resolved)
    return tuple(lines)


def _index_text(old: float | None, new: float | None) -> str:
    def show(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}"

    return f"{show(old)} → {show(new)}"


def _project_changes(old: ProjectStatus, new: ProjectStatus) -> list[str]:
    lines = []
    if old.rag != new.rag:
        lines.append(f"{new.project}: {old.rag.value} → {new.rag.value}")
    for name, first, second in (("SPI", old.value.spi, new.value.spi), ("CPI", old.value.cpi, new.value.cpi)):
        if (first is None or second is None or abs(first - second) >= 0.05) and first != second:
            lines.append(f"{new.project}: {name} {_index_text(first, second)}")
    if old.forecast_finish != new.forecast_finish:
        lines.append(f"{new.project}: forecast finish {old.forecast_finish} → {new.forecast_finish}")
    done = new.tasks_done - old.tasks_done
    if done > 0:
        lines.append(f"{new.project}: {done} more task{'s' if done > 1 else ''} done")
    return lines
