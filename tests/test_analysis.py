"""Caveat sentences of the theme analyses: every date and count in them comes from the frame given.

Synthetic frames only (ids and numbers invented here), so a change in data/ cannot hide a bug.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis import common, staffing
from helpers.words import formats
from helpers.words import online as online_words
from helpers.words import staffing as staffing_words
from helpers.words import uptake as uptake_words


@pytest.mark.parametrize("years, ja, en", [
    ([2018, 2016, 2017], "2016〜2018", "2016–2018"),
    ([2019, 2020], "2019・2020", "2019, 2020"),
    ([2019, 2022, 2019], "2019・2022", "2019, 2022"),
    ([2022], "2022", "2022"),
])
def test_year_span(years, ja, en):
    assert formats.year_span(years, "ja") == ja
    assert formats.year_span(years, "en") == en


def test_join_items():
    assert formats.join_items(["a", "b"], "ja") == "a、b"
    assert formats.join_items(iter(["a", "b"]), "en") == "a; b"


def test_set_periods_follow_the_totals():
    tot = pd.DataFrame({"fiscal_year": [2031, 2030, 2032, 2035], "procedure_set": ["7", "7", "9", "other"]})
    assert online_words.set_periods(tot, "ja") == ["7手続ベース（2030・2031年度）", "9手続ベース（2032年度）",
                                            "対象手続の範囲は資料に記載なし（2035年度）"]
    assert online_words.set_periods(tot, "en")[0] == "7-procedure set (FY2030, 2031)"


def _adopt(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["indicator", "tier", "as_of", "base"])
    return df.assign(as_of=pd.to_datetime(df["as_of"]), label=df["indicator"].str.upper())


def test_uptake_caveats_are_empty_when_nothing_differs():
    adopt = _adopt([("ai", "municipality", "2030-01-01", 950), ("rpa", "municipality", "2030-01-01", 950)])
    assert uptake_words.caveats(adopt, "en") == []


def test_staff_definitions_list_each_years_units():
    staff = pd.DataFrame({"definition": ["FY2030", "FY2030", "FY2031"], "label": ["unit A", "unit B", "unit C"]})
    assert staffing_words.staff_definitions(staff, "ja") == "FY2030：unit A・unit B、FY2031：unit C"  # full-width colon in ja
    assert staffing_words.staff_definitions(staff, "en") == "FY2030: unit A, unit B; FY2031: unit C"


def test_fy2021_cio_deputy_shows_both_values_and_both_changes():
    """743 (edition held) vs 808 (2023-04-28 correction): FY2022 798 is +55 from one and −10 from the other."""
    from helpers.loaders import data
    from helpers.analysis import reconcile
    from helpers.analysis import staffing

    ind, rev = data.load_indicators(), reconcile.load_revisions()
    eff = staffing.revision_effects(ind, rev, ["municipality"])
    row = eff[(eff["indicator"] == "cio_deputy_appointed") & (eff["edition"] == 2022)].iloc[0]
    assert (row["prev_value"], row["alt_prev_value"]) == (743, 808)
    assert (row["change_after"], row["alt_change_after"]) == (55, -10)
    tl = {"municipality": "市区町村"}
    text = " ".join(staffing_words.revision_sentences(eff, tl, "ja", ind, rev))
    assert "+55" in text and "-10" in text and "符号が変わる" in text and "公式値" in text
    # the FY2021 correction: a later correction without values, and why 743 is taken as official (once)
    assert "2024年4月26日の訂正後の値である可能性が高く" in text and "統合型GIS" in text and "23団体" in text
    assert text.count("公式値") == 1


def test_the_audit_calls_743_vs_808_a_later_correction_not_unexplained():
    from helpers.loaders import data
    from helpers.analysis import reconcile
    from helpers.words.reconcile import pair_verdicts

    ind_all = data.load_indicators(include_superseded=True)
    cross = reconcile.cross_source(ind_all, reconcile.load_revisions())
    assert cross.loc[(cross["indicator"] == "cio_deputy_appointed") & (cross["as_of"] == pd.Timestamp("2021-04-01"))
                     & (cross["tier"] == "municipality"), "verdict"].iloc[0] == "later_correction"  # an id, no words
    cross = pair_verdicts(cross, "en")
    row = cross[(cross["indicator"] == "cio_deputy_appointed") & (cross["as_of"] == pd.Timestamp("2021-04-01"))
                & (cross["tier"] == "municipality")].iloc[0]
    assert row["verdict"] == "a later correction whose values are not in our sources"


def test_a_first_release_changed_by_a_listed_correction_without_values_says_so():
    """Findings item: 1,274† vs 1,220 was called 'not itemised … list is cut off' although the
    ministry's list names the FY2021 「CIOの任命」 correction of 26 Apr 2024 (values not held)."""
    from helpers.loaders import data
    from helpers.analysis import reconcile
    from helpers.words.reconcile import pair_verdicts

    ind_all = data.load_indicators(include_superseded=True)
    rev = reconcile.load_revisions()
    for lang, verdict in (("en", "a later correction (26 Apr 2024, listed) whose values are not in our sources"),
                          ("ja", "後の訂正（2024年4月26日、訂正一覧に掲載）による差（値は手元の資料にない）")):
        cross = pair_verdicts(reconcile.cross_source(ind_all, rev), lang)
        fy21 = cross[(cross["as_of"] == pd.Timestamp("2021-04-01"))]
        row = fy21[(fy21["indicator"] == "cio_appointed") & (fy21["tier"] == "municipality")].iloc[0]
        assert row["verdict"] == verdict
        assert not fy21["detail"].str.contains("cut off|途切れ").any()
    # without the listed correction the old wording stays (the rule has teeth)
    cross = pair_verdicts(reconcile.cross_source(ind_all, rev[rev["value_after"].notna()]), "en")
    row = cross[(cross["indicator"] == "cio_appointed") & (cross["as_of"] == pd.Timestamp("2021-04-01"))].iloc[0]
    assert row["verdict"] != "a later correction (26 Apr 2024, listed) whose values are not in our sources"


