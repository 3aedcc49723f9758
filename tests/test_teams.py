"""Team selection: the places of a team are an assignment, not a greedy fill.

Filling requirement after requirement with the best free candidate can take, for the
first skill, the only person able to cover the second. :func:`assign_places` finds a
team whenever one exists among the candidates, and is the greedy team whenever that one
is complete.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocator.construct import serial as construct
from allocator.construct.serial import construct_schedule
from allocator.construct.teams import Offer, assign_places
from allocator.problem.compile import compile_problem
from allocator.search.solve import SolveOptions, solve_scenario
from models import Requirement, TeamSize
from tests.solver_helpers import assert_verified, person, planned, project, scenario, task, task_of

# ---------------------------------------------------------------------------- assign_places


def _covers_from(table: dict[str, set[int]]):  # type: ignore[no-untyped-def]
    return lambda offer, slot: slot in table[offer.resource]


def _greedy(slots: list[int], offers: list[Offer], table: dict[str, set[int]]) -> list[Offer] | None:
    """Each place in turn to the first candidate with room that covers it."""
    used: Counter[str] = Counter()
    team_: list[Offer] = []
    for slot in slots:
        offer = next((o for o in offers if slot in table[o.resource] and used[o.resource] < o.places), None)
        if offer is None:
            return None
        used[offer.resource] += 1
        team_.append(offer)
    return team_


def _some_team_exists(slots: list[int], offers: list[Offer], table: dict[str, set[int]]) -> bool:
    for pick in itertools.product(offers, repeat=len(slots)):
        used = Counter(o.resource for o in pick)
        if all(slot in table[o.resource] for slot, o in zip(slots, pick, strict=True)) and all(
            used[o.resource] <= o.places for o in pick
        ):
            return True
    return False


def _assert_valid(
    slots: list[int], offers: list[Offer], table: dict[str, set[int]], found: list[Offer]
) -> None:
    assert len(found) == len(slots)
    places = {o.resource: o.places for o in offers}
    used = Counter(o.resource for o in found)
    assert all(slot in table[o.resource] for slot, o in zip(slots, found, strict=True))
    assert all(used[r] <= places[r] for r in used)


def test_the_first_skill_does_not_take_the_only_person_for_the_second() -> None:
    # Ana covers both skills and ranks first; Bo covers only the first.
    table = {"ana": {0, 1}, "bo": {0}}
    offers = [Offer("ana", False, 100), Offer("bo", False, 100)]
    assert _greedy([0, 1], offers, table) is None
    assert assign_places([0, 1], offers, _covers_from(table)) == [
        Offer("bo", False, 100),
        Offer("ana", False, 100),
    ]


def test_chosen_members_stay_at_their_allocation_on_another_place() -> None:
    table = {"ana": {0, 1}, "bo": {0}, "vendor": {1}}
    offers = [Offer("ana", False, 100), Offer("bo", False, 100)]
    found = assign_places([0, 1], offers, _covers_from(table), chosen=[Offer("ana", False, 50)])
    assert found == [Offer("bo", False, 100), Offer("ana", False, 50)]


def test_a_vendor_fills_as_many_places_as_it_has_contractors() -> None:
    table = {"ana": {0, 1}, "pool": {0}}
    offers = [Offer("ana", False, 100), Offer("pool", True, 100, places=2)]
    found = assign_places([0, 0, 1], offers, _covers_from(table))
    assert found is not None
    assert [o.resource for o in found] == ["pool", "pool", "ana"]
    assert assign_places([0, 0, 0, 1], offers, _covers_from(table)) is None


@settings(max_examples=300, deadline=None)
@given(
    slots=st.lists(st.integers(0, 2), min_size=1, max_size=5),
    people=st.lists(st.sets(st.integers(0, 2)), max_size=5),
    vendor=st.tuples(st.sets(st.integers(0, 2)), st.integers(0, 2)),
    chosen_count=st.integers(0, 5),
)
def test_a_team_is_found_whenever_one_exists(slots, people, vendor, chosen_count) -> None:
    table = {f"p{i}": covers for i, covers in enumerate(people)} | {"pool": vendor[0]}
    offers = [Offer(f"p{i}", False, 100) for i in range(len(people))]
    offers += [Offer("pool", True, 100, places=vendor[1])] if vendor[1] else []
    found = assign_places(slots, offers, _covers_from(table))
    assert (found is not None) == _some_team_exists(slots, offers, table)
    if found is not None:
        _assert_valid(slots, offers, table, found)
    greedy = _greedy(slots, offers, table)
    if greedy is not None:
        assert found == greedy  # the preference order decides wherever the greedy fill works
    # A greedy start that got stuck is completed, keeping the members it chose.
    prefix = (greedy or _greedy(slots[:chosen_count], offers, table) or [])[:chosen_count]
    completed = assign_places(slots, offers, _covers_from(table), chosen=prefix)
    assert (completed is not None) == (found is not None)
    if completed is not None:
        _assert_valid(slots, offers, table, completed)
        assert not Counter(o.resource for o in prefix) - Counter(o.resource for o in completed)


# ---------------------------------------------------------------------------- construction


@pytest.mark.parametrize("work", [{"duration": 3}, {"effort": 4}], ids=["fixed", "effort"])
def test_construction_staffs_a_two_skill_task_the_greedy_fill_cannot(
    work: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ana (two skills) ranks before Bo (three) and is taken for backend; only she knows
    # data. The team is Bo on backend and Ana on data.
    the_scenario = scenario(
        project(
            "p",
            task(
                "t",
                requires=(Requirement(skill="backend", level=2), Requirement(skill="data", level=2)),
                team=TeamSize(min=2, max=2),
                vendor="never",
                **work,
            ),
        ),
        people=(person("ana", "backend:3", "data:3"), person("bo", "backend:3", "qa:3", "ops:3")),
        weeks=2,
    )
    problem = compile_problem(the_scenario)
    schedule = construct_schedule(problem)
    assert schedule is not None and schedule["t"].start == 0
    plan = planned(solve_scenario(the_scenario, SolveOptions(construct_only=True)))
    assert_verified(the_scenario, plan)
    assert {row.resource: row.skill for row in task_of(plan, "t").assignments} == {
        "ana": "data",
        "bo": "backend",
    }
    # Without the assignment step the greedy fill finds no team on any day.
    monkeypatch.setattr(construct, "assign_places", lambda *args, **kwargs: None)
    assert construct_schedule(problem) is None
