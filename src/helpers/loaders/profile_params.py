"""The prefecture profile's own parameter: which prefecture, as a code or a name (issue 14).

``pref_code`` may be the two-digit code (``"13"``; ``13`` and ``"1"`` are read as ``"13"`` and
``"01"``), the Japanese name with or without its 都/道/府/県 suffix (``東京都``, ``東京``) or the
English name in any case (``Tokyo``, ``tokyo``), all as in ``data/reference/prefectures.csv``.
Anything else stops the notebook with one line, like every other parameter
(:class:`helpers.loaders.params.ParameterError`). Pandas-free so the runner can check a value cheaply.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpers.loaders.params import ParameterError
from helpers.paths import data_dir


@dataclass(frozen=True)
class Prefecture:
    code: str
    name_ja: str
    name_en: str
    region: str
    municipalities: int

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en

    @property
    def slug(self) -> str:
        """Folder name of the profile's report: ``13_tokyo``."""
        return f"{self.code}_{self.name_en.lower()}"


@lru_cache(maxsize=2)
def _table(path: Path) -> tuple[Prefecture, ...]:
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(Prefecture(r["pref_code"], r["name_ja"], r["name_en"], r["region"], int(r["municipalities"]))
                     for r in csv.DictReader(f))


def prefectures() -> tuple[Prefecture, ...]:
    """The 47 prefectures in code order."""
    return _table(data_dir() / "reference" / "prefectures.csv")


def _short(name_ja: str) -> str:
    """東京都 → 東京, 京都府 → 京都, 北海道 stays 北海道 (道 is part of the name)."""
    return name_ja[:-1] if name_ja[-1:] in ("都", "府", "県") else name_ja


def resolve_prefecture(value: object) -> Prefecture:
    """The prefecture ``value`` names (code, Japanese or English name); ParameterError otherwise."""
    table = prefectures()
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ParameterError(_message(value))
    text = str(value).strip()
    if text.isascii() and text.isdigit() and 1 <= len(text) <= 2:
        code = text.zfill(2)
        for p in table:
            if p.code == code:
                return p
        raise ParameterError(_message(value))
    for p in table:
        if text in (p.name_ja, _short(p.name_ja)) or text.casefold() == p.name_en.casefold():
            return p
    raise ParameterError(_message(value))


#: The profiles' folder under reports/ (the runner writes reports/prefectures/<code>_<name>/).
PROFILES_DIR = "prefectures"
_SLUG = re.compile(r"(\d{2})_[a-z]+")


def profile_output_dir(pref: Prefecture, output_dir: str | Path | None) -> Path:
    """Where the profile of ``pref`` is written: by default ``reports/prefectures/<code>_<name>``
    of the prefecture itself, so a hand run for 大阪府 never writes into Tokyo's folder.

    A folder named for another prefecture (``…/13_tokyo`` for pref_code 27) is refused with one
    line: its name would claim content it does not hold. Any other folder is the user's own."""
    if output_dir is None or (isinstance(output_dir, str) and not output_dir.strip()):
        from helpers.paths import reports_dir

        return reports_dir() / PROFILES_DIR / pref.slug
    folder = Path(output_dir)
    named = _SLUG.fullmatch(folder.name)
    if named and folder.name != pref.slug and any(folder.name == p.slug for p in prefectures()):
        other = next(p for p in prefectures() if p.slug == folder.name)
        raise ParameterError(f"output_dir {folder.name!r} is the folder of {other.name_en} ({other.name_ja}) but "
                             f"pref_code is {pref.code} {pref.name_en} ({pref.name_ja}); leave output_dir = None "
                             f"(reports/{PROFILES_DIR}/{pref.slug}) or name a folder of your own")
    return folder


def _message(value: object) -> str:
    hint = ""
    if isinstance(value, str) and value.strip():
        names = [n for p in prefectures() for n in (p.name_ja, p.name_en)]
        close = difflib.get_close_matches(value.strip(), names, n=1, cutoff=0.6)
        if not close:
            close = difflib.get_close_matches(value.strip().title(), names, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
    return (f"pref_code must be a prefecture code 01–47 or a prefecture name in Japanese or English "
            f"(data/reference/prefectures.csv); got {value!r}{hint}")
