"""The after-makespan interval: redundant in every capacity constraint, never cutting a plan.

Also the search settings of pure resource-scheduling models.

When the makespan is minimised, the days from the makespan to the horizon take each
resource's whole capacity (``allocator.cpsat.formulation.capacity.makespan_tail``). It must
change no optimum, only how fast bounds rise; the tests compare optima with and without
it on random resource-scheduling problems and on a hand-checked one.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from solver_helpers import first_stage_optimum, person, project, scenario, task

from allocator.cpsat.formulation import capacity
from allocator.cpsat.formulation.model import build_formulation
from allocator.cpsat.solver import GENERIC_SUBSOLVERS, RESOURCE_SCHEDULING_WORKER, make_solver
from allocator.problem.compile import compile_problem
from benchmarks.convert.psplib import EVERY_DAY, MAKESPAN_OBJECTIVE, PLAN_START, day
from models import (
    Dependency,
    ObjectiveConfig,
    ObjectiveTerm,
    Project,
    Scenario,
    SharedResource,
    Task,
    TeamSize,
)

RESOURCE = SharedResource(id="crane", capacity=3, kind="renewable")


def _task(tid: str, duration: int, demand: int, after: tuple[str, ...] = ()) -> Task:
    return Task(
        id=tid,
        duration=duration,
        team=TeamSize(min=0, max=0),
        vendor="never",
        resources={"crane": demand} if demand else {},
        after=tuple(Dependency(task=p) for p in after),
    )


def _scenario(tasks: tuple[Task, ...], objective: ObjectiveConfig = MAKESPAN_OBJECTIVE) -> Scenario:
    horizon = sum(t.duration or 0 for t in tasks) + 1
    return Scenario(
        name="tail",
        start=PLAN_START,
        end=day(PLAN_START, horizon),
        calendar=EVERY_DAY,
        allocations=(100,),
        resources=(RESOURCE,),
        projects=(Project(id="p", tasks=tasks),),
        objective=objective,
    )


def _optimum(scenario: Scenario) -> tuple[int, int]:
    """(optimal makespan, cumulative constraints holding the tail interval), one worker."""
    optimum, model = first_stage_optimum(scenario)
    proto = model.proto
    names = {i: c.name for i, c in enumerate(proto.constraints)}
    holding = sum(
        any(names[i] == "after_makespan" for i in c.cumulative.intervals)
        for c in proto.constraints
        if c.has_cumulative()
    )
    return optimum, holding


def test_hand_checked_optimum_is_kept() -> None:
    """Three demand-2 tasks on a capacity-3 crane run one after another: 2 + 3 + 4 = 9 days;
    a demand-1 task of 9 days fits beside them. The tail sits in the crane's cumulative."""
    tasks = (_task("a", 2, 2), _task("b", 3, 2), _task("c", 4, 2), _task("d", 9, 1))
    assert _optimum(_scenario(tasks)) == (9, 1)


def test_no_tail_without_a_makespan_objective() -> None:
    """Other objectives leave the capacity constraints as they are."""
    tasks = (_task("a", 2, 2), _task("b", 3, 2))
    finish = ObjectiveConfig(stages=({ObjectiveTerm.FINISH: 1},))
    assert _optimum(_scenario(tasks, finish))[1] == 0


@st.composite
def _networks(draw: st.DrawFn) -> tuple[Task, ...]:
    """Up to 7 tasks, each after some earlier ones, demanding 0-3 of the crane."""
    count = draw(st.integers(2, 7))
    tasks = []
    for index in range(count):
        earlier = [f"t{k}" for k in range(index)]
        after = tuple(draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2))) if earlier else ()
        tasks.append(_task(f"t{index}", draw(st.integers(1, 5)), draw(st.integers(0, 3)), after))
    return tuple(tasks)


@settings(max_examples=40, deadline=None)
@given(_networks())
def test_tail_never_changes_the_optimum(tasks: tuple[Task, ...]) -> None:
    """Random precedence networks: the optimum with the tail equals the one without it."""
    scenario = _scenario(tasks)
    with_tail, holding = _optimum(scenario)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(capacity, "makespan_tail", lambda *_: None)
        without, none = _optimum(scenario)
    assert (with_tail, none) == (without, 0)
    assert holding == (1 if any(t.resources for t in tasks) else 0)


@pytest.mark.parametrize(
    ("workers", "full"), [(1, [RESOURCE_SCHEDULING_WORKER]), (2, [RESOURCE_SCHEDULING_WORKER]), (8, [])]
)
def test_resource_scheduling_keeps_only_scheduling_neighbourhoods(workers: int, full: list[str]) -> None:
    """The makespan of a model without people or vendors leaves CP-SAT's generic
    neighbourhoods out and, with one full search worker, runs it without the LP; another
    objective, or a model with people, keeps CP-SAT's own choice."""
    tasks = (_task("a", 2, 2), _task("b", 3, 2))
    makespan = _scenario(tasks)
    finish = _scenario(tasks, ObjectiveConfig(stages=({ObjectiveTerm.FINISH: 1},)))
    staffed = scenario(project("p", task("t")), people=(person("ann"),), objective=MAKESPAN_OBJECTIVE)
    chosen = []
    for the_scenario in (makespan, finish, staffed):
        formulation = build_formulation(compile_problem(the_scenario))
        solver = make_solver(formulation, 1.0, workers, 0, log=False)  # the parameters live in the solver
        chosen.append((set(solver.parameters.ignore_subsolvers), list(solver.parameters.subsolvers)))
    assert chosen == [(set(GENERIC_SUBSOLVERS), full), (set(), []), (set(), [])]
