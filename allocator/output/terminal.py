"""Plans and checker reports as rich tables for the terminal."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table

from models.plan import NO_BOUND

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from allocator.search.solve import Progress
    from models import CheckReport, Plan, ProjectPlan, SolverInfo
    from models.plan import StageResult

#: People listed in the utilisation table, most loaded first.
TOP_PEOPLE = 10
#: Violations listed before the rest are only counted.
TOP_VIOLATIONS = 20


@dataclass(frozen=True)
class PersonLoad:
    """Load of one person over the whole plan, from the weekly loads."""

    person: str
    booked_days: float
    capacity_days: float
    peak: float  #: highest weekly utilisation
    weeks_over: int  #: weeks booked above capacity

    @property
    def utilisation(self) -> float:
        """Booked over capacity across all weeks (0 without capacity)."""
        return self.booked_days / self.capacity_days if self.capacity_days > 0 else 0.0


def render_plan(plan: Plan, console: Console, top: int = TOP_PEOPLE) -> None:
    """Print the summary of a plan: projects, people, vendors, shortages, solver and checker.

    Parameters
    ----------
    plan
        The plan to describe.
    console
        Where to print (standard output for the command line).
    top
        How many of the most loaded people to list.
    """
    console.print(f"[bold]Plan for {plan.scenario}[/bold]  (scenario {plan.scenario_hash[:12]})")
    console.print(_projects_table(plan))
    console.print(_people_table(plan, top))
    if plan.kpis.overtime_hours > 0:
        console.print(_overtime_table(plan))
    if plan.vendors:
        console.print(_vendors_table(plan))
    else:
        console.print("Vendors: none used")
    console.print(_shortages_line(plan))
    if plan.solver is not None:
        console.print(solver_line(plan.solver))
        for line in bound_lines(plan.solver):
            console.print(line, markup=False)
    for line in explanation_lines(plan):
        console.print(line, markup=False)
    console.print(_checker_line(plan.check))
    for warning in plan.warnings:
        console.print(f"warning: {warning}", markup=False)


def render_check(report: CheckReport, console: Console) -> None:
    """Print a checker report: each violation, each warning and the verdict.

    Parameters
    ----------
    report
        What :func:`allocator.checker.check_plan` found.
    console
        Where to print.
    """
    if report.violations:
        console.print(violations_table(report))
    for warning in report.warnings:
        console.print(f"warning: {warning}", markup=False)
    console.print(_checker_line(report))


def violations_table(report: CheckReport, limit: int = TOP_VIOLATIONS) -> Table:
    """The first ``limit`` violations as a table of rule, entity and message."""
    table = Table(title=f"Violations ({len(report.violations)})", title_justify="left")
    table.add_column("rule", style="red")
    table.add_column("entity")
    table.add_column("message")
    for violation in report.violations[:limit]:
        table.add_row(violation.rule, violation.entity, violation.message)
    if len(report.violations) > limit:
        table.add_row("...", "", f"{len(report.violations) - limit} more")
    return table


def solver_line(info: SolverInfo) -> str:
    """One line on how the plan was found: status, stage objectives and bounds, gap, workers, times."""
    stages = ", ".join(
        f"{'+'.join(stage.terms)} {_number(stage.objective)}{_bound(stage)}" for stage in info.stages
    )
    parts = [f"Solver: {info.status.value}"]
    if info.interrupted:
        parts.append("interrupted")
    parts.append(f"objectives: {stages}" if stages else "objectives: constructed plan only")
    if info.gap is not None:
        parts.append(f"gap {info.gap:.1%}")
    elif info.stages:
        parts.append("gap unknown (no bound)")
    if info.workers:
        parts.append(f"{info.workers} worker{'s' if info.workers != 1 else ''}")
    if info.time_to_first_plan is not None:
        source = f" ({info.first_plan_source})" if info.first_plan_source else ""
        parts.append(f"first plan {info.time_to_first_plan:.2f} s{source}")
    parts.append(f"wall time {info.wall_time:.2f} s")
    return " · ".join(parts)


def _bound(stage: StageResult) -> str:
    """`` (bound N)`` after an unproven stage's objective; `` (no bound)`` where none is known."""
    if stage.status.value == "optimal":
        return ""
    if stage.bound <= 0 < stage.objective:
        return " (no bound)"
    return f" (bound {_number(stage.bound)})"


def bound_lines(info: SolverInfo) -> list[str]:
    """What every plan must accept: each project late in every plan, and why, one line each."""
    lines = [
        f"Late in every plan: {b.project} at least {b.late_days} working day{'s' if b.late_days != 1 else ''}"
        f" (deadline {b.deadline}): {b.reason}"
        for b in info.project_bounds
    ]
    lines += [f"Bound: {reason}" for reason in info.bound_reasons if not _per_project(reason, info)]
    return lines


def _per_project(reason: str, info: SolverInfo) -> bool:
    """Whether a bound reason is one of the per-project lines already shown."""
    return any(reason == f"{b.project}: {b.reason}" for b in info.project_bounds)


