"""Learned three-point ranges: percentiles, shrinkage, the fragment, and a calibrated risk run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from allocator import api
from allocator.io import load_scenario, scenario_to_yaml
from allocator.problem.data import EFFORT_SCALE
from allocator.risk.run import RiskOptions, prepare, run_risk
from allocator.status.calibration import calibration_yaml, learned_calibration
from allocator.status.cli import _measured
from allocator.status.inputs import Measured
from allocator.status.review import (
    Sample,
    accuracy,
    learned_ranges,
    percentile,
    review_estimates,
    shrunk_range,
)
from models import Assignment, Plan, Scenario, TaskPlan
from models.calibration import Calibration, apply_calibration
from models.progress import Progress, TaskProgress
from models.risk import EstimateRule, RiskSpec
from models.status import Booking

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "scenarios" / "status"
MONDAY = dt.date(2027, 1, 4)


def test_percentile_interpolates_between_the_sorted_ratios() -> None:
    ratios = [1.6, 1.0, 2.0, 1.4, 1.2]  # sorted: 1.0, 1.2, 1.4, 1.6, 2.0
    # P10: h = 4 * 0.1 = 0.4 -> 1.0 + 0.4 * 0.2; P50: h = 2 -> 1.4; P90: h = 3.6 -> 1.6 + 0.6 * 0.4.
    assert percentile(ratios, 10) == pytest.approx(1.08)
    assert percentile(ratios, 50) == pytest.approx(1.4)
    assert percentile(ratios, 90) == pytest.approx(1.84)
    assert percentile(ratios, 100) == 2.0 and percentile([1.3], 90) == 1.3


def test_range_is_shrunk_toward_the_no_information_range() -> None:
    ratios = [1.0, 1.2, 1.4, 1.6, 2.0]
    # n = 5, k = 5: half-way from (0.9, 1.0, 1.3) to (1.08, 1.4, 1.84).
    assert shrunk_range(ratios) == pytest.approx((0.99, 1.2, 1.57))
    # k = 0: the percentiles themselves; no samples: the no-information range.
    assert shrunk_range(ratios, 0) == pytest.approx((1.08, 1.4, 1.84))
    assert shrunk_range([]) == pytest.approx((0.9, 1.0, 1.3))
    # Over the multiplier 1 + 0.4 * 5 / 10 = 1.2: 0.99 / 1.2, 1.2 / 1.2, 1.57 / 1.2.
    samples = [_skill(r) for r in ratios]
    (learned,) = learned_ranges(samples, accuracy(samples))
    assert (learned.rule_low, learned.rule_likely, learned.rule_high) == (-17.5, 0.0, 30.8)
    # Many samples: close to the percentiles (weight 95 / 100).
    assert shrunk_range([1.5] * 95) == pytest.approx((0.9 + 0.6 * 0.95, 1 + 0.5 * 0.95, 1.3 + 0.2 * 0.95))


def _skill(ratio: float, done: bool = True, key: str = "dev") -> Sample:
    return Sample("skill", key, 10.0, 10.0 * ratio, 0 if done else None, done)


def test_ranges_use_finished_tasks_and_are_stated_over_the_calibrated_effort() -> None:
    # dev: done 1.1, 1.3, 1.5 and one under way at 2.0. The multiplier uses all four:
    # median 1.4 -> 1 + 0.4 * 4 / 9 = 1.1778, written 1.178. The range the three done:
    # P10 1.14, P50 1.3, P90 1.46, weight 3 / 8 -> 0.99, 1.1125, 1.36; over 1.178:
    # -15.96 %, -5.56 %, +15.45 % (1.36 / 1.178 = 1.15450).
    # ops: two finished tasks only: no range.
    samples = [_skill(1.1), _skill(1.3), _skill(1.5), _skill(2.0, done=False)]
    samples += [_skill(1.2, key="ops"), _skill(1.4, key="ops")]
    (dev,) = learned_ranges(samples, accuracy(samples))
    assert (dev.skill, dev.samples, dev.multiplier) == ("dev", 3, 1.178)
    assert (dev.p10, dev.p50, dev.p90) == pytest.approx((1.14, 1.3, 1.46))
    assert (dev.low, dev.likely, dev.high) == pytest.approx((0.99, 1.1125, 1.36))
    assert (dev.rule_low, dev.rule_likely, dev.rule_high) == (-16.0, -5.6, 15.4)


def scenario() -> Scenario:
    """Ana (dev) and Ola (ops), no holidays; three dev tasks a, b, c and an ops task o."""
    return Scenario.model_validate(
        {
            "start": MONDAY,
            "end": dt.date(2027, 3, 26),
            "people": [{"id": "ana", "skills": {"dev": 3}}, {"id": "ola", "skills": {"ops": 3}}],
            "projects": [
                {
                    "id": "p1",
                    "tasks": [
                        {"id": "a", "effort": 10, "requires": "dev"},
                        {"id": "b", "effort": 10, "requires": "dev", "after": "a"},
                        {"id": "c", "effort": 10, "requires": "dev", "after": "b"},
                        {"id": "o", "effort": 10, "requires": "ops"},
                    ],
                }
            ],
        }
    )


def _window(task: str, person: str, skill: str, first: int) -> TaskPlan:
    start = MONDAY + dt.timedelta(weeks=first)
    return TaskPlan(
        task=task,
        project="p1",
        start=start,
        finish=start + dt.timedelta(days=11),
        working_days=10,
        assignments=(Assignment(resource=person, allocation=100, skill=skill, effort=10.0),),
    )


def finished() -> Measured:
    """a, b, c done with 11, 13 and 15 days booked (ratios 1.1, 1.3, 1.5); o with 12 (1.2)."""
    baseline = Plan(
        scenario="s",
        scenario_hash="h",
        created=dt.datetime(2027, 1, 1),
        tasks=(_window("a", "ana", "dev", 0), _window("b", "ana", "dev", 2), _window("c", "ana", "dev", 4),
               _window("o", "ola", "ops", 0)),
    )  # fmt: skip
    progress = Progress(
        tasks=tuple(
            TaskProgress(
                task=task,
                status="done",
                actual_start=MONDAY + dt.timedelta(weeks=first),
                actual_finish=MONDAY + dt.timedelta(weeks=first, days=11),
            )
            for task, first in (("a", 0), ("b", 2), ("c", 4), ("o", 0))
        )
    )
    booked = {"a": ("ana", 11.0, 0), "b": ("ana", 13.0, 2), "c": ("ana", 15.0, 4), "o": ("ola", 12.0, 0)}
    bookings = tuple(
        Booking(person=person, task=task, week=MONDAY + dt.timedelta(weeks=first + week), days=days / 2)
        for task, (person, days, first) in booked.items()
        for week in (0, 1)
    )
    return Measured(scenario(), baseline, progress, bookings, dt.date(2027, 2, 26))


#: dev: median 1.3 over 3 -> m = 1 + 0.3 * 3 / 8 = 1.1125; range P10 1.14, P50 1.3, P90 1.46
#: shrunk with 3 / 8 -> 0.99, 1.1125, 1.36; over 1.113 (as written): -11.1, -0.0, +22.2 %.
DEV_RULE = EstimateRule(skill="dev", low=-11.1, likely=0.0, high=22.2)


def test_review_writes_the_ranges_as_estimate_rules() -> None:
    review = review_estimates(finished())
    calibration = learned_calibration(review, "q1")
    assert calibration.skills == {"dev": 1.113, "ops": pytest.approx(1.033, abs=1e-3)}
    assert calibration.estimates == (DEV_RULE,)  # ops: one finished task, no range
    text = calibration_yaml(review, "q1")
    assert "    - {skill: dev, low: -11.1, likely: 0, high: 22.2}" in text
    assert Calibration.model_validate(yaml.safe_load(text)["calibration"]) == calibration


def next_quarter(folder: Path, risk: dict | None) -> Path:
    """The scenario again, with the review's fragment applied, and its own risk section."""
    (folder / "calibration.yaml").write_text(calibration_yaml(review_estimates(finished()), "q1"))
    data = yaml.safe_load(scenario_to_yaml(scenario()))
    data["calibration"] = "calibration.yaml"
    if risk is not None:
        data["risk"] = risk
    path = folder / "next.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_learned_rules_follow_the_scenarios_own(tmp_path: Path) -> None:
    own = {"skill": "ops", "low": 0, "high": 10}
    loaded = load_scenario(next_quarter(tmp_path, {"estimates": [own]}))
    assert loaded.risk is not None
    assert loaded.risk.estimates == (EstimateRule.model_validate(own), DEV_RULE)
    # Without a risk section one is made; written back, the rules are not appended again.
    bare = load_scenario(next_quarter(tmp_path, None))
    assert bare.risk == RiskSpec(estimates=(DEV_RULE,))
    (tmp_path / "again.yaml").write_text(scenario_to_yaml(bare))
    assert load_scenario(tmp_path / "again.yaml") == bare
    # A rule naming a skill no task of the scenario requires is left out.
    unknown = EstimateRule(skill="mainframe", high=50)
    assert apply_calibration(scenario(), Calibration(estimates=(unknown,))) == scenario()


