"""Why a project is late (allocator.diagnose.lateness): hand-checkable causes, each verified.

Weekdays only (no public holidays) from Monday 2027-01-04: timeline day ``i`` is the
``i``-th weekday. Every case has one cause a reader can check by hand, and the
explanation must name it, state the days it costs, and leave out what does not matter.
"""

from __future__ import annotations

import datetime as dt

from allocator.diagnose.lateness import explain_plan
from models import Dependency, Explanation, ObjectiveTerm, Plan, Scenario, TimeOff
from tests.solver_helpers import (
    MONDAY,
    assert_verified,
    person,
    planned,
    project,
    scenario,
    solve,
    stages,
    task,
    vendor,
)

LATENESS = stages((ObjectiveTerm.LATENESS, ObjectiveTerm.DEFERRAL), ObjectiveTerm.COST)


def weekday(offset: int) -> dt.date:
    """The ``offset``-th weekday from MONDAY (0 is MONDAY)."""
    weeks, days = divmod(offset, 5)
    return MONDAY + dt.timedelta(weeks=weeks, days=days)


def release(ana_leave: tuple[TimeOff, ...] = ()) -> Scenario:
    """Build (5 days, Ana) then test (5 days of qa L3): Jo, the only tester, is away all of
    week 2, so test runs in week 3 and the release (due Friday of week 2) is 5 days late."""
    jo = person("jo", "qa:3", name="Jo Park", time_off=(TimeOff(start=weekday(5), end=weekday(9)),))
    ana = person("ana", "dev:3", name="Ana Ruiz", time_off=ana_leave)
    build = task("build", name="Build", effort=5)
    test = task("test", name="UAT", effort=5, requires=("qa:3",), after=(Dependency(task="build"),))
    the_project = project("release", build, test, deadline=weekday(9))
    return scenario(the_project, people=(ana, jo), objective=LATENESS)


def explained(the_scenario: Scenario) -> tuple[Plan, Explanation]:
    plan = planned(solve(the_scenario))
    explanations = explain_plan(the_scenario, plan, time_limit=20)
    assert len(explanations) == 1
    return plan, explanations[0]


def test_the_only_tester_on_leave_is_the_verified_cause() -> None:
    plan, why = explained(release())
    assert why.project == "release"
    assert why.late_days == 5
    assert why.finish == weekday(14) and why.deadline == weekday(9)
    assert why.forced_days == 5  # the chain through Jo's calendar alone forces it
    assert [step.task for step in why.chain] == ["build", "test"]
    uat = why.chain[-1]
    assert uat.waits == 5 and uat.after == "build" and uat.people == ("jo",)
    assert uat.ready == weekday(5) and why.chain[0].ready is None  # it could start on Monday of week 2
    assert "waits 5 working days for qa L3" in uat.waits_for
    assert "Jo Park is on leave 11-15 Jan" in uat.waits_for
    kinds = {cause.kind: cause for cause in why.causes}
    assert set(kinds) == {"leave", "capacity"}
    leave = kinds["leave"]
    assert leave.person == "jo" and leave.text == "Jo Park is on leave 11-15 Jan"
    assert leave.days_earlier == 5 and leave.late_days_relaxed == 0 and leave.proven
    capacity = kinds["capacity"]
    assert capacity.skills == {"qa": 3} and capacity.start == weekday(5)
    assert capacity.days_earlier == 5
    assert "release finishes 22 Jan, 5 working days after its 15 Jan deadline" in why.summary
    assert "Jo Park is on leave 11-15 Jan" in why.summary
    assert plan.kpis.projects_late == 1


def test_leave_off_the_critical_path_is_not_a_cause() -> None:
    """Ana's leave in week 3 comes after her build: cancelling it moves nothing."""
    _, why = explained(release(ana_leave=(TimeOff(start=weekday(10), end=weekday(14)),)))
    assert why.late_days == 5
    assert all(cause.person != "ana" for cause in why.causes)
    assert {cause.kind for cause in why.causes} == {"leave", "capacity"}


def platform_and_app() -> Scenario:
    """The app's UI (5 days) waits for the platform's API (10 days, one person at a time)
    although Ben is free: due at the end of week 2, it finishes Friday of week 3."""
    api = task("api", name="Platform API", effort=10)
    ui = task("ui", name="App UI", effort=5, after=(Dependency(task="api"),))
    return scenario(
        project("platform", api),
        project("app", ui, deadline=weekday(9)),
        people=(person("ana", "dev:3"), person("ben", "dev:3")),
        objective=LATENESS,
    )


def sap_configuration() -> Scenario:
    """Only Acme knows SAP and engages 21 working days after the start (Tuesday of week 5):
    the configuration (5 contractor-days), due on Friday of week 1, ends 21 working days late."""
    config = task("config", name="SAP configuration", effort=5, requires=("sap:3",))
    acme = vendor("acme", "sap:3", name="Acme SAP", lead_time_days=21, day_rate=900)
    return scenario(
        project("erp", config, deadline=weekday(4)),
        people=(person("ana", "dev:3", cost_per_day=500.0),),
        vendors=(acme,),
        objective=LATENESS,
    )


