"""The online-usage theme: changes only within one series, dashboard metrics with their bases, one
language per report. Synthetic frames (numbers invented here) unless a test says it reads data/."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from helpers.loaders import data, series
from helpers.analysis import entity_stats, online
from helpers.loaders import entity
from helpers.words import online as words
from helpers.words.i18n import TEXT
from helpers.paths import data_dir

SEED_FILES = {
    "soumu_dx_overview_fy2021": "000_c7814f0556f74afe.txt",
    "soumu_info_mgmt_fy2020": "001_25765129cf5569f8.txt",
    "soumu_dx_slides_2020": "002_a0cf693ba223fabe.txt",
    "blog_fy2023_summary": "003_ad852d096c3181f2.txt",
}
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]")
LATIN_WORD = re.compile(r"[A-Za-z]+")
ALLOWED_LATIN = {"AI", "RPA", "DX", "CIO", "ICT", "eLTAX", "IT"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# ----------------------------------------------------------------------------- synthetic frames

def _totals() -> pd.DataFrame:
    rows = [  # year, set, series, total, online, rate, source
        (2030, "21", "set21_counted", 1000, 400, 40.0, "s_a"),
        (2031, "21", "set21_counted", 1100, 473, 43.0, "s_a"),
        (2032, "58", "set58_counted", 2000, None, 37.7, "s_b"),
        (2033, "58", "set58_estimated", None, None, 61.3, "s_c"),
        (2035, "other", "other_secondary", 3000, 2000, 66.7, "s_blog"),
    ]
    df = pd.DataFrame(rows, columns=["fiscal_year", "procedure_set", "series", "total_cases", "online_cases",
                                     "online_rate", "source"])
    return df.astype({"total_cases": "Int64", "online_cases": "Int64", "online_rate": "Float64"})


def _procedures() -> pd.DataFrame:
    rows = [  # year, set, series, group, no, name, name_en, cases, rate
        (2032, "58", "set58_counted", "a", "a01", "手続甲", "Procedure A", 5000, 20.0),
        (2033, "58", "set58_estimated", "a", "a01", "手続甲", "Procedure A", 5200, 90.0),
        (2032, "58", "set58_counted", "a", "a02", "手続乙", "Procedure B", 3000, 10.0),
        (2033, "58", "set58_estimated", "a", "a02", "手続乙", "Procedure B", 3100, 12.5),
        (2032, "58", "set58_counted", "child", "child01", "手続丙", "Procedure C", 700, 0.4),
        (2033, "58", "set58_estimated", "child", "child01", "手続丙", "Procedure C", 800, 0.5),
        (2032, "58", "set58_counted", "disaster", "disaster01", "手続丁", "Procedure D", 0, 0.0),
        (2033, "58", "set58_estimated", "disaster", "disaster01", "手続丁", "Procedure D", 0, 0.0),
        (2030, "21", "set21_counted", "a", "a01", "手続甲", "Procedure A", None, 30.0),
        (2031, "21", "set21_counted", "a", "a01", "手続甲", "Procedure A", None, 33.3),
        (2031, "21", "set21_counted", "a", "a01", "手続甲", "Procedure A", None, 33.3),  # quoted twice
    ]
    df = pd.DataFrame(rows, columns=["fiscal_year", "procedure_set", "series", "group", "procedure_no", "procedure",
                                     "procedure_en", "annual_cases", "online_rate"])
    df["source"] = "s_x"
    return df.astype({"fiscal_year": "Int64", "annual_cases": "Int64", "online_rate": "Float64"})


# ----------------------------------------------------------------------------- the method break

def test_no_change_is_ever_computed_across_the_fy2019_fy2020_method_break():
    """FY2019 (online cases counted) → FY2020 (estimated): per procedure and for the totals, the
    pair is refused and the documented reason is given instead of a change."""
    rates = online.procedure_rates(_procedures())
    changes = online.procedure_changes(rates)
    assert not ((changes["prev_fiscal_year"] == 2032) & (changes["fiscal_year"] == 2033)).any()
    # the only change left is the one within the 21-procedure series
    assert changes[["procedure_no", "prev_fiscal_year", "fiscal_year", "change_pp"]].values.tolist() == [
        ["a01", 2030, 2031, 3.3]]
    crossed = words.procedure_breaks(rates, "en")
    method = crossed[crossed["kind"] == "method"]
    assert sorted(method["procedure_no"]) == ["a01", "a02", "child01", "disaster01"]
    assert set(method["prev_fiscal_year"]) == {2032} and set(method["fiscal_year"]) == {2033}

    view, fmt = words.side_by_side_view(online.side_by_side(rates, 2032, 2033), 2032, 2033, "ja")
    assert "change_pp" not in view.columns  # shown side by side, never as a change
    assert any("集計値" in c for c in view.columns) and any("推計値" in c for c in view.columns)

    for lang, text in (("ja", "算出方法の変更のため比較できない"), ("en", "not comparable: counting method changed")):
        pairs = words.with_reasons(online.comparisons(online.totals(_totals())), lang)
        row = pairs[(pairs["prev_fiscal_year"] == 2032) & (pairs["fiscal_year"] == 2033)].iloc[0]
        assert np.isnan(row["change_pp"]) and row["kind"] == "method" and row["comparison"] == text
        assert pairs["change_pp"].notna().tolist() == [True, False, False, False]


def test_changes_within_one_series_are_computed_by_helpers_series():
    pairs = words.with_reasons(online.comparisons(online.totals(_totals())), "ja")
    within = pairs.dropna(subset=["change_pp"]).iloc[0]
    assert (within["prev_fiscal_year"], within["fiscal_year"], within["change_pp"]) == (2030, 2031, 3.0)
    direct = series.changes(online.totals(_totals()).assign(k=1), ["k"], "fiscal_year", "online_rate")
    assert direct["change"].tolist() == [3.0]
    assert pairs["kind"].tolist()[1:] == ["definition", "method", "source"]


def test_the_analysis_frames_hold_ids_and_numbers_and_the_words_add_the_reasons():
    """The analysis layer pairs years without wording: a pair across a break keeps its two series and
    no change; the reason and the reader's text come from helpers.words.online, in either language."""
    pairs = online.comparisons(online.totals(_totals()))
    assert list(pairs.columns) == ["prev_fiscal_year", "fiscal_year", "prev_online_rate", "online_rate", "change_pp",
                                   "prev_series", "series"]
    across = pairs["prev_series"] != pairs["series"]
    assert pairs.loc[across, "change_pp"].isna().all() and pairs.loc[~across, "change_pp"].notna().all()
    assert set(pairs["prev_series"]) | set(pairs["series"]) <= set(online.SERIES_ORDER)  # ids, not words
    for lang in ("ja", "en"):
        explained = words.with_reasons(pairs, lang)
        assert explained["kind"].notna().tolist() == across.tolist()
        assert explained[["prev_fiscal_year", "fiscal_year", "change_pp"]].equals(pairs[["prev_fiscal_year", "fiscal_year", "change_pp"]])
    rates = online.procedure_rates(_procedures())
    side = online.side_by_side(rates, 2032, 2033)
    assert side["change_pp"].isna().all()  # the two years lie on two sides of the method break
    assert set(side["series_1"]) == {"set58_counted"} and set(side["series_2"]) == {"set58_estimated"}
    assert set(online.group_summary(online.year_table(rates, 2033))["group"]) <= set(online.GROUPS)
    crossed = online.procedure_crossings(rates)
    assert set(crossed[crossed["fiscal_year"] == 2033]["procedure_no"]) == {"a01", "a02", "child01", "disaster01"}


