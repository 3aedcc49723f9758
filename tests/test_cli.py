"""The command line: every command through CliRunner, and real runs as a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from allocator.app.cli import main
from allocator.app.common import EXIT_FAILED, EXIT_INPUT, EXIT_OK
from allocator.checker import check_plan
from allocator.io import load_plan, load_scenario
from models import Plan

# Ana (the only backend person) builds and then does the API, five working days
# each at 100 %; Bo tests for three days once the API is done. Monday 31 May 2027 is
# the Spring bank holiday in England, so:
#   build  Mon 24 May .. Fri 28 May
#   api    Tue  1 Jun .. Mon  7 Jun   (the bank holiday skipped)
#   test   Tue  8 Jun .. Thu 10 Jun
TINY = """\
name: tiny
start: 2027-05-24
end: 2027-06-30
currency: GBP
calendar: {country: GB, subdivision: ENG}
allocations: [100]
people:
  - {id: ana, skills: {backend: 3}, cost_per_day: 500}
  - {id: bo, skills: {qa: 3}, cost_per_day: 400}
projects:
  - id: crm
    deadline: 2027-06-30
    tasks:
      - {id: build, effort: 5, requires: backend}
      - {id: api, effort: 5, requires: backend, after: build}
      - {id: test, effort: 3, requires: qa, after: api}
"""
EXPECTED_DATES = {
    "build": ("2027-05-24", "2027-05-28"),
    "api": ("2027-06-01", "2027-06-07"),
    "test": ("2027-06-08", "2027-06-10"),
}
# One person, two five-day tasks, both due by the end of the first week: no plan exists.
IMPOSSIBLE = """\
start: 2027-05-24
end: 2027-06-30
calendar: {country: GB, subdivision: ENG}
allocations: [100]
people:
  - {id: ana, skills: {backend: 3}}
projects:
  - id: crm
    tasks:
      - {id: build, effort: 5, requires: backend, deadline: 2027-05-28}
      - {id: api, effort: 5, requires: backend, deadline: 2027-05-28}
