"""Test-wide settings.

Property tests explore fresh random examples on a developer's machine; under CI (the
``CI`` environment variable set) they replay a fixed sequence, so a run's verdict does
not depend on the luck of the draw and a failure found locally is the one to fix.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
