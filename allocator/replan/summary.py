"""A paragraph a manager can paste into a status email."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.changes import ChangeList


def manager_summary(changes: ChangeList, in_progress: int = 0) -> str:
    """What slipped, what the re-plan does about it, what it costs and which projects are late."""
    own = [t for t in changes.tasks if not t.history]
    moved = [t for t in own if t.moved]
    reassigned = [t for t in own if t.reassigned]
    parts = []
    when = f"As of {changes.as_of}, " if changes.as_of else ""
    slipped = "; ".join(changes.slipped) if changes.slipped else "the updated scenario"
    parts.append(f"{when}re-planned for {slipped}.")
    if changes.done or in_progress:
        parts.append(f"{len(changes.done)} tasks are done and {in_progress} under way.")
    later = sum(1 for t in moved if t.finish_shift_days > 0)
    parts.append(
        f"The re-plan moves {len(moved)} tasks ({later} finish later) and changes the team of "
        f"{len(reassigned)}; {len(changes.people)} people are affected."
    )
    if changes.released:
        parts.append(f"Frozen tasks released to make it feasible: {', '.join(changes.released)}.")
    if changes.vendor_days_added > 0.005:
        parts.append(f"It adds {changes.vendor_days_added:g} vendor days.")
    elif changes.vendor_days_added < -0.005:
        parts.append(f"It needs {-changes.vendor_days_added:g} fewer vendor days.")
    else:
        parts.append("Vendor days are unchanged.")
    shifted = [p for p in changes.projects if p.shift_days]
    if shifted:
        parts.append(
            "Forecast finishes: "
            + ", ".join(f"{p.project} {p.shift_days:+d} days ({p.new_finish})" for p in shifted)
            + "."
        )
    if changes.projects_late:
        parts.append(f"Projects now late: {', '.join(changes.projects_late)}.")
    else:
        parts.append("No project is forecast late.")
    return " ".join(parts)
