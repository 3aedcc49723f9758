"""The plan's recorded figures against figures recomputed from its task plans.

Project forecasts, vendor use, weekly loads and KPIs are derived again with
:mod:`allocator.plan.figures`; any difference is a violation (rule ``figures``), since a plan
must never report figures its own tasks do not support.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from allocator.plan.figures import build_plan_figures, late_working_days, task_deadline

if TYPE_CHECKING:
    from pydantic import BaseModel

    from allocator.checker.context import CheckContext

_REL, _ABS = 1e-9, 1e-6


def _same(recorded: object, expected: object) -> bool:
    if isinstance(recorded, float | int) and isinstance(expected, float | int):
        return math.isclose(recorded, expected, rel_tol=_REL, abs_tol=_ABS)
    if isinstance(recorded, dict) and isinstance(expected, dict):
        return recorded.keys() == expected.keys() and all(_same(recorded[k], expected[k]) for k in recorded)
    return recorded == expected


def _compare(ctx: CheckContext, entity: str, recorded: BaseModel, expected: BaseModel) -> None:
    """Report each field of ``recorded`` that differs from ``expected``."""
    for name in type(expected).model_fields:
        mine, theirs = getattr(recorded, name), getattr(expected, name)
        if not _same(mine, theirs):
            ctx.findings.add(
                "figures", entity, f"{name} is recorded as {_show(mine)}, recomputed {_show(theirs)}"
            )


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value)


def _compare_keyed(
    ctx: CheckContext, kind: str, recorded: dict[str, BaseModel], expected: dict[str, BaseModel]
) -> None:
    for key in recorded.keys() - expected.keys():
        ctx.findings.add("figures", f"{kind} {key}", "recorded but not supported by the task plans")
    for key, figure in expected.items():
        if key not in recorded:
            ctx.findings.add("figures", f"{kind} {key}", "missing from the plan's figures")
        else:
            _compare(ctx, f"{kind} {key}", recorded[key], figure)


def check_figures(ctx: CheckContext) -> None:
    """Recorded project forecasts, vendor use, loads, KPIs and task lateness are recomputed."""
    figures = build_plan_figures(ctx.scenario, ctx.plan.tasks, ctx.timeline)
    plan = ctx.plan
    _compare_keyed(
        ctx, "project", {p.project: p for p in plan.projects}, {p.project: p for p in figures.projects}
    )
    _compare_keyed(ctx, "vendor", {v.vendor: v for v in plan.vendors}, {v.vendor: v for v in figures.vendors})
    _compare_keyed(
        ctx,
        "load",
        {f"{w.resource} {w.week}": w for w in plan.loads},
        {f"{w.resource} {w.week}": w for w in figures.loads},
    )
    _compare(ctx, "plan kpis", plan.kpis, figures.kpis)
    for pt in ctx.planned():
        deadline = task_deadline(pt.project, pt.task)
        late = late_working_days(ctx.timeline, pt.end, deadline)
        if pt.plan.deadline != deadline or pt.plan.late_days != late:
            ctx.findings.add(
                "figures",
                pt.entity,
                f"records deadline {pt.plan.deadline} and {pt.plan.late_days} late day(s); "
                f"recomputed {deadline} and {late}",
            )
