"""The status and review commands on the bundled quarter, bad input, and the bookings parser."""

from __future__ import annotations

import json
import shutil
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from allocator.app.cli import main
from allocator.io import ScenarioError, load_scenario
from allocator.status.bookings_io import parse_week, read_bookings_csv

ROOT = Path(__file__).resolve().parents[1]
QUARTER = ROOT / "scenarios" / "quarter.yaml"
DATA = ROOT / "scenarios" / "status"
BASE = ["--baseline", str(DATA / "baseline.json")]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def status(actuals: str, as_of: str, *more: str) -> tuple[int, str]:
    return run("status", str(QUARTER), *BASE, "--actuals", actuals, "--as-of", as_of, *more)


def test_status_of_the_bundled_quarter_in_markdown() -> None:
    code, out = status(str(DATA / "w07-actuals.csv"), "2027-02-15")
    assert code == 0, out
    assert out.startswith("# Status: q1-2027-portfolio, 15 Feb 2027")
    assert "| dc-exit | red |" in out
    assert "skyforge: GBP" in out and "cap" in out
    assert "Red: SPI or CPI below 0.85" in out
    assert "earned schedule" in out


def test_status_with_previous_report_in_html(tmp_path: Path) -> None:
    earlier = tmp_path / "w05.json"
    code, out = status(str(DATA / "w05-actuals.csv"), "2027-02-01", "--format", "json", "-o", str(earlier))
    assert code == 0, out
    assert json.loads(earlier.read_text())["as_of"] == "2027-02-01"
    page = tmp_path / "status.html"
    code, out = status(
        str(DATA / "w07-actuals.csv"),
        "2027-02-15",
        "--previous",
        str(earlier),
        "--format",
        "html",
        "-o",
        str(page),
    )
    assert code == 0, out
    text = page.read_text()
    assert "Since the last status (01 Feb 2027)" in text
    assert "chart-burnup-dc-exit" in text
    code, out = status(str(DATA / "w07-actuals.csv"), "2027-02-15", "--previous", str(earlier))
    assert "## Since the last status (01 Feb 2027)" in out


def test_review_writes_a_calibration_that_a_scenario_applies(tmp_path: Path) -> None:
    fragment = tmp_path / "calibration.yaml"
    code, out = run(
        "review", str(QUARTER), *BASE, "--actuals", str(DATA / "final-actuals.csv"), "-o", str(fragment)
    )
    assert code == 0, out
    assert "| backend | 11 |" in out
    assert "## By vendor" in out
    next_quarter = tmp_path / "next.yaml"
    next_quarter.write_text("calibration: calibration.yaml\n" + QUARTER.read_text(encoding="utf-8"))
    before, after = load_scenario(QUARTER).task_index(), load_scenario(next_quarter).task_index()
    # rel-api needs backend only: its effort grows by the backend multiplier.
    assert after["rel-api"][1].effort > before["rel-api"][1].effort * 1.2


BAD_CASES = [
    (
        "actuals",
        "task,status\nrel-apy,done\n",
        "row 2: progress of task 'rel-apy' field 'task': unknown task",
    ),
    (
        "actuals",
        "task,status\nrel-api,done\nrel-api,done\n",
        "row 3: progress of task 'rel-api' field 'task'",
    ),
    (
        "actuals",
        "task,status,remaining_effort\nrel-api,in_progress,-3\n",
        "row 2: progress of task 'rel-api'",
    ),
    (
        "actuals",
        "task,status,actual_start\nrel-api,done,2026-12-01\n",
        "row 2: progress of task 'rel-api' field 'actual_start': 2026-12-01 is before",
    ),
    (
        "bookings",
        "person,task,week,days\nbne,rel-api,2027-W02,3\n",
        "row 2: booking of 'bne' on 'rel-api' field 'person'",
    ),
    (
        "bookings",
        "person,task,week,days\nben,rel-api,2027-W02,-1\n",
        "row 2: booking of 'ben' on 'rel-api' field 'days'",
    ),
    (
        "bookings",
        "person,task,week,days\nben,rel-api,2027-W20,1\n",
        "row 2: booking of 'ben' on 'rel-api' field 'week'",
    ),
    (
        "bookings",
        "person,task,week,days\nben,rel-api,2027-W02,1\nben,rel-api,2027-01-12,2\n",
        "row 3: booking of 'ben' on 'rel-api' field 'week': the same person, task and week twice",
    ),
]


@pytest.mark.parametrize(("which", "text", "expected"), BAD_CASES)
def test_bad_input_exits_2_naming_file_row_and_column(
    tmp_path: Path, which: str, text: str, expected: str
) -> None:
    actuals, bookings = tmp_path / "x-actuals.csv", tmp_path / "x-bookings.csv"
    shutil.copy(DATA / "w07-actuals.csv", actuals)
    shutil.copy(DATA / "w07-bookings.csv", bookings)
    (actuals if which == "actuals" else bookings).write_text(text)
    out_file = tmp_path / "status.md"
    code, out = status(str(actuals), "2027-02-15", "-o", str(out_file))
    assert code == 2
    assert f"x-{which}.csv {expected}" in out
    assert not out_file.exists()


def test_as_of_outside_the_plan_exits_2(tmp_path: Path) -> None:
    code, out = status(str(DATA / "w07-actuals.csv"), "2027-09-01")
    assert code == 2
    assert "as-of date 2027-09-01 is outside the plan" in out


def test_parse_week_reads_iso_weeks_and_dates() -> None:
    assert str(parse_week("2027-W03")) == "2027-01-18"
    assert str(parse_week("2027-01-21")) == "2027-01-18"
    with pytest.raises(ValueError, match="cannot read week"):
        parse_week("week 3")


CELL = st.text(alphabet=string.ascii_letters + string.digits + "-.,;\"' W", max_size=12)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=5), max_size=6), header=st.booleans())
def test_bookings_parser_raises_only_its_own_error(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], header: bool
) -> None:
    path = tmp_path_factory.mktemp("bookings") / "bookings.csv"
    lines = (["person,task,week,days"] if header else []) + [",".join(row) for row in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        bookings = read_bookings_csv(path)
    except ScenarioError as error:
        assert error.problems
    else:
        assert all(b.days >= 0 for b in bookings)
