"""Fingerprint records of the runner: what a theme's outputs were built from, and what they are.

A record (``reports/<theme>/.fingerprint``, ``reports/.data_audit.fingerprint``) is JSON::

    {"inputs": "<sha256 of notebook, parameters, data/, helpers' source, dashboard files>",
     "outputs": {"report.md": "<sha256>", "figures/x.png": "<sha256>", ...}}

A theme is current when both match: same inputs, and exactly the recorded output files with the
recorded bytes. So a deleted figure, an edited report.md, or a folder rewritten by running the
notebook by hand (JupyterLab, papermill CLI) with other results makes the next run build it again.
Hidden files (``.fingerprint`` itself, ``.ipynb_checkpoints/``, ``.DS_Store``) and the kept
``failed.ipynb`` are not outputs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from helpers import paths

FAILED = "failed.ipynb"


def _hash_files(h: "hashlib._Hash", files: list[Path], root: Path | None = None) -> None:
    for f in sorted(files):
        h.update(str(f.relative_to(root) if root else f.name).encode())
        h.update(f.read_bytes())


def shared_inputs(dash_files: list[Path]) -> str:
    """Hash of what every output depends on: the project's data, the helpers' source, the dashboard
    files. A batch computes it once and passes it to :func:`theme_inputs` for each notebook."""
    h = hashlib.sha256()
    root = paths.project_root()
    _hash_files(h, [p for p in (root / "data").rglob("*") if p.is_file()], root)
    _hash_files(h, [p for p in (root / "src" / "helpers").rglob("*.py")], root)
    _hash_files(h, dash_files)
    return h.hexdigest()


def theme_inputs(nb_path: Path, params: dict, dash_files: list[Path], shared: str | None = None) -> str:
    """Hash of everything a theme's outputs depend on (``shared``: :func:`shared_inputs`, if known)."""
    h = hashlib.sha256()
    h.update(nb_path.read_bytes())
    h.update(json.dumps(params, sort_keys=True).encode())
    h.update((shared or shared_inputs(dash_files)).encode())
    return h.hexdigest()


def audit_inputs(lang: str, dash: Path | None, dash_files: list[Path], shared: str | None = None) -> str:
    """Hash of what data_audit.md depends on: data, helpers' source, dashboard files, language."""
    h = hashlib.sha256(f"audit|{lang}|{dash}".encode())
    h.update((shared or shared_inputs(dash_files)).encode())
    return h.hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def output_hashes(folder: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of a theme folder's output files (see the module docstring)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or rel.as_posix() == FAILED or not p.is_file():
            continue
        out[rel.as_posix()] = sha256(p.read_bytes())
    return out


def record(inputs: str, outputs: dict[str, str], seconds: float | None = None) -> str:
    """The record's JSON; ``seconds``, how long the notebook ran, orders the next batch's queue."""
    rec = {"inputs": inputs, "outputs": dict(sorted(outputs.items()))}
    if seconds is not None:
        rec["seconds"] = round(float(seconds), 1)
    return json.dumps(rec, indent=1) + "\n"


def recorded_seconds(path: Path) -> float | None:
    """How long the run that wrote the record took (None: unknown)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("seconds")
    except (OSError, ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, (int, float)) else None


def read(path: Path) -> tuple[str, dict[str, str]] | None:
    """(inputs, outputs) of a record; None when absent or not a record (e.g. an older runner's)."""
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
        inputs, outputs = rec["inputs"], rec["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(inputs, str) or not isinstance(outputs, dict):
        return None
    return inputs, outputs


def theme_current(folder: Path, record_name: str, inputs: str) -> bool:
    rec = read(folder / record_name)
    if rec is None or rec[0] != inputs or not rec[1]:
        return False
    try:
        return output_hashes(folder) == rec[1]
    except OSError:
        return False


def file_current(path: Path, record_path: Path, inputs: str) -> bool:
    rec = read(record_path)
    if rec is None or rec[0] != inputs:
        return False
    try:
        return rec[1] == {path.name: sha256(path.read_bytes())}
    except OSError:
        return False
