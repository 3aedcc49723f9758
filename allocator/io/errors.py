"""Problems found in scenario input, and the error that carries them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with a scenario, located as precisely as the input allows.

    Parameters
    ----------
    file
        File the problem is in, as the user named it (``scenarios/q1.yaml``, ``people.csv``).
    entity
        What the problem is about, by id: ``task 'crm-build'``, ``person 'ana'``,
        ``scenario`` for top-level fields.
    field
        Field path inside the entity (``after[0].task``) or table column; empty
        when the problem concerns the entity as a whole.
    message
        What is wrong and, where possible, how to fix it.
    row
        Row of a table file, numbered as in a spreadsheet (the header is row 1).
    """

    file: str
    entity: str
    field: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        what = self.entity
        if self.field:
            what = f"{what} field '{self.field}'" if what else f"field '{self.field}'"
        return f"{where}: {what}: {self.message}" if what else f"{where}: {self.message}"


class ScenarioError(Exception):
    """A scenario cannot be used; ``problems`` lists every reason found.

    Parameters
    ----------
    problems
        All problems found, in input order. Never empty.
    """

    def __init__(self, problems: Iterable[InputProblem]) -> None:
        self.problems: list[InputProblem] = list(problems)
        super().__init__(self._describe())

    def _describe(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{count} {noun} in scenario input:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._describe()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A suggestion such as `` (did you mean 'crm-design'?)``, or ``""`` when nothing is close.

    Parameters
    ----------
    word
        The unknown word as written.
    choices
        The words that would have been valid.
    """
    matches = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def unknown(kind: str, word: str, choices: Iterable[str]) -> str:
    """Message for an unknown id, with a close-match suggestion when there is one."""
    return f"unknown {kind} '{word}'{did_you_mean(word, choices)}"
