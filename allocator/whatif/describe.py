"""One-line descriptions of changes, in the user's words, for comparisons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from models.whatif import Change, DateShift, Target


def _shift(change: DateShift) -> str:
    if change.to is not None:
        return f"to {change.to}"
    days = change.shift_days
    if days % 7 == 0:
        return f"by {days // 7:+d} weeks"
    return f"by {days:+d} days"


def _target(change: Target) -> str:
    return f"task {change.task}" if change.task else f"project {change.project}"


def _skills(skills: dict[str, int]) -> str:
    return ", ".join(f"{skill}:{level}" for skill, level in skills.items())


def _vendor(change: Any) -> str:
    parts = []
    if change.headcount is not None:
        parts.append(f"headcount {change.headcount}")
    if change.day_rate is not None:
        parts.append(f"day rate {change.day_rate:g}")
    if change.spend_cap is not None:
        parts.append(f"spend cap {change.spend_cap:,.0f}")
    if change.spend_cap_factor is not None:
        parts.append(f"spend cap x{change.spend_cap_factor:g}")
    if change.lead_time_days is not None:
        parts.append(f"lead time {change.lead_time_days} working days")
    return f"vendor {change.vendor}: " + ", ".join(parts)


def _effort(change: Any) -> str:
    amount = f"x{change.factor:g}" if change.factor is not None else f"{change.add:+g} person-days"
    return f"effort of {_target(change)} {amount}"


def _capacity(change: Any) -> str:
    parts = [f"fte {change.fte:g}" if change.fte is not None else "", ""]
    if change.reserve is not None:
        parts[1] = f"reserve {change.reserve:g}"
    return f"{change.person}: " + ", ".join(p for p in parts if p)


def _overtime(change: Any) -> str:
    terms = change.overtime
    cap = f", up to {terms.max_hours:g} h" if terms.max_hours is not None else ""
    return f"{change.person}: overtime {terms.hours_per_week:g} h/week{cap} at x{terms.cost_multiplier:g}"


_DESCRIBE: dict[str, Callable[[Any], str]] = {
    "add-person": lambda c: (
        f"hire {c.person.id} ({_skills(c.person.skills)})"
        + (f" from {c.start or c.person.start}" if (c.start or c.person.start) else "")
    ),
    "remove-person": lambda c: f"{c.person} leaves" + (f" from {c.from_}" if c.from_ else ""),
    "time-off": lambda c: (
        f"{c.person} off {c.start} to {c.end}" + ("" if c.fraction == 1 else f" at {c.fraction:.0%}")
    ),
    "capacity": _capacity,
    "overtime": _overtime,
    "add-vendor": lambda c: (
        f"new vendor {c.vendor.id} ({_skills(c.vendor.skills)}, "
        f"{c.vendor.headcount} at {c.vendor.day_rate:g}/day)"
    ),
    "vendor": _vendor,
    "effort": _effort,
    "earliest-start": lambda c: f"earliest start of {_target(c)} {_shift(c)}",
    "deadline": lambda c: (
        f"deadline of {_target(c)} {_shift(c)}" + (f" ({c.deadline_type})" if c.deadline_type else "")
    ),
    "priority": lambda c: f"priority of project {c.project} to {c.priority}",
    "add-project": lambda c: f"new project {c.project.id} ({len(c.project.tasks)} tasks)",
    "drop-project": lambda c: f"drop project {c.project}",
    "defer-project": lambda c: f"project {c.project} may be deferred",
    "pin": lambda c: f"pin {c.person} to task {c.task}",
    "unpin": lambda c: f"unpin {c.person} from task {c.task}",
}


def describe_change(change: Change) -> str:
    """A short sentence for ``change``: its ``name`` when given, else generated.

    Parameters
    ----------
    change
        Any what-if change.
    """
    return change.name or _DESCRIBE[change.type](change)
