"""The chain that sets a project's finish in a plan, and what each of its tasks waits for.

From the project's last task back along the predecessor that allows its start latest:
each step says which task it follows and how many working days it waits beyond what
its predecessors allow (a wait is a resource fact: the people who could do it are booked
elsewhere, on leave, or a vendor is not engaged yet). These are facts of the plan, read
from its schedule; whether a fact *causes* the lateness is tested elsewhere
(:mod:`allocator.diagnose.lateness`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from allocator.problem.data import Dep, ModeData, Problem
    from allocator.problem.schedule import Schedule, TaskChoice
    from models import Person, Scenario

#: The chain is cut to this many tasks, the latest ones kept.
MAX_CHAIN = 12
#: Eligible people named at most when saying who a task waits for.
MAX_NAMED = 3


@dataclass(frozen=True)
class Step:
    """One task of the chain on the problem's timeline (``end`` exclusive)."""

    task: str
    start: int
    end: int
    floor: int  #: the earliest start its predecessors and its own earliest start allow
    after: Dep | None  #: the dependency that sets ``floor`` (``None``: the task's earliest start)

    @property
    def waits(self) -> int:
        """Working days the task starts after ``floor``."""
        return max(0, self.start - self.floor)


def project_end(problem: Problem, schedule: Schedule, project: str) -> int | None:
    """One past the last timeline day of the project's planned tasks (``None``: none planned)."""
    ends = [schedule[t].end for t in problem.projects[project].tasks if t in schedule and schedule[t].present]
    return max(ends) if ends else None


def project_late(problem: Problem, schedule: Schedule, project: str) -> int:
    """Working days the project ends past its soft deadline in ``schedule``."""
    end = project_end(problem, schedule, project)
    deadline = problem.projects[project].soft_end
    return 0 if end is None or deadline is None else max(0, end - deadline)


def trace_chain(problem: Problem, schedule: Schedule, project: str, limit: int = MAX_CHAIN) -> list[Step]:
    """The chain of tasks that sets ``project``'s finish, first task first (at most ``limit``, the latest)."""
    planned = [t for t in problem.projects[project].tasks if t in schedule and schedule[t].present]
    if not planned:
        return []
    current: str | None = max(planned, key=lambda t: (schedule[t].end, schedule[t].start))
    steps: list[Step] = []
    seen: set[str] = set()
    while current is not None and current not in seen and len(steps) < limit:
        seen.add(current)
        step = _step(problem, schedule, current)
        steps.append(step)
        current = step.after.pred if step.after is not None else None
    return steps[::-1]


def _step(problem: Problem, schedule: Schedule, tid: str) -> Step:
    choice = schedule[tid]
    floor, after = problem.tasks[tid].earliest, None
    for dep in problem.preds(tid):
        pred = schedule.get(dep.pred)
        if pred is None or not pred.present:
            continue
        value = _start_floor(dep, pred, choice)
        if value > floor or (value == floor and after is None and value > 0):
            floor, after = value, dep
    return Step(task=tid, start=choice.start, end=choice.end, floor=min(floor, choice.start), after=after)


def _start_floor(dep: Dep, pred: TaskChoice, choice: TaskChoice) -> int:
    """The earliest start ``dep`` allows its successor (end-type dependencies through its length)."""
    length = choice.end - choice.start
    if dep.kind == "FS":
        return pred.end + dep.lag
    if dep.kind == "SS":
        return pred.start + dep.lag
    if dep.kind == "FF":
        return pred.end + dep.lag - length
    return pred.start + dep.lag - length


# --------------------------------------------------------------------------- in words


def short_date(day: dt.date) -> str:
    """``17 Mar``, the way a plan's dates are spoken."""
    return f"{day.day} {day:%b}"


def day_range(first: dt.date, last: dt.date) -> str:
    """``1-5 Mar`` or ``28 Feb-3 Mar``."""
    if first == last:
        return short_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{short_date(last)}"
    return f"{short_date(first)}-{short_date(last)}"


def skills_text(mode: ModeData) -> str:
    """What a mode requires, e.g. ``qa L3`` or ``backend L3 + qa L2``."""
    parts = [f"{r.skill} L{r.level}" + (f" x{r.people}" if r.people > 1 else "") for r in mode.requirements]
    return " + ".join(parts) if parts else "anyone"


def names(scenario: Scenario, ids: list[str]) -> str:
    """People's names (ids where they have none), joined in words."""
    people = {p.id: p for p in scenario.people}
    vendors = {v.id: v for v in scenario.vendors}
    spoken = [_name(people.get(i)) or (vendors[i].name or i if i in vendors else i) for i in ids]
    if len(spoken) <= 1:
        return "".join(spoken)
    return ", ".join(spoken[:-1]) + " and " + spoken[-1]


def _name(person: Person | None) -> str:
    return "" if person is None else person.name or person.id


def bookings(
    problem: Problem, schedule: Schedule, people: list[str], window: tuple[int, int], project: str
) -> list[tuple[str, int]]:
    """Other projects that book ``people`` inside ``window``, with the last day they do."""
    low, high = window
    until: dict[str, int] = {}
    for tid, choice in schedule.items():
        if not choice.present or choice.start >= high or choice.end <= low:
            continue
        other = problem.tasks[tid].project
        if other != project and any(p in choice.people for p in people):
            until[other] = max(until.get(other, 0), choice.end)
    return sorted(until.items(), key=lambda item: -item[1])


def waits_for(problem: Problem, schedule: Schedule, step: Step) -> str:
    """Why a task waits, in words: who could do it and where they are booked."""
    if step.waits == 0:
        return ""
    choice = schedule[step.task]
    task = problem.tasks[step.task]
    mode = task.modes[choice.mode]
    scenario = problem.scenario
    timeline = problem.timeline
    need = skills_text(mode)
    eligible = list(mode.people)
    window = (step.floor, step.start)
    booked = bookings(problem, schedule, eligible, window, task.project)
    if len(eligible) == 1:
        who = f"the only {need} person, {names(scenario, eligible)}, is"
    elif len(eligible) <= MAX_NAMED:
        who = f"the only {len(eligible)} {need} people ({names(scenario, eligible)}) are"
    else:
        who = f"the {len(eligible)} {need} people are"
    text = f"waits {step.waits} working days for {need}"
    if booked:
        on = ", ".join(
            f"{problem.projects[pid].id} until {short_date(timeline.date(end - 1))}"
            for pid, end in booked[:2]
        )
        text += f": {who} booked on {on}"
    away = leave_in(scenario, eligible if len(eligible) <= MAX_NAMED else [], window, problem)
    if away:
        text += ("; " if booked else ": ") + "; ".join(away)
    return text


def leave_in(scenario: Scenario, people: list[str], window: tuple[int, int], problem: Problem) -> list[str]:
    """``Jo is on leave 1-5 Mar`` for each of ``people`` with leave inside ``window``."""
    first = problem.timeline.date(window[0])
    last = problem.timeline.date(max(window[0], window[1] - 1))
    by_id = {p.id: p for p in scenario.people}
    found = []
    for pid in people:
        person = by_id.get(pid)
        spans = [o for o in person.time_off if o.start <= last and o.end >= first] if person else []
        if spans:
            when = ", ".join(day_range(o.start, o.end) for o in spans)
            found.append(f"{names(scenario, [pid])} is on leave {when}")
    return found
