"""Uptake theme: no curve across series, a curve with a confidence band only where one series has
enough dated points, dashboard comparisons with their own reference dates, labels in the report's
language.

Synthetic frames only (ids, dates and numbers invented here), so a change in data/ cannot hide a bug.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import common, entity_stats, uptake
from helpers.loaders import entity
from helpers.words import entity as entity_words, formats
from helpers.words import uptake as words
from helpers.words.lang_scan import foreign_words

TL = {"ja": {"prefecture": "都道府県", "municipality": "市区町村", "designated_city": "政令指定都市"},
      "en": {"prefecture": "prefectures", "municipality": "municipalities", "designated_city": "designated cities"}}
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _adopt(rows) -> pd.DataFrame:
    """rows: (indicator, tier, series, as_of, rate[, assumed[, count, base]])."""
    out = []
    for r in rows:
        ind, tier, series, as_of, rate = r[:5]
        assumed = r[5] if len(r) > 5 else False
        base = r[7] if len(r) > 7 else 1000
        count = r[6] if len(r) > 6 else round(rate * base / 100)
        out.append({"indicator": ind, "label": ind.upper(), "tier": tier, "series": series, "as_of": pd.Timestamp(as_of),
                    "as_of_assumed": assumed, "status": "current", "count": count, "base": base, "percent": rate,
                    "rate": float(rate), "rate_is_computed": False, "source": "src_x", "secondary": assumed,
                    "section": "", "note": ""})
    return pd.DataFrame(out)


def _logistic_points(series: str, years, k=1.2, t0=2032.0, noise=(0.8, -1.1, 0.6, -0.4, 0.9, -0.7)):
    return [("telework", "municipality", series, f"{y}-04-01", round(100 / (1 + np.exp(-k * (y + 0.25 - t0))) + e, 1))
            for y, e in zip(years, noise)]


def test_no_fit_across_series_even_with_enough_points_in_total():
    # 6 points for one indicator and tier, but 3 + 3 in two series: no curve
    adopt = _adopt(_logistic_points("series_a", [2029, 2030, 2031]) + _logistic_points("series_b", [2032, 2033, 2034]))
    fits = uptake.diffusion_fits(adopt)
    assert len(fits) == 2 and set(fits["series"]) == {"series_a", "series_b"}
    assert not fits["fitted"].any() and set(fits["reason"]) == {"too_few_points"}
    assert fits["dated_points"].tolist() == [3, 3]
    [sentence] = words.fit_sentences(fits, TL["ja"], "ja")
    assert "当てはめない" in sentence and "3時点" in sentence and "4つ以上" in sentence


def test_assumed_dates_do_not_count_towards_a_fit():
    rows = _logistic_points("s", [2029, 2030, 2031, 2032])
    rows[-1] = rows[-1] + (True,)  # the source states no reference date for the last point
    fits = uptake.diffusion_fits(_adopt(rows))
    assert fits.iloc[0]["points"] == 4 and fits.iloc[0]["dated_points"] == 3 and not fits.iloc[0]["fitted"]


def test_a_series_with_four_or_more_dated_points_gets_a_band_and_an_interval():
    adopt = _adopt(_logistic_points("s", [2029, 2030, 2031, 2032, 2033]))
    fits = uptake.diffusion_fits(adopt)
    r = fits.iloc[0]
    assert r["fitted"] and r["dated_points"] == 5 and r["dof"] == 3
    assert r["year_target_lo"] < r["year_target"] < r["year_target_hi"]
    assert 2030 < r["year_target"] < 2036
    b = uptake.band(r, 2029.0, 2036.0)
    assert ((b["lo"] <= b["rate"] + 1e-9) & (b["rate"] <= b["hi"] + 1e-9)).all()
    assert (b["hi"] - b["lo"]).max() > 0
    bands = uptake.fit_bands(adopt, fits, extend_years=2.0)  # what the chart draws: fitted series only
    assert set(bands["series"]) == {"s"} and len(bands) == 100
    first, last = uptake.decimal_year(adopt["as_of"]).agg(["min", "max"])
    assert bands["year"].min() == pytest.approx(first) and bands["year"].max() == pytest.approx(last + 2.0)
    for lang in ("ja", "en"):
        [sentence] = words.fit_sentences(fits, TL[lang], lang)
        assert f"{r['year_target_lo']:.1f}" in sentence and f"{r['year_target_hi']:.1f}" in sentence
        assert "95" in sentence  # the interval's level is stated
    table = words.fit_table(fits, TL["en"], "en")
    assert "CI" in table.iloc[0]["diffusion curve"]


def test_fit_refuses_too_few_points():
    with pytest.raises(ValueError):
        uptake.fit_logistic(np.array([2030.0, 2031.0, 2032.0]), np.array([10.0, 30.0, 60.0]))


def test_fit_chart_draws_the_band_only_for_fitted_series():
    from helpers.figures import plots, plots_uptake

    adopt = _adopt(_logistic_points("s", [2029, 2030, 2031, 2032, 2033])
                   + [("ai", "municipality", "other", "2031-04-01", 20.0), ("ai", "municipality", "x", "2033-04-01", 30.0, True)])
    bands = uptake.fit_bands(adopt, uptake.diffusion_fits(adopt))
    fig = plots_uptake.adoption_chart(adopt, bands, names={"telework": "telework", "ai": "AI"}, title="t", ylabel="y",
                                      source="s", tier_label=TL["en"], lang="en", confidence=uptake.CONFIDENCE)
    panels = {ax.get_title(): ax for ax in fig.axes}
    assert len(panels["telework"].collections) >= 1  # fill_between band
    assert not [c for c in panels["AI"].collections if type(c).__name__ in ("PolyCollection", "FillBetweenPolyCollection")]
    plots.close(fig)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sentences_name_dates_in_text_with_their_bases(lang):
    adopt = _adopt([
        ("telework", "municipality", "slides", "2030-10-01", 2.0, False, 20, 1000),
        ("telework", "municipality", "slides", "2031-03-26", 3.0, False, 30, 1000),
        ("telework", "municipality", "survey", "2032-10-01", 50.0, False, 525, 1050),
        ("telework", "prefecture", "survey", "2032-10-01", 100.0, False, 40, 40),
    ])
    chg, out = common.changes(adopt), []
    out += words.latest_sentences(adopt, ["municipality", "prefecture"], lang)
    out += words.change_sentences(chg, adopt, ["municipality"], lang)
    text = "\n".join(out)
    assert not ISO.search(text)
    assert ("1,050団体中525団体" if lang == "ja" else "525 of 1,050") in text
    assert ("2030年10月1日時点" if lang == "ja" else "as of 1 Oct 2030") in text
    assert "+1.0" in text and len(chg) == 1  # the change within 'slides' only
    assert foreign_words(text, lang) == []


def test_caveats_render_dates_as_text():
    adopt = _adopt([("telework", "municipality", "a", "2030-01-01", 1.0, False, 9, 900),
                    ("telework", "municipality", "b", "2033-04-01", 50.0, True, 475, 950),
                    ("ai", "municipality", "c", "2032-12-31", 20.0, False, 190, 950),
                    ("ai", "municipality", "d", "2033-04-01", 40.0, True, 380, 950)])
    base, dates = words.caveats(adopt, "ja")
    assert "2030年1月1日" in base and "900団体" in base and "母数950団体" in base
    assert dates == "調査ごとに基準日が異なる：テレワークは2030年1月1日、AIは2032年12月31日。"
    assert not ISO.search(" ".join(words.caveats(adopt, "en")))


def test_pairs_are_labelled_in_the_report_language():
    muni = pd.DataFrame([{"pref_code": "01", "entity_seq": i, "indicator": ind, "value": float(v)}
                         for i, vals in enumerate([(1, 1, 0), (1, 0, 0), (0, 1, 1), (0, 0, 0), (1, 1, 1)])
                         for ind, v in zip(["ai", "rpa", "telework"], vals)])
    counts, pairs = entity_stats.co_adoption(muni)
    assert counts["municipalities"].sum() == 5 and set(pairs["n"]) == {5}
    ja = words.pair_table(pairs, "ja")["pair"].tolist()
    en = words.pair_table(pairs, "en")["pair"].tolist()
    assert ja == ["AI×RPA", "AI×テレワーク", "RPA×テレワーク"]
    assert en == ["AI × RPA", "AI × telework", "RPA × telework"]
    assert not any("_" in p or p.islower() for p in ja)


def _evidence_frame(other_yes: int, designated_yes: int = 20, other_n: int = 100) -> pd.DataFrame:
    """Synthetic AI answers: the 20 designated cities of the municipal master plus ``other_n`` other
    municipalities (real codes, invented values)."""
    from helpers.loaders.municipalities import load_master

    m = load_master()
    des = m.loc[m["type"] == "designated_city", "code5"].tolist()
    oth = m.loc[m["type"] != "designated_city", "code5"].tolist()[:other_n]
    rows = [{"code5": c, "indicator": "ai", "value": float(i < designated_yes)} for i, c in enumerate(des)]
    rows += [{"code5": c, "indicator": "ai", "value": float(i < other_yes)} for i, c in enumerate(oth)]
    return pd.DataFrame(rows)


EVIDENCE = pd.DataFrame([
    {"indicator": "ai", "scope": "designated_city", "as_of": pd.Timestamp("2033-12-31"), "percent": 100.0, "source": "src_x"},
    {"indicator": "ai", "scope": "other_municipality", "as_of": pd.Timestamp("2033-12-31"), "percent": 50.0, "source": "src_x"},
])


def test_the_ai_rpa_date_is_inferred_only_when_every_published_share_agrees():
    ev = entity_stats.ai_rpa_date_evidence(_evidence_frame(other_yes=50), EVIDENCE)
    assert ev.set_index("scope").loc["other_municipality", ["yes", "surveyed"]].tolist() == [50, 100]
    assert entity_stats.inferred_dates(ev) == {"ai": pd.Timestamp("2033-12-31")}
    ja = entity_words.date_evidence_text(ev, "ja", ref="[4]")
    assert "100団体中50団体" in ja and "推定" in ja and "[4]" in ja and "記載がない" in ja
    # 45 of 100 rounds to 45 %, not the published 50 %: no date is inferred
    off = entity_stats.ai_rpa_date_evidence(_evidence_frame(other_yes=45), EVIDENCE)
    assert entity_stats.inferred_dates(off) == {}
    assert "推定しない" in entity_words.date_evidence_text(off, "ja")
    # one designated city without AI breaks the agreement too
    assert entity_stats.inferred_dates(entity_stats.ai_rpa_date_evidence(_evidence_frame(50, designated_yes=19), EVIDENCE)) == {}


def test_the_real_export_reproduces_the_published_december_2023_shares():
    """The check of the brief, on the vendored export and the transcribed shares: AI 859/1,721 and
    RPA 700/1,721 among other municipalities, all 20 designated cities adopting."""
    from helpers.paths import data_dir

    frames = entity.load_export(data_dir() / "external" / "dashboard")
    ev = entity_stats.ai_rpa_date_evidence(frames["municipal_comparison"]).set_index(["indicator", "scope"])
    assert ev.loc[("ai", "other_municipality"), ["yes", "surveyed"]].tolist() == [859, 1721]
    assert ev.loc[("rpa", "other_municipality"), ["yes", "surveyed"]].tolist() == [700, 1721]
    assert ev.loc[("ai", "designated_city"), ["yes", "surveyed"]].tolist() == [20, 20]
    assert ev["agrees"].all()
    assert set(entity_stats.inferred_dates(ev.reset_index()).values()) == {pd.Timestamp("2023-12-31")}


def test_no_ai_rpa_date_comes_from_the_2020_kpi_note():
    """The 2020 cabinet-office note describes another list: it is no evidence of the dashboard's date."""
    import inspect

    from helpers.analysis import municipal, profile
    from helpers.words import municipal as municipal_words, profile as profile_words

    for mod in (entity_stats, entity_words, municipal, profile, uptake, municipal_words, profile_words):
        src = inspect.getsource(mod)
        assert "cas_kpi_note_2020" not in src and "前々年度" not in src


