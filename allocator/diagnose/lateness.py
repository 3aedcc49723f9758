"""Why each late project is late, with every stated cause verified by relaxing it.

For a late project of a plan, :func:`explain_lateness` reads the chain that sets its
finish (:mod:`allocator.diagnose.chain`) and derives candidate causes from it: the skill
a task waits for, leave of the people on the chain, a dependency on another project, a
vendor's lead time. Each candidate is a *relaxation* of the scenario (an extra person
with that skill in that window, the leave cancelled, the dependency removed, the lead
time zero). The project is then re-planned twice by CP-SAT with every other project held
exactly as planned (:func:`allocator.search.restrict.restrict`): once as it is (the
control) and once relaxed. A cause is kept only when the relaxed re-plan finishes the
project earlier than the control, and ``days_earlier`` is that difference; the relaxed
plan is checked by the independent checker. Nothing is guessed: a cause that does not
move the project is not printed.
"""

from __future__ import annotations

import functools
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from allocator.checker import check_plan
from allocator.cpsat.formulation.model import build_formulation
from allocator.cpsat.formulation.objectives import stage_expression
from allocator.cpsat.solution import apply_hint, extract_schedule
from allocator.cpsat.solver import complete_hint
from allocator.diagnose.chain import (
    Step,
    day_range,
    leave_in,
    names,
    project_late,
    short_date,
    skills_text,
    trace_chain,
    waits_for,
)
from allocator.io.schema import scenario_hash
from allocator.plan.assemble import assemble_plan, schedule_from_plan, tighten
from allocator.problem.compile import compile_problem
from allocator.problem.schedule import TaskChoice
from allocator.search.restrict import restrict, same_candidates
from models import Cause, ChainStep, Explanation, Person

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from allocator.problem.data import Problem
    from allocator.problem.schedule import Schedule
    from models import Plan, ProjectBound, Scenario, Task

#: Late projects explained at most (the most weighted-late first).
MAX_PROJECTS = 10
#: Candidate causes tested per project at most.
MAX_CANDIDATES = 8
#: Seconds one re-plan of a project may take at most.
REPLAN_SECONDS = 2.0
#: Capacity causes (skill sets) tested per project at most, the longest waits first.
MAX_CAPACITY = 4
#: The control re-plan gets this many times the time of one relaxed re-plan.
CONTROL_SHARE = 2.0
#: Id of the extra person a capacity relaxation adds.
EXTRA_PERSON = "extra-capacity"


@dataclass(frozen=True)
class Relaxation:
    """A candidate cause and the scenario edit that relaxes it."""

    cause: Cause  #: ``days_earlier``/``late_days_relaxed`` filled once measured
    apply: Callable[[Scenario], Scenario]


@dataclass(frozen=True)
class Replan:
    """The project re-planned with everything else held: its late days, and whether proven."""

    late: int
    proven: bool
    schedule: Schedule
    sub: Problem  #: the restricted problem it solved


def explain_plan(
    scenario: Scenario, plan: Plan, time_limit: float = 30.0, seed: int = 0, workers: int = 1
) -> list[Explanation]:
    """An explanation for each late project of a saved ``plan`` of ``scenario``.

    Parameters
    ----------
    scenario
        The scenario ``plan`` was made for.
    plan
        A verified plan (its solver section gives the proven bounds, where it has them).
    time_limit
        Seconds for all the re-plans together.
    seed
        Random seed of the re-plans.
    workers
        Relaxations tested side by side.

    Returns
    -------
    list of Explanation
        The most weighted-late project first; empty when no project is late.
    """
    problem = compile_problem(scenario)
    schedule = schedule_from_plan(problem, plan)
    if any(tid not in schedule for tid in problem.tasks):
        return []
    bounds = {b.project: b for b in (plan.solver.project_bounds if plan.solver else ())}
    return explain_lateness(problem, schedule, bounds, time.monotonic() + time_limit, seed, workers=workers)


