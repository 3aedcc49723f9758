"""The table of contents of the CP-SAT formulation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from allocator.cpsat.formulation import capacity, cliques, money, stability, staffing, timing
from allocator.cpsat.formulation.objectives import build_term
from allocator.cpsat.formulation.variables import Variables, build_variables
from models import ObjectiveTerm

if TYPE_CHECKING:
    from allocator.problem.data import Problem


@dataclass
class Formulation:
    """A built CP-SAT model with its variables and objective terms."""

    model: cp_model.CpModel
    variables: Variables
    terms: dict[ObjectiveTerm, cp_model.LinearExprT]


def build_formulation(problem: Problem, *, pooled: bool = False, every_union: bool = True) -> Formulation:
    """Build variables, every constraint family in order, and the objective terms in use.

    ``pooled`` builds the pooled relaxation of :mod:`allocator.search.literature.pooled` instead: ``problem``
    has no one on any mode, so the team rules are left out and only the skill pools stand
    for the people, with ``every_union`` of them (else the full model's unions).
    """
    model = cp_model.CpModel()
    model.name = problem.scenario.name
    variables = build_variables(model, problem)
    stages = problem.scenario.objective.stages
    used = sorted({term for stage in stages for term in stage}, key=lambda t: t.value)
    # The makespan comes first: the capacity constraints keep every resource free after it.
    early = {t: build_term(t, model, problem, variables) for t in used if t == ObjectiveTerm.MAKESPAN}
    tail = capacity.makespan_tail(model, problem, early.get(ObjectiveTerm.MAKESPAN))
    timing.add_mode_choice(model, variables)
    timing.add_durations(model, variables)
    timing.add_dependencies(model, problem, variables)
    if not pooled:
        staffing.add_team_rules(model, variables)
        staffing.add_pins(model, variables)
        staffing.add_presence_and_employment(model, problem, variables)
        staffing.add_effort(model, problem, variables)
        staffing.add_overtime_caps(model, problem, variables)
    capacity.add_person_capacity(model, problem, variables, tail)
    capacity.add_vendor_capacity(model, problem, variables)
    capacity.add_shared_resources(model, problem, variables, tail)
    capacity.add_skill_pool_bounds(model, problem, variables, tail, every_union=pooled and every_union)
    cliques.add_conflict_cliques(model, problem, variables)
    money.add_vendor_terms(model, problem, variables)
    money.add_budgets(model, problem, variables)
    stability.add_freeze(model, problem, variables)
    terms = {t: early[t] if t in early else build_term(t, model, problem, variables) for t in used}
    return Formulation(model=model, variables=variables, terms=terms)
