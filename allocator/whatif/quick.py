"""One-line changes written on the command line, such as ``effort crm-build x1.4``.

Grammar: a verb, its positional arguments, then optional ``key=value`` pairs.
Several changes in one variant are separated by ``;``. See ``docs/what-if.md``.

=========================================  ========================================
``hire ID SKILL:LEVEL[,SKILL:LEVEL]``       ``[from=DATE] [fte=F] [cost=N]``
``leave PERSON``                           ``[from=DATE]`` (without: gone altogether)
``time-off PERSON START..END``              ``[fraction=F]``
``capacity PERSON``                        ``[fte=F] [reserve=F]``
``vendor VENDOR``                          ``[headcount=N] [rate=N] [cap=N|xF]``
``effort TASK|PROJECT xF|+N|-N``
``delay TASK|PROJECT DATE|+Nw|+Nd``          earliest start
``deadline TASK|PROJECT DATE|±Nw|±Nd``       ``[hard|soft]``
``priority PROJECT N``
``drop PROJECT`` / ``defer PROJECT``         ``[value=N]``
``pin TASK PERSON`` / ``unpin TASK PERSON``
=========================================  ========================================
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from models.whatif import Change

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

Raw = dict[str, Any]

_CHANGE: TypeAdapter[Change] = TypeAdapter(Change)
_SHIFT = re.compile(r"^([+-]?\d+)([dw])$")

SYNTAX_HINT = (
    "write for example 'effort crm-build x1.4', 'leave priya from=2027-03-01', "
    "'vendor bluepeak headcount=2', 'deadline erp-upgrade -2w' (see docs/what-if.md)"
)


class QuickChangeError(ValueError):
    """A command-line change that cannot be read; the message says why and how to write it."""


def _need(args: list[str], count: int, usage: str) -> None:
    if len(args) != count:
        raise QuickChangeError(f"expected '{usage}'")


def _target(target: str, projects: Collection[str]) -> Raw:
    return {"project": target} if target in projects else {"task": target}


def _when(text: str) -> Raw:
    match = _SHIFT.match(text)
    if match is None:
        return {"to": text}
    amount, unit = int(match.group(1)), match.group(2)
    return {"weeks": amount} if unit == "w" else {"days": amount}


def _hire(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
    _need(args, 2, "hire ID SKILL:LEVEL[,SKILL:LEVEL] [from=DATE] [fte=F] [cost=N]")
    person: Raw = {"id": args[0], "skills": args[1].split(",")}
    for key, field in (("fte", "fte"), ("cost", "cost_per_day"), ("reserve", "reserve")):
        if key in opts:
            person[field] = opts.pop(key)
    return {"type": "add-person", "person": person, "start": opts.pop("from", None)}


def _leave(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
    _need(args, 1, "leave PERSON [from=DATE]")
    return {"type": "remove-person", "person": args[0], "from": opts.pop("from", None)}


def _time_off(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
    _need(args, 2, "time-off PERSON START..END [fraction=F]")
    start, dots, end = args[1].partition("..")
    raw: Raw = {"type": "time-off", "person": args[0], "start": start, "end": end if dots else start}
    if "fraction" in opts:
        raw["fraction"] = opts.pop("fraction")
    return raw


def _capacity(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
    _need(args, 1, "capacity PERSON [fte=F] [reserve=F]")
    return {
        "type": "capacity",
        "person": args[0],
        "fte": opts.pop("fte", None),
        "reserve": opts.pop("reserve", None),
    }


def _vendor(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
    _need(args, 1, "vendor VENDOR [headcount=N] [rate=N] [cap=N|xF]")
    raw: Raw = {
        "type": "vendor",
        "vendor": args[0],
        "headcount": opts.pop("headcount", None),
        "day_rate": opts.pop("rate", None),
    }
    cap = opts.pop("cap", None)
    if isinstance(cap, str) and cap.startswith("x"):
        raw["spend_cap_factor"] = cap[1:]
    elif cap is not None:
        raw["spend_cap"] = cap
    return raw


def _effort(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
    _need(args, 2, "effort TASK|PROJECT xF|+N|-N")
    amount = args[1]
    if amount.startswith(("x", "*")):
        change: Raw = {"factor": amount[1:]}
    elif amount.startswith(("+", "-")):
        change = {"add": amount}
    else:
        raise QuickChangeError(f"cannot read effort change '{amount}'; write x1.4, +10 or -5")
    return {"type": "effort", **_target(args[0], projects), **change}


def _delay(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
    _need(args, 2, "delay TASK|PROJECT DATE|+Nw|+Nd")
    return {"type": "earliest-start", **_target(args[0], projects), **_when(args[1])}


def _deadline(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
    if len(args) == 3 and args[2] in ("hard", "soft"):
        opts["deadline_type"] = args.pop()
    _need(args, 2, "deadline TASK|PROJECT DATE|+Nw|-Nw [hard|soft]")
    return {
        "type": "deadline",
        **_target(args[0], projects),
        **_when(args[1]),
        "deadline_type": opts.pop("deadline_type", None),
    }


def _priority(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
    _need(args, 2, "priority PROJECT N")
    return {"type": "priority", "project": args[0], "priority": args[1]}


def _project_verb(kind: str) -> Callable[[list[str], Raw, Collection[str]], Raw]:
    def parse(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
        _need(args, 1, f"{kind.removesuffix('-project')} PROJECT")
        raw: Raw = {"type": kind, "project": args[0]}
        if kind == "defer-project" and "value" in opts:
            raw["value"] = opts.pop("value")
        return raw

    return parse


def _pin_verb(kind: str) -> Callable[[list[str], Raw, Collection[str]], Raw]:
    def parse(args: list[str], opts: Raw, projects: Collection[str]) -> Raw:
        _need(args, 2, f"{kind} TASK PERSON")
        return {"type": kind, "task": args[0], "person": args[1]}

    return parse


_VERBS: dict[str, Callable[[list[str], Raw, Collection[str]], Raw]] = {
    "hire": _hire,
    "add-person": _hire,
    "leave": _leave,
    "remove-person": _leave,
    "time-off": _time_off,
    "capacity": _capacity,
    "vendor": _vendor,
    "effort": _effort,
    "delay": _delay,
    "earliest-start": _delay,
    "deadline": _deadline,
    "priority": _priority,
    "drop": _project_verb("drop-project"),
    "drop-project": _project_verb("drop-project"),
    "defer": _project_verb("defer-project"),
    "defer-project": _project_verb("defer-project"),
    "pin": _pin_verb("pin"),
    "unpin": _pin_verb("unpin"),
}


def _split(text: str) -> tuple[str, list[str], Raw]:
    try:
        words = shlex.split(text)
    except ValueError as error:
        raise QuickChangeError(f"cannot read '{text}': {error}") from None
    if not words:
        raise QuickChangeError(f"empty change; {SYNTAX_HINT}")
    args = [w for w in words[1:] if "=" not in w]
    opts: Raw = dict(w.split("=", 1) for w in words[1:] if "=" in w)
    return words[0].lower(), args, opts


def parse_quick_change(text: str, projects: Collection[str] = ()) -> Change:
    """Read one command-line change.

    Parameters
    ----------
    text
        For example ``"effort crm-build x1.4"`` or ``"leave priya from=2027-03-01"``.
    projects
        Project ids of the base scenario: a target naming one of them is a project,
        anything else a task.

    Raises
    ------
    QuickChangeError
        When the text does not follow the grammar or a value is invalid.
    """
    verb, args, opts = _split(text)
    if verb not in _VERBS:
        from allocator.io.errors import did_you_mean

        raise QuickChangeError(f"unknown change '{verb}'{did_you_mean(verb, _VERBS)}; {SYNTAX_HINT}")
    try:
        raw = _VERBS[verb](args, opts, projects)
    except QuickChangeError as error:
        raise QuickChangeError(f"'{text}': {error}") from None
    if "name" in opts:
        raw["name"] = opts.pop("name")
    if opts:
        raise QuickChangeError(f"'{text}': unknown option {', '.join(sorted(opts))} for '{verb}'")
    try:
        return _CHANGE.validate_python({k: v for k, v in raw.items() if v is not None})
    except ValidationError as error:
        detail = "; ".join(_message(item) for item in error.errors())
        raise QuickChangeError(f"'{text}': {detail}") from None


def _message(item: Any) -> str:
    where = ".".join(str(part) for part in item["loc"][1:])
    return f"{where}: {item['msg']}" if where else str(item["msg"])


def parse_quick_variant(text: str, projects: Collection[str] = ()) -> list[Change]:
    """Read a ``;``-separated list of command-line changes that form one variant."""
    return [parse_quick_change(part, projects) for part in text.split(";") if part.strip()]
