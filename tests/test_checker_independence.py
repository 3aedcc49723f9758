"""The checker is independent of the code it checks.

- It imports nothing of the optimiser: no module of ``allocator.checker`` imports
  ``allocator.problem``, ``allocator.plan``, ``allocator.search``, ``allocator.cpsat`` or
  ``allocator.construct`` (read from the source with :mod:`ast`, and seen at run time).
- A fault planted in the optimiser's calendar (``allocator.problem.calendar``) makes the
  optimiser build a wrong plan whose recorded figures agree with themselves; the checker
  still reports it, whether the fault is still in place or undone.
- A fault planted in the code that fills a plan's figures (``allocator.plan.figures``) is
  reported under rule ``figures`` with the entity it touched.
- Real plans of the example scenarios pass, and the checker's own working-day arithmetic
  equals a plain date-by-date count for random person calendars.
"""

from __future__ import annotations

import ast
import datetime as dt
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import holidays
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from solver_helpers import person, project, scenario, task

import allocator.plan.assemble as product_assembly
import allocator.plan.figures as product_figures
import allocator.problem.calendar as product_calendar
from allocator.checker import check_plan
from allocator.checker.days import TimelineDays
from allocator.construct.serial import construct_schedule
from allocator.io import load_scenario
from allocator.plan.assemble import assemble_plan, tighten
from allocator.problem.compile import compile_problem
from allocator.search.solve import SolveOptions, solve_scenario
from models import CalendarSpec, CheckReport, Person, Plan, Scenario, TimeOff, Vendor
from models.calendar import DateRange

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT / "allocator" / "checker"
FORBIDDEN = (
    "allocator.problem",
    "allocator.plan",
    "allocator.search",
    "allocator.cpsat",
    "allocator.construct",
)
#: What a checker module may import: the standard library and these.
ALLOWED = ("models", "holidays", "allocator.checker")


# --- structure -------------------------------------------------------------------------


def _imported_modules(path: Path) -> Iterator[str]:
    """Every module an ``import`` or ``from ... import`` of ``path`` names, relative ones resolved."""
    package = "allocator.checker"
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_checker_modules_import_nothing_of_the_optimiser() -> None:
    modules = sorted(CHECKER.glob("*.py"))
    assert {p.name for p in modules} >= {"__init__.py", "days.py", "figures.py", "context.py"}
    offending = [
        f"{path.name}: {name}"
        for path in modules
        for name in _imported_modules(path)
        if any(_within(name, prefix) for prefix in FORBIDDEN)
    ]
    assert offending == []


