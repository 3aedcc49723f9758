"""Apply what-if changes to a scenario, checking every id they name.

Each change type has one function that edits the plain data of a scenario. Unknown
ids raise :class:`ChangeProblem` with the field at fault and a close-match
suggestion; the caller adds the file and the change's position.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from allocator.io.errors import unknown

if TYPE_CHECKING:
    from collections.abc import Callable

    from models.whatif import (
        AddPerson,
        AddProject,
        AddTimeOff,
        AddVendor,
        CapacityChange,
        Change,
        DeadlineMove,
        DeferProject,
        DropProject,
        EarliestStart,
        EffortChange,
        OvertimeChange,
        Pin,
        PriorityChange,
        RemovePerson,
        Unpin,
        VendorChange,
    )

Data = dict[str, Any]


class ChangeProblem(Exception):
    """A change that cannot be applied to its base.

    Parameters
    ----------
    field
        Field of the change at fault (``task``, ``person``…), empty for the change as a whole.
    message
        What is wrong, with a suggestion where one exists.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _find(items: list[Data], item_id: str, kind: str, field: str) -> Data:
    for item in items:
        if item["id"] == item_id:
            return item
    raise ChangeProblem(field, unknown(kind, item_id, (i["id"] for i in items)))


def _all_tasks(data: Data) -> list[Data]:
    return [task for project in data["projects"] for task in project["tasks"]]


def _check_new_id(items: list[Data], item_id: str, kind: str, field: str) -> None:
    if any(item["id"] == item_id for item in items):
        raise ChangeProblem(field, f"{kind} '{item_id}' already exists")


# --- people ------------------------------------------------------------------------


def _add_person(data: Data, change: AddPerson) -> None:
    _check_new_id(data["people"], change.person.id, "person", "person.id")
    person = change.person.model_dump()
    if change.start is not None:
        person["start"] = change.start
    data["people"].append(person)


def _remove_person(data: Data, change: RemovePerson) -> None:
    person = _find(data["people"], change.person, "person", "person")
    if change.from_ is not None:
        person["end"] = change.from_ - dt.timedelta(days=1)
        return
    data["people"].remove(person)
    for task in _all_tasks(data):
        for key in ("pinned", "excluded", "preferred"):
            task[key] = tuple(p for p in task[key] if p != change.person)


def _time_off(data: Data, change: AddTimeOff) -> None:
    person = _find(data["people"], change.person, "person", "person")
    leave = {"start": change.start, "end": change.end, "fraction": change.fraction, "reason": change.reason}
    person["time_off"] = (*person["time_off"], leave)


def _capacity(data: Data, change: CapacityChange) -> None:
    person = _find(data["people"], change.person, "person", "person")
    if change.fte is not None:
        person["fte"] = change.fte
    if change.reserve is not None:
        person["reserve"] = change.reserve


def _overtime(data: Data, change: OvertimeChange) -> None:
    person = _find(data["people"], change.person, "person", "person")
    person["overtime"] = change.overtime.model_dump()


# --- vendors -----------------------------------------------------------------------


def _add_vendor(data: Data, change: AddVendor) -> None:
    _check_new_id(data["vendors"], change.vendor.id, "vendor", "vendor.id")
    data["vendors"].append(change.vendor.model_dump())


def _vendor(data: Data, change: VendorChange) -> None:
    vendor = _find(data["vendors"], change.vendor, "vendor", "vendor")
    if change.headcount is not None:
        vendor["headcount"] = change.headcount
    if change.day_rate is not None:
        vendor["day_rate"] = change.day_rate
    if change.spend_cap is not None:
        vendor["spend_cap"] = change.spend_cap
    if change.lead_time_days is not None:
        vendor["lead_time_days"] = change.lead_time_days
    if change.spend_cap_factor is not None:
        if vendor["spend_cap"] is None:
            raise ChangeProblem("spend_cap_factor", f"vendor '{change.vendor}' has no spend cap to scale")
        vendor["spend_cap"] = round(vendor["spend_cap"] * change.spend_cap_factor, 2)


# --- projects and tasks -----------------------------------------------------------------


def _targets(data: Data, task: str | None, project: str | None) -> tuple[Data | None, list[Data]]:
    """The project (when one is named) and the tasks a change applies to."""
    if project is not None:
        found = _find(data["projects"], project, "project", "project")
        return found, list(found["tasks"])
    assert task is not None  # the model demands exactly one of task and project
    return None, [_find(_all_tasks(data), task, "task", "task")]


def _scaled(effort: float, change: EffortChange) -> float:
    value = effort * change.factor if change.factor is not None else effort + (change.add or 0.0)
    if value <= 0:
        field = "add" if change.add is not None else "factor"
        raise ChangeProblem(field, f"effort {effort:g} would become {value:g}; it must stay above 0")
    return round(value, 2)


