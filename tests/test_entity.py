"""Per-entity dashboard loader: the real export (read from ../shared, skipped when absent)
and synthetic bad input built in tmp_path (nothing from ../shared is stored here)."""

import csv
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from helpers.loaders.entity import (
    BINARY,
    INDICATORS,
    DashboardError,
    find_dashboard_files,
    load_dashboard,
    load_online_rates,
    prefectures,
)

MUNI_CMP = "市区町村毎のDX進捗状況_市区町村比較.csv"
MUNI_RATES = "市区町村毎のDX進捗状況_行政手続のオンライン申請率.csv"
PREF_CMP = "都道府県のDX進捗状況_都道府県比較.csv"
PREF_RATES = "都道府県のDX進捗状況_行政手続のオンライン申請率.csv"
N_MUNI = 1741
N_PREF = 47
GOVERNANCE = ["cio_appointed", "cio_deputy_appointed", "dx_policy", "cross_org_structure", "external_talent",
              "staff_development", "all_staff_training"]  # the 7 推進体制 rows


def entities(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per entity (first indicator's rows)."""
    cols = ["tier", "pref_code", "prefecture", "entity", "entity_seq", "municipality_type"]
    return frame[cols].drop_duplicates(["pref_code", "entity_seq"]).reset_index(drop=True)


# ------------------------------------------------------------------------ real data (skipped if absent)

@pytest.fixture
def municipal(dashboard_dir) -> pd.DataFrame:
    return load_dashboard(dashboard_dir / MUNI_CMP)


def test_real_entity_and_row_counts(dashboard_dir, municipal):
    assert municipal["tier"].eq("municipality").all()
    assert len(entities(municipal)) == N_MUNI
    assert set(municipal["indicator"]) == set(INDICATORS.values())
    assert len(INDICATORS) == 15
    assert (municipal.groupby("indicator").size() == N_MUNI).all()
    assert len(municipal) == 15 * N_MUNI

    pref = load_dashboard(dashboard_dir / PREF_CMP)
    assert pref["tier"].eq("prefecture").all()
    assert len(entities(pref)) == N_PREF
    assert list(entities(pref)["pref_code"]) == list(prefectures()["pref_code"])
    assert (pref.groupby("indicator").size() == N_PREF).all()
    assert set(pref["indicator"]) <= set(INDICATORS.values())
    assert len(pref) == pref["indicator"].nunique() * N_PREF


def test_real_not_surveyed_are_eight_in_ishikawa(municipal):
    ns = municipal[municipal["not_surveyed"]]
    names = ns.drop_duplicates(["pref_code", "entity_seq"])
    assert len(names) == 8
    assert set(ns["pref_code"]) == {"17"}
    assert set(ns["prefecture"]) == {"石川県"}
    assert set(ns["indicator"]) == set(GOVERNANCE)
    assert len(ns) == 8 * 7
    assert ns["value"].isna().all()
    assert ns["raw"].eq("調査無し").all()
    # each of the 8 is not-surveyed in every one of the 7 推進体制 rows
    assert (ns.groupby(["pref_code", "entity_seq"]).size() == 7).all()


def test_real_prefecture_assignment(municipal):
    ent = entities(municipal)
    ref = prefectures()
    counts = ent.groupby("pref_code").size()
    assert counts.to_dict() == dict(zip(ref["pref_code"], ref["municipalities"]))
    assert (ent.groupby("pref_code")["entity_seq"].max() == counts).all()

    def at(pref: str, seq: int) -> str:
        row = ent[(ent["prefecture"] == pref) & (ent["entity_seq"] == seq)]
        assert len(row) == 1
        return row["entity"].iloc[0]

    def last_seq(pref: str) -> int:
        return int(ref.loc[ref["name_ja"] == pref, "municipalities"].iloc[0])

    assert at("北海道", 1) == "札幌市"
    assert at("北海道", last_seq("北海道")) == "羅臼町"
    assert last_seq("北海道") == 179
    assert at("東京都", 1) == "千代田区"
    assert at("東京都", last_seq("東京都")) == "小笠原村"
    assert last_seq("東京都") == 62
    assert at("沖縄県", last_seq("沖縄県")) == "与那国町"
    assert at("石川県", 1) == "金沢市"
    assert at("石川県", last_seq("石川県")) == "能登町"
    assert at("広島県", 1) == "広島市"
    assert ent.loc[ent["entity"] == "羅臼町", "pref_code"].tolist() == ["01"]
    assert ent["entity_seq"].min() == 1


def test_real_duplicate_names_kept_apart(municipal):
    ent = entities(municipal)
    fuchu = ent[ent["entity"] == "府中市"]
    assert len(fuchu) == 2
    assert set(fuchu["prefecture"]) == {"東京都", "広島県"}
    assert fuchu["pref_code"].nunique() == 2
    date = ent[ent["entity"] == "伊達市"]
    assert len(date) == 2
    assert set(date["prefecture"]) == {"北海道", "福島県"}
    assert date["pref_code"].nunique() == 2
    # each keeps its own values: 15 indicator rows per (pref_code, name)
    rows = municipal[municipal["entity"] == "府中市"].groupby("pref_code").size()
    assert (rows == 15).all()


def test_real_value_parsing(municipal):
    binary = municipal[municipal["indicator"].isin(BINARY)]
    assert (binary.loc[binary["raw"] == "実施", "value"] == 1.0).all()
    assert (binary.loc[binary["raw"] == "未実施", "value"] == 0.0).all()
    assert set(binary["raw"]) <= {"実施", "未実施", "調査無し"}
    assert set(binary["value"].dropna()) == {0.0, 1.0}

    card = municipal[municipal["indicator"] == "mynumber_card_rate"]
    assert (card["raw"] == "72%").any()
    assert (card.loc[card["raw"] == "72%", "value"] == 72.0).all()
    with_pct = card[card["raw"].str.endswith("%") & (card["raw"] != "%")]
    assert (with_pct["value"] == with_pct["raw"].str.rstrip("%").astype(float)).all()
    assert card["value"].between(0, 100).all()

    offered = municipal[municipal["indicator"] == "online32_offered"]
    assert pd.api.types.is_float_dtype(offered["value"])
    numeric = offered[offered["raw"] != ""]
    assert (numeric["value"] == numeric["raw"].astype(float)).all()
    assert numeric["value"].between(0, 32).all()

    # raw keeps the cell text (trimmed) and is never missing
    assert municipal["raw"].map(type).eq(str).all()

    ent = entities(municipal)
    types = ent["municipality_type"].value_counts()
    assert types.sum() == N_MUNI
    assert set(types.index) == {"city", "special_ward", "town", "village"}
    tokyo = ent[ent["pref_code"] == "13"]
    assert (tokyo["municipality_type"] == "special_ward").sum() == 23
    assert tokyo.loc[tokyo["entity_seq"] <= 23, "municipality_type"].eq("special_ward").all()


def test_real_online_rates(dashboard_dir):
    rates = load_online_rates(dashboard_dir / MUNI_RATES)
    assert (rates.groupby("procedure").size() == N_MUNI).all()
    assert len(entities(rates)) == N_MUNI
    assert set(rates["group"]) == {"common32", "child_care26"}
    assert rates.loc[rates["group"] == "child_care26", "procedure"].nunique() == 26
    blank = rates[rates["raw"] == ""]
    assert len(blank) > 0
    assert blank["rate"].isna().all()
    assert rates.loc[rates["raw"] != "", "rate"].notna().all()
    assert (rates["raw"] == "88.8%").any()
    assert (rates.loc[rates["raw"] == "88.8%", "rate"] == 88.8).all()
    assert rates["rate"].dropna().between(0, 100).all()

    pref = load_online_rates(dashboard_dir / PREF_RATES)
    assert (pref.groupby("procedure").size() == N_PREF).all()
    assert pref["tier"].eq("prefecture").all()


def test_real_xlsx_round_trip(dashboard_dir, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    src = dashboard_dir / MUNI_CMP
    with src.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append([str(c) for c in row])
    xlsx = tmp_path / "municipal.xlsx"
    wb.save(xlsx)
    assert_frame_equal(load_dashboard(xlsx), load_dashboard(src))


def test_real_cp932_and_utf8_without_bom(dashboard_dir, tmp_path):
    src = dashboard_dir / PREF_CMP
    assert src.read_bytes().startswith(b"\xef\xbb\xbf")
    text = src.read_text(encoding="utf-8-sig")
    original = load_dashboard(src)

    sjis = tmp_path / "pref_cp932.csv"
    sjis.write_bytes(text.encode("cp932"))
    with pytest.raises(UnicodeDecodeError):
        sjis.read_bytes().decode("utf-8")  # really not UTF-8
    assert_frame_equal(load_dashboard(sjis), original)

    plain = tmp_path / "pref_utf8.csv"
    plain.write_bytes(text.encode("utf-8"))
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert_frame_equal(load_dashboard(plain), original)


def test_real_find_dashboard_files(dashboard_dir):
    found = find_dashboard_files(dashboard_dir)
    assert found == {
        "municipal_comparison": dashboard_dir / MUNI_CMP,
        "municipal_rates": dashboard_dir / MUNI_RATES,
        "prefectural_comparison": dashboard_dir / PREF_CMP,
        "prefectural_rates": dashboard_dir / PREF_RATES,
    }


# ------------------------------------------------------------------------ synthetic input (no shared data)

SUFFIXES = "市町村"
SYNTH_ROWS = [  # (group, label, cell value for every entity)
    ("自治体DXの推進体制等", "CIOの任命", "実施"),
    ("自治体業務のDX", "AIの導入状況", "未実施"),
    ("住民サービスのDX", "マイナンバーカードの保有状況", "50%"),
    ("住民サービスのDX", "よく使う32手続のオンライン化状況_実施されている手続総数（分母）", "20"),
]


def synthetic_names() -> list[str]:
    """The 1,741 municipality names in code order, from the project's own master table."""
    from helpers.loaders.municipalities import load_master

    return list(load_master().sort_values("dashboard_order")["name"])


def write_grid(path: Path, header0: str, names: list[str], rows=SYNTH_ROWS, encoding="utf-8-sig") -> Path:
    lines = [",".join([header0, "", *names])]
    lines += [",".join([group, label, *[value] * len(names)]) for group, label, value in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def assert_refused(loader, path: Path, tmp_path: Path, pattern: str) -> str:
    """loader(path) raises a one-line DashboardError naming the path; tmp_path is left untouched."""
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(DashboardError, match=pattern) as info:
        loader(path)
    msg = str(info.value)
    assert "\n" not in msg and "\r" not in msg
    assert str(path) in msg
    assert sorted(tmp_path.rglob("*")) == before
    return msg


def test_synthetic_valid_file_with_trailing_space_label(tmp_path):
    rows = [(g, lab + " " if lab == "CIOの任命" else lab, v) for g, lab, v in SYNTH_ROWS]
    path = write_grid(tmp_path / "synthetic.csv", "", synthetic_names(), rows)
    frame = load_dashboard(path)
    assert list(frame["indicator"].unique()) == ["cio_appointed", "ai", "mynumber_card_rate", "online32_offered"]
    assert len(entities(frame)) == N_MUNI
    assert (frame.loc[frame["indicator"] == "cio_appointed", "value"] == 1.0).all()
    assert (frame.loc[frame["indicator"] == "ai", "value"] == 0.0).all()
    assert (frame.loc[frame["indicator"] == "mynumber_card_rate", "value"] == 50.0).all()
    assert (frame.loc[frame["indicator"] == "online32_offered", "value"] == 20.0).all()
    ent = entities(frame)
    tokyo = ent[ent["pref_code"] == "13"]
    assert tokyo["entity"].iloc[0] == "千代田区" and tokyo["entity_seq"].iloc[0] == 1
    assert (ent["municipality_type"] == "special_ward").sum() == 23
    assert sorted(p.name for p in tmp_path.iterdir()) == ["synthetic.csv"]


def test_refuses_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert_refused(load_dashboard, path, tmp_path, r"empty")


def test_refuses_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"  \n\t\r\n   \n")
    assert_refused(load_dashboard, path, tmp_path, r"empty")


def test_refuses_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    assert_refused(load_dashboard, path, tmp_path, r"file not found")
    assert_refused(load_online_rates, path, tmp_path, r"file not found")
    assert list(tmp_path.iterdir()) == []


def test_refuses_non_dashboard_csv(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,name,x,y\n1,alpha,3,4\n2,beta,5,6\n", encoding="utf-8")
    assert_refused(load_dashboard, path, tmp_path, r"no known row label.*'alpha'.*not a dashboard 比較 file")
    assert_refused(load_online_rates, path, tmp_path, r"no known procedure group.*not a dashboard 申請率 file")


def test_refuses_unknown_value_token(tmp_path):
    names = synthetic_names()
    path = write_grid(tmp_path / "bad_value.csv", "", names)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(",")
    cells[10] = "はい"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    assert_refused(load_dashboard, path, tmp_path, r"unrecognised value 'はい' at row 'CIOの任命', column 11")


def test_refuses_wrong_entity_count(tmp_path):
    path = write_grid(tmp_path / "short.csv", "", synthetic_names()[:-1])
    msg = assert_refused(load_dashboard, path, tmp_path, r"expected 1,741 municipality columns")
    assert "1,740" in msg


def test_refuses_shifted_municipal_columns(tmp_path):
    names = synthetic_names()
    shifted = names[1:] + names[:1]  # every column one place to the left: 東京都 no longer starts with wards
    path = write_grid(tmp_path / "shifted.csv", "", shifted)
    assert_refused(load_dashboard, path, tmp_path, r"column 3: found 函館市 where 札幌市 \(01100, 北海道\) was expected")


def test_refuses_a_municipality_moved_to_another_prefecture(tmp_path):
    names = synthetic_names()
    i_niigata, i_kanagawa = names.index("新潟市"), names.index("横浜市")
    names.insert(i_kanagawa, names.pop(i_niigata))  # 新潟市 now sits among 神奈川県's columns
    path = write_grid(tmp_path / "moved.csv", "", names)
    assert_refused(load_dashboard, path, tmp_path, r"found 新潟市 where 横浜市 \(14100, 神奈川県\) was expected")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_refuses_utf16_with_a_clear_message(tmp_path, encoding):
    path = write_grid(tmp_path / "u16.csv", "", synthetic_names(), encoding=encoding)
    assert_refused(load_dashboard, path, tmp_path, r"UTF-16 is not supported; save the file as UTF-8")


def test_refuses_a_file_cut_mid_row(tmp_path):
    path = write_grid(tmp_path / "cut.csv", "", synthetic_names())
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) - 2000])
    assert_refused(load_dashboard, path, tmp_path, r"line 5 has [\d,]+ cells where the header has 1,743 \(file cut short")


def test_refuses_a_file_cut_mid_character(tmp_path):
    path = write_grid(tmp_path / "cutchar.csv", "", synthetic_names(), rows=SYNTH_ROWS[:1])
    raw = path.read_bytes().rstrip(b"\n")
    path.write_bytes(raw[:-1] if raw[-1] >= 0x80 else raw[:-2])  # ends in a 3-byte character (実施)
    assert_refused(load_dashboard, path, tmp_path, r"middle of a character|cut short")


@pytest.mark.parametrize("value", ["250%", "-20%", "999.9%"])
def test_refuses_percentages_outside_0_100(tmp_path, value):
    rows = [r if r[1] != "マイナンバーカードの保有状況" else (r[0], r[1], value) for r in SYNTH_ROWS]
    path = write_grid(tmp_path / "range.csv", "", synthetic_names(), rows)
    assert_refused(load_dashboard, path, tmp_path, rf"row 'mynumber_card_rate', column 3 \(札幌市\): value '{value}' is outside 0–100%")


def test_refuses_percent_text_among_fractions_in_a_spreadsheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    names = synthetic_names()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["", "", *names])
    ws.append(["住民サービスのDX", "マイナンバーカードの保有状況", "72%", *[0.72] * (len(names) - 1)])
    path = tmp_path / "mixed.xlsx"
    wb.save(path)
    assert_refused(load_dashboard, path, tmp_path, r"column 4 \(.*\): '0.72' is a bare number where the same row has percent text \('72%' at column 3\)")


