"""Estimate review: ratios, shrinkage, sample sizes, and the calibration a scenario applies."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
import yaml

from allocator.io import ScenarioError, load_scenario, scenario_to_yaml
from allocator.status.calibration import calibration_yaml, learned_calibration
from allocator.status.inputs import Measured
from allocator.status.review import review_estimates, shrunk_multiplier
from models.calibration import Calibration, apply_calibration
from models.progress import Progress, TaskProgress
from models.status import Booking
from tests.test_status_earned import MONDAY, baseline, scenario

if TYPE_CHECKING:
    from pathlib import Path


def test_shrunk_multiplier_formula() -> None:
    # median 1.4 of three samples, k = 5: 1 + 0.4 * 3 / 8 = 1.15.
    assert shrunk_multiplier([1.2, 1.4, 1.6]) == pytest.approx(1.15)
    # k = 0: the median itself; no samples: 1.
    assert shrunk_multiplier([1.2, 1.4, 1.6], 0) == pytest.approx(1.4)
    assert shrunk_multiplier([]) == 1.0
    # Many samples bring it close to the median.
    assert shrunk_multiplier([0.8] * 95) == pytest.approx(1 - 0.2 * 95 / 100)


def finished() -> Measured:
    """a done in 12 working days (4 to 19 Jan) with 15 booked days; b under way, 3 booked, 4 left."""
    progress = Progress(
        tasks=(
            TaskProgress(task="a", status="done", actual_start=MONDAY, actual_finish=dt.date(2027, 1, 19)),
            TaskProgress(task="b", status="in_progress", remaining_effort=4.0),
        )
    )
    bookings = (
        Booking(person="ana", task="a", week=MONDAY, days=5.0),
        Booking(person="ana", task="a", week=dt.date(2027, 1, 11), days=5.0),
        Booking(person="ana", task="a", week=dt.date(2027, 1, 18), days=3.0),
        Booking(person="acme", task="a", week=dt.date(2027, 1, 18), days=2.0),
        Booking(person="ana", task="b", week=dt.date(2027, 1, 18), days=3.0),
    )
    return Measured(scenario(), baseline(), progress, bookings, dt.date(2027, 1, 22))


def test_review_ratios_slips_and_sample_sizes() -> None:
    # a: 15 / 10 = 1.5, slip 12 - 10 = +2; b: (3 + 4) / 5 = 1.4, not finished (no slip).
    # Skill dev: median(1.5, 1.4) = 1.45 over 2 samples -> 1 + 0.45 * 2 / 7.
    review = review_estimates(finished())
    figures = {(a.dimension, a.key): a for a in review.accuracy}
    dev = figures["skill", "dev"]
    assert (dev.samples, dev.ratio, dev.slip, dev.slip_samples) == (2, pytest.approx(1.45), 2.0, 1)
    assert dev.multiplier == pytest.approx(1 + 0.45 * 2 / 7)
    assert figures["project", "p1"].samples == 2
    # ana's part: a 13 booked / 10 planned = 1.3, b (3 + 4) / 5 = 1.4; the vendor was not planned.
    ana = figures["person", "ana"]
    assert (ana.samples, ana.ratio) == (2, pytest.approx(1.35))
    assert ("vendor", "acme") not in figures
    assert (review.tasks_reviewed, review.tasks_done) == (2, 1)


def test_learned_calibration_holds_the_skill_multipliers() -> None:
    review = review_estimates(finished())
    calibration = learned_calibration(review, "q1")
    assert calibration.skills == {"dev": pytest.approx(1 + 0.45 * 2 / 7, abs=1e-3)}
    text = calibration_yaml(review, "q1")
    assert "# Observed, not applied" in text
    assert Calibration.model_validate(yaml.safe_load(text)["calibration"]) == calibration


def test_calibration_multiplies_the_effort_of_matching_tasks() -> None:
    base = scenario()
    calibrated = apply_calibration(base, Calibration(skills={"dev": 1.2, "qa": 2.0}, projects={"p1": 1.5}))
    efforts = {t.id: t.effort for _, t in calibrated.tasks()}
    assert efforts == {"a": pytest.approx(10 * 1.2 * 1.5), "b": pytest.approx(5 * 1.2 * 1.5)}
    assert apply_calibration(base, Calibration()) == base


def write_scenario(folder: Path, calibration: str | None) -> Path:
    data = yaml.safe_load(scenario_to_yaml(scenario()))
    if calibration is not None:
        data["calibration"] = calibration
    path = folder / "next.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_scenario_applies_its_calibration_file_when_loaded(tmp_path: Path) -> None:
    (tmp_path / "calibration.yaml").write_text(calibration_yaml(review_estimates(finished()), "q1"))
    loaded = load_scenario(write_scenario(tmp_path, "calibration.yaml"))
    factor = 1 + 0.45 * 2 / 7
    assert loaded.task_index()["a"][1].effort == pytest.approx(10 * factor, abs=0.01)
    # Written back, the efforts stay multiplied once; old scenarios load as before.
    (tmp_path / "again.yaml").write_text(scenario_to_yaml(loaded))
    assert load_scenario(tmp_path / "again.yaml") == loaded
    assert load_scenario(write_scenario(tmp_path, None)) == scenario()


def test_bad_calibration_names_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "calibration.yaml").write_text("calibration:\n  skills: {dev: -1}\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write_scenario(tmp_path, "calibration.yaml"))
    assert "calibration.yaml: calibration field 'skills.dev'" in str(caught.value)
    with pytest.raises(ScenarioError, match="no such calibration file"):
        load_scenario(write_scenario(tmp_path, "missing.yaml"))