def _effort(data: Data, change: EffortChange) -> None:
    _, tasks = _targets(data, change.task, change.project)
    changed = 0
    for task in tasks:
        if task["effort"] is not None:
            task["effort"] = _scaled(task["effort"], change)
            changed += 1
        modes = [dict(mode) for mode in task["modes"]]
        for mode in modes:
            if mode["effort"] is not None:
                mode["effort"] = _scaled(mode["effort"], change)
                changed += 1
        task["modes"] = tuple(modes)
    if not changed:
        field = "task" if change.task else "project"
        raise ChangeProblem(field, "has no effort-driven work (only fixed durations) to change")


def _earliest_start(data: Data, change: EarliestStart) -> None:
    project, tasks = _targets(data, change.task, change.project)
    start: dt.date = data["start"]
    if project is not None:
        project["earliest_start"] = change.moved(project["earliest_start"], start)
        return
    task = tasks[0]
    owner = next(p for p in data["projects"] if task in p["tasks"])
    task["earliest_start"] = change.moved(task["earliest_start"] or owner["earliest_start"], start)


def _deadline(data: Data, change: DeadlineMove) -> None:
    project, tasks = _targets(data, change.task, change.project)
    target = project if project is not None else tasks[0]
    if target["deadline"] is None and change.to is None:
        field = "project" if project is not None else "task"
        raise ChangeProblem(field, "has no deadline to shift; give 'to' with a date")
    target["deadline"] = change.moved(target["deadline"], data["end"])
    if change.deadline_type is not None:
        target["deadline_type"] = change.deadline_type


def _priority(data: Data, change: PriorityChange) -> None:
    _find(data["projects"], change.project, "project", "project")["priority"] = change.priority


def _add_project(data: Data, change: AddProject) -> None:
    _check_new_id(data["projects"], change.project.id, "project", "project.id")
    known = {task["id"] for task in _all_tasks(data)}
    for task in change.project.tasks:
        if task.id in known:
            raise ChangeProblem("project.tasks", f"task '{task.id}' already exists in the base")
    data["projects"].append(change.project.model_dump())


def _drop_project(data: Data, change: DropProject) -> None:
    project = _find(data["projects"], change.project, "project", "project")
    data["projects"].remove(project)
    gone = {task["id"] for task in project["tasks"]}
    for task in _all_tasks(data):
        task["after"] = tuple(dep for dep in task["after"] if dep["task"] not in gone)


def _defer_project(data: Data, change: DeferProject) -> None:
    project = _find(data["projects"], change.project, "project", "project")
    project["status"] = "candidate"
    project["value"] = change.value


def _pin(data: Data, change: Pin) -> None:
    task = _find(_all_tasks(data), change.task, "task", "task")
    _find(data["people"], change.person, "person", "person")
    if change.person in task["excluded"]:
        raise ChangeProblem("person", f"'{change.person}' is excluded from task '{change.task}'")
    if change.person not in task["pinned"]:
        task["pinned"] = (*task["pinned"], change.person)


def _unpin(data: Data, change: Unpin) -> None:
    task = _find(_all_tasks(data), change.task, "task", "task")
    if change.person not in task["pinned"]:
        raise ChangeProblem("person", unknown(f"pin on task '{change.task}'", change.person, task["pinned"]))
    task["pinned"] = tuple(p for p in task["pinned"] if p != change.person)


_APPLY: dict[str, Callable[[Data, Any], None]] = {
    "add-person": _add_person,
    "remove-person": _remove_person,
    "time-off": _time_off,
    "capacity": _capacity,
    "overtime": _overtime,
    "add-vendor": _add_vendor,
    "vendor": _vendor,
    "effort": _effort,
    "earliest-start": _earliest_start,
    "deadline": _deadline,
    "priority": _priority,
    "add-project": _add_project,
    "drop-project": _drop_project,
    "defer-project": _defer_project,
    "pin": _pin,
    "unpin": _unpin,
}


def apply_change(data: Data, change: Change) -> None:
    """Apply one change to the plain data of a scenario, in place.

    Parameters
    ----------
    data
        ``Scenario.model_dump()`` with its lists made mutable (see :func:`editable`).
    change
        The change to make.

    Raises
    ------
    ChangeProblem
        When the change names something the scenario lacks, or cannot apply.
    """
    _APPLY[change.type](data, change)


def editable(data: Data) -> Data:
    """The plain data of a scenario with people, vendors, projects and tasks as lists."""
    for key in ("people", "vendors", "projects", "resources"):
        data[key] = [dict(item) for item in data[key]]
    for project in data["projects"]:
        project["tasks"] = [dict(task) for task in project["tasks"]]
    return data
