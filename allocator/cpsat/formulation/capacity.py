"""Capacity: people's allocation and concurrency, vendor headcount, shared resources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allocator.problem.pools import Pool, binding_unions, mode_pool_demands

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ortools.sat.python import cp_model

    from allocator.cpsat.formulation.variables import Variables
    from allocator.problem.data import Problem


def makespan_tail(
    model: cp_model.CpModel, problem: Problem, makespan: cp_model.LinearExprT | None
) -> cp_model.IntervalVar | None:
    """Redundant, when the makespan is minimised: the days from it to the horizon.

    Nothing is worked after the last task ends, so an interval over those days that
    takes a resource's whole capacity fits every capacity constraint. In them it lets
    the cumulative reasoning push the makespan's lower bound up (a standard RCPSP
    strengthening; on hard PSPLIB j120 instances the bound after 10 s rose from 68 %
    to 90 % of the best known makespan).
    """
    if makespan is None:
        return None
    return model.new_interval_var(makespan, problem.horizon - makespan, problem.horizon, "after_makespan")


def _with_tail(
    intervals: list[cp_model.IntervalVar],
    demands: Sequence[cp_model.LinearExprT],
    tail: cp_model.IntervalVar | None,
    capacity: int,
) -> tuple[list[cp_model.IntervalVar], list[cp_model.LinearExprT]]:
    """The capacity's intervals and demands, with the after-makespan interval taking all of it."""
    if tail is None:
        return intervals, list(demands)
    return [*intervals, tail], [*demands, capacity]


def add_person_capacity(
    model: cp_model.CpModel, problem: Problem, variables: Variables, tail: cp_model.IntervalVar | None = None
) -> None:
    """On every day a person's allocations sum to at most their capacity.

    When no two bookings of a person can overlap (each above half the capacity) a
    no-overlap constraint replaces the cumulative: it propagates far more strongly.
    ``tail`` is :func:`makespan_tail`'s interval, or ``None``.
    """
    for person_id, groups in variables.person_assignments().items():
        person = problem.people[person_id]
        fixed = problem.fixed.person_load.get(person_id, [])
        intervals = [assign.interval for _, _, assign in groups] + _fixed_intervals(model, fixed, person_id)
        smallest = min([min(assign.levels) for _, _, assign in groups] + [a for _, _, a in fixed])
        if 2 * smallest > person.capacity:
            model.add_no_overlap(intervals if tail is None else [*intervals, tail])
        else:
            demands = [assign.allocation for _, _, assign in groups] + [a for _, _, a in fixed]
            model.add_cumulative(*_with_tail(intervals, demands, tail, person.capacity), person.capacity)
        if person.max_concurrent is not None and len(intervals) > person.max_concurrent:
            model.add_cumulative(intervals, [1] * len(intervals), person.max_concurrent)


def _fixed_intervals(
    model: cp_model.CpModel, segments: list[tuple[int, int, int]], owner: str
) -> list[cp_model.IntervalVar]:
    """Constant intervals for work held fixed outside a neighbourhood."""
    return [
        model.new_fixed_size_interval_var(start, end - start, f"fixed[{owner},{n}]")
        for n, (start, end, _) in enumerate(segments)
    ]


def add_vendor_capacity(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Contractors at once within headcount; none before the vendor's lead time."""
    for vendor_id, groups in variables.vendor_assignments().items():
        vendor = problem.vendors[vendor_id]
        fixed = problem.fixed.vendor_use.get(vendor_id, [])
        intervals = [use.interval for _, _, use in groups] + _fixed_intervals(model, fixed, vendor_id)
        counts = [use.count for _, _, use in groups] + [n for _, _, n in fixed]
        model.add_cumulative(intervals, counts, vendor.headcount)
        if vendor.lead_day > 0:
            for task, _, use in groups:
                model.add(task.start >= vendor.lead_day).only_enforce_if(use.used)


def add_shared_resources(
    model: cp_model.CpModel, problem: Problem, variables: Variables, tail: cp_model.IntervalVar | None = None
) -> None:
    """Renewable resources per day; consumable ones in total over the plan.

    ``tail`` is :func:`makespan_tail`'s interval, or ``None``.
    """
    usage: dict[str, list[tuple[cp_model.IntervalVar, cp_model.IntVar, int]]] = {}
    for task in variables.tasks.values():
        for mode in task.modes:
            for used, amount in mode.data.resources.items():
                if amount > 0:
                    usage.setdefault(used, []).append((mode.interval, mode.chosen, amount))
    for resource_id, uses in usage.items():
        resource = problem.resources[resource_id]
        if resource.consumable:
            left = resource.capacity - problem.fixed.consumed.get(resource_id, 0)
            model.add(sum(amount * chosen for _, chosen, amount in uses) <= left)
        else:
            fixed = problem.fixed.resource_use.get(resource_id, [])
            intervals = [u[0] for u in uses] + _fixed_intervals(model, fixed, resource_id)
            demands = [u[2] for u in uses] + [a for _, _, a in fixed]
            model.add_cumulative(*_with_tail(intervals, demands, tail, resource.capacity), resource.capacity)


def add_skill_pool_bounds(
    model: cp_model.CpModel,
    problem: Problem,
    variables: Variables,
    tail: cp_model.IntervalVar | None = None,
    *,
    every_union: bool = False,
) -> None:
    """Redundant: the work needing a skill at a level never exceeds who has it.

    Every head covering a requirement (skill, level) takes at least the mode's smallest
    allocation of a qualified person's capacity (or a contractor's whole day), so the
    running tasks' demands on that pool fit the pool's total capacity. Implied by the
    per-person constraints, but it gives CP-SAT the strong bounds of multi-skill
    scheduling (on MSPSP instances, proofs in seconds instead of none in minutes).

    As each person covers one requirement at a time, the same holds for a union of
    pools: the heads needing any of its skills fit everyone who has at least one. The
    union of all pools and, for up to :data:`~allocator.problem.pools.PAIRED_POOLS` pools,
    every pair are added where they are tighter than their parts (people with several
    skills). With ``every_union`` (the pooled relaxation, where the pools stand for the
    people) every union is added for up to :data:`~allocator.problem.pools.EVERY_UNION_POOLS`
    pools: Hall's condition at every moment, so that the relaxation's schedules can mostly be staffed.
    Left out of restricted problems, where fixed work would have to be counted too.
    ``tail`` is :func:`makespan_tail`'s interval, or ``None``.
    """
    if problem.fixed.project_end:
        return
    heads: dict[Pool, dict[int, tuple[cp_model.IntervalVar, int]]] = {}
    for task in variables.tasks.values():
        for mode in task.modes:
            for pool, demand in mode_pool_demands(mode.data).items():
                needs = heads.setdefault(pool, {})
                held = needs.get(mode.interval.index, (mode.interval, 0))[1]
                needs[mode.interval.index] = (mode.interval, held + demand)
    for union, capacity in binding_unions(problem, list(heads), every_union=every_union):
        merged: dict[int, tuple[cp_model.IntervalVar, int]] = {}
        for part in union:
            for index, (interval, demand) in heads[part].items():
                merged[index] = (interval, merged.get(index, (interval, 0))[1] + demand)
        uses = list(merged.values())
        intervals, demands = _with_tail([u[0] for u in uses], [u[1] for u in uses], tail, capacity)
        model.add_cumulative(intervals, demands, capacity)
