"""Row labels of the dashboard export → ids, read from ``data/reference/dashboard_layout.csv``.

The layout of an export is data, not code: each known row label (and procedure name) has an
indicator id, a unit and a group, with aliases for known renamings. A new release may add, rename
or drop rows; the loaders keep an unknown row as *unmapped* and say so, and report a known row that
is missing. Kept free of pandas so the runner can check files cheaply.
"""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


LAYOUT_FILE = "dashboard_layout.csv"
LAYOUT_COLUMNS = ("file", "group", "label", "id", "unit", "decimals", "aliases", "source", "note")
UNITS = ("binary", "percent", "procedures")


class LayoutError(ValueError):
    """``data/reference/dashboard_layout.csv`` is malformed (a project file, not user input)."""


@dataclass(frozen=True)
class Item:
    """One known row of an export: where it is (file, group), its label, id and unit."""
    file: str  # comparison | rates | rate_group
    group: str
    label: str
    id: str
    unit: str
    decimals: int | None  # decimals the CSV export publishes (values from a spreadsheet are rounded to them)
    aliases: tuple[str, ...]


def layout_path() -> Path:
    from helpers.paths import data_dir

    return data_dir() / "reference" / LAYOUT_FILE


@lru_cache(maxsize=4)
def _layout(path: Path, mtime_ns: int) -> tuple[Item, ...]:  # mtime in the key: an edited file is re-read
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != LAYOUT_COLUMNS:
            raise LayoutError(f"{path}: columns must be {','.join(LAYOUT_COLUMNS)}")
        items = []
        for no, r in enumerate(reader, 2):
            if r["file"] not in ("comparison", "rates", "rate_group") or not r["label"].strip() or not r["id"].strip():
                raise LayoutError(f"{path}: line {no}: needs file (comparison|rates|rate_group), label and id")
            if r["file"] != "rate_group" and r["unit"] not in UNITS:
                raise LayoutError(f"{path}: line {no}: unit {r['unit']!r} is not one of {', '.join(UNITS)}")
            if r["decimals"].strip() and not r["decimals"].strip().isdigit():
                raise LayoutError(f"{path}: line {no}: decimals {r['decimals']!r} is not a whole number")
            aliases = tuple(a.strip() for a in r["aliases"].split("|") if a.strip())
            decimals = int(r["decimals"]) if r["decimals"].strip() else None
            items.append(Item(r["file"], r["group"].strip(), r["label"].strip(), r["id"].strip(), r["unit"], decimals,
                              aliases))
    seen: dict[tuple[str, str, str], str] = {}
    for it in items:
        for name in (it.label, *it.aliases):
            key = (it.file, it.group if it.file == "rates" else "", name)
            if key in seen and seen[key] != it.id:
                raise LayoutError(f"{path}: label {name!r} maps to both {seen[key]} and {it.id}")
            seen[key] = it.id
    return tuple(items)


def layout(path: Path | None = None) -> tuple[Item, ...]:
    """Every known row of the export, from ``data/reference/dashboard_layout.csv`` (read once per edit)."""
    path = path or layout_path()
    if not path.is_file():  # a project tree without it (a bare checkout, a test's tiny tree): no row is known,
        return ()           # and a loader then says so, naming this file
    return _layout(path, path.stat().st_mtime_ns)


def comparison_labels() -> dict[str, str]:
    """Row label or alias (trimmed) of the 比較 files → indicator id."""
    return {name: it.id for it in layout() if it.file == "comparison" for name in (it.label, *it.aliases)}


def rate_groups() -> dict[str, str]:
    """Group label or alias of the 申請率 files → group id."""
    return {name: it.id for it in layout() if it.file == "rate_group" for name in (it.label, *it.aliases)}


def procedures() -> dict[tuple[str, str], str]:
    """(group id, procedure name or alias) of the 申請率 files → indicator id."""
    return {(it.group, name): it.id for it in layout() if it.file == "rates" for name in (it.label, *it.aliases)}


def units() -> dict[str, str]:
    """Indicator id → unit (binary, percent, procedures) for every known row."""
    return {it.id: it.unit for it in layout() if it.file != "rate_group"}


