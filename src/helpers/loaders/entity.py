"""Per-entity data from the デジタル庁 dashboard export, as tidy frames.

The export is wide (indicators are rows, the 1,741 municipalities or 47 prefectures are
columns) and names repeat across prefectures (府中市 is in 東京都 and 広島県), so entities are
identified by position: columns follow 全国地方公共団体コード order, and the prefecture of each
municipal column follows from the number of municipalities per prefecture
(``data/reference/prefectures.csv``). A file that does not fit is refused with one clear
message — never shifted silently. Files are read from a path the user gives; nothing from
them is stored in the repository.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.loaders import dashboard_checks
from helpers import batch_cache
from helpers.loaders.errors import DashboardError
from helpers.paths import data_dir
from helpers.vocabulary import TYPE_BY_NAME_SUFFIX

from helpers.loaders.dashboard_labels import BINARY, INDICATORS, MAX_BYTES, RATE_GROUPS, decode_csv, file_problem  # noqa: F401  (re-exported)
from helpers.loaders.dashboard_labels import CUT_MID_CHARACTER, UNMAPPED_PREFIX, ends_mid_character, unmapped_id
from helpers.loaders import dashboard_labels
MUNICIPALITY_TYPES = TYPE_BY_NAME_SUFFIX  # helpers.vocabulary: 区 → special_ward
NOT_SURVEYED = "調査無し"
XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
#: Indicators stored as percentages (0–100) in the 比較 files.
PERCENT_ROWS = ("mynumber_card_rate", "online26_share", "online32_share")


def _fail(path: Path, problem: str) -> DashboardError:
    return DashboardError(f"{path}: {problem}")


@lru_cache(maxsize=1)
def _prefectures_table(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "reference" / "prefectures.csv", dtype={"pref_code": str})


def prefectures(folder: Path | None = None) -> pd.DataFrame:
    """The reference table: pref_code, name_ja, name_en, region, municipalities (2024)."""
    return _prefectures_table(folder or data_dir()).copy()


# ------------------------------------------------------------------------------ reading grids

def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):  # the shortest text that reads back as the stored number (0.58, not 0.57999…)
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def _decode(raw: bytes, path: Path) -> str:
    """The CSV text; UTF-16 and files cut inside a character are named as such."""
    if ends_mid_character(raw):
        raise _fail(path, CUT_MID_CHARACTER)
    text = decode_csv(raw)
    if text is None:
        raise _fail(path, "unreadable encoding (expected UTF-8 or cp932 CSV, or .xlsx)")
    return text


def _read_grid(path: Path) -> list[list[str]]:
    """The file's cells as text rows (CSV in UTF-8 with/without BOM or cp932, or a spreadsheet).

    Refused before parsing: files over :data:`MAX_BYTES`, UTF-16, empty files; after parsing: a CSV
    row with fewer or more cells than the header (a file cut mid-row or a damaged line)."""
    if not path.is_file():
        raise _fail(path, "file not found")
    problem = file_problem(path)
    if problem:
        raise _fail(path, problem)
    if path.suffix.lower() in XLSX_SUFFIXES:
        try:
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types
            raise _fail(path, f"cannot be read as a spreadsheet ({type(exc).__name__}: {exc})") from None
        return [[_cell_text(c) for c in r] for r in rows]
    raw = path.read_bytes()
    if not raw.strip():
        raise _fail(path, "file is empty")
    text = _decode(raw, path)
    try:
        grid = [r for r in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise _fail(path, f"not a valid CSV ({exc})") from None
    width = len(grid[0]) if grid else 0
    for no, row in enumerate(grid[1:], 2):
        if row and any(c.strip() for c in row) and len(row) != width:
            raise _fail(path, f"line {no} has {len(row):,} cells where the header has {width:,} "
                              "(file cut short or damaged)")
    return grid


def _trim(grid: list[list[str]], path: Path) -> tuple[str, list[str], list[list[str]]]:
    """Corner label, entity names and body rows (empty rows and trailing empty columns dropped)."""
    rows = [[c.strip() for c in r] for r in grid if any(c.strip() for c in r)]
    if len(rows) < 2:
        if path.suffix.lower() in XLSX_SUFFIXES:  # only the first sheet is read: say so, it may be another
            raise _fail(path, "its first sheet has no data rows (only the first sheet is read; "
                              "put the export's table on the first sheet)")
        raise _fail(path, "no data rows (empty file or not a dashboard export)")
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    while width > 2 and not any(r[width - 1] for r in rows):
        width -= 1
    rows = [r[:width] for r in rows]
    header, body = rows[0], rows[1:]
    if width < 3:
        raise _fail(path, "no entity columns (expected indicators as rows, entities as columns)")
    return header[0].lstrip("\ufeff"), header[2:], body


def _entities(names: list[str], path: Path, header0: str) -> pd.DataFrame:
    """Assign tier, prefecture and position-in-prefecture to the entity columns."""
    ref = prefectures()
    if any(not n for n in names):
        raise _fail(path, f"entity column {names.index('') + 3} has no name")
    if header0 == "都道府県" or names == list(ref["name_ja"]):
        if names != list(ref["name_ja"]):
            raise _fail(path, f"prefecture columns must be the 47 prefectures in code order; found {len(names)} "
                              f"columns starting {names[:2]}")
        return pd.DataFrame({"tier": "prefecture", "pref_code": ref["pref_code"], "prefecture": ref["name_ja"],
                             "entity": names, "entity_seq": 1, "municipality_type": pd.NA})
    expected = int(ref["municipalities"].sum())
    if len(names) != expected:
        from helpers.loaders.municipalities import first_mismatch, master_path

        if master_path().is_file():
            raise _fail(path, first_mismatch(names))
        raise _fail(path, f"expected {expected:,} municipality columns (sum of data/reference/prefectures.csv), "
                          f"found {len(names):,}; update data/reference (python -m helpers.loaders.build_reference)")
    codes = ref["pref_code"].repeat(ref["municipalities"]).to_list()
    prefs = ref["name_ja"].repeat(ref["municipalities"]).to_list()
    seq = [i + 1 for n in ref["municipalities"] for i in range(n)]
    frame = pd.DataFrame({"tier": "municipality", "pref_code": codes, "prefecture": prefs, "entity": names,
                          "entity_seq": seq})
    from helpers.loaders.municipalities import map_dashboard_columns

    frame["code5"] = map_dashboard_columns(names, codes, source=path)["code5"].to_numpy()
    frame["municipality_type"] = frame["entity"].str[-1].map(MUNICIPALITY_TYPES)
    wards = frame[(frame["pref_code"] == "13") & (frame["entity_seq"] <= 23)]
    if not wards["entity"].str.endswith("区").all() or frame["municipality_type"].isna().any():
        raise _fail(path, "municipality columns are not in 全国地方公共団体コード order "
                          "(東京都's first 23 columns must be the special wards)")
    return frame


_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?)\s*[%％]$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def _parse_value(text: str, path: Path, where: str, strict: bool = True) -> tuple[float, bool]:
    """(value, not_surveyed) for one cell: 実施 1, 未実施 0, 調査無し/blank missing, "72%" 72.0.
    ``strict`` False (a row the layout does not know): other text is kept as missing, never refused."""
    if text in ("", "%", "％"):  # a bare "%" appears where the share's denominator is 0
        return float("nan"), False
    if text == "実施":
        return 1.0, False
    if text == "未実施":
        return 0.0, False
    if text == NOT_SURVEYED:
        return float("nan"), True
    m = _PERCENT.match(text)
    if m:
        return float(m.group(1)), False
    if _NUMBER.match(text.replace(",", "")):
        return float(text.replace(",", "")), False
    if not strict:
        return float("nan"), False
    raise _fail(path, f"unrecognised value {text!r} at {where}")


def _long(entities: pd.DataFrame, ids: list[str], values: list[list[str]], path: Path,
          labels: list[str]) -> pd.DataFrame:
    parsed = [[_parse_value(v, path, f"row {lab!r}, column {j + 3}", not str(i).startswith(UNMAPPED_PREFIX))
               for j, v in enumerate(row)] for i, lab, row in zip(ids, labels, values)]
    n = len(entities)
    out = pd.concat([entities] * len(ids), ignore_index=True)
    out["indicator"] = [i for i in ids for _ in range(n)]
    out["value"] = [p[0] for row in parsed for p in row]
    out["not_surveyed"] = [p[1] for row in parsed for p in row]
    out["raw"] = [v for row in values for v in row]
    return out


def load_dashboard(path: str | Path) -> pd.DataFrame:
    """Read a dashboard 比較 file (municipal or prefectural; CSV or .xlsx) into a tidy frame.

    Columns: tier, pref_code, prefecture, entity, entity_seq, municipality_type, indicator,
    value (float; 実施 1 / 未実施 0 / missing), not_surveyed (調査無し), raw (cell text).
    Row labels are mapped by ``data/reference/dashboard_layout.csv``; a row it does not know (a new
    indicator of a later release) is kept as ``unmapped:<label>``, its values typed by their look,
    and listed in ``frame.attrs["unmapped"]`` — never a reason to refuse the file.
    """
    path = Path(path)
    header0, header, body = _trim(_read_grid(path), path)
    labels = [r[1] for r in body]
    dashboard_checks.unique_rows(labels, path)
    known = dashboard_labels.comparison_labels()
    if not any(lab in known for lab in labels):
        raise _fail(path, f"no known row label (first rows {labels[:2]}) — not a dashboard 比較 file "
                          "(the labels it knows are in data/reference/dashboard_layout.csv)")
    ids = [known.get(lab) or unmapped_id(lab) for lab in labels]
    _refuse_repeats(path, labels, ids)
    entities = _entities(header, path, header0)
    values = [r[2:] for r in body]
    out = _long(entities, ids, values, path, labels)
    units = dashboard_labels.units()
    looks = {i: units.get(i) or dashboard_labels.look_of(v) for i, v in zip(ids, values)}
    out = dashboard_checks.percent_scale(out, "value", out["indicator"].map(looks).eq("percent"), path, "indicator",
                                         len(entities))
    out = dashboard_checks.check_values(out, "value", path, "indicator", len(entities), BINARY)
    out = _round_to_source(out, "value", ids)
    out.attrs["unmapped"] = [lab for lab, i in zip(labels, ids) if i.startswith(UNMAPPED_PREFIX)]
    out.attrs["units"] = {i: looks[i] for i in ids if i.startswith(UNMAPPED_PREFIX)}
    return out


def _refuse_repeats(path: Path, labels: list[str], ids: list[str]) -> None:
    """Two rows with one id (a label and its alias, or a repeated row) would double every count."""
    seen: dict[str, str] = {}
    for lab, i in zip(labels, ids):
        if i in seen:
            raise _fail(path, f"rows {seen[i]!r} and {lab!r} are both {i}; keep one")
        seen[i] = lab


def _round_to_source(out: pd.DataFrame, col: str, ids: list[str]) -> pd.DataFrame:
    """Values to the decimals the CSV export publishes (``decimals`` in the layout), so a spreadsheet's
    0.58 × 100 = 57.99999999999999 reads as the CSV's 58 and the two exports give identical outputs."""
    places = dashboard_labels.decimals()
    for i in dict.fromkeys(ids):
        if i in places:
            rows = out["indicator" if "indicator" in out else "procedure_id"] == i
            out.loc[rows, col] = out.loc[rows, col].round(places[i])
    return out



