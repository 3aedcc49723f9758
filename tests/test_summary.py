"""Plan figures derived from task plans, against hand-computed values.

Scenario and plan: see ``test_checker_scenarios.py``. crm's deadline is moved to Sunday
May 10 and ui gets a soft deadline on Thursday May 7 so that lateness shows.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_checker_scenarios import d, scenario, valid_task_plans

from allocator.plan.figures import (
    build_plan_figures,
    fill_task_effort,
    late_working_days,
    plan_horizon,
    plan_timeline,
)


@pytest.fixture(scope="module")
def late_scenario():
    return scenario(crm_deadline=d("05-10"), ui_deadline=d("05-07"))


@pytest.fixture(scope="module")
def figures(late_scenario):
    return build_plan_figures(late_scenario, list(valid_task_plans().values()))


def test_fill_task_effort_counts_presence(late_scenario) -> None:
    filled = {tp.task: tp for tp in fill_task_effort(late_scenario, list(valid_task_plans().values()))}
    effort = {(t, a.resource): a.effort for t, tp in filled.items() for a in tp.assignments}
    assert effort[("design", "alice")] == 4.0
    assert effort[("build", "alice")] == 5.0  # May 4 is alice's (GB) bank holiday
    assert effort[("build", "acme")] == 5.0  # contractors follow the scenario (GB) calendar
    assert effort[("ui", "carol")] == 2.5  # three half days of leave, then May 11
    assert effort[("api", "bob")] == 2.0  # 50 % on four DE working days (Ascension off)


def test_fill_task_effort_sets_deadline_and_lateness(late_scenario) -> None:
    filled = {tp.task: tp for tp in fill_task_effort(late_scenario, list(valid_task_plans().values()))}
    # ui ends May 11 (E = 11); last timeline day on or before May 7 is index 8: late May 8, 11.
    assert (filled["ui"].deadline, filled["ui"].late_days) == (d("05-07"), 2)
    # test has its own hard deadline May 14 and finishes on it.
    assert (filled["test"].deadline, filled["test"].late_days) == (d("05-14"), 0)
    # build inherits crm's deadline (Sunday May 10): ends May 11, one working day late.
    assert (filled["build"].deadline, filled["build"].late_days) == (d("05-10"), 1)
    assert (filled["api"].deadline, filled["api"].late_days) == (None, 0)


def test_project_forecasts(figures) -> None:
    crm, web, pilot = figures.projects
    # crm ends with the launch milestone reached at the end of May 14 (E == S == 14);
    # deadline index 9 (May 8): late May 11, 12, 13, 14.
    assert (crm.start, crm.finish, crm.late_days, crm.deferred) == (d("04-27"), d("05-14"), 4, False)
    # design 500*4 + build 500*6 (booked over the holiday too) + acme 5*800 + test 300*3.
    assert crm.cost == pytest.approx(2000 + 3000 + 4000 + 900)
    assert crm.budget == 10000
    # carol 450*4 + bob 400*0.5*5.
    assert web.cost == pytest.approx(1800 + 1000)
    assert (web.late_days, web.deadline) == (0, None)
    assert pilot.deferred and pilot.start is None and pilot.cost == 0


def test_vendor_use(figures) -> None:
    (acme,) = figures.vendors
    assert (acme.vendor, acme.days, acme.cost, acme.peak_headcount) == ("acme", 5.0, 4000.0, 1)


@pytest.mark.parametrize(
    ("resource", "week", "booked", "capacity"),
    [
        ("alice", "2026-W18", 4.0, 5.0),  # design Mon-Thu; Fri May 1 worked in GB
        ("alice", "2026-W19", 4.0, 4.0),  # booked over the May 4 bank holiday, which is no work
        ("bob", "2026-W18", 0.0, 2.0),  # 50 % capacity, May 1 is a DE holiday
        ("bob", "2026-W19", 0.5, 2.5),  # api from Friday May 8
        ("bob", "2026-W20", 1.5, 2.0),  # Ascension: booked, not present, so not counted
        ("carol", "2026-W19", 1.5, 2.5),  # half days May 6-8 count half, GB holiday May 4 none
        ("alice", "2026-W22", 0.0, 4.0),  # May 25 off in both countries: not a timeline day
        ("dave", "2026-W21", 0.0, 0.0),  # left on May 15
    ],
)
def test_week_loads(figures, resource: str, week: str, booked: float, capacity: float) -> None:
    (load,) = [w for w in figures.loads if (w.resource, w.week) == (resource, week)]
    assert load.booked_days == pytest.approx(booked)
    assert load.capacity_days == pytest.approx(capacity)
    assert load.utilisation == pytest.approx(booked / capacity if capacity else 0.0)
    assert load.week_start == dt.date.fromisocalendar(int(week[:4]), int(week[-2:]), 1)


def test_loads_cover_every_person_and_week(figures, late_scenario) -> None:
    weeks = {w.week for w in figures.loads}
    assert weeks == {f"2026-W{n}" for n in range(18, 24)}
    assert len(figures.loads) == len(weeks) * len(late_scenario.people)


def test_kpis(figures) -> None:
    kpis = figures.kpis
    assert (kpis.projects_total, kpis.projects_on_time, kpis.projects_late, kpis.projects_deferred) == (
        3,
        1,
        1,
        1,
    )
    # crm priority 2 x 4 days + ui's soft task deadline, web priority 1 x 2 days.
    assert kpis.weighted_late_days == 10
    assert kpis.latest_finish == d("05-14")
    assert (kpis.vendor_days, kpis.vendor_cost) == (5.0, 4000.0)
    assert kpis.staff_cost == pytest.approx(2000 + 3000 + 900 + 1800 + 1000)
    assert kpis.skill_shortages == {"backend": 5.0}
    # Bookings over holidays and leave are no work: nobody is above their capacity,
    # and alice's W19 (4 of 4 days) is the peak.
    assert kpis.people_over_target == 0
    assert kpis.peak_utilisation == pytest.approx(1.0)
    with_capacity = [w.utilisation for w in figures.loads if w.capacity_days > 0]
    assert kpis.average_utilisation == pytest.approx(sum(with_capacity) / len(with_capacity))


def test_late_working_days_on_a_weekend_deadline(late_scenario) -> None:
    timeline = plan_timeline(late_scenario, list(valid_task_plans().values()))
    friday = timeline.index(d("05-08"))
    assert friday is not None
    # Ending on Friday (E = friday + 1) meets a Sunday deadline; Monday is one day late.
    assert late_working_days(timeline, friday + 1, d("05-10")) == 0
    assert late_working_days(timeline, friday + 2, d("05-10")) == 1
    assert late_working_days(timeline, friday + 2, None) == 0


def test_horizon_reaches_late_work(late_scenario) -> None:
    plans = list(valid_task_plans().values())
    assert plan_horizon(late_scenario, plans) == late_scenario.end
    late = plans[0].model_copy(update={"finish": dt.date(2026, 7, 1)})
    assert plan_horizon(late_scenario, [late]) == dt.date(2026, 7, 1)