def _frames(ai_yes: int, tw_yes: int, n: int = 10) -> dict[str, pd.DataFrame]:
    rows = []
    for i in range(n):
        rows.append({"pref_code": "01", "entity_seq": i + 1, "indicator": "ai", "value": float(i < ai_yes),
                     "not_surveyed": False})
        rows.append({"pref_code": "01", "entity_seq": i + 1, "indicator": "telework", "value": float(i < tw_yes),
                     "not_surveyed": False})
    return {"municipal_comparison": pd.DataFrame(rows)}


def test_reproduction_leaves_the_gap_unexplained_and_names_the_likely_reason():
    ind = pd.DataFrame([
        {"indicator": "ai", "tier": "municipality", "as_of": pd.Timestamp("2033-04-01"), "count": 4, "base": 10,
         "percent": 40.0, "unit": "organisations", "series": "x", "as_of_assumed": True, "status": "current",
         "source": "src_x", "section": "", "note": ""},
        {"indicator": "telework", "tier": "municipality", "as_of": pd.Timestamp("2033-04-01"), "count": 6, "base": 10,
         "percent": 60.0, "unit": "organisations", "series": "x", "as_of_assumed": True, "status": "current",
         "source": "src_x", "section": "", "note": ""},
    ])
    rep = entity_stats.reproduction_uptake(_frames(ai_yes=5, tw_yes=6), ind, ids=["ai", "telework"],
                                           update=pd.Timestamp("2034-07-12"), inferred={"ai": pd.Timestamp("2033-12-31")})
    r = rep.set_index("indicator")
    assert r.loc["ai", "verdict"] == "likely_other_round" and r.loc["ai", "dashboard_as_of"] == pd.Timestamp("2033-12-31")
    assert bool(r.loc["ai", "dashboard_as_of_inferred"])
    assert r.loc["ai", "dashboard_count"] == 5 and r.loc["ai", "dashboard_base"] == 10
    assert r.loc["telework", "verdict"] == "match" and pd.isna(r.loc["telework", "dashboard_as_of"])
    for lang in ("ja", "en"):
        table = words.reproduction_table(rep, TL[lang], lang)
        assert not ISO.search(table.to_string())
        [sentence] = words.reproduction_sentences(rep, lang)
        assert ("2033年12月31日" if lang == "ja" else "31 Dec 2033") in sentence
        assert ("10団体中5団体" if lang == "ja" else "5 of 10") in sentence
        # never called "not an inconsistency"; the published side keeps "reference date not stated"
        assert ("資料では説明されない" if lang == "ja" else "do not explain") in sentence
        assert "矛盾ではない" not in sentence and "not an inconsistency" not in sentence
        assert ("令和15年度調査※" if lang == "ja" else "FY2033 survey‡") in sentence  # assumed: no date shown
        assert ("推定" if lang == "ja" else "inferred") in table.iloc[0].to_string()
    assert words.reproduction_table(rep, TL["en"], "en").iloc[0]["verdict"].startswith("differs (not explained")


