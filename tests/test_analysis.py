"""Caveat sentences of the theme analyses: every date and count in them comes from the frame given.

Synthetic frames only (ids and numbers invented here), so a change in data/ cannot hide a bug.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis import common, online, staffing, uptake


@pytest.mark.parametrize("years, ja, en", [
    ([2018, 2016, 2017], "2016〜2018", "2016–2018"),
    ([2019, 2020], "2019・2020", "2019, 2020"),
    ([2019, 2022, 2019], "2019・2022", "2019, 2022"),
    ([2022], "2022", "2022"),
])
def test_year_span(years, ja, en):
    assert common.year_span(years, "ja") == ja
    assert common.year_span(years, "en") == en


def test_join_items():
    assert common.join_items(["a", "b"], "ja") == "a、b"
    assert common.join_items(iter(["a", "b"]), "en") == "a; b"


def test_set_periods_follow_the_totals():
    tot = pd.DataFrame({"fiscal_year": [2031, 2030, 2032, 2035], "procedure_set": ["7", "7", "9", "other"]})
    assert online.set_periods(tot, "ja") == ["7手続ベース（2030・2031年度）", "9手続ベース（2032年度）",
                                            "対象手続の範囲は資料に記載なし（2035年度）"]
    assert online.set_periods(tot, "en")[0] == "7-procedure set (FY2030, 2031)"


def _adopt(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["indicator", "tier", "as_of", "base"])
    return df.assign(as_of=pd.to_datetime(df["as_of"]), label=df["indicator"].str.upper())


def test_uptake_caveats_are_empty_when_nothing_differs():
    adopt = _adopt([("ai", "municipality", "2030-01-01", 950), ("rpa", "municipality", "2030-01-01", 950)])
    assert uptake.caveats(adopt, "en") == []


def test_staff_definitions_list_each_years_units():
    staff = pd.DataFrame({"definition": ["FY2030", "FY2030", "FY2031"], "label": ["unit A", "unit B", "unit C"]})
    assert staffing.staff_definitions(staff, "ja") == "FY2030: unit A・unit B、FY2031: unit C"
    assert staffing.staff_definitions(staff, "en") == "FY2030: unit A, unit B; FY2031: unit C"
