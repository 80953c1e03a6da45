"""The municipal master: built from the vendored census table, codes with check digits, types,
and the mapping of dashboard columns to codes (by position, checked by name and prefecture)."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from helpers.loaders.build_reference import build, check_digit, main, to_csv_text
from helpers.loaders.entity import DashboardError, prefectures
from helpers.loaders.municipalities import TYPES, load_master, map_dashboard_columns

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "data" / "external" / "dashboard" / "市区町村毎のDX進捗状況_市区町村比較.csv"


@pytest.fixture(scope="module")
def master() -> pd.DataFrame:
    return load_master()


def row(master: pd.DataFrame, code5: str) -> pd.Series:
    hit = master[master["code5"] == code5]
    assert len(hit) == 1
    return hit.iloc[0]


# ------------------------------------------------------------------------ check digit

@pytest.mark.parametrize("code6", ["011002", "131016", "132063", "342084", "012025", "141003",
                                   "131041",    # 新宿区: sum ≡ 0 (mod 11) → 11 → 1
                                   "131130",    # 渋谷区: sum ≡ 1 (mod 11) → 10 → 0
                                   "075469"])
def test_check_digit_of_known_codes(code6):
    assert check_digit(code6[:5]) == code6[5]


@pytest.mark.parametrize("bad", ["1310", "131010", "13a01", 13101, "１３１０１"])
def test_check_digit_refuses_non_codes(bad):
    with pytest.raises(ValueError):
        check_digit(bad)


# ------------------------------------------------------------------------ the master

def test_master_shape_and_dtypes(master):
    assert len(master) == 1741
    assert list(master.columns) == ["code6", "code5", "pref_code", "pref_name", "name", "type", "population_2020",
                                    "population_note", "dashboard_order"]
    for col in ("code6", "code5", "pref_code"):
        assert master[col].dtype == "string"
    assert master["code5"].str.fullmatch(r"\d{5}").all()
    assert (master["code6"].str[:5] == master["code5"]).all()
    assert [check_digit(c) for c in master["code5"]] == list(master["code6"].str[5])
    assert master["code5"].is_unique and master["code5"].is_monotonic_increasing
    assert (master["pref_code"] == master["code5"].str[:2]).all()
    assert list(master["dashboard_order"]) == list(range(1, 1742))
    assert row(master, "01100")["code6"] == "011002"


def test_type_counts(master):
    counts = master["type"].value_counts().to_dict()
    assert set(counts) == set(TYPES)
    assert counts["designated_city"] == 20
    assert counts["core_city"] == 62
    assert counts["special_ward"] == 23
    assert counts["city"] + counts["core_city"] + counts["designated_city"] == 792
    assert counts["town"] + counts["village"] == 926
    assert master.loc[master["type"] == "town", "name"].str.endswith("町").all()
    assert master.loc[master["type"] == "village", "name"].str.endswith("村").all()
    assert master.loc[master["type"].str.endswith("city"), "name"].str.endswith("市").all()
    assert row(master, "15210")["name"] == "十日町市" and row(master, "15210")["type"] == "city"
    wards = master[master["type"] == "special_ward"]
    assert set(wards["pref_code"]) == {"13"} and wards["name"].str.endswith("区").all()
    designated = set(master.loc[master["type"] == "designated_city", "name"])
    assert designated == {"札幌市", "仙台市", "さいたま市", "千葉市", "横浜市", "川崎市", "相模原市", "新潟市",
                          "静岡市", "浜松市", "名古屋市", "京都市", "大阪市", "堺市", "神戸市", "岡山市", "広島市",
                          "北九州市", "福岡市", "熊本市"}


def test_core_cities_file():
    core = pd.read_csv(ROOT / "data" / "reference" / "core_cities.csv", dtype=str, keep_default_na=False)
    assert list(core.columns) == ["code5", "name", "pref_name", "designated_on", "as_of", "source"]
    assert len(core) == 62 and core["code5"].is_unique
    assert set(core["as_of"]) == {"2023-04-01"}
    assert core["source"].str.contains("https://www.soumu.go.jp/cyukakushi/", regex=False).all()
    dated = core[core["designated_on"] != ""]
    assert dated["designated_on"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert (dated["designated_on"] <= "2023-04-01").all()
    on = dict(zip(core["name"], core["designated_on"]))
    assert on["一宮市"] == "2021-04-01" and on["吹田市"] == "2020-04-01" and on["甲府市"] == "2019-04-01"
    assert {"八王子市", "川越市", "船橋市", "柏市", "横須賀市", "那覇市", "松本市"} <= set(core["name"])
    assert not {"町田市", "藤沢市", "つくば市", "相模原市"} & set(core["name"])  # not 中核市 (or designated)
    master = load_master()
    assert set(master.loc[master["type"] == "core_city", "code5"]) == set(core["code5"])


def test_populations_and_duplicate_names(master):
    assert row(master, "01100")["population_2020"] == 1_975_065
    assert row(master, "13101")["population_2020"] == 66_758
    fuchu = master[master["name"] == "府中市"].set_index("code5")
    assert fuchu["population_2020"].to_dict() == {"13206": 262_932, "34208": 37_677}
    assert fuchu["pref_name"].to_dict() == {"13206": "東京都", "34208": "広島県"}
    assert fuchu["code6"].to_dict() == {"13206": "132063", "34208": "342084"}
    date = master[master["name"] == "伊達市"].set_index("code5")
    assert date["pref_name"].to_dict() == {"01233": "北海道", "07213": "福島県"}
    assert master[["pref_code", "name"]].duplicated().sum() == 0  # unique within a prefecture


def test_futaba_population_missing_with_reason(master):
    futaba = row(master, "07546")
    assert futaba["name"] == "双葉町" and futaba["pref_name"] == "福島県"
    assert futaba["population_2020"] is pd.NA
    assert futaba["population_note"] == "当該数値がないもの"
    assert master["population_2020"].isna().sum() == 1
    assert (master.loc[master["population_2020"].notna(), "population_note"] == "").all()
    assert master["population_2020"].sum() == 126_226_568  # the 1,741 add up to the national total


def test_prefectures_reference_agrees(master):
    ref = prefectures()
    assert master.groupby("pref_code").size().to_dict() == dict(zip(ref["pref_code"], ref["municipalities"]))
    names = master.drop_duplicates("pref_code").set_index("pref_code")["pref_name"]
    assert names.to_dict() == dict(zip(ref["pref_code"], ref["name_ja"]))


def test_stored_master_is_a_fresh_deterministic_build():
    stored = (ROOT / "data" / "reference" / "municipalities.csv").read_text(encoding="utf-8")
    first, second = to_csv_text(build()), to_csv_text(build())
    assert first == second == stored
    assert main(["--check"]) == 0


# ------------------------------------------------------------------------ dashboard columns → codes

def header_names() -> list[str]:
    with DASHBOARD.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    return [h.strip() for h in header[2:] if h.strip()]


def test_real_dashboard_columns_map_to_codes(master):
    names = header_names()
    mapped = map_dashboard_columns(names, list(master["pref_code"]))
    assert len(mapped) == 1741
    assert list(mapped["code5"]) == list(master["code5"])
    assert list(mapped["column"]) == list(range(3, 1744))
    fuchu = mapped[mapped["name"] == "府中市"]
    assert list(fuchu["code5"]) == ["13206", "34208"]
    assert list(mapped.loc[mapped["name"] == "伊達市", "code5"]) == ["01233", "07213"]


def refused(*args, **kwargs) -> str:
    with pytest.raises(DashboardError) as info:
        map_dashboard_columns(*args, **kwargs)
    msg = str(info.value)
    assert "\n" not in msg
    return msg


def test_swapped_columns_are_named(master):
    names = header_names()
    i, j = names.index("横浜市"), names.index("川崎市")
    names[i], names[j] = names[j], names[i]
    msg = refused(names, source="dash.csv")
    assert msg == (f"dash.csv: column {i + 3:,}: found 川崎市 where 横浜市 (14100, 神奈川県) was expected; "
                   "if municipalities merged, split or were renamed, update data/reference "
                   "(python -m helpers.loaders.build_reference; see docs/newer-dashboard-export.md)")


def test_moved_column_is_named():
    names = header_names()
    moved = names.pop(names.index("能登町"))
    names.insert(names.index("金沢市"), moved)
    msg = refused(names)
    assert msg.startswith(f"column {names.index('能登町') + 3:,}: found 能登町 where 金沢市 (17201, 石川県)")


def test_wrong_prefecture_is_named(master):
    prefs = list(master["pref_code"])
    k = master.index[master["code5"] == "34208"][0]
    prefs[k] = "13"
    msg = refused(header_names(), prefs, first_column=1)
    assert msg == (f"column {k + 1:,}: 府中市 was assigned to prefecture 13 but 府中市 (34208) is in 広島県 (34)")


def test_wrong_column_count():
    assert "expected 1,741 municipality columns" in refused(header_names()[:-1])
