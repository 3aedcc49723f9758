"""Property tests: estimates, estimate rules and risk events are read or refused by name, never crash."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocator.io import ScenarioError
from allocator.io.load import build_scenario

BASE: dict = {
    "start": "2027-01-04",
    "end": "2027-02-26",
    "people": [{"id": "ana", "skills": {"backend": 4}}],
    "vendors": [{"id": "bluepeak", "skills": {"backend": 3}}],
    "projects": [{"id": "p", "tasks": [{"id": "build", "effort": 10, "requires": ["backend:3"]}]}],
}

numbers = st.one_of(
    st.integers(min_value=-50, max_value=50),
    st.floats(min_value=-50, max_value=50, allow_nan=False),
)
#: Loading a scenario takes milliseconds; a busy machine must not fail the health checks.
QUICK = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

anything = st.one_of(
    numbers,
    st.none(),
    st.text(max_size=5),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.floats(allow_nan=True, allow_infinity=True),
)


def _load(raw: dict) -> tuple[object, list[str]]:
    try:
        return build_scenario(raw, "s.yaml"), []
    except ScenarioError as error:
        return None, [str(problem) for problem in error.problems]


def _with_estimate(estimate: object) -> dict:
    raw = copy.deepcopy(BASE)
    raw["projects"][0]["tasks"][0]["estimate"] = estimate
    return raw


@QUICK
@given(low=numbers, likely=st.one_of(st.none(), numbers), high=numbers)
def test_task_estimates_are_valid_exactly_when_ordered_and_not_negative(low, likely, high):
    estimate = {"low": low, "high": high} | ({} if likely is None else {"likely": likely})
    scenario, problems = _load(_with_estimate(estimate))
    middle = 10 if likely is None else likely  # likely defaults to the effort, but is not checked against it
    values = [low, high] + ([] if likely is None else [likely])
    ordered = low <= high and (likely is None or low <= middle <= high)
    if min(values) >= 0 and ordered:
        assert scenario is not None, problems
    else:
        assert scenario is None
        assert problems and all(p.startswith("s.yaml: task 'build' field 'estimate") for p in problems)


@QUICK
@given(
    estimate=st.dictionaries(st.sampled_from(["low", "likely", "high", "mode", "min"]), anything, max_size=4)
)
def test_malformed_estimates_are_refused_by_name(estimate):
    scenario, problems = _load(_with_estimate(estimate))
    if scenario is None:
        assert problems and all("task 'build' field 'estimate" in p for p in problems)


@QUICK
@given(probability=st.one_of(numbers, st.floats(allow_nan=True, allow_infinity=True)), growth=numbers)
def test_event_probabilities_outside_zero_one_are_refused(probability, growth):
    raw = copy.deepcopy(BASE)
    event = {"id": "rework", "probability": probability, "task": "build", "effort_growth": growth}
    raw["risk"] = {"events": [event]}
    scenario, problems = _load(raw)
    finite = probability == probability and abs(probability) != float("inf")
    if finite and 0 <= probability <= 1 and growth >= 0:
        assert scenario is not None, problems
    else:
        assert scenario is None
        assert problems and all(p.startswith("s.yaml: risk event 'rework'") for p in problems)
        if not (finite and 0 <= probability <= 1):
            assert any("field 'probability'" in p for p in problems)


@QUICK
@given(
    event=st.dictionaries(
        st.sampled_from(
            [
                "probability",
                "task",
                "project",
                "effort_growth",
                "person",
                "unavailable_from",
                "unavailable_until",
                "vendor",
                "lead_time_slip",
                "driver",
                "impact",
            ]
        ),
        st.one_of(anything, st.sampled_from(["build", "p", "ana", "bluepeak", "2027-01-10", "2027-13-01"])),
        max_size=6,
    )
)
def test_random_events_are_read_or_refused_naming_the_event(event):
    raw = copy.deepcopy(BASE)
    raw["risk"] = {"events": [{"id": "e", **event}]}
    scenario, problems = _load(raw)
    if scenario is None:
        assert problems and all(p.startswith("s.yaml: risk event 'e'") for p in problems)


@QUICK
@given(
    kind=st.sampled_from(["skill", "project", "vendor"]),
    target=st.sampled_from(["backend", "p", "bluepeak", "nothing"]),
    low=numbers,
    high=numbers,
)
def test_estimate_rules_name_a_known_target_and_an_order(kind, target, low, high):
    raw = copy.deepcopy(BASE)
    raw["risk"] = {"estimates": [{kind: target, "low": low, "high": high}]}
    scenario, problems = _load(raw)
    known = {"skill": "backend", "project": "p", "vendor": "bluepeak"}[kind] == target
    if known and low <= 0 <= high:
        assert scenario is not None, problems
    else:
        assert scenario is None
        assert problems and all(p.startswith("s.yaml: estimate rule #1") for p in problems)


def test_task_estimates_survive_a_workbook_round_trip(tmp_path):
    from allocator.io.workbook import export_workbook, load_workbook_scenario

    raw = _with_estimate({"low": 8, "likely": 10.5, "high": 16})
    task = {"id": "test", "effort": 3, "requires": ["backend:3"], "estimate": {"low": 2, "high": 6}}
    raw["projects"][0]["tasks"].append(task)
    raw["risk"] = {"estimates": [{"skill": "backend", "high": 50}]}
    scenario, problems = _load(raw)
    assert scenario is not None, problems
    export_workbook(scenario, tmp_path / "s.xlsx")
    assert load_workbook_scenario(tmp_path / "s.xlsx") == scenario


def test_an_unreadable_estimate_cell_names_its_table_and_column(tmp_path):
    from allocator.io import load_scenario

    (tmp_path / "scenario.yaml").write_text("start: 2027-01-04\nend: 2027-02-26\n")
    (tmp_path / "projects.csv").write_text("id\np\n")
    (tmp_path / "tasks.csv").write_text("project,id,effort,estimate\np,build,10,8-10-16\n")
    try:
        load_scenario(tmp_path)
    except ScenarioError as error:
        (problem,) = error.problems
        assert problem.file.endswith("tasks.csv") and problem.row == 2 and problem.field == "estimate"
        assert "write low/likely/high" in problem.message
    else:
        raise AssertionError("an estimate of 8-10-16 was read")