def test_not_surveyed_note_says_whether_the_measure_is_affected():
    counts = pd.DataFrame([
        {"pref_code": "17", "prefecture_ja": "石川県", "prefecture_en": "Ishikawa", "indicator": "ai", "yes": 5,
         "surveyed": 19, "not_surveyed": 0, "not_surveyed_any_item": 8, "municipalities": 19, "rate": 26.3},
        {"pref_code": "01", "prefecture_ja": "北海道", "prefecture_en": "Hokkaido", "indicator": "ai", "yes": 5,
         "surveyed": 10, "not_surveyed": 0, "not_surveyed_any_item": 0, "municipalities": 10, "rate": 50.0},
    ])
    ja = entity_words.not_surveyed_note(counts, ["ai"], {"ai": "AI"}, "ja", respondents=1733)
    assert "石川県の8団体" in ja and "1,733団体" in ja and "分母に含む" in ja and "北海道" not in ja
    hit = counts.assign(not_surveyed=[8, 0], surveyed=[11, 10])
    assert "分母から除いた" in entity_words.not_surveyed_note(hit, ["ai"], {"ai": "AI"}, "ja")
    en = entity_words.not_surveyed_note(counts, ["ai"], {"ai": "AI"}, "en", respondents=1733)
    assert "8 municipalities of Ishikawa" in en and foreign_words(en, "en") == []


