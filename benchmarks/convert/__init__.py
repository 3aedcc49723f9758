"""Converters from the literature's benchmark formats to :class:`models.Scenario`.

One module per family; each offers ``read_<family>(path)`` (the raw numbers),
``to_scenario(instance)`` and ``load_<family>_scenario(path)``. This module keeps the
registry of families and lists their instances with the values published for them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.convert.imopse import load_imopse_scenario
from benchmarks.convert.mista import load_mista_scenario
from benchmarks.convert.mspsp import load_mspsp_scenario
from benchmarks.convert.psplib import load_psplib_scenario

if TYPE_CHECKING:
    from collections.abc import Callable

    from models import Scenario

#: The repository root (``benchmarks/`` sits directly below it).
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Family:
    """A benchmark family: its folder under the benchmarks root and its loader."""

    name: str
    folder: str
    load: Callable[[Path], Scenario]
    metric: str  #: what ``best_known`` measures


FAMILIES: dict[str, Family] = {
    "psplib": Family("psplib", "psplib-rcpsp", load_psplib_scenario, "makespan"),
    "mspsp": Family("mspsp", "mspsp-young2017", load_mspsp_scenario, "makespan"),
    "imopse": Family("imopse", "imopse-msrcpsp", load_imopse_scenario, "makespan"),
    "mista": Family("mista", "mista2013-mrcmpsp", load_mista_scenario, "total project delay"),
}


@dataclass(frozen=True)
class BenchmarkInstance:
    """One instance of a family with the values its ``best_known.csv`` gives.

    Parameters
    ----------
    best_known
        Best published value (an upper bound), ``None`` when the family has no table.
    lower_bound
        Best proven (or, for iMOPSE, simple computed) lower bound, when given.
    optimal
        Whether ``best_known`` is proven optimal (``None`` when the table does not say).
    """

    family: str
    name: str
    subset: str
    path: Path
    best_known: int | None
    lower_bound: int | None
    optimal: bool | None

    def load(self) -> Scenario:
        """The instance as a scenario."""
        return FAMILIES[self.family].load(self.path)


def benchmarks_root(repo_root: Path = REPO_ROOT) -> Path:
    """Folder of the public benchmark instances: ``../shared/benchmarks`` from the repository root."""
    return (repo_root / ".." / "shared" / "benchmarks").resolve()


def _optional_int(value: str | None) -> int | None:
    return int(value) if value and value.strip() else None


def _optional_flag(value: str | None) -> bool | None:
    if value is None or not value.strip():
        return None
    return value.strip().lower() in ("yes", "true", "1")


def _entry(family: str, folder: Path, row: dict[str, str]) -> BenchmarkInstance:
    return BenchmarkInstance(
        family=family,
        name=row["instance"],
        subset=row.get("subset") or row.get("set") or "",
        path=folder / row["file"],
        best_known=_optional_int(row.get("best_known")),
        lower_bound=_optional_int(row.get("lower_bound") or row.get("computed_lb")),
        optimal=_optional_flag(row.get("optimal")),
    )


def list_instances(
    family: str, subset: str | None = None, root: Path | None = None
) -> list[BenchmarkInstance]:
    """Instances of a family in the order of its ``best_known.csv``.

    Parameters
    ----------
    family
        One of :data:`FAMILIES` (``psplib``, ``mspsp``, ``imopse``, ``mista``).
    subset
        Keep only this set (``j30``, ``set-1a``, ``d36``, ...) when given.
    root
        Benchmarks folder; defaults to :func:`benchmarks_root`.
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown benchmark family {family!r}; choose from {', '.join(FAMILIES)}")
    folder = (root or benchmarks_root()) / FAMILIES[family].folder
    with (folder / "best_known.csv").open(newline="", encoding="utf-8") as handle:
        entries = [_entry(family, folder, row) for row in csv.DictReader(handle)]
    return [entry for entry in entries if subset is None or entry.subset == subset]


def load_scenario(family: str, path: Path) -> Scenario:
    """Convert the instance file ``path`` of ``family`` to a scenario."""
    if family not in FAMILIES:
        raise ValueError(f"unknown benchmark family {family!r}; choose from {', '.join(FAMILIES)}")
    return FAMILIES[family].load(path)
