"""Teams: size, skill coverage, pins, presence, employment and the effort delivered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from allocator.cpsat.formulation.expressions import contractor_days, window_sum
from allocator.problem.data import EFFORT_SCALE, ModeData, Problem

if TYPE_CHECKING:
    from allocator.cpsat.formulation.variables import ModeVars, TaskVars, Variables


def add_team_rules(model: cp_model.CpModel, variables: Variables) -> None:
    """Team size within range, every requirement covered, nobody on a mode not chosen."""
    for task in variables.tasks.values():
        for mode in task.modes:
            _team_size(model, mode)
            _coverage(model, mode)


def _team_size(model: cp_model.CpModel, mode: ModeVars) -> None:
    heads = sum(a.assigned for a in mode.people.values()) + sum(v.count for v in mode.vendors.values())
    data = mode.data
    if not mode.people and not mode.vendors:
        if data.team_min > 0:
            model.add(mode.chosen == 0)
        return
    model.add(heads >= data.team_min * mode.chosen)
    model.add(heads <= data.team_max * mode.chosen)
    for assign in mode.people.values():
        model.add_implication(assign.assigned, mode.chosen)
    for use in mode.vendors.values():
        model.add_implication(use.used, mode.chosen)


def _coverage(model: cp_model.CpModel, mode: ModeVars) -> None:
    requirements = mode.data.requirements
    if len(requirements) == 1:
        heads = sum(a.assigned for a in mode.people.values()) + sum(v.count for v in mode.vendors.values())
        model.add(heads >= requirements[0].people * mode.chosen)
        return
    for index, requirement in enumerate(requirements):
        covering = [a.covers[index] for a in mode.people.values() if index in a.covers]
        covering += [v.covers[index] for v in mode.vendors.values() if index in v.covers]
        model.add(sum(covering) >= requirement.people * mode.chosen)


def add_pins(model: cp_model.CpModel, variables: Variables) -> None:
    """Pinned people work on the task in whichever mode is chosen."""
    for task in variables.tasks.values():
        for person in task.data.pinned:
            for mode in task.modes:
                if person in mode.people:
                    model.add(mode.people[person].assigned == mode.chosen)
                else:
                    model.add(mode.chosen == 0)


def add_presence_and_employment(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Fixed-duration assignees are present throughout; everyone works inside their employment."""
    for task in variables.tasks.values():
        for mode in task.modes:
            for person_id, assign in mode.people.items():
                person = problem.people[person_id]
                if mode.data.duration is not None:
                    intervals = mode.data.starts[person_id].intervals
                    starts = cp_model.Domain.from_intervals([list(interval) for interval in intervals])
                    model.add_linear_expression_in_domain(task.start, starts).only_enforce_if(assign.assigned)
                    continue
                if person.first_day > task.data.earliest:
                    model.add(task.start >= person.first_day).only_enforce_if(assign.assigned)
                if person.end_day < problem.horizon:
                    model.add(task.end <= person.end_day).only_enforce_if(assign.assigned)