def test_reproduction_shows_the_base_the_published_percent_rests_on(dashboard_dir):
    """Findings item: 'CIO appointed | 1,270 | 1,741 | 73.3%' paired a percent with a base that does
    not reproduce it (1,270/1,741 = 72.9 %); the audit found the source used the 1,733 respondents."""
    from helpers.loaders import data

    ind = data.load_indicators()
    rep = entity_stats.reproduction(entity.load_export(dashboard_dir), ind)
    has = rep["published_count"].notna() & rep["published_percent"].notna()
    assert has.sum() >= 3
    for r in rep[has].itertuples():
        assert abs(100 * r.published_count / r.published_base - r.published_percent) <= 0.051, r
    cio = rep[(rep["indicator"] == "cio_appointed") & (rep["tier"] == "municipality")].iloc[0]
    assert cio["published_base"] == 1733


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_across_series_rule_is_said_once_and_the_heading_says_what_is_below(lang):
    """Findings items: 'Each pair differs … not shown as a change' stood in every bullet (6 times),
    and the heading 'Changes within one series' sat over across-series pairs only."""
    from helpers.loaders import data

    tiers = ["prefecture", "designated_city", "municipality"]
    adopt = uptake.adoption(data.load_indicators(), tiers)
    across = words.break_sentences(formats.breaks(adopt, lang), adopt, tiers, lang)
    rule = ("差を変化として示さない" if lang == "ja" else "none of these differences is shown as a change")
    assert len(across) >= 2 and sum(rule in s for s in across) == 1 and rule in across[-1]
    assert words.changes_title([], across, lang) == (
        "系列をまたぐ公表値（比較しない）" if lang == "ja" else "Published values across series (not compared)")
    assert words.changes_title(["x"], [], lang) == ("同じ系列の中での変化" if lang == "ja" else "Changes within one series")
