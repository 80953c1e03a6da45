"""The 総務省 finance workbooks: read as published, pinned to cells of the workbooks, the two reading
rules (special wards' 財政力指数, 「－」 in 将来負担比率) kept as statuses, bad input refused in one line."""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers.loaders import finance
from helpers.loaders.finance import FinanceError, load_city_finance, load_prefecture_finance
from helpers.loaders.municipalities import load_master
from helpers.loaders.panel import load_panel, with_finance, wide_panel
from helpers.reporting.panel_export import export_panel

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "finance"


@pytest.fixture(scope="module")
def r3() -> pd.DataFrame:
    return load_city_finance("R3")


@pytest.mark.parametrize("year", list(finance.YEARS))
def test_every_year_has_the_master_codes(year):
    d = load_city_finance(year)
    assert len(d) == 1741
    assert d["code6"].tolist() == load_master()["code6"].tolist()
    assert d["fiscal_year"].eq(finance.YEARS[year][0]).all()
    assert d["fiscal_capacity"].notna().all()


def test_cells_pinned_to_the_workbook(r3):
    row = r3.set_index("code5")
    assert row.loc["01100", ["fiscal_capacity", "current_balance_ratio", "real_debt_service_ratio",
                             "future_burden_ratio", "laspeyres"]].tolist() == [0.72, 93.0, 2.7, 29.3, 99.6]
    assert row.loc["47382", "name"] == "与那国町" and row.loc["47382", "fiscal_capacity"] == 0.15
    assert row.loc["13103", "fiscal_capacity"] == 1.22  # 港区
    r1 = load_city_finance("R1").set_index("code5")
    assert r1.loc["01209", "real_debt_service_ratio"] == 69.9  # 夕張市 (財政再生団体) is read, not refused


def test_special_ward_flag(r3):
    wards = r3[r3["fiscal_capacity_basis"] == "tokyo_special_ward"]
    assert len(wards) == 23
    assert set(wards["code5"]) == set(load_master().query("type == 'special_ward'")["code5"])
    assert wards["code5"].str.startswith("131").all()
    assert set(r3["fiscal_capacity_basis"]) == set(finance.FISCAL_CAPACITY_BASES)


def test_future_burden_dash_is_its_own_status(r3):
    raw = openpyxl.load_workbook(finance.finance_path("city", "R3"), read_only=True).active
    dashes = sum(1 for row in raw.iter_rows(min_row=3, values_only=True)
                 if str(row[0]).isdigit() and str(row[6]).strip() in finance.DASHES)
    status = r3["future_burden_status"]
    assert (status == "at_or_below_zero").sum() == dashes == 816
    assert r3.loc[status == "at_or_below_zero", "future_burden_ratio"].isna().all()  # not 0
    assert r3.loc[status == "reported", "future_burden_ratio"].notna().all()
    assert r3.set_index("code5").loc["13101", "future_burden_status"] == "at_or_below_zero"  # 千代田区


def test_prefectures():
    p = load_prefecture_finance("R3")
    assert len(p) == 47 and p["pref_code"].iloc[0] == "01" and p["pref_name"].iloc[-1] == "沖縄県"
    assert p.set_index("pref_name").loc["北海道", "fiscal_capacity"] == pytest.approx(0.44595)


def test_wide_columns_and_panel(r3):
    wide = with_finance(wide_panel(load_panel()))
    assert len(wide) == 1741
    assert set(finance.finance_columns()) <= set(wide.columns)
    pd.testing.assert_series_equal(wide["fiscal_capacity"], r3["fiscal_capacity"], check_names=False)
    assert wide["fiscal_capacity_r1"].notna().all() and wide["finance_fiscal_year"].eq(2021).all()