def decimals() -> dict[str, int]:
    """Indicator id → decimals of its published values (0 for the 比較 files' percentages, 1 for 申請率)."""
    return {it.id: it.decimals for it in layout() if it.decimals is not None}


def municipal_procedures() -> dict[str, tuple[str, ...]]:
    """Procedures of the municipal 申請率 file by group, in published order (ids ``online_rate_<group>_NN``)."""
    out: dict[str, list[str]] = {}
    for it in layout():
        if it.file == "rates" and not it.id.rsplit("_", 1)[-1].startswith("p"):
            out.setdefault(it.group, []).append(it.label)
    return {g: tuple(v) for g, v in out.items()}


def _labels_by_id() -> dict[str, str]:
    return {it.id: it.label for it in layout() if it.file == "comparison"}


def look_of(cells: list[str]) -> str:
    """The unit an unknown row's cells look like: binary (実施/未実施), percent (``72%``), procedures
    (whole numbers) or text — so an unmapped row is typed, never refused."""
    filled = [c.strip() for c in cells if c.strip() and c.strip() not in ("調査無し", "%", "％")]
    if filled and all(c in ("実施", "未実施") for c in filled):
        return "binary"
    if filled and all(c.endswith(("%", "％")) for c in filled):
        return "percent"
    if filled and all(c.replace(",", "").lstrip("-").isdigit() for c in filled):
        return "procedures"
    return "text" if filled else "percent"


UNMAPPED_PREFIX = "unmapped:"


def unmapped_id(label: str) -> str:
    """The indicator id an unknown row keeps: its label, marked as not in the layout."""
    return UNMAPPED_PREFIX + label


# The module-level tables the rest of the code imports (``INDICATORS``: row label or alias → id of the
# 比較 files; ``BINARY``: the yes/no ids; ``RATE_GROUPS``: group label → id of the 申請率 files;
# ``COMPARISON_IDS``: known 比較 ids → label as published), read from the layout file on first use
# (PEP 562), so importing this module reads nothing.
_TABLES = {
    "INDICATORS": comparison_labels,
    "BINARY": lambda: [it.id for it in layout() if it.file == "comparison" and it.unit == "binary"],
    "RATE_GROUPS": rate_groups,
    "COMPARISON_IDS": _labels_by_id,
}


def __getattr__(name: str):
    if name in _TABLES:
        return _TABLES[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


CSV_ENCODINGS = ("utf-8-sig", "cp932")


def decode_csv(raw: bytes) -> str | None:
    """The text of a dashboard CSV (UTF-8 with or without BOM, or cp932); None if neither fits."""
    for encoding in CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


#: Largest dashboard file read (the real exports are under 0.2 MB); checked before reading so a
#: wrong or runaway file cannot exhaust memory.
MAX_BYTES = 50 * 1024 * 1024


def file_problem(path, head: bytes | None = None) -> str | None:
    """What makes a dashboard file unreadable before parsing, in words (None if nothing): too large,
    empty, or UTF-16. ``head``: the file's first bytes if already read."""
    from pathlib import Path

    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        return f"file is {size / 1024 ** 2:,.0f} MB; the limit is {MAX_BYTES // 1024 ** 2} MB (a dashboard export is well under 1 MB)"
    if head is None:
        with path.open("rb") as fh:
            head = fh.read(4096)
    if not head.strip():
        return "file is empty"
    if path.suffix.lower() == ".csv" and (head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:200].count(b"\x00") > 10):
        return "UTF-16 is not supported; save the file as UTF-8 CSV"
    from helpers.loaders.input_limits import problem  # rows, columns, unpacked size: bounded before any parsing

    return problem(path)


CUT_MID_CHARACTER = "the file ends in the middle of a character — it looks cut short"


def ends_mid_character(raw: bytes) -> bool:
    """True if ``raw`` is UTF-8 except for an incomplete character at its very end (a cut file)."""
    body = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(body) - 3 and exc.reason == "unexpected end of data"
    return False
