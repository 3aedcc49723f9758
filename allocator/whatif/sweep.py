"""Sweeps: one numeric parameter over a range, solved as a family of variants.

The parameter is the ``{}`` in a command-line change, for example
``vendor bluepeak headcount={}`` over ``0..4``. The answer is a table and a text
chart of the KPIs against the parameter.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from allocator.whatif.quick import QuickChangeError, parse_quick_variant
from allocator.whatif.report import _json_value, _value
from allocator.whatif.variants import Variant, quick_variant

if TYPE_CHECKING:
    from allocator.whatif.compare import Comparison
    from models import Scenario

#: KPIs shown in a sweep, in table order; the first three are charted.
SWEEP_KPIS = (
    "weighted_late_days",
    "projects_late",
    "vendor_cost",
    "projects_on_time",
    "latest_finish",
    "vendor_days",
    "average_utilisation",
    "projects_deferred",
)
#: Short column headings of :data:`SWEEP_KPIS` for the terminal table.
SWEEP_HEADINGS = (
    "weighted late days",
    "late",
    "vendor spend",
    "on time",
    "latest finish",
    "vendor days",
    "avg util %",
    "deferred",
)


def parse_values(text: str) -> list[str]:
    """The values of ``--values``: ``0,1,2``, ``0..4`` or ``1.0..1.5:0.1``.

    Raises
    ------
    ValueError
        When the text is none of these forms or the range is empty or too long.
    """
    if ".." not in text:
        values = [v.strip() for v in text.split(",") if v.strip()]
    else:
        span, _, step_text = text.partition(":")
        first_text, _, last_text = span.partition("..")
        first, last = float(first_text), float(last_text)
        step = float(step_text) if step_text else 1.0
        if step <= 0 or last < first or (last - first) / step > 200:
            raise ValueError(f"cannot sweep '{text}': give first..last[:step] with last >= first, step > 0")
        count = round((last - first) / step) + 1
        integral = all(x.is_integer() for x in (first, step))
        values = [
            f"{first + i * step:.10g}" if not integral else str(int(first + i * step)) for i in range(count)
        ]
    if not values:
        raise ValueError(f"no values in '{text}'")
    return values


def sweep_variants(base: Scenario, template: str, values: list[str]) -> list[Variant]:
    """One variant per value, named ``PARAM=value`` after the change template.

    Raises
    ------
    QuickChangeError
        When the template has no ``{}`` or a change cannot be read.
    """
    if "{}" not in template:
        raise QuickChangeError(
            f"'{template}': put {{}} where the swept value goes, e.g. 'vendor x headcount={{}}'"
        )
    projects = [project.id for project in base.projects]
    variants = []
    for value in values:
        changes = parse_quick_variant(template.replace("{}", value), projects)
        variants.append(quick_variant(base, changes, name=value))
    return variants


def _row(comparison: Comparison, key: str) -> list[Any]:
    row = next(r for r in comparison.kpis if r.key == key)
    return list(row.values)


def sweep_rows(comparison: Comparison) -> list[list[str]]:
    """Table rows: one per column (base first), the parameter value then each KPI."""
    series = [_row(comparison, key) for key in SWEEP_KPIS]
    status = [c.status for c in comparison.columns]
    return [[name, *(_value(s[i]) for s in series), status[i]] for i, name in enumerate(comparison.names)]


def text_chart(labels: list[str], values: list[float | None], title: str, width: int = 40) -> str:
    """A horizontal bar chart in plain text: one bar per label, scaled to the largest value."""
    numbers = [v for v in values if v is not None]
    top = max(numbers, default=0) or 1
    pad = max(len(label) for label in labels)
    lines = [title]
    for label, value in zip(labels, values, strict=True):
        if value is None:
            lines.append(f"  {label:>{pad}} | no plan")
            continue
        bar = "#" * round(width * max(0.0, value) / top)
        lines.append(f"  {label:>{pad}} | {bar} {_value(value)}")
    return "\n".join(lines)


def sweep_charts(comparison: Comparison, parameter: str) -> str:
    """Charts of the first three sweep KPIs against the parameter (base first)."""
    labels = comparison.names
    labels = [labels[0], *(f"{parameter}={v}" for v in labels[1:])]
    charts = []
    for key in SWEEP_KPIS[:3]:
        row = next(r for r in comparison.kpis if r.key == key)
        numbers = [float(v) if isinstance(v, int | float) else None for v in row.values]
        charts.append(text_chart(labels, numbers, row.label))
    return "\n\n".join(charts)


def sweep_answer(comparison: Comparison, parameter: str) -> str:
    """One sentence: the first value that lands every planned project on time, if any."""
    late = _row(comparison, "projects_late")
    for name, count in zip(comparison.names[1:], late[1:], strict=True):
        if count == 0:
            return f"every planned project is on time from {parameter}={name}"
    return f"no swept value of {parameter} lands every project on time"


def sweep_csv(comparison: Comparison) -> str:
    """The sweep as CSV: one row per value (base first), one column per KPI."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["value", *SWEEP_KPIS, "status", "gap"])
    series = [_row(comparison, key) for key in SWEEP_KPIS]
    for i, col in enumerate(comparison.columns):
        writer.writerow([col.name, *(_json_value(s[i]) for s in series), col.status, col.gap])
    return out.getvalue()


def sweep_json(comparison: Comparison, parameter: str) -> str:
    """The sweep as JSON: the parameter, and the KPI series against it."""
    series = {key: [_json_value(v) for v in _row(comparison, key)] for key in SWEEP_KPIS}
    data = {
        "parameter": parameter,
        "values": comparison.names,
        "kpis": series,
        "status": [c.status for c in comparison.columns],
        "answer": sweep_answer(comparison, parameter),
    }
    return json.dumps(data, indent=2) + "\n"
