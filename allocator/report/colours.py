"""One colour per project and fixed colours for meanings, shared by every chart and sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

#: Distinct, print-friendly colours (Tableau 10 followed by softer companions).
PROJECT_PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#1f77b4",
    "#8cd17d",
    "#a0cbe8",
    "#ffbe7d",
    "#d4a6c8",
    "#86bcb6",
    "#f1ce63",
    "#499894",
    "#d37295",
    "#79706e",
    "#b6992d",
)
LATE = "#d62728"  #: late tasks and projects, over-allocation
ON_TIME = "#2ca02c"
STAFF = "#4e79a7"  #: work done by staff
VENDOR = "#f28e2b"  #: work bought from vendors
CAPACITY = "#222222"
LEAVE = "#555555"
MUTED = "#9aa0a6"  #: dependencies, grid lines


def project_colours(projects: Iterable[str]) -> dict[str, str]:
    """A colour for each project, in the given order, cycling through the palette.

    Parameters
    ----------
    projects
        Project ids in report order.
    """
    return {project: PROJECT_PALETTE[index % len(PROJECT_PALETTE)] for index, project in enumerate(projects)}
