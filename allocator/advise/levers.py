"""Candidate levers for late projects, derived from their verified explanations.

Each verified cause of :mod:`allocator.diagnose.lateness` suggests a lever a manager can
pull, written as what-if changes (:mod:`models.whatif`) so that it is solved, compared
and saved exactly like any variant:

- a capacity cause: hire or contract one person with those skills for that window,
  priced at the median day rate of the people who have them;
- a vendor's lead time: engage the vendor without lead time;
- a dependency on another project: raise that project's priority;
- a skill a chain task waits for (a fact, not yet a tested cause): a hire for the
  chain's window, and one more contractor from each vendor that supplies the skill;
- the task of a chain that waits longest: move one of the best-skilled people able to do
  it onto it (a pin; they leave whatever else the plan had them on at the time);
- where the scenario has an ``overtime_policy``: overtime on its terms for the people on
  a late project's chain who have no ``overtime`` of their own (of the policy's teams),
  longest chain tasks first; priced at the overtime pay the remedy's plan books;
- every late project: raise its own priority (its rivals give way);
- fallbacks, ranked after every other lever: defer a planned candidate project to a later
  quarter (giving up its value), or agree a late project's deadline at its planned finish.

Leave is explained but never turned into a lever: cancelling somebody's leave is not a
plan.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models import Overtime, Person
from models.whatif import (
    AddPerson,
    DeadlineMove,
    DropProject,
    OvertimeChange,
    Pin,
    PriorityChange,
    VendorChange,
)

if TYPE_CHECKING:
    import datetime as dt

    from models import Cause, Explanation, Plan, Scenario
    from models.whatif import Change


#: Of a chain that forces lateness, the longest tasks whose skills are offered as hires.
CHAIN_HIRES = 3
#: People offered for moving onto the task that waits longest.
MOVES = 2
#: People of a late project's chain offered overtime.
OVERTIME_OFFERS = 2
#: First index of the hires for a forcing chain (their ids stay apart from the other hires').
FORCED_HIRE_IDS = 100
#: Lever kinds that change scope or dates rather than capacity or order: ranked last, never combined.
FALLBACKS = frozenset({"defer", "deadline"})
#: Lever kinds that only re-order or restrict the work of the scenario (they add no capacity).
REORDERING = frozenset({"priority", "move"})


@dataclass(frozen=True)
class Lever:
    """One remedy to try: its changes and what it costs up front."""

    name: str  #: what to do, in words
    kind: str  #: hire, vendor-lead, vendor-headcount, move, overtime, priority; fallbacks: defer, deadline
    changes: tuple[Change, ...]
    money: float = 0.0  #: fixed cost (a hire's pay over the window), in the scenario's currency
    effort_days: float = 0.0  #: person-days of capacity added

    @property
    def slug(self) -> str:
        """A file-name-safe identifier."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")[:60] or "lever"


def candidate_levers(scenario: Scenario, explanations: list[Explanation]) -> list[Lever]:
    """Levers suggested by ``explanations``, the most promising first, without repeats."""
    explanations = [e for e in explanations if not e.deferred and e.finish is not None]
    top = max((p.priority for p in scenario.projects), default=1) + 1
    found: dict[str, Lever] = {}
    hires: dict[
        tuple[tuple[str, int], ...], tuple[dt.date, dt.date]
    ] = {}  #: one per skill set, windows merged
    for explanation in explanations:
        for cause in sorted(explanation.causes, key=lambda c: -c.days_earlier):
            if cause.kind == "capacity" and cause.start is not None and cause.end is not None:
                _merge(hires, tuple(sorted(cause.skills.items())), (cause.start, cause.end))
                continue
            lever = _from_cause(scenario, cause, top)
            if lever is not None:
                found.setdefault(lever.name, lever)
    waits = [(skills, window) for e in explanations for skills, window in _waits(e).items()]
    verified = set(hires)
    for skills, window in waits:
        if skills not in verified:  # a verified cause's window is the one that was tested
            _merge(hires, skills, window)
    for index, (skills, (first, last)) in enumerate(hires.items()):
        lever = _hire(scenario, dict(skills), first, last, index)
        found.setdefault(lever.name, lever)
    for explanation in explanations:  # the chain's own people: before more heads elsewhere
        for offer in _overtime_offers(scenario, explanation):
            found.setdefault(offer.name, offer)
    for skills, _ in waits:
        for extra in _vendor_headcount(scenario, dict(skills)):
            found.setdefault(extra.name, extra)
    for explanation in explanations:
        for move in _moves(scenario, explanation):
            found.setdefault(move.name, move)
    for explanation in explanations:
        name = f"raise {explanation.project}'s priority to {top}"
        change = PriorityChange(type="priority", name=name, project=explanation.project, priority=top)
        found.setdefault(name, Lever(name, "priority", (change,)))
    return list(found.values()) + _fallbacks(scenario, explanations)


