"""helpers.loaders.estat on the vendored census table and on small synthetic e-Stat responses."""

import copy
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from helpers.loaders.estat import EstatError, read_stats_data, table_info

POPULATION = Path(__file__).resolve().parents[1] / "data" / "external" / "population" / (
    "estat_0003433219_census2020_preliminary.json")


@pytest.fixture(scope="module")
def census() -> pd.DataFrame:
    return read_stats_data(POPULATION)


def total(frame: pd.DataFrame, area: str) -> float:
    row = frame[(frame["area"] == area) & (frame["cat01"] == "0")]
    assert len(row) == 1
    return row["value"].iloc[0]


# ------------------------------------------------------------------------ the real table

def test_real_shape_and_columns(census):
    assert len(census) == 5895
    assert list(census.columns) == ["tab", "tab_name", "cat01", "cat01_name", "area", "area_name", "area_level",
                                    "area_parent_code", "time", "time_name", "value", "value_note", "unit"]
    assert set(census["cat01_name"]) == {"総数", "男", "女"}
    assert census["area"].nunique() == 1965
    assert set(census["unit"]) == {"人"}
    assert census["value"].dtype == "float64"
    levels = census[census["cat01"] == "0"]["area_level"].value_counts().to_dict()
    assert levels == {"1": 1, "2": 47, "4": 816, "5": 175, "6": 926}


def test_real_values(census):
    assert total(census, "00000") == 126_226_568
    assert total(census, "01100") == 1_975_065   # 札幌市
    assert total(census, "13206") == 262_932     # 府中市 (東京都)
    assert total(census, "34208") == 37_677      # 府中市 (広島県)
    assert total(census, "13101") == 66_758      # 千代田区
    fuchu = census[(census["area_name"] == "府中市") & (census["cat01"] == "0")]
    assert sorted(fuchu["area"]) == ["13206", "34208"]
    assert set(fuchu["area_parent_code"]) == {"13000", "34000"}
    men, women = (census[(census["area"] == "00000") & (census["cat01"] == c)]["value"].iloc[0] for c in "12")
    assert men + women == 126_226_568


def test_real_missing_value_keeps_its_reason(census):
    futaba = census[census["area"] == "07546"]
    assert len(futaba) == 3 and set(futaba["area_name"]) == {"双葉町"}
    assert futaba["value"].isna().all()
    assert set(futaba["value_note"]) == {"当該数値がないもの"}
    assert census["value"].isna().sum() == 3
    assert census.loc[census["value"].notna(), "value_note"].isna().all()


def test_real_table_info():
    info = table_info(POPULATION)
    assert info["id"] == "0003433219"
    assert info["gov_org"] == "総務省"
    assert info["stat_name"] == "国勢調査"
    assert info["title"] == "男女別人口－全国，都道府県，市区町村"
    assert info["survey_date"] == "202010"
    assert info["open_date"] == "2021-06-25"
    assert info["updated_date"] == "2024-09-30"
    assert info["total_number"] == 5895


def test_dict_input_equals_path_input(census):
    doc = json.loads(POPULATION.read_text(encoding="utf-8"))
    pd.testing.assert_frame_equal(read_stats_data(doc), census)


# ------------------------------------------------------------------------ synthetic responses

def response(values, notes=None, area_class=None, status=0) -> dict:
    """A minimal GET_STATS_DATA response: tab as a single CLASS dict, two areas, one year."""
    data_inf = {"VALUE": values}
    if notes is not None:
        data_inf["NOTE"] = notes
    return {"GET_STATS_DATA": {
        "RESULT": {"STATUS": status,
                   "ERROR_MSG": "正常に終了しました。" if status == 0 else "該当データはありません。"},
        "STATISTICAL_DATA": {
            "RESULT_INF": {"TOTAL_NUMBER": len(values) if isinstance(values, list) else 1},
            "TABLE_INF": {"@id": "0000000001", "STAT_NAME": {"@code": "1", "$": "架空調査"},
                          "GOV_ORG": {"@code": "00200", "$": "総務省"}, "TITLE": "架空の表", "SURVEY_DATE": 2020},
            "CLASS_INF": {"CLASS_OBJ": [
                {"@id": "tab", "@name": "表章項目", "CLASS": {"@code": "01", "@name": "世帯数", "@unit": "世帯"}},
                {"@id": "area", "@name": "地域", "CLASS": area_class or [
                    {"@code": "01000", "@name": "北海道", "@level": "1"},
                    {"@code": "01100", "@name": "札幌市", "@level": "2", "@parentCode": "01000"}]},
                {"@id": "time", "@name": "時間軸", "CLASS": {"@code": "2020000000", "@name": "2020年"}},
            ]},
            "DATA_INF": data_inf,
        }}}


