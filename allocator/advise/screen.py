"""Levers that cannot beat a proven optimal plan, set aside by bounds before any search.

When the base plan's lateness is proven optimal, the lateness left is forced: no plan of
the scenario has less. A lever can then only help if it changes what forces it, and two
kinds never do:

- re-ordering or pinning work (a priority raised, a person moved onto a task) adds no
  capacity and removes no rule: every plan of the variant is a plan of the scenario
  (a pin only removes plans), so none has less lateness than the proven optimum;
- a lever under which the chains alone still force as much lateness
  (:func:`allocator.bounds.portfolio.portfolio_bounds` of the variant, the same bounds the
  solver proves with) cannot save a day either, whatever the search does.

What passes the screen is ranked by how much lateness its variant's bound would still
allow it to save (the most first; scope and date fallbacks still last), so the search's
time goes to the levers that can pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from allocator.advise.levers import FALLBACKS, REORDERING
from allocator.bounds.portfolio import portfolio_bounds
from allocator.problem.compile import compile_problem
from allocator.whatif.variants import quick_variant

if TYPE_CHECKING:
    from allocator.advise.levers import Lever
    from models import Scenario


@dataclass(frozen=True)
class Screened:
    """The levers worth solving, most room to save first, and why the others were set aside."""

    kept: list[Lever]
    room: dict[str, int]  #: per kept lever, the weighted late days its bound leaves to save
    notes: list[str]


def screen_levers(scenario: Scenario, optimum: int, levers: list[Lever]) -> Screened:
    """Set aside the levers that provably cannot beat a plan of ``optimum`` weighted late days.

    Parameters
    ----------
    scenario
        The base scenario, whose proven optimal plan has ``optimum`` weighted late days.
    optimum
        The proven optimal weighted lateness of the committed projects.
    levers
        The candidates, in the order they were suggested.

    Returns
    -------
    Screened
        The levers whose variant's bound is below ``optimum``, stably sorted by the room
        that leaves (``optimum`` minus the bound), fallbacks last, and a note for each one
        set aside.
    """
    room: dict[str, int] = {}
    notes = []
    for lever in levers:
        if lever.kind in REORDERING:
            notes.append(f"cannot beat the proven optimum (it adds no capacity): {lever.name}")
            continue
        floor = _variant_floor(scenario, lever)
        if floor >= optimum:
            notes.append(
                f"cannot save a day (the chains still force {floor} weighted late days): {lever.name}"
            )
            continue
        room[lever.name] = optimum - floor
    kept = sorted(
        (lv for lv in levers if lv.name in room), key=lambda lv: (lv.kind in FALLBACKS, -room[lv.name])
    )
    return Screened(kept, room, notes)


def _variant_floor(scenario: Scenario, lever: Lever) -> int:
    """The weighted lateness of the committed projects that no plan with ``lever`` avoids."""
    variant = quick_variant(scenario, list(lever.changes), lever.name).scenario
    return portfolio_bounds(compile_problem(variant)).committed_lateness
