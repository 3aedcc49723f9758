"""Certain reasons why no plan exists, one small scenario per kind of reason.

Every scenario starts on Monday 2027-01-04 with a plain Monday-to-Friday calendar (no
public holidays), so timeline day ``i`` is the ``i``-th weekday from the start.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allocator.demo.generate import generate_scenario
from allocator.diagnose.explain import explain_infeasibility, required_tasks
from allocator.problem.compile import compile_problem
from models import Person, Project, Scenario, SharedResource, Task, Vendor

START = dt.date(2027, 1, 4)


def d(text: str) -> dt.date:
    """A date in 2027 from ``MM-DD``."""
    return dt.date.fromisoformat(f"2027-{text}")


def scenario(projects: list[Project], **fields: Any) -> Scenario:
    """A scenario from 2027-01-04 to 2027-03-31 with the given projects and resources."""
    return Scenario(start=START, end=d("03-31"), projects=tuple(projects), **fields)


def project(pid: str, *tasks: Task, **fields: Any) -> Project:
    return Project(id=pid, tasks=tasks, **fields)


def explain(the_scenario: Scenario) -> list[str]:
    return explain_infeasibility(compile_problem(the_scenario))


def feasible_portfolio() -> Scenario:
    """Two developers, a design-build-test chain that fits easily before its deadline."""
    people = (Person(id="alice", skills={"dev": 3}), Person(id="bob", skills={"dev": 3}))
    tasks = (
        Task(id="design", duration=5, requires=("dev",)),
        Task(id="build", effort=20, requires=("dev",), team=2, after=("design",)),
        Task(id="test", duration=5, requires=("dev",), after=("build",), deadline=d("03-31")),
    )
    return scenario([project("crm", *tasks)], people=people)


def test_feasible_scenario_has_no_reason() -> None:
    assert explain(feasible_portfolio()) == []


def test_nobody_qualified_is_available_in_the_window() -> None:
    # The 25-day build must end by Friday 12 February: 30 working days from 4 January.
    # Alice leaves on 29 January (20 working days in), so she is never present for 25 in a
    # row; acme's 10-day lead time means no contractor before Monday 18 January, leaving
    # only 20 working days. Carol's backend level is too low to matter.
    people = (
        Person(id="alice", skills={"backend": 4}, end=d("01-29")),
        Person(id="carol", skills={"backend": 2}),
    )
    vendors = (Vendor(id="acme", skills={"backend": 4}, lead_time_days=10),)
    build = Task(id="build", duration=25, requires=("backend:4",), deadline=d("02-12"))
    reasons = explain(scenario([project("erp", build)], people=people, vendors=vendors))
    assert reasons == [
        "Task 'build' (project erp) needs backend at level 4 between 2027-01-04 and 2027-02-12; "
        "nobody qualified is available then (alice: leaves 2027-01-29, too soon for 25 working days "
        "in a row; acme: no contractor before 2027-01-18)."
    ]


def test_nobody_has_the_skill_at_all() -> None:
    people = (Person(id="carol", skills={"security": 2}),)
    audit = Task(id="audit", effort=5, requires=("security:4",))
    reasons = explain(scenario([project("soc", audit)], people=people))
    assert len(reasons) == 1
    assert "Task 'audit' (project soc) needs security at level 4" in reasons[0]
    assert "nobody has security at level 4 or above" in reasons[0]


def test_effort_that_the_qualified_team_cannot_deliver_in_the_window() -> None:
    # One qualified person, at most 20 working days before the hard deadline of 29 January,
    # cannot deliver 30 person-days.
    people = (Person(id="alice", skills={"backend": 3}),)
    build = Task(id="build", effort=30, requires=("backend:3",), deadline=d("01-29"))
    reasons = explain(scenario([project("erp", build)], people=people))
    assert len(reasons) == 1
    assert reasons[0].startswith("Task 'build' (project erp) needs 30 person-days of work")
    assert "between 2027-01-04 and 2027-01-29" in reasons[0]
    assert "can deliver at most 20 then" in reasons[0]


def test_every_mode_is_reported_when_none_can_be_staffed() -> None:
    people = (Person(id="alice", skills={"backend": 3}, start=d("06-01")),)
    modes = (
        {"name": "inhouse", "requires": ("backend:3",)},
        {"name": "outsourced", "requires": ("backend:3",), "vendor": "only"},
    )
    build = Task(id="build", effort=5, modes=modes, deadline=d("02-26"))
    reasons = explain(scenario([project("erp", build)], people=people))
    assert len(reasons) == 1
    assert "cannot be done in any of its modes" in reasons[0]
    assert "Mode 'inhouse' needs backend at level 3" in reasons[0]
    assert "alice: joins 2027-06-01" in reasons[0]
    assert "Mode 'outsourced'" in reasons[0]


def release_chain(go_live_deadline: dt.date) -> Scenario:
    """design (10 days) → build (20 person-days, two people) → test (5 days) → go-live (1 day)."""
    people = (Person(id="alice", skills={"dev": 3}), Person(id="bob", skills={"dev": 3}))
    tasks = (
        Task(id="design", duration=10, requires=("dev",)),
        Task(id="build", effort=20, requires=("dev",), team=2, after=("design",)),
        Task(id="test", duration=5, requires=("dev",), after=("build",)),
        Task(id="go-live", duration=1, requires=("dev",), after=("test",), deadline=go_live_deadline),
    )
    return scenario([project("crm", *tasks)], people=people)


def test_hard_deadline_earlier_than_the_dependency_chain() -> None:
    # design: days 0-9 (to 01-15); build: 20 person-days with two people at 100 % takes
    # 10 days (to 01-29); test: 5 days (to 02-05); go-live: 1 day, Monday 8 February,
    # after its hard deadline of 1 February.
    assert explain(release_chain(d("02-01"))) == [
        "Task 'go-live' (project crm) has a hard deadline of 2027-02-01 but its dependency chain "
        "(design → build → test → go-live) cannot finish before 2027-02-08."
    ]


def test_deadline_on_the_earliest_finish_is_no_reason() -> None:
    assert explain(release_chain(d("02-08"))) == []


def test_chain_respects_lags_and_start_to_start_links() -> None:
    # build may start 3 days after design starts (SS+3) and lasts 10 days: days 3-12, so it
    # cannot finish before Wednesday 20 January, two days after its deadline.
    people = (Person(id="alice", skills={"dev": 3}), Person(id="bob", skills={"dev": 3}))
    tasks = (
        Task(id="design", duration=10, requires=("dev",)),
        Task(id="build", duration=10, requires=("dev",), after=("design SS+3",), deadline=d("01-18")),
    )
    reasons = explain(scenario([project("crm", *tasks)], people=people))
    assert reasons == [
        "Task 'build' (project crm) has a hard deadline of 2027-01-18 but its dependency chain "
        "(design → build) cannot finish before 2027-01-20."
    ]


def test_window_too_short_for_a_single_task() -> None:
    people = (Person(id="alice", skills={"dev": 3}),)
    uat = Task(id="uat", duration=10, requires=("dev",), earliest_start=d("01-11"), deadline=d("01-15"))
    reasons = explain(scenario([project("crm", uat)], people=people))
    assert reasons == [
        "Task 'uat' (project crm) has a hard deadline of 2027-01-15 but it cannot finish before "
        "2027-01-22: it starts no earlier than 2027-01-11."
    ]


def test_skill_capacity_short_before_a_deadline() -> None:
    # 84 person-days of security work at level 3 or above are due by 31 March. Carol is the
    # only person qualified (dan's level is too low): 63 working days from 4 January. The
    # vendor's 60-day lead time leaves its one contractor 3 days (29-31 March): 66 in all.
    # Each task alone fits carol's time, so only the total gives the shortage away.
    people = (Person(id="carol", skills={"security": 3}), Person(id="dan", skills={"security": 2}))
    vendors = (Vendor(id="secure-co", skills={"security": 4}, lead_time_days=60),)
    tasks = (
        Task(id="pentest", effort=50, requires=("security:3",)),
        Task(id="hardening", effort=34, requires=("security:3",)),
    )
    soc = project("soc", *tasks, deadline=d("03-31"), deadline_type="hard")
    reasons = explain(scenario([soc], people=people, vendors=vendors))
    assert reasons == [
        "By 2027-03-31, work needing security ≥ 3 totals 84 person-days (2 tasks with hard deadlines: "
        "pentest, hardening) but qualified people and contractors can supply at most 66 from 2027-01-04."
    ]


def test_pinned_person_without_the_skill() -> None:
    people = (Person(id="alice", skills={"backend": 3}), Person(id="dave", skills={"frontend": 3}))
    build = Task(id="build", effort=5, requires=("backend:3",), pinned=("dave",))
    reasons = explain(scenario([project("erp", build)], people=people))
    assert reasons == [
        "Task 'build' (project erp) has dave pinned, but dave cannot work on it: "
        "lacks backend but the task needs backend at level 3."
    ]


def test_pinned_person_who_leaves_before_the_task_can_start() -> None:
    people = (
        Person(id="alice", skills={"backend": 3}, end=d("01-08")),
        Person(id="bob", skills={"backend": 3}),
    )
    build = Task(id="build", effort=5, requires=("backend:3",), pinned=("alice",), earliest_start=d("02-01"))
    reasons = explain(scenario([project("erp", build)], people=people))
    assert reasons == [
        "Task 'build' (project erp) has alice pinned, but alice cannot work on it: leaves 2027-01-08."
    ]


def test_consumable_resource_overspent_by_the_cheapest_modes() -> None:
    people = (Person(id="alice", skills={"dev": 3}),)
    tasks = (
        Task(id="a", effort=1, requires=("dev",), resources={"licences": 3}),
        Task(id="b", effort=1, requires=("dev",), resources={"licences": 4}),
    )
    licences = SharedResource(id="licences", capacity=5, kind="consumable")
    reasons = explain(scenario([project("crm", *tasks)], people=people, resources=(licences,)))
    assert reasons == [
        "Resource 'licences' has 5 units in total but the tasks that must be planned use at least 7 "
        "(b: 4, a: 3)."
    ]


def test_renewable_resource_below_what_a_task_needs_at_once() -> None:
    people = (Person(id="alice", skills={"dev": 3}),)
    load_test = Task(id="load-test", duration=3, requires=("dev",), resources={"lab": 2})
    lab = SharedResource(id="lab", capacity=1)
    reasons = explain(scenario([project("crm", load_test)], people=people, resources=(lab,)))
    assert reasons == [
        "Task 'load-test' (project crm) needs 2 units of 'lab' at once in every mode, but its capacity is 1."
    ]


def test_budget_below_fixed_mode_costs() -> None:
    people = (Person(id="alice", skills={"dev": 3}),)
    tasks = (Task(id="licence", duration=1, requires=("dev",), cost=800.0),)
    reasons = explain(scenario([project("crm", *tasks, budget=500.0)], people=people))
    assert reasons == [
        "Project 'crm' has a budget of 500.00 EUR but the fixed costs of its tasks alone total at least "
        "800.00 EUR."
    ]


def test_candidate_projects_can_be_deferred() -> None:
    # Nobody can do the audit, but its project is a candidate: deferring it is a plan.
    people = (Person(id="alice", skills={"dev": 3}),)
    audit = Task(id="audit", effort=5, requires=("security:4",))
    assert explain(scenario([project("soc", audit, status="candidate")], people=people)) == []


def test_candidate_work_that_committed_work_depends_on_must_be_planned() -> None:
    people = (Person(id="alice", skills={"dev": 3}),)
    audit = Task(id="audit", effort=5, requires=("security:4",))
    launch = Task(id="launch", duration=1, requires=("dev",), after=("audit",))
    the_scenario = scenario(
        [project("soc", audit, status="candidate"), project("web", launch)], people=people
    )
    problem = compile_problem(the_scenario)
    assert required_tasks(problem) == {"audit", "launch"}
    reasons = explain_infeasibility(problem)
    assert len(reasons) == 1
    assert reasons[0].startswith("Task 'audit' (project soc) needs security at level 4")


def test_generated_portfolio_has_no_reason() -> None:
    # Generated portfolios keep their hard deadlines comfortably feasible: nothing to report.
    the_scenario = generate_scenario(people=120, vendors=6, projects=60, tasks=1500, weeks=26, seed=1)
    assert explain_infeasibility(compile_problem(the_scenario)) == []


def test_leave_blocks_every_fixed_duration_window() -> None:
    # The two-week UAT must end by Thursday 28 January; alice is away 11-15 January, which
    # leaves 5 free working days before her leave and 9 after it.
    leave = {"start": d("01-11"), "end": d("01-15")}
    people = (Person(id="alice", skills={"qa": 3}, time_off=(leave,)),)
    uat = Task(id="uat", duration=10, requires=("qa:2",), deadline=d("01-28"), vendor="never")
    reasons = explain(scenario([project("crm", uat)], people=people))
    assert reasons == [
        "Task 'uat' (project crm) needs qa at level 2 between 2027-01-04 and 2027-01-28; nobody "
        "qualified is available then (alice: never present for 10 working days in a row then "
        "(leave or holidays))."
    ]


def test_each_requirement_of_a_mixed_team_is_checked() -> None:
    # The mode needs two backend developers and one tester; only one developer exists.
    people = (Person(id="alice", skills={"backend": 3}), Person(id="tess", skills={"qa": 3}))
    requires = ({"skill": "backend", "level": 3, "people": 2}, "qa:2")
    build = Task(id="build", effort=10, requires=requires, vendor="never")
    reasons = explain(scenario([project("erp", build)], people=people))
    assert len(reasons) == 1
    assert "needs 2 people with backend at level 3 from 2027-01-04 on" in reasons[0]
    assert "only 1 qualified are available" in reasons[0]


def test_vendor_lead_time_and_finish_to_finish_lag_push_the_chain() -> None:
    # Only acme can do the migration, and not before day 10 (Monday 18 January); it takes
    # at least 5 days with one contractor (to Friday 22 January). The cut-over must finish
    # at least 2 days after it (FF+2): Tuesday 26 January, after its deadline.
    people = (Person(id="alice", skills={"ops": 3}),)
    vendors = (Vendor(id="acme", skills={"cloud": 3}, lead_time_days=10),)
    tasks = (
        Task(id="migrate", effort=5, requires=("cloud:3",)),
        Task(id="cut-over", duration=1, requires=("ops",), after=("migrate FF+2",), deadline=d("01-25")),
    )
    reasons = explain(scenario([project("dc", *tasks)], people=people, vendors=vendors))
    assert reasons == [
        "Task 'cut-over' (project dc) has a hard deadline of 2027-01-25 but its dependency chain "
        "(migrate → cut-over) cannot finish before 2027-01-26."
    ]


def test_fixed_duration_work_counts_towards_skill_capacity() -> None:
    # Three 25-day on-call rotas each book one person with ops at level 2 or above at 50 %
    # at least: 37.5 person-days. With a 20-day build for ops at level 2 that makes 57.5
    # before 31 March, against bob's half-time 31.5 days (63 days at 50 %).
    people = (Person(id="bob", skills={"ops": 2}, fte=0.5),)
    tasks = [Task(id=f"rota-{n}", duration=25, requires=("ops:2",)) for n in range(1, 4)]
    tasks.append(Task(id="tooling", effort=20, requires=("ops:2",), allocations=(50,)))
    ops = project("ops", *tasks, deadline=d("03-31"), deadline_type="hard")
    reasons = explain(scenario([ops], people=people))
    assert reasons == [
        "By 2027-03-31, work needing ops ≥ 2 totals 57.5 person-days (4 tasks with hard deadlines: "
        "rota-1, rota-2, rota-3, tooling) but qualified people and contractors can supply at most 31.5 "
        "from 2027-01-04."
    ]


def test_many_reasons_of_one_kind_are_counted_not_listed() -> None:
    tasks = [Task(id=f"t{n}", effort=1, requires=("cobol:5",)) for n in range(13)]
    reasons = explain(scenario([project("legacy", *tasks)], people=(Person(id="al", skills={"java": 3}),)))
    assert len(reasons) == 11
    assert reasons[-1] == "... and 3 more tasks nobody can do."
