"""The municipal panel: dashboard figures joined to the master by code, statuses, size classes,
export; a shifted dashboard column stops the load with the column named."""

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.loaders.entity import DashboardError
from helpers.reporting.panel_export import dictionary_markdown, export_panel
from helpers.loaders.panel import (
    PANEL_COLUMNS,
    SIZE_BANDS,
    SIZE_CLASS_LABELS,
    SIZE_CLASSES,
    STATUSES,
    indicator_table,
    load_panel,
    size_class,
    wide_panel,
)

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "data" / "external" / "dashboard"
MUNI_CMP = "市区町村毎のDX進捗状況_市区町村比較.csv"
MUNI_RATES = "市区町村毎のDX進捗状況_行政手続のオンライン申請率.csv"
GOVERNANCE = ["cio_appointed", "cio_deputy_appointed", "dx_policy", "cross_org_structure", "external_talent",
              "staff_development", "all_staff_training"]


@pytest.fixture(scope="module")
def long() -> pd.DataFrame:
    return load_panel()


@pytest.fixture(scope="module")
def wide(long) -> pd.DataFrame:
    return wide_panel(long)


def one(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for col, val in where.items():
        mask &= frame[col] == val
    hit = frame[mask]
    assert len(hit) == 1, where
    return hit.iloc[0]


# ------------------------------------------------------------------------ size classes

@pytest.mark.parametrize("pop, kind, expected", [
    (0, "village", "lt5k"), (4_999, "village", "lt5k"), (5_000, "town", "5k_10k"), (9_999, "town", "5k_10k"),
    (10_000, "town", "10k_50k"), (49_999, "city", "10k_50k"), (50_000, "city", "50k_100k"),
    (99_999, "city", "50k_100k"), (100_000, "city", "100k_200k"), (199_999, "core_city", "100k_200k"),
    (200_000, "core_city", "200k_plus"), (66_758, "special_ward", "50k_100k"),
    (3_778_318, "designated_city", "designated"), (None, "designated_city", "designated"),
    (None, "town", "unknown"), (float("nan"), "town", "unknown"), (pd.NA, "town", "unknown"),
])
def test_size_class(pop, kind, expected):
    assert size_class(pop, kind) == expected


def test_size_class_labels_cover_every_class():
    assert [label for _, label in SIZE_BANDS][::-1] == ["lt5k", "5k_10k", "10k_50k", "50k_100k", "100k_200k",
                                                         "200k_plus"]
    for lang in ("ja", "en"):
        assert list(SIZE_CLASS_LABELS[lang]) == list(SIZE_CLASSES)


# ------------------------------------------------------------------------ the panel

def test_long_panel_shape(long):
    assert list(long.columns) == PANEL_COLUMNS
    assert long["code5"].nunique() == 1741
    assert long["indicator"].nunique() == 15 + 52
    assert len(long) == 1741 * 67
    assert not long.duplicated(["code5", "indicator"]).any()
    assert set(long["status"]) <= set(STATUSES)
    assert set(long["indicator"]) == set(indicator_table()["indicator"])
    assert long["code5"].is_monotonic_increasing
    assert long["value"].dtype == "float64" and long["population_2020"].dtype == "Int64"


def test_wide_panel(wide, long):
    assert len(wide) == 1741 and wide["code5"].is_unique
    assert list(wide.columns[:9]) == ["code6", "code5", "pref_code", "pref_name", "name", "type", "population_2020",
                                      "population_note", "size_class"]
    assert len(wide.columns) == 9 + 67
    sapporo = one(wide, code5="01100")
    assert sapporo["name"] == "札幌市" and sapporo["cio_appointed"] == 1.0
    assert sapporo["mynumber_card_rate"] == 72.0
    assert sapporo["online_rate_common32_01"] == 88.8   # 図書館の図書貸出予約等
    counts = wide["type"].value_counts()
    assert counts["designated_city"] == 20 and counts["core_city"] == 62 and counts["special_ward"] == 23
    assert (wide["size_class"] == "designated").sum() == 20
    assert (wide["size_class"] == "unknown").sum() == 1


def test_duplicate_names_stay_apart(wide, long):
    fuchu = wide[wide["name"] == "府中市"].set_index("code5")
    assert fuchu["population_2020"].to_dict() == {"13206": 262_932, "34208": 37_677}
    assert fuchu["pref_name"].to_dict() == {"13206": "東京都", "34208": "広島県"}
    assert fuchu["size_class"].to_dict() == {"13206": "200k_plus", "34208": "10k_50k"}
    date = wide[wide["name"] == "伊達市"].set_index("code5")
    assert date["pref_name"].to_dict() == {"01233": "北海道", "07213": "福島県"}
    assert (long[long["name"] == "府中市"].groupby("code5").size() == 67).all()


def test_ishikawa_not_surveyed(long):
    ns = long[long["status"] == "not_surveyed"]
    assert ns["code5"].nunique() == 8
    assert set(ns["pref_name"]) == {"石川県"}
    assert set(ns["indicator"]) == set(GOVERNANCE) and len(ns) == 8 * 7
    assert ns["value"].isna().all()                                  # missing, not 0
    assert "金沢市" in set(ns["name"]) and "能登町" in set(ns["name"])
    kanazawa = long[(long["code5"] == "17201")].set_index("indicator")
    assert kanazawa.loc["ai", "status"] == "implemented" and kanazawa.loc["ai", "value"] == 1.0


def test_statuses_and_units(long):
    binary = long[long["unit"] == "binary"]
    assert set(binary["status"]) == {"implemented", "not_implemented", "not_surveyed"}
    assert (binary.loc[binary["status"] == "implemented", "value"] == 1).all()
    assert (binary.loc[binary["status"] == "not_implemented", "value"] == 0).all()
    blank = long[long["status"] == "not_reported"]
    assert len(blank) > 0 and blank["value"].isna().all()
    na = long[long["status"] == "not_applicable"]
    assert set(na["indicator"]) == {"online32_share"} and na["value"].isna().all()
    for code in na["code5"]:
        assert one(long, code5=code, indicator="online32_offered")["value"] == 0
    assert long.loc[long["status"] == "reported", "value"].notna().all()
    pct = long[long["unit"] == "percent"]["value"].dropna()
    assert pct.between(0, 100).all()


def test_futaba(long, wide):
    futaba = one(wide, code5="07546")
    assert futaba["name"] == "双葉町"
    assert futaba["population_2020"] is pd.NA
    assert futaba["population_note"] == "当該数値がないもの"
    assert futaba["size_class"] == "unknown"
    assert futaba["cio_appointed"] in (0.0, 1.0)   # the dashboard still has its survey answers


# ------------------------------------------------------------------------ export

def test_export(tmp_path, long):
    paths = export_panel(tmp_path / "out", long, lang="en")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "municipal_panel.csv", "municipal_panel.parquet", "municipal_panel_dictionary.md"]
    raw = paths["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(paths["csv"], encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)
    assert len(back) == long["code5"].nunique() == 1741  # the CSV is the wide view
    assert set(long["indicator"]) <= set(back.columns)
    assert back.loc[back["code5"] == "01100", "code6"].iloc[0] == "011002"
    assert back.loc[(back["code5"] == "07546"), "population_2020"].eq("").all()
    parquet = pd.read_parquet(paths["parquet"])
    assert len(parquet) == len(long)
    pd.testing.assert_series_equal(parquet["value"], long["value"], check_names=False)
    assert parquet["code5"].iloc[0] == "01100"
    md = paths["dictionary"].read_text(encoding="utf-8")
    for col in PANEL_COLUMNS:
        assert f"| {col} |" in md
    assert "online_rate_child_care26_26" in md and "住所移転後の要介護・要支援認定申請" in md
    manifest = pd.read_csv(ROOT / "data" / "external" / "MANIFEST.csv", dtype=str)
    for credit in manifest.loc[~manifest["file"].str.startswith("boundaries/"), "required_credit"].unique():
        assert credit in md
    first = paths["csv"].read_bytes()
    export_panel(tmp_path / "out", long, lang="en")
    assert paths["csv"].read_bytes() == first     # deterministic


# ------------------------------------------------------------------------ shifted files are refused

def header() -> list[str]:
    with (DASHBOARD / MUNI_CMP).open(encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


def rewrite(tmp_path: Path, change) -> Path:
    """A dashboard folder in tmp_path: the real 比較 file with its header changed, the real 申請率 file."""
    folder = tmp_path / "dash"
    folder.mkdir()
    with (DASHBOARD / MUNI_CMP).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    rows = [change(r) for r in rows]
    with (folder / MUNI_CMP).open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    shutil.copy(DASHBOARD / MUNI_RATES, folder / MUNI_RATES)
    return folder


def refused(folder: Path) -> str:
    with pytest.raises(DashboardError) as info:
        load_panel(folder)
    msg = str(info.value)
    assert "\n" not in msg
    assert str(folder / MUNI_CMP) in msg
    return msg


def test_swapped_columns_are_refused(tmp_path):
    i, j = header().index("府中市"), header().index("調布市")   # two 東京都 columns

    def swap(row):
        row = list(row)
        row[i], row[j] = row[j], row[i]
        return row

    msg = refused(rewrite(tmp_path, swap))
    assert f"column {i + 1:,}: found 調布市 where 府中市 (13206, 東京都) was expected" in msg


def test_moved_column_is_refused(tmp_path):
    src, dst = header().index("能登町"), header().index("金沢市")

    def move(row):
        row = list(row)
        row.insert(dst, row.pop(src))
        return row

    msg = refused(rewrite(tmp_path, move))
    assert f"column {dst + 1:,}: found 能登町 where 金沢市 (17201, 石川県) was expected" in msg


def test_unchanged_copy_loads(tmp_path, long):
    folder = rewrite(tmp_path, lambda r: r)
    pd.testing.assert_frame_equal(load_panel(folder), long)


# ------------------------------------------------------------------------ one language per folder

def test_export_panel_needs_the_folder_language(tmp_path, long):
    with pytest.raises(TypeError):
        export_panel(tmp_path / "out", long)   # no default: a folder's dictionary is never English by accident


def test_every_notebook_writes_the_dictionary_in_its_report_language():
    """Each notebook that exports the panel passes its ``lang`` parameter, so the dictionary in a
    ja report folder is Japanese and in an en folder English."""
    import ast
    import json

    calls = 0
    for nb_path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"])
            if "export_panel(" not in src:
                continue
            for node in ast.walk(ast.parse(src)):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "export_panel":
                    calls += 1
                    kw = {k.arg: k.value for k in node.keywords}
                    assert isinstance(kw.get("lang"), ast.Name) and kw["lang"].id == "lang", nb_path.name
    assert calls >= 2   # municipalities and determinants


def test_dictionary_language(long):
    ja, en = dictionary_markdown(long, "ja"), dictionary_markdown(long, "en")
    import re

    # headings other than a bare column name ('## status') are words, and differ by language
    en_heads = [line for line in en.splitlines() if line.startswith("#") and not re.fullmatch(r"#+ [a-z0-9_]+", line)]
    assert en_heads and not any(h in ja for h in en_heads)
    ja_heads = [line for line in ja.splitlines() if line.startswith("#") and not re.fullmatch(r"#+ [a-z0-9_]+", line)]
    assert len(ja_heads) == len(en_heads) and all(re.search(r"[ぁ-んァ-ヶ一-龥]", h) for h in ja_heads)
