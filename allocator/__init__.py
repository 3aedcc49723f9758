"""allocator: capacity planning for IT portfolios on OR-Tools CP-SAT.

The Python API is :mod:`allocator.app.api`, also reachable as ``from allocator import api``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

__version__ = "0.1.0"


def __getattr__(name: str) -> ModuleType:
    """``allocator.api``: imported on first use, so that importing a room stays light."""
    if name == "api":
        from allocator.app import api

        return api
    raise AttributeError(f"module 'allocator' has no attribute {name!r}")
