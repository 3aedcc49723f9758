"""A risk report for people (text), for programs (JSON) and for spreadsheets (CSV)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.risk_report import ProjectRisk, RiskReport

CSV_COLUMNS = (
    "project",
    "deadline",
    "planned_finish",
    "p50",
    "p80",
    "p95",
    "on_time",
    "mean_late_days",
    "drivers",
)


def _chance(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f} %"


def _drivers(project: ProjectRisk) -> str:
    return ", ".join(
        f"{d.task} ({100 * d.criticality:.0f} %, r {d.correlation:+.2f})" for d in project.drivers
    )


def risk_text(report: RiskReport) -> str:
    """The report as a table: per project the percentiles, the chance of the deadline, the drivers."""
    header = ("project", "deadline", "planned", "P50", "P80", "P95", "on time", "late (mean)")
    rows = [
        (
            p.project,
            str(p.deadline or "-"),
            str(p.planned_finish),
            str(p.p50),
            str(p.p80),
            str(p.p95),
            _chance(p.on_time),
            f"{p.mean_late_days:.1f} d",
        )
        for p in report.projects
    ]
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    lines = [
        f"Risk of {report.scenario}: {report.samples} samples, seed {report.seed}, "
        f"{report.uncertain_tasks} tasks with uncertain work"
        + (", early starts allowed" if report.early_starts else ""),
        "",
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        *("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows),
        "",
        "What drives the spread (share of samples on the chain that sets the finish, rank correlation):",
    ]
    lines += [f"  {p.project}: {_drivers(p)}" for p in report.projects if p.drivers]
    if report.event_rates:
        rates = ", ".join(f"{name} {100 * rate:.0f} %" for name, rate in report.event_rates.items())
        lines += ["", f"Events happened in: {rates}"]
    if report.overrun_samples:
        lines += [f"{report.overrun_samples} samples ran past the end of the timeline (counted at its end)."]
    if report.replanned is not None:
        r = report.replanned
        lines += [
            "",
            f"Re-planned {len(r.samples)} of {r.tried} samples (others: no plan in the time, or none "
            "meets a hard deadline): "
            f"weighted late days {r.retimed_late_days:.1f} with the plan re-timed, "
            f"{r.replanned_late_days:.1f} re-planned; mean finish re-timed -> re-planned:",
            *(f"  {p}: {a} -> {b}" for p, (a, b) in r.projects.items()),
        ]
    lines.append(f"({report.wall_time:.2f} s)")
    return "\n".join(lines) + "\n"


def risk_json(report: RiskReport) -> str:
    """The complete report as JSON."""
    return report.model_dump_json(indent=2) + "\n"


def risk_csv(report: RiskReport) -> str:
    """One row per project."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in report.projects:
        writer.writerow(
            [
                p.project,
                p.deadline or "",
                p.planned_finish,
                p.p50,
                p.p80,
                p.p95,
                "" if p.on_time is None else f"{p.on_time:.4f}",
                f"{p.mean_late_days:.2f}",
                ";".join(f"{d.task}:{d.criticality:.4f}" for d in p.drivers),
            ]
        )
    return buffer.getvalue()
