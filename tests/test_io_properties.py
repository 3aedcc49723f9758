"""Property tests: the loader never fails with anything but ScenarioError; valid scenarios round-trip."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from allocator.io import ScenarioError, load_scenario, save_scenario_yaml, scenario_hash
from allocator.io.checks import find_problems, find_warnings
from models import Scenario

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# --- anything at all ----------------------------------------------------------------------

KEYS = (
    "start", "end", "name", "calendar", "country", "subdivision", "working_weekdays", "days_off",
    "people", "vendors", "resources", "projects", "tasks", "id", "skills", "fte", "reserve", "time_off",
    "fraction", "headcount", "capacity", "kind", "effort", "duration", "requires", "skill", "level",
    "team", "min", "max", "after", "task", "type", "lag", "allocations", "earliest_start", "deadline",
    "deadline_type", "pinned", "excluded", "preferred", "vendor", "modes", "objective", "stages",
    "solver", "status", "value", "extends",
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["2027-01-04", "2027-13-01", "2027-02-30", "0001-01-01", "9999-12-31", "backend:3"]),
    st.sampled_from(["a SS+2", "a XX+y", "mon", "hard", "only", "1-3", "crm", "ana", "lateness"]),
    st.text(max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=4)), inner, max_size=5),
    ),
    max_leaves=25,
)
VALID_START = {"start": "2027-01-04", "end": "2027-03-31"}


def load_or_error(path: Path) -> None:
    """Loading returns a Scenario or raises ScenarioError; anything else fails the test."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        assert error.problems
        assert all(isinstance(str(problem), str) for problem in error.problems)
    else:
        assert isinstance(scenario, Scenario)
        find_warnings(scenario)


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_never_escape_as_other_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.yaml"
    path.write_bytes(data)
    load_or_error(path)


@FAST
@given(st.text(alphabet=string.printable + "äé€", max_size=200))
def test_random_text_never_escapes_as_other_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "random.yaml"
    path.write_text(text, encoding="utf-8")
    load_or_error(path)


@FAST
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6), st.booleans())
def test_random_structures_never_escape_as_other_errors(
    tmp_path: Path, data: dict[str, Any], dated: bool
) -> None:
    # With a valid window most of the time, the generated fields reach the model and the checks.
    content = {**VALID_START, **data} if dated else data
    path = tmp_path / "random.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    load_or_error(path)


