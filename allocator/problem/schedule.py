"""An integer schedule: the decisions of a plan in timeline days.

Produced by the constructive heuristic and by solution extraction, consumed by
hints and by the conversion to a dated :class:`models.Plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    overtime: set[str] = field(default_factory=set)  #: people booked with overtime (effort modes)

    def heads(self) -> int:
        """People plus contractors on the task."""
        return len(self.people) + sum(sum(c.values()) for c in self.vendors.values())


Schedule = dict[str, TaskChoice]
