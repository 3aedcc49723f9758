"""Each what-if change type applied to a small base, and validated with clear problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from allocator.io import ScenarioError, load_scenario
from allocator.whatif import apply_changes, describe_change, parse_quick_change, parse_quick_variant
from allocator.whatif.quick import QuickChangeError
from models.whatif import Change

DATA = Path(__file__).parent / "data" / "whatif"
CHANGE = TypeAdapter(Change)


@pytest.fixture(scope="module")
def base():
    return load_scenario(DATA / "base.yaml")


def apply(base, *raw):
    return apply_changes(base, [CHANGE.validate_python(r) for r in raw], "variant.yaml")


def problems(base, *raw):
    with pytest.raises(ScenarioError) as caught:
        apply(base, *raw)
    return caught.value.problems


def test_add_person_joins_on_start(base):
    raw = {"type": "add-person", "person": {"id": "cy", "skills": ["backend:4"]}, "start": "2027-02-01"}
    person = apply(base, raw).person_index()["cy"]
    assert person.start == dt.date(2027, 2, 1) and person.skills == {"backend": 4}


def test_remove_person_from_a_date_sets_the_last_day(base):
    scenario = apply(base, {"type": "remove-person", "person": "bo", "from": "2027-01-11"})
    assert scenario.person_index()["bo"].end == dt.date(2027, 1, 10)


def test_remove_person_without_date_drops_them_and_their_pins(base):
    scenario = apply(
        base, {"type": "pin", "task": "a1", "person": "bo"}, {"type": "remove-person", "person": "bo"}
    )
    assert "bo" not in scenario.person_index()
    assert scenario.task_index()["a1"][1].pinned == ()


def test_time_off_and_capacity(base):
    scenario = apply(
        base,
        {"type": "time-off", "person": "ana", "start": "2027-01-11", "end": "2027-01-15", "fraction": 0.5},
        {"type": "capacity", "person": "ana", "fte": 0.8, "reserve": 0.1},
    )
    ana = scenario.person_index()["ana"]
    assert ana.time_off[-1].fraction == 0.5 and (ana.fte, ana.reserve) == (0.8, 0.1)


def test_vendor_added_and_changed(base):
    scenario = apply(
        base,
        {
            "type": "add-vendor",
            "vendor": {"id": "zen", "skills": {"backend": 4}, "headcount": 2, "day_rate": 500},
        },
        {"type": "vendor", "vendor": "acme", "headcount": 3, "day_rate": 350, "spend_cap": 10000},
        {"type": "vendor", "vendor": "acme", "spend_cap_factor": 0.7},
    )
    acme = scenario.vendor_index()["acme"]
    assert (acme.headcount, acme.day_rate, acme.spend_cap) == (3, 350, 7000)
    assert scenario.vendor_index()["zen"].headcount == 2


def test_vendor_engaged_earlier(base):
    change = {"type": "vendor", "vendor": "acme", "lead_time_days": 0}
    assert apply(base, change).vendor_index()["acme"].lead_time_days == 0
    assert "lead time 0 working days" in describe_change(CHANGE.validate_python(change))


def test_effort_by_factor_and_by_days(base):
    scenario = apply(
        base,
        {"type": "effort", "project": "alpha", "factor": 1.5},
        {"type": "effort", "task": "b1", "add": -4},
    )
    tasks = scenario.task_index()
    assert tasks["a1"][1].effort == 15 and tasks["b1"][1].effort == 6


def test_dates_move(base):
    scenario = apply(
        base,
        {"type": "earliest-start", "project": "beta", "weeks": 1},
        {"type": "earliest-start", "task": "a1", "to": "2027-01-06"},
        {"type": "deadline", "project": "alpha", "weeks": 1, "deadline_type": "hard"},
        {"type": "deadline", "task": "b1", "to": "2027-01-29"},
    )
    projects = {p.id: p for p in scenario.projects}
    assert projects["beta"].earliest_start == dt.date(2027, 1, 11)
    assert projects["alpha"].deadline == dt.date(2027, 1, 22) and projects["alpha"].deadline_type == "hard"
    assert scenario.task_index()["a1"][1].earliest_start == dt.date(2027, 1, 6)
    assert scenario.task_index()["b1"][1].deadline == dt.date(2027, 1, 29)


def test_projects_priority_add_drop_defer(base):
    new = {"id": "gamma", "priority": 4, "tasks": [{"id": "g1", "effort": 3, "requires": ["backend:3"]}]}
    scenario = apply(
        base,
        {"type": "priority", "project": "beta", "priority": 7},
        {"type": "add-project", "project": new},
        {"type": "drop-project", "project": "alpha"},
        {"type": "defer-project", "project": "gamma", "value": 40},
    )
    projects = {p.id: p for p in scenario.projects}
    assert set(projects) == {"beta", "gamma"} and projects["beta"].priority == 7
    assert projects["gamma"].status == "candidate" and projects["gamma"].value == 40


def test_pin_and_unpin(base):
    pinned = apply(base, {"type": "pin", "task": "a1", "person": "ana"})
    assert pinned.task_index()["a1"][1].pinned == ("ana",)
    released = apply_changes(
        pinned, [CHANGE.validate_python({"type": "unpin", "task": "a1", "person": "ana"})], "v"
    )
    assert released.task_index()["a1"][1].pinned == ()


def test_unknown_ids_name_change_field_and_suggestion(base):
    found = problems(
        base,
        {"type": "effort", "task": "a11", "factor": 1.2},
        {"type": "remove-person", "person": "anna"},
        {"type": "vendor", "vendor": "acm", "headcount": 1},
    )
    assert [(p.file, p.entity, p.field) for p in found] == [
        ("variant.yaml", "changes[0] (effort)", "task"),
        ("variant.yaml", "changes[1] (remove-person)", "person"),
        ("variant.yaml", "changes[2] (vendor)", "vendor"),
    ]
    assert "did you mean 'a1'" in found[0].message and "did you mean 'ana'" in found[1].message


def test_change_leaving_an_invalid_scenario_is_reported(base):
    found = problems(base, {"type": "capacity", "person": "ana", "fte": 0.5, "reserve": 0.6})
    assert found[0].entity == "changes[0] (capacity)" and "reserve" in found[0].message


def test_duplicate_hire_and_effort_to_nothing(base):
    assert "already exists" in problems(base, {"type": "add-person", "person": {"id": "ana"}})[0].message
    assert "above 0" in problems(base, {"type": "effort", "task": "a1", "add": -10})[0].message


@pytest.mark.parametrize(
    "raw",
    [
        {"type": "effort", "task": "a1"},
        {"type": "effort", "task": "a1", "project": "alpha", "factor": 2},
        {"type": "deadline", "project": "alpha"},
        {"type": "vendor", "vendor": "acme"},
        {"type": "capacity", "person": "ana"},
    ],
)
def test_shape_errors_are_validation_errors(raw):
    with pytest.raises(ValidationError):
        CHANGE.validate_python(raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("effort alpha x1.4", {"type": "effort", "project": "alpha", "factor": 1.4}),
        ("effort a1 +5", {"type": "effort", "task": "a1", "add": 5.0}),
        ("leave bo from=2027-03-01", {"type": "remove-person", "person": "bo"}),
        ("hire cy backend:4,data:2 from=2027-02-01 fte=0.8", {"type": "add-person"}),
        ("time-off ana 2027-01-11..2027-01-15", {"type": "time-off", "person": "ana"}),
        ("capacity ana fte=0.5", {"type": "capacity", "fte": 0.5}),
        ("vendor acme headcount=2 cap=x0.7", {"type": "vendor", "headcount": 2, "spend_cap_factor": 0.7}),
        ("delay beta +2w", {"type": "earliest-start", "project": "beta", "weeks": 2}),
        ("deadline alpha -1w hard", {"type": "deadline", "weeks": -1, "deadline_type": "hard"}),
        ("priority beta 5", {"type": "priority", "priority": 5}),
        ("drop beta", {"type": "drop-project"}),
        ("defer beta value=30", {"type": "defer-project", "value": 30}),
        ("pin a1 ana", {"type": "pin", "task": "a1"}),
        ("unpin a1 ana", {"type": "unpin", "person": "ana"}),
    ],
)
def test_quick_changes(text, expected):
    change = parse_quick_change(text, ["alpha", "beta"])
    dumped = change.model_dump()
    assert {k: dumped[k] for k in expected if k in dumped} == {
        k: v for k, v in expected.items() if k in dumped
    }
    assert describe_change(change)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("efort a1 x2", "did you mean 'effort'"),
        ("effort a1 2", "write x1.4"),
        ("effort a1", "expected"),
        ("leave bo when=2027-01-01", "unknown option"),
        ("priority beta high", "priority"),
        ("", "empty change"),
    ],
)
def test_bad_quick_changes(text, needle):
    with pytest.raises(QuickChangeError, match=needle):
        parse_quick_change(text, ["alpha", "beta"])


def test_quick_variant_joins_changes_with_semicolons(base):
    changes = parse_quick_variant("effort alpha x1.5; leave bo from=2027-01-11", ["alpha", "beta"])
    assert [c.type for c in changes] == ["effort", "remove-person"]