def load_online_rates(path: str | Path) -> pd.DataFrame:
    """Read a dashboard 申請率 file: one row per entity × procedure with its online application rate.

    A group label the layout does not know is kept as ``unmapped:<label>`` (listed in
    ``frame.attrs["unmapped"]``, as are procedures the layout does not know); never refused."""
    path = Path(path)
    header0, header, body = _trim(_read_grid(path), path)
    groups = [r[0] for r in body]
    known_groups = dashboard_labels.rate_groups()
    if not any(g in known_groups for g in groups):
        raise _fail(path, f"no known procedure group (first rows {sorted(set(groups))[:2]}) — not a dashboard "
                          "申請率 file (the groups it knows are in data/reference/dashboard_layout.csv)")
    group_ids = [known_groups.get(g) or unmapped_id(g) for g in groups]
    entities = _entities(header, path, header0)
    procs = [r[1] for r in body]
    dashboard_checks.unique_rows([f"{g} / {p}" for g, p in zip(groups, procs)], path, "procedure")
    known = dashboard_labels.procedures()
    proc_ids = [known.get((g, p)) or unmapped_id(p) for g, p in zip(group_ids, procs)]
    _refuse_repeats(path, procs, proc_ids)
    out = _long(entities, procs, [r[2:] for r in body], path, procs)
    out = out.rename(columns={"indicator": "procedure", "value": "rate"}).drop(columns="not_surveyed")
    n = len(entities)
    out.insert(out.columns.get_loc("procedure"), "group", [g for g in group_ids for _ in range(n)])
    out["procedure_id"] = [i for i in proc_ids for _ in range(n)]
    out = dashboard_checks.percent_scale(out, "rate", pd.Series(True, index=out.index), path, "procedure", n)
    out = dashboard_checks.check_values(out, "rate", path, "procedure", n)
    out = _round_to_source(out, "rate", proc_ids)
    out.attrs["unmapped"] = [p for p, i in zip(procs, proc_ids) if i.startswith(UNMAPPED_PREFIX)]
    return out


