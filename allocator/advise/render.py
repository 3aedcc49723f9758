"""Advice as a terminal table, JSON for scripts, markdown to paste, and variant files."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import yaml
from rich.table import Table

from allocator.io import atomic_write_text

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from allocator.advise.run import Advice, Remedy

HEADINGS = (
    "#",
    "remedy",
    "cost",
    "effort (days)",
    "late days saved",
    "on time now",
    "new finishes",
    "verified",
)


def _finishes(remedy: Remedy) -> str:
    return ", ".join(
        f"{project} {before:%d %b}→{after:%d %b}"
        for project, (before, after) in sorted(remedy.finishes.items())
        if before is not None and after is not None
    )


#: Marks a saving that more search without the lever might find too.
WITHIN_GAP = "~"


def _saved(remedy: Remedy) -> str:
    """Days saved, marked where part of it lies within the control's gap to its bound."""
    if not remedy.within_gap:
        return str(remedy.late_days_saved)
    sure = f" ({remedy.assured_days} beyond the gap)" if remedy.assured_days else ""
    return f"{WITHIN_GAP}{remedy.late_days_saved}{sure}"


def gap_legend(advice: Advice, top: int) -> str | None:
    """What the mark means, where a shown remedy carries it."""
    if not any(r.within_gap for r in advice.remedies[:top]):
        return None
    return (
        f"{WITHIN_GAP}: a plan without the lever may reach part or all of this saving too: it lies "
        "between the control's plan and the scenario's proven bound (a longer search might find it), "
        "or the lever only re-orders work; what lies beyond the gap no plan without the lever reaches."
    )


def _rows(advice: Advice, top: int) -> list[list[str]]:
    return [
        [
            str(rank),
            r.name,
            f"{r.money:,.0f} {advice.currency}"
            + (f" ({r.overtime_hours:,.1f} h overtime)" if r.overtime_hours else ""),
            f"{r.effort_days:g}",
            _saved(r),
            ", ".join(r.projects_on_time) or "—",
            _finishes(r) or "—",
            ("yes, exact" if r.proven else "yes") if r.verified else "no",
        ]
        for rank, r in enumerate(advice.remedies[:top], start=1)
    ]


def headline(advice: Advice) -> str:
    """One line: what is late and against what the savings are measured."""
    if not advice.late_projects:
        return f"{advice.scenario}: nothing is late, no remedy needed."
    against = (
        "the base plan (its lateness is proven optimal)"
        if advice.control_is_base
        else f"the base re-solved with the same time and no change ({advice.control_late_days})"
    )
    text = (
        f"{advice.scenario}: {len(advice.late_projects)} late ({', '.join(advice.late_projects)}), "
        f"{advice.base_late_days} priority-weighted late days; savings are measured against {against}."
    )
    if not advice.remedies:
        text += f" No remedy found; tried: {'; '.join(advice.tried) or 'nothing (no lever suggested)'}."
    return text


def render_text(advice: Advice, console: Console, top: int) -> None:
    """The ranked table with its headline."""
    console.print(headline(advice), markup=False)
    if advice.remedies:
        table = Table(title="Remedies, best first (days saved per unit of money; free ones first)")
        for heading in HEADINGS:
            table.add_column(heading, overflow="fold")
        for row in _rows(advice, top):
            table.add_row(*row)
        console.print(table)
        legend = gap_legend(advice, top)
        if legend:
            console.print(legend, markup=False)
    for note in advice.notes:
        console.print(note, markup=False)


def render_markdown(advice: Advice, top: int) -> str:
    """The table in markdown, to paste into a wiki or an email."""
    lines = [headline(advice), ""]
    if advice.remedies:
        lines += ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
        lines += [
            "| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in _rows(advice, top)
        ]
        legend = gap_legend(advice, top)
        lines += ["", legend] if legend else []
    lines += [f"- {note}" for note in advice.notes]
    return "\n".join(lines) + "\n"


def advice_json(advice: Advice, top: int) -> str:
    """Everything as JSON: the base, the control, each remedy with its levers and changes."""
    explanations = advice.base_plan.explanations if advice.base_plan else ()
    data: dict[str, Any] = {
        "scenario": advice.scenario,
        "currency": advice.currency,
        "late_projects": list(advice.late_projects),
        "base_late_days": advice.base_late_days,
        "control_late_days": advice.control_late_days,
        "control_is_base": advice.control_is_base,
        "tried": advice.tried,
        "notes": advice.notes,
        "explanations": [e.model_dump(mode="json") for e in explanations],
        "remedies": [
            {
                "rank": rank,
                "name": r.name,
                "money": r.money,
                "effort_days": r.effort_days,
                "overtime_hours": r.overtime_hours,
                "late_days_saved": r.late_days_saved,
                "late_days_saved_beyond_gap": r.assured_days,
                "projects_on_time": list(r.projects_on_time),
                "finishes": {
                    p: [None if b is None else b.isoformat(), None if a is None else a.isoformat()]
                    for p, (b, a) in r.finishes.items()
                },
                "verified": r.verified,
                "proven": r.proven,
                "changes": [_change(c) for lv in r.levers for c in lv.changes],
            }
            for rank, r in enumerate(advice.remedies[:top], start=1)
        ],
    }
    return json.dumps(data, indent=2) + "\n"


def _change(change: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = change.model_dump(
        mode="json", by_alias=True, exclude_none=True, exclude_defaults=True
    )
    dumped["type"] = change.type
    return dumped


def write_variants(advice: Advice, folder: Path, base: Path, top: int) -> list[Path]:
    """The top remedies as variant files (``extends:`` the base) that ``allocator compare`` reproduces."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rank, remedy in enumerate(advice.remedies[:top], start=1):
        path = folder / f"{rank:02d}-{remedy.levers[0].slug if len(remedy.levers) == 1 else 'combined'}.yaml"
        spec = {
            "extends": os.path.relpath(base.resolve(), folder.resolve()),
            "name": f"remedy-{rank}",
            "description": f"{remedy.name}: saves {remedy.late_days_saved} weighted late days "
            f"for {remedy.money:,.0f} {advice.currency} (allocator advise)",
            "changes": [_change(c) for lv in remedy.levers for c in lv.changes],
        }
        atomic_write_text(path, yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))
        written.append(path)
    return written
