"""Earned value, earned schedule, RAG and issues against hand computations on a tiny plan."""

from __future__ import annotations

import datetime as dt

import pytest

from allocator.status.earned import measure_tasks, measure_timeline
from allocator.status.forecast import earned_schedule, forecast_finish, rag
from allocator.status.inputs import Measured
from allocator.status.issues import over_capacity_issues, vendor_issues
from allocator.status.report import build_status, changes_since
from models import Assignment, Plan, Scenario, TaskPlan
from models.progress import Progress, TaskProgress
from models.status import Booking, EarnedValue, Rag

MONDAY = dt.date(2027, 1, 4)


def scenario() -> Scenario:
    """One person at 100 a day, one vendor at 200 a day capped at 1000, two tasks in a row.

    No public holidays: every weekday is a working day.
    """
    return Scenario.model_validate(
        {
            "start": MONDAY,
            "end": dt.date(2027, 1, 29),
            "people": [{"id": "ana", "skills": {"dev": 3}, "cost_per_day": 100}],
            "vendors": [{"id": "acme", "skills": {"dev": 3}, "day_rate": 200, "spend_cap": 1000}],
            "projects": [
                {
                    "id": "p1",
                    "deadline": "2027-01-22",
                    "tasks": [
                        {"id": "a", "effort": 10, "requires": "dev"},
                        {"id": "b", "effort": 5, "requires": "dev", "after": "a"},
                    ],
                }
            ],
        }
    )


def baseline() -> Plan:
    """a: 4 to 15 Jan, ana full time (10 days, 1000); b: 18 to 22 Jan, ana full time (5 days, 500)."""
    ana = Assignment(resource="ana", allocation=100, skill="dev")
    return Plan(
        scenario="s",
        scenario_hash="h",
        created=dt.datetime(2027, 1, 1),
        tasks=(
            TaskPlan(
                task="a", project="p1", start=MONDAY, finish=dt.date(2027, 1, 15), working_days=10,
                assignments=(ana.model_copy(update={"effort": 10.0}),),
            ),
            TaskPlan(
                task="b", project="p1", start=dt.date(2027, 1, 18), finish=dt.date(2027, 1, 22),
                working_days=5,
                assignments=(ana.model_copy(update={"effort": 5.0}),),
            ),
        ),
    )  # fmt: skip


def measured(bookings: tuple[Booking, ...] | None = None) -> Measured:
    """As of Wednesday 13 Jan (8 working days in): a under way with 4 of 10 days left, 8 days booked."""
    progress = Progress(tasks=(TaskProgress(task="a", status="in_progress", remaining_effort=4.0),))
    if bookings is None:
        bookings = (
            Booking(person="ana", task="a", week=MONDAY, days=5.0),
            Booking(person="ana", task="a", week=dt.date(2027, 1, 11), days=3.0),
        )
    return Measured(scenario(), baseline(), progress, bookings, dt.date(2027, 1, 13))


def test_earned_value_equals_hand_computation() -> None:
    # BAC = 1000 + 500. PV = 1000 * 8/10 = 800 (b not yet due). EV = 1000 * (1 - 4/10) = 600.
    # AC = 8 booked days * 100 = 800. SPI = 600/800, CPI = 600/800, EAC = 1500 / 0.75 = 2000.
    report = build_status(measured())
    value = report.portfolio
    assert (value.bac, value.pv, value.ev, value.ac) == pytest.approx((1500, 800, 600, 800))
    assert value.spi == pytest.approx(0.75)
    assert value.cpi == pytest.approx(0.75)
    assert value.eac == pytest.approx(2000)
    assert report.projects[0].value == value


def test_earned_schedule_forecast_equals_hand_computation() -> None:
    # PV grows 100 a working day for 15 days, so PV reaches EV = 600 after ES = 6 days; AT = 8.
    # SPI(t) = 6/8; forecast duration = 15 / 0.75 = 20 working days from 4 Jan: Friday 29 Jan.
    state = measured()
    timeline = measure_timeline(state)
    tasks = measure_tasks(state, timeline)
    assert earned_schedule(tasks, 0, 15) == pytest.approx(6.0)
    as_of = timeline.day_on_or_before(state.as_of)
    assert forecast_finish(tasks, state.by_task(), timeline, as_of) == dt.date(2027, 1, 29)