def explanation_lines(plan: Plan) -> list[str]:
    """Why each late project is late: its summary, then each verified cause on a line."""
    lines = []
    for explanation in plan.explanations:
        lines.append(f"{'Why deferred' if explanation.deferred else 'Why late'}: {explanation.summary}")
    return lines


def person_loads(plan: Plan) -> list[PersonLoad]:
    """Each person's load over the plan, most loaded first."""
    booked: dict[str, float] = defaultdict(float)
    capacity: dict[str, float] = defaultdict(float)
    peak: dict[str, float] = defaultdict(float)
    over: dict[str, int] = defaultdict(int)
    for load in plan.loads:
        booked[load.resource] += load.booked_days
        capacity[load.resource] += load.capacity_days
        if load.capacity_days > 0:
            peak[load.resource] = max(peak[load.resource], load.utilisation)
            over[load.resource] += load.utilisation > 1.0 + 1e-9
    loads = [PersonLoad(p, booked[p], capacity[p], peak[p], over[p]) for p in booked]
    return sorted(loads, key=lambda load: (-load.utilisation, -load.peak, load.person))


def _projects_table(plan: Plan) -> Table:
    table = Table(title="Projects", title_justify="left")
    table.add_column("project")
    table.add_column("status", no_wrap=True)
    for column in ("start", "finish", "deadline"):
        table.add_column(column, no_wrap=True)
    table.add_column("late days", justify="right")
    forced = {} if plan.solver is None else {b.project: b.late_days for b in plan.solver.project_bounds}
    if forced:
        table.add_column("at least", justify="right")
    table.add_column(f"cost ({plan.currency})", justify="right")
    table.add_column("budget", justify="right")
    for project in plan.projects:
        bound = [str(forced.get(project.project, ""))] if forced else []
        table.add_row(
            project.project,
            _project_status(project),
            _date(project.start),
            _date(project.finish),
            _date(project.deadline),
            str(project.late_days) if project.late_days else "",
            *bound,
            _money(project.cost),
            "" if project.budget is None else _money(project.budget),
        )
    kpis = plan.kpis
    table.caption = (
        f"{kpis.projects_on_time} on time, {kpis.projects_late} late, {kpis.projects_deferred} deferred"
        f" of {kpis.projects_total}; latest finish {_date(kpis.latest_finish)}"
    )
    table.caption_justify = "left"
    return table


def _project_status(project: ProjectPlan) -> str:
    if project.deferred:
        return "[yellow]deferred[/yellow]"
    if project.late_days:
        return "[red]late[/red]"
    return "on time" if project.deadline is not None else "planned"


def _people_table(plan: Plan, top: int) -> Table:
    loads = person_loads(plan)
    table = Table(
        title=f"People utilisation (top {min(top, len(loads))} of {len(loads)})", title_justify="left"
    )
    table.add_column("person")
    table.add_column("booked days", justify="right")
    table.add_column("capacity days", justify="right")
    table.add_column("utilisation", justify="right")
    table.add_column("peak week", justify="right")
    table.add_column("weeks over 100 %", justify="right")
    for load in loads[:top]:
        table.add_row(
            load.person,
            f"{load.booked_days:.1f}",
            f"{load.capacity_days:.1f}",
            f"{load.utilisation:.0%}",
            f"{load.peak:.0%}",
            str(load.weeks_over) if load.weeks_over else "",
        )
    kpis = plan.kpis
    table.caption = (
        f"average {kpis.average_utilisation:.0%}, peak {kpis.peak_utilisation:.0%} per person-week; "
        f"{kpis.people_over_target} people over 100 % in some week"
    )
    table.caption_justify = "left"
    return table


def overtime_by_person(plan: Plan) -> dict[str, tuple[float, list[str]]]:
    """Overtime hours of each person with some, and the tasks they work it on (plan order)."""
    result: dict[str, tuple[float, list[str]]] = {}
    for tp in plan.tasks:
        for row in tp.assignments:
            if row.overtime_hours > 0:
                hours, tasks = result.get(row.resource, (0.0, []))
                result[row.resource] = (hours + row.overtime_hours, [*tasks, tp.task])
    return result


def _overtime_table(plan: Plan) -> Table:
    table = Table(title="Overtime", title_justify="left")
    table.add_column("person")
    table.add_column("hours", justify="right")
    table.add_column("tasks")
    for person, (hours, tasks) in sorted(overtime_by_person(plan).items()):
        table.add_row(person, f"{hours:.1f}", ", ".join(tasks))
    kpis = plan.kpis
    table.caption = f"total {kpis.overtime_hours:.1f} h, {_money(kpis.overtime_cost)} {plan.currency}"
    table.caption_justify = "left"
    return table


