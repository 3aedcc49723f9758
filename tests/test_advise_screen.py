"""Levers set aside by bounds before any search, against a proven optimal plan.

The release of tests/test_explain_lateness.py is 5 working days late in every plan: Jo,
the only tester, is away all of week 2, and UAT needs qa L3 after the build. A qa L3 hire
for that week changes what forces the lateness; a developer hired, the release's
priority raised or Ana pinned to the build cannot: the chain through Jo's calendar still needs
week 3. Each lever set aside is then solved to optimality to show it really saves nothing.
"""

from __future__ import annotations

from allocator.advise.levers import Lever
from allocator.advise.screen import screen_levers
from allocator.whatif.variants import quick_variant
from models import Person
from models.whatif import AddPerson, DeadlineMove, Pin, PriorityChange
from tests.solver_helpers import assert_verified, planned, solve
from tests.test_explain_lateness import release, weekday


def hire(skill: str, level: int) -> Lever:
    person = Person(id=f"hire-{skill}", skills={skill: level}, cost_per_day=500.0)
    name = f"hire one {skill} L{level} person"
    return Lever(name, "hire", (AddPerson(type="add-person", name=name, person=person, start=weekday(0)),))


def levers() -> list[Lever]:
    raise_it = PriorityChange(type="priority", name="raise", project="release", priority=9)
    move = Pin(type="pin", name="move", task="build", person="ana")
    deadline = DeadlineMove(type="deadline", name="agree", project="release", to=weekday(14))
    return [
        hire("dev", 3),
        Lever("raise release's priority", "priority", (raise_it,)),
        Lever("put Ana on Build", "move", (move,)),
        Lever("agree release's deadline at 22 Jan", "deadline", (deadline,)),
        hire("qa", 3),
    ]


def test_only_levers_that_change_what_forces_the_lateness_pass() -> None:
    base = planned(solve(release()))
    assert base.kpis.weighted_late_days == 5 and base.solver is not None
    assert base.solver.stages[0].status == "optimal"
    screened = screen_levers(release(), base.kpis.weighted_late_days, levers())
    kept = [lv.name for lv in screened.kept]
    assert kept == ["hire one qa L3 person", "agree release's deadline at 22 Jan"]  # fallbacks last
    assert screened.room == {"agree release's deadline at 22 Jan": 5, "hire one qa L3 person": 5}
    assert screened.notes == [
        "cannot save a day (the chains still force 5 weighted late days): hire one dev L3 person",
        "cannot beat the proven optimum (it adds no capacity): raise release's priority",
        "cannot beat the proven optimum (it adds no capacity): put Ana on Build",
    ]


def test_a_lever_set_aside_saves_nothing_when_solved() -> None:
    """The screen's claim checked by solving: no lever it sets aside has a plan below the
    base's proven optimum (a pin only removes plans; the priority lever is weighed at the
    scenario's own priorities, where it changes nothing), and the qa hire it keeps does."""
    base = release()
    screened = screen_levers(base, 5, levers())
    kept = {lv.name for lv in screened.kept}
    for lever in levers():
        variant = quick_variant(base, list(lever.changes), lever.name).scenario
        plan = planned(solve(variant))
        assert_verified(variant, plan)
        assert plan.solver is not None and plan.solver.stages[0].status == "optimal"
        late = sum(p.late_days for p in plan.projects)  # unweighted: priority 1 in the base
        if lever.name not in kept:
            assert late >= 5, lever.name
        elif lever.kind == "hire":
            assert late == 0


def test_hires_for_the_bounds_own_chain_and_the_one_that_shortens_it() -> None:
    """The bound's chain is build (dev) then UAT (qa L3): one hire for each, from the
    scenario's start to the planned finish. Only the qa hire lowers the bound."""
    from allocator.advise.levers import forced_chain_hires

    base = planned(solve(release()))
    assert base.solver is not None
    assert [b.chain for b in base.solver.project_bounds if b.late_days] == [("build", "test")]
    hires = forced_chain_hires(release(), base)
    assert [lv.name for lv in hires] == [
        "hire one dev L1 person 04 Jan-22 Jan",
        "hire one qa L3 person 04 Jan-22 Jan",
    ]
    assert [lv.changes[0].person.id for lv in hires] == ["hire-101-dev", "hire-102-qa"]
    screened = screen_levers(release(), 5, hires)
    assert [lv.name for lv in screened.kept] == ["hire one qa L3 person 04 Jan-22 Jan"]
