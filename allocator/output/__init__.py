"""Output of plans: plan files, pandas tables and CSV, and terminal summaries."""

from allocator.output.plan_io import PlanFileError, load_plan, plan_json, save_plan
from allocator.output.tabular import (
    ASSIGNMENT_COLUMNS,
    PROJECT_COLUMNS,
    assignments_csv,
    assignments_frame,
    loads_frame,
    projects_frame,
)
from allocator.output.terminal import SolveProgress, render_check, render_plan, solver_line

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "PROJECT_COLUMNS",
    "PlanFileError",
    "SolveProgress",
    "assignments_csv",
    "assignments_frame",
    "load_plan",
    "loads_frame",
    "plan_json",
    "projects_frame",
    "render_check",
    "render_plan",
    "save_plan",
    "solver_line",
]
