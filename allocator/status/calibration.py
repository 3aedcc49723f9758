"""Learned multipliers and ranges as a scenario fragment that next quarter's scenario applies.

The fragment holds the per-skill multipliers (what next quarter's tasks share with this
quarter's) and the per-skill ranges as estimate rules in the format of ``risk:
estimates:`` (percent over the calibrated effort); the figures per team, person, vendor
and project are written beside them as comments, for the record. A scenario applies the
fragment with ``calibration: calibration.yaml`` (see :mod:`allocator.io.calibration_io`).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import yaml

from allocator.status.review import MULTIPLIER_DIGITS
from models.calibration import Calibration
from models.risk import EstimateRule

if TYPE_CHECKING:
    from models.status import EstimateReview, LearnedRange

#: Digits the multipliers are written with.
DIGITS = MULTIPLIER_DIGITS


def learned_rule(learned: LearnedRange) -> EstimateRule:
    """The estimate rule of a learned range: percent over the calibrated effort."""
    return EstimateRule(
        skill=learned.skill, low=learned.rule_low, likely=learned.rule_likely, high=learned.rule_high
    )


def learned_calibration(review: EstimateReview, source: str) -> Calibration:
    """The per-skill multipliers and estimate rules of ``review``."""
    skills = {a.key: round(a.multiplier, DIGITS) for a in review.accuracy if a.dimension == "skill"}
    rules = tuple(learned_rule(r) for r in review.ranges)
    return Calibration(skills=skills, estimates=rules, method=review.method, source=source)


def _rule_line(learned: LearnedRange) -> str:
    rule = learned_rule(learned)
    return (
        f"    - {{skill: {rule.skill}, low: {rule.low:g}, likely: {rule.likely:g}, high: {rule.high:g}}}"
        f"  # n={learned.samples}, actual/estimated {learned.low:.3f}/{learned.likely:.3f}/"
        f"{learned.high:.3f}, multiplier {learned.multiplier:g}"
    )


def calibration_yaml(review: EstimateReview, source: str) -> str:
    """The fragment file: ``calibration:`` with skills and estimates, the other figures as comments."""
    calibration = learned_calibration(review, source)
    data = {"calibration": calibration.model_dump(mode="json", exclude={"projects", "estimates"})}
    lines = [
        "# Effort multipliers and ranges learned by allocator review; apply them in a scenario with",
        "#   calibration: <this file>",
        "# Each task's effort is multiplied by the mean multiplier of the skills it requires.",
        "# The estimate rules follow the scenario's own risk: estimates: rules (which win).",
        "# Observed, not applied (median actual/estimated effort, samples, multiplier):",
    ]
    for figure in review.accuracy:
        if figure.dimension != "skill":
            lines.append(
                f"#   {figure.dimension} {figure.key}: {figure.ratio:.2f} (n={figure.samples}) -> "
                f"{figure.multiplier:.{DIGITS}f}"
            )
    text = "\n".join(lines) + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if review.ranges:
        method = textwrap.wrap(f"Ranges: {review.range_method}.", 86)
        text += (
            "".join(f"  # {line}\n" for line in method)
            + "  # Percent over the calibrated effort (low, likely, high); the shrunk ratios beside.\n"
            + "  estimates:\n"
            + "".join(_rule_line(r) + "\n" for r in review.ranges)
        )
    return text
