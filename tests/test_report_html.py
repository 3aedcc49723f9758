"""The HTML report as a user sees it: opened in a real headless Chromium, every chart drawn."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from allocator.io import load_scenario
from allocator.report.html import plan_report, write_html_report
from allocator.report.solver import late_text
from allocator.search.solve import SolveOptions, solve_scenario
from tests.bound_plans import REASON, chain_plan, without_bound

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


def test_projects_table_and_gantt_show_the_quarters_proven_lateness(
    report_page: tuple[Any, list[str], Path], quarter: tuple[Scenario, Plan]
) -> None:
    """Every project late in every plan has its bound, reason and earliest finish in view."""
    page, _, _ = report_page
    _, plan = quarter
    assert plan.solver is not None and plan.solver.project_bounds
    assert dom_count(page, "#projects-table td.bound") == len(plan.solver.project_bounds)
    table = page.inner_text("#projects-table")
    for bound in plan.solver.project_bounds:
        assert f"{late_text(bound)}\n{bound.reason}" in table
        assert bound.earliest_finish is not None and f"{bound.earliest_finish:%d %b %Y}" in table
    ticks = next(t for t in trace_summary(page, "gantt-projects") if t["name"] == "earliest possible finish")
    assert ticks["points"] == len(plan.solver.project_bounds)


# --- a plan with a proven bound, and one whose first stage has none ------------------------


@pytest.fixture(scope="module")
def chain() -> tuple[Scenario, Plan]:
    """crm late at least 2 working days in every plan; the first stage stopped with no bound."""
    scenario, plan = chain_plan()
    return scenario, without_bound(plan)


def test_report_text_says_no_bound_never_a_gap_of_100_percent(chain: tuple[Scenario, Plan]) -> None:
    scenario, plan = chain
    text = plan_report(plan, scenario)
    solver = text.split("<section id='solver'>")[1].split("</section>")[0]
    assert "100.0%" not in solver and "gap 100" not in text
    assert "<td class='num' data-sort='-1'>no bound</td><td class='num' data-sort='2'>no bound</td>" in solver
    assert "<div class='detail'>verified, no bound, 0 s</div>" in text
    assert "<b>late at least 2 working days in every plan</b>" in text
    assert f"<div class='why'>{REASON}</div>" in text


@pytest.fixture(scope="module")
def chain_page(
    browser: Any, chain: tuple[Scenario, Plan], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    scenario, plan = chain
    path = tmp_path_factory.mktemp("chain") / "report.html"
    write_html_report(plan, path, scenario)
    page, errors = open_report(browser, path)
    assert errors == []
    yield page
    page.close()


def _cells(page: Any, selector: str) -> list[str]:
    return list(
        page.evaluate("s => Array.from(document.querySelectorAll(s)).map(c => c.innerText)", selector)
    )


def test_stage_table_shows_objective_bound_and_gap(chain_page: Any) -> None:
    page = chain_page
    rows = [_cells(page, f"#stages-table tbody tr:nth-child({n}) td") for n in (1, 2)]
    assert rows[0] == ["1", "lateness + deferral", "4", "no bound", "no bound", "feasible", "1.5"]
    assert rows[1] == ["2", "cost", "0", "0", "0.0%", "optimal", "0.0"]
    assert page.inner_text("#solver ul.reasons") == f"crm: {REASON}"
    card = page.inner_text(".kpi:has-text('Late in every plan')")
    assert card.splitlines()[1:] == ["1 project", "crm ≥ 2 working days"]


def test_projects_table_shows_late_in_every_plan_without_hovering(chain_page: Any) -> None:
    page = chain_page
    header = _cells(page, "#projects-table thead th")
    assert header[5:8] == ["late (working days)", "late in every plan", "earliest possible finish"]
    row = _cells(page, "#projects-table tbody tr td")
    assert row[:8] == [
        "crm",
        "late",
        "04 Jan 2027",
        "20 Jan 2027",
        "18 Jan 2027",
        "2",
        f"late at least 2 working days in every plan\n{REASON}",
        "20 Jan 2027",
    ]
    assert page.is_visible("#projects-table td.bound .why")


def test_gantt_bars_and_earliest_finish_tick_carry_the_bound_on_hover(chain_page: Any) -> None:
    page = chain_page
    bars = page.evaluate(
        "document.getElementById('chart-gantt-projects').data.find(t => t.name === 'crm').hovertext"
    )
    assert len(bars) == 3
    assert all("<b>crm: late at least 2 working days in every plan</b><br>its chain build" in h for h in bars)
    page.locator("#chart-gantt-projects").scroll_into_view_if_needed()
    tick = page.evaluate(
        """() => {
          const gd = document.getElementById('chart-gantt-projects');
          const t = gd._fullData.find(t => t.name === 'earliest possible finish');
          const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
          return {x: t.x, y: t.y, px: box.left + xa._offset + xa.c2p(xa.d2c(t.x[0])),
                  py: box.top + ya._offset + ya.c2p(t.y[0])};
        }"""
    )
    assert tick["x"] == ["2027-01-20T23:59"] and tick["y"] == [2]  # the row of 'test', the chain's end
    page.mouse.move(tick["px"], tick["py"])
    page.wait_for_function(
        "document.querySelector('#chart-gantt-projects .hoverlayer').textContent.includes('earliest')"
    )
    hover = page.evaluate("document.querySelector('#chart-gantt-projects .hoverlayer').textContent")
    assert hover.startswith(
        "crm finishes 20 Jan 2027 at the earliestcrm: late at least 2 working days in every plan"
        "its chain build → api → test starts 04 Jan"
    )
