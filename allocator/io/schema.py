"""Scenario identity (a content hash) and the JSON Schema of the scenario format."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from models import Scenario
from models.calendar import DEFAULT_HOURS_PER_WEEK

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def canonical_json(scenario: Scenario) -> str:
    """The scenario as JSON with sorted keys and no spacing: equal scenarios give equal text.

    The uncertainty of the work (task ``estimate`` fields and the ``risk`` section) is
    left out: it changes no planning rule, so a plan stays the plan of its scenario when
    estimates and risk events are added to it, and files without them hash as before.
    Overtime fields are left out while unset (and the contract week at its default), so
    scenarios written before overtime existed hash as they did.

    Parameters
    ----------
    scenario
        The scenario to serialise.
    """
    data = scenario.model_dump(mode="json", exclude={"risk"})
    for project in data["projects"]:
        for task in project["tasks"]:
            task.pop("estimate", None)
    _drop_unset_overtime(data)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _drop_unset_overtime(data: dict[str, Any]) -> None:
    """Remove the overtime fields a scenario does not use from its JSON data."""
    if data.get("overtime_policy") is None:
        data.pop("overtime_policy", None)
    if data["calendar"].get("hours_per_week") == DEFAULT_HOURS_PER_WEEK:
        data["calendar"].pop("hours_per_week")
    for person in data["people"]:
        if person.get("overtime") is None:
            person.pop("overtime", None)


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 (hex) of the canonical JSON of a scenario.

    The hash depends on the scenario's content only, not on the file it came from:
    comments, key order, short forms and the YAML or folder layout do not change it.

    Parameters
    ----------
    scenario
        The scenario to identify.
    """
    return hashlib.sha256(canonical_json(scenario).encode("utf-8")).hexdigest()


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema of the scenario format, for editor completion and validation.

    Returns
    -------
    dict
        The schema of :class:`models.Scenario` with ``$schema`` and a title.
    """
    schema = Scenario.model_json_schema()
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "allocator scenario",
        "description": "People, vendors, shared resources and projects to plan over a window.",
        **{key: value for key, value in schema.items() if key not in {"title", "description"}},
    }
