"""Variant files: extends chains, the bundled examples, and bad files -> exit 2 with clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from allocator.app.cli import main
from allocator.whatif import load_variant

DATA = Path(__file__).parent / "data" / "whatif"
BAD = DATA / "bad"
EXAMPLES = Path(__file__).parent.parent / "scenarios" / "whatif"


def test_variant_of_a_variant_inherits_changes():
    variant = load_variant(DATA / "rehire.yaml")
    assert variant.name == "leaver-replaced"
    assert variant.changes[0] == "bo leaves from 2027-01-11" and variant.changes[1].startswith("hire cy")
    assert {"ana", "bo", "cy"} == set(variant.scenario.person_index())


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_examples_load(path):
    variant = load_variant(path)
    assert variant.changes and variant.description


@pytest.mark.parametrize(
    ("name", "needles"),
    [
        ("unknown-base.yaml", ["field 'extends'", "no such file '../bsae.yaml'", "did you mean 'base.yaml'"]),
        (
            "unknown-ids.yaml",
            [
                "changes[0] (effort) field 'task': unknown task 'a2'",
                "changes[1] (remove-person) field 'person': unknown person 'anna' (did you mean 'ana'?)",
                "changes[2] (priority) field 'project': unknown project 'alpah' (did you mean 'alpha'?)",
            ],
        ),
        (
            "unknown-type.yaml",
            [
                "changes[0] field 'type': unknown change type 'efort' (did you mean 'effort'?)",
                "changes[1] (effort)",
            ],
        ),
        ("cycle-a.yaml", ["extends forms a cycle: cycle-a.yaml -> cycle-b.yaml -> cycle-a.yaml"]),
    ],
)
def test_bad_variant_files_exit_2_with_clear_messages(name, needles):
    result = CliRunner().invoke(main, ["compare", str(DATA / "base.yaml"), str(BAD / name)])
    assert result.exit_code == 2
    for needle in needles:
        assert needle in result.output
    assert str(BAD / name) in result.output


def test_bad_quick_change_exits_2():
    result = CliRunner().invoke(main, ["compare", str(DATA / "base.yaml"), "--change", "effort a11 x1.2"])
    assert result.exit_code == 2
    assert (
        "--change: changes[0] (effort) field 'task': unknown task 'a11' (did you mean 'a1'?)" in result.output
    )


def test_compare_needs_a_variant():
    result = CliRunner().invoke(main, ["compare", str(DATA / "base.yaml")])
    assert result.exit_code == 2


def test_sweep_without_placeholder_exits_2():
    result = CliRunner().invoke(
        main, ["sweep", str(DATA / "base.yaml"), "--change", "vendor acme headcount=1", "--values", "0..2"]
    )
    assert result.exit_code == 2 and "{}" in result.output
