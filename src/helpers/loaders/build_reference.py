"""Build ``data/reference/municipalities.csv`` from the vendored files: ``python -m helpers.loaders.build_reference``.

The list of municipalities, their codes, names and 2020 populations come from the e-Stat census
table in ``data/external/population``; 中核市 from ``data/reference/core_cities.csv``. The result
is checked against the dashboard header (same names in the same order), the N03 boundaries (same
codes, names and prefectures) and ``data/reference/prefectures.csv`` (same count per prefecture)
before it is written, so the master cannot drift from the data it joins. Same inputs, same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

import pandas as pd

from helpers.atomic import write_text_atomic
from helpers.loaders.dashboard_labels import decode_csv
from helpers.loaders.estat import EstatError, read_stats_data
from helpers.loaders.municipalities import MASTER_COLUMNS, TYPES
from helpers.loaders import boundaries
from helpers.paths import data_dir

POPULATION_TABLE_ID = "0003433219"  # e-Stat: 令和2年国勢調査 人口速報集計, population by municipality
POPULATION = f"external/population/estat_{POPULATION_TABLE_ID}_census2020_preliminary.json"
DASHBOARD = "external/dashboard/市区町村毎のDX進捗状況_市区町村比較.csv"
BOUNDARIES = "/".join(boundaries.BOUNDARIES)  # the files the maps read (helpers.loaders.boundaries)
PREFECTURE_BOUNDARIES = "/".join(boundaries.PREFECTURES)
CORE_CITIES = "reference/core_cities.csv"
PREFECTURES = "reference/prefectures.csv"
OUTPUT = "reference/municipalities.csv"

N_MUNICIPALITIES = 1741
#: Counts the law fixes (20 政令指定都市, 23 特別区) and 総務省 lists (62 中核市 on 2023-04-01).
EXPECTED_TYPES = {"designated_city": 20, "core_city": 62, "special_ward": 23}
#: e-Stat area levels: 4 = cities (designated cities whole, special wards, and the aggregate
#: 13100 特別区部), 5 = wards of designated cities, 6 = towns and villages.
CITY_LEVEL, WARD_LEVEL, TOWN_LEVEL = "4", "5", "6"
TOKYO_WARDS_TOTAL = "13100"
#: The six 北方領土 villages: N03 draws them, but they are not among the 1,741 governments.
NORTHERN_TERRITORIES = frozenset({"01695", "01696", "01697", "01698", "01699", "01700"})
#: Names N03 spells with another form of a kanji than e-Stat and the dashboard (code → N03 name).
N03_SPELLINGS = {"39405": "梼原町"}  # 檮原町 (高知県)
WEIGHTS = (6, 5, 4, 3, 2)


class BuildError(ValueError):
    """An input does not agree with the others; the master is not written."""


def check_digit(code5: str) -> str:
    """The check digit of a 5-digit 全国地方公共団体コード (JIS X 0401/0402): weights 6,5,4,3,2,
    then 11 − (sum mod 11), keeping the last digit (10 → 0, 11 → 1)."""
    if not (isinstance(code5, str) and len(code5) == 5 and code5.isascii() and code5.isdigit()):
        raise ValueError(f"not a 5-digit code: {code5!r}")
    total = sum(int(d) * w for d, w in zip(code5, WEIGHTS))
    return str((11 - total % 11) % 10)


def _population(folder: Path) -> pd.DataFrame:
    """Total population (cat01 0 総数) of every e-Stat area; the response must be of the expected
    table (another table's cells would build a wrong master with the same shape)."""
    from helpers.loaders.estat import table_info

    found = table_info(folder / POPULATION).get("id")
    if found != POPULATION_TABLE_ID:
        raise BuildError(f"{folder / POPULATION}: e-Stat table {found!r}, expected {POPULATION_TABLE_ID} "
                         "(令和2年国勢調査 人口速報集計)")
    cells = read_stats_data(folder / POPULATION)
    return cells[cells["cat01"] == "0"].reset_index(drop=True)


def _types(areas: pd.DataFrame, core: set[str], wards_of: set[str]) -> pd.Series:
    """designated_city / special_ward / core_city / city / town / village for each master row
    (``wards_of``: the codes that have level-5 wards, i.e. the designated cities)."""
    out = []
    for code, level, parent, name in areas[["area", "area_level", "area_parent_code", "area_name"]].itertuples(
            index=False):
        if level == CITY_LEVEL:
            if parent == TOKYO_WARDS_TOTAL:
                kind, suffix = "special_ward", "区"
            elif code in wards_of:
                kind, suffix = "designated_city", "市"
            elif code in core:
                kind, suffix = "core_city", "市"
            else:
                kind, suffix = "city", "市"
        elif name.endswith("町"):
            kind, suffix = "town", "町"
        elif name.endswith("村"):
            kind, suffix = "village", "村"
        else:
            raise BuildError(f"{POPULATION}: level-6 area {code} {name} ends in neither 町 nor 村")
        if not name.endswith(suffix):
            raise BuildError(f"{POPULATION}: area {code} {name} is a {kind} but does not end in {suffix}")
        out.append(kind)
    return pd.Series(out, index=areas.index, dtype="string")


def _core_cities(folder: Path, areas: pd.DataFrame, prefs: dict[str, str]) -> set[str]:
    core = pd.read_csv(folder / CORE_CITIES, dtype=str, keep_default_na=False)
    expected = EXPECTED_TYPES["core_city"]
    if len(core) != expected or core["code5"].nunique() != expected:
        raise BuildError(f"{CORE_CITIES}: expected {expected} distinct 中核市, found {core['code5'].nunique()}")
    names = dict(zip(areas["area"], areas["area_name"]))
    for code, name, pref in core[["code5", "name", "pref_name"]].itertuples(index=False):
        if names.get(code) != name or prefs.get(code[:2]) != pref:
            raise BuildError(f"{CORE_CITIES}: {code} {name} ({pref}) is {names.get(code)} "
                             f"({prefs.get(code[:2])}) in the e-Stat table")
    return set(core["code5"])


def build_master(folder: Path | None = None) -> pd.DataFrame:
    """The 1,741 municipalities (e-Stat level 4 without 13100, plus level 6) in code order."""
    folder = folder or data_dir()
    cells = _population(folder)
    prefs = dict(zip(cells.loc[cells["area_level"] == "2", "area"].str[:2],
                     cells.loc[cells["area_level"] == "2", "area_name"]))
    is_muni = ((cells["area_level"] == CITY_LEVEL) & (cells["area"] != TOKYO_WARDS_TOTAL)) | (
        cells["area_level"] == TOWN_LEVEL)
    areas = cells[is_muni].sort_values("area").reset_index(drop=True)
    if len(areas) != N_MUNICIPALITIES or areas["area"].duplicated().any():
        raise BuildError(f"{POPULATION}: expected {N_MUNICIPALITIES:,} distinct municipalities, found {len(areas):,}")
    core = _core_cities(folder, cells[cells["area_level"] == CITY_LEVEL], prefs)
    code5 = areas["area"].astype(str)
    master = pd.DataFrame({
        "code6": [c + check_digit(c) for c in code5],
        "code5": code5,
        "pref_code": code5.str[:2],
        "pref_name": code5.str[:2].map(prefs),
        "name": areas["area_name"],
        "type": _types(areas, core, set(cells.loc[cells["area_level"] == WARD_LEVEL, "area_parent_code"])),
        "population_2020": areas["value"].round().astype("Int64"),
        "population_note": areas["value_note"].fillna(""),
        "dashboard_order": pd.array(range(1, len(areas) + 1), dtype="Int64"),
    })[MASTER_COLUMNS]
    counts = master["type"].value_counts()
    for kind, n in EXPECTED_TYPES.items():
        if counts.get(kind, 0) != n:
            raise BuildError(f"{POPULATION}: found {counts.get(kind, 0)} {kind} where {n} were expected")
    if not set(counts.index) <= set(TYPES):
        raise BuildError(f"unknown type(s) {sorted(set(counts.index) - set(TYPES))}")
    return master


def dashboard_names(path: Path) -> list[str]:
    """The municipal column headers of a dashboard 比較 CSV, in file order."""
    text = decode_csv(path.read_bytes())
    if text is None:
        raise BuildError(f"{path}: unreadable encoding")
    header = next(csv.reader(io.StringIO(text)))
    names = [h.strip() for h in header[2:]]
    while names and not names[-1]:
        names.pop()
    return names


def check_dashboard(master: pd.DataFrame, path: Path) -> None:
    """The dashboard's municipal columns are the master's names, in dashboard_order."""
    names = dashboard_names(path)
    expected = master.sort_values("dashboard_order")
    if len(names) != len(expected):
        raise BuildError(f"{path}: {len(names):,} municipal columns, the census table has {len(expected):,}")
    for i, (found, row) in enumerate(zip(names, expected.itertuples(index=False))):
        if found != row.name:
            raise BuildError(f"{path}: column {i + 3:,}: found {found} where {row.name} ({row.code5}, "
                             f"{row.pref_name}) was expected")


def _features(path: Path) -> list:
    """The GeoJSON's features; a file cut short or not GeoJSON is one BuildError naming it."""
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except json.JSONDecodeError as e:
        raise BuildError(f"{path}: not complete GeoJSON ({e.msg} at character {e.pos:,}) — the file looks cut "
                         "short; copy it again") from None
    except (KeyError, TypeError, UnicodeDecodeError):
        raise BuildError(f"{path}: not a GeoJSON FeatureCollection") from None
    if not isinstance(features, list):
        raise BuildError(f"{path}: not a GeoJSON FeatureCollection")
    return features


def check_boundaries(master: pd.DataFrame, path: Path, pref_path: Path) -> None:
    """N03 has the same codes (plus the 北方領土 villages), names and prefectures as the master."""
    features = _features(path)
    drawn = {}
    for f in features:
        p = f["properties"]
        if p.get("N03_007"):
            drawn[p["N03_007"]] = (p.get("N03_004") or p.get("N03_003"), p.get("N03_001"))
    codes = set(master["code5"])
    if set(drawn) - codes != NORTHERN_TERRITORIES or codes - set(drawn):
        raise BuildError(f"{path}: codes differ from the master: only in N03 "
                         f"{sorted(set(drawn) - codes - NORTHERN_TERRITORIES)[:5]}, only in the master "
                         f"{sorted(codes - set(drawn))[:5]}")
    for code, name, pref in master[["code5", "name", "pref_name"]].itertuples(index=False):
        if drawn[code] != (N03_SPELLINGS.get(code, name), pref):
            raise BuildError(f"{path}: {code} is {drawn[code][0]} ({drawn[code][1]}), the master has {name} ({pref})")
    pref_names = [f["properties"].get("N03_001") for f in _features(pref_path)]
    if sorted(pref_names) != sorted(master["pref_name"].unique()):
        raise BuildError(f"{pref_path}: prefectures differ from the master")


def check_prefectures(master: pd.DataFrame, path: Path) -> None:
    """prefectures.csv (used to assign dashboard columns) has the master's names and counts."""
    ref = pd.read_csv(path, dtype={"pref_code": str})
    counts = master.groupby("pref_code").size()
    names = master.drop_duplicates("pref_code").set_index("pref_code")["pref_name"]
    for code, name, n in ref[["pref_code", "name_ja", "municipalities"]].itertuples(index=False):
        if names.get(code) != name or counts.get(code) != n:
            raise BuildError(f"{path}: {code} {name} has {n} municipalities; the census table says "
                             f"{names.get(code)} with {counts.get(code)}")
    if len(ref) != counts.size:
        raise BuildError(f"{path}: {len(ref)} prefectures, the census table has {counts.size}")


def to_csv_text(master: pd.DataFrame) -> str:
    """The master as UTF-8 CSV text with LF line ends (byte-identical for identical inputs)."""
    buf = io.StringIO()
    master.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def build(folder: Path | None = None) -> pd.DataFrame:
    """Build and cross-check the master (nothing is written)."""
    folder = folder or data_dir()
    master = build_master(folder)
    check_dashboard(master, folder / DASHBOARD)
    check_boundaries(master, folder / BOUNDARIES, folder / PREFECTURE_BOUNDARIES)
    check_prefectures(master, folder / PREFECTURES)
    return master


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.loaders.build_reference", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the stored master differs from a fresh build")
    args = parser.parse_args(argv)
    folder = data_dir()
    try:
        text = to_csv_text(build(folder))
    except (BuildError, EstatError, OSError) as exc:
        print(f"build_reference: {exc}", file=sys.stderr)
        return 1
    out = folder / OUTPUT
    if args.check:
        same = out.is_file() and out.read_text(encoding="utf-8") == text
        print(f"{out}: {'up to date' if same else 'differs from a fresh build'}")
        return 0 if same else 1
    write_text_atomic(out, text)
    print(f"wrote {out} ({text.count(chr(10)) - 1:,} municipalities)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
