"""Cross-reference checks of a scenario's uncertainty: estimates, estimate rules, risk events.

What the models of :mod:`models.risk` cannot see alone: ids that name nothing, ids used
twice, and task estimates whose planned work they cannot be related to. Each problem
names the entity and field, as every other input problem does (``docs/risk.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.io.errors import InputProblem, unknown

if TYPE_CHECKING:
    from collections.abc import Iterator

    from models import Scenario
    from models.risk import RiskSpec


def risk_problems(scenario: Scenario) -> Iterator[InputProblem]:
    """Every problem of the task estimates and the ``risk`` section (file left empty).

    Parameters
    ----------
    scenario
        A scenario that passed model validation.
    """
    yield from _estimate_problems(scenario)
    if scenario.risk is not None:
        yield from _rule_problems(scenario, scenario.risk)
        yield from _event_problems(scenario, scenario.risk)


def _estimate_problems(scenario: Scenario) -> Iterator[InputProblem]:
    """A task with modes and no planned work of its own needs ``likely`` to scale its modes by."""
    for _, task in scenario.tasks():
        estimate = task.estimate
        if estimate is None or not task.modes:
            continue
        planned = task.effort if task.effort is not None else task.duration
        likely = planned if estimate.likely is None else estimate.likely
        if likely is None:
            message = (
                "give likely: the task has modes, and the chosen mode's work is scaled by sample / likely"
            )
            yield InputProblem("", f"task '{task.id}'", "estimate.likely", message)
        elif likely <= 0:
            yield InputProblem(
                "", f"task '{task.id}'", "estimate.likely", "must be above 0 on a task with modes"
            )


def _skills_in_use(scenario: Scenario) -> set[str]:
    skills = {skill for person in scenario.people for skill in person.skills}
    skills |= {skill for vendor in scenario.vendors for skill in vendor.skills}
    for _, task in scenario.tasks():
        skills |= {r.skill for r in task.requires}
        skills |= {r.skill for mode in task.modes for r in mode.requires or ()}
    return skills


def _rule_problems(scenario: Scenario, risk: RiskSpec) -> Iterator[InputProblem]:
    known = {
        "skill": _skills_in_use(scenario),
        "project": {p.id for p in scenario.projects},
        "vendor": {v.id for v in scenario.vendors},
    }
    for index, rule in enumerate(risk.estimates):
        kind, ident = rule.target
        if ident not in known[kind]:
            entity = f"estimate rule #{index + 1}"
            yield InputProblem("", entity, kind, unknown(kind, ident, known[kind]))


def _event_problems(scenario: Scenario, risk: RiskSpec) -> Iterator[InputProblem]:
    known = {
        "task": {t.id for _, t in scenario.tasks()},
        "project": {p.id for p in scenario.projects},
        "person": {p.id for p in scenario.people},
        "vendor": {v.id for v in scenario.vendors},
        "driver": {d.id for d in risk.drivers},
    }
    yield from _repeated_ids("risk event", [e.id for e in risk.events])
    yield from _repeated_ids("driver", [d.id for d in risk.drivers])
    for event in risk.events:
        for kind, ids in known.items():
            ident = getattr(event, kind)
            if ident is not None and ident not in ids:
                yield InputProblem("", f"risk event '{event.id}'", kind, unknown(kind, ident, ids))


def _repeated_ids(kind: str, ids: list[str]) -> Iterator[InputProblem]:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            yield InputProblem("", f"{kind} '{ident}'", "id", f"id '{ident}' is used twice")
        seen.add(ident)
