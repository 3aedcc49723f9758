"""What the solver proved, in a manager's words: stage objectives, bounds, gaps, late in every plan.

A stage's *bound* is proven: no plan of the scenario scores lower. Its *gap* is how far
the plan could still be from the best possible. A bound of 0 under a positive objective
proves nothing, so it reads "no bound", never "gap 100 %" (see
:func:`models.plan.stage_gap`).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.plan import NO_BOUND, stage_gap

if TYPE_CHECKING:
    from models import Plan, ProjectBound


@dataclass(frozen=True)
class StageRow:
    """One objective stage as a report shows it.

    ``bound`` and ``gap`` are ``None`` where no bound is known.
    """

    number: int
    terms: str
    objective: float
    bound: float | None
    gap: float | None
    status: str
    wall_time: float


def stage_rows(plan: Plan) -> list[StageRow]:
    """The plan's objective stages in order (empty for a constructed plan or no solver facts)."""
    if plan.solver is None:
        return []
    rows = []
    for number, stage in enumerate(plan.solver.stages, start=1):
        gap = stage_gap(stage)
        rows.append(
            StageRow(
                number=number,
                terms=" + ".join(stage.terms),
                objective=stage.objective,
                bound=None if gap is None else stage.bound,
                gap=gap,
                status=stage.status.value,
                wall_time=stage.wall_time,
            )
        )
    return rows


def first_gap(plan: Plan) -> float | None:
    """The gap of the first objective stage; ``None`` where no bound is known or no stage ran."""
    rows = stage_rows(plan)
    return rows[0].gap if rows else None


def number(value: float) -> str:
    """An objective value: whole numbers (and anything above 1,000) with thousands separators,
    others to 4 digits."""
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() or abs(value) >= 1000 else f"{value:,.4g}"


def bound_text(value: float | None) -> str:
    """A stage bound as shown: the number, or ``no bound``."""
    return NO_BOUND if value is None else number(value)


def gap_text(gap: float | None) -> str:
    """A stage gap as shown: ``12.5%``, or ``no bound``."""
    return NO_BOUND if gap is None else f"{gap:.1%}"


def project_bounds(plan: Plan) -> dict[str, ProjectBound]:
    """Per project, the lateness every plan must accept (only projects with a proven bound)."""
    return {} if plan.solver is None else {b.project: b for b in plan.solver.project_bounds}


def late_text(bound: ProjectBound) -> str:
    """``late at least 13 working days in every plan``."""
    days = "day" if bound.late_days == 1 else "days"
    return f"late at least {bound.late_days} working {days} in every plan"


def wrapped(text: str, width: int = 90) -> list[str]:
    """``text`` in lines of at most ``width`` characters (for chart hover labels)."""
    return textwrap.wrap(text, width) or [""]