def cell(area: str, value: str, unit: bool = True) -> dict:
    c = {"@tab": "01", "@area": area, "@time": "2020000000", "$": value}
    if unit:
        c["@unit"] = "世帯"
    return c


def test_single_class_dict_and_note_list():
    doc = response([cell("01000", "2,476,846"), cell("01100", "…")],
                   notes=[{"@char": "-", "$": "該当なし"}, {"@char": "…", "$": "秘匿"}])
    out = read_stats_data(doc)
    assert list(out["tab_name"]) == ["世帯数", "世帯数"]
    assert list(out["time_name"]) == ["2020年", "2020年"]
    assert list(out["area_name"]) == ["北海道", "札幌市"]
    assert list(out["area_level"]) == ["1", "2"]
    assert out["area_parent_code"].iloc[0] is pd.NA and out["area_parent_code"].iloc[1] == "01000"
    assert "tab_level" not in out.columns and "time_parent_code" not in out.columns
    assert out["value"].iloc[0] == 2_476_846
    assert math.isnan(out["value"].iloc[1])
    assert list(out["value_note"].fillna("")) == ["", "秘匿"]
    assert list(out["unit"]) == ["世帯", "世帯"]


def test_note_dict_single_value_dict_and_unit_from_tab():
    doc = response(cell("01100", "-", unit=False), notes={"@char": "-", "$": "当該数値がないもの"})
    out = read_stats_data(doc)
    assert len(out) == 1
    assert math.isnan(out["value"].iloc[0])
    assert out["value_note"].iloc[0] == "当該数値がないもの"
    assert out["unit"].iloc[0] == "世帯"   # from the tab class when the cell has no @unit
    assert table_info(doc)["title"] == "架空の表"


def test_decimal_and_negative_values():
    out = read_stats_data(response([cell("01000", "-1.5"), cell("01100", "0.25")]))
    assert list(out["value"]) == [-1.5, 0.25]


def one_line_error(source, *fragments: str) -> str:
    with pytest.raises(EstatError) as info:
        read_stats_data(source)
    msg = str(info.value)
    assert "\n" not in msg
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


def test_error_status_is_refused(tmp_path):
    path = tmp_path / "status1.json"
    path.write_text(json.dumps(response([cell("01000", "1")], status=1), ensure_ascii=False), encoding="utf-8")
    one_line_error(path, str(path), "STATUS", "1", "該当データはありません")


def test_missing_statistical_data_is_refused(tmp_path):
    doc = response([cell("01000", "1")])
    del doc["GET_STATS_DATA"]["STATISTICAL_DATA"]
    path = tmp_path / "nodata.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    one_line_error(path, str(path), "STATISTICAL_DATA")
    one_line_error({"something": "else"}, "GET_STATS_DATA")


def test_unknown_special_character_names_file_and_cell(tmp_path):
    doc = response([cell("01000", "12"), cell("01100", "x")], notes=[{"@char": "-", "$": "該当なし"}])
    path = tmp_path / "unknown_char.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    one_line_error(path, str(path), "cell 2", "area 01100", "'x'", "'-'")
    no_notes = copy.deepcopy(doc)
    del no_notes["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["NOTE"]
    one_line_error(no_notes, "cell 2", "'x'", "none")


def test_code_missing_from_class_inf_is_refused():
    one_line_error(response([cell("99999", "1")]), "cell 1", "99999", "CLASS_INF")


def test_unreadable_files_are_refused(tmp_path):
    one_line_error(tmp_path / "absent.json", "file not found")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    one_line_error(bad, str(bad), "not valid JSON")
