"""Learned multipliers as a scenario fragment that next quarter's scenario applies.

The fragment holds the per-skill multipliers (what next quarter's tasks share with this
quarter's); the figures per team, person, vendor and project are written beside them as
comments, for the record. A scenario applies the fragment with ``calibration:
calibration.yaml`` (see :mod:`allocator.io.calibration_io`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from models.calibration import Calibration

if TYPE_CHECKING:
    from models.status import EstimateReview

#: Digits the multipliers are written with.
DIGITS = 3


def learned_calibration(review: EstimateReview, source: str) -> Calibration:
    """The per-skill multipliers of ``review``."""
    skills = {a.key: round(a.multiplier, DIGITS) for a in review.accuracy if a.dimension == "skill"}
    return Calibration(skills=skills, method=review.method, source=source)


def calibration_yaml(review: EstimateReview, source: str) -> str:
    """The fragment file: ``calibration:`` with the skills, and the other figures as comments."""
    calibration = learned_calibration(review, source)
    data = {"calibration": calibration.model_dump(mode="json", exclude={"projects"})}
    lines = [
        "# Effort multipliers learned by allocator review; apply them in a scenario with",
        "#   calibration: <this file>",
        "# Each task's effort is multiplied by the mean multiplier of the skills it requires.",
        "# Observed, not applied (median actual/estimated effort, samples, multiplier):",
    ]
    for figure in review.accuracy:
        if figure.dimension != "skill":
            lines.append(
                f"#   {figure.dimension} {figure.key}: {figure.ratio:.2f} (n={figure.samples}) -> "
                f"{figure.multiplier:.{DIGITS}f}"
            )
    return "\n".join(lines) + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
