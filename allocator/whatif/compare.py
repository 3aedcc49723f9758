"""The comparison of a base plan with its variants: KPIs, project finishes, who moved.

Every figure comes from the plans themselves (their recomputed KPIs and dates). A
difference is *flagged* when it is no larger than what the solver gaps of the two
plans could explain, so solver noise is not read as an effect of a change. A stage
without a known bound (never solved, or a bound of 0 under a positive objective) proves
nothing, so its gap counts as unlimited and every difference it touches is flagged.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allocator.problem.calendar import WorkingCalendar
from models.plan import stage_gap

if TYPE_CHECKING:
    from collections.abc import Callable

    from allocator.whatif.executors import JobOutcome
    from models import Plan, ProjectBound, ProjectPlan, Scenario
    from models.plan import StageResult

Value = float | int | dt.date | None


@dataclass(frozen=True)
class Column:
    """One plan of the comparison: the base or a variant.

    ``gap`` is the first objective stage's; ``None`` where no bound is known (or no
    stage was solved).
    """

    name: str
    changes: tuple[str, ...]
    status: str
    gap: float | None
    plan: Plan | None
    reasons: tuple[str, ...] = ()

    @property
    def first_stage(self) -> StageResult | None:
        """The plan's first objective stage (``None`` without a plan or a solved stage)."""
        if self.plan is None or self.plan.solver is None or not self.plan.solver.stages:
            return None
        return self.plan.solver.stages[0]

    @property
    def objective(self) -> float | None:
        """The first stage's objective."""
        stage = self.first_stage
        return None if stage is None else stage.objective

    @property
    def bound(self) -> float | None:
        """The first stage's proven bound; ``None`` where none is known."""
        stage = self.first_stage
        return None if stage is None or stage_gap(stage) is None else stage.bound

    @property
    def project_bounds(self) -> dict[str, ProjectBound]:
        """Per project, the lateness every plan of this column's scenario must accept."""
        if self.plan is None or self.plan.solver is None:
            return {}
        return {b.project: b for b in self.plan.solver.project_bounds}


@dataclass(frozen=True)
class Kpi:
    """A KPI the comparison shows: key, label, how to read it, the objective term it follows."""

    key: str
    label: str
    read: Callable[[Plan], Value]
    term: str | None  #: objective term whose stage gap explains noise in this KPI


def _shortage_total(plan: Plan) -> float:
    return round(sum(plan.kpis.skill_shortages.values()), 1)


KPIS: tuple[Kpi, ...] = (
    Kpi("projects_on_time", "projects on time", lambda p: p.kpis.projects_on_time, "lateness"),
    Kpi("projects_late", "projects late", lambda p: p.kpis.projects_late, "lateness"),
    Kpi("weighted_late_days", "priority-weighted late days", lambda p: p.kpis.weighted_late_days, "lateness"),
    Kpi("latest_finish", "latest finish", lambda p: p.kpis.latest_finish, "finish"),
    Kpi("vendor_days", "vendor days", lambda p: round(p.kpis.vendor_days, 1), "cost"),
    Kpi("vendor_cost", "vendor spend", lambda p: round(p.kpis.vendor_cost, 2), "cost"),
    Kpi(
        "average_utilisation",
        "average utilisation %",
        lambda p: round(100 * p.kpis.average_utilisation, 1),
        None,
    ),
    Kpi("peak_utilisation", "peak utilisation %", lambda p: round(100 * p.kpis.peak_utilisation, 1), None),
    Kpi("people_over_target", "people over 100 %", lambda p: p.kpis.people_over_target, None),
    Kpi("projects_deferred", "deferred candidates", lambda p: p.kpis.projects_deferred, "deferral"),
    Kpi("skill_shortage_days", "skill shortages (person-days)", _shortage_total, "cost"),
)


@dataclass
class KpiRow:
    """One KPI across the columns, with deltas against the base and noise flags."""

    key: str
    label: str
    values: list[Value]
    deltas: list[float | None]
    flags: list[bool]