def test_a_cross_project_dependency_chains_two_projects() -> None:
    """platform_and_app: the app is 5 days late, all forced by the platform's API."""
    _, why = explained(platform_and_app())
    assert why.project == "app" and why.late_days == 5 and why.forced_days == 5
    assert [(s.task, s.project) for s in why.chain] == [("api", "platform"), ("ui", "app")]
    dependency = next(c for c in why.causes if c.kind == "dependency")
    assert dependency.predecessor == "api"
    assert dependency.text == "App UI waits for platform's Platform API (done 15 Jan)"
    assert dependency.days_earlier == 5 and dependency.late_days_relaxed == 0


def test_a_vendor_lead_time_makes_the_deadline_unreachable() -> None:
    """sap_configuration: all 21 days late are the lead time's."""
    the_scenario = sap_configuration()
    plan, why = explained(the_scenario)
    assert why.late_days == 21
    lead = next(c for c in why.causes if c.kind == "vendor-lead")
    assert lead.vendor == "acme"
    assert lead.text == "Acme SAP engages only from 2 Feb (lead time 21 working days)"
    assert lead.days_earlier == 21 and lead.late_days_relaxed == 0
    assert_verified(the_scenario, plan)


def test_solve_explains_and_keeps_the_plan_verified() -> None:
    """Asked to explain, the solve attaches the explanation to its (verified) plan."""
    the_scenario = release()
    plan = planned(solve(the_scenario, explain_seconds=20))
    assert [e.project for e in plan.explanations] == ["release"]
    assert any(c.kind == "leave" for c in plan.explanations[0].causes)
    assert plan.check is not None and plan.check.ok
    assert_verified(the_scenario, plan)


def test_nothing_late_nothing_explained() -> None:
    on_time = release().model_copy(
        update={"projects": (project("release", task("build"), deadline=weekday(9)),)}
    )
    plan = planned(solve(on_time, explain_seconds=5))
    assert plan.explanations == ()
    assert explain_plan(on_time, plan, time_limit=5) == []


def test_the_report_shows_why_next_to_the_gantt_bar() -> None:
    """The HTML report has a "Why late" section with the verified cause, and the project's
    Gantt bars carry the explanation in their hover text."""
    from allocator.report.html import plan_report

    the_scenario = release()
    plan = planned(solve(the_scenario, explain_seconds=20))
    page = plan_report(plan, the_scenario)
    assert "id='why-late'" in page
    assert "Jo Park is on leave 11-15 Jan" in page
    assert page.index("chart-gantt-projects") < page.index("id='why-late'") < page.index("chart-gantt-people")
    gantt = page.split("chart-gantt-projects", 1)[1].split("id='why-late'")[0]
    assert "Why late" in gantt and "Jo Park is on leave" in gantt  # hover text of the bars


def test_a_deferred_candidate_says_what_including_it_would_cost() -> None:
    """Ana alone: the committed migration (10 days, due Friday of week 2) and a candidate
    report (5 days, due Friday of week 1, value 2). Planning the report first makes the
    migration 5 days late (weighed 5 > 2): it is deferred. Held behind the migration it
    would run in week 3, 10 working days after its deadline (weighed 10 against 2)."""
    migration = project("migration", task("move", effort=10), deadline=weekday(9))
    report = project("report", task("draft", effort=5), deadline=weekday(4), status="candidate", value=2)
    the_scenario = scenario(
        migration, report, people=(person("ana", "dev:3", name="Ana Ruiz"),), objective=LATENESS
    )
    plan = planned(solve(the_scenario, explain_seconds=20))
    assert [p.project for p in plan.projects if p.deferred] == ["report"]
    why = next(e for e in plan.explanations if e.project == "report")
    assert why.deferred and why.finish == weekday(14) and why.late_days == 10
    assert why.chain[-1].task == "draft" and why.chain[-1].waits == 10
    assert "report is deferred" in why.summary and "would finish 22 Jan" in why.summary
    assert "weigh 10" in why.summary and "value of 2" in why.summary
    assert "booked on migration" in why.summary


def test_the_deadline_is_quoted_as_the_scenario_gives_it() -> None:
    """A deadline on a Saturday holds the release to Friday 15 Jan, but the explanation
    quotes the date the user wrote, 16 Jan."""
    base = release()
    saturday = weekday(9) + dt.timedelta(days=1)
    projects = (base.projects[0].model_copy(update={"deadline": saturday}),)
    _, why = explained(base.model_copy(update={"projects": projects}))
    assert why.late_days == 5 and why.deadline == saturday
    assert "5 working days after its 16 Jan deadline" in why.summary
