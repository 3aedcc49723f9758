"""The independent checker: a valid hand-written plan passes, and each broken variant
fails with the expected rule and entity.

The scenario and the valid plan are described in ``test_checker_scenarios.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_checker_scenarios import (
    d,
    make_plan,
    person,
    scenario,
    task_plan,
    valid_task_plans,
    vendor,
)

from allocator.checker import RULES, check_plan
from models import Plan, Scenario, TaskPlan

Plans = dict[str, TaskPlan]


def _replace(plans: Plans, name: str, **changes: object) -> Plans:
    plans[name] = plans[name].model_copy(update=changes)
    return plans


def _rows(plans: Plans, name: str, *rows: object) -> Plans:
    return _replace(plans, name, assignments=rows)


def _without(plans: Plans, name: str) -> Plans:
    del plans[name]
    return plans


def _check(plans: list[TaskPlan], the_scenario: Scenario | None = None) -> tuple[Plan, object]:
    the_scenario = the_scenario or scenario()
    plan = make_plan(the_scenario, plans)
    return plan, check_plan(the_scenario, plan)


def test_valid_plan_passes_every_rule() -> None:
    _, report = _check(list(valid_task_plans().values()))
    assert report.ok, report.violations
    assert report.warnings == ()
    assert set(report.checked_rules) == {*RULES, "figures"}


# Each variant breaks one rule of the valid plan; other rules may break as a consequence.
VARIANTS: dict[str, tuple[Callable[[Plans], Plans | list[TaskPlan]], str, str]] = {
    "unknown task": (
        lambda p: [*p.values(), task_plan("ghost", "crm", "05-18", "05-18", 1)],
        "plan-ids",
        "task ghost",
    ),
    "unknown person": (
        lambda p: _rows(p, "design", person("zed", skill="backend")),
        "plan-ids",
        "person zed",
    ),
    "unknown vendor": (
        lambda p: _rows(p, "build", person("alice", skill="backend"), vendor("nope", skill="backend")),
        "plan-ids",
        "vendor nope",
    ),
    "task twice": (lambda p: [*p.values(), p["design"]], "duplicate-task", "task design"),
    "finish on a Saturday": (lambda p: _replace(p, "design", finish=d("05-02")), "dates", "task design"),
    "working days miscounted": (lambda p: _replace(p, "design", working_days=5), "dates", "task design"),
    "before project earliest start": (
        lambda p: _replace(p, "ui", start=d("04-30"), working_days=7),
        "earliest-start",
        "task ui",
    ),
    "unknown mode": (lambda p: _replace(p, "test", mode="fast"), "mode", "task test"),
    "committed task missing": (lambda p: _without(p, "api"), "projects", "project web"),
    "candidate half planned": (
        lambda p: [
            *p.values(),
            task_plan("poc", "pilot", "05-12", "05-13", 2, person("carol", skill="backend")),
        ],
        "projects",
        "project pilot",
    ),
    "level too low": (
        lambda p: _rows(p, "ui", person("alice", skill="frontend")),
        "qualification",
        "task ui",
    ),
    "requirement not named": (lambda p: _rows(p, "ui", person("carol")), "qualification", "task ui"),
    "too few heads": (
        lambda p: _rows(p, "build", person("alice", skill="backend")),
        "headcount",
        "task build",
    ),
    "team too large": (
        lambda p: _rows(
            p,
            "build",
            person("alice", skill="backend"),
            vendor("acme", skill="backend"),
            person("bob", 50, skill="backend"),
            person("carol", skill="backend"),
        ),
        "team-size",
        "task build",
    ),
    "allocation not allowed": (
        lambda p: _rows(p, "design", person("alice", 75, skill="backend")),
        "allocation",
        "task design",
    ),
    "vendor on a never task": (
        lambda p: _rows(p, "test", person("dave", skill="testing"), vendor("acme", skill="testing")),
        "vendor-policy",
        "task test",
    ),
    "pinned person missing": (
        lambda p: _rows(p, "build", person("carol", skill="backend"), vendor("acme", skill="backend")),
        "pinned",
        "task build",
    ),
    "excluded person assigned": (
        lambda p: _rows(p, "api", person("alice", 50, skill="backend")),
        "excluded",
        "task api",
    ),
    "after the leaver's last day": (
        lambda p: _replace(p, "test", start=d("05-14"), finish=d("05-18"), working_days=3),
        "employment",
        "person dave",
    ),
    "over capacity": (
        lambda p: _rows(p, "api", person("bob", 100, skill="backend")),
        "capacity",
        "person bob",
    ),
    "too many concurrent tasks": (
        lambda p: _rows(p, "api", person("bob", 50, skill="backend"), person("carol", 50, skill="backend")),
        "concurrency",
        "person carol",
    ),
    # Counting carol's half days as full (3.0) would wrongly pass: she delivers 1.5.
    "half days of leave count half": (
        lambda p: _replace(p, "ui", finish=d("05-08"), working_days=3),
        "effort",
        "task ui",
    ),
    # Counting May 4 (alice's bank holiday) would give 10: she delivers 4 + 4.
    "bank holiday delivers nothing": (
        lambda p: _replace(p, "build", start=d("05-04"), finish=d("05-08"), working_days=5),
        "effort",
        "task build",
    ),
    # bob (DE) is off on Ascension Day: 3 x 0.5 = 1.5 < 2.
    "foreign holiday delivers nothing": (
        lambda p: _replace(p, "api", start=d("05-11"), finish=d("05-14"), working_days=4),
        "effort",
        "task api",
    ),
    "fixed duration changed": (
        lambda p: _replace(p, "test", finish=d("05-15"), working_days=4),
        "duration",
        "task test",
    ),
    "absent on a fixed-duration day": (
        lambda p: _rows(p, "test", person("bob", 50, skill="testing")),
        "presence",
        "person bob",
    ),
    "predecessor not planned": (lambda p: _without(p, "design"), "predecessor", "task build"),
    "finish-to-start broken": (
        lambda p: _replace(p, "build", start=d("04-30"), working_days=8),
        "dependency",
        "task build",
    ),
    "start-to-start lag broken": (
        lambda p: _replace(p, "api", start=d("05-07"), working_days=6),
        "dependency",
        "task api",
    ),
    "finish-to-finish lag broken": (
        lambda p: _replace(p, "api", start=d("05-08"), finish=d("05-11"), working_days=2),
        "dependency",
        "task api",
    ),
    "milestone before its predecessor ends": (
        lambda p: _replace(p, "launch", start=d("05-13"), finish=d("05-13")),
        "dependency",
        "task launch",
    ),
    "hard task deadline missed": (
        lambda p: _replace(p, "test", start=d("05-13"), finish=d("05-15"), working_days=3),
        "deadline",
        "task test",
    ),
    "vendor headcount exceeded": (
        lambda p: _rows(p, "build", person("alice", skill="backend"), vendor("acme", 3, skill="backend")),
        "vendor-headcount",
        "vendor acme",
    ),
    "vendor before its lead time": (
        lambda p: _replace(p, "build", start=d("05-01"), finish=d("05-07"), working_days=5),
        "vendor-lead-time",
        "vendor acme",
    ),
    "vendor spend cap": (
        lambda p: _rows(p, "build", person("alice", skill="backend"), vendor("acme", 2, skill="backend")),
        "vendor-spend",
        "vendor acme",
    ),
    "vendor minimum engagement": (
        lambda p: _rows(
            p,
            "build",
            person("alice", skill="backend"),
            vendor("acme", skill="backend"),
            vendor("beta", skill="backend"),
        ),
        "vendor-engagement",
        "vendor beta",
    ),
    "renewable resource shared": (
        lambda p: _replace(p, "test", start=d("05-11"), finish=d("05-13"), working_days=3),
        "resource-renewable",
        "resource env",
    ),
    "consumable resource overused": (
        lambda p: [
            *p.values(),
            task_plan("poc", "pilot", "05-12", "05-13", 2, person("carol", skill="backend")),
            task_plan("review", "pilot", "05-14", "05-14", 1, person("carol", skill="frontend")),
        ],
        "resource-consumable",
        "resource licences",
    ),
    # The express mode costs 1,500 on top: 9,900 - 900 + 600 + 1,500 = 11,100 > 10,000.
    "project over budget": (
        lambda p: _replace(p, "test", mode="express", finish=d("05-13"), working_days=2),
        "budget",
        "project crm",
    ),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_broken_variant_reports_its_rule(name: str) -> None:
    mutate, rule, entity = VARIANTS[name]
    changed = mutate(valid_task_plans())
    plans = list(changed.values()) if isinstance(changed, dict) else changed
    _, report = _check(plans)
    assert not report.ok
    found = {(v.rule, v.entity) for v in report.violations}
    assert (rule, entity) in found, report.violations


def test_express_mode_within_budget_is_valid() -> None:
    # The same mode change passes when the budget allows it: only the budget broke above.
    plans = _replace(valid_task_plans(), "test", mode="express", finish=d("05-13"), working_days=2)
    the_scenario = scenario()
    crm = the_scenario.projects[0].model_copy(update={"budget": 11100})
    the_scenario = the_scenario.model_copy(update={"projects": (crm, *the_scenario.projects[1:])})
    _, report = _check(list(plans.values()), the_scenario)
    assert report.ok, report.violations


def test_hard_project_deadline() -> None:
    the_scenario = scenario(crm_deadline=d("05-14"))
    crm = the_scenario.projects[0].model_copy(update={"deadline_type": "hard"})
    the_scenario = the_scenario.model_copy(update={"projects": (crm, *the_scenario.projects[1:])})
    _, report = _check(list(valid_task_plans().values()), the_scenario)
    # The launch milestone is reached at the end of May 14, the deadline day.
    assert report.ok, report.violations
    plans = _replace(valid_task_plans(), "launch", start=d("05-15"), finish=d("05-15"))
    _, report = _check(list(plans.values()), the_scenario)
    assert ("deadline", "task launch") in {(v.rule, v.entity) for v in report.violations}


def test_violation_message_gives_dates_and_numbers() -> None:
    plans = _rows(valid_task_plans(), "api", person("bob", 100, skill="backend"))
    _, report = _check(list(plans.values()))
    (capacity,) = [v for v in report.violations if v.rule == "capacity"]
    assert "2026-05-08..2026-05-14" in capacity.message
    assert "100 %" in capacity.message and "capacity 50 %" in capacity.message


def test_recorded_figures_are_recomputed() -> None:
    the_scenario = scenario()
    plan = make_plan(the_scenario, list(valid_task_plans().values()))
    crm = plan.projects[0].model_copy(update={"late_days": 3})
    kpis = plan.kpis.model_copy(update={"vendor_cost": 1.0})
    vendors = (plan.vendors[0].model_copy(update={"peak_headcount": 2}),)
    tampered = plan.model_copy(
        update={"projects": (crm, *plan.projects[1:]), "kpis": kpis, "vendors": vendors}
    )
    report = check_plan(the_scenario, tampered)
    found = {(v.rule, v.entity) for v in report.violations}
    assert found == {("figures", "project crm"), ("figures", "plan kpis"), ("figures", "vendor acme")}
    assert check_plan(the_scenario, tampered, figures=False).ok


def test_missing_figures_are_reported() -> None:
    the_scenario = scenario()
    plan = make_plan(the_scenario, list(valid_task_plans().values()))
    report = check_plan(the_scenario, plan.model_copy(update={"vendors": (), "loads": plan.loads[1:]}))
    found = {(v.rule, v.entity) for v in report.violations}
    assert ("figures", "vendor acme") in found
    assert ("figures", f"load {plan.loads[0].resource} {plan.loads[0].week}") in found


def test_warnings_for_late_window_excess_work_and_recorded_effort() -> None:
    the_scenario = scenario()
    plans = valid_task_plans()
    # api runs two days longer than its effort needs (bob delivers 3.0 for 2).
    plans = _replace(plans, "api", finish=d("05-18"), working_days=7)
    plan = make_plan(the_scenario, list(plans.values()))
    wrong = plan.tasks[0].assignments[0].model_copy(update={"effort": 9.0})
    tasks = (plan.tasks[0].model_copy(update={"assignments": (wrong,)}), *plan.tasks[1:])
    report = check_plan(the_scenario, plan.model_copy(update={"tasks": tasks}))
    assert report.ok, report.violations
    text = "\n".join(report.warnings)
    assert "task api: scheduled longer than needed" in text
    assert "task design: person alice records effort 9" in text
    late_scenario = the_scenario.model_copy(update={"end": d("05-13")})
    plan = make_plan(late_scenario, list(valid_task_plans().values()))
    report = check_plan(late_scenario, plan)
    assert report.ok, report.violations
    assert any("task launch finishes 2026-05-14, after the window end" in w for w in report.warnings)
