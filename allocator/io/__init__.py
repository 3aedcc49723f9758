"""Files <-> models: scenarios (YAML files, folders of tables), plan JSON files, safe writes.

Every problem found in the input is reported at once, as :class:`InputProblem` items of a
single :class:`ScenarioError`; bad input never escapes as another exception.
"""

from allocator.io.atomic import atomic_write_bytes, atomic_write_text
from allocator.io.errors import InputProblem, ScenarioError, did_you_mean
from allocator.io.load import load_scenario
from allocator.io.plan_json import PlanFileError, load_plan, plan_json, save_plan
from allocator.io.schema import canonical_json, scenario_hash, scenario_json_schema
from allocator.io.yaml_io import save_scenario_yaml, scenario_to_data, scenario_to_yaml

__all__ = [
    "InputProblem",
    "PlanFileError",
    "ScenarioError",
    "atomic_write_bytes",
    "atomic_write_text",
    "canonical_json",
    "did_you_mean",
    "load_plan",
    "load_scenario",
    "plan_json",
    "save_plan",
    "save_scenario_yaml",
    "scenario_hash",
    "scenario_json_schema",
    "scenario_to_data",
    "scenario_to_yaml",
]
