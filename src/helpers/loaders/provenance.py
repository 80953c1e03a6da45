"""Every transcribed number checked against the text of its source.

Each source in ``data/sources.csv`` names its text file (``text_file``, relative to the sources
folder: ``DXKIT_SOURCES``, default ``../shared`` beside the project). For every row of the national
files the check finds the row's ``stated_as`` fragment in that text and each stored number in the
fragment (a derived row: the arithmetic of the two numbers it states). Rows whose source text is
not on this machine are *reported as unverified*, never passed silently.

Run ``python -m helpers.loaders.provenance`` to see the result for your own sources folder.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from helpers.paths import data_dir, project_root

NATIONAL = ["indicators", "breakdowns", "online_procedures", "online_totals"]
NUMERIC = ("count", "percent", "annual_cases", "online_rate", "total_cases", "online_cases")
ALL_PHRASES = ("全団体", "全ての団体", "全都道府県", "すべて", "全て")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CHANGE = re.compile(r"(全団体|\d[\d,]*)\D{0,3}\(([+\-−±])(\d[\d,]*)\)")


def sources_folder() -> Path:
    """Where source texts are read: ``DXKIT_SOURCES`` or ``../shared`` beside the project."""
    return Path(os.environ.get("DXKIT_SOURCES", project_root().parent / "shared")).resolve()


def squash(text: str) -> str:
    """Text compared without width or whitespace differences (NFKC, no spaces or line breaks)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def numbers(fragment: str) -> set[float]:
    """Numbers as published in a fragment; 千 and 万 after a number also give the scaled value."""
    out: set[float] = set()
    text = unicodedata.normalize("NFKC", fragment)
    for m in _NUMBER.finditer(text):
        v = float(m.group().replace(",", ""))
        out.add(v)
        unit = text[m.end():m.end() + 2].strip()[:1]
        if unit == "千":
            out.add(v * 1e3)
        elif unit == "万":
            out.add(v * 1e4)
    return out


def derived_value(fragment: str, base: str) -> float | None:
    """'1,270団体(+48)' → 1,222: the earlier value a stated change implies ('全団体' = the base)."""
    m = _CHANGE.search(unicodedata.normalize("NFKC", fragment))
    if not m:
        return None
    value = float(base) if m.group(1) == "全団体" else float(m.group(1).replace(",", ""))
    change = float(m.group(3).replace(",", ""))
    return value - change if m.group(2) == "+" else value + change if m.group(2) in "-−" else value


@dataclass
class Result:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    unverified: dict[str, int] = field(default_factory=dict)  # source key → rows whose text is absent


def _source_texts(folder: Path, data: Path) -> tuple[dict[str, str], dict[str, str]]:
    import csv

    texts, missing = {}, {}
    with (data / "sources.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rel = row.get("text_file", "")
            path = folder / rel if rel else None
            if path and path.is_file():
                texts[row["key"]] = squash(path.read_text(encoding="utf-8"))
            else:
                missing[row["key"]] = rel or "(no text_file in sources.csv)"
    return texts, missing


def check(folder: Path | None = None, data: Path | None = None, files: list[str] | None = None) -> Result:
    """Check every national row (and the revisions and series breaks) against its source text."""
    import csv

    folder, data = folder or sources_folder(), data or data_dir()
    texts, _ = _source_texts(folder, data)
    res = Result()
    paths = [data / "national" / f"{n}.csv" for n in (files or NATIONAL)]
    paths += [p for p in (data / "national" / "revisions.csv", data / "national" / "date_evidence.csv",
                          data / "series_breaks.csv") if p.is_file() and not files]
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for no, row in enumerate(csv.DictReader(fh), 2):
                where = f"{path.relative_to(data)} row {no}"
                if row["source"] not in texts:
                    res.unverified[row["source"]] = res.unverified.get(row["source"], 0) + 1
                    continue
                res.checked += 1
                problem = _check_row(row, texts[row["source"]])
                if problem:
                    res.problems.append(f"{where}: {problem}")
    return res


def _check_row(row: dict, text: str) -> str | None:
    frag = row["stated_as"]
    if squash(frag) not in text:
        return f"stated_as {frag!r} not found in the source text"
    if row.get("status") == "derived":
        if derived_value(frag, row.get("base", "")) != float(row["count"]):
            return f"derived count {row['count']} does not follow from {frag!r}"
        return None
    nums = numbers(frag)
    for col in [c for c in (*NUMERIC, "value_before", "value_after") if row.get(c)]:
        v = float(row[col])
        all_stated = col == "count" and row.get("base") and v == float(row["base"]) \
            and any(p in squash(frag) for p in ALL_PHRASES)
        if not all_stated and not any(abs(v - n) < 1e-9 for n in nums):
            return f"{col}={row[col]} is not stated in {frag!r}"
    return None


def main(argv: list[str] | None = None) -> int:
    """Print the check; exit 1 on a mismatch (unverified rows are listed but are not errors)."""
    res = check()
    print(f"sources folder: {sources_folder()}")
    print(f"{res.checked:,} rows verified against their source text, {len(res.problems)} problem(s)")
    for key, n in sorted(res.unverified.items()):
        print(f"unverified: {n:,} row(s) of source {key!r} — its text is not in the sources folder")
    for p in res.problems:
        print(f"problem: {p}")
    return 1 if res.problems else 0


if __name__ == "__main__":
    sys.exit(main())
