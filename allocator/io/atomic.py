"""Atomic file writes: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically.

    The bytes go to a temporary file in the same directory (so the final rename
    never crosses file systems), are flushed to disk, and then replace ``path``.

    Parameters
    ----------
    path
        Destination file; its directory must exist.
    data
        The complete new content.
    """
    target = Path(path)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        # mkstemp creates the file private to its owner; keep the mode a scenario
        # file already had, or give a new one the usual readable-by-all mode.
        os.chmod(temp_name, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    Parameters
    ----------
    path
        Destination file; its directory must exist.
    text
        The complete new content.
    encoding
        Text encoding, UTF-8 unless told otherwise.
    """
    atomic_write_bytes(path, text.encode(encoding))