def add_effort(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Effort-driven modes: the team delivers the effort on its members' real working days.

    A person booked at allocation ``a`` over ``[S, E)`` delivers ``a x (W[E] - W[S])``
    where ``W`` is the prefix sum of their presence: leave pauses their work without
    freezing the task. People with identical calendars share one element lookup.
    """
    for task in variables.tasks.values():
        effort_modes = [m for m in task.modes if m.data.is_effort]
        if not effort_modes:
            continue
        worked = _worked_days(model, problem, task, effort_modes)
        for mode in effort_modes:
            shortest = shortest_run(problem, mode.data)
            if shortest > 1:
                model.add(task.end >= task.start + shortest).only_enforce_if(mode.chosen)
            contributions: list[cp_model.LinearExprT] = [
                _person_contribution(model, problem, task, mode, pid, worked) for pid in mode.people
            ]
            contributions += [
                100 * contractor_days(model, problem, variables, task, use) for use in mode.vendors.values()
            ]
            assert mode.data.effort is not None
            overtime = _overtime_effort(problem, mode)
            if overtime is None:
                model.add(sum(contributions) >= mode.data.effort).only_enforce_if(mode.chosen)
                continue
            # Scaled by the contract week's hours W, so each booking's H/W stays exact.
            week, extra = overtime
            scaled = week * cp_model.LinearExpr.sum(contributions) + extra
            model.add(scaled >= week * mode.data.effort).only_enforce_if(mode.chosen)


def shortest_run(problem: Problem, mode: ModeData) -> int:
    """Redundant: the fewest timeline days an effort-driven mode can take with any team.

    No team delivers more on a day than its ``team_max`` heads that could deliver most
    (each person at their largest allocation on their best day, with overtime where
    allowed; a contractor a whole day), so the effort needs at least that many days.
    The effort constraint implies it once the team is chosen; stated for the search
    before then, it lets a task's end and its project's lateness be bounded early.
    """
    assert mode.effort is not None
    heads = []
    for pid in mode.people:
        person = problem.people[pid]
        units = max(mode.levels[pid]) * problem.presence_peak[person.presence_class]
        if person.overtime is not None:
            units += -(-units * person.overtime.share_hours // person.overtime.week_hours)
        heads.append(units)
    for vid in mode.vendors:
        heads += [EFFORT_SCALE] * min(problem.vendors[vid].headcount, mode.team_max)
    most = sum(sorted(heads, reverse=True)[: mode.team_max])
    return -(-mode.effort // most) if most > 0 else 0


def _worked_days(
    model: cp_model.CpModel, problem: Problem, task: TaskVars, modes: list[ModeVars]
) -> dict[int, cp_model.IntVar]:
    classes = {problem.people[p].presence_class for m in modes for p in m.people}
    return {
        cls: window_sum(model, problem.presence_prefix[cls], task, f"worked[{task.data.id},{cls}]")
        for cls in sorted(classes)
    }


def _person_contribution(
    model: cp_model.CpModel,
    problem: Problem,
    task: TaskVars,
    mode: ModeVars,
    person: str,
    worked_by_class: dict[int, cp_model.IntVar],
) -> cp_model.IntVar:
    assign = mode.people[person]
    presence_class = problem.people[person].presence_class
    worked = worked_by_class[presence_class]
    top = max(assign.levels) * problem.presence_prefix[presence_class][-1]
    delivered = model.new_int_var(0, top, f"delivered[{task.data.id},{mode.data.name},{person}]")
    for allocation, literal in assign.levels.items():
        model.add(delivered == allocation * worked).only_enforce_if(literal)
    model.add(delivered == 0).only_enforce_if(~assign.assigned)
    if assign.overtime is not None:
        units = model.new_int_var(0, top, f"overtime_units[{task.data.id},{mode.data.name},{person}]")
        model.add(units == delivered).only_enforce_if(assign.overtime)
        model.add(units == 0).only_enforce_if(~assign.overtime)
        assign.overtime_units = units
    return delivered


def _overtime_effort(problem: Problem, mode: ModeVars) -> tuple[int, cp_model.LinearExpr] | None:
    """The contract week's hours ``W`` and ``Σ H x overtime units`` over the mode's people
    allowed overtime; ``None`` when there are none. The team delivers the effort when
    ``W x Σ delivered + Σ H x units >= W x effort``."""
    weeks: set[int] = set()
    terms: list[cp_model.LinearExpr] = []
    for assign in mode.people.values():
        data = problem.people[assign.person].overtime
        if data is None or assign.overtime_units is None:
            continue
        weeks.add(data.week_hours)
        terms.append(data.share_hours * assign.overtime_units)
    if not terms:
        return None
    assert len(weeks) == 1, "one contract week per scenario"
    return weeks.pop(), cp_model.LinearExpr.sum(terms)


def add_overtime_caps(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Each person's overtime over all their bookings within their cap (``max_hours``)."""
    for person_id, groups in variables.person_assignments().items():
        terms = problem.people[person_id].overtime
        units = [assign.overtime_units for _, _, assign in groups if assign.overtime_units is not None]
        if terms is None or terms.max_units is None or not units:
            continue
        used = problem.fixed.overtime_units.get(person_id, 0)
        model.add(sum(units) <= terms.max_units - used)


assert EFFORT_SCALE == 100 * 100, "allocation percent x presence percent"
