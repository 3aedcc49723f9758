"""Remedies (allocator advise): levers from verified causes, solved as what-if variants.

The release of tests/test_explain_lateness.py: Jo, the only tester, is away in week 2,
so UAT runs in week 3 and the release is 5 working days late. The remedy a reader
expects: hire a qa L3 person for the window; at Jo's rate (500 a day) for the 10
weekdays 11-22 Jan it costs 5,000 and brings the release in on time.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from allocator.advise.render import advice_json, write_variants
from allocator.advise.run import advise
from allocator.app.cli import main
from allocator.io import save_scenario_yaml
from allocator.whatif.variants import load_variant
from models import Scenario
from tests.solver_helpers import assert_verified, planned, solve
from tests.test_explain_lateness import release


def priced_release() -> Scenario:
    the_scenario = release()
    people = tuple(p.model_copy(update={"cost_per_day": 500.0}) for p in the_scenario.people)
    return the_scenario.model_copy(update={"people": people})


def test_a_hire_for_the_window_brings_the_release_in(tmp_path: Path) -> None:
    the_scenario = priced_release()
    advice = advise(the_scenario, time_limit=30, workers=1)
    assert advice.late_projects == ("release",) and advice.base_late_days == 5
    hire = next(r for r in advice.remedies if r.levers[0].kind == "hire")
    assert hire.name == "hire one qa L3 person 11 Jan-22 Jan"
    assert hire.late_days_saved == 5 and hire.projects_on_time == ("release",)
    assert hire.money == 5000.0 and hire.effort_days == 10
    assert hire.verified and hire.plan is not None
    assert hire.assured_days == 5 and not hire.within_gap  # the control is the proven base
    fallback = next(r for r in advice.remedies if r.levers[0].kind == "deadline")
    assert fallback.name == "agree release's deadline at 22 Jan" and fallback.late_days_saved == 5
    assert advice.remedies.index(hire) < advice.remedies.index(fallback)  # scope and dates come last
    assert_verified(load_variant_scenario(the_scenario, hire, tmp_path), hire.plan)
    data = json.loads(advice_json(advice, top=5))
    assert data["remedies"][0]["late_days_saved"] == 5
    assert data["explanations"][0]["project"] == "release"


def load_variant_scenario(the_scenario: Scenario, remedy: object, folder: Path) -> Scenario:
    """The written variant file, read back: it must reproduce the remedy's scenario."""
    base = folder / "release.yaml"
    save_scenario_yaml(the_scenario, base)
    advice = advise(the_scenario, time_limit=20, workers=1)
    paths = write_variants(advice, folder / "remedies", base, top=1)
    spec = yaml.safe_load(paths[0].read_text(encoding="utf-8"))
    assert spec["extends"] == "../release.yaml"
    variant = load_variant(paths[0])
    plan = planned(solve(variant.scenario, time_limit=10))
    assert plan.kpis.projects_late == 0  # solved again from the file alone: the saving holds
    out = folder / "remedy-plan.json"
    solved = CliRunner().invoke(main, ["solve", str(paths[0]), "-o", str(out), "--time-limit", "10", "-q"])
    assert solved.exit_code == 0, solved.output  # `allocator solve` takes the variant file itself
    assert json.loads(out.read_text(encoding="utf-8"))["kpis"]["projects_late"] == 0
    return variant.scenario


def test_nothing_late_says_so_and_exits_0(tmp_path: Path) -> None:
    the_scenario = priced_release()
    jo = the_scenario.people[1].model_copy(update={"time_off": ()})
    on_time = the_scenario.model_copy(update={"people": (the_scenario.people[0], jo)})
    path = tmp_path / "on-time.yaml"
    save_scenario_yaml(on_time, path)
    result = CliRunner().invoke(main, ["advise", str(path), "--time-limit", "10", "-q"])
    assert result.exit_code == 0, result.output
    assert "nothing is late" in result.output


def test_bad_input_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "release.yaml"
    save_scenario_yaml(priced_release(), path)
    runner = CliRunner()
    negative = runner.invoke(main, ["advise", str(path), "--budget", "-5"])
    assert negative.exit_code == 2 and "--budget" in negative.output
    other = tmp_path / "other.yaml"
    save_scenario_yaml(release(), other)
    plan_path = tmp_path / "plan.json"
    solved = runner.invoke(main, ["solve", str(other), "-o", str(plan_path), "--time-limit", "5", "-q"])
    assert solved.exit_code == 0, solved.output
    mismatch = runner.invoke(main, ["advise", str(path), "--plan", str(plan_path), "-q"])
    assert mismatch.exit_code == 2
    assert "plan was made for another scenario" in mismatch.output
    assert "Traceback" not in mismatch.output


