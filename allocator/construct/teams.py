"""Team selection as an assignment of a task's places to people and contractor pools.

A mode needs a number of places, each tied to one requirement (skill at a level); a
person fills at most one place, a vendor as many as it has contractors to spare.
Filling the places one by one with the best free candidate can fail although a team
exists: the first skill may take the only person able to cover the second.
:func:`assign_places` keeps whatever a greedy fill chose and fills the places left by
augmenting paths (Kuhn's algorithm, with capacities for vendors), so it finds a
complete team whenever one exists among the candidates offered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


@dataclass(frozen=True)
class Offer:
    """A candidate for the team: a person at an allocation, or a vendor with contractors to spare.

    Parameters
    ----------
    resource
        Person or vendor id.
    is_vendor
        Whether ``resource`` is a vendor.
    allocation
        The person's allocation in percent (100 for contractors).
    places
        How many places the candidate can fill: 1 for a person, the contractors a vendor
        can still send.
    """

    resource: str
    is_vendor: bool
    allocation: int
    places: int = 1

    @property
    def key(self) -> tuple[str, bool]:
        """Identity of the candidate, whatever its allocation."""
        return (self.resource, self.is_vendor)


class _Assignment:
    """Places held by each candidate, with the search for augmenting paths."""

    def __init__(self, slots: Sequence[int], offers: list[Offer], covers: Callable[[Offer, int], bool]):
        self.slots, self.offers = slots, offers
        self.eligible = [[i for i, offer in enumerate(offers) if covers(offer, slot)] for slot in slots]
        self.holder: list[int | None] = [None] * len(slots)
        self.held: list[list[int]] = [[] for _ in offers]

    def give(self, place: int, offer: int) -> None:
        previous = self.holder[place]
        if previous is not None:
            self.held[previous].remove(place)
        self.holder[place] = offer
        self.held[offer].append(place)

    def has_room(self, offer: int) -> bool:
        return len(self.held[offer]) < self.offers[offer].places

    def fill(self, place: int) -> bool:
        """Fill ``place``: with the first candidate that has room, else by moving others along."""
        for offer in self.eligible[place]:
            if self.has_room(offer):
                self.give(place, offer)
                return True
        return self._augment(place, set())

    def _augment(self, place: int, seen: set[int]) -> bool:
        """Kuhn's step: ``place`` takes a candidate whose place (or one of them) moves elsewhere."""
        for offer in self.eligible[place]:
            if offer in seen:
                continue
            seen.add(offer)
            if self.has_room(offer):
                self.give(place, offer)
                return True
            for other in list(self.held[offer]):
                if self._augment(other, seen):
                    self.give(place, offer)
                    return True
        return False


def assign_places(
    slots: Sequence[int],
    offers: Sequence[Offer],
    covers: Callable[[Offer, int], bool],
    chosen: Sequence[Offer | None] = (),
) -> list[Offer] | None:
    """Who fills each place of a team, keeping the places already filled where possible.

    Parameters
    ----------
    slots
        The requirement each place covers, in the order places are filled.
    offers
        The candidates, best first; a place left open goes to the first candidate with
        room that covers it, and only when none has room are earlier choices moved.
    covers
        Whether a candidate may fill a place covering the given requirement.
    chosen
        Candidates already chosen for the first places (``None`` for a place still open).
        They stay on the team, though possibly on another place; one missing from
        ``offers`` keeps at most the places it holds.

    Returns
    -------
    list[Offer] | None
        The candidate filling each place (a chosen person keeps their allocation), or
        ``None`` when no assignment of the candidates fills every place.
    """
    pool = _pool(offers, chosen)
    index = {offer.key: i for i, offer in enumerate(pool)}
    assignment = _Assignment(slots, pool, covers)
    for place, offer in enumerate(chosen):
        if offer is not None:
            assignment.give(place, index[offer.key])
    for place in range(len(slots)):
        if assignment.holder[place] is None and not assignment.fill(place):
            return None
    return [pool[i] for i in assignment.holder if i is not None]


def _pool(offers: Sequence[Offer], chosen: Sequence[Offer | None]) -> list[Offer]:
    """The candidates, with each chosen one at its chosen allocation and room for its places."""
    pool = list(offers)
    index = {offer.key: i for i, offer in enumerate(pool)}
    held = Counter(offer.key for offer in chosen if offer is not None)
    for offer in chosen:
        if offer is None:
            continue
        if offer.key not in index:
            index[offer.key] = len(pool)
            pool.append(offer)
        i = index[offer.key]
        pool[i] = Offer(
            offer.resource, offer.is_vendor, offer.allocation, max(pool[i].places, held[offer.key])
        )
    return pool