def _vendors_table(plan: Plan) -> Table:
    table = Table(title="Vendors", title_justify="left")
    table.add_column("vendor")
    table.add_column("contractor days", justify="right")
    table.add_column("peak headcount", justify="right")
    table.add_column(f"spend ({plan.currency})", justify="right")
    for use in plan.vendors:
        table.add_row(use.vendor, f"{use.days:.1f}", str(use.peak_headcount), _money(use.cost))
    table.caption = f"total {plan.kpis.vendor_days:.1f} days, {_money(plan.kpis.vendor_cost)} {plan.currency}"
    table.caption_justify = "left"
    return table


def _shortages_line(plan: Plan) -> str:
    shortages = plan.kpis.skill_shortages
    if not shortages:
        return "Skill shortages: none (staff cover every skill)"
    listed = ", ".join(f"{skill} {days:.1f} days" for skill, days in shortages.items())
    return f"Skill shortages (contractor days): {listed}"


def _checker_line(report: CheckReport | None) -> str:
    if report is None:
        return "Checker: not run"
    if report.ok:
        return f"Checker: [green]plan verified[/green] ({len(report.checked_rules)} rules, no violations)"
    count = len(report.violations)
    return f"Checker: [red]{count} violation{'s' if count != 1 else ''}[/red]"


def _date(value: object) -> str:
    return "" if value is None else str(value)


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _number(value: float) -> str:
    """An objective value: whole numbers with thousands separators, others to 4 digits."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


@dataclass
class _Stage:
    """What is known about the running objective stage."""

    number: int = 0
    total: int = 0
    terms: str = ""
    objective: float | None = None
    bound: float | None = None
    started: float = 0.0

    def bounded(self) -> bool:
        """Whether a bound says something: not none, and not 0 below a positive incumbent
        (every objective is at least 0, so that bound is no bound at all)."""
        if self.bound is None:
            return False
        return self.bound > 0 or self.objective is None or self.objective <= 0

    def gap(self) -> float | None:
        if self.objective is None or not self.bounded():
            return None
        assert self.bound is not None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))

    def describe(self) -> str:
        parts = [f"stage {self.number}/{self.total} {self.terms}".rstrip()]
        if self.objective is None:
            parts.append("searching")
        else:
            parts.append(f"incumbent {_number(self.objective)}")
        if self.bounded():
            assert self.bound is not None
            parts.append(f"bound {_number(self.bound)}")
        elif self.objective is not None:
            parts.append(NO_BOUND)
        gap = self.gap()
        if gap is not None:
            parts.append(f"gap {gap:.1%}")
        return " · ".join(parts)


class SolveProgress:
    """Reports solver progress on a console (standard error).

    On a terminal a status line shows stage, incumbent, bound, gap and elapsed time,
    and each finished stage leaves one line. Elsewhere (a pipe, a log file) only the
    one-line stage summaries are printed. Solver threads call the instance with each
    :class:`allocator.search.solve.Progress` report.

    Parameters
    ----------
    console
        Where to report; progress never goes to standard output.
    live
        Show the updating status line (only sensible on a terminal).
    """

    def __init__(self, console: Console, live: bool) -> None:
        self._console = console
        self._lock = threading.Lock()
        self._stage = _Stage()
        self._idle = "constructing a first plan"
        self._started = time.monotonic()
        self._spinner = Spinner("dots")
        self._live = Live(self, console=console, refresh_per_second=8, transient=True) if live else None

    def __enter__(self) -> SolveProgress:
        self._started = time.monotonic()
        if self._live is not None:
            self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            line = self._close_stage()
        self._print(line)
        if self._live is not None:
            self._live.stop()

    def __call__(self, progress: Progress) -> None:
        """Take one progress report from the solver."""
        # Print only outside the lock: the status line's refresh holds the console's
        # lock while it asks for the current line, which takes this lock.
        line = None
        with self._lock:
            if progress.stage != self._stage.number and progress.stage > 0:
                line = self._close_stage()
                terms = progress.message.partition(": ")[2] if progress.message else ""
                self._stage = _Stage(progress.stage, progress.stages, terms, started=progress.elapsed)
            if progress.objective is not None and progress.stage == self._stage.number:
                self._stage.objective, self._stage.bound = progress.objective, progress.bound
            elif progress.stage == 0 and progress.message:
                line = progress.message
        self._print(line)

    def __rich__(self) -> RenderableType:
        with self._lock:
            line = self._stage.describe() if self._stage.number else self._idle
        self._spinner.update(text=f"{line} · {time.monotonic() - self._started:.1f} s")
        return self._spinner

    def _close_stage(self) -> str | None:
        """The one-line summary of the stage that just ended (call with the lock held)."""
        if not self._stage.number:
            return None
        elapsed = time.monotonic() - self._started - self._stage.started
        line = f"{self._stage.describe()} · {elapsed:.2f} s"
        self._stage, self._idle = _Stage(), "checking the plan"
        return line

    def _print(self, line: str | None) -> None:
        if line is not None:
            self._console.print(line, markup=False, highlight=False)
