"""Security theme: tiers are compared only on controls both were measured on at the same date, and a
control that was not measured is never a 0.

Synthetic frames only (ids, dates and numbers invented here), so a change in data/ cannot hide a bug.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import common, security
from helpers.words import security as words
from helpers.words.lang_scan import foreign_words

TL = {"ja": {"prefecture": "都道府県", "municipality": "市区町村"},
      "en": {"prefecture": "prefectures", "municipality": "municipalities"}}
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(autouse=True)
def synthetic_labels(monkeypatch):
    """The words layer names a control by its catalog label: the synthetic controls get theirs."""
    catalog = words.label_map
    monkeypatch.setattr(words, "label_map",
                        lambda lang: {**catalog(lang), **{c: c.upper() for c in ("ctl_a", "ctl_b", "ctl_c", "ctl_d")}})


def _ctrl(rows) -> pd.DataFrame:
    """rows: (indicator, tier, as_of, rate[, series[, assumed]])."""
    out = []
    for r in rows:
        ind, tier, as_of, rate = r[:4]
        series = r[4] if len(r) > 4 else "s1"
        assumed = r[5] if len(r) > 5 else False
        base = 50 if tier == "prefecture" else 2000
        out.append({"indicator": ind, "tier": tier, "series": series,
                    "as_of": pd.Timestamp(as_of), "as_of_assumed": assumed, "status": "current",
                    "count": round(rate * base / 100), "base": base, "percent": rate, "rate": float(rate),
                    "rate_is_computed": False, "source": "src_x", "secondary": False, "section": "", "note": ""})
    return pd.DataFrame(out)


@pytest.fixture
def ctrl() -> pd.DataFrame:
    return _ctrl([
        # 2031: prefectures measured a, b, c (c only for them, at 100 %); municipalities a, b, d
        ("ctl_a", "prefecture", "2031-04-01", 90.0), ("ctl_b", "prefecture", "2031-04-01", 80.0),
        ("ctl_c", "prefecture", "2031-04-01", 100.0),
        ("ctl_a", "municipality", "2031-04-01", 60.0), ("ctl_b", "municipality", "2031-04-01", 40.0),
        ("ctl_d", "municipality", "2031-04-01", 0.0),
        # 2032: only ctl_a for both tiers
        ("ctl_a", "prefecture", "2032-04-01", 95.0), ("ctl_a", "municipality", "2032-04-01", 70.0),
        # 2033: municipalities only
        ("ctl_b", "municipality", "2033-04-01", 45.0, "s1", True),
    ])


def test_common_index_uses_only_the_controls_both_tiers_measured_that_date(ctrl):
    idx = security.common_index(ctrl)
    assert idx["as_of"].dt.year.tolist() == [2031, 2032]  # 2033 has no common control
    first = idx.iloc[0]
    assert first["n"] == 2 and first["controls"] == ["ctl_a", "ctl_b"]
    assert first["mean_prefecture"] == 85.0  # not (90 + 80 + 100) / 3: ctl_c is prefectures-only
    assert first["mean_municipality"] == 50.0  # not (60 + 40 + 0) / 3: ctl_d is municipalities-only
    assert first["gap_pp"] == 35.0
    second = idx.iloc[1]
    assert second["n"] == 1 and second["mean_prefecture"] == 95.0 and second["mean_municipality"] == 70.0


def test_common_controls_list_what_each_tier_measured_alone(ctrl):
    cc = security.common_controls(ctrl).set_index(ctrl["as_of"].drop_duplicates().sort_values().values)
    row = cc.loc[pd.Timestamp("2031-04-01")]
    assert row["only_prefecture"] == ["ctl_c"] and row["only_municipality"] == ["ctl_d"]
    assert cc.loc[pd.Timestamp("2033-04-01"), "n"] == 0


def test_not_measured_is_not_zero(ctrl):
    gaps = security.gaps_by_date(ctrl)
    d = gaps[gaps["as_of"] == pd.Timestamp("2031-04-01")].set_index("indicator")
    # ctl_d: measured at 0 % for municipalities, not measured for prefectures → no gap, not 0 or 100
    assert not d.loc["ctl_d", "measured_prefecture"] and d.loc["ctl_d", "measured_municipality"]
    assert np.isnan(d.loc["ctl_d", "gap_pp"])
    assert d.loc["ctl_d", "rate_municipality"] == 0.0
    assert d.loc["ctl_a", "gap_pp"] == 30.0
    table = words.control_table(ctrl, ["prefecture", "municipality"], TL["ja"], "ja")
    cells = table.set_index(["対策", "団体区分"])
    assert cells.loc[("CTL_D", "市区町村"), "2031年4月1日時点"].startswith("0.0%")  # a measured 0 stays 0
    assert "CTL_D" not in set(table.loc[table["団体区分"] == "都道府県", "対策"])   # never measured: no row
    assert cells.loc[("CTL_C", "都道府県"), "2032年4月1日時点"] == "—"           # not measured that date
    assert "令和15年度調査※" in table.columns                       # assumed date named as such


def test_changes_stay_within_a_series():
    c = _ctrl([("ctl_a", "municipality", "2031-04-01", 50.0, "old"), ("ctl_a", "municipality", "2032-04-01", 60.0, "new"),
               ("ctl_a", "municipality", "2033-04-01", 65.0, "new")])
    chg = common.changes(c)
    assert chg[["prev_rate", "rate", "change_pp"]].values.tolist() == [[60.0, 65.0, 5.0]]
    table = words.changes_table(chg, c, set(), TL["en"], "en")
    assert len(table) == 1 and table["change_pp"].tolist() == [5.0]


def test_change_finding_leaves_out_rows_the_audit_flags():
    c = _ctrl([("ctl_a", "municipality", "2031-04-01", 50.0), ("ctl_a", "municipality", "2032-04-01", 90.0),
               ("ctl_b", "municipality", "2031-04-01", 50.0), ("ctl_b", "municipality", "2032-04-01", 55.0)])
    chg = common.changes(c)
    flagged = {("ctl_a", "municipality", pd.Timestamp("2032-04-01"))}
    [sentence] = words.change_sentences(chg, c, flagged, "ja")
    assert "CTL_B" in sentence and "+5.0" in sentence and "CTL_A" not in sentence


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_findings_show_dates_as_text_and_bases(ctrl, lang):
    idx = security.common_index(ctrl)
    gaps = security.gaps_by_date(ctrl)
    out = (words.index_sentences(idx, lang) + words.gap_sentences(gaps, lang)
           + words.lowest_sentence(ctrl, lang))
    text = "\n".join(out)
    assert not ISO.search(text)
    assert ("2031年4月1日時点" if lang == "ja" else "as of 1 Apr 2031") in text
    assert ("2,000団体中800団体" if lang == "ja" else "800 of 2,000") in text  # base shown with the rate (ctl_b)
    neutral = {"CTL_A": "対策甲" if lang == "ja" else "control a", "CTL_B": "対策乙" if lang == "ja" else "control b",
               "CTL_D": "対策丁" if lang == "ja" else "control d"}
    for k, v in neutral.items():
        text = text.replace(k, v)
    assert foreign_words(text, lang) == []


def test_controls_chart_draws_not_measured_as_hatched_box_with_legend(ctrl):
    from helpers.figures import plots, plots_security

    snap = ctrl[ctrl["as_of"] == pd.Timestamp("2031-04-01")]
    labels = {c: c.upper() for c in ctrl["indicator"]}
    fig = plots_security.controls_chart(snap, ["ctl_a", "ctl_b", "ctl_c", "ctl_d"], labels, ["prefecture", "municipality"],
                                        title="t", xlabel="x", source="s", tier_label=TL["en"], lang="en")
    ax = fig.axes[0]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 2  # ctl_c for municipalities, ctl_d for prefectures
    assert all(p.get_width() < 10 for p in hatched)  # a marker, not a bar that could read as a value
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("not measured" in s.lower() for s in texts)
    plots.close(fig)


def test_a_row_whose_published_figures_contradict_each_other_is_shown_but_never_computed_from():
    """CISO FY2023 「1,733団体（93.5%）」: 1,733 is the respondent count, 93.5 % of it ≈ 1,620."""
    from helpers.loaders import data
    from helpers.analysis import security

    ind = data.load_indicators()
    keys = security.flagged_keys(security.flagged_rows(ind, security.CONTROLS))
    ciso = ("ciso_appointed", "municipality", pd.Timestamp("2023-04-01"))
    assert ciso in keys
    published = security.controls(ind, security.TIERS)
    usable = security.usable(published, keys)
    assert not ((usable["indicator"] == "ciso_appointed") & (usable["as_of"] == ciso[2])).any()
    table = words.control_table(published, security.TIERS, {"prefecture": "都道府県", "municipality": "市区町村"},
                                   "ja", keys)
    assert table.apply(lambda col: col.astype(str).str.contains("1,733団体）†")).any().any()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_common_control_finding_gives_one_gap_not_a_sequence(lang):
    """Findings item: 'gap +19.2 pp; … +24.7 pp; … +31.8 pp' in date order reads as a widening gap
    although each date averages another set of controls: only the widest comparison is a finding."""
    idx = pd.DataFrame([
        {"as_of": pd.Timestamp("2031-04-01"), "as_of_assumed": False, "secondary": False, "n": 10,
         "controls": [], "mean_prefecture": 97.0, "mean_municipality": 77.8, "gap_pp": 19.2},
        {"as_of": pd.Timestamp("2032-04-01"), "as_of_assumed": False, "secondary": False, "n": 4,
         "controls": [], "mean_prefecture": 97.3, "mean_municipality": 72.6, "gap_pp": 24.7},
        {"as_of": pd.Timestamp("2033-04-01"), "as_of_assumed": True, "secondary": True, "n": 2,
         "controls": [], "mean_prefecture": 100.0, "mean_municipality": 68.2, "gap_pp": 31.8}])
    [text] = words.index_sentences(idx, lang)
    assert "+19.2" in text and "+24.7" not in text and "+31.8" not in text
    assert "4" in text and "2" in text  # the other dates' numbers of controls are named
    assert not ISO.search(text)
    [one] = words.index_sentences(idx.iloc[:1], lang)
    assert "+19.2" in one and ("ほか" not in one and "other" not in one)


def test_source_note_tells_two_sources_of_one_publisher_apart():
    """Findings item 25: the table note listed '[1] MIC … [4] MIC' with nothing to tell them apart."""
    class Rep:
        def __init__(self):
            self.keys = []

        def ref(self, key):
            self.keys.append(key)
            return f"[{len(self.keys)}]"

    line = words.source_line(["soumu_info_mgmt_fy2020", "soumu_series_page", "blog_fy2023_summary"], "en", Rep().ref)
    assert "[1] Ministry of Internal Affairs and Communications (MIC) (2021)" in line
    assert "[2] Ministry of Internal Affairs and Communications (MIC) (2024)" in line
    assert "(2024, secondary source)" in line


def test_gap_chart_names_controls_from_the_labels_it_is_given(ctrl):
    """The analysis frame carries control ids only; the chart takes their names as an argument and
    draws a panel only for the dates with a control measured for both tiers."""
    from helpers.figures import plots, plots_security

    gaps = security.gaps_by_date(ctrl)
    assert "label" not in gaps
    headings = {d: f"panel {d.year}" for d in sorted(ctrl["as_of"].unique())}
    fig = plots_security.gap_facets(gaps, headings, {c: c.upper() for c in ctrl["indicator"]}, title="t", xlabel="x",
                                    source="s", tier_label=TL["en"], lang="en")
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["panel 2031", "panel 2032"]
    names = {tick.get_text() for ax in fig.axes for tick in ax.get_yticklabels()}
    assert {"CTL_A", "CTL_B", "CTL_C", "CTL_D"} <= names and not any(n.startswith("ctl_") for n in names)
    assert security.dates_without_gap(gaps) == [pd.Timestamp("2033-04-01")]
    plots.close(fig)
