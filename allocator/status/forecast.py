"""Forecast finish by earned schedule, and the red/amber/green rule.

**Earned schedule** (Lipke): ``ES`` is the time, in working days from the project's
planned start, at which the baseline planned to have earned what is earned now (``PV(ES)
= EV``, interpolated within a day); ``AT`` the working days actually elapsed to the as-of
date; ``SPI(t) = ES / AT``. The forecast duration is the planned duration divided by
``SPI(t)``, counted from the planned start. A project whose tasks are all done finishes
on its last actual finish; one not yet due to start keeps its planned finish.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from models.status import Rag

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from allocator.problem.calendar import Timeline
    from allocator.status.earned import TaskMeasure
    from models.progress import TaskProgress
    from models.status import EarnedValue

#: SPI or CPI below this is red; below :data:`AMBER_BELOW` amber.
RED_BELOW = 0.85
AMBER_BELOW = 0.95
#: Working days past the deadline at which a forecast finish turns red.
RED_LATE_DAYS = 10

RAG_RULE = (
    f"Red: SPI or CPI below {RED_BELOW:.2f}, or the forecast finish more than {RED_LATE_DAYS} "
    f"working days after the deadline. Amber: SPI or CPI below {AMBER_BELOW:.2f}, or the forecast "
    "finish after the deadline. Green otherwise. The portfolio: the same rule on its SPI and CPI, "
    "and at least amber when a project is red."
)
FORECAST_METHOD = (
    "earned schedule: forecast duration = planned duration / SPI(t), SPI(t) = ES / AT, where ES is "
    "when the baseline planned to earn today's EV and AT the working days elapsed"
)


def earned_schedule(tasks: Sequence[TaskMeasure], start: int, end: int) -> float:
    """Working days from ``start`` at which the baseline's PV reaches today's EV.

    With ``PV_k`` the planned value of the first ``k`` working days, ``ES = C + (EV - PV_C)
    / (PV_{C+1} - PV_C)`` where ``C`` is the last ``k`` with ``PV_k <= EV`` (so a stretch
    with nothing planned counts as earned once it is reached). At most ``end - start``.
    """
    earned = sum(t.earned for t in tasks) + 1e-9
    cumulative = [sum(t.planned_by(start + k - 1) for t in tasks) for k in range(end - start + 1)]
    whole = max(k for k, value in enumerate(cumulative) if value <= earned)
    if whole >= end - start:
        return float(end - start)
    step = cumulative[whole + 1] - cumulative[whole]
    return whole + max(0.0, earned - cumulative[whole]) / step


def forecast_finish(
    tasks: Sequence[TaskMeasure],
    progress: dict[str, TaskProgress],
    timeline: Timeline,
    as_of_day: int,
) -> dt.date | None:
    """The forecast finish of a project's tasks (see the module docstring); ``None`` when unknown."""
    planned = [t for t in tasks if t.window[1] > t.window[0] or t.budget > 0]
    if not tasks:
        return None
    start = min(t.window[0] for t in tasks)
    end = max(t.window[1] for t in tasks)
    planned_finish = timeline.date(max(end - 1, start))
    if all(t.status == "done" for t in tasks):
        finishes = [progress[t.task].actual_finish for t in tasks if t.task in progress]
        known = [day for day in finishes if day is not None]
        return max(known) if known else planned_finish
    elapsed = as_of_day - start + 1
    if elapsed <= 0 or not planned:
        return planned_finish
    schedule = earned_schedule(planned, start, end)
    if schedule <= 0:
        return None
    duration = math.ceil((end - start) * elapsed / schedule - 1e-9)
    return timeline.date(min(start + max(duration, elapsed + 1) - 1, len(timeline) - 1))


def late_days(timeline: Timeline, finish: dt.date | None, deadline: dt.date | None) -> int:
    """Working days ``finish`` lies after ``deadline`` (0 when either is unknown)."""
    if finish is None or deadline is None:
        return 0
    return max(0, timeline.day_on_or_before(finish) - timeline.day_on_or_before(deadline))


def _shown(index: float, threshold: float) -> str:
    """``index`` with two decimals, or three where two would round it up to ``threshold``."""
    return f"{index:.3f}" if f"{index:.2f}" == f"{threshold:.2f}" else f"{index:.2f}"


def rag(value: EarnedValue, late: int) -> tuple[Rag, tuple[str, ...]]:
    """The RAG of a project by :data:`RAG_RULE`, with the reasons in words."""
    reasons, colour = [], Rag.GREEN
    for name, index in (("SPI", value.spi), ("CPI", value.cpi)):
        if index is not None and index < RED_BELOW:
            reasons.append(f"{name} {_shown(index, RED_BELOW)} is below {RED_BELOW:.2f}")
            colour = Rag.RED
        elif index is not None and index < AMBER_BELOW:
            reasons.append(f"{name} {_shown(index, AMBER_BELOW)} is below {AMBER_BELOW:.2f}")
            colour = _worse(colour, Rag.AMBER)
    if late > RED_LATE_DAYS:
        reasons.append(f"forecast {late} working days after the deadline")
        colour = Rag.RED
    elif late > 0:
        reasons.append(f"forecast {late} working days after the deadline")
        colour = _worse(colour, Rag.AMBER)
    return colour, tuple(reasons)


def _worse(first: Rag, second: Rag) -> Rag:
    order = [Rag.GREEN, Rag.AMBER, Rag.RED]
    return max(first, second, key=order.index)


def portfolio_rag(value: EarnedValue, projects: Sequence[Rag]) -> Rag:
    """The portfolio's RAG: the rule on its indexes, at least amber when a project is red."""
    colour, _ = rag(value, 0)
    return _worse(colour, Rag.AMBER) if Rag.RED in projects else colour