def test_refuses_two_candidate_files_for_one_table(tmp_path):
    names = synthetic_names()
    write_grid(tmp_path / MUNI_CMP, "", names)
    write_grid(tmp_path / MUNI_CMP.replace(".csv", " (1).csv"), "", names)
    with pytest.raises(DashboardError, match=r"2 files could be the 市区町村 比較 table .*keep exactly one"):
        find_dashboard_files(tmp_path)


def test_refuses_files_over_the_size_limit_before_reading(tmp_path, monkeypatch):
    import helpers.loaders.entity as entity

    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # a sparse file: no disk, no memory
        fh.truncate(entity.MAX_BYTES + 1)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read before the size check"))
    assert_refused(load_dashboard, path, tmp_path, r"file is 50 MB; the limit is 50 MB")


def test_refuses_undecodable_bytes(tmp_path):
    junk = b"\x80,\xff\n\x81 ,\xa0\n" * 8
    for encoding in ("utf-8-sig", "cp932"):  # the bytes really fail both decoders
        with pytest.raises(UnicodeDecodeError):
            junk.decode(encoding)
    path = tmp_path / "junk.csv"
    path.write_bytes(junk)
    assert_refused(load_dashboard, path, tmp_path, r"unreadable encoding")


def test_refuses_prefectural_file_with_46_columns(tmp_path):
    names = list(prefectures()["name_ja"])[:-1]
    path = write_grid(tmp_path / "pref46.csv", "都道府県", names, SYNTH_ROWS[:2])
    msg = assert_refused(load_dashboard, path, tmp_path, r"47 prefectures in code order; found 46 columns")
    assert "北海道" in msg


def test_refuses_corrupt_xlsx(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    assert_refused(load_dashboard, path, tmp_path, r"cannot be read as a spreadsheet")
    assert_refused(load_online_rates, path, tmp_path, r"cannot be read as a spreadsheet")


def test_find_dashboard_files_missing_dir(tmp_path):
    folder = tmp_path / "no_such_dir"
    assert_refused(find_dashboard_files, folder, tmp_path, r"dashboard directory not found")
    assert list(tmp_path.iterdir()) == []


def test_find_dashboard_files_unrelated_csvs(tmp_path):
    (tmp_path / "population.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "市区町村一覧.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("比較 市区町村", encoding="utf-8")
    msg = assert_refused(find_dashboard_files, tmp_path, tmp_path, r"no dashboard 比較 file")
    assert msg.startswith(f"{tmp_path}: ")
