"""What construction has booked so far, day by day, and the questions asked of it.

Serial schedule generation places one task at a time against the bookings of the tasks
placed before it: each person's load and number of concurrent tasks, each vendor's
contractors and spend, each renewable resource's use and each consumable budget's use
(with units kept back for the tasks not yet placed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.construct.budget_modes import least_consumption

if TYPE_CHECKING:
    from allocator.construct.budget_modes import Reservation
    from allocator.problem.data import ModeData, Problem
    from allocator.problem.schedule import TaskChoice


class Occupancy:
    """Bookings made so far, per day.

    Parameters
    ----------
    problem
        The compiled problem.
    reservation
        Consumable units to keep back for each task until it is placed; by default each
        task's least use of each consumable.
    """

    def __init__(self, problem: Problem, reservation: Reservation | None = None) -> None:
        horizon = problem.horizon + 1
        self.problem = problem
        self.load = {p: [0] * horizon for p in problem.people}
        self.count = {p: [0] * horizon for p in problem.people}
        self.vendor = {v: [0] * horizon for v in problem.vendors}
        self.spend = dict.fromkeys(problem.vendors, 0)
        self.resource = {r: [0] * horizon for r in problem.resources}
        self.consumed = dict.fromkeys(problem.resources, 0)
        #: consumable units kept back for each task until it is placed (default: its least use)
        self.reservation = reservation or {
            tid: least_consumption(problem, task) for tid, task in problem.tasks.items()
        }
        #: consumable units kept back for the tasks not yet placed
        self.reserved = dict.fromkeys(problem.resources, 0)
        for amounts in self.reservation.values():
            for rid, amount in amounts.items():
                self.reserved[rid] += amount

    def person_fits(self, pid: str, allocation: int, start: int, end: int) -> bool:
        """Whether ``pid`` is employed and can take ``allocation`` more on every day of ``[start, end)``."""
        person = self.problem.people[pid]
        if start < person.first_day or end > person.end_day:
            return False
        load, count = self.load[pid], self.count[pid]
        limit = person.max_concurrent
        return all(
            load[d] + allocation <= person.capacity and (limit is None or count[d] < limit)
            for d in range(start, end)
        )

    def budgets_fit(self, mode: ModeData) -> bool:
        """Whether ``mode``'s use of each consumable fits beside what is used and kept back."""
        for rid, amount in mode.resources.items():
            resource = self.problem.resources[rid]
            if resource.consumable and self.consumed[rid] + amount + self.reserved[rid] > resource.capacity:
                return False
        return True

    def resources_fit(self, mode: ModeData, start: int, end: int) -> bool:
        """Whether every resource of ``mode`` has room: its budgets, and renewables over ``[start, end)``."""
        if not self.budgets_fit(mode):
            return False
        for rid, amount in mode.resources.items():
            resource = self.problem.resources[rid]
            if not resource.consumable and any(
                self.resource[rid][d] + amount > resource.capacity for d in range(start, end)
            ):
                return False
        return True

    def vendor_free(self, vid: str, start: int, end: int) -> int:
        """Contractors ``vid`` still has on every day of ``[start, end)`` (0 before its lead time)."""
        vendor = self.problem.vendors[vid]
        if start < vendor.lead_day:
            return 0
        used = max((self.vendor[vid][d] for d in range(start, end)), default=0)
        return vendor.headcount - used

    def book(self, mode: ModeData, choice: TaskChoice) -> None:
        """Book ``choice``'s team, contractors and ``mode``'s resources over its days."""
        days = range(choice.start, choice.end)
        for pid, (allocation, _) in choice.people.items():
            for d in days:
                self.load[pid][d] += allocation
                self.count[pid][d] += 1
        for vid, by_requirement in choice.vendors.items():
            count = sum(by_requirement.values())
            self.spend[vid] += vendor_spend(self.problem, vid, count, choice.start, choice.end)
            for d in days:
                self.vendor[vid][d] += count
        for rid, amount in mode.resources.items():
            if self.problem.resources[rid].consumable:
                self.consumed[rid] += amount
            else:
                for d in days:
                    self.resource[rid][d] += amount


def vendor_spend(problem: Problem, vid: str, count: int, start: int, end: int) -> int:
    """What ``count`` contractors of ``vid`` cost over ``[start, end)`` (the vendor's working days)."""
    worked = problem.vendor_prefix[end] - problem.vendor_prefix[start]
    return problem.vendors[vid].day_rate * count * worked


def within_cap(problem: Problem, state: Occupancy, vid: str, count: int, start: int, end: int) -> bool:
    """Whether ``count`` more contractors of ``vid`` over ``[start, end)`` stay within its spend cap.

    Parameters
    ----------
    problem
        The compiled problem.
    state
        The bookings made so far.
    vid
        A vendor.
    count
        Contractors to add.
    start, end
        The days they work, end excluded.

    Returns
    -------
    bool
        ``True`` for a vendor without a spend cap.
    """
    spend_cap = problem.vendors[vid].spend_cap
    if spend_cap is None:
        return True
    return state.spend[vid] + vendor_spend(problem, vid, count, start, end) <= spend_cap


def vendors_within_cap(problem: Problem, state: Occupancy, choice: TaskChoice, end: int) -> bool:
    """Whether every vendor of ``choice`` stays within its spend cap from its start to ``end``."""
    return all(
        within_cap(problem, state, vid, sum(by_requirement.values()), choice.start, end)
        for vid, by_requirement in choice.vendors.items()
    )


def vendor_room(problem: Problem, state: Occupancy, vid: str, start: int, end: int) -> int:
    """How many more contractors ``vid`` can send over ``[start, end)`` within headcount and spend cap."""
    free, count = state.vendor_free(vid, start, end), 0
    while count < free and within_cap(problem, state, vid, count + 1, start, end):
        count += 1
    return count


def free_run(problem: Problem, state: Occupancy, pid: str, allocation: int, start: int, limit: int) -> int:
    """Consecutive days from ``start`` (at most ``limit``) on which ``pid`` can take ``allocation``."""
    person = problem.people[pid]
    if start < person.first_day:
        return 0
    load, count, cap = state.load[pid], state.count[pid], person.capacity
    concurrent = person.max_concurrent
    last = min(start + limit, person.end_day, problem.horizon)
    day = start
    while day < last and load[day] + allocation <= cap and (concurrent is None or count[day] < concurrent):
        day += 1
    return day - start


def day_fits(problem: Problem, state: Occupancy, mode: ModeData, choice: TaskChoice, day: int) -> bool:
    """Whether ``choice``'s team, contractors and ``mode``'s resources all have room on ``day``.

    Parameters
    ----------
    problem
        The compiled problem.
    state
        The bookings made so far.
    mode
        The mode of ``choice``.
    choice
        A task's team (its days are not read).
    day
        The day to check.

    Returns
    -------
    bool
        ``True`` when one more day of the task can be booked.
    """
    for pid, (allocation, _) in choice.people.items():
        if not state.person_fits(pid, allocation, day, day + 1):
            return False
    for vid, by_requirement in choice.vendors.items():
        if state.vendor_free(vid, day, day + 1) < sum(by_requirement.values()):
            return False
    return state.resources_fit(mode, day, day + 1)