@FAST
@given(st.lists(st.lists(st.one_of(SCALARS.map(str), st.just("")), min_size=5, max_size=5), max_size=4))
def test_random_table_cells_never_escape_as_other_errors(tmp_path: Path, rows: list[list[str]]) -> None:
    folder = tmp_path / "folder"
    folder.mkdir(exist_ok=True)
    (folder / "scenario.yaml").write_text("start: 2027-01-04\nend: 2027-03-31\nprojects: [{id: crm}]\n")
    lines = ["project,id,effort,requires,team"] + [
        ",".join(c.replace(",", ";").replace("\n", " ") for c in r) for r in rows
    ]
    (folder / "tasks.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_or_error(folder)


# --- valid scenarios ----------------------------------------------------------------------

SKILLS = ("backend", "qa", "data:eng", "ux design")
IDS = (
    st.text(alphabet=string.ascii_letters + string.digits + "-_ :é", min_size=1, max_size=10)
    .map(str.strip)
    .filter(bool)
)
NAMES = st.one_of(
    st.just(""),
    st.sampled_from(["yes", "null", "2027-01-01", "a: b", "# not a comment", "'q'"]),
    st.text(max_size=10),
)
DAYS = st.dates(min_value=dt.date(2027, 1, 4), max_value=dt.date(2027, 3, 31))


@st.composite
def people(draw: st.DrawFn, ident: str) -> dict[str, Any]:
    fte = draw(st.sampled_from([1.0, 0.8, 0.5, 0.33]))
    first = draw(DAYS)
    return {
        "id": ident,
        "name": draw(NAMES),
        # Everyone has every skill, so every generated requirement can be met.
        "skills": {skill: 5 for skill in SKILLS},
        "fte": fte,
        "reserve": draw(st.sampled_from([0.0, fte / 4])),
        "cost_per_day": draw(st.floats(min_value=0, max_value=2000, allow_nan=False)),
        "time_off": [{"start": first, "end": first + dt.timedelta(days=draw(st.integers(0, 5)))}]
        if draw(st.booleans())
        else [],
    }


@st.composite
def tasks(draw: st.DrawFn, ident: str, earlier: list[str]) -> dict[str, Any]:
    task: dict[str, Any] = {"id": ident, "name": draw(NAMES)}
    if draw(st.booleans()):
        task["effort"] = draw(st.floats(min_value=0.1, max_value=20, allow_nan=False))
    else:
        task["duration"] = draw(st.integers(min_value=0, max_value=10))
    requires = draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True))
    task["requires"] = [{"skill": s, "level": draw(st.integers(1, 5))} for s in requires]
    if earlier:
        chosen = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
        kinds = st.sampled_from(["FS", "SS", "FF", "SF"])
        task["after"] = [{"task": p, "type": draw(kinds), "lag": draw(st.integers(-3, 3))} for p in chosen]
    if draw(st.booleans()):
        task["deadline"], task["deadline_type"] = draw(DAYS), "soft"
    task["allocations"] = draw(st.sampled_from([None, [100], [25, 50, 100]]))
    return task


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    ids = draw(st.lists(IDS, min_size=2, max_size=9, unique=True))
    person_ids, task_ids = ids[: len(ids) // 2], ids[len(ids) // 2 :]
    made: list[dict[str, Any]] = []
    for index, ident in enumerate(task_ids):
        made.append(draw(tasks(ident, task_ids[:index])))
    data = {
        "name": draw(NAMES),
        "start": dt.date(2027, 1, 4),
        "end": dt.date(2027, 3, 31),
        "calendar": {"working_weekdays": draw(st.sampled_from([[0, 1, 2, 3, 4], [6, 0, 1, 2, 3]]))},
        "people": [draw(people(ident)) for ident in person_ids],
        "vendors": [{"id": "vendor-x", "skills": {"qa": 2}, "headcount": draw(st.integers(0, 3))}],
        "projects": [{"id": "p1", "priority": draw(st.integers(0, 5)), "tasks": made}],
        "objective": draw(st.sampled_from([{}, {"stages": [{"cost": 2, "lateness": 1}]}])),
    }
    return Scenario.model_validate(data)


@FAST
@given(scenarios())
def test_valid_scenarios_survive_save_and_load(tmp_path: Path, scenario: Scenario) -> None:
    assume(not find_problems(scenario, "generated"))
    path = tmp_path / "saved.yaml"
    save_scenario_yaml(scenario, path)
    loaded = load_scenario(path)
    assert loaded == scenario
    assert scenario_hash(loaded) == scenario_hash(scenario)


# --- scenarios that pass the models but may break every cross-reference rule --------------

POOL = ("a", "b", "c", "ana", "zed", "env")
ANY_DAY = st.dates(min_value=dt.date(2026, 12, 1), max_value=dt.date(2027, 6, 30))


@st.composite
def messy_tasks(draw: st.DrawFn, ident: str) -> dict[str, Any]:
    task: dict[str, Any] = {"id": ident}
    work = draw(st.sampled_from(["effort", "duration"]))
    task[work] = draw(st.integers(min_value=1, max_value=80))
    task["requires"] = draw(st.lists(st.sampled_from(["qa:2", "backend:4", "ux:1", "qa:5"]), max_size=2))
    task["after"] = draw(st.lists(st.sampled_from(POOL), max_size=2))
    low = draw(st.integers(0, 3))
    task["team"] = {"min": low, "max": low + draw(st.integers(0, 2))}
    for role in ("pinned", "excluded"):
        task[role] = draw(st.lists(st.sampled_from(POOL), max_size=2, unique=True))
    task["vendor"] = draw(st.sampled_from(["allowed", "never", "only"]))
    task["resources"] = draw(st.dictionaries(st.sampled_from(POOL), st.integers(-1, 3), max_size=1))
    task["earliest_start"], task["deadline"] = draw(ANY_DAY), draw(ANY_DAY)
    task["deadline_type"] = draw(st.sampled_from(["hard", "soft"]))
    if draw(st.booleans()):
        task["modes"] = [{"name": "m1"}, {"name": "m2", "duration": draw(st.integers(0, 5)), "team": 0}]
    return task


@st.composite
def messy_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    country = draw(st.sampled_from([None, "GB", "DE", "XX"]))
    return {
        "start": "2027-01-04",
        "end": "2027-03-31",
        "calendar": {"country": country},
        "people": [
            {"id": i, "skills": draw(st.dictionaries(st.sampled_from(["qa", "backend"]), st.integers(1, 5)))}
            for i in draw(st.lists(st.sampled_from(POOL), max_size=3))
        ],
        "vendors": [{"id": "acme", "skills": {"qa": 3}, "headcount": draw(st.integers(0, 2))}],
        "resources": [
            {
                "id": "env",
                "capacity": draw(st.integers(0, 2)),
                "kind": draw(st.sampled_from(["renewable", "consumable"])),
            }
        ],
        "projects": [
            {
                "id": "p",
                "deadline": draw(ANY_DAY),
                "deadline_type": draw(st.sampled_from(["hard", "soft"])),
                "status": draw(st.sampled_from(["committed", "candidate"])),
                "tasks": [draw(messy_tasks(i)) for i in draw(st.lists(st.sampled_from(POOL), max_size=4))],
            }
        ],
    }


@FAST
@given(messy_scenarios())
def test_cross_reference_checks_never_crash(tmp_path: Path, data: dict[str, Any]) -> None:
    path = tmp_path / "messy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load_or_error(path)
