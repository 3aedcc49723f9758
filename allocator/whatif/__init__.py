"""What-if analysis: variants of a scenario, solved in parallel and compared side by side.

A variant is a base scenario plus named, typed changes (:mod:`models.whatif`), read
from a file (:func:`load_variant`) or from the command line
(:func:`~allocator.whatif.quick.parse_quick_variant`). :func:`solve_all` solves the
base and the variants; :func:`compare_plans` puts the plans side by side.
"""

from allocator.whatif.changes import ChangeProblem, apply_change
from allocator.whatif.compare import Comparison, column, compare_plans
from allocator.whatif.describe import describe_change
from allocator.whatif.executors import DaskExecutor, JobOutcome, LocalExecutor, SolveJob, run_job
from allocator.whatif.quick import QuickChangeError, parse_quick_change, parse_quick_variant
from allocator.whatif.runner import RunSettings, solve_all
from allocator.whatif.variants import Variant, apply_changes, load_variant, quick_variant

__all__ = [
    "ChangeProblem",
    "Comparison",
    "DaskExecutor",
    "JobOutcome",
    "LocalExecutor",
    "QuickChangeError",
    "RunSettings",
    "SolveJob",
    "Variant",
    "apply_change",
    "apply_changes",
    "column",
    "compare_plans",
    "describe_change",
    "load_variant",
    "parse_quick_change",
    "parse_quick_variant",
    "quick_variant",
    "run_job",
    "solve_all",
]
