"""Overtime: the rule on hand-checkable scenarios, the checker on tampered plans, input errors,
the advise lever, and a property over random small scenarios.

The scenarios start on Monday 2027-01-04 with a 40-hour, five-day contract week (8 h a day)
and no public holidays, so timeline days are the weekdays. Ana costs 400 a day (50 an hour);
with 10 h of overtime a week she works 2 h more each day, a quarter of a day: 1.25 person-days
per working day at 100 %.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import numpy as np
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solver_helpers import d, dates, person, planned, project, scenario, solve, stage_values, task, task_of

from allocator.advise.levers import candidate_levers
from allocator.app.cli import main
from allocator.app.common import EXIT_INPUT
from allocator.checker import check_plan
from allocator.cpsat.formulation.model import build_formulation
from allocator.io.schema import canonical_json
from allocator.plan.assemble import schedule_from_plan
from allocator.problem.compile import compile_problem
from allocator.problem.data import MONEY_SCALE
from allocator.risk.retime import retime
from allocator.risk.run import prepare
from allocator.risk.sample import sample_work
from allocator.search.evaluate import term_values
from allocator.whatif import apply_changes
from models import ChainStep, Explanation, ObjectiveTerm, Overtime, OvertimePolicy, Plan, Scenario

TEN_HOURS = Overtime(hours_per_week=10, cost_multiplier=1.5)


def _one_task(overtime: Overtime | None, effort: float = 10) -> Scenario:
    """Ana alone on one task at 100 %, due on the 8th working day (Wednesday 13 January)."""
    ana = person("ana", cost_per_day=400, overtime=overtime)
    build = task("build", effort=effort, allocations=(100,))
    return scenario(project("p", build, deadline=d("01-13")), people=(ana,))


def _violations(the_scenario: Scenario, plan: Plan) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for violation in check_plan(the_scenario, plan, figures=False).violations:
        found.setdefault(violation.rule, []).append(f"{violation.entity}: {violation.message}")
    return found


def _with_hours(plan: Plan, hours: float) -> Plan:
    """``plan`` with the overtime hours of every row of task ``build`` replaced."""
    tasks = []
    for tp in plan.tasks:
        rows = tuple(row.model_copy(update={"overtime_hours": hours}) for row in tp.assignments)
        tasks.append(tp.model_copy(update={"assignments": rows}) if tp.task == "build" else tp)
    return plan.model_copy(update={"tasks": tuple(tasks)})


def test_overtime_brings_a_task_in_by_two_days_at_a_known_cost():
    # 10 person-days at 1.25 a day take 8 working days (4..13 Jan) instead of 10, which meets
    # the deadline. 8 days x 2 h = 16 h of overtime at 50 x 1.5 = 75 an hour: 1,200.
    plain = planned(solve(_one_task(None)))
    assert dates(plain, "build") == (d("01-04"), d("01-15"), 10)
    assert plain.kpis.weighted_late_days == 2
    with_overtime = _one_task(TEN_HOURS)
    plan = planned(solve(with_overtime))
    assert dates(plan, "build") == (d("01-04"), d("01-13"), 8)
    (row,) = task_of(plan, "build").assignments
    assert row.overtime_hours == 16.0
    assert row.effort == 10.0
    assert plan.kpis.weighted_late_days == 0
    assert (plan.kpis.overtime_hours, plan.kpis.overtime_cost, plan.kpis.staff_cost) == (16.0, 1200.0, 3200.0)
    assert plan.projects[0].cost == 4400.0
    assert stage_values(plan)[:2] == [0.0, 1200.0]  # lateness, then cost (overtime pay counts)
    assert check_plan(with_overtime, plan).ok


def test_overtime_on_a_short_contract_week_at_half_time():
    # A 37.5 h week (7.5 h days); 7.5 h of overtime a week is a fifth of a day. At 50 % a day
    # delivers 0.5 x 1.2 = 0.6 person-days: 6 take 10 working days (12 without), due Friday 15
    # Jan. Overtime 10 days x 0.5 x 1.5 h = 7.5 h at 300 / 7.5 x 1.25 = 50 an hour: 375.
    terms = Overtime(hours_per_week=7.5, cost_multiplier=1.25)
    bea = person("bea", cost_per_day=300, overtime=terms)
    review = task("review", effort=6, allocations=(50,))
    the_scenario = scenario(project("p", review, deadline=d("01-15")), people=(bea,))
    the_scenario = the_scenario.model_copy(
        update={"calendar": the_scenario.calendar.model_copy(update={"hours_per_week": 37.5})}
    )
    plan = planned(solve(the_scenario))
    assert dates(plan, "review") == (d("01-04"), d("01-15"), 10)
    assert (plan.kpis.overtime_hours, plan.kpis.overtime_cost) == (7.5, 375.0)


def test_the_solver_free_evaluation_prices_overtime_as_the_model_does():
    the_scenario = _one_task(TEN_HOURS)
    plan = planned(solve(the_scenario))
    problem = compile_problem(the_scenario)
    values = term_values(problem, schedule_from_plan(problem, plan))
    assert values[ObjectiveTerm.COST] == 1200 * MONEY_SCALE
    assert values[ObjectiveTerm.STAFF_COST] == 3200 * MONEY_SCALE


def test_no_overtime_is_planned_where_it_saves_no_late_day():
    # A deadline the contract hours meet: the cost stage leaves overtime out.
    the_scenario = _one_task(TEN_HOURS, effort=5)
    plan = planned(solve(the_scenario))
    assert dates(plan, "build")[2] == 5
    assert plan.kpis.overtime_hours == 0


def test_the_cap_limits_overtime_to_one_of_two_tasks():
    # Two tasks of 5 person-days in a row. With overtime each takes 4 days (8 h); the cap of
    # 8 h allows it on one only: 4 + 5 = 9 working days, finish Thursday 14 Jan, one day late
    # (uncapped: 8 days, on time). Overtime pay 8 h x 75 = 600.
    capped = Overtime(hours_per_week=10, cost_multiplier=1.5, max_hours=8)
    ana = person("ana", cost_per_day=400, overtime=capped)
    first = task("first", effort=5, allocations=(100,))
    second = task("second", effort=5, allocations=(100,), after=["first"])
    the_scenario = scenario(project("p", first, second, deadline=d("01-13")), people=(ana,))
    plan = planned(solve(the_scenario))
    assert task_of(plan, "second").finish == d("01-14")
    assert plan.kpis.weighted_late_days == 1
    assert (plan.kpis.overtime_hours, plan.kpis.overtime_cost) == (8.0, 600.0)
    assert sorted(dates(plan, t)[2] for t in ("first", "second")) == [4, 5]


def test_fixed_duration_tasks_gain_nothing_from_overtime():
    ana = person("ana", cost_per_day=400, overtime=TEN_HOURS)
    window = task("uat", duration=10, allocations=(100,))
    the_scenario = scenario(project("p", window, deadline=d("01-13")), people=(ana,))
    plan = planned(solve(the_scenario))
    assert dates(plan, "uat")[2] == 10
    assert plan.kpis.overtime_hours == 0
    problem = compile_problem(the_scenario)
    assert "overtime[" not in str(build_formulation(problem).model.proto)


def test_the_checker_rejects_overtime_for_a_person_not_allowed_it():
    plan = planned(solve(_one_task(TEN_HOURS)))
    found = _violations(_one_task(None), plan)
    assert found["overtime"] == ["person ana: is not allowed overtime but works some on build"]
    assert "effort" in found  # without the hours, 8 days deliver 8 of 10 person-days


def test_the_checker_rejects_overtime_over_the_cap():
    plan = planned(solve(_one_task(TEN_HOURS)))
    capped = _one_task(Overtime(hours_per_week=10, cost_multiplier=1.5, max_hours=12))
    assert _violations(capped, plan) == {"overtime": ["person ana: works 16.00 h of overtime, at most 12 h"]}


def test_the_checker_rejects_recorded_hours_the_rule_does_not_give():
    the_scenario = _one_task(TEN_HOURS)
    plan = planned(solve(the_scenario))
    short = _violations(the_scenario, _with_hours(plan, 8.0))
    assert set(short) == {"overtime", "effort"}
    assert "team delivers 9.000 person-days" in short["effort"][0]
    assert "the rule gives 16.0000 h" in short["overtime"][0]
    inflated = _violations(the_scenario, _with_hours(plan, 40.0))
    assert set(inflated) == {"overtime"}


def test_the_checker_recomputes_overtime_pay_in_the_figures():
    the_scenario = _one_task(TEN_HOURS)
    plan = planned(solve(the_scenario))
    cheaper = plan.model_copy(update={"kpis": plan.kpis.model_copy(update={"overtime_cost": 800.0})})
    report = check_plan(the_scenario, cheaper)
    assert [(v.rule, v.entity) for v in report.violations] == [("figures", "plan kpis")]
    assert "overtime_cost" in report.violations[0].message


def test_the_weekly_rate_is_checked_day_by_day():
    # A plan claiming two overlapping bookings at 100 % with overtime: over capacity, and
    # 20 h of overtime in a week that allows 10.
    ana = person("ana", overtime=TEN_HOURS)
    one, two = task("one", effort=6.25, allocations=(100,)), task("two", effort=6.25, allocations=(100,))
    the_scenario = scenario(project("p", one, two), people=(ana,))
    plan = planned(solve(the_scenario, expect=None))
    both = []
    for tp in plan.tasks:
        row = tp.assignments[0].model_copy(update={"overtime_hours": 10.0})
        both.append(tp.model_copy(update={"start": d("01-04"), "finish": d("01-08"), "assignments": (row,)}))
    tampered = plan.model_copy(update={"tasks": tuple(both)})
    found = _violations(the_scenario, tampered)
    assert "capacity" in found
    assert found["overtime"] == [
        "person ana: works 20.00 h of overtime in the week of 2027-01-04, at most 10 h per week"
    ]


def test_people_without_overtime_build_the_same_model():
    # Ana switched off (0 h) and Ana without any overtime: the same CP model, and no
    # overtime variable; the scenario hash ignores unset overtime fields.
    off = _one_task(Overtime(hours_per_week=0))
    none = _one_task(None)
    protos = [str(build_formulation(compile_problem(s)).model.proto) for s in (off, none)]
    assert protos[0] == protos[1]
    assert "overtime" not in protos[1]
    assert "overtime" not in canonical_json(none) and "hours_per_week" not in canonical_json(none)


def test_a_plan_read_back_keeps_its_overtime():
    the_scenario = _one_task(TEN_HOURS)
    plan = planned(solve(the_scenario))
    schedule = schedule_from_plan(compile_problem(the_scenario), plan)
    assert schedule["build"].overtime == {"ana"}


def test_risk_retimes_a_plan_with_overtime_to_the_plan_itself():
    # Sampled at the planned effort, the booking with overtime still takes 8 days, not 10.
    the_scenario = _one_task(TEN_HOURS)
    plan = planned(solve(the_scenario))
    _, setup = prepare(the_scenario, plan, False)
    uniforms = np.full((2, 200), 0.5)
    happen = setup.events.happen(uniforms[:, len(setup.triangles) :])
    timing = retime(setup.model, sample_work(setup, uniforms, happen), happen, setup.events)
    (shape,) = setup.model.tasks
    assert (timing.start[shape.index, 0], timing.end[shape.index, 0]) == (0, 8)


def test_overtime_input_errors_name_file_person_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            start: 2027-01-04
            end: 2027-02-26
            people:
              - {id: ana, skills: [dev], overtime: {hours_per_week: -5, cost_multiplier: 0.8}}
              - {id: ben, skills: [dev], overtime: {hours_per_week: 5, max_hours: -1}}
            projects:
              - {id: p, tasks: [{id: t, effort: 5, requires: [dev]}]}
            """
        )
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == EXIT_INPUT
    for entity, field in (("ana", "hours_per_week"), ("ana", "cost_multiplier"), ("ben", "max_hours")):
        assert f"{path}: person '{entity}' field 'overtime.{field}'" in result.output