def test_findings_lead_with_within_series_facts_and_state_breaks():
    tots = online.totals(_totals())
    rates = online.procedure_rates(_procedures())
    year = online.year_table(rates, 2033)
    for lang in ("ja", "en"):
        pairs = words.with_reasons(online.comparisons(tots), lang)
        f = words.findings(tots, pairs, year, lang, secondary={"s_blog"}, min_cases=1_000)
        assert "61.3%" in f[0] and "37.7%" not in f[0]  # latest official year first, alone
        # recomputed from the per-procedure table: (4,680 + 388 + 4) / 9,100 online cases
        assert "55.7%" in f[0] and "9,100" in f[0]
        assert "37.7%" in f[1] and "61.3%" in f[1]
        assert ("算出方法の変更のため比較できない" if lang == "ja" else "not comparable: counting method changed") in f[1]
        assert "+3.0" in f[2] and "40.0%" in f[2] and "43.0%" in f[2]  # the latest change within one series
        joined = " ".join(f)
        assert "+24.3" not in joined and "+23.6" not in joined  # 37.7 → 61.3, 66.7 − 43.1: never printed
        assert "66.7%" in f[-1]  # the secondary year, reported apart
        assert "90.0%" in joined and "5,200" in joined  # the leader with its case count
    ja = words.findings(tots, words.with_reasons(online.comparisons(tots), "ja"), year, "ja", secondary={"s_blog"})
    assert not any("FY" in s for s in ja)
    en = words.findings(tots, words.with_reasons(online.comparisons(tots), "en"), year, "en", secondary={"s_blog"})
    assert not any(JAPANESE.search(s) for s in en)
    assert "Procedure A" in " ".join(en)


