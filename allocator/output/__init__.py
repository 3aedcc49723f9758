"""Output of plans: pandas tables and CSV, and terminal summaries (plan files: :mod:`allocator.io`)."""

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
    "SolveProgress",
    "assignments_csv",
    "assignments_frame",
    "loads_frame",
    "projects_frame",
    "render_check",
    "render_plan",
    "solver_line",
]
