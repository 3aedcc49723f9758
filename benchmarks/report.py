"""Report speed and size on the generated department-sized scenario.

Run from the repository root::

    python -m benchmarks.report

The large scenario (250 people, 10 vendors, 50 projects, 1,500 tasks, 26 weeks, seed 1) is
planned by construction only, then the HTML report and the Excel workbook are written
from the plan and its scenario. One JSON line gives the time and size of each; the targets
are at most 10 s and 15 MB for the HTML report.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from allocator.report.excel import write_excel_report
from allocator.report.html import write_html_report
from allocator.search.solve import SolveOptions, solve_scenario
from benchmarks.planner import large_scenario

HTML_SECONDS, HTML_MEGABYTES = 10.0, 15.0


def run(seed: int, folder: Path) -> dict[str, object]:
    """Plan the large scenario, write both reports into ``folder`` and measure them."""
    scenario = large_scenario(seed)
    plan = solve_scenario(scenario, SolveOptions(construct_only=True)).plan
    if plan is None:
        raise SystemExit("the construction found no plan")
    html_path, excel_path = folder / "report.html", folder / "plan.xlsx"
    began = time.perf_counter()
    write_html_report(plan, html_path, scenario)
    html_seconds = time.perf_counter() - began
    began = time.perf_counter()
    write_excel_report(plan, excel_path, scenario)
    excel_seconds = time.perf_counter() - began
    html_mb = html_path.stat().st_size / 1e6
    return {
        "scenario": "large",
        "tasks": len(plan.tasks),
        "assignments": sum(len(task.assignments) for task in plan.tasks),
        "html_seconds": round(html_seconds, 2),
        "html_megabytes": round(html_mb, 2),
        "excel_seconds": round(excel_seconds, 2),
        "excel_megabytes": round(excel_path.stat().st_size / 1e6, 2),
        "within_targets": html_seconds <= HTML_SECONDS and html_mb <= HTML_MEGABYTES,
    }


def main() -> None:
    """Command line: ``python -m benchmarks.report [--seed N] [--keep FOLDER]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="Write the reports into this folder and keep them.")
    options = parser.parse_args()
    if options.keep is not None:
        options.keep.mkdir(parents=True, exist_ok=True)
        print(json.dumps(run(options.seed, options.keep)))
        return
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(run(options.seed, Path(folder))))


if __name__ == "__main__":
    main()