def test_checker_modules_import_only_the_standard_library_models_and_holidays() -> None:
    unexpected = []
    for path in sorted(CHECKER.glob("*.py")):
        for name in _imported_modules(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top == "__future__":
                continue
            if not any(_within(name, allowed) for allowed in ALLOWED):
                unexpected.append(f"{path.name}: {name}")
    assert unexpected == []


def test_importing_the_checker_loads_no_optimiser_module() -> None:
    probe = (
        "import sys, allocator.checker\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('allocator')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert "allocator.checker.days" in loaded
    assert [m for m in loaded if any(_within(m, prefix) for prefix in FORBIDDEN)] == []


def test_the_import_scan_sees_a_forbidden_import(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from allocator.plan.figures import task_window\n"
        "def f():\n    from .. import problem\n    import allocator.search.solve\n"
    )
    names = set(_imported_modules(planted))
    assert {"allocator.plan.figures", "allocator.problem", "allocator.search.solve"} <= names


# --- plans built by the optimiser ------------------------------------------------------


def optimiser_plan(the_scenario: Scenario) -> Plan:
    """A plan as the optimiser makes its first one: compile, construct, tighten, assemble.

    The checker's verdict is not consulted (``solve_scenario`` would drop a failing plan).
    """
    problem = compile_problem(the_scenario)
    schedule = construct_schedule(problem)
    assert schedule is not None
    tighten(problem, schedule)
    return assemble_plan(problem, schedule, "test")


def found(report: CheckReport) -> set[tuple[str, str]]:
    return {(v.rule, v.entity) for v in report.violations}


def _easter() -> Scenario:
    """ana (England) on a task of ten working days that runs over Good Friday and Easter Monday."""
    build = task("build", effort=10, allocations=(100,))
    return scenario(
        project("p", build),
        people=(person("ana"),),
        start=dt.date(2027, 3, 22),
        weeks=4,
        country="GB",
        subdivision="ENG",
    )


def _leave(*time_off: TimeOff, effort: float = 5) -> Scenario:
    """ana, no public holidays, one task she alone can do, from Monday 2027-01-04."""
    ana = person("ana", time_off=time_off)
    return scenario(project("p", task("build", effort=effort, allocations=(100,))), people=(ana,), weeks=4)


def _abroad() -> Scenario:
    """kai works to the German calendar in an English scenario; Ascension Day (Thu 6 May) is his day off."""
    kai = person("kai", country="DE")
    return scenario(
        project("p", task("build", effort=5, allocations=(100,))),
        people=(kai,),
        start=dt.date(2027, 5, 4),
        weeks=3,
        country="GB",
    )


def _no_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(product_calendar, "public_holidays", lambda *args: frozenset())


def _leave_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    def presence(who: Person, day: dt.date) -> int:
        employed = not ((who.start and day < who.start) or (who.end and day > who.end))
        return 100 if employed else 0

    monkeypatch.setattr(product_calendar, "_presence", presence)


def _presence_one_day_late(monkeypatch: pytest.MonkeyPatch) -> None:
    original = product_calendar.Timeline.availability

    def shifted(self: Any, the_scenario: Scenario, who: Person) -> list[int]:
        return [0, *original(self, the_scenario, who)[:-1]]

    monkeypatch.setattr(product_calendar.Timeline, "availability", shifted)


def _own_country_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        product_calendar, "person_calendar_spec", lambda the_scenario, who: the_scenario.calendar
    )


#: name: (scenario, corruption, violations the checker must report).
CORRUPTIONS: dict[str, tuple[Callable[[], Scenario], Callable[[pytest.MonkeyPatch], None], set[Any]]] = {
    # The optimiser dates build 22 Mar..2 Apr as ten days; Good Friday and Easter Monday
    # are not timeline days, so it spans eight and ana delivers 8 of 10.
    "public holidays worked": (_easter, _no_holidays, {("dates", "task build"), ("effort", "task build")}),
    # ana is off 5-6 Jan; the optimiser books build 4-8 Jan as five days of work: she does 3.
    "leave counted as work": (
        lambda: _leave(TimeOff(start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 6))),
        _leave_forgotten,
        {("effort", "task build"), ("figures", "load ana 2027-W01")},
    ),
    # ana is off Fri 8 Jan; shifted, the optimiser has her off Mon 11 Jan instead, so
    # the second week's capacity it records is a day short.
    "presence a day late": (
        lambda: _leave(TimeOff(start=dt.date(2027, 1, 8), end=dt.date(2027, 1, 8)), effort=8),
        _presence_one_day_late,
        {("figures", "load ana 2027-W02")},
    ),
    # kai's German holiday is taken for a working day: 4-10 May delivers 4, not 5.
    "own country ignored": (_abroad, _own_country_ignored, {("effort", "task build")}),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_the_scenarios_plan_cleanly_with_the_real_calendar(name: str) -> None:
    make, _, _ = CORRUPTIONS[name]
    the_scenario = make()
    report = check_plan(the_scenario, optimiser_plan(the_scenario))
    assert report.ok, report.violations


@pytest.mark.parametrize("undo", [False, True], ids=["corruption active", "corruption undone"])
@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_a_corrupted_calendar_is_caught(name: str, undo: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    make, corrupt, expected = CORRUPTIONS[name]
    the_scenario = make()
    with monkeypatch.context() as patch:
        corrupt(patch)
        plan = optimiser_plan(the_scenario)
        # The fault fools the optimiser's own figures: they agree with the wrong plan.
        assert product_figures.build_plan_figures(the_scenario, plan.tasks).kpis == plan.kpis
        active = check_plan(the_scenario, plan)
    report = check_plan(the_scenario, plan) if undo else active
    assert not report.ok
    assert expected <= found(report), report.violations
    assert report.violations == active.violations


# --- recorded figures ------------------------------------------------------------------


def _figures_scenario() -> Scenario:
    """Two projects with deadlines, staff and a vendor whose contractors must help."""
    acme = Vendor(id="acme", skills={"dev": 3}, headcount=2, day_rate=700)
    web = project(
        "web",
        task("ui", effort=4, allocations=(100,), deadline=dt.date(2027, 1, 6), deadline_type="soft"),
        task("api", effort=6, after=("ui",)),
        deadline=dt.date(2027, 1, 12),
        priority=3,
    )
    data = project(
        "data", task("load", effort=30, vendor="only", team={"min": 2, "max": 2}, requires=("dev:3",))
    )
    return scenario(web, data, people=(person("ana", cost_per_day=500), person("bo")), vendors=(acme,))


def _wrap(name: str, change: Callable[[Any], Any]) -> Callable[[pytest.MonkeyPatch], None]:
    """A corruption: ``allocator.plan.figures.<name>`` with its result passed through ``change``.

    Wherever the plan assembly imported the function itself, it sees the corrupted one too.
    """

    def corrupt(patch: pytest.MonkeyPatch) -> None:
        original = getattr(product_figures, name)

        def corrupted(*args: Any, **kwargs: Any) -> Any:
            return change(original(*args, **kwargs))

        for module in (product_figures, product_assembly):
            if getattr(module, name, None) is original:
                patch.setattr(module, name, corrupted)

    return corrupt


def _first_finish_a_day_early(projects: tuple[Any, ...]) -> tuple[Any, ...]:
    first = projects[0]
    return (first.model_copy(update={"finish": first.finish - dt.timedelta(days=1)}), *projects[1:])


def _vendor_day_more(vendors: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(v.model_copy(update={"days": v.days + 1}) for v in vendors)


def _booked_more(loads: tuple[Any, ...]) -> tuple[Any, ...]:
    first = loads[0]
    return (first.model_copy(update={"booked_days": first.booked_days + 0.5}), *loads[1:])


#: name: (corruption, entity the figures violation names, field the message names).
SUMMARY_FAULTS: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], str, str]] = {
    "project finish a day early": (
        _wrap("project_plans", _first_finish_a_day_early),
        "project web",
        "finish",
    ),
    "vendor days +1": (_wrap("vendor_uses", _vendor_day_more), "vendor acme", "days"),
    "weekly load": (_wrap("week_loads", _booked_more), "load ana 2027-W01", "booked_days"),
    "kpi changed": (
        _wrap("plan_kpis", lambda k: k.model_copy(update={"projects_on_time": k.projects_on_time + 1})),
        "plan kpis",
        "projects_on_time",
    ),
    "staff cost": (
        _wrap("staff_cost", lambda cost: cost * 1.01),
        "plan kpis",
        "staff_cost",
    ),
    "task lateness": (_wrap("late_working_days", lambda late: late + 1), "task ui", "late day"),
    "whole summary": (
        _wrap("build_plan_figures", lambda f: type(f)(f.projects, f.vendors[1:], f.loads, f.kpis)),
        "vendor acme",
        "missing",
    ),
}


