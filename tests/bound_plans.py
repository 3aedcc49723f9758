"""Plans whose solver facts carry proven bounds, for the report and comparison tests.

The chain scenario: build (5 days) -> api (5 days) by Ana, then test (3 days) by Bo, from
Monday 4 January 2027, due Monday 18 January (10 working days). 13 working days of chained
work end on Wednesday 20 January at the earliest: crm is late at least 2 working days in
every plan (priority 2: 4 weighted late days, the proven optimum).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from models import Dependency, ObjectiveTerm, Plan, Scenario, SolverStatus
from models.plan import StageResult
from tests.solver_helpers import person, planned, project, scenario, solve, stages, task

DEADLINE = dt.date(2027, 1, 18)
EARLIEST_FINISH = dt.date(2027, 1, 20)
REASON = (
    "its chain build → api → test starts 04 Jan and needs 13 working days even with the fastest "
    "team the skills allow, so it finishes 20 Jan at the earliest"
)


def chain_scenario(**ana: Any) -> Scenario:
    """Three chained tasks (5 + 5 + 3 days) due after 10 working days; ``ana`` are fields
    of Ana (leave, say)."""
    return scenario(
        project(
            "crm",
            task("build", effort=5, requires=("backend",)),
            task("api", effort=5, requires=("backend",), after=(Dependency(task="build"),)),
            task("test", effort=3, requires=("qa",), after=(Dependency(task="api"),)),
            deadline=DEADLINE,
            priority=2,
        ),
        people=(person("ana", "backend:3", **ana), person("bo", "qa:3")),
        objective=stages((ObjectiveTerm.LATENESS, ObjectiveTerm.DEFERRAL), ObjectiveTerm.COST),
    )


def chain_plan() -> tuple[Scenario, Plan]:
    """The chain scenario and its proven-optimal, verified plan."""
    the_scenario = chain_scenario()
    return the_scenario, planned(solve(the_scenario))


def without_bound(plan: Plan) -> Plan:
    """``plan`` as if its first stage had stopped with no bound known: objective 4, bound 0,
    and the gap of 100 % an old plan file would carry."""
    assert plan.solver is not None
    first = StageResult(
        terms={"lateness": 1, "deferral": 1},
        objective=4,
        bound=0,
        status=SolverStatus.FEASIBLE,
        wall_time=1.5,
    )
    solver = plan.solver.model_copy(
        update={
            "status": SolverStatus.FEASIBLE,
            "stages": (first, *plan.solver.stages[1:]),
            "best_bound": 0.0,
            "gap": 1.0,
        }
    )
    return plan.model_copy(update={"solver": solver})
