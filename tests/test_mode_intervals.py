"""Bookings on fixed-duration modes have a constant size; on effort-driven ones a variable size.

A fixed size lets CP-SAT's no-overlap and cumulative reasoning count a booking's energy
while the team is open. The tests read the sizes from the CP model and check, on a
hand-checked case with modes and people, that the optimum is unchanged.
"""

from __future__ import annotations

from solver_helpers import first_stage_optimum, person, project, scenario, solve, stages, task

from allocator.cpsat.formulation.model import build_formulation
from allocator.problem.compile import compile_problem
from models import Mode, ObjectiveTerm, Requirement, Scenario, Task


def _two_ways(tid: str) -> Task:
    """Fast: 2 days with both developers; slow: 3 days with one."""
    return task(
        tid,
        modes=(
            Mode(name="fast", duration=2, requires=(Requirement(skill="dev", people=2),)),
            Mode(name="slow", duration=3, requires=(Requirement(skill="dev", people=1),)),
        ),
    )


def _portfolio(*tasks: Task) -> Scenario:
    return scenario(
        project("p", *tasks),
        people=(person("ann"), person("bob")),
        allocations=(100,),  # everyone on one task at a time
        objective=stages(ObjectiveTerm.MAKESPAN),
    )


def _interval_sizes(the_scenario: Scenario) -> dict[str, tuple[bool, int]]:
    """Each interval's name -> (size is a constant, its constant)."""
    proto = build_formulation(compile_problem(the_scenario)).model.proto
    sizes = {}
    for constraint in proto.constraints:
        if constraint.has_interval():
            size = constraint.interval.size
            sizes[constraint.name] = (not size.vars, size.offset)
    return sizes


def test_bookings_on_fixed_duration_modes_have_constant_sizes() -> None:
    sizes = _interval_sizes(_portfolio(_two_ways("build"), task("review", effort=4)))
    bookings = {name: size for name, size in sizes.items() if name.startswith("booking[build,")}
    assert len(bookings) == 4  # two people, two modes
    for name, (constant, value) in bookings.items():
        assert constant, name
        assert value == (2 if ",fast," in name else 3), name
    effort_driven = {name: size for name, size in sizes.items() if name.startswith("booking[review,")}
    assert len(effort_driven) == 2
    assert not any(constant for constant, _ in effort_driven.values())


def test_hand_checked_optimum_with_modes_and_people() -> None:
    """Three tasks, two developers: two slow tasks side by side (3 days), then one fast
    task with both (2 days) make 5 days; every other choice takes 6."""
    the_scenario = _portfolio(_two_ways("a"), _two_ways("b"), _two_ways("c"))
    optimum, _ = first_stage_optimum(the_scenario)
    assert optimum == 5
    result = solve(the_scenario)
    assert result.plan is not None
    modes = sorted(tp.mode for tp in result.plan.tasks)
    assert modes == ["fast", "slow", "slow"]