def test_procedure_rates_zero_cases_and_duplicates():
    rates = online.procedure_rates(_procedures())
    d = rates[rates["procedure_no"] == "disaster01"]
    assert d["rate"].isna().all()  # 0 cases: no rate
    a = rates[(rates["procedure_no"] == "a01") & (rates["procedure_set"] == "21")]
    assert a["rate"].tolist() == [30.0, 33.3]  # unknown case count keeps its rate; quoted twice → once
    year = online.year_table(rates, 2033)
    g = online.group_summary(year).set_index("group")
    assert g.loc["disaster", "procedures"] == 1 and g.loc["disaster", "with_cases"] == 0
    assert g.loc["a", "weighted_rate"] == round(100 * (4680 + 388) / 8300, 1)
    conc = online.concentration(year, n=1)
    assert list(conc["top"]["procedure_no"]) == ["a01"] and conc["procedures"] == 3


def test_break_caveats_name_every_break_with_its_source():
    pairs = words.with_reasons(online.comparisons(online.totals(_totals())), "ja")
    c = words.break_caveats(pairs, "ja", lambda key: f"[{key}]")
    assert len(c) == 3
    assert c[1].startswith("2032年度→2033年度：") and "[soumu_dx_overview_fy2021]" in c[1]


# ----------------------------------------------------------------------------- dashboard metrics

def _muni(rows: list[tuple]) -> pd.DataFrame:
    """(seq, type, online, offered, share, not_surveyed) → the long dashboard frame."""
    out = []
    for seq, mtype, num, den, share, ns in rows:
        base = {"tier": "municipality", "pref_code": "99", "prefecture": "X", "entity": f"e{seq}", "entity_seq": seq,
                "municipality_type": mtype}
        for ind, v in (("online32_online", num), ("online32_offered", den), ("online32_share", share)):
            out.append({**base, "indicator": ind, "value": np.nan if v is None else float(v), "not_surveyed": ns,
                        "raw": ""})
        out.append({**base, "indicator": "ai", "value": 1.0, "not_surveyed": False, "raw": "実施"})
    return pd.DataFrame(out)


def test_online32_pooled_beside_mean_with_exclusions_and_small_denominators():
    muni = _muni([
        (1, "city", 5, 20, 25, False), (2, "city", 10, 20, 50, False), (3, "city", 1, 1, 100, False),
        (4, "town", 0, 0, None, False), (5, "town", 2, 10, 20, False), (6, "village", None, None, None, True),
    ])
    per = entity_stats.online32_per_municipality(muni)
    assert per.set_index("entity_seq")["status"].to_dict() == {1: "used", 2: "used", 3: "used", 4: "denominator_0",
                                                                5: "used", 6: "not_surveyed"}
    assert per["small_denominator"].tolist() == [False, False, True, False, False, False]
    bt = entity_stats.online32_by_type(muni).set_index("municipality_type")
    city = bt.loc["city"]
    assert city["pooled_rate"] == round(100 * 16 / 41, 1) and city["mean_rate"] == round((25 + 50 + 100) / 3, 1)
    assert city["small_denominator"] == 1 and city["small_group"]  # 3 municipalities < 5
    assert bt.loc["town", "denominator_0"] == 1 and bt.loc["town", "n"] == 1
    assert bt.loc["village", "not_surveyed"] == 1 and np.isnan(bt.loc["village", "pooled_rate"])
    assert bt.loc["all", "municipalities_all"] == 6 and bt.loc["all", "n"] == 4
    f = words.dashboard_findings(entity_stats.online32_by_type(muni), per,
                                  pd.DataFrame({"pref_code": ["99"] * 4, "entity_seq": [1, 1, 2, 2],
                                                "group": ["g"] * 4, "procedure": ["p", "q", "p", "q"],
                                                "rate": [np.nan, 0.0, 5.0, np.nan]}), "en", date="1 Jan 2030", k=5)
    assert "35.3% with all procedures together (18 of 51 procedures, 4 municipalities)" in f[0] and "48.8%" in f[0]
    assert "1 with denominator 0" in f[0] and "1 not surveyed" in f[0]
    assert "1 of them at 100%" in f[1]
    assert "2 of 4 cells (2 municipalities × 2 procedures) are blank" in f[-1]


