"""What the runner may replace under ``--out``: only what it wrote itself.

A folder given as ``--out`` may hold other people's files. The runner replaces a theme folder (and
deletes the old one), and rewrites ``README.md``, ``index.html`` and the audit pages; it must never
do so to a file or folder it did not write. Its own outputs are known from:

- the manifest ``<out>/.outputs.json``: every file the runner wrote under ``--out`` (relative
  paths, sorted), updated after each swap and page write. It is committed with the repository's
  ``reports/`` so that a fresh clone (whose theme folders have no ``.fingerprint``: git ignores
  those) is recognised as the runner's;
- a theme folder's own ``.fingerprint`` record (its output files), which also covers a run killed
  between a swap and the manifest update, and folders built by runners older than the manifest;
- the audit's ``.data_audit.fingerprint`` record.

A path is the runner's when it is a plain file or folder (never a symlink) and every file in it is
listed by one of these. Anything else makes the run refuse with one line (exit 2) before it writes,
unless the user passes ``--adopt-existing``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from helpers.runner import fingerprints

MANIFEST = ".outputs.json"
#: Files in a theme folder that are never the user's work: the runner's record and the kept failure,
#: and what editors and file browsers drop beside any file.
_IGNORED = {".fingerprint", ".inputs.json", fingerprints.FAILED, ".DS_Store"}


class NotOwned(Exception):
    """A path under ``--out`` the runner did not write (its message names it)."""


def read_manifest(out: Path) -> set[str]:
    """The relative paths listed in ``<out>/.outputs.json`` (empty when absent or not a manifest)."""
    path = out / MANIFEST
    if path.is_symlink():
        return set()
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    files = rec.get("files") if isinstance(rec, dict) else None
    return {f for f in files if isinstance(f, str)} if isinstance(files, list) else set()


def manifest_bytes(files: set[str]) -> bytes:
    """The manifest's bytes: the same set of files always gives the same bytes."""
    return (json.dumps({"files": sorted(files)}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _files_under(folder: Path) -> list[str]:
    """Files under ``folder`` relative to it, skipping what is never a user's work (editor
    checkpoints, the runner's own record). Links are never followed: a link to a folder is listed
    as an entry of its own, which no manifest names."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):  # followlinks=False
        rel_dir = Path(dirpath).relative_to(folder)
        dirnames[:] = [d for d in dirnames if d != ".ipynb_checkpoints"]
        for name in filenames + [d for d in dirnames if Path(dirpath, d).is_symlink()]:
            rel = (rel_dir / name).as_posix()
            if rel in _IGNORED and rel_dir == Path("."):
                continue
            if name == ".DS_Store":
                continue
            found.append(rel)
    return found


def _record_outputs(record: Path) -> set[str]:
    if record.is_symlink():
        return set()
    rec = fingerprints.read(record)
    return set(rec[1]) if rec else set()


def unowned(out: Path, name: str, manifest: set[str] | None = None) -> str | None:
    """Why ``<out>/<name>`` (a theme folder or a page) is not the runner's to replace, or None
    when it is (or does not exist)."""
    path = out / name
    if not path.is_symlink() and not path.exists():
        return None
    manifest = read_manifest(out) if manifest is None else manifest
    if path.is_symlink():
        return "is a symbolic link"
    if path.is_dir():
        own = {f[len(name) + 1:] for f in manifest if f.startswith(name + "/")} | _record_outputs(path / ".fingerprint")
        strangers = [f for f in _files_under(path) if f not in own]
        if strangers:
            more = f" and {len(strangers) - 1} more file(s)" if len(strangers) > 1 else ""
            return f"holds {sorted(strangers)[0]}{more}, not written by this tool"
        return None
    if name in manifest:
        return None
    if name == "data_audit.md" and name in _record_outputs(out / ".data_audit.fingerprint"):
        return None
    return "was not written by this tool"


def check(out: Path, names: list[str]) -> None:
    """Raise :class:`NotOwned` for the first of ``names`` under ``out`` that the runner did not write."""
    manifest = read_manifest(out)
    if (out / MANIFEST).is_symlink() or ((out / MANIFEST).exists() and not (out / MANIFEST).is_file()):
        raise NotOwned(f"{out / MANIFEST} is not a plain file")
    for name in names:
        why = unowned(out, name, manifest)
        if why:
            raise NotOwned(f"{out / name} {why}")


def record(out: Path, name: str) -> None:
    """Note in the manifest that the runner wrote ``<out>/<name>``: a page, or a whole theme folder
    (its previous entries replaced by the files it holds now). Written only when it changes."""
    from helpers.atomic import write_bytes_if_changed

    files = read_manifest(out)
    path = out / name
    if path.is_dir() and not path.is_symlink():
        files = {f for f in files if not f.startswith(name + "/")}
        files |= {f"{name}/{f}" for f in _files_under(path) if f not in _IGNORED}
    elif path.is_file():
        files.add(name)
    else:
        files.discard(name)
    write_bytes_if_changed(out / MANIFEST, manifest_bytes(files))
