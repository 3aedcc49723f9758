"""Dates far past the plan start are reported as input problems, never as a crash."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from allocator.app.cli import main
from allocator.app.common import EXIT_INPUT

SCENARIO = """\
start: 2027-01-04
end: {end}
people: [{{id: a, skills: ["dev:3"]}}]
projects:
  - id: p
    tasks: [{{id: t, effort: 2, requires: ["dev:1"], deadline: {deadline}}}]
"""


def _solve(tmp_path: Path, end: str, deadline: str) -> tuple[int, str]:
    path = tmp_path / "far.yaml"
    path.write_text(SCENARIO.format(end=end, deadline=deadline))
    result = CliRunner().invoke(main, ["solve", str(path), "--time-limit", "2", "--quiet"])
    return result.exit_code, result.output


def test_an_end_in_year_9999_is_an_input_problem(tmp_path: Path) -> None:
    code, output = _solve(tmp_path, "9999-12-30", "2027-02-01")
    assert code == EXIT_INPUT
    assert "scenario field 'end'" in output and "10 years" in output
    assert "Traceback" not in output


def test_a_task_deadline_decades_away_names_the_task(tmp_path: Path) -> None:
    code, output = _solve(tmp_path, "2027-03-31", "2090-01-01")
    assert code == EXIT_INPUT
    assert "task 't' field 'deadline'" in output


def test_a_plan_of_a_few_years_is_accepted(tmp_path: Path) -> None:
    code, output = _solve(tmp_path, "2029-12-31", "2027-02-01")
    assert code == 0, output
