"""Progress input: a CSV of actuals, and the checks that tie progress to its scenario.

Every problem is reported at once as an :class:`~allocator.io.InputProblem` naming file,
entity and field, inside one :class:`~allocator.io.ScenarioError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from allocator.io import InputProblem, ScenarioError
from allocator.io.csv_table import read_csv_table
from allocator.io.errors import unknown
from models.progress import Progress, TaskProgress

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from models import Scenario

#: Columns of an actuals CSV; ``task`` and ``status`` are required.
CSV_COLUMNS = (
    "task",
    "status",
    "actual_start",
    "actual_finish",
    "remaining_effort",
    "remaining_days",
    "assignees",
)


def read_actuals_csv(path: Path) -> Progress:
    """Progress from a CSV of actuals (one row per task; assignees separated by ``;``).

    Raises
    ------
    ScenarioError
        Naming the row and column of every unreadable cell.
    """
    file = str(path)
    _, rows = read_csv_table(path, "actuals")
    problems: list[InputProblem] = []
    entries = []
    for number, row in enumerate(rows, start=2):
        entry = _row_entry(row, file, number, problems)
        if entry is not None:
            entries.append(entry)
    if problems:
        raise ScenarioError(problems)
    return Progress(tasks=tuple(entries))


def _row_entry(
    row: dict[str, str], file: str, number: int, problems: list[InputProblem]
) -> TaskProgress | None:
    extra = [key for key in row if key not in CSV_COLUMNS]
    if extra:
        problems.append(
            InputProblem(file, "", str(extra[0]), f"unknown column; use {', '.join(CSV_COLUMNS)}", number)
        )
        return None
    data: dict[str, object] = {key: value.strip() for key, value in row.items() if value and value.strip()}
    task = str(data.get("task", ""))
    if "assignees" in data:
        data["assignees"] = [p.strip() for p in str(data["assignees"]).split(";") if p.strip()]
    try:
        return TaskProgress.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            where = ".".join(str(part) for part in detail["loc"])
            problems.append(InputProblem(file, f"progress of task '{task}'", where, detail["msg"], number))
        return None


def progress_problems(
    scenario: Scenario, progress: Progress, as_of: dt.date, file: str
) -> list[InputProblem]:
    """What is wrong with ``progress`` for ``scenario`` as of ``as_of`` (empty when usable)."""
    problems = []
    if not scenario.start <= as_of <= scenario.end:
        problems.append(
            InputProblem(
                file,
                "progress",
                "as_of",
                f"as-of date {as_of} is outside the plan window {scenario.start} to {scenario.end}",
            )
        )
    tasks, people = scenario.task_index(), scenario.person_index()
    resources = set(people) | set(scenario.vendor_index())
    seen: set[str] = set()
    for index, entry in enumerate(progress.tasks):
        entity = f"progress of task '{entry.task}'"
        if entry.task not in tasks:
            problems.append(
                InputProblem(file, entity, f"tasks[{index}].task", unknown("task", entry.task, tasks))
            )
            continue
        if entry.task in seen:
            problems.append(InputProblem(file, entity, f"tasks[{index}].task", "task listed twice"))
        seen.add(entry.task)
        for who in entry.assignees or ():
            if who not in resources:
                message = unknown("person or vendor", who, resources)
                problems.append(InputProblem(file, entity, f"tasks[{index}].assignees", message))
        task = tasks[entry.task][1]
        effort = (
            task.effort if task.effort is not None else next((m.effort for m in task.modes if m.effort), None)
        )
        problems.extend(_entry_problems(entry, index, as_of, effort, file))
    return problems


def _entry_problems(
    entry: TaskProgress, index: int, as_of: dt.date, effort: float | None, file: str
) -> list[InputProblem]:
    entity, at = f"progress of task '{entry.task}'", f"tasks[{index}]"
    problems = []
    if entry.actual_start and entry.actual_start > as_of and entry.status != "not_started":
        problems.append(
            InputProblem(
                file, entity, f"{at}.actual_start", f"{entry.actual_start} is after the as-of date {as_of}"
            )
        )
    if entry.actual_finish and entry.actual_finish > as_of:
        problems.append(
            InputProblem(
                file, entity, f"{at}.actual_finish", f"{entry.actual_finish} is after the as-of date {as_of}"
            )
        )
    if entry.status == "in_progress" and entry.remaining_effort is None and entry.remaining_days is None:
        problems.append(
            InputProblem(
                file,
                entity,
                f"{at}.remaining_effort",
                "a task in progress needs remaining_effort (person-days) "
                "or, for a fixed-duration task, remaining_days",
            )
        )
    if (
        entry.status == "in_progress"
        and effort is not None
        and entry.remaining_effort is None
        and entry.remaining_days is not None
    ):
        problems.append(
            InputProblem(
                file, entity, f"{at}.remaining_effort", "an effort-driven task needs remaining_effort"
            )
        )
    return problems


def check_progress(scenario: Scenario, progress: Progress, as_of: dt.date, file: str) -> None:
    """Raise :class:`ScenarioError` with every problem of ``progress``, if any."""
    problems = progress_problems(scenario, progress, as_of, file)
    if problems:
        raise ScenarioError(problems)