def forced_chain_hires(scenario: Scenario, plan: Plan) -> list[Lever]:
    """Where a project's lateness is forced by its dependency chain (a proven bound), one
    hire for each skill set a task of that chain needs, from the scenario's start to the
    project's planned finish.

    Forced lateness moves only if the chain itself gets faster, and a faster fastest team
    is what a hire gives. The chain is the bound's own (``ProjectBound.chain``), not the
    plan's, so the levers do not depend on which optimal plan the search found; most
    cannot shorten it, and :func:`allocator.advise.screen.screen_levers` keeps only those
    under which the bound drops.
    """
    bounds = plan.solver.project_bounds if plan.solver is not None else ()
    finishes = {p.project: p.finish for p in plan.projects}
    tasks = scenario.task_index()
    hires: dict[tuple[tuple[str, int], ...], tuple[dt.date, dt.date]] = {}
    for bound in bounds:
        finish = finishes.get(bound.project)
        if bound.late_days <= 0 or finish is None:
            continue
        for tid in bound.chain:
            if tid not in tasks:
                continue
            task = tasks[tid][1]
            for requires in [task.requires] + [m.requires for m in task.modes if m.requires is not None]:
                skills = tuple(sorted((r.skill, r.level) for r in requires))
                if skills:
                    _merge(hires, skills, (scenario.start, finish))
    return [
        _hire(scenario, dict(skills), first, last, FORCED_HIRE_IDS + index)
        for index, (skills, (first, last)) in enumerate(hires.items())
    ]


def _fallbacks(scenario: Scenario, explanations: list[Explanation]) -> list[Lever]:
    """Scope and date levers, ranked after the others: a planned candidate project deferred
    to a later quarter (it gives up its value), and each late project's deadline agreed
    at its planned finish."""
    levers = []
    for project in scenario.projects:
        if project.status == "candidate":
            name = f"defer {project.id} to a later quarter (gives up a value of {project.value:g})"
            drop = DropProject(type="drop-project", name=name, project=project.id)
            levers.append(Lever(name, "defer", (drop,)))
    for explanation in explanations:
        assert explanation.finish is not None
        name = f"agree {explanation.project}'s deadline at {explanation.finish:%d %b}"
        move = DeadlineMove(type="deadline", name=name, project=explanation.project, to=explanation.finish)
        levers.append(Lever(name, "deadline", (move,)))
    return levers


def _waits(explanation: Explanation) -> dict[tuple[tuple[str, int], ...], tuple[dt.date, dt.date]]:
    """Skills the chain needs (untested causes: the variant solve tests them), each with the
    window from the earliest the chain could start (before any of its waits) to the
    project's finish: those its tasks wait for and,
    where part of the lateness is forced by the chain, those of its longest tasks (a hire
    can make the fastest team faster)."""
    assert explanation.finish is not None
    first = min((s.ready or s.start for s in explanation.chain), default=explanation.finish)
    found: dict[tuple[tuple[str, int], ...], tuple[dt.date, dt.date]] = {}
    waiting = [s for s in sorted(explanation.chain, key=lambda s: -s.waits) if s.waits > 0]
    longest = (
        sorted(explanation.chain, key=lambda s: -s.working_days)[:CHAIN_HIRES]
        if explanation.forced_days
        else []
    )
    for step in waiting + longest:
        skills = parse_skills(step.skills)
        if skills:
            found.setdefault(tuple(sorted(skills.items())), (first, explanation.finish))
    return found


def parse_skills(text: str) -> dict[str, int]:
    """``{"pm": 2, "qa": 2}`` from a chain step's ``pm L2 + qa L2`` (``x2`` counts ignored)."""
    found: dict[str, int] = {}
    for part in text.split(" + "):
        words = part.split()
        if len(words) >= 2 and words[1].startswith("L") and words[1][1:].isdigit():
            found[words[0]] = int(words[1][1:])
    return found


def _moves(scenario: Scenario, explanation: Explanation) -> list[Lever]:
    """People moved onto the task of the chain that waits longest: the best-skilled people
    able to do it who are not on it (they leave whatever the plan had them on)."""
    waiting = [s for s in explanation.chain if s.waits > 0 and parse_skills(s.skills)]
    if not waiting:
        return []
    step = max(waiting, key=lambda s: s.waits)
    needs = parse_skills(step.skills)
    able = [
        p
        for p in scenario.people
        if p.id not in step.people and any(p.skills.get(skill, 0) >= level for skill, level in needs.items())
    ]
    able.sort(key=lambda p: (-max(p.skills.get(skill, 0) for skill in needs), p.id))
    levers = []
    for person in able[:MOVES]:
        name = f"put {person.name or person.id} on {step.name or step.task}"
        pin = Pin(type="pin", name=name, task=step.task, person=person.id)
        levers.append(Lever(name, "move", (pin,)))
    return levers


