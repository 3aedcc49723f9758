"""Loading YAML scenarios: every kind of bad input becomes located problems; round trips."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
import yaml

from allocator.io import (
    InputProblem,
    ScenarioError,
    atomic_write_bytes,
    atomic_write_text,
    load_scenario,
    save_scenario_yaml,
    scenario_hash,
    scenario_json_schema,
    scenario_to_yaml,
)
from models import Scenario

DATA = Path(__file__).resolve().parent / "data" / "io"
VALID = DATA / "valid.yaml"
MINIMAL = "start: 2027-01-04\nend: 2027-03-31\n"


def write(tmp_path: Path, text: str, name: str = "q1.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[InputProblem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.problems, "a ScenarioError always carries problems"
    return caught.value.problems


def test_valid_fixture_loads() -> None:
    scenario = load_scenario(VALID)
    assert scenario.name == "q1-sample"
    assert [t.id for _, t in scenario.tasks()] == ["crm-design", "crm-build", "crm-uat"]


def test_problem_and_error_text() -> None:
    problem = InputProblem("scenarios/q1.yaml", "task 'crm-build'", "after[0].task", "unknown task 'x'")
    assert str(problem) == "scenarios/q1.yaml: task 'crm-build' field 'after[0].task': unknown task 'x'"
    row = InputProblem("people.csv", "person 'ana'", "fte", "too big", row=3)
    assert str(row) == "people.csv row 3: person 'ana' field 'fte': too big"
    assert str(InputProblem("q1.yaml", "", "", "file is empty")) == "q1.yaml: file is empty"
    error = ScenarioError([problem, row])
    assert str(error).splitlines() == ["2 problems in scenario input:", f"  {problem}", f"  {row}"]


def test_empty_file(tmp_path: Path) -> None:
    [problem] = problems(write(tmp_path, "# only a comment\n"))
    assert problem.file.endswith("q1.yaml")
    assert "empty" in problem.message


def test_malformed_yaml_reports_line_and_column(tmp_path: Path) -> None:
    [problem] = problems(write(tmp_path, "start: 2027-01-04\nend: [2027-03-31\nname: x\n"))
    assert "malformed YAML at line 3, column 5" in problem.message


def test_repeated_key_is_malformed(tmp_path: Path) -> None:
    [problem] = problems(write(tmp_path, MINIMAL + "end: 2027-06-30\n"))
    assert "line 3" in problem.message
    assert "'end' appears twice" in problem.message


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    [problem] = problems(write(tmp_path, "- start: 2027-01-04\n"))
    assert "top level must be a mapping" in problem.message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "q1.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    [problem] = problems(path)
    assert "not UTF-8" in problem.message


def test_missing_file(tmp_path: Path) -> None:
    [problem] = problems(tmp_path / "nope.yaml")
    assert "no such file" in problem.message


def test_yaml_cannot_build_objects(tmp_path: Path) -> None:
    [problem] = problems(write(tmp_path, "!!python/object/apply:os.system ['true']\n"))
    assert "malformed YAML" in problem.message


def test_impossible_date_is_a_field_problem(tmp_path: Path) -> None:
    [problem] = problems(write(tmp_path, "start: 2027-13-01\nend: 2027-03-31\n"))
    assert (problem.entity, problem.field) == ("scenario", "start")
    assert "month value is outside expected range" in problem.message


def test_pydantic_errors_name_entities_by_id(tmp_path: Path) -> None:
    text = MINIMAL + textwrap.dedent(
        """\
        people:
          - {id: ana, fte: lots}
        projects:
          - id: crm
            tasks:
              - {id: a, effort: 1}
              - {id: crm-build, effort: -3}
        """
    )
    found = problems(write(tmp_path, text))
    assert [(p.entity, p.field) for p in found] == [("person 'ana'", "fte"), ("task 'crm-build'", "effort")]
    assert found[0].message.startswith("Input should be a valid number")
    assert found[0].message.endswith(", got 'lots'")
    assert str(found[1]).endswith("task 'crm-build' field 'effort': Input should be greater than 0, got -3")


def test_entity_without_id_is_named_by_position(tmp_path: Path) -> None:
    text = MINIMAL + "projects:\n  - id: crm\n    tasks:\n      - {id: a, effort: 1}\n      - {effort: 2}\n"
    [problem] = problems(write(tmp_path, text))
    assert (problem.entity, problem.field) == ("task #2 of project 'crm'", "id")
    assert problem.message == "required field is missing"


def test_unknown_field_suggests_the_close_name(tmp_path: Path) -> None:
    text = MINIMAL + "projects:\n  - id: crm\n    tasks:\n      - {id: a, effrot: 1, effort: 1}\n"
    [problem] = problems(write(tmp_path, text))
    assert (problem.entity, problem.field) == ("task 'a'", "effrot")
    assert problem.message == "unknown field 'effrot' (did you mean 'effort'?)"


def test_unknown_nested_field_suggests_from_the_nested_model(tmp_path: Path) -> None:
    text = MINIMAL + "calendar: {countyr: GB}\n"
    [problem] = problems(write(tmp_path, text))
    assert (problem.entity, problem.field) == ("scenario", "calendar.countyr")
    assert "did you mean 'country'?" in problem.message


def test_list_where_a_mapping_is_expected(tmp_path: Path) -> None:
    text = MINIMAL + "people:\n  - [ana, ben]\nsolver: [1, 2]\n"
    found = problems(write(tmp_path, text))
    assert [(p.entity, p.field) for p in found] == [("person #1", ""), ("scenario", "solver")]
    assert all("expected a mapping" in p.message for p in found)


def test_numbers_written_as_strings_are_accepted(tmp_path: Path) -> None:
    text = MINIMAL + "people:\n  - {id: ana, fte: '0.8', skills: {backend: '3'}}\n"
    scenario = load_scenario(write(tmp_path, text))
    assert scenario.people[0].fte == 0.8
    assert scenario.people[0].skills == {"backend": 3}


def test_model_and_reference_problems_of_one_file_are_all_reported(tmp_path: Path) -> None:
    text = VALID.read_text().replace("effort: 5\n", "effort: -5\n").replace("day_rate: 600", "day_rate: x")
    found = problems(write(tmp_path, text))
    assert {(p.entity, p.field) for p in found} == {
        ("task 'crm-design'", "effort"),
        ("vendor 'acme'", "day_rate"),
    }
    assert all(p.file == str(tmp_path / "q1.yaml") for p in found)


def test_reference_problems_come_through_load(tmp_path: Path) -> None:
    text = VALID.read_text().replace("after: [crm-design]", "after: [crm-desing]")
    [problem] = problems(write(tmp_path, text))
    assert str(problem) == (
        f"{tmp_path / 'q1.yaml'}: task 'crm-build' field 'after[0].task': "
        "unknown task 'crm-desing' (did you mean 'crm-design'?)"
    )


def test_extends_is_kept(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, MINIMAL + "extends: base.yaml\n"))
    assert scenario.extends == "base.yaml"


def test_round_trip(tmp_path: Path) -> None:
    original = load_scenario(VALID)
    target = tmp_path / "out.yaml"
    save_scenario_yaml(original, target)
    assert load_scenario(target) == original


def test_saved_yaml_leaves_defaults_out_and_uses_short_forms(tmp_path: Path) -> None:
    text = scenario_to_yaml(load_scenario(VALID))
    data = yaml.safe_load(text)
    assert "solver" not in data and "objective" not in data and "allocations" not in data
    uat = data["projects"][0]["tasks"][2]
    assert uat["after"] == ["crm-build SS+2"]
    assert uat["requires"] == ["qa:2"]
    assert "start: '2027-01-04'" in text


def test_round_trip_of_forms_that_have_no_short_form(tmp_path: Path) -> None:
    text = MINIMAL + textwrap.dedent(
        """\
        calendar: {working_weekdays: [sun, mon, tue, wed, thu]}
        objective: {stages: [{cost: 2, lateness: 1}]}
        people: [{id: ana, skills: {"a:b": 2, qa: 3}}]
        projects:
          - id: p
            tasks:
              - {id: a, duration: 1, requires: [{skill: "a:b", level: 2}]}
              - id: "b c"
                effort: 1.5
                requires: [{skill: qa, level: 2, people: 1}]
              - {id: d, duration: 0, after: [{task: "b c", type: FF, lag: -1}]}
        """
    )
    original = load_scenario(write(tmp_path, text))
    save_scenario_yaml(original, tmp_path / "out.yaml")
    assert load_scenario(tmp_path / "out.yaml") == original


def test_hash_ignores_formatting_and_comments(tmp_path: Path) -> None:
    plain = load_scenario(VALID)
    reformatted = yaml.safe_dump(yaml.safe_load(VALID.read_text()), default_flow_style=True)
    other = load_scenario(write(tmp_path, "# a comment\n" + reformatted))
    assert scenario_hash(other) == scenario_hash(plain)
    assert len(scenario_hash(plain)) == 64


def test_hash_changes_with_content() -> None:
    scenario = load_scenario(VALID)
    changed = scenario.model_copy(update={"name": "other"})
    assert scenario_hash(changed) != scenario_hash(scenario)


def test_json_schema_describes_the_scenario() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["title"] == "allocator scenario"
    assert {"start", "end", "projects"} <= set(schema["properties"])
    assert "Task" in schema["$defs"]


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    atomic_write_text(target, "old")
    os.chmod(target, 0o640)
    atomic_write_bytes(target, b"new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["plan.txt"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    atomic_write_text(target, "old")
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(target, "\udcff")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.txt"]


def test_scenario_model_equality_is_what_round_trips_compare() -> None:
    scenario = load_scenario(VALID)
    assert Scenario.model_validate(scenario.model_dump()) == scenario


def test_unicode_line_breaks_in_names_survive_a_round_trip(tmp_path: Path) -> None:
    # PyYAML writes NEL (U+0085) and U+2028 raw inside single quotes, and reads them back changed.
    scenario = load_scenario(VALID)
    renamed = scenario.model_copy(update={"name": "q1\x85draft\u2028two\u2029"})
    save_scenario_yaml(renamed, tmp_path / "out.yaml")
    assert load_scenario(tmp_path / "out.yaml").name == renamed.name