@dataclass
class ProjectRow:
    """Forecast finish of one project in every column, and its move against the base."""

    project: str
    deadline: dt.date | None
    finishes: list[dt.date | None]
    deferred: list[bool]
    delta_days: list[int | None]
    delta_working_days: list[int | None]
    flags: list[bool]
    #: Per column, the working days late the project is in every plan (``None``: none proven).
    late_at_least: list[int | None] = field(default_factory=list)
    #: Per column, why (the bound's one-line reason; ``""`` where none is proven).
    bound_reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Mover:
    """A person whose work differs between the base and a variant."""

    variant: str
    person: str
    before: tuple[str, ...]  #: projects in the base plan
    after: tuple[str, ...]  #: projects in the variant plan
    tasks_changed: int


@dataclass
class Comparison:
    """A base plan and its variants side by side."""

    columns: list[Column]
    kpis: list[KpiRow]
    projects: list[ProjectRow]
    movers: list[Mover]
    shortages: dict[str, list[float]] = field(default_factory=dict)
    currency: str = "EUR"

    @property
    def names(self) -> list[str]:
        """Column names, base first."""
        return [column.name for column in self.columns]


def stage_noise(plan: Plan | None, term: str | None) -> float:
    """Objective gap (objective - bound) of the stage that weighs ``term`` in ``plan``.

    ``inf`` when nothing is proven about the stage: it was never solved, or no bound is
    known (a bound of 0 under a positive objective, see
    :func:`models.plan.stage_gap`). 0 when ``term`` is not an objective term
    or its stage was proven optimal.
    """
    if term is None or plan is None or plan.solver is None:
        return 0.0
    for stage in plan.solver.stages:
        if term in stage.terms:
            if stage_gap(stage) is None:
                return math.inf
            return abs(stage.objective - stage.bound) / max(1, stage.terms[term])
    return math.inf


def _numeric_delta(value: Value, base: Value, calendar: WorkingCalendar) -> float | None:
    if value is None or base is None:
        return None
    if isinstance(value, dt.date) and isinstance(base, dt.date):
        return working_days_between(calendar, base, value)
    assert isinstance(value, int | float) and isinstance(base, int | float)
    return round(value - base, 2)


def working_days_between(calendar: WorkingCalendar, first: dt.date, second: dt.date) -> int:
    """Signed count of working days from ``first`` to ``second`` (0 when equal)."""
    low, high = sorted((first, second))
    count = sum(
        1
        for offset in range(1, (high - low).days + 1)
        if calendar.is_working_day(low + dt.timedelta(days=offset))
    )
    return count if second >= first else -count


def _flag(delta: float | None, noise: float) -> bool:
    return delta is not None and delta != 0 and abs(delta) <= noise


def _kpi_rows(columns: list[Column], calendar: WorkingCalendar) -> list[KpiRow]:
    base = columns[0].plan
    rows = []
    for kpi in KPIS:
        values = [kpi.read(c.plan) if c.plan else None for c in columns]
        deltas = [_numeric_delta(v, values[0], calendar) for v in values]
        flags = [
            _flag(d, stage_noise(base, kpi.term) + stage_noise(c.plan, kpi.term))
            for d, c in zip(deltas, columns, strict=True)
        ]
        rows.append(KpiRow(kpi.key, kpi.label, values, deltas, flags))
    return rows


def _project_rows(
    scenarios: list[Scenario], columns: list[Column], calendar: WorkingCalendar
) -> list[ProjectRow]:
    order: dict[str, dt.date | None] = {}
    for scenario in scenarios:
        for project in scenario.projects:
            order.setdefault(project.id, project.deadline)
    base = columns[0].plan
    rows = []
    for project_id, deadline in order.items():
        plans = [_project_plan(c.plan, project_id) for c in columns]
        finishes = [p.finish if p and not p.deferred else None for p in plans]
        delta_days = [None if f is None or finishes[0] is None else (f - finishes[0]).days for f in finishes]
        delta_work = [
            None if f is None or finishes[0] is None else working_days_between(calendar, finishes[0], f)
            for f in finishes
        ]
        noise = [stage_noise(base, "finish") + stage_noise(c.plan, "finish") for c in columns]
        flags = [_flag(d, n) for d, n in zip(delta_work, noise, strict=True)]
        deferred = [bool(p and p.deferred) for p in plans]
        bounds = [c.project_bounds.get(project_id) for c in columns]
        rows.append(
            ProjectRow(
                project_id,
                deadline,
                finishes,
                deferred,
                delta_days,
                delta_work,
                flags,
                late_at_least=[None if b is None else b.late_days for b in bounds],
                bound_reasons=["" if b is None else b.reason for b in bounds],
            )
        )
    return rows


