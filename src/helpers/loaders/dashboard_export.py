"""Which dashboard export a run reads, of what date and from which survey year — kept free of pandas for the runner.

デジタル庁 republishes the export as surveys come in; a report must say which release it was built
from. The date is taken, in this order, from ``--dashboard-date`` (the notebooks' ``dashboard_date``),
a sidecar file ``dashboard_date.txt`` in the export folder, or the official folder/zip name
(``20240712_…``); the vendored export in ``data/external/dashboard`` has the date registered in
``data/sources.csv``. Otherwise it is unknown and the reports say so — never another export's date.

The survey year (the fiscal year of the 総務省 surveys the export carries) is resolved alike:
``--dashboard-survey-year`` (the notebooks' ``dashboard_survey_year``), a line ``survey_year: 2024``
in the sidecar file, or, for the vendored export, the year registered beside its date
(``survey_year`` in ``data/sources.csv``); else unknown. Comparisons with the national figures of
the registered survey are made only for an export of that very year (:func:`same_survey`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

SIDECAR = "dashboard_date.txt"
KEY = "digital_agency_dashboard"  # the dashboard's key in data/sources.csv
#: The survey years a given value may name (fiscal years, 令和 era and a margin on both sides).
SURVEY_YEARS = range(2000, 2100)
_NAME_DATE = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")


class ExportDateError(ValueError):
    """A date (or survey year) given for the export that is not a real YYYY-MM-DD date (or a fiscal year)."""


@dataclass(frozen=True)
class ExportInfo:
    """The export a notebook reads: its folder (None: no per-entity data), date (ISO or None) and
    where the date came from (option, sidecar, name, vendored, unknown); the fiscal year of the
    surveys it carries (None: not known) and where that came from (option, sidecar, vendored, unknown)."""
    folder: Path | None
    date: str | None
    how: str
    survey_year: int | None = None
    survey_how: str = "unknown"


def parse_date(text: str, what: str = "--dashboard-date") -> str:
    """``YYYY-MM-DD`` → the same ISO text, checked; one-line :class:`ExportDateError` otherwise."""
    text = str(text).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ExportDateError(f"{what} must be a date as YYYY-MM-DD, got {text!r}") from None


def parse_survey_year(text, what: str = "--dashboard-survey-year") -> int:
    """``2024`` → 2024, checked to be a fiscal year as YYYY; one-line :class:`ExportDateError` otherwise."""
    shown = str(text).strip()
    if re.fullmatch(r"\d{4}", shown) and int(shown) in SURVEY_YEARS:
        return int(shown)
    raise ExportDateError(f"{what} must be a fiscal year as YYYY ({SURVEY_YEARS.start}–{SURVEY_YEARS.stop - 1}), "
                          f"got {shown!r}")


def read_sidecar(path: Path) -> tuple[str | None, int | None]:
    """The sidecar file's date and survey year: lines ``YYYY-MM-DD`` (or ``date: YYYY-MM-DD``) and
    ``survey_year: YYYY``, either may be absent; blank lines and ``#`` comments are skipped. A file
    holding only a date (the first form of the file) reads as before."""
    date = year = None
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key == "survey_year":
            year = parse_survey_year(value, f"{path}: survey_year")
        elif sep and key == "date":
            date = parse_date(value, str(path))
        else:
            date = parse_date(line, str(path))
    return date, year


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


def _registration() -> dict[str, str]:
    """The vendored export's row of data/sources.csv (read without pandas); empty when absent."""
    import csv

    from helpers.paths import data_dir

    path = data_dir() / "sources.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("key") == KEY:
                return row
    return {}


def _vendored_date() -> str | None:
    """The vendored export's update, as registered in data/sources.csv."""
    return _registration().get("published") or None


def registered_survey_year() -> int | None:
    """The survey year registered for the vendored export (``survey_year`` of its row in
    data/sources.csv): the survey whose national figures the comparisons use. None when not registered."""
    text = (_registration().get("survey_year") or "").strip()
    try:
        return parse_survey_year(text, "data/sources.csv: survey_year") if text else None
    except ExportDateError:
        return None


def _is_vendored(folder: Path) -> bool:
    try:
        return folder.resolve() == vendored_dir().resolve()
    except OSError:
        return False


def resolve(folder: str | Path | None, given: str | None = None, survey_year: str | int | None = None) -> ExportInfo:
    """The export's date: ``given`` (checked), the sidecar file, the folder's or a file's name
    (``20240712_…``), the registered date of the vendored export; else unknown. Its survey year:
    ``survey_year`` (checked), the sidecar's ``survey_year:`` line, the vendored export's registered
    year; else unknown."""
    folder = Path(folder) if folder not in (None, "") else None
    year, year_how = (parse_survey_year(survey_year), "option") if survey_year not in (None, "") else (None, "unknown")
    date, how = (parse_date(given), "option") if given not in (None, "") else (None, "unknown")
    if folder is None or not folder.is_dir():  # a project without the vendored export: nothing to read
        return ExportInfo(folder, date, how, year, year_how)
    sidecar = folder / SIDECAR
    if sidecar.is_file() and (how == "unknown" or year_how == "unknown"):
        side_date, side_year = read_sidecar(sidecar)
        if how == "unknown" and side_date:
            date, how = side_date, "sidecar"
        if year_how == "unknown" and side_year:
            year, year_how = side_year, "sidecar"
    if how == "unknown":
        for name in [folder.name] + sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")):
            found = _from_name(name)
            if found:
                date, how = found, "name"
                break
    if (how == "unknown" or year_how == "unknown") and _is_vendored(folder):
        if how == "unknown":
            date, how = _vendored_date(), "vendored"
        if year_how == "unknown" and registered_survey_year() is not None:
            year, year_how = registered_survey_year(), "vendored"
    return ExportInfo(folder, date, how, year, year_how)


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


def same_survey(info: ExportInfo | None = None) -> bool:
    """Whether the export carries the survey registered for the vendored export — the one whose
    national figures the comparisons (reproduction, the AI/RPA date, the respondents, who was not
    surveyed and why) hold for. An export of another or an unknown year is never compared with them."""
    info = info or current()
    registered = registered_survey_year()
    return registered is not None and info.survey_year == registered


KEY = "digital_agency_dashboard"  # the dashboard's key in data/sources.csv


# ------------------------------------------------------------------ what was read

def file_record(path: Path, shown: str, date: str | None) -> dict:
    """One input file for the run record: the path as given, size, sha256 and its data date."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return {"path": shown, "bytes": path.stat().st_size, "sha256": h.hexdigest(), "date": date or ""}