def test_levers_from_an_explanation() -> None:
    """A chain step waiting 5 days for qa L3: a hire for the window, Kim (qa L4, not on it)
    moved onto it, the project's priority raised, and its deadline agreed as a fallback;
    Ana (no qa) is never moved, Jo (already on it) neither, and leave is no lever."""
    import datetime as dt

    from allocator.advise.levers import candidate_levers
    from models import ChainStep, Explanation
    from tests.solver_helpers import person, project, scenario, task

    people = (
        person("jo", "qa:3", cost_per_day=500.0),
        person("kim", "qa:4", name="Kim"),
        person("ana", "dev:3"),
    )
    the_scenario = scenario(project("release", task("test", requires=("qa:3",))), people=people)
    step = ChainStep(
        task="test",
        project="release",
        name="UAT",
        start=dt.date(2027, 1, 18),
        finish=dt.date(2027, 1, 22),
        working_days=5,
        skills="qa L3",
        people=("jo",),
        waits=5,
        waits_for="waits 5 working days for qa L3",
    )
    why = Explanation(
        project="release",
        finish=dt.date(2027, 1, 22),
        deadline=dt.date(2027, 1, 15),
        late_days=5,
        chain=(step,),
    )
    levers = {lever.kind: lever for lever in candidate_levers(the_scenario, [why])}
    assert set(levers) == {"hire", "move", "priority", "deadline"}
    assert levers["hire"].name == "hire one qa L3 person 18 Jan-22 Jan" and levers["hire"].money == 2500.0
    assert levers["move"].name == "put Kim on UAT"
    assert [lv.name for lv in candidate_levers(the_scenario, [why]) if lv.kind == "move"] == [
        "put Kim on UAT"
    ]
    assert levers["deadline"].changes[0].to == dt.date(2027, 1, 22)
    # a hire helps from when the step could have started, not from when it did
    ready = why.model_copy(update={"chain": (step.model_copy(update={"ready": dt.date(2027, 1, 11)}),)})
    hires = [lv.name for lv in candidate_levers(the_scenario, [ready]) if lv.kind == "hire"]
    assert hires == ["hire one qa L3 person 11 Jan-22 Jan"]


def test_a_saving_within_the_controls_gap_is_not_assured() -> None:
    """Against a control that is not proven optimal, only the part of a saving below the
    scenario's bound needs the lever; re-ordering levers never assure anything."""
    from allocator.advise.levers import Lever
    from allocator.advise.run import Remedy, _assured

    plan = planned(solve(priced_release()))  # 5 weighted late days, proven
    assert plan.solver is not None and plan.solver.stages[0].objective == 5
    hire, raise_it = Lever("hire", "hire", ()), Lever("raise", "priority", ())
    assert _assured((hire,), plan, saved=4, floor=9.0) == 4  # a control at 9, proven: all of it
    assert _assured((hire,), plan, saved=4, floor=7.0) == 2  # bound 7: 2 of the 4 lie in the gap
    assert _assured((hire,), plan, saved=4, floor=5.0) == 0  # the remedy only reaches the bound
    assert _assured((raise_it,), plan, saved=4, floor=9.0) == 0
    assert _assured((raise_it, hire), plan, saved=4, floor=9.0) == 4
    remedy = Remedy("hire", (hire,), 100.0, 1.0, 4, (), {}, True, assured_days=2)
    assert remedy.within_gap
    from allocator.advise.render import _saved

    assert _saved(remedy) == "~4 (2 beyond the gap)"


def test_a_vendor_engaged_without_lead_time_brings_the_configuration_in() -> None:
    """tests/test_explain_lateness.py's SAP case: only Acme knows SAP and engages 21 working
    days after the start, so the configuration is 21 days late, all forced. Engaging Acme
    without lead time is the remedy, and it saves all 21 days."""
    from tests.test_explain_lateness import sap_configuration

    the_scenario = sap_configuration()
    advice = advise(the_scenario, time_limit=30, workers=1)
    assert advice.base_late_days == 21 and advice.control_is_base
    engage = next(r for r in advice.remedies if r.levers[0].kind == "vendor-lead")
    assert engage.name == "engage acme without lead time"
    assert engage.late_days_saved == 21 and engage.assured_days == 21
    assert engage.projects_on_time == ("erp",) and engage.proven and engage.verified
    assert advice.remedies[0] is engage  # free, and ranked before the deadline fallback


def test_a_forced_dependency_chain_is_not_remedied_by_priorities() -> None:
    """tests/test_explain_lateness.py's two projects: the app's UI waits for the platform's
    API (10 days, one person at a time), so the app is 5 days late in every plan. Raising
    the platform's priority cannot help and is set aside unsolved; agreeing the app's
    deadline at its planned finish is all that is left."""
    from tests.test_explain_lateness import platform_and_app

    the_scenario = platform_and_app()
    advice = advise(the_scenario, time_limit=30, workers=1)
    assert advice.base_late_days == 5 and advice.control_is_base
    assert (
        "cannot beat the proven optimum (it adds no capacity): raise platform's priority to 2" in advice.notes
    )
    assert all(r.levers[0].kind != "priority" for r in advice.remedies)
    assert [r.name for r in advice.remedies][-1] == "agree app's deadline at 22 Jan"


def test_a_base_not_proven_optimal_is_re_solved_as_the_control() -> None:
    """Savings are measured against the base re-solved with the same time, unless the
    base is proven optimal: then the base itself is the control."""
    from allocator.diagnose.lateness import explain_plan
    from allocator.whatif.executors import JobEvent
    from models import SolverStatus

    the_scenario = priced_release()
    proven = planned(solve(the_scenario))
    proven = proven.model_copy(
        update={"explanations": tuple(explain_plan(the_scenario, proven, time_limit=10))}
    )
    assert proven.solver is not None
    stage = proven.solver.stages[0].model_copy(update={"status": SolverStatus.FEASIBLE, "bound": 0.0})
    unproven = proven.model_copy(update={"solver": proven.solver.model_copy(update={"stages": (stage,)})})
    for base, solved in ((proven, False), (unproven, True)):
        events: list[JobEvent] = []
        advice = advise(the_scenario, plan=base, time_limit=20, workers=1, on_event=events.append)
        assert ("control" in {e.name for e in events}) is solved
        assert advice.control_is_base is not solved and advice.control_late_days == 5
        hire = next(r for r in advice.remedies if r.levers[0].kind == "hire")
        assert hire.late_days_saved == 5
        # the re-solved control proves 5 again, so the whole saving needs the hire
        assert hire.assured_days == 5 and hire.proven