def find_dashboard_files(folder: str | Path) -> dict[str, Path]:
    """The dashboard files in ``folder`` by role: municipal/prefectural × comparison/rates."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DashboardError(f"{folder}: dashboard directory not found")
    roles = {
        "municipal_comparison": ("市区町村", "比較"),
        "municipal_rates": ("市区町村", "申請率"),
        "prefectural_comparison": ("都道府県のDX", "比較"),
        "prefectural_rates": ("都道府県のDX", "申請率"),
    }
    found: dict[str, Path] = {}
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".csv", *XLSX_SUFFIXES})
    for role, (tier_word, kind_word) in roles.items():
        matches = [p for p in files if tier_word in p.name and kind_word in p.name]
        if len(matches) > 1:
            raise DashboardError(f"{folder}: {len(matches)} files could be the {tier_word} {kind_word} table "
                                 f"({', '.join(p.name for p in matches)}); keep exactly one")
        if matches:
            found[role] = matches[0]
    if "municipal_comparison" not in found and "prefectural_comparison" not in found:
        raise DashboardError(f"{folder}: no dashboard 比較 file (expected a name containing 市区町村 or "
                             "都道府県 and 比較, as in the official download)")
    return found


# ------------------------------------------------------------------ the whole export, once per batch

def load_export(dashboard_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Every dashboard file found in the folder, loaded (keys as in :func:`find_dashboard_files`);
    in a batch run, loaded once by the runner for all notebooks (:mod:`helpers.batch_cache`)."""
    files = find_dashboard_files(dashboard_dir)
    return batch_cache.cached("dashboard", lambda: _key(files), lambda: _load(files))


def build_cache(cache: str | Path, dashboard_dir: str | Path, frames: dict[str, pd.DataFrame] | None = None) -> Path:
    """Store the loaded dashboard (``frames``, if loaded already) in the batch cache folder ``cache``."""
    files = find_dashboard_files(dashboard_dir)
    return batch_cache.store(cache, "dashboard", _key(files), frames if frames is not None else _load(files))


def _key(files: dict[str, Path]) -> tuple:
    return batch_cache.files_key(*files.values())


def _load(files: dict[str, Path]) -> dict[str, pd.DataFrame]:
    out = {}
    for role, path in files.items():
        out[role] = load_online_rates(path) if role.endswith("rates") else load_dashboard(path)
    return out