def test_overtime_above_the_contract_week_is_an_input_error(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            start: 2027-01-04
            end: 2027-02-26
            calendar: {hours_per_week: 37.5}
            people: [{id: ana, skills: [dev], overtime: {hours_per_week: 38}}]
            projects: [{id: p, tasks: [{id: t, effort: 5, requires: [dev]}]}]
            """
        )
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == EXIT_INPUT
    assert (
        f"{path}: person 'ana' field 'overtime.hours_per_week': 38 h of overtime per week exceeds "
        "the contract week of 37.5 h"
    ) in " ".join(result.output.split())


def _late_explanation() -> Explanation:
    step = ChainStep(
        task="build", project="p", start=d("01-04"), finish=d("01-15"), working_days=10, people=("ana",)
    )
    return Explanation(project="p", finish=d("01-15"), deadline=d("01-13"), late_days=2, chain=(step,))


def test_advise_offers_overtime_only_under_the_scenario_policy():
    policy = OvertimePolicy(hours_per_week=10, cost_multiplier=1.5, max_hours=40)
    without = _one_task(None)
    assert not [lv for lv in candidate_levers(without, [_late_explanation()]) if lv.kind == "overtime"]
    allowed = without.model_copy(update={"overtime_policy": policy})
    (offer,) = [lv for lv in candidate_levers(allowed, [_late_explanation()]) if lv.kind == "overtime"]
    assert offer.name == "allow overtime for ana (10 h/week, up to 40 h, at x1.5)"
    other_team = allowed.model_copy(update={"overtime_policy": policy.model_copy(update={"teams": ("ops",)})})
    assert not [lv for lv in candidate_levers(other_team, [_late_explanation()]) if lv.kind == "overtime"]
    changed = apply_changes(allowed, offer.changes, "remedy.yaml")
    assert changed.people[0].overtime == Overtime(hours_per_week=10, cost_multiplier=1.5, max_hours=40)
    plan = planned(solve(changed))
    assert plan.kpis.weighted_late_days == 0


@st.composite
def _small_scenarios(draw: st.DrawFn) -> tuple[Scenario, Scenario]:
    """One or two people (some allowed overtime), two or three tasks, a tight deadline;
    the same scenario with every overtime removed."""
    people = []
    for index in range(draw(st.integers(1, 2))):
        hours = draw(st.sampled_from([0, 4, 10, 16]))
        cap = draw(st.sampled_from([None, 8, 24]))
        overtime = Overtime(hours_per_week=hours, cost_multiplier=1.5, max_hours=cap) if hours else None
        people.append(person(f"p{index}", cost_per_day=draw(st.sampled_from([300, 500])), overtime=overtime))
    tasks = []
    for index in range(draw(st.integers(2, 3))):
        after = [f"t{index - 1}"] if index and draw(st.booleans()) else []
        effort = draw(st.sampled_from([2, 3.5, 5, 8]))
        tasks.append(task(f"t{index}", effort=effort, after=after, allocations=(50, 100)))
    deadline = MONDAY_PLUS[draw(st.integers(3, 10))]
    with_overtime = scenario(project("p", *tasks, deadline=deadline), people=tuple(people), weeks=4)
    plain = with_overtime.model_copy(
        update={"people": tuple(p.model_copy(update={"overtime": None}) for p in with_overtime.people)}
    )
    return with_overtime, plain


#: Weekdays from Monday 4 January 2027, by index.
MONDAY_PLUS = [dt.date(2027, 1, 4) + dt.timedelta(days=n + 2 * (n // 5)) for n in range(20)]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_small_scenarios())
def test_plans_with_overtime_verify_and_are_never_later(pair):
    with_overtime, plain = pair
    plan = planned(solve(with_overtime, time_limit=10))  # solve() runs the checker on it
    baseline = planned(solve(plain, time_limit=10))
    assert plan.kpis.weighted_late_days <= baseline.kpis.weighted_late_days
    allowed = {p.id for p in with_overtime.people if p.overtime is not None}
    used = {row.resource for tp in plan.tasks for row in tp.assignments if row.overtime_hours > 0}
    assert used <= allowed