def _project_plan(plan: Plan | None, project_id: str) -> ProjectPlan | None:
    if plan is None:
        return None
    return next((p for p in plan.projects if p.project == project_id), None)


def _work(plan: Plan) -> dict[str, tuple[set[str], set[str]]]:
    """Per person: the projects and the tasks they work on."""
    work: dict[str, tuple[set[str], set[str]]] = {}
    for task in plan.tasks:
        for row in task.assignments:
            if row.kind == "person":
                projects, tasks = work.setdefault(row.resource, (set(), set()))
                projects.add(task.project)
                tasks.add(task.task)
    return work


def who_moved(base: Plan, variant: Plan, name: str, top: int = 5) -> list[Mover]:
    """People whose projects (then tasks) changed most between ``base`` and ``variant``.

    Parameters
    ----------
    base, variant
        The two plans.
    name
        Variant name, recorded on each mover.
    top
        At most this many people, most changed first.
    """
    before, after = _work(base), _work(variant)
    empty: tuple[set[str], set[str]] = (set(), set())
    movers = []
    for person in sorted(set(before) | set(after)):
        (p0, t0), (p1, t1) = before.get(person, empty), after.get(person, empty)
        if p0 == p1 and t0 == t1:
            continue
        movers.append(
            (
                len(p0 ^ p1),
                len(t0 ^ t1),
                Mover(name, person, tuple(sorted(p0)), tuple(sorted(p1)), len(t0 ^ t1)),
            )
        )
    movers.sort(key=lambda item: (-item[0], -item[1], item[2].person))
    return [mover for _, _, mover in movers[:top]]


def _shortages(columns: list[Column]) -> dict[str, list[float]]:
    skills = sorted({s for c in columns if c.plan for s in c.plan.kpis.skill_shortages})
    return {
        skill: [round(c.plan.kpis.skill_shortages.get(skill, 0.0), 1) if c.plan else 0.0 for c in columns]
        for skill in skills
    }


def column(name: str, outcome: JobOutcome, changes: tuple[str, ...] = ()) -> Column:
    """A comparison column from a solve outcome.

    The gap is the first stage's, recomputed from its objective and bound (``None``
    where no bound is known), so a saved plan written before bounds were known reads
    "no bound" rather than a gap of 100 %.
    """
    plan = outcome.plan
    gap = None
    if plan is not None and plan.solver is not None:
        gap = stage_gap(plan.solver.stages[0]) if plan.solver.stages else plan.solver.gap
    return Column(name, changes, outcome.status.value, gap, plan, outcome.reasons)


def compare_plans(scenarios: list[Scenario], columns: list[Column], top_movers: int = 5) -> Comparison:
    """Compare the base (first column) with every variant.

    Parameters
    ----------
    scenarios
        The scenario behind each column, base first.
    columns
        The plans, base first.
    top_movers
        People listed per variant under "who moved".
    """
    base = scenarios[0]
    latest = max(
        [base.end, *(c.plan.kpis.latest_finish for c in columns if c.plan and c.plan.kpis.latest_finish)]
    )
    calendar = WorkingCalendar(base.calendar, base.start, latest + dt.timedelta(days=366))
    movers: list[Mover] = []
    base_plan = columns[0].plan
    for col in columns[1:]:
        if base_plan is not None and col.plan is not None:
            movers.extend(who_moved(base_plan, col.plan, col.name, top_movers))
    return Comparison(
        columns=columns,
        kpis=_kpi_rows(columns, calendar),
        projects=_project_rows(scenarios, columns, calendar),
        movers=movers,
        shortages=_shortages(columns),
        currency=base.currency,
    )
