"""An integer schedule: the decisions of a plan in timeline days.

Produced by the constructive heuristic and by solution extraction, consumed by
hints and by the conversion to a dated :class:`models.Plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from allocator.compile import Dep

#: Requirement index used when a mode has no skill requirements.
NO_REQUIREMENT = -1


@dataclass
class TaskChoice:
    """Mode, window and team chosen for one task (``end`` exclusive)."""

    task: str
    present: bool = True
    mode: int = 0
    start: int = 0
    end: int = 0
    people: dict[str, tuple[int, int]] = field(default_factory=dict)  #: person -> (allocation, requirement)
    vendors: dict[str, dict[int, int]] = field(default_factory=dict)  #: vendor -> requirement -> count

    def heads(self) -> int:
        """People plus contractors on the task."""
        return len(self.people) + sum(sum(c.values()) for c in self.vendors.values())


Schedule = dict[str, TaskChoice]


def predecessor_floors(deps: Iterable[Dep], schedule: Schedule) -> tuple[int, int]:
    """Lower bounds the planned predecessors in ``schedule`` put on a successor.

    Returns the earliest start (from finish-to-start and start-to-start dependencies) and
    the earliest end (from finish-to-finish and start-to-finish ones); 0 where none
    applies. Predecessors missing from ``schedule`` or not planned impose nothing.
    """
    start, end = 0, 0
    for dep in deps:
        pred = schedule.get(dep.pred)
        if pred is None or not pred.present:
            continue
        if dep.kind == "FS":
            start = max(start, pred.end + dep.lag)
        elif dep.kind == "SS":
            start = max(start, pred.start + dep.lag)
        elif dep.kind == "FF":
            end = max(end, pred.end + dep.lag)
        else:
            end = max(end, pred.start + dep.lag)
    return start, end