"""
FAST = ["--time-limit", "5", "--workers", "1", "--seed", "0"]


def write(folder: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Result]:
    """The tiny scenario, its plan file and the run that wrote it (solved once per module)."""
    folder = tmp_path_factory.mktemp("solved")
    scenario = write(folder, TINY)
    plan = folder / "plan.json"
    return scenario, plan, run("solve", scenario, "-o", plan, *FAST)


# --- solve -----------------------------------------------------------------------------------


def test_solve_writes_a_verified_plan_with_known_dates(solved: tuple[Path, Path, Result]) -> None:
    scenario_file, plan_file, result = solved
    assert result.exit_code == EXIT_OK, result.output
    plan = load_plan(plan_file)
    assert check_plan(load_scenario(scenario_file), plan).ok
    dates = {tp.task: (tp.start.isoformat(), tp.finish.isoformat()) for tp in plan.tasks}
    assert dates == EXPECTED_DATES
    assert plan.solver is not None and plan.solver.status.value == "optimal"


def test_solve_summary_names_projects_people_solver_and_checker(solved: tuple[Path, Path, Result]) -> None:
    _, _, result = solved
    out = result.stdout
    for expected in ("Projects", "crm", "on time", "2027-06-10", "People utilisation", "ana"):
        assert expected in out
    assert "Vendors: none used" in out
    assert "Solver: optimal" in out
    assert "plan verified" in out
    assert f"plan written to {solved[1]}" in result.stderr


def test_solve_csv_has_one_row_per_assignment(solved: tuple[Path, Path, Result]) -> None:
    result = run("solve", solved[0], "--format", "csv", "--quiet", *FAST)
    assert result.exit_code == EXIT_OK, result.output
    lines = result.stdout.strip().splitlines()
    plan = load_plan(solved[1])
    header = "task,project,mode,start,finish,working_days,resource,kind,allocation,count,skill,effort"
    assert lines[0] == header
    assert len(lines) - 1 == sum(len(tp.assignments) for tp in plan.tasks) == 3
    assert "api,crm,default,2027-06-01,2027-06-07,5,ana,person,100,1,backend,5.0" in lines


def test_solve_json_prints_the_plan_only(solved: tuple[Path, Path, Result]) -> None:
    result = run("solve", solved[0], "--format", "json", *FAST)
    assert result.exit_code == EXIT_OK, result.output
    plan = Plan.model_validate_json(result.stdout)
    assert {tp.task for tp in plan.tasks} == set(EXPECTED_DATES)
    assert "stage 1/4" in result.stderr  # progress stays on standard error


def test_solve_quiet_prints_no_progress(solved: tuple[Path, Path, Result]) -> None:
    result = run("solve", solved[0], "--quiet", "--format", "csv", *FAST)
    assert result.exit_code == EXIT_OK
    assert result.stderr == ""


def test_solve_without_a_feasible_plan_exits_1_with_reasons(tmp_path: Path) -> None:
    result = run("solve", write(tmp_path, IMPOSSIBLE), "-o", tmp_path / "plan.json", *FAST)
    assert result.exit_code == EXIT_FAILED
    assert "No plan (infeasible)" in result.stderr
    assert "hard deadline" in result.stderr
    assert not (tmp_path / "plan.json").exists()
    assert "Traceback" not in result.output


def test_solve_refuses_an_output_folder_that_does_not_exist(solved: tuple[Path, Path, Result]) -> None:
    result = run("solve", solved[0], "-o", solved[1].parent / "missing" / "plan.json")
    assert result.exit_code == EXIT_INPUT
    assert "does not exist" in result.stderr


BAD_SCENARIOS = {
    "empty": ("", ["file is empty"]),
    "malformed": ("start: 2027-01-04\nend: [1\n", ["malformed YAML at line 3"]),
    "wrong types": (
        "start: 2027-01-04\nend: 2027-03-31\npeople:\n  - {id: ana, fte: lots}\n",
        ["person 'ana' field 'fte'", "valid number"],
    ),
    "unknown ids": (
        TINY.replace("after: build", "after: biuld").replace("{id: bo,", "{id: bo, team: qa,"),
        ["task 'api' field 'after[0].task'", "unknown task 'biuld'", "did you mean 'build'"],
    ),
    "cycle": (
        TINY.replace("{id: build, effort: 5, requires: backend}", "{id: build, effort: 5, after: test}"),
        ["dependency cycle"],
    ),
}


@pytest.mark.parametrize("command", ["solve", "validate"])
@pytest.mark.parametrize("case", list(BAD_SCENARIOS))
def test_bad_scenarios_exit_2_naming_file_entity_and_field(tmp_path: Path, command: str, case: str) -> None:
    text, expected = BAD_SCENARIOS[case]
    path = write(tmp_path, text, "q1.yaml")
    result = run(command, path)
    assert result.exit_code == EXIT_INPUT, result.output
    assert f"{path}:" in result.stderr
    for fragment in expected:
        assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_missing_scenario_file_exits_2(tmp_path: Path) -> None:
    result = run("solve", tmp_path / "nope.yaml")
    assert result.exit_code == EXIT_INPUT
    assert "no such file" in result.stderr


def test_bad_option_is_a_usage_error(solved: tuple[Path, Path, Result]) -> None:
    assert run("solve", solved[0], "--time-limit", "-3").exit_code == EXIT_INPUT
    assert run("solve", solved[0], "--format", "xml").exit_code == EXIT_INPUT


# --- check ------------------------------------------------------------------------------------


def test_check_accepts_the_solved_plan(solved: tuple[Path, Path, Result]) -> None:
    result = run("check", solved[0], solved[1])
    assert result.exit_code == EXIT_OK, result.output
    assert "plan verified" in result.stdout


def test_check_names_the_rule_a_hand_edit_breaks(solved: tuple[Path, Path, Result], tmp_path: Path) -> None:
    # Ending the API task three days early leaves two of its five days undone.
    text = solved[1].read_text(encoding="utf-8").replace('"finish": "2027-06-07"', '"finish": "2027-06-03"')
    tampered = tmp_path / "tampered.json"
    tampered.write_text(text, encoding="utf-8")
    result = run("check", solved[0], tampered)
    assert result.exit_code == EXIT_FAILED
    assert "effort" in result.stdout
    assert "task api" in result.stdout
    report = json.loads(run("check", solved[0], tampered, "--format", "json").stdout)
    assert report["ok"] is False
    assert {"dates", "effort"} <= {v["rule"] for v in report["violations"]}


def test_check_refuses_a_plan_of_another_scenario(solved: tuple[Path, Path, Result], tmp_path: Path) -> None:
    other = write(tmp_path, TINY.replace("name: tiny", "name: other"))
    result = run("check", other, solved[1])
    assert result.exit_code == EXIT_INPUT
    assert "different scenario" in result.stderr
    assert "--ignore-hash" in result.stderr
    assert run("check", other, solved[1], "--ignore-hash").exit_code == EXIT_OK


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON at line 1, column 2"),
        ("[1, 2]", "top level must be a JSON object"),
        ('{"scenario": "tiny", "scenario_hash": "x", "created": "2027-01-01T00:00:00", "tasks": [{}]}',
         "field 'tasks[0].task'"),
    ],
)  # fmt: skip
def test_bad_plan_files_exit_2_naming_file_and_field(
    solved: tuple[Path, Path, Result], tmp_path: Path, content: str, expected: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    for args in (("check", solved[0], bad), ("show", bad)):
        result = run(*args)
        assert result.exit_code == EXIT_INPUT
        assert f"{bad}: " in result.stderr
        assert expected in result.stderr
        assert "Traceback" not in result.output


# --- validate, schema, show, generate -------------------------------------------------------------


def test_validate_reports_sizes_and_warnings(tmp_path: Path) -> None:
    text = TINY.replace("people:\n", "people:\n  - {id: cy}\n")
    result = run("validate", write(tmp_path, text))
    assert result.exit_code == EXIT_OK, result.output
    assert "valid: 3 people, 0 vendors, 1 projects, 3 tasks" in result.stdout
    assert "warning: person 'cy' has no skills" in result.stdout


def test_schema_is_json_with_properties(tmp_path: Path) -> None:
    result = run("schema")
    assert result.exit_code == EXIT_OK
    schema = json.loads(result.stdout)
    assert {"start", "end", "people", "projects"} <= set(schema["properties"])
    target = tmp_path / "scenario.schema.json"
    assert run("schema", "-o", target).exit_code == EXIT_OK
    assert json.loads(target.read_text(encoding="utf-8")) == schema


def test_show_prints_a_saved_plan(solved: tuple[Path, Path, Result]) -> None:
    table = run("show", solved[1])
    assert table.exit_code == EXIT_OK
    assert "crm" in table.stdout and "plan verified" in table.stdout
    csv = run("show", solved[1], "--format", "csv")
    assert len(csv.stdout.strip().splitlines()) == 4
    assert Plan.model_validate_json(run("show", solved[1], "--format", "json").stdout) == load_plan(solved[1])


def test_generate_then_solve(tmp_path: Path) -> None:
    target = tmp_path / "generated.yaml"
    args = ["--people", "6", "--vendors", "1", "--projects", "2", "--tasks", "6", "--weeks", "6"]
    result = run("generate", *args, "--seed", "1", "-o", target)
    assert result.exit_code == EXIT_OK, result.output
    assert len(list(load_scenario(target).tasks())) == 6
    solved = run("solve", target, "-o", tmp_path / "plan.json", "--time-limit", "2", "-q")
    assert solved.exit_code == EXIT_OK, solved.output
    assert check_plan(load_scenario(target), load_plan(tmp_path / "plan.json")).ok


def test_generate_rejects_fewer_tasks_than_projects(tmp_path: Path) -> None:
    result = run("generate", "--projects", "4", "--tasks", "2", "-o", tmp_path / "g.yaml")
    assert result.exit_code == EXIT_INPUT
    assert "--tasks" in result.stderr


def test_every_command_help_has_an_example() -> None:
    for command in ("solve", "check", "validate", "schema", "show", "generate"):
        result = run(command, "--help")
        assert result.exit_code == EXIT_OK
        assert "Example" in result.stdout
        assert f"allocator {command}" in result.stdout


# --- real processes ---------------------------------------------------------------------------------


def test_module_entry_point_solves_with_the_search_log_kept_off_stdout(tmp_path: Path) -> None:
    # The bundled small team: its plan is not proven by the bounds alone, so CP-SAT runs and logs.
    scenario = Path(__file__).parent.parent / "scenarios" / "small-team.yaml"
    plan_file = tmp_path / "plan.json"
    command = [sys.executable, "-m", "allocator", "solve", str(scenario), "-o", str(plan_file)]
    done = subprocess.run(
        [*command, "--format", "json", "--log", *FAST], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert Plan.model_validate_json(done.stdout) == load_plan(plan_file)
    assert "CP-SAT" in done.stderr


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_stops_the_search_and_keeps_the_best_plan(tmp_path: Path) -> None:
    target = tmp_path / "large.yaml"
    size = ["--people", "30", "--vendors", "2", "--projects", "6", "--tasks", "60", "--weeks", "13"]
    assert run("generate", *size, "--seed", "3", "-o", target).exit_code == EXIT_OK
    plan_file = tmp_path / "plan.json"
    command = [sys.executable, "-m", "allocator", "solve", str(target), "-o", str(plan_file)]
    process = subprocess.Popen(
        [*command, "--time-limit", "120", "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    assert process.stderr.readline().startswith("solving ")  # the Ctrl-C handler is in place
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == EXIT_OK, stderr
    assert "interrupted" in stderr
    plan = load_plan(plan_file)
    assert plan.solver is not None and plan.solver.interrupted
    assert plan.solver.wall_time < 60
    assert len(stdout.strip().splitlines()) - 1 == sum(len(tp.assignments) for tp in plan.tasks)