def explain_lateness(
    problem: Problem,
    schedule: Schedule,
    bounds: dict[str, ProjectBound],
    deadline: float,
    seed: int = 0,
    accept: Callable[[Schedule], Schedule | None] | None = None,
    workers: int = 1,
    causes: bool = True,
) -> list[Explanation]:
    """An explanation for each late project of ``schedule`` (the most weighted-late first).

    With ``accept``, each late project is first re-planned alone with everything else
    held (:func:`improve_late_projects`): a re-plan that finishes it earlier is offered to
    ``accept`` (which checks it and returns the schedule it keeps, or ``None``), and the
    projects are then explained on the plan that results. Without, the explanation states the
    re-planned late days beside the plan's.

    Parameters
    ----------
    problem, schedule
        The compiled scenario and the plan's decisions on its timeline.
    bounds
        Proven per-project bounds (:mod:`allocator.bounds`), by project id.
    deadline
        ``time.monotonic()`` by which every re-plan must be done; projects left then get
        their chain and no tested causes.
    seed
        Random seed of the re-plans.
    accept
        Called with a better schedule found by a control re-plan; returns the schedule kept.
    workers
        Relaxations tested side by side.
    causes
        Whether to explain at all (``False``: only improve, with ``accept``).
    """
    controls: dict[str, Replan] = {}
    if accept is not None:
        schedule, controls = improve_late_projects(problem, schedule, deadline, seed, accept)
    if not causes:
        return []
    explanations = []
    for pid in _late_order(problem, schedule):
        explainer = _Explainer(problem, schedule, pid, seed, deadline, workers)
        explanations.append(explainer.explain(bounds.get(pid), controls.get(pid) or explainer.control()))
    return explanations + explain_deferred(problem, schedule, deadline, seed)


def explain_deferred(
    problem: Problem, schedule: Schedule, deadline: float, seed: int = 0
) -> list[Explanation]:
    """Why each deferred candidate project is left out: the project planned by CP-SAT with
    every other task held as planned, what it would then finish and what its lateness
    would weigh against the value deferring it gives up."""
    explanations = []
    for pid, project in problem.projects.items():
        if not project.candidate or any(schedule[t].present for t in project.tasks):
            continue
        if time.monotonic() >= deadline - 0.2:
            break
        explanations.append(_Deferred(problem, schedule, pid, seed, deadline).explain())
    return explanations


def improve_late_projects(
    problem: Problem,
    schedule: Schedule,
    deadline: float,
    seed: int,
    accept: Callable[[Schedule], Schedule | None],
) -> tuple[Schedule, dict[str, Replan]]:
    """Re-plan each late project alone, everything else held; offer each re-plan that
    finishes it earlier to ``accept``, which checks it and returns the schedule it keeps.

    Returns the schedule kept at the end, and the re-plans (controls) that still hold for
    it: those made after the last change, by project.
    """
    controls: dict[str, Replan] = {}
    for pid in _late_order(problem, schedule):
        explainer = _Explainer(problem, schedule, pid, seed, deadline)
        control = explainer.control()
        kept = accept(control.schedule) if control is not None and control.late < explainer.late else None
        if kept is not None:
            schedule, controls = kept, {}
        elif control is not None:
            controls[pid] = control
    return schedule, controls


def _late_order(problem: Problem, schedule: Schedule) -> list[str]:
    """Late projects, the most weighted-late first, at most :data:`MAX_PROJECTS`."""
    late = {pid: project_late(problem, schedule, pid) for pid in problem.projects}
    order = sorted(
        (pid for pid, days in late.items() if days > 0),
        key=lambda p: (-problem.projects[p].priority * late[p], p),
    )
    return order[:MAX_PROJECTS]