def test_governance_table_marks_every_cell_that_breaks_the_row():
    """Findings item: 'DX overall policy | 12.6% | 32.5% | 49.7%' read as one series although it mixes
    an official value, a derived secondary one and a blog value on another base."""
    from helpers.loaders import data

    tl = {"prefecture": "P", "municipality": "M"}
    ind = data.load_indicators()
    for lang in ("ja", "en"):
        s = staffing.structure(ind, ["prefecture", "municipality"])
        wide, legend = staffing_words.marked_table(s, tl, lang, lambda key: f"[{key}]")
        labels = formats.label_map(lang)
        row = wide[(wide["label"] == labels["dx_policy"]) & (wide["tier"] == "M")].iloc[0]
        official, derived, blog = row.iloc[2], row.iloc[3], row.iloc[4]
        assert "[soumu_dx_overview_fy2021]" in official and not any(m in official for m in "*§◊")
        assert "*" in derived and "§" in derived and "[itmedia_fy2023_release]" in derived
        assert "1,733" in blog and "§" in blog and "[blog_fy2023_summary]" in blog
        talent = wide[(wide["label"] == labels["external_talent_orgs"]) & (wide["tier"] == "M")].iloc[0]
        assert "◊" in talent.iloc[2] and "◊" not in talent.iloc[4]  # 任用 (FY2021) vs 活用 (later)
        assert talent.iloc[4].startswith("30.1%")  # 522 / 1,733, not 522 / 1,741 = 30.0 %
        for mark in ("*", "§", "◊"):
            assert mark in legend


def test_fy2023_computed_shares_rest_on_the_respondents():
    from helpers.loaders import data

    ind = data.load_indicators()
    a = staffing.appointment(ind, ["municipality"])
    dep = a[(a["indicator"] == "cio_deputy_appointed") & (a["as_of"] == pd.Timestamp("2023-04-01"))].iloc[0]
    assert dep["base"] == 1733 and dep["rate"] == round(100 * 846 / 1733, 1) and dep["base_is_respondents"]
    older = a[(a["indicator"] == "cio_deputy_appointed") & (a["as_of"] == pd.Timestamp("2022-04-01"))].iloc[0]
    assert older["base"] == 1741 and not older["base_is_respondents"]
    [en] = staffing_words.respondent_base_caveats(a, "en")
    assert "on the 1,733 respondents" in en and "48.8%" in en and "understate" not in en
    talent = staffing.external_talent(ind, ["municipality"])
    assert talent.loc[talent["as_of"] == pd.Timestamp("2023-04-01"), "base"].iloc[0] == 1733


def test_a_difference_agrees_with_the_rounded_values_beside_it():
    """Findings item: 56.0 − 47.9 was printed as +8.0 (from unrounded values)."""
    assert common.shown_difference(56.04, 47.94) == 8.1
    assert common.shown_difference(45.45, 48.83) == -3.3
    assert f"{common.shown_difference(79.03, 41.35):+.1f}" == "+37.6"