def test_earned_schedule_interpolates_within_a_day() -> None:
    # EV = 1000 * (1 - 4.5/10) = 550: between PV_5 = 500 and PV_6 = 600, so ES = 5.5.
    state = measured()
    progress = Progress(tasks=(TaskProgress(task="a", status="in_progress", remaining_effort=4.5),))
    state = Measured(state.scenario, state.baseline, progress, state.bookings, state.as_of)
    timeline = measure_timeline(state)
    assert earned_schedule(measure_tasks(state, timeline), 0, 15) == pytest.approx(5.5)


def test_red_amber_green_rule() -> None:
    def value(spi: float, cpi: float) -> EarnedValue:
        return EarnedValue(bac=1, pv=1, ev=1, ac=1, spi=spi, cpi=cpi)

    assert rag(value(1.0, 0.96), 0)[0] == Rag.GREEN
    assert rag(value(0.94, 1.0), 0)[0] == Rag.AMBER
    assert rag(value(1.0, 1.0), 3)[0] == Rag.AMBER
    assert rag(value(0.84, 1.0), 0)[0] == Rag.RED
    assert rag(value(1.0, 1.0), 11) == (Rag.RED, ("forecast 11 working days after the deadline",))


def test_the_report_of_the_tiny_plan_is_red_with_its_reasons() -> None:
    report = build_status(measured())
    project = report.projects[0]
    assert project.rag == Rag.RED
    assert project.forecast_finish == dt.date(2027, 1, 29)
    assert "forecast 5 working days after the deadline" in project.reasons
    assert any(rule.startswith("Red:") for rule in report.rules)


def test_task_running_over_its_estimate_is_an_issue() -> None:
    # 8 booked + 4 left = 12 person-days against 10 estimated: +20 %.
    issues = build_status(measured()).issues
    over = [i for i in issues if i.kind == "over_estimate"]
    assert [i.key for i in over] == ["over_estimate:a"]
    assert "+20%" in over[0].message


def test_late_task_is_an_issue() -> None:
    # As of 20 Jan, a (due 15 Jan) is not done: 3 working days overdue (18, 19, 20 Jan).
    state = measured()
    state = Measured(state.scenario, state.baseline, state.progress, state.bookings, dt.date(2027, 1, 20))
    late = [i for i in build_status(state).issues if i.kind == "late"]
    assert late[0].key == "late:a"
    assert "3 working days overdue" in late[0].message


def test_person_booked_over_capacity_is_an_issue() -> None:
    state = measured((Booking(person="ana", task="a", week=MONDAY, days=6.0),))
    timeline = measure_timeline(state)
    issues = over_capacity_issues(state, timeline)
    assert [i.key for i in issues] == ["over_capacity:ana"]
    assert "6.0 days against 5.0 available" in issues[0].message


def test_vendor_spend_against_its_cap() -> None:
    # 4.5 contractor-days at 200 = 900, above 80 % of the 1000 cap.
    state = measured((Booking(person="acme", task="a", week=MONDAY, days=4.5),))
    issues = vendor_issues(state, measure_timeline(state))
    assert [i.key for i in issues] == ["vendor_spend:acme"]
    assert "90%" in issues[0].message


def test_actual_cost_counts_vendor_days_at_the_day_rate() -> None:
    state = measured((Booking(person="acme", task="a", week=MONDAY, days=2.0),))
    assert build_status(state).portfolio.ac == pytest.approx(400)


def test_burn_up_has_planned_value_each_week_and_earned_value_on_report_dates() -> None:
    points = {p.day: p for p in build_status(measured()).projects[0].burnup}
    assert points[dt.date(2027, 1, 8)].pv == pytest.approx(500)
    assert points[dt.date(2027, 1, 22)].pv == pytest.approx(1500)
    assert points[MONDAY].ev == 0
    assert points[dt.date(2027, 1, 13)].ev == pytest.approx(600)
    assert points[dt.date(2027, 1, 8)].ac == pytest.approx(500)
    assert points[dt.date(2027, 1, 15)].ac is None


def test_changes_since_the_previous_report() -> None:
    earlier = build_status(measured())
    state = measured()
    progress = Progress(tasks=(TaskProgress(task="a", status="done"),))
    later = build_status(
        Measured(state.scenario, state.baseline, progress, state.bookings, state.as_of), earlier
    )
    assert "p1: 1 more task done" in later.changes
    assert any(line.startswith("resolved: a (p1) is running over") for line in later.changes)
    assert later.changes == changes_since(earlier, later)
    # The earlier EV point stays in the burn-up.
    assert later.projects[0].burnup[0].ev == 0