def test_a_calibrated_risk_run_uses_the_learned_range_once(tmp_path: Path) -> None:
    calibrated = load_scenario(next_quarter(tmp_path, None))
    plan = api.solve(calibrated, time_limit=5, workers=1, seed=0)
    _, setup = prepare(calibrated, plan)
    triangles = {shape.id: t for shape, t in zip(setup.model.tasks, setup.triangles, strict=True)}
    # a's effort is 10 * 1.113; the rule is relative to it, so the work spans 10 x the shrunk
    # ratios 0.99 / 1.1125 / 1.36 (to the rounding of the rule), not 10 x 1.113 x them.
    a = triangles["a"]
    assert a.source == "rule #1"
    work = (a.low / EFFORT_SCALE, a.likely / EFFORT_SCALE, a.high / EFFORT_SCALE)
    assert work == pytest.approx((9.9, 11.13, 13.6), abs=0.01)
    assert triangles["o"].source == "planned"  # ops learned no range
    report = run_risk(calibrated, plan, RiskOptions(samples=200, seed=0))
    assert report.uncertain_tasks == 3


def test_bundled_quarter_backend_runs_further_over_than_qa() -> None:
    # Done backend tasks (booked / estimate), sorted: 26/20, 26/20, 19.7/15, 95.5/70, 11.2/8,
    # 28/20, 80.8/55, 22.3/15, 53.4/35, 62.7/40, 31.6/20. n = 11: P10 = 1.3 (h = 1), P50 = 1.4
    # (h = 5), P90 = 1.5675 (h = 9). Weight 11/16: 1.175, 1.275, 1.48391; m = 1.275 ->
    # -7.8 %, 0 %, +16.4 %.
    # Done QA tasks: 24.6/20, 7.4/6, 60.6/45, 20.5/15, 20.8/15, 50/36, 22/15. n = 7: P10 =
    # 1.23 + 0.6 * (1.23333 - 1.23) = 1.232, P50 = 1.36667, P90 = 1.38889 + 0.4 * 0.07778 =
    # 1.42. Weight 7/12: 1.09367, 1.21389, 1.37; m = 1.214 -> -9.9 %, 0 %, +12.9 %.
    measured = _measured(
        ROOT / "scenarios" / "quarter.yaml", DATA / "baseline.json", DATA / "final-actuals.csv", None, None
    )
    ranges = {r.skill: r for r in review_estimates(measured).ranges}
    backend, qa = ranges["backend"], ranges["qa"]
    assert (backend.samples, qa.samples) == (11, 7)
    assert (backend.p10, backend.p50, backend.p90) == pytest.approx((1.3, 1.4, 1.5675))
    assert (qa.p10, qa.p50, qa.p90) == pytest.approx((1.232, 20.5 / 15, 1.42))
    assert (backend.low, backend.likely, backend.high) == pytest.approx((1.175, 1.275, 1.48390625))
    assert (qa.low, qa.likely, qa.high) == pytest.approx((1.0936667, 1.2138889, 1.37))
    assert (backend.rule_low, backend.rule_likely, backend.rule_high) == (-7.8, 0.0, 16.4)
    assert (qa.rule_low, qa.rule_likely, qa.rule_high) == (-9.9, 0.0, 12.9)
    # Backend's spread runs further toward overrun; QA's further toward underrun.
    assert backend.p90 - backend.p50 > qa.p90 - qa.p50
    assert backend.p50 - backend.p10 < qa.p50 - qa.p10