def test_the_figures_scenario_plans_cleanly() -> None:
    the_scenario = _figures_scenario()
    plan = optimiser_plan(the_scenario)
    assert check_plan(the_scenario, plan).ok
    assert plan.vendors and plan.kpis.projects_late == 1 and plan.tasks[0].late_days > 0


@pytest.mark.parametrize("name", list(SUMMARY_FAULTS))
def test_a_corrupted_summary_is_caught(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    corrupt, entity, field = SUMMARY_FAULTS[name]
    the_scenario = _figures_scenario()
    with monkeypatch.context() as patch:
        corrupt(patch)
        plan = optimiser_plan(the_scenario)
        active = check_plan(the_scenario, plan)
    report = check_plan(the_scenario, plan)
    assert report.violations == active.violations  # the fault in place or not, the same verdict
    assert not report.ok
    assert {v.rule for v in report.violations} == {"figures"}, report.violations
    named = [v.message for v in report.violations if v.entity == entity]
    assert any(field in message for message in named), report.violations
    assert check_plan(the_scenario, plan, figures=False).ok


# --- real plans pass -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["small-team", "quarter"])
def test_a_real_plan_passes(name: str) -> None:
    the_scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    result = solve_scenario(the_scenario, SolveOptions(construct_only=True, workers=1, seed=0))
    assert result.plan is not None, result.reasons
    report = check_plan(the_scenario, result.plan)
    assert report.ok, report.violations[:3]
    assert report.checked_rules[-1] == "figures"


# --- the checker's arithmetic against a plain count ------------------------------------

FIRST = dt.date(2027, 3, 1)  # a Monday; Easter (GB, DE), Holi and more (IN) fall in the range
SPAN = 120
PLACES = [(None, None), ("GB", None), ("GB", "SCT"), ("DE", "BY"), ("DE", None), ("IN", "KA")]


def _day(offset: int) -> dt.date:
    return FIRST + dt.timedelta(days=offset)


@st.composite
def people(draw: st.DrawFn) -> tuple[Person, ...]:
    """One to three people: part-time, own countries, leave (whole and partial), joiners, leavers."""
    drawn = []
    for n in range(draw(st.integers(1, 3))):
        country, subdivision = draw(st.sampled_from(PLACES))
        leave = draw(
            st.lists(
                st.tuples(st.integers(0, SPAN), st.integers(0, 9), st.sampled_from([1, 0.5, 0.3])), max_size=3
            )
        )
        start = draw(st.none() | st.integers(0, SPAN))
        end = draw(st.none() | st.integers(start or 0, SPAN))
        drawn.append(
            Person(
                id=f"p{n}",
                fte=draw(st.sampled_from([1.0, 0.8, 0.5])),
                country=country,
                subdivision=subdivision,
                time_off=tuple(TimeOff(start=_day(o), end=_day(o + k), fraction=f) for o, k, f in leave),
                start=None if start is None else _day(start),
                end=None if end is None else _day(end),
            )
        )
    return tuple(drawn)


@st.composite
def calendars(draw: st.DrawFn) -> CalendarSpec:
    """The scenario calendar: a country, some working weekdays, perhaps a shutdown."""
    country, subdivision = draw(st.sampled_from(PLACES))
    weekdays = draw(st.sets(st.integers(0, 6), min_size=1))
    shutdowns = draw(st.lists(st.tuples(st.integers(0, SPAN), st.integers(0, 4)), max_size=2))
    return CalendarSpec(
        country=country,
        subdivision=subdivision,
        working_weekdays=tuple(weekdays),
        days_off=tuple(DateRange(start=_day(o), end=_day(o + k)) for o, k in shutdowns),
    )


def plain_public_holidays(country: str | None, subdivision: str | None) -> set[dt.date]:
    if country is None:
        return set()
    return set(holidays.country_holidays(country, subdiv=subdivision, years=[2027]))


def plain_works(calendar: CalendarSpec, day: dt.date, public: set[dt.date]) -> bool:
    """The calendar works ``day``: a working weekday, no public holiday, no company day off."""
    shut = False
    for off in calendar.days_off:
        if off.start <= day <= off.end:
            shut = True
    return day.weekday() in calendar.working_weekdays and day not in public and not shut


def plain_place(calendar: CalendarSpec, who: Person) -> tuple[str | None, str | None]:
    """Country and region of ``who``'s holidays: each the scenario's unless they name their own;
    the scenario's region only within the scenario's country."""
    country = who.country if who.country is not None else calendar.country
    if who.subdivision is not None:
        return country, who.subdivision
    return country, calendar.subdivision if country == calendar.country else None


def plain_presence(calendar: CalendarSpec, who: Person, day: dt.date) -> int:
    """Percent of ``day`` that ``who`` is present, worked out from scratch."""
    public = plain_public_holidays(*plain_place(calendar, who))
    if not plain_works(calendar, day, public):
        return 0
    if who.start is not None and day < who.start:
        return 0
    if who.end is not None and day > who.end:
        return 0
    off = 0.0
    for leave in who.time_off:
        if leave.start <= day <= leave.end:
            off += leave.fraction
    if off > 1:
        off = 1
    return round(100 * (1 - off))


#: Overlapping leave (a half day inside a week off) counts the whole day off, not more.
OVERLAPPING = Person(
    id="ana",
    country="DE",
    subdivision="BY",
    time_off=(
        TimeOff(start=_day(7), end=_day(11)),
        TimeOff(start=_day(9), end=_day(16), fraction=0.5),
        TimeOff(start=_day(16), end=_day(16), fraction=0.3),
    ),
    end=_day(60),
)


@settings(max_examples=100, deadline=None)
@given(calendar=calendars(), staff=people(), first=st.integers(0, SPAN), length=st.integers(0, 40))
@example(calendar=CalendarSpec(country="GB"), staff=(OVERLAPPING,), first=5, length=60)
def test_working_days_are_a_plain_day_by_day_count(
    calendar: CalendarSpec, staff: tuple[Person, ...], first: int, length: int
) -> None:
    the_scenario = Scenario(start=FIRST, end=_day(SPAN), calendar=calendar, people=staff)
    days = TimelineDays(the_scenario, _day(SPAN + 40))
    every = [_day(n) for n in range(SPAN + 41)]
    own = [plain_public_holidays(*plain_place(calendar, p)) for p in staff]
    scenario_public = plain_public_holidays(calendar.country, calendar.subdivision)
    timeline = [
        day
        for day in every
        if plain_works(calendar, day, scenario_public)
        or any(plain_works(calendar, day, public) for public in own if public is not None)
    ]
    assert days.dates == timeline
    lo, hi = _day(first), _day(first + length)
    start, end = days.on_or_after(lo), days.on_or_before(hi) + 1
    in_range = [day for day in every if lo <= day <= hi]
    assert days.scenario_working_days(start, end) == sum(
        1 for day in in_range if plain_works(calendar, day, scenario_public)
    )
    for who in staff:
        expected = [plain_presence(calendar, who, day) for day in in_range]
        assert days.presence_days(who, start, end) == pytest.approx(sum(expected) / 100)
        assert sum(1 for p in days.presence(who)[start:end] if p > 0) == sum(1 for p in expected if p > 0)
        # Part-time caps what is booked, never presence: capacity days are a share of it.
        assert who.capacity_pct / 100 * days.presence_days(who, start, end) == pytest.approx(
            who.capacity_pct * sum(expected) / 10_000
        )
