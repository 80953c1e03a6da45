"""Atomic file writes: a reader (or a killed run) sees the old file or the new one, never half.

The new file gets the permissions an ordinary ``open(path, "w")`` would give it (``0666`` minus the
process umask, e.g. ``0644``), not the ``0600`` of :func:`tempfile.mkstemp`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` to ``fd`` (the one place that writes; tests make it fail)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to a temp file in the same folder, fsync it, then rename it over ``path``.

    The temp file is created with mode ``0o666`` so the umask applies as for any new file. On any
    error the temp file is removed and ``path`` is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_if_changed(path: str | os.PathLike, data: bytes) -> bool:
    """Write atomically unless ``path`` already holds exactly ``data``; True if it wrote."""
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except OSError:  # absent or unreadable: write it
        pass
    write_bytes_atomic(path, data)
    return True
