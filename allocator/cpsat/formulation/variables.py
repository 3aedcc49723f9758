"""CP-SAT variables, grouped per entity, every one named."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from allocator.problem.data import ModeData, Problem, TaskData


#: Literals ``day >= value`` by (variable index, value).
OrderLiterals = dict[tuple[int, int], cp_model.IntVar]


@dataclass
class AssignVars:
    """A person on a task mode: allocation level literals and the booking interval."""

    person: str
    levels: dict[int, cp_model.IntVar]  #: allocation percent -> literal
    assigned: cp_model.IntVar
    allocation: cp_model.IntVar  #: 0 when not assigned
    interval: cp_model.IntervalVar
    covers: dict[int, cp_model.IntVar]  #: requirement index -> literal (several requirements only)
    cost: cp_model.IntVar | None = None  #: staff cost, created when an objective or budget needs it
    overtime: cp_model.IntVar | None = None  #: booked with overtime (people allowed it, effort modes)
    overtime_units: cp_model.IntVar | None = None  #: effort units at contract booked with overtime
    overtime_cost: cp_model.IntVar | None = None  #: overtime pay, created when a cost needs it


@dataclass
class VendorVars:
    """Contractors of a vendor on a task mode."""

    vendor: str
    counts: dict[int, cp_model.IntVar]  #: number of contractors -> literal
    used: cp_model.IntVar
    count: cp_model.IntVar
    interval: cp_model.IntervalVar
    covers: dict[int, cp_model.IntVar]  #: requirement index -> contractors covering it
    days: cp_model.IntVar | None = None  #: contractor-days x100, created on first use


@dataclass
class ModeVars:
    """A mode of a task: its literal, resource interval, and the team on it."""

    data: ModeData
    chosen: cp_model.IntVar
    interval: cp_model.IntervalVar
    people: dict[str, AssignVars] = field(default_factory=dict)
    vendors: dict[str, VendorVars] = field(default_factory=dict)


@dataclass
class TaskVars:
    """Window and presence of a task."""

    data: TaskData
    start: cp_model.IntVar
    end: cp_model.IntVar
    present: cp_model.IntVar | int
    modes: list[ModeVars]
    steps: OrderLiterals = field(default_factory=dict)  #: the literals ``start >= t``, ``end >= t`` in use


@dataclass
class Variables:
    """All decision variables of the model."""

    tasks: dict[str, TaskVars]
    project_present: dict[str, cp_model.IntVar | int]
    project_end: dict[str, cp_model.IntVar] = field(default_factory=dict)
    vendor_days: dict[str, cp_model.IntVar] = field(default_factory=dict)  #: per task, x100

    def person_assignments(self) -> dict[str, list[tuple[TaskVars, ModeVars, AssignVars]]]:
        """Every assignment variable group, by person."""
        result: dict[str, list[tuple[TaskVars, ModeVars, AssignVars]]] = {}
        for task in self.tasks.values():
            for mode in task.modes:
                for assign in mode.people.values():
                    result.setdefault(assign.person, []).append((task, mode, assign))
        return result

    def vendor_assignments(self) -> dict[str, list[tuple[TaskVars, ModeVars, VendorVars]]]:
        """Every vendor variable group, by vendor."""
        result: dict[str, list[tuple[TaskVars, ModeVars, VendorVars]]] = {}
        for task in self.tasks.values():
            for mode in task.modes:
                for use in mode.vendors.values():
                    result.setdefault(use.vendor, []).append((task, mode, use))
        return result


def build_variables(model: cp_model.CpModel, problem: Problem) -> Variables:
    """Create the variables of every task, mode, assignment and project."""
    project_present: dict[str, cp_model.IntVar | int] = {
        pid: model.new_bool_var(f"present[{pid}]") if project.candidate else 1
        for pid, project in problem.projects.items()
    }
    tasks = {
        tid: _task_vars(model, problem, task, project_present[task.project])
        for tid, task in problem.tasks.items()
    }
    return Variables(tasks=tasks, project_present=project_present)


def _task_vars(
    model: cp_model.CpModel, problem: Problem, task: TaskData, present: cp_model.IntVar | int
) -> TaskVars:
    tid = task.id
    last_start = problem.horizon if task.latest_start is None else max(task.earliest, task.latest_start)
    start = model.new_int_var(task.earliest, min(problem.horizon, last_start), f"start[{tid}]")
    first_end = max(task.earliest, task.end_floor)
    end = model.new_int_var(first_end, max(first_end, task.latest_end), f"end[{tid}]")
    modes = [_mode_vars(model, problem, task, mode, start, end) for mode in task.modes]
    return TaskVars(data=task, start=start, end=end, present=present, modes=modes)


def _mode_vars(
    model: cp_model.CpModel,
    problem: Problem,
    task: TaskData,
    mode: ModeData,
    start: cp_model.IntVar,
    end: cp_model.IntVar,
) -> ModeVars:
    key = f"{task.id},{mode.name}"
    chosen = model.new_bool_var(f"mode[{key}]")
    size = model.new_int_var(0, problem.horizon, f"size[{key}]")
    interval = model.new_optional_interval_var(start, size, end, chosen, f"run[{key}]")
    people = {p: _assign_vars(model, problem, key, mode, p, start, end) for p in mode.people}
    vendors = {v: _vendor_vars(model, problem, key, mode, v, start, end) for v in mode.vendors}
    return ModeVars(data=mode, chosen=chosen, interval=interval, people=people, vendors=vendors)


def _booking(
    model: cp_model.CpModel,
    problem: Problem,
    mode: ModeData,
    start: cp_model.IntVar,
    end: cp_model.IntVar,
    present: cp_model.IntVar,
    name: str,
) -> cp_model.IntervalVar:
    """A person's or vendor's booking on a task mode: of fixed size for fixed-duration modes.

    A fixed size lets CP-SAT's no-overlap and cumulative reasoning count a booking's
    energy while the team is open; with a size variable it only knew the size's lower
    bound, 0 until the task was nearly placed. The booking is present only in the chosen
    mode, whose duration separates the task's start and end
    (:func:`allocator.cpsat.formulation.timing.add_durations`). The mode's own interval keeps a
    size variable: measured in BENCHMARKS.md.
    """
    if mode.duration is not None:
        return model.new_optional_fixed_size_interval_var(start, mode.duration, present, name)
    size = model.new_int_var(0, problem.horizon, f"size[{name}]")
    return model.new_optional_interval_var(start, size, end, present, name)


def _assign_vars(
    model: cp_model.CpModel,
    problem: Problem,
    key: str,
    mode: ModeData,
    person: str,
    start: cp_model.IntVar,
    end: cp_model.IntVar,
) -> AssignVars:
    name = f"{key},{person}"
    levels = {a: model.new_bool_var(f"alloc[{name},{a}]") for a in mode.levels[person]}
    assigned = model.new_bool_var(f"assigned[{name}]")
    model.add(sum(levels.values()) == assigned)
    allocation = model.new_int_var_from_domain(
        cp_model.Domain.from_values([0, *levels]), f"allocation[{name}]"
    )
    model.add(allocation == sum(a * lit for a, lit in levels.items()))
    interval = _booking(model, problem, mode, start, end, assigned, f"booking[{name}]")
    covers = {}
    if len(mode.requirements) > 1:
        covers = {r: model.new_bool_var(f"covers[{name},{r}]") for r in mode.covers[person]}
        model.add(sum(covers.values()) == assigned)
    overtime = None
    if mode.effort is not None and problem.people[person].overtime is not None:
        overtime = model.new_bool_var(f"overtime[{name}]")
        model.add_implication(overtime, assigned)
    return AssignVars(person, levels, assigned, allocation, interval, covers, overtime=overtime)


def _vendor_vars(
    model: cp_model.CpModel,
    problem: Problem,
    key: str,
    mode: ModeData,
    vendor: str,
    start: cp_model.IntVar,
    end: cp_model.IntVar,
) -> VendorVars:
    name = f"{key},{vendor}"
    most = min(problem.vendors[vendor].headcount, mode.team_max)
    counts = {n: model.new_bool_var(f"contractors[{name},{n}]") for n in range(1, most + 1)}
    used = model.new_bool_var(f"vendor_used[{name}]")
    model.add(sum(counts.values()) == used)
    count = model.new_int_var(0, most, f"contractor_count[{name}]")
    model.add(count == sum(n * lit for n, lit in counts.items()))
    interval = _booking(model, problem, mode, start, end, used, f"vendor_booking[{name}]")
    covers = {}
    if len(mode.requirements) > 1:
        covers = {
            r: model.new_int_var(0, most, f"vendor_covers[{name},{r}]") for r in mode.vendor_covers[vendor]
        }
        model.add(sum(covers.values()) == count)
    return VendorVars(vendor, counts, used, count, interval, covers)
