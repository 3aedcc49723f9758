"""The HTML report as a user sees it: opened in a real headless Chromium, every chart drawn."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from allocator.io import load_scenario
from allocator.report.html import plan_report, write_html_report
from allocator.search.solve import SolveOptions, solve_scenario

if TYPE_CHECKING:
    from collections.abc import Iterator

    from models import Plan, Scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHARTS = ("gantt-projects", "gantt-people", "utilisation", "skills", "vendors")


@pytest.fixture(scope="module")
def quarter() -> tuple[Scenario, Plan]:
    """The bundled quarter with its constructed plan (late tasks, vendors, leave, dependencies)."""
    scenario = load_scenario(SCENARIOS / "quarter.yaml")
    plan = solve_scenario(scenario, SolveOptions(construct_only=True)).plan
    assert plan is not None
    return scenario, plan


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium driven by Playwright; skipped only where either is missing."""
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright's Python package is not installed (pip install playwright)"
    )
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with playwright_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_report(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """Open a report file and wait until every chart is drawn; also return console errors."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.js-plotly-plot')).every(d => d._fullLayout)", timeout=20_000
    )
    return page, errors


def trace_summary(page: Any, chart: str) -> list[dict[str, Any]]:
    """Type, name and point count of each trace as plotly.js drew it (decoded data)."""
    return page.evaluate(
        """id => document.getElementById(id)._fullData.map(t => ({
             type: t.type, name: t.name,
             points: t.type === 'heatmap' ? t.z.length * t.z[0].length : t._length}))""",
        f"chart-{chart}",
    )


def dom_count(page: Any, selector: str) -> int:
    return int(page.evaluate("s => document.querySelectorAll(s).length", selector))


def test_report_is_one_offline_file(quarter: tuple[Scenario, Plan]) -> None:
    scenario, plan = quarter
    text = plan_report(plan, scenario)
    assert "<script src" not in text and "<link" not in text
    assert "cdn." not in text.split("</head>")[1]
    assert text.count("Plotly.newPlot") == len(CHARTS)
    for section in ("Schedule by project", "Utilisation", "Projects", "Assignments"):
        assert f"<h2>{section}</h2>" in text


@pytest.fixture(scope="module")
def report_page(
    browser: Any, quarter: tuple[Scenario, Plan], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, list[str], Path]]:
    """The quarter's report opened once in Chromium, with its console errors and folder."""
    scenario, plan = quarter
    folder = tmp_path_factory.mktemp("report")
    write_html_report(plan, folder / "report.html", scenario)
    page, errors = open_report(browser, folder / "report.html")
    yield page, errors, folder
    page.close()


def test_report_opens_without_console_errors(report_page: tuple[Any, list[str], Path]) -> None:
    page, errors, folder = report_page
    assert errors == []
    page.screenshot(path=folder / "report.png", full_page=True)
    assert (folder / "report.png").stat().st_size > 50_000


def test_gantt_charts_draw_a_bar_per_task_and_per_assignment(
    report_page: tuple[Any, list[str], Path], quarter: tuple[Scenario, Plan]
) -> None:
    page, _, _ = report_page
    _, plan = quarter
    assert dom_count(page, "#chart-gantt-projects .barlayer .point") == len(plan.tasks)
    assignments = sum(len(task.assignments) for task in plan.tasks)
    assert dom_count(page, "#chart-gantt-people .barlayer .point") == assignments
    # Late tasks carry a "late +N d" label; deadlines and dependencies are line and marker traces.
    assert dom_count(page, "#chart-gantt-projects .bartext") == sum(1 for t in plan.tasks if t.late_days)
    names = [trace["name"] for trace in trace_summary(page, "gantt-projects")]
    assert names[-3:] == ["task deadline", "project deadline", "dependency"]
    dependencies = trace_summary(page, "gantt-projects")[-1]["points"]
    assert dependencies == 4 * sum(len(task.after) for _, task in quarter[0].tasks())


def test_heatmap_has_a_cell_per_person_and_week_and_marks_leave(
    report_page: tuple[Any, list[str], Path], quarter: tuple[Scenario, Plan]
) -> None:
    page, _, _ = report_page
    _, plan = quarter
    people = {load.resource for load in plan.loads}
    weeks = {load.week for load in plan.loads}
    heat = trace_summary(page, "utilisation")
    assert heat[0] == {"type": "heatmap", "name": "utilisation", "points": len(people) * len(weeks)}
    assert heat[1]["name"] == "leave" and heat[1]["points"] > 0
    assert dom_count(page, "#chart-utilisation .hm") == 1


def test_skill_and_vendor_charts_have_their_series(
    report_page: tuple[Any, list[str], Path], quarter: tuple[Scenario, Plan]
) -> None:
    page, _, _ = report_page
    _, plan = quarter
    skills = trace_summary(page, "skills")
    assert [t["name"] for t in skills] == [
        "demand met by staff",
        "demand met by vendors",
        "staff capacity with the skill",
    ]
    assert dom_count(page, "#chart-skills .barlayer .point") > 0
    vendors = trace_summary(page, "vendors")
    assert len(vendors) == len(plan.vendors) + 1 and vendors[-1]["name"] == "cumulative spend"


def test_tables_list_every_row_and_sort_and_filter(
    report_page: tuple[Any, list[str], Path], quarter: tuple[Scenario, Plan]
) -> None:
    page, _, _ = report_page
    _, plan = quarter
    assignments = sum(len(task.assignments) for task in plan.tasks)
    assert dom_count(page, "#projects-table tbody tr") == len(plan.projects)
    assert dom_count(page, "#assignments-table tbody tr") == assignments
    page.click("#projects-table th:nth-child(6)")
    page.click("#projects-table th:nth-child(6)")
    first = page.inner_text("#projects-table tbody tr:first-child td:nth-child(6)")
    assert int(first) == max(p.late_days for p in plan.projects)
    project = plan.projects[0].project
    page.fill("#assignments-filter", project)
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('#assignments-table tbody tr'))"
        ".filter(r => r.style.display !== 'none').length"
    )
    assert shown >= sum(len(t.assignments) for t in plan.tasks if t.project == project) > 0
    page.fill("#assignments-filter", "")


def test_report_without_scenario_leaves_out_what_needs_it(quarter: tuple[Scenario, Plan]) -> None:
    _, plan = quarter
    text = plan_report(plan)
    assert "chart-skills" not in text and "chart-gantt-projects" in text
    assert text.count("Plotly.newPlot") == len(CHARTS) - 1