def test_export_carries_finance(tmp_path, r3):
    paths = export_panel(tmp_path / "out", lang="en")
    back = pd.read_csv(paths["csv"], encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.loc[back["code5"] == "13101", "fiscal_capacity_basis"].iloc[0] == "tokyo_special_ward"
    assert back.loc[back["code5"] == "13101", "future_burden_ratio"].iloc[0] == ""
    assert back.loc[back["code5"] == "01100", "fiscal_capacity"].iloc[0] == "0.72"
    md = paths["dictionary"].read_text(encoding="utf-8")
    for col in finance.finance_columns(years=(finance.LATEST,)):
        assert f"| {col} |" in md
    assert "at_or_below_zero" in md and "tokyo_special_ward" in md
    assert "`municipal_panel.parquet` (the same values on each of the municipality's rows)" in md  # says where they are
    long = pd.read_parquet(paths["parquet"])
    assert set(finance.finance_columns()) <= set(long.columns)
    per_muni = long.drop_duplicates("code5").set_index("code5")
    assert len(per_muni) == 1741 and long.groupby("code5")["fiscal_capacity"].nunique(dropna=False).eq(1).all()
    pd.testing.assert_series_equal(per_muni["fiscal_capacity"], r3.set_index("code5")["fiscal_capacity"], check_names=False)
    assert (per_muni["fiscal_capacity_basis"] == "tokyo_special_ward").sum() == 23
    assert (per_muni["future_burden_status"] == "at_or_below_zero").sum() == 816
    assert per_muni.loc[per_muni["future_burden_status"] == "at_or_below_zero", "future_burden_ratio"].isna().all()  # not 0
    assert per_muni["fiscal_capacity_r1"].notna().all()


@pytest.mark.shared
def test_vendored_copies_are_the_shared_files():
    if not SHARED.is_dir():
        pytest.skip(f"finance workbooks not found at {SHARED} (../shared is absent on this machine)")
    for kind in ("city", "prefecture"):
        for year in finance.YEARS:
            assert finance.finance_path(kind, year).read_bytes() == (SHARED / kind / f"{year}.xlsx").read_bytes()


# ------------------------------------------------------------------------ bad input stops here

def _copy(tmp_path: Path, edit) -> Path:
    """A data folder whose R3 city workbook is edited by ``edit(sheet)``; the municipal master linked."""
    root = tmp_path / "data"
    (root / "external" / "finance" / "city").mkdir(parents=True)
    wb = openpyxl.load_workbook(finance.finance_path("city", "R3"))
    edit(wb.active)
    wb.save(root / "external" / "finance" / "city" / "R3.xlsx")
    return root


def _refused(tmp_path, edit, match: str) -> None:
    root = _copy(tmp_path, edit)
    with pytest.raises(FinanceError) as info:
        load_city_finance("R3", folder=root)
    msg = str(info.value)
    assert "\n" not in msg and "R3.xlsx" in msg and match in msg, msg


def test_refuses_text_value(tmp_path):
    _refused(tmp_path, lambda ws: ws.cell(3, 4, "不明"), "財政力指数 is '不明'")


def test_refuses_dash_outside_future_burden(tmp_path):
    _refused(tmp_path, lambda ws: ws.cell(3, 5, "-"), "経常収支比率 is '-'")


def test_refuses_shifted_column(tmp_path):
    _refused(tmp_path, lambda ws: ws.cell(3, 4, 93.0), "outside")


def test_refuses_wrong_header(tmp_path):
    _refused(tmp_path, lambda ws: ws.cell(2, 4, "財政力"), "header")


def test_refuses_wrong_year_title(tmp_path):
    _refused(tmp_path, lambda ws: ws.cell(1, 1, "全市町村の主要財政指標（令和２年度）"), "title")


def test_refuses_wrong_check_digit(tmp_path):
    _refused(tmp_path, lambda ws: ws.cell(3, 1, "011003"), "check digit")


def test_refuses_wrong_name(tmp_path):
    _refused(tmp_path, lambda ws: ws.cell(3, 3, "函館市"), "in the master")


def test_refuses_missing_row(tmp_path):
    _refused(tmp_path, lambda ws: ws.delete_rows(5), "missing")


def test_refuses_missing_average_row(tmp_path):
    _refused(tmp_path, lambda ws: ws.delete_rows(ws.max_row), "全国市町村平均")


def test_refuses_missing_file(tmp_path):
    with pytest.raises(FinanceError, match="not found"):
        load_city_finance("R3", folder=tmp_path)


def test_refuses_unknown_year():
    with pytest.raises(ValueError, match="unknown settlement year"):
        load_city_finance("R9")


def test_name_variants():
    assert finance.same_name("梼原町", "檮原町") and finance.same_name("鰺ケ沢町", "鰺ヶ沢町")
    assert not finance.same_name("府中市", "伊達市")


def test_prefecture_workbook_out_of_order_is_refused(tmp_path):
    root = tmp_path / "data"
    (root / "external" / "finance" / "prefecture").mkdir(parents=True)
    wb = openpyxl.load_workbook(finance.finance_path("prefecture", "R3"))
    ws = wb.active
    a, b = ws.cell(3, 1).value, ws.cell(4, 1).value
    ws.cell(3, 1, b)
    ws.cell(4, 1, a)
    wb.save(root / "external" / "finance" / "prefecture" / "R3.xlsx")
    with pytest.raises(FinanceError) as info:
        load_prefecture_finance("R3", folder=root)
    assert "not in code order" in str(info.value) and "\n" not in str(info.value)


def test_warm_reads_the_workbooks_once_and_never_raises(monkeypatch):
    finance._city.cache_clear()
    assert finance.warm() and finance._city.cache_info().currsize == len(finance.YEARS)
    hits = finance._city.cache_info().hits
    finance.city_finance_wide()
    assert finance._city.cache_info().hits > hits and finance._city.cache_info().currsize == len(finance.YEARS)

    def broken(*a, **k):
        raise finance.FinanceError("a workbook cut short")

    monkeypatch.setattr(finance, "city_finance_wide", broken)
    assert finance.warm() is False  # the notebook's own read then says what is wrong