def _overtime_offers(scenario: Scenario, explanation: Explanation) -> list[Lever]:
    """Overtime on the scenario's ``overtime_policy`` terms for people on the chain who
    have no ``overtime`` of their own and belong to one of the policy's teams (any team
    when it names none), the people of the longest chain tasks first."""
    policy = scenario.overtime_policy
    if policy is None or not policy.allowed:
        return []
    people = scenario.person_index()
    chosen: list[Person] = []
    for step in sorted(explanation.chain, key=lambda s: -s.working_days):
        for pid in step.people:
            person = people.get(pid)
            if person is None or person.overtime is not None or person in chosen:
                continue
            if not policy.teams or person.team in policy.teams:
                chosen.append(person)
    terms = Overtime(
        hours_per_week=policy.hours_per_week,
        cost_multiplier=policy.cost_multiplier,
        max_hours=policy.max_hours,
    )
    cap = f", up to {terms.max_hours:g} h" if terms.max_hours is not None else ""
    levers = []
    for person in chosen[:OVERTIME_OFFERS]:
        name = (
            f"allow overtime for {person.name or person.id} "
            f"({terms.hours_per_week:g} h/week{cap}, at x{terms.cost_multiplier:g})"
        )
        change = OvertimeChange(type="overtime", name=name, person=person.id, overtime=terms)
        levers.append(Lever(name, "overtime", (change,)))
    return levers


def _vendor_headcount(scenario: Scenario, skills: dict[str, int]) -> list[Lever]:
    """One more contractor from each vendor that supplies ``skills`` (within its spend cap)."""
    levers = []
    for vendor in scenario.vendors:
        if all(vendor.skills.get(s, 0) >= level for s, level in skills.items()):
            name = f"one more {vendor.id} contractor ({vendor.headcount} -> {vendor.headcount + 1})"
            more = VendorChange(type="vendor", name=name, vendor=vendor.id, headcount=vendor.headcount + 1)
            levers.append(Lever(name, "vendor-headcount", (more,)))
    return levers


def _merge(
    hires: dict[tuple[tuple[str, int], ...], tuple[dt.date, dt.date]],
    skills: tuple[tuple[str, int], ...],
    window: tuple[dt.date, dt.date],
) -> None:
    """One hire per skill set, over the union of the windows that call for it."""
    if skills in hires:
        first, last = hires[skills]
        window = (min(first, window[0]), max(last, window[1]))
    hires[skills] = window


def _from_cause(scenario: Scenario, cause: Cause, top: int) -> Lever | None:
    if cause.kind == "vendor-lead" and cause.vendor is not None:
        name = f"engage {cause.vendor} without lead time"
        engage = VendorChange(type="vendor", name=name, vendor=cause.vendor, lead_time_days=0)
        return Lever(name, "vendor-lead", (engage,))
    if cause.kind == "dependency" and cause.predecessor is not None:
        owner = next((p.id for p in scenario.projects for t in p.tasks if t.id == cause.predecessor), None)
        if owner is None:
            return None
        name = f"raise {owner}'s priority to {top}"
        change = PriorityChange(type="priority", name=name, project=owner, priority=top)
        return Lever(name, "priority", (change,))
    return None


def _hire(scenario: Scenario, skills: dict[str, int], start: dt.date, end: dt.date, index: int) -> Lever:
    """One person with ``skills`` from ``start`` to ``end``, paid the going rate for the whole window."""
    rate = going_rate(scenario, skills)
    need = " + ".join(f"{skill} L{level}" for skill, level in sorted(skills.items()))
    name = f"hire one {need} person {start:%d %b}-{end:%d %b}"
    pid = f"hire-{index + 1}-" + "-".join(sorted(skills))
    person = Person(id=pid, name=f"Hire {need}", skills=skills, cost_per_day=rate, end=end)
    days = weekdays(start, end)
    change = AddPerson(type="add-person", name=name, person=person, start=start)
    return Lever(name, "hire", (change,), money=round(rate * days, 2), effort_days=float(days))


def going_rate(scenario: Scenario, skills: dict[str, int]) -> float:
    """Median day rate of the people who have every one of ``skills`` at its level (of
    everybody with a rate when nobody has)."""
    qualified = [
        p.cost_per_day
        for p in scenario.people
        if p.cost_per_day and all(p.skills.get(s, 0) >= level for s, level in skills.items())
    ]
    rates = qualified or [p.cost_per_day for p in scenario.people if p.cost_per_day]
    return statistics.median(rates) if rates else 0.0


def weekdays(first: dt.date, last: dt.date) -> int:
    """Monday-to-Friday days from ``first`` to ``last`` inclusive (what a hire is paid for)."""
    days = (last - first).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    return weeks * 5 + sum(1 for i in range(rest) if (first.weekday() + i) % 7 < 5)
