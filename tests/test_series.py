"""The comparability rule: no change is ever computed across a series break."""

import random

import pandas as pd
import pytest

from helpers.loaders import data, series
from helpers.analysis import common
from helpers.words import formats
from helpers.words.i18n import date_text, era_fiscal_year, t


def _random_frame(seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for ind in ("a", "b"):
        for tier in ("prefecture", "municipality"):
            for k in range(rng.randint(1, 6)):
                rows.append({"indicator": ind, "tier": tier, "as_of": pd.Timestamp(2018 + k, 4, 1),
                             "series": rng.choice(["s1", "s2", "s3"]), "rate": rng.uniform(0, 100)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", range(25))
def test_no_change_pairs_two_series(seed):
    df = _random_frame(seed)
    ch = series.changes(df, ["indicator", "tier"], "as_of", "rate")
    lookup = df.set_index(["indicator", "tier", "as_of"])["series"]
    for r in ch.itertuples():
        assert lookup[(r.indicator, r.tier, r.prev_as_of)] == r.series  # both ends in one series
    crossed = series.crossings(df, ["indicator", "tier"], "as_of")
    assert (crossed["from_series"] != crossed["to_series"]).all()


def test_cio_change_2020_to_2021_is_refused_and_explained():
    ind = data.load_indicators()
    r = common.rates(ind, ["cio_appointed"], ["municipality"])
    ch = common.changes(r)
    assert not ((ch["prev_as_of"] == "2020-04-01") & (ch["as_of"] == "2021-04-01")).any()
    br = formats.breaks(r, "ja")
    assert list(br["kind"]) == ["definition", "source"] and "CDO" in br["what"].iloc[0]
    # within the FY2021 definition the official series runs 1,220 → 1,222; the FY2023 1,270 comes
    # from a secondary summary and forms its own series (the secondary-source rule)
    assert list(r.loc[r["series"] == "def2021", "count"]) == [1220, 1222]
    assert series.definition_of(r.loc[r["count"] == 1270, "series"].iloc[0]) == "def2021"
    assert "二次資料" in br["what"].iloc[1]


def test_every_break_in_the_data_is_documented():
    ind = data.load_indicators()
    crossed = series.crossings(ind.drop_duplicates(["indicator", "tier", "as_of"]), ["indicator", "tier"], "as_of")
    formats.break_reasons(series.explain(crossed, "indicators"), "en")  # raises on an undocumented break


def test_an_undocumented_break_is_an_error():
    df = pd.DataFrame({"indicator": ["x", "x"], "tier": ["prefecture"] * 2,
                       "as_of": pd.to_datetime(["2020-04-01", "2021-04-01"]), "series": ["old", "new"]})
    with pytest.raises(ValueError, match="no entry"):
        formats.break_reasons(series.explain(series.crossings(df, ["indicator", "tier"], "as_of"), "indicators"), "en")


def test_assumed_dates_never_print_as_dates():
    ts = pd.Timestamp("2023-04-01")
    assert date_text(ts, "ja", assumed=True) == "令和5年度調査※"  # the * is defined once per report
    assert "2023-04-01" not in date_text(ts, "en", assumed=True) and date_text(ts, "en", assumed=True) == "FY2023 survey‡"
    assert date_text(pd.Timestamp("2021-04-01"), "ja", as_of=True) == "2021年4月1日時点"
    assert era_fiscal_year(2019) == "令和元年度" and era_fiscal_year(2018) == "平成30年度"
    assert "not stated" in t("date.assumed_note", "en") and "記載なし" in t("date.assumed_note", "ja")
    blog = data.load_indicators().query("source == 'blog_fy2023_summary'")
    assert blog["as_of_assumed"].all()


def test_every_break_in_the_online_data_is_documented():
    tot = data.load_online_totals().assign(all="all")
    formats.break_reasons(series.explain(series.crossings(tot, ["all"], "fiscal_year"), "online_totals", id_col=None), "en")
    proc = data.load_online_procedures()
    proc = proc[proc["procedure_set"] == "58"]
    crossed = series.crossings(proc, ["procedure_no"], "fiscal_year")
    assert len(crossed) > 0  # FY2019 → FY2020: counting method changed
    formats.break_reasons(series.explain(crossed, "online_procedures", id_col=None), "en")


def _points(rows):
    """rows: (as_of, series, source, base, rate)."""
    return pd.DataFrame([{"indicator": "x", "tier": "municipality", "as_of": pd.Timestamp(d), "series": s, "source": src,
                          "base": b, "rate": r} for d, s, src, b, r in rows])


def test_a_secondary_summary_never_pairs_with_an_official_value():
    df = series.apply_source_rule(_points([("2021-04-01", "info_survey", "official_a", 1741, 70.0),
                                           ("2023-04-01", "info_survey", "blog", 1741, 80.0)]), {"blog"})
    assert series.changes(df, ["indicator", "tier"], "as_of", "rate").empty
    crossed = series.crossings(df, ["indicator", "tier"], "as_of")
    why = formats.break_reasons(series.explain(crossed, "indicators"), "en")
    assert list(why["kind"]) == ["source"] and "secondary summary" in why["what"].iloc[0]
    # two values of the same summary still pair (its own stated change)
    same = series.apply_source_rule(_points([("2022-04-01", "info_survey", "blog", 1741, 75.0),
                                             ("2023-04-01", "info_survey", "blog", 1741, 80.0)]), {"blog"})
    assert list(series.changes(same, ["indicator", "tier"], "as_of", "rate")["change"]) == [5.0]


def test_no_change_in_points_between_two_bases():
    df = _points([("2021-04-01", "s", "a", 1741, 70.0), ("2023-04-01", "s", "a", 1733, 73.3)])
    assert series.changes(df, ["indicator", "tier"], "as_of", "rate").empty
    why = formats.break_reasons(series.explain(series.crossings(df, ["indicator", "tier"], "as_of"), "indicators"), "ja")
    assert list(why["kind"]) == ["base"] and "1,741" in why["what"].iloc[0] and "1,733" in why["what"].iloc[0]


def test_no_pair_skips_a_point_of_another_series():
    df = _points([("2021-04-01", "s", "a", 1741, 70.0), ("2022-04-01", "t", "a", 1741, 71.0),
                  ("2023-04-01", "s", "a", 1741, 72.0)])
    assert series.changes(df, ["indicator", "tier"], "as_of", "rate").empty


def test_no_theme_computes_a_change_from_a_secondary_summary_against_another_source():
    """Every theme's changes come from common.changes over common.rates: none pairs a secondary
    source with another one, and none pairs two bases (security: ICT-BCP, CSIRT, CISO FY2021 → FY2023)."""
    from helpers.analysis import security, staffing

    ind = data.load_indicators()
    secondary = common.secondary_sources()
    ids = security.CONTROLS + staffing.STRUCTURE + staffing.TRAINING + ["cio_appointed", "cio_deputy_appointed", "ai", "rpa", "telework"]
    r = common.rates(ind, ids, ["prefecture", "municipality", "designated_city"])
    ch = series.changes(r, ["indicator", "tier"], "as_of", "rate")
    key = r.set_index(["indicator", "tier", "as_of"])
    for x in ch.itertuples():
        a, b = key.loc[(x.indicator, x.tier, x.prev_as_of)], key.loc[(x.indicator, x.tier, x.as_of)]
        assert (a["source"] in secondary) == (b["source"] in secondary), (x.indicator, x.tier)
        if a["source"] in secondary:
            assert a["source"] == b["source"]
        assert pd.isna(a["base"]) or pd.isna(b["base"]) or a["base"] == b["base"]
    for ind_id in ("ict_bcp", "csirt", "ciso_appointed"):
        assert not ((ch["indicator"] == ind_id) & (ch["as_of"] == pd.Timestamp("2023-04-01"))).any()
