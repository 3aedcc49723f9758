"""A status report: earned value, forecast and RAG per project and for the portfolio, the top
issues, and what changed since the previous report."""

from __future__ import annotations

from dataclasses import dataclass
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
from models.status import ProjectStatus, RiskSource, StatusReport

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from allocator.problem.calendar import Timeline
    from allocator.status.earned import TaskMeasure
    from allocator.status.inputs import Measured
    from allocator.status.replanned import Replanned
    from models.risk_report import RiskReport

#: The formulas every report states.
FORMULAS = (
    "PV: each task's planned cost spread evenly over the working days of its baseline window, "
    "summed up to the as-of date",
    "EV: sum of planned cost * share complete (done 100 %, in progress 1 - remaining / planned "
    "effort, not started 0)",
    "AC: booked days * the person's cost per day or the vendor's day rate, plus fixed costs of started tasks",
    "SPI = EV / PV, CPI = EV / AC, EAC = BAC / CPI",
)


def build_status(
    measured: Measured,
    previous: StatusReport | None = None,
    replanned: Replanned | None = None,
    risk: RiskReport | None = None,
) -> StatusReport:
    """The status report of ``measured`` (see :data:`FORMULAS` and the RAG rule).

    Parameters
    ----------
    measured
        Scenario, baseline, progress and bookings, checked together.
    previous
        The last status report, for the changes since then and earlier EV in the burn-up.
    replanned
        A verified re-plan of the work left: the forecast finishes come from it instead
        of from earned schedule.
    risk
        A risk analysis of the baseline, whose P80 finish and chance of meeting the
        deadline are shown beside each project's forecast.
    """
    timeline = measure_timeline(measured)
    measures = measure_tasks(measured, timeline)
    as_of_day = timeline.day_on_or_before(measured.as_of)
    forecast = _Forecast(replanned, risk)
    projects = tuple(
        _project_status(
            measured, [m for m in measures if m.project == project.id], timeline, previous, forecast
        )
        for project in measured.scenario.projects
        if any(m.project == project.id for m in measures)
    )
    portfolio = earned_value(measures, as_of_day)
    report = StatusReport(
        scenario=measured.scenario.name,
        as_of=measured.as_of,
        currency=measured.scenario.currency,
        forecast="earned_schedule" if replanned is None else "replan",
        forecast_method=FORECAST_METHOD if replanned is None else replanned.method(),
        replan=None if replanned is None else replanned.summary,
        risk=None
        if risk is None
        else RiskSource(samples=risk.samples, seed=risk.seed, early_starts=risk.early_starts),
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


@dataclass(frozen=True)
class _Forecast:
    """Where the forecast finishes come from, and the risk figures shown beside them."""

    replanned: Replanned | None = None
    risk: RiskReport | None = None

    def finish(
        self, measures: Sequence[TaskMeasure], measured: Measured, timeline: Timeline
    ) -> dt.date | None:
        """The project's forecast finish: from the re-plan where there is one, else by earned schedule."""
        as_of_day = timeline.day_on_or_before(measured.as_of)
        progress = measured.by_task()
        project = measures[0].project
        if self.replanned is not None and project in self.replanned.finishes:
            return self.replanned.finishes[project]
        if self.replanned is not None and all(m.status == "done" for m in measures):
            return forecast_finish(measures, progress, timeline, as_of_day)
        if self.replanned is not None:
            return None  # work left that the re-plan does not plan
        return forecast_finish(measures, progress, timeline, as_of_day)

    def risk_figures(self, project: str) -> tuple[dt.date | None, float | None]:
        """The P80 finish and the chance of meeting the deadline, from the risk analysis."""
        if self.risk is None:
            return None, None
        found = next((p for p in self.risk.projects if p.project == project), None)
        return (None, None) if found is None else (found.p80, found.on_time)


def _project_status(
    measured: Measured,
    measures: Sequence[TaskMeasure],
    timeline: Timeline,
    previous: StatusReport | None,
    forecast: _Forecast,
) -> ProjectStatus:
    project = next(p for p in measured.scenario.projects if p.id == measures[0].project)
    as_of_day = timeline.day_on_or_before(measured.as_of)
    value = earned_value(measures, as_of_day)
    finish = forecast.finish(measures, measured, timeline)
    late = late_days(timeline, finish, project.deadline)
    colour, reasons = rag(value, late)
    p80, on_time = forecast.risk_figures(project.id)
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
        forecast_late_days=late,
        risk_p80=p80,
        risk_on_time=on_time,
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
    if previous.forecast != current.forecast:
        names = {"earned_schedule": "earned schedule", "replan": "re-plan"}
        lines.append(f"forecast now by {names[current.forecast]} (was {names[previous.forecast]})")
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