class _Explainer:
    """Explains one late project: its chain, its candidate causes and their tests."""

    def __init__(
        self, problem: Problem, schedule: Schedule, project: str, seed: int, deadline: float, workers: int = 1
    ) -> None:
        self.problem = problem
        self.workers = workers
        self.schedule = schedule
        self.project = project
        self.seed = seed
        self.deadline = deadline
        self.steps = trace_chain(problem, schedule, project)

    @functools.cached_property
    def plan(self) -> Plan:
        """The schedule as a dated plan, to read it onto each relaxed problem's timeline."""
        return assemble_plan(self.problem, self.schedule, "")

    @property
    def late(self) -> int:
        """The project's late days in the schedule explained."""
        return project_late(self.problem, self.schedule, self.project)

    def explain(self, bound: ProjectBound | None, control: Replan | None) -> Explanation:
        """The explanation, with the causes tested against ``control`` (none without it)."""
        problem, project = self.problem, self.problem.projects[self.project]
        timeline = problem.timeline
        end = max(s.end for s in self.steps)
        assert project.soft_end is not None
        late = self.late
        chain = tuple(chain_step(problem, self.schedule, step) for step in self.steps)
        causes = self._causes(control) if control is not None and control.proven else []
        forced = min(late, bound.late_days) if bound is not None else 0
        explanation = Explanation(
            project=self.project,
            finish=timeline.date(end - 1),
            deadline=_deadline(problem, self.project),
            late_days=late,
            forced_days=forced,
            forced_reason=bound.reason if bound is not None and forced else "",
            replanned_late_days=None if control is None else control.late,
            chain=chain,
            causes=tuple(sorted(causes, key=lambda c: (-c.days_earlier, c.kind, c.text))),
        )
        return explanation.model_copy(update={"summary": summary(explanation)})

    # ---------------------------------------------------------------- the chain

    # ---------------------------------------------------------------- candidates

    def _candidates(self) -> list[Relaxation]:
        found: list[Relaxation] = []
        found += self._capacity_candidates()
        found += self._dependency_candidates()
        found += self._leave_candidates()
        found += self._vendor_candidates()
        return found[:MAX_CANDIDATES]

    def _window(self) -> tuple[int, int]:
        """From the earliest the chain may start to the project's planned finish."""
        return min(s.floor for s in self.steps), max(s.end for s in self.steps)

    def _capacity_candidates(self) -> list[Relaxation]:
        """An extra person with the skills a chain task needs, from when it could start."""
        problem, scenario = self.problem, self.problem.scenario
        waiting = sorted(self.steps, key=lambda s: (-s.waits, -(s.end - s.start)))
        seen: set[tuple[tuple[str, int], ...]] = set()
        found = []
        for step in waiting:
            mode = problem.tasks[step.task].modes[self.schedule[step.task].mode]
            skills = tuple(sorted((r.skill, r.level) for r in mode.requirements))
            if not skills or skills in seen or (step.waits == 0 and not mode.is_effort):
                continue
            seen.add(skills)
            first = problem.timeline.date(step.floor)
            last = problem.timeline.date(max(s.end for s in self.steps) - 1)
            rate = _rate(scenario, [p for p in mode.people])
            need = skills_text(mode)
            if step.waits:
                text = f"{_task_name(scenario, step.task)} {waits_for(problem, self.schedule, step)}"
            else:
                text = (
                    f"{_task_name(scenario, step.task)} ({need}, {step.end - step.start} working days) "
                    f"is as fast as the {need} people free for it allow"
                )
            cause = Cause(
                kind="capacity",
                text=text,
                relaxation=f"one more {need} person {day_range(first, last)}",
                days_earlier=1,
                late_days_relaxed=0,
                skills=dict(skills),
                start=first,
                end=last,
            )
            person = Person(
                id=EXTRA_PERSON,
                name=f"extra {need}",
                skills=dict(skills),
                cost_per_day=rate,
                start=first,
                end=last,
            )
            found.append(Relaxation(cause, _adding(person)))
        return found[:MAX_CAPACITY]

    def _dependency_candidates(self) -> list[Relaxation]:
        """A dependency on another project's task that the chain follows."""
        problem, scenario = self.problem, self.problem.scenario
        found = []
        for step in self.steps:
            dep = step.after
            if dep is None or problem.tasks[dep.pred].project == self.project:
                continue
            pred = self.schedule[dep.pred]
            other = problem.tasks[dep.pred].project
            done = short_date(problem.timeline.date(max(pred.start, pred.end - 1)))
            task, before = _task_name(scenario, step.task), _task_name(scenario, dep.pred)
            cause = Cause(
                kind="dependency",
                text=f"{task} waits for {other}'s {before} (done {done})",
                relaxation=f"{task} without waiting for {before}",
                days_earlier=1,
                late_days_relaxed=0,
                predecessor=dep.pred,
            )
            found.append(Relaxation(cause, _without_dependency(dep.pred, dep.succ)))
        return found

    def _leave_candidates(self) -> list[Relaxation]:
        """Leave, inside the chain's window, of the people on the chain."""
        problem, scenario = self.problem, self.problem.scenario
        low, high = self._window()
        first, last = problem.timeline.date(low), problem.timeline.date(high - 1)
        people = {p.id: p for p in scenario.people}
        found = []
        on_chain = dict.fromkeys(pid for s in self.steps for pid in self.schedule[s.task].people)
        for pid in on_chain:
            person = people.get(pid)
            if person is None:
                continue
            leave = [off for off in person.time_off if off.start <= last and off.end >= first]
            if not leave:
                continue
            spans = ", ".join(day_range(off.start, off.end) for off in leave)
            cause = Cause(
                kind="leave",
                text=leave_in(scenario, [pid], (low, high), problem)[0],
                relaxation=f"{names(scenario, [pid])} not on leave {spans}",
                days_earlier=1,
                late_days_relaxed=0,
                person=pid,
                start=first,
                end=last,
            )
            found.append(Relaxation(cause, _without_leave(pid, first, last)))
        return found[:2]

    def _vendor_candidates(self) -> list[Relaxation]:
        """Vendors who could work on the chain but are not engaged yet when it could start."""
        problem, scenario = self.problem, self.problem.scenario
        found = []
        seen: set[str] = set()
        for step in self.steps:
            for mode in problem.tasks[step.task].modes:
                for vid in mode.vendors:
                    vendor = problem.vendors[vid]
                    if vid in seen or vendor.lead_day <= step.floor:
                        continue
                    seen.add(vid)
                    spec = next(v for v in scenario.vendors if v.id == vid)
                    cause = Cause(
                        kind="vendor-lead",
                        text=f"{spec.name or vid} engages only from "
                        f"{short_date(problem.timeline.date(min(vendor.lead_day, problem.horizon - 1)))} "
                        f"(lead time {spec.lead_time_days} working days)",
                        relaxation=f"{spec.name or vid} engaged without lead time",
                        days_earlier=1,
                        late_days_relaxed=0,
                        vendor=vid,
                    )
                    found.append(Relaxation(cause, _without_lead_time(vid)))
        return found[:1]

    # ---------------------------------------------------------------- tests

    def _causes(self, control: Replan) -> list[Cause]:
        """Each candidate tested, ``workers`` at a time (CP-SAT runs outside the interpreter lock)."""

        def test(relaxation: Relaxation) -> Cause | None:
            return self._test(relaxation, control) if self._time_left() else None

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            measured = list(pool.map(test, self._candidates()))
        return [cause for cause in measured if cause is not None]

    def _test(self, relaxation: Relaxation, control: Replan) -> Cause | None:
        """The cause with its effect measured, or ``None`` when relaxing it moves nothing."""
        relaxed_scenario = relaxation.apply(self.problem.scenario)
        relaxed = compile_problem(relaxed_scenario, self.problem.timeline.last)
        schedule = schedule_from_plan(relaxed, self.plan)
        sub = same_candidates(
            restrict(relaxed, schedule, self._free(relaxed, schedule), prune=False), control.sub
        )
        result = self._solve(relaxed, sub, control.schedule)
        if result is None or result.late >= control.late:
            return None
        tighten(relaxed, result.schedule)
        plan = assemble_plan(relaxed, result.schedule, scenario_hash(relaxed_scenario))
        if not check_plan(relaxed_scenario, plan).ok:
            return None
        return relaxation.cause.model_copy(
            update={
                "days_earlier": control.late - result.late,
                "late_days_relaxed": result.late,
                "proven": True,
            }
        )

    def control(self) -> Replan | None:
        """The project re-planned as it is, every other task held: what a relaxation is
        measured against (``None`` when out of time)."""
        if not self._time_left():
            return None
        sub = restrict(self.problem, self.schedule, self._free(self.problem, self.schedule))
        return self._solve(self.problem, sub, self.schedule, CONTROL_SHARE * REPLAN_SECONDS)

    def _free(self, problem: Problem, schedule: Schedule) -> set[str]:
        """The project's tasks and the chain's tasks in other projects (so that a cause
        upstream, in the project it waits for, can move the chain)."""
        own = {t for t in problem.projects[self.project].tasks if schedule[t].present}
        return (own | {s.task for s in self.steps}) - problem.frozen

    def _solve(
        self, problem: Problem, sub: Problem, schedule: Schedule, seconds: float = REPLAN_SECONDS
    ) -> Replan | None:
        """Re-plan the free tasks of ``sub`` by CP-SAT, starting from ``schedule``."""
        limit = max(0.1, min(seconds, self.deadline - time.monotonic()))
        solved = minimise_first_stage(problem, sub, schedule, limit, self.seed, hint=True)
        if solved is None:
            return None
        merged, proven = solved
        return Replan(project_late(problem, merged, self.project), proven, merged, sub)

    def _time_left(self) -> bool:
        return time.monotonic() < self.deadline - 0.2


