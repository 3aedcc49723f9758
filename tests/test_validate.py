"""Cross-reference checks: every problem kind names the right file, entity and field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from allocator.io import InputProblem
from allocator.io.checks import find_cycles, find_problems, find_warnings
from models import Scenario

FILE = "scenarios/q1.yaml"


def base() -> dict[str, Any]:
    """A valid scenario: two people, one vendor, one resource, one project of three tasks.

    2027-01-04 is a Monday; no public holidays (no country), so every weekday is worked.
    """
    return {
        "start": "2027-01-04",
        "end": "2027-03-31",
        "people": [
            {"id": "ana", "skills": {"backend": 4, "sql": 3}},
            {"id": "ben", "skills": {"frontend": 3, "qa": 2}},
        ],
        "vendors": [{"id": "acme", "skills": {"backend": 3}, "headcount": 2}],
        "resources": [{"id": "test-env", "capacity": 1}],
        "projects": [
            {
                "id": "crm",
                "tasks": [
                    {"id": "crm-design", "effort": 5, "requires": ["backend:3"]},
                    {"id": "crm-build", "effort": 10, "requires": ["backend:2"], "after": ["crm-design"]},
                    {"id": "crm-uat", "duration": 5, "requires": ["qa:2"], "after": ["crm-build"]},
                ],
            }
        ],
    }


def task(data: dict[str, Any], ident: str) -> dict[str, Any]:
    """The raw task ``ident`` of ``data``, to modify in place."""
    found = [t for p in data["projects"] for t in p.get("tasks", []) if t["id"] == ident]
    return found[0]


def problems_of(data: dict[str, Any]) -> list[InputProblem]:
    return find_problems(Scenario.model_validate(data), FILE)


def only(data: dict[str, Any]) -> InputProblem:
    found = problems_of(data)
    assert len(found) == 1, found
    assert found[0].file == FILE
    return found[0]


def test_base_scenario_has_no_problems_and_no_warnings() -> None:
    scenario = Scenario.model_validate(base())
    assert find_problems(scenario, FILE) == []
    assert find_warnings(scenario) == []


@pytest.mark.parametrize(
    ("change", "entity", "message"),
    [
        (lambda d: d["people"].append({"id": "ana", "skills": {"x": 1}}), "person 'ana'", "used twice"),
        (lambda d: d["vendors"].append({"id": "ben"}), "vendor 'ben'", "first by person 'ben'"),
        (lambda d: d["resources"].append({"id": "test-env", "capacity": 2}), "resource 'test-env'", "twice"),
        (lambda d: d["projects"].append({"id": "crm"}), "project 'crm'", "used twice"),
        (
            lambda d: d["projects"].append({"id": "erp", "tasks": [{"id": "crm-uat", "duration": 1}]}),
            "task 'crm-uat'",
            "first by task 'crm-uat' in project 'crm'",
        ),
    ],
)
def test_duplicate_ids(change: Any, entity: str, message: str) -> None:
    data = base()
    change(data)
    problem = only(data)
    assert (problem.entity, problem.field) == (entity, "id")
    assert message in problem.message


def test_unknown_dependency_suggests_the_close_id() -> None:
    data = base()
    task(data, "crm-build")["after"] = ["crm-desing"]
    problem = only(data)
    assert str(problem) == (
        "scenarios/q1.yaml: task 'crm-build' field 'after[0].task': "
        "unknown task 'crm-desing' (did you mean 'crm-design'?)"
    )


@pytest.mark.parametrize("role", ["pinned", "excluded", "preferred"])
def test_unknown_person_in_task(role: str) -> None:
    data = base()
    task(data, "crm-design")[role] = ["ana", "anna"]
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-design'", f"{role}[1]")
    assert "unknown person 'anna' (did you mean 'ana'?)" in problem.message


def test_vendor_cannot_be_pinned() -> None:
    data = base()
    task(data, "crm-design")["pinned"] = ["acme"]
    problem = only(data)
    assert problem.field == "pinned[0]"
    assert "is a vendor" in problem.message


def test_unknown_task_resource_and_mode_resource() -> None:
    data = base()
    task(data, "crm-design")["resources"] = {"test-envv": 1}
    task(data, "crm-build")["modes"] = [{"name": "fast", "resources": {"lab": 1}}]
    found = problems_of(data)
    assert [(p.entity, p.field) for p in found] == [
        ("task 'crm-design'", "resources.test-envv"),
        ("task 'crm-build'", "modes[0].resources.lab"),
    ]
    assert "did you mean 'test-env'" in found[0].message
    assert "unknown resource 'lab'" in found[1].message


def test_pinned_and_excluded_person() -> None:
    data = base()
    task(data, "crm-design").update(pinned=["ana"], excluded=["ana"])
    found = problems_of(data)
    conflict = [p for p in found if "both pinned and excluded" in p.message]
    assert [(p.entity, p.field) for p in conflict] == [("task 'crm-design'", "pinned[0]")]


def test_pinned_person_without_any_required_skill() -> None:
    data = base()
    task(data, "crm-design")["pinned"] = ["ben"]
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-design'", "pinned[0]")
    assert "meets none of the skill requirements" in problem.message


def test_dependency_cycle_is_printed_in_order() -> None:
    data = base()
    task(data, "crm-design")["after"] = ["crm-uat"]
    problem = only(data)
    assert problem.entity == "task 'crm-build'"
    assert problem.field == "after[0].task"
    assert problem.message == "dependency cycle: crm-build -> crm-uat -> crm-design -> crm-build"


def test_self_dependency_is_a_cycle() -> None:
    data = base()
    task(data, "crm-design")["after"] = ["crm-design"]
    assert only(data).message == "dependency cycle: crm-design -> crm-design"


def test_find_cycles_handles_long_chains_without_recursion() -> None:
    chain = {str(i): [str(i + 1)] for i in range(5000)}
    chain["5000"] = ["0"]
    cycles = find_cycles(chain)
    assert len(cycles) == 1
    assert len(cycles[0]) == 5001
    assert find_cycles({"a": ["b"], "b": []}) == []


def test_skill_nobody_has() -> None:
    data = base()
    task(data, "crm-design")["requires"] = ["backend:5"]
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-design'", "requires[0]")
    assert problem.message == "nobody has skill 'backend' at level 5 or above"


def test_vendor_policy_never_removes_the_only_qualified_source() -> None:
    data = base()
    data["people"][0]["skills"]["backend"] = 2
    task(data, "crm-design").update(vendor="never")
    problem = only(data)
    assert problem.field == "requires[0]"
    assert "contractors may not do this task" in problem.message


def test_vendor_policy_only_without_qualified_vendor() -> None:
    data = base()
    task(data, "crm-uat")["vendor"] = "only"
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-uat'", "requires[0]")
    assert "vendor policy is 'only'" in problem.message


def test_too_few_qualified_people() -> None:
    data = base()
    task(data, "crm-uat")["requires"] = [{"skill": "qa", "level": 2, "people": 2}]
    problem = only(data)
    assert "needs 2 people with 'qa' at level 2 or above but only 1 qualify" in problem.message


def test_team_max_below_required_people() -> None:
    data = base()
    task(data, "crm-build").update(requires=[{"skill": "backend", "people": 3}], team={"min": 1, "max": 2})
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-build'", "team")
    assert "team max 2 is smaller than the 3 people" in problem.message


def test_effort_driven_task_with_team_max_zero() -> None:
    data = base()
    task(data, "crm-build").update(requires=[], team=0)
    problem = only(data)
    assert problem.field == "team"
    assert "team max is 0" in problem.message


def test_task_is_fine_when_one_mode_is_doable_but_warns_about_the_other() -> None:
    data = base()
    task(data, "crm-design")["modes"] = [{"name": "expert", "requires": ["backend:5"]}, {"name": "normal"}]
    scenario = Scenario.model_validate(data)
    assert find_problems(scenario, FILE) == []
    assert any("mode 'expert' can never be used" in w for w in find_warnings(scenario))


def test_task_with_no_doable_mode_lists_every_mode() -> None:
    data = base()
    task(data, "crm-design")["modes"] = [
        {"name": "expert", "requires": ["backend:5"]},
        {"name": "crowd", "team": {"min": 1, "max": 1}, "requires": [{"skill": "sql", "people": 2}]},
    ]
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-design'", "modes")
    assert "mode 'expert': nobody has skill 'backend' at level 5" in problem.message
    assert "mode 'crowd': " in problem.message


def test_fixed_duration_longer_than_its_window() -> None:
    data = base()
    # Mon 2027-01-04 .. Fri 2027-01-08 is five working days; the task lasts six.
    task(data, "crm-uat").update(duration=6, deadline="2027-01-08", after=[])
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-uat'", "duration")
    assert "only 5 working days lie between 2027-01-04 and the hard deadline 2027-01-08" in problem.message


def test_fixed_duration_that_just_fits() -> None:
    data = base()
    task(data, "crm-uat").update(duration=5, deadline="2027-01-08", after=[])
    assert problems_of(data) == []


def test_effort_cannot_fit_with_the_largest_team() -> None:
    data = base()
    # 12 person-days with at most 2 people need 6 working days; the project allows 5.
    data["projects"][0].update(deadline="2027-01-08", deadline_type="hard")
    for t in data["projects"][0]["tasks"]:
        t["after"] = []
    task(data, "crm-build").update(effort=12, team={"min": 1, "max": 2})
    task(data, "crm-uat")["duration"] = 1
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-build'", "effort")
    assert "need at least 6 working days with 2 people" in problem.message


def test_window_counts_public_holidays_of_the_calendar() -> None:
    data = base()
    data["calendar"] = {"country": "GB", "subdivision": "ENG"}
    data["start"] = "2027-12-20"
    data["end"] = "2028-01-31"
    # 2027-12-20 .. 12-31: ten weekdays, minus Christmas (Mon 27th, substitute) and Boxing Day (Tue 28th).
    task(data, "crm-uat").update(duration=9, deadline="2027-12-31", after=[])
    problem = only(data)
    assert "only 8 working days" in problem.message


def test_hard_deadline_before_earliest_start() -> None:
    data = base()
    task(data, "crm-uat").update(earliest_start="2027-02-01", deadline="2027-01-29")
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-uat'", "deadline")
    assert "before the earliest start 2027-02-01" in problem.message


def test_project_hard_deadline_before_its_start() -> None:
    data = base()
    data["projects"][0].update(earliest_start="2027-02-01", deadline="2027-01-29", deadline_type="hard")
    found = problems_of(data)
    assert found[0].entity == "project 'crm'"
    assert found[0].field == "deadline"


def test_task_deadline_after_project_deadline_is_fine() -> None:
    data = base()
    data["projects"][0].update(deadline="2027-03-31", deadline_type="hard")
    task(data, "crm-uat")["deadline"] = "2027-06-30"
    assert problems_of(data) == []


def test_task_earliest_start_after_project_hard_deadline() -> None:
    data = base()
    data["projects"][0].update(deadline="2027-02-26", deadline_type="hard")
    task(data, "crm-uat")["earliest_start"] = "2027-03-01"
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-uat'", "earliest_start")
    assert "after the hard deadline 2027-02-26 of project 'crm'" in problem.message


def test_soft_project_deadline_does_not_bound_the_window() -> None:
    data = base()
    data["projects"][0].update(deadline="2027-01-05")
    assert problems_of(data) == []


def test_resource_demand_above_capacity() -> None:
    data = base()
    task(data, "crm-uat")["resources"] = {"test-env": 2}
    problem = only(data)
    assert (problem.entity, problem.field) == ("task 'crm-uat'", "resources.test-env")
    assert "uses 2 units of 'test-env' but its capacity is 1" in problem.message


def test_negative_resource_units() -> None:
    data = base()
    task(data, "crm-uat")["resources"] = {"test-env": -1}
    assert "must not be negative" in only(data).message


def test_unknown_country_and_subdivision() -> None:
    data = base()
    data["calendar"] = {"country": "XX"}
    data["people"][0].update(country="DE", subdivision="BYY")
    found = problems_of(data)
    assert [(p.entity, p.field) for p in found] == [
        ("scenario", "calendar.country"),
        ("person 'ana'", "subdivision"),
    ]
    assert "did you mean 'BY'" in found[1].message


def test_several_problems_are_all_reported() -> None:
    data = base()
    data["people"].append({"id": "ana"})
    task(data, "crm-build")["after"] = ["nothing"]
    task(data, "crm-uat")["resources"] = {"test-env": 5}
    task(data, "crm-design")["requires"] = ["cobol:2"]
    kinds = {(p.entity, p.field) for p in problems_of(data)}
    assert kinds == {
        ("person 'ana'", "id"),
        ("task 'crm-build'", "after[0].task"),
        ("task 'crm-uat'", "resources.test-env"),
        ("task 'crm-design'", "requires[0]"),
    }


def test_warnings() -> None:
    data = base()
    data["people"].append({"id": "cleo", "time_off": [{"start": "2026-12-01", "end": "2026-12-05"}]})
    data["projects"].append({"id": "nice-to-have", "status": "candidate"})
    task(data, "crm-design")["allocations"] = [100]
    data["people"][0]["reserve"] = 0.3
    warnings = find_warnings(Scenario.model_validate(data))
    assert "person 'cleo' has no skills, so no task can use them" in warnings
    assert any("cleo" in w and "outside the plan window" in w for w in warnings)
    assert any("'nice-to-have' is a candidate with value 0" in w for w in warnings)
    assert any("'crm-design'" in w and "smallest allowed allocation is 100%" in w for w in warnings)
    assert find_problems(Scenario.model_validate(data), FILE) == []


def test_checks_do_not_modify_the_input() -> None:
    data = base()
    before = copy.deepcopy(data)
    problems_of(data)
    assert data == before


def test_subdivision_aliases_the_holiday_tables_know_are_accepted() -> None:
    data = base()
    data["calendar"] = {"country": "GB", "subdivision": "England"}
    assert problems_of(data) == []
