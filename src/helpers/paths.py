"""Where the project's folders are, whether code runs from the root or from notebooks/."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The repository root (``DXKIT_ROOT`` overrides; tests use it to point at a copy)."""
    env = os.environ.get("DXKIT_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return project_root() / "data"


def reports_dir() -> Path:
    return project_root() / "reports"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def shared_dir() -> Path:
    """``../shared`` beside the project: read-only inputs, never copied into the repo."""
    return Path(os.environ.get("DXKIT_SHARED", project_root().parent / "shared")).resolve()