class _Deferred:
    """A deferred candidate planned alone, everything else held."""

    def __init__(
        self, problem: Problem, schedule: Schedule, project: str, seed: int, deadline: float
    ) -> None:
        self.problem, self.schedule, self.project = problem, schedule, project
        self.seed, self.deadline = seed, deadline

    def explain(self) -> Explanation:
        problem, project = self.problem, self.problem.projects[self.project]
        committed = _committed(self.project)(problem.scenario)
        relaxed = compile_problem(committed, problem.timeline.last)
        free = set(relaxed.projects[self.project].tasks)
        schedule = dict(self.schedule)
        for tid in free:
            schedule[tid] = TaskChoice(task=tid, present=False, start=relaxed.tasks[tid].earliest)
        merged = self._solve(relaxed, restrict(relaxed, schedule, free), schedule)
        deadline = _deadline(problem, self.project)
        value = f" Deferring it gives up a value of {project.value}." if project.value else ""
        if merged is None:
            return Explanation(
                project=self.project,
                deferred=True,
                finish=None,
                deadline=deadline,
                late_days=0,
                forced_reason=value,
            )
        steps = trace_chain(relaxed, merged, self.project)
        chain = tuple(chain_step(relaxed, merged, s) for s in steps)
        late = project_late(relaxed, merged, self.project)
        weighed = (
            f" Its lateness would weigh {late * project.priority} (priority {project.priority})."
            if late
            else ""
        )
        end = max(s.end for s in steps)
        explanation = Explanation(
            project=self.project,
            deferred=True,
            finish=problem.timeline.date(end - 1),
            deadline=deadline,
            late_days=late,
            chain=chain,
            forced_reason=(weighed + value).strip(),
        )
        return explanation.model_copy(update={"summary": summary(explanation)})

    def _solve(self, problem: Problem, sub: Problem, schedule: Schedule) -> Schedule | None:
        """Plan the project's tasks from nothing (they are not in the plan to start from)."""
        limit = max(0.1, min(CONTROL_SHARE * REPLAN_SECONDS, self.deadline - time.monotonic()))
        solved = minimise_first_stage(problem, sub, schedule, limit, self.seed, hint=False)
        return None if solved is None else solved[0]


