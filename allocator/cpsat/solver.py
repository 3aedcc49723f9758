"""CP-SAT plumbing of a solve: parameters, status mapping, complete hints, the incumbent callback."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from models import ObjectiveTerm, SolverStatus

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from allocator.cpsat.formulation.model import Formulation

#: Above this many assignment intervals presolve probing costs more than it gives (it
#: took whole stages on a 90-task portfolio); below, it strengthens multi-skill models.
#: The lateness stages of such models also search without CP-SAT's linear relaxation: its
#: cuts on the windows of effort-driven work took the time of the search (the bundled
#: quarter at 20 s: 100-150 weighted late days without it, 250-290 with; BENCHMARKS.md).
LARGE_MODEL_INTERVALS = 400
#: Subsolvers left out when the makespan of a model without people or vendors is
#: minimised (pure resource scheduling, as PSPLIB): with few workers CP-SAT interleaves
#: its neighbourhood searches on one of them, and these generic ones take turns from the
#: scheduling neighbourhoods (time windows, resource windows, kept precedences) that
#: shorten such plans. Other objectives keep them: on multi-project lateness (MISTA)
#: they helped. Measured in BENCHMARKS.md.
GENERIC_SUBSOLVERS = (
    "feasibility_pump",
    "graph_arc_lns",
    "graph_cst_lns",
    "graph_dec_lns",
    "graph_var_lns",
    "ls",
    "rins/rens",
    "rnd_cst_lns",
    "rnd_var_lns",
)
#: The full search worker of pure resource scheduling when CP-SAT has at most two
#: workers: the linear relaxation of such models is empty (precedences and cumulatives
#: are propagated, not linearised), so the default worker's LP only costs time. Without
#: it, ten hard j120 instances at 10 s went from 7.9 % to 7.2 % above the best known
#: makespan (three seeds) and more of the hardest j30 instances were proven optimal.
RESOURCE_SCHEDULING_WORKER = "no_lp"


class Incumbents(cp_model.CpSolverSolutionCallback):
    """Reports each new incumbent and remembers when the first arrived."""

    def __init__(self, report: Callable[[float, float], None]) -> None:
        super().__init__()
        self._report = report
        self.first_at: float | None = None

    def on_solution_callback(self) -> None:
        if self.first_at is None:
            self.first_at = self.wall_time
        self._report(self.objective_value, self.best_objective_bound)


def complete_hint(formulation: Formulation, budget: float) -> list[int] | None:
    """Extend the hint of the decisions to every variable of the model.

    CP-SAT repairs a partial hint poorly on larger models: the derived variables
    (worked days, delivered effort, lateness, costs) are left for it to find. Solving
    once with the decisions fixed to the hint fills them in within a fraction of a
    second, and the complete hint is then the search's first solution. Returns the
    full assignment, or ``None`` when the hinted decisions break a rule of the model.
    """
    solver = solve_with_hint_fixed(formulation.model, budget)
    if solver is None:
        return None
    values = list(solver.response_proto.solution)
    hint_values(formulation.model, values)
    return values


def solve_with_hint_fixed(
    model: cp_model.CpModel, budget: float, workers: int = 1
) -> cp_model.CpSolver | None:
    """Solve ``model`` with every hinted variable held at its hint; the solver, or ``None``
    when no solution is found within ``budget`` seconds."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.max_time_in_seconds = budget
    solver.parameters.num_workers = workers
    solver.parameters.catch_sigint_signal = False
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver


def hint_values(model: cp_model.CpModel, values: list[int]) -> None:
    """Hint every variable of ``model`` with ``values`` (a full assignment, by index)."""
    model.clear_hints()
    for index, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(index), value)


def make_solver(
    formulation: Formulation,
    budget: float,
    workers: int,
    seed: int,
    log: bool,
    stage: Collection[ObjectiveTerm] = (),
) -> cp_model.CpSolver:
    """A solver with the product's parameters for a stage of ``budget`` seconds minimising ``stage``."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.05, budget)
    params.num_workers = workers
    params.random_seed = seed
    params.log_search_progress = log
    params.log_to_stdout = log  # the command line sends stdout to stderr while it solves
    params.symmetry_level = 0
    params.max_presolve_iterations = 1
    params.catch_sigint_signal = False  # Ctrl-C is handled by SolveControl, in any thread
    if workers == 1:
        params.interleave_search = False
    intervals = sum(
        len(m.people) + len(m.vendors) for t in formulation.variables.tasks.values() for m in t.modes
    )
    if intervals > LARGE_MODEL_INTERVALS:
        params.cp_model_probing_level = 0
        if ObjectiveTerm.LATENESS in stage:
            params.linearization_level = 0
    if intervals == 0 and set(formulation.terms) == {ObjectiveTerm.MAKESPAN}:
        params.ignore_subsolvers.extend(GENERIC_SUBSOLVERS)
        if workers <= 2:
            params.subsolvers.append(RESOURCE_SCHEDULING_WORKER)
    return solver


def integral_bound(solver: cp_model.CpSolver) -> float:
    """CP-SAT's objective bound rounded up to the integer it stands for.

    Objectives are integral, but the bound comes in floating point (7,499,999.999999999
    for 7,500,000), which would leave a plan that reaches it unproven. Infinite bounds
    (nothing known) are returned as they are.
    """
    bound = solver.best_objective_bound
    return math.ceil(bound - 1e-6) if math.isfinite(bound) else bound


def to_status(code: cp_model.CpSolverStatus) -> SolverStatus:
    """CP-SAT's status in the product's words."""
    statuses: dict[cp_model.CpSolverStatus, SolverStatus] = {
        cp_model.OPTIMAL: SolverStatus.OPTIMAL,
        cp_model.FEASIBLE: SolverStatus.FEASIBLE,
        cp_model.INFEASIBLE: SolverStatus.INFEASIBLE,
        cp_model.MODEL_INVALID: SolverStatus.INVALID,
    }
    return statuses.get(code, SolverStatus.UNKNOWN)
