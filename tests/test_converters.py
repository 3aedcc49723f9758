"""Converters from benchmark formats (PSPLIB, MSPSP, iMOPSE, MISTA 2013) to scenarios."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from allocator.io.checks import find_problems, find_warnings
from benchmarks.convert import (
    FAMILIES,
    benchmarks_root,
    imopse,
    list_instances,
    load_scenario,
    mista,
    mspsp,
    psplib,
)
from models import ObjectiveTerm, Plan, Scenario, SolverSettings

DATA = Path(__file__).resolve().parent / "data" / "benchmarks"
J30 = DATA / "psplib" / "j301_1.sm"
MSPSP = DATA / "mspsp" / "inst_set1a_sf0.5_nc2.1_n20_m10_01.dzn"
IMOPSE = DATA / "imopse" / "100_5_22_15.def"
MISTA = DATA / "mista" / "A-1.txt"
START = psplib.PLAN_START

needs_shared = pytest.mark.skipif(
    not benchmarks_root().is_dir(), reason="public benchmark instances not available"
)


def tasks_by_id(scenario: Scenario) -> dict:
    return {task.id: task for _, task in scenario.tasks()}


def after(task) -> set[str]:
    return {dependency.task for dependency in task.after}


# ---------------------------------------------------------------------------- PSPLIB


def test_psplib_counts_and_fields():
    scenario = psplib.load_psplib_scenario(J30)
    tasks = tasks_by_id(scenario)
    assert len(scenario.projects) == 1 and len(tasks) == 31  # 30 jobs + the dummy sink
    assert [(r.id, r.capacity, r.kind) for r in scenario.resources] == [
        ("R1", 12, "renewable"),
        ("R2", 13, "renewable"),
        ("R3", 4, "renewable"),
        ("R4", 12, "renewable"),
    ]
    assert tasks["j2"].duration == 8 and tasks["j2"].resources == {"R1": 4}
    assert after(tasks["j2"]) == set() and "j1" not in tasks  # the dummy source is left out
    assert tasks["j32"].duration == 0 and after(tasks["j32"]) == {"j29", "j30", "j31"}
    assert tasks["j6"].team is not None and tasks["j6"].team.max == 0
    # The window ends at a serial schedule's makespan (optimum 43), not the file's horizon 158.
    assert scenario.end == START + dt.timedelta(days=49) and psplib.read_psplib(J30).upper_bound() == 158
    assert scenario.calendar.working_weekdays == (0, 1, 2, 3, 4, 5, 6)
    assert scenario.objective.stages == ({ObjectiveTerm.MAKESPAN: 1},)


def test_psplib_critical_path_bound_of_j301_1():
    # Critical chain 1-3-8-12-14-17-22-23-24-30-32: 0+4+9+2+3+6+7+2+3+2+0 = 38,
    # the MPM-Time the file's PROJECT INFORMATION states.
    instance = psplib.read_psplib(J30)
    assert psplib.critical_path_lower_bound(instance) == 38


def test_longest_path_rejects_cycles():
    with pytest.raises(ValueError, match="cycle"):
        psplib.longest_path({1: 1, 2: 1}, {1: [2], 2: [1]})


def test_psplib_multi_mode_file_keeps_modes_and_nonrenewables():
    instance = psplib.read_psplib(DATA / "mista" / "j10.mm" / "j1011_7.mm")
    scenario = psplib.to_scenario(instance)
    tasks = tasks_by_id(scenario)
    assert [m.name for m in tasks["j2"].modes] == ["m1", "m2", "m3"]
    assert tasks["j2"].modes[1].duration == 5 and tasks["j2"].modes[1].resources == {"R2": 6, "N1": 3}
    assert {r.id: r.kind for r in scenario.resources}["N2"] == "consumable"


# ---------------------------------------------------------------------------- MSPSP


def test_mspsp_counts_and_fields():
    instance = mspsp.read_mspsp(MSPSP)
    scenario = mspsp.to_scenario(instance)
    tasks = tasks_by_id(scenario)
    assert len(tasks) == 21 and len(scenario.people) == 10 and instance.skills == 4
    a2 = tasks["a2"]
    assert a2.duration == 1 and a2.vendor == "never" and a2.allocations == (100,)
    assert [(r.skill, r.level, r.people) for r in a2.requires] == [("s2", 1, 1), ("s3", 1, 2)]
    assert a2.team is not None and (a2.team.min, a2.team.max) == (3, 3)
    assert "a1" not in tasks  # the dummy source is left out
    assert after(tasks["a22"]) == {"a19", "a20", "a21"}
    assert scenario.people[0].skills == {"s3": 1, "s4": 1}
    assert instance.min_makespan == 36 and instance.max_makespan is None  # maxt is commented out
    assert mspsp.critical_path_lower_bound(instance) == 36
    # The window ends at a serial schedule's makespan, below all activities in series.
    assert scenario.end == START + dt.timedelta(days=99) and instance.upper_bound() == sum(instance.durations)


def test_dzn_array2d_form_and_comments_read_like_bar_form():
    text = """
    nActs = 3; dur = [0, 2, 0];   % a comment; with = signs
    nSkills = 2;
    sreq = array2d(1..3, 1..2, [0, 0, 1, 2, 0, 0]);
    nResources = 2;
    mastery = [| true, false | false, true |];
    nPrecs = 2; pred = [1, 2]; succ = [2, 3];
    """
    instance = mspsp.parse_mspsp(text, name="tiny")
    assert instance.skill_requirements == ((0, 0), (1, 2), (0, 0))
    assert instance.mastery == ((True, False), (False, True))
    assert instance.precedences == ((1, 2), (2, 3))
    assert mspsp.critical_path_lower_bound(instance) == 2


def test_dzn_wrong_shape_is_a_value_error():
    with pytest.raises(ValueError, match="sreq"):
        mspsp.parse_mspsp("nActs=2; dur=[0,0]; nSkills=1; sreq=[|0|]; nResources=0; nPrecs=0;")


# ---------------------------------------------------------------------------- iMOPSE


def test_imopse_counts_and_fields():
    instance = imopse.read_imopse(IMOPSE)
    scenario = imopse.to_scenario(instance)
    tasks = tasks_by_id(scenario)
    assert len(tasks) == 100 and len(scenario.people) == 5
    person = scenario.person_index()["r2"]
    # file: "2  51.2  Q3: 2  Q12: 2  Q5: 0 ..."; levels shift up by one
    assert person.cost_per_day == pytest.approx(51.2)
    assert person.skills["Q3"] == 3 and person.skills["Q5"] == 1
    t1 = tasks["t1"]  # file: "1  30  Q3: 2"
    assert t1.duration == 30 and [(r.skill, r.level, r.people) for r in t1.requires] == [("Q3", 3, 1)]
    assert t1.team is not None and (t1.team.min, t1.team.max) == (1, 1)
    assert after(tasks["t97"]) == {"t55"}
    assert imopse.critical_path_lower_bound(instance) == 78  # computed_lb_critical_path in best_known.csv
    assert scenario.end == START + dt.timedelta(days=508)  # a serial schedule; all in series: 2419
    assert scenario.objective.stages == ({ObjectiveTerm.MAKESPAN: 1},)


def test_imopse_objective_choices():
    instance = imopse.read_imopse(IMOPSE)
    cost_first = imopse.to_scenario(instance, objective="cost-makespan", cost_scale=10)
    assert cost_first.objective.stages == ({ObjectiveTerm.STAFF_COST: 1}, {ObjectiveTerm.MAKESPAN: 1})
    assert cost_first.person_index()["r2"].cost_per_day == pytest.approx(512.0)


# ---------------------------------------------------------------------------- MISTA 2013


def test_mista_a1_projects_resources_and_deadlines():
    instance = mista.read_mista(MISTA)
    scenario = mista.to_scenario(instance)
    assert [p.id for p in scenario.projects] == ["p1", "p2"]
    # jobs column of best_known.csv, less each project's dummy source
    assert sum(len(p.tasks) for p in scenario.projects) == 24 - 2
    kinds = {r.id: (r.kind, r.capacity) for r in scenario.resources}
    assert kinds["R1"] == ("renewable", 16)  # global: "16 -1 -1 -1"
    assert kinds["p1-R2"] == ("renewable", 13) and kinds["p2-R2"] == ("renewable", 24)
    assert kinds["p1-N1"] == ("consumable", 44) and kinds["p2-N2"] == ("consumable", 56)
    p2 = scenario.projects[1]  # release 4, CPD 19
    assert p2.earliest_start == START + dt.timedelta(days=4)
    assert p2.deadline == START + dt.timedelta(days=4 + 19 - 1) and p2.deadline_type == "soft"
    task = tasks_by_id(scenario)["p2-j3"]
    assert len(task.modes) == 3 and task.modes[0].resources == {"R1": 6, "p2-R2": 4, "p2-N2": 7}
    (stage,) = scenario.objective.stages  # delay first, then makespan, in one weighted stage
    assert stage == {ObjectiveTerm.LATENESS: instance.upper_bound() + 2, ObjectiveTerm.MAKESPAN: 1}
    # lexicographic: one day of delay outweighs any makespan a plan within the horizon has
    assert stage[ObjectiveTerm.LATENESS] > (scenario.end - scenario.start).days + 1


def test_mista_critical_path_durations_match_the_file():
    instance = mista.read_mista(MISTA)
    for project in instance.projects:
        assert psplib.critical_path_lower_bound(project.jobs) == project.critical_path_duration


def test_mista_scores_are_delay_and_makespan_from_min_release():
    instance = mista.read_mista(MISTA)  # releases 0 and 4, CPD 10 and 19
    assert mista.scores(instance, {"p1": 12, "p2": 23}) == (2 + 0, 23)


def test_mista_missing_project_file_is_reported(tmp_path):
    (tmp_path / "A-x.txt").write_text("1\n0\n10\nmissing.mm\n4\n1 -1 -1 -1\n")
    with pytest.raises(OSError):
        mista.read_mista(tmp_path / "A-x.txt")


# ---------------------------------------------------------------------------- malformed input

J30_TEXT = J30.read_text()


@st.composite
def garbled(draw: st.DrawFn, text: str) -> str:
    """The text cut short, with a span replaced by random characters, or with a line dropped."""
    how = draw(st.sampled_from(["truncate", "replace", "drop_line"]))
    if how == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if how == "drop_line":
        lines = text.splitlines()
        gone = draw(st.integers(0, len(lines) - 1))
        return "\n".join(lines[:gone] + lines[gone + 1 :])
    at = draw(st.integers(0, len(text) - 1))
    span = draw(st.integers(1, 20))
    noise = draw(st.text(alphabet="0123456789-: *\nRNx.", max_size=20))
    return text[:at] + noise + text[at + span :]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=garbled(J30_TEXT))
def test_sm_parser_raises_only_value_error(text):
    try:
        scenario = psplib.to_scenario(psplib.parse_psplib(text, name="garbled"))
    except ValueError:
        return
    assert scenario.projects  # a harmless change (e.g. inside a comment) still converts


@settings(max_examples=150, deadline=None)
@given(text=garbled(MSPSP.read_text()))
def test_dzn_parser_raises_only_value_error(text):
    with contextlib.suppress(ValueError):
        mspsp.to_scenario(mspsp.parse_mspsp(text))


@settings(max_examples=150, deadline=None)
@given(text=garbled(IMOPSE.read_text()))
def test_def_parser_raises_only_value_error(text):
    with contextlib.suppress(ValueError):
        imopse.to_scenario(imopse.parse_imopse(text))


@pytest.mark.parametrize("path", [J30, MSPSP, IMOPSE, MISTA], ids=lambda path: path.parent.name)
def test_converted_fixtures_pass_the_scenario_checks(path):
    scenario = load_scenario(path.parent.name, path)  # fixture folders are named after the families
    assert find_problems(scenario, path.name) == []
    assert find_warnings(scenario) == []


# ---------------------------------------------------------------------------- registry


def test_unknown_family_is_a_value_error():
    with pytest.raises(ValueError, match="unknown benchmark family"):
        list_instances("nope")
    with pytest.raises(ValueError, match="unknown benchmark family"):
        load_scenario("nope", J30)


@needs_shared
def test_registry_lists_instances_with_best_known_values():
    j30 = list_instances("psplib", subset="j30")
    assert len(j30) == 480 and all(entry.optimal for entry in j30)
    first = j30[0]
    assert (first.name, first.best_known, first.path.name) == ("j301_1", 43, "j301_1.sm")
    assert len(list_instances("mspsp")) == 326
    assert list_instances("imopse")[0].best_known is None
    assert [entry.best_known for entry in list_instances("mista")][:3] == [1, 2, 0]


@pytest.mark.slow
@needs_shared
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_public_instance_converts(family):
    # Conversion speed is measured by `python -m benchmarks convert-speed`, not asserted here.
    for entry in list_instances(family):
        scenario = entry.load()
        assert find_problems(scenario, entry.path.name) == [], entry.name


# ---------------------------------------------------------------------------- solving


def solve_within(scenario: Scenario, seconds: float) -> Plan:
    """The verified plan the product's solver finds within ``seconds`` (skip when there is no solver)."""
    if importlib.util.find_spec("allocator.search.solve") is None:
        pytest.skip("the solver module is not available")
    from allocator.search.solve import solve_scenario

    limited = scenario.model_copy(update={"solver": SolverSettings(time_limit=seconds, workers=8, seed=0)})
    result = solve_scenario(limited)
    assert result.plan is not None, result.reasons
    assert result.plan.check is not None and result.plan.check.ok
    return result.plan


def finish_indices(scenario: Scenario, plan: Plan) -> dict[str, int]:
    """Half-open finish index of every task (every day is a working day)."""
    return {task.task: (task.start - scenario.start).days + task.working_days for task in plan.tasks}


@pytest.mark.slow
def test_j301_1_solves_to_its_known_optimum():
    scenario = psplib.load_psplib_scenario(J30)
    plan = solve_within(scenario, 10.0)
    assert max(finish_indices(scenario, plan).values()) == 43  # proven optimum (PSPLIB j30opt.sm)


@pytest.mark.slow
def test_mista_a1_lateness_is_the_total_project_delay():
    instance = mista.read_mista(MISTA)
    scenario = mista.to_scenario(instance)
    plan = solve_within(scenario, 10.0)
    tpd, tms = mista.scores(instance, mista.project_finishes(scenario, finish_indices(scenario, plan)))
    assert tpd == sum(project.late_days for project in plan.projects)
    assert tpd == 1  # the organisers' best TPD for A-1 (best_known.csv)
    assert tms == max(finish_indices(scenario, plan).values())  # min release is 0