def minimise_first_stage(
    problem: Problem, sub: Problem, schedule: Schedule, seconds: float, seed: int, *, hint: bool
) -> tuple[Schedule, bool] | None:
    """The free tasks of the restricted ``sub`` re-planned for the scenario's first stage,
    merged into ``schedule``, and whether that is proven optimal; ``None`` when no plan is
    found. With ``hint`` the search starts from ``schedule`` (completed first). One worker,
    no probing and one presolve pass: these models are small, and probing them costs more
    than their search."""
    formulation = build_formulation(sub)
    if hint:
        apply_hint(formulation, schedule)
        if complete_hint(formulation, seconds) is None:
            return None
    formulation.model.minimize(stage_expression(problem.scenario.objective.stages[0], formulation.terms))
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = seconds
    params.num_workers = 1
    params.random_seed = seed
    params.catch_sigint_signal = False
    params.symmetry_level = 0
    params.cp_model_probing_level = 0
    params.max_presolve_iterations = 1
    status = solver.solve(formulation.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    part = extract_schedule(solver, formulation)
    return {tid: part.get(tid) or choice for tid, choice in schedule.items()}, status == cp_model.OPTIMAL


# ------------------------------------------------------------------------ chain steps


def chain_step(problem: Problem, schedule: Schedule, step: Step) -> ChainStep:
    """One step of a chain as the explanation states it: dates, skills, team, what it waits for."""
    choice = schedule[step.task]
    task = problem.tasks[step.task]
    mode = task.modes[choice.mode]
    spec = _task_spec(problem.scenario, step.task)
    working = step.end - step.start
    return ChainStep(
        task=step.task,
        project=task.project,
        name=spec.name if spec is not None else "",
        start=problem.timeline.date(step.start if working else max(0, step.start - 1)),
        finish=problem.timeline.date(max(step.start, step.end - 1) if working else max(0, step.start - 1)),
        working_days=working,
        skills=skills_text(mode),
        people=(*choice.people, *choice.vendors),
        after=step.after.pred if step.after is not None else None,
        waits=step.waits,
        ready=problem.timeline.date(step.floor) if step.waits else None,
        waits_for=waits_for(problem, schedule, step),
    )


# ------------------------------------------------------------------------ relaxations


def _committed(pid: str) -> Callable[[Scenario], Scenario]:
    def apply(scenario: Scenario) -> Scenario:
        projects = tuple(
            p.model_copy(update={"status": "committed"}) if p.id == pid else p for p in scenario.projects
        )
        return scenario.model_copy(update={"projects": projects})

    return apply


def _adding(person: Person) -> Callable[[Scenario], Scenario]:
    def apply(scenario: Scenario) -> Scenario:
        return scenario.model_copy(update={"people": (*scenario.people, person)})

    return apply


def _without_dependency(pred: str, succ: str) -> Callable[[Scenario], Scenario]:
    def apply(scenario: Scenario) -> Scenario:
        projects = []
        for project in scenario.projects:
            tasks = tuple(
                t.model_copy(update={"after": tuple(d for d in t.after if d.task != pred)})
                if t.id == succ
                else t
                for t in project.tasks
            )
            projects.append(project.model_copy(update={"tasks": tasks}))
        return scenario.model_copy(update={"projects": tuple(projects)})

    return apply


def _without_leave(pid: str, first: dt.date, last: dt.date) -> Callable[[Scenario], Scenario]:
    def apply(scenario: Scenario) -> Scenario:
        people = tuple(
            p.model_copy(update={"time_off": tuple(o for o in p.time_off if o.end < first or o.start > last)})
            if p.id == pid
            else p
            for p in scenario.people
        )
        return scenario.model_copy(update={"people": people})

    return apply


def _without_lead_time(vid: str) -> Callable[[Scenario], Scenario]:
    def apply(scenario: Scenario) -> Scenario:
        vendors = tuple(
            v.model_copy(update={"lead_time_days": 0}) if v.id == vid else v for v in scenario.vendors
        )
        return scenario.model_copy(update={"vendors": vendors})

    return apply


# ------------------------------------------------------------------------ helpers


def _task_spec(scenario: Scenario, tid: str) -> Task | None:
    return next((task for _, task in scenario.tasks() if task.id == tid), None)


def _task_name(scenario: Scenario, tid: str) -> str:
    spec = _task_spec(scenario, tid)
    return spec.name if spec is not None and spec.name else tid


def _rate(scenario: Scenario, people: list[str]) -> float:
    """The median day rate of ``people``, or of everybody when none is given."""
    rates = [p.cost_per_day for p in scenario.people if (p.id in people or not people) and p.cost_per_day]
    return statistics.median(rates) if rates else 0.0


def summary(explanation: Explanation) -> str:
    """The explanation in a few sentences, real names and dates."""
    e = explanation
    if e.deferred:
        return _deferred_summary(e)
    assert e.finish is not None and e.deadline is not None
    text = (
        f"{e.project} finishes {short_date(e.finish)}, {_days(e.late_days)} after its "
        f"{short_date(e.deadline)} deadline."
    )
    if e.forced_days:
        text += (
            f" At least {e.forced_days} of these {e.late_days} days are forced by its chain alone, "
            "with the people the scenario has."
        )
    waits = [s for s in e.chain if s.waits_for]
    if waits:
        step = max(waits, key=lambda s: s.waits)
        owner = "Its" if step.project == e.project else f"{step.project}'s"
        text += (
            f" {owner} {step.name or step.task} ({step.skills}, {step.working_days} days) {step.waits_for}."
        )
    if e.replanned_late_days is not None and e.replanned_late_days < e.late_days:
        text += (
            f" Re-planned alone, with the other projects held as planned, it can be {e.replanned_late_days} "
            "days late."
        )
    for cause in e.causes:
        text += (
            f" Verified: {cause.text}; relaxed ({cause.relaxation}), it finishes "
            f"{_days(cause.days_earlier)} earlier."
        )
    if not e.causes and e.replanned_late_days is not None:
        text += " No single cause tested moves it earlier with the other projects held as planned."
    return text


def _deferred_summary(e: Explanation) -> str:
    text = f"{e.project} is deferred."
    if e.finish is None:
        return text + " It cannot be planned with the other projects held as planned."
    text += f" Planned with every other project held as planned, it would finish {short_date(e.finish)}"
    if e.deadline is not None:
        text += (
            f", {_days(e.late_days)} after its {short_date(e.deadline)} deadline"
            if e.late_days
            else f", within its {short_date(e.deadline)} deadline"
        )
    text += "."
    waits = [s for s in e.chain if s.waits_for]
    if waits:
        step = max(waits, key=lambda s: s.waits)
        text += f" Its {step.name or step.task} ({step.skills}, {step.working_days} days) {step.waits_for}."
    return text + (" " + e.forced_reason if e.forced_reason else "")


def _days(count: int) -> str:
    return f"{count} working day" if count == 1 else f"{count} working days"


def _deadline(problem: Problem, pid: str) -> dt.date | None:
    """The project's deadline as the scenario gives it (it may fall on a holiday: the
    timeline's last day before it is what the model holds it to); else the model's."""
    given = next((p.deadline for p in problem.scenario.projects if p.id == pid), None)
    if given is not None:
        return given
    soft_end = problem.projects[pid].soft_end
    return None if soft_end is None else problem.timeline.date(soft_end - 1)