def test_procedure_stats_blank_is_no_rate_reported_and_small_n_is_flagged():
    rates = pd.DataFrame({"group": ["g"] * 6, "procedure": ["p", "p", "p", "q", "q", "q"],
                          "rate": [0.0, 50.0, np.nan, np.nan, np.nan, 100.0]})
    s = entity_stats.procedure_stats(rates, min_n=2).set_index("procedure")
    assert s.loc["p", ["listed", "reported", "no_rate", "zero_rate"]].tolist() == [3, 2, 1, 1]
    assert s.loc["p", "median"] == 25.0 and not s.loc["p", "small_n"]
    assert s.loc["q", "reported"] == 1 and s.loc["q", "small_n"]  # a median over n=1 is flagged


def test_real_dashboard_shares_follow_numerator_and_denominator(dashboard_dir):
    frames = entity.load_export(dashboard_dir)
    per = entity_stats.online32_per_municipality(frames["municipal_comparison"])
    used = per[per["status"] == "used"]
    assert (used["share"] - used["published_share"]).abs().max() <= 0.5 + 1e-9  # published as whole %
    assert used["offered"].max() <= 26 and (per["status"] == "denominator_0").sum() == (per["offered"] == 0).sum()
    proc = data.load_online_procedures()
    names = frames["municipal_rates"]["procedure"].drop_duplicates()
    en = [words.dashboard_procedure_label(n, proc, "en") for n in names]
    assert not [n for n in en if JAPANESE.search(n)], "a dashboard procedure has no English name"


# ----------------------------------------------------------------------------- data and wording

def test_online_data_carry_series_and_english_names():
    proc, tot = data.load_online_procedures(), data.load_online_totals()
    for df in (proc, tot):
        assert set(df["series"]) <= set(online.SERIES_ORDER)
    assert (tot.set_index("fiscal_year")["series"].loc[[2019, 2020]] == ["set58_counted", "set58_estimated"]).all()
    assert proc["procedure_en"].str.len().gt(0).all() and not proc["procedure_en"].str.contains(JAPANESE).any()
    # every series change between consecutive years is documented (explain raises otherwise)
    words.with_reasons(online.comparisons(online.totals(tot)), "en")
    words.procedure_breaks(online.procedure_rates(proc), "en")
    # one English name per procedure number
    assert proc.groupby("procedure_no")["procedure_en"].nunique().max() == 1


def test_online_breaks_are_quoted_from_their_sources(shared_seeds):
    b = series.breaks(data_dir())
    b = b[b["dataset"].isin(["online_totals", "online_procedures"])]
    assert {"method", "definition", "source"} <= set(b["kind"])
    for r in b.itertuples():
        text = _squash((shared_seeds / SEED_FILES[r.source]).read_text(encoding="utf-8"))
        assert _squash(r.stated_as) in text, r.stated_as
    method = b[b["kind"] == "method"]
    assert set(method["from_series"]) == {"set58_counted"} and set(method["to_series"]) == {"set58_estimated"}


def test_online_wording_keeps_to_one_language():
    for key, pair in TEXT.items():
        if not key.startswith("online."):
            continue
        if not key.startswith("online.proc."):
            assert not JAPANESE.search(pair["en"]), key
        template = re.sub(r"\{[^}]*\}", "", pair["ja"])
        assert set(LATIN_WORD.findall(template)) <= ALLOWED_LATIN, key


def test_plots_keep_series_apart():
    from helpers.figures import plots_online

    tots = online.totals(_totals())
    pairs = words.with_reasons(online.comparisons(tots), "en")
    fig = plots_online.totals_by_series(
        tots, pairs.dropna(subset=["kind"]), series_label={s: s for s in tots["series"]}, break_label=str,
        secondary=["other_secondary"], title="t", xlabel="x", ylabel="y", source="s", value_text=str)
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) and ln.get_label() in set(tots["series"])]
    by_series = tots.groupby("series")["fiscal_year"].apply(lambda s: sorted(s.astype(int)))
    assert sorted(ln.get_label() for ln in lines) == sorted(by_series.index)
    for ln in lines:  # each drawn line holds the years of exactly one series
        assert sorted(int(x) for x in ln.get_xdata()) == by_series[ln.get_label()]
    labels = [tx.get_text() for tx in ax.texts]
    assert {"definition", "method", "source"} <= set(labels)
    import matplotlib.pyplot as plt

    plt.close(fig)
