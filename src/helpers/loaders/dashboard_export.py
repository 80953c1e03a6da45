"""Which dashboard export a run reads, and of what date — kept free of pandas for the runner.

デジタル庁 republishes the export as surveys come in; a report must say which release it was built
from. The date is taken, in this order, from ``--dashboard-date`` (the notebooks' ``dashboard_date``),
a sidecar file ``dashboard_date.txt`` in the export folder, or the official folder/zip name
(``20240712_…``); the vendored export in ``data/external/dashboard`` has the date registered in
``data/sources.csv``. Otherwise it is unknown and the reports say so — never another export's date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

SIDECAR = "dashboard_date.txt"
_NAME_DATE = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")


class ExportDateError(ValueError):
    """A date given for the export that is not a real YYYY-MM-DD date."""


@dataclass(frozen=True)
class ExportInfo:
    """The export a notebook reads: its folder (None: no per-entity data), date (ISO or None) and
    where the date came from (option, sidecar, name, vendored, unknown)."""
    folder: Path | None
    date: str | None
    how: str


def parse_date(text: str, what: str = "--dashboard-date") -> str:
    """``YYYY-MM-DD`` → the same ISO text, checked; one-line :class:`ExportDateError` otherwise."""
    text = str(text).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ExportDateError(f"{what} must be a date as YYYY-MM-DD, got {text!r}") from None


def _from_name(name: str) -> str | None:
    for m in _NAME_DATE.finditer(name):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            continue
    return None


def vendored_dir() -> Path:
    from helpers.paths import data_dir

    return data_dir() / "external" / "dashboard"


def _vendored_date() -> str | None:
    """The vendored export's update, as registered in data/sources.csv (read without pandas)."""
    import csv

    from helpers.paths import data_dir

    path = data_dir() / "sources.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("key") == "digital_agency_dashboard":
                return row.get("published") or None
    return None


def resolve(folder: str | Path | None, given: str | None = None) -> ExportInfo:
    """The export's date: ``given`` (checked), the sidecar file, the folder's or a file's name
    (``20240712_…``), the registered date of the vendored export; else unknown."""
    folder = Path(folder) if folder not in (None, "") else None
    if given not in (None, ""):
        return ExportInfo(folder, parse_date(given), "option")
    if folder is None:
        return ExportInfo(None, None, "unknown")
    if not folder.is_dir():  # a project without the vendored export: nothing to read a date from
        return ExportInfo(folder, None, "unknown")
    sidecar = folder / SIDECAR
    if sidecar.is_file():
        return ExportInfo(folder, parse_date(sidecar.read_text(encoding="utf-8-sig").strip(), str(sidecar)), "sidecar")
    for name in [folder.name] + sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")):
        found = _from_name(name)
        if found:
            return ExportInfo(folder, found, "name")
    try:
        if folder.resolve() == vendored_dir().resolve():
            return ExportInfo(folder, _vendored_date(), "vendored")
    except OSError:
        pass
    return ExportInfo(folder, None, "unknown")


# ------------------------------------------------------------------ the export of this process

_current: ExportInfo | None = None


def use(info: ExportInfo) -> ExportInfo:
    """Make ``info`` the export this process reports on (a notebook's setup calls it once)."""
    global _current
    _current = info
    return info


def current() -> ExportInfo:
    """The export set by :func:`use`; the vendored one when nothing was set (a helper used on its own)."""
    if _current is not None:
        return _current
    folder = vendored_dir()
    return resolve(folder if folder.is_dir() else None)


KEY = "digital_agency_dashboard"  # the dashboard's key in data/sources.csv


# ------------------------------------------------------------------ what was read

def file_record(path: Path, shown: str, date: str | None) -> dict:
    """One input file for the run record: the path as given, size, sha256 and its data date."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return {"path": shown, "bytes": path.stat().st_size, "sha256": h.hexdigest(), "date": date or ""}
