"""The AI / RPA / telework report's sentences, captions and reader tables, from the frames of
:mod:`helpers.analysis.uptake` (phrases in :mod:`helpers.words.catalog.uptake`).

The analysis layer hands over ids (indicators, tiers, series), reference dates and numbers; this
module names them in the report's language, states each date as a reader sees it (an assumed date
names its survey instead) and every rate with the count and base it rests on.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import uptake
from helpers.analysis.uptake import CONFIDENCE, MIN_POINTS, SERIES, TARGET_PCT, TIERS
from helpers.loaders.series import definition_of
from helpers.words.formats import fmt_number, fmt_pct, join_items
from helpers.words.i18n import TEXT, date_text, t


# ------------------------------------------------------------------------------ words

def name(indicator: str, lang: str) -> str:
    """Short name of an uptake indicator for sentences and legends: 「テレワーク」/'telework'."""
    key = f"uptake.name.{indicator}"
    return t(key, lang) if key in TEXT else indicator


def tier_word(tier: str, lang: str) -> str:
    """A tier's name inside a sentence (lower case in English: 'the 47 prefectures')."""
    word = t(f"tier.{tier}", lang)
    return word.lower() if lang == "en" else word


def series_label(series: str, lang: str) -> str:
    """What a series is, in the report's language (an unknown id gets a neutral description)."""
    key = f"uptake.series.{definition_of(series)}"
    return t(key, lang) if key in TEXT else t("uptake.series.unknown", lang)


def and_join(items, lang: str) -> str:
    """「a、b、c」 / 'a, b and c'."""
    items = list(items)
    if lang == "ja" or len(items) < 2:
        return "、".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def when(row, lang: str, *, as_of: bool = True, prose: bool = False) -> str:
    """The reference date of a row as a reader sees it (assumed dates name the survey instead);
    ``prose`` gives the form that follows a clause in English ('in the FY2023 survey (…)')."""
    assumed = bool(row["as_of_assumed"])
    text = date_text(pd.Timestamp(row["as_of"]), lang, assumed=assumed, as_of=as_of)
    return t("uptake.in_survey", lang, survey=text) if prose and assumed else text


def sentence(text: str) -> str:
    """Capitalise a sentence that starts with a lower-case word (English names such as 'telework')."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _count_of(count, base, lang: str) -> str:
    """「1,741団体中791団体」 / '791 of 1,741' (only what is known)."""
    if pd.notna(count) and pd.notna(base):
        return t("uptake.count_of", lang, count=fmt_number(int(count)), base=fmt_number(int(base)))
    if pd.notna(base):
        return t("uptake.base_only", lang, base=fmt_number(int(base)))
    return ""


# ------------------------------------------------------------------------------ observed points

def adoption_table(adopt: pd.DataFrame, tier_label: dict[str, str], lang: str) -> pd.DataFrame:
    """The published points as a reader sees them: one row per indicator, tier and date, with the
    series, count, base and rate (a computed rate is marked)."""
    rows = []
    for r in adopt.sort_values(["indicator", "tier", "as_of"], key=_indicator_order).to_dict("records"):
        rate = fmt_pct(r["rate"]) + ("*" if r["rate_is_computed"] else "")
        rows.append({t("uptake.col.indicator", lang): name(r["indicator"], lang),
                     t("uptake.col.tier", lang): tier_label[r["tier"]],
                     t("uptake.col.date", lang): when(r, lang),
                     t("uptake.col.series", lang): series_label(r["series"], lang),
                     t("uptake.col.count", lang): r["count"], t("uptake.col.base", lang): r["base"],
                     t("uptake.col.rate", lang): rate, "source": r["source"]})
    out = pd.DataFrame(rows)
    for c in (t("uptake.col.count", lang), t("uptake.col.base", lang)):
        out[c] = out[c].astype("Int64")
    return out


def _indicator_order(col: pd.Series) -> pd.Series:
    """Sort key: indicators and tiers in the theme's order (telework, AI, RPA; prefecture first)."""
    if col.name == "indicator":
        order = {k: i for i, k in enumerate(SERIES)}
        return col.map(lambda v: order.get(v, 99))
    if col.name == "tier":
        order = {k: i for i, k in enumerate(TIERS)}
        return col.map(lambda v: order.get(v, 99))
    return col


def _dates_prose(dates, lang: str, assumed: set | None = None) -> str:
    """Dates for a sentence, in time order: 「2019年10月1日・2020年3月26日」 / '1 Oct 2019 and 26 Mar 2020'."""
    assumed = assumed or set()
    texts = [date_text(pd.Timestamp(d), lang, assumed=pd.Timestamp(d) in assumed) for d in sorted(set(dates))]
    if lang == "ja":
        return "・".join(texts)
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def caveats(adopt: pd.DataFrame, lang: str) -> list[str]:
    """Caveat sentences on bases and reference dates, with every date and count from ``adopt``."""
    out = []
    assumed = set(adopt.loc[adopt["as_of_assumed"].astype(bool), "as_of"]) if "as_of_assumed" in adopt else set()
    narrow = uptake.narrower_bases(adopt)
    for base, g in narrow.groupby("base", sort=False):
        out.append(t("uptake.caveat.base", lang, dates=_dates_prose(g["as_of"], lang, assumed), base=fmt_number(base),
                     latest=fmt_number(g["latest_base"].iloc[0])))
    groups = uptake.unshared_dates(adopt)
    if groups:
        items = [t("uptake.survey_dates", lang, labels=and_join([name(x, lang) for x in ids], lang)
                   if lang == "en" else "・".join(name(x, lang) for x in ids),
                   dates=_dates_prose(dates, lang, assumed)) for ids, dates in groups]
        out.append(t("uptake.caveat.dates", lang, items=join_items(items, lang)))
    return out


def break_caveats(brk: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per documented break (indicator, from → to series): which dates lie on either
    side, for which tiers, and what changed (``formats.breaks`` output)."""
    out = []
    if brk.empty:
        return out
    for (ind, a, b), g in brk.groupby(["indicator", "from_series", "to_series"], sort=False):
        tiers = and_join(dict.fromkeys(tier_word(x, lang) for x in g["tier"]), lang)
        out.append(sentence(t("uptake.caveat.break", lang, name=name(ind, lang), a=series_label(a, lang),
                              b=series_label(b, lang), tiers=tiers, what=g["what"].iloc[0].rstrip("。."))))
    return out


# ------------------------------------------------------------------------------ diffusion curve

def fit_table(fits: pd.DataFrame, tier_label: dict[str, str], lang: str) -> pd.DataFrame:
    """Per indicator and tier: all published points, the most dated points any one series has, and
    the fitted curve of each qualifying series (or why there is none)."""
    rows = []
    for (ind, tier), g in fits.groupby(["indicator", "tier"], sort=False):
        base = {t("uptake.col.indicator", lang): name(ind, lang), t("uptake.col.tier", lang): tier_label[tier],
                t("uptake.col.points", lang): int(g["points"].sum()),
                t("uptake.col.series_n", lang): g["series"].nunique()}
        done = g[g["fitted"]]
        if done.empty:
            best = g.sort_values("dated_points", ascending=False, kind="stable").iloc[0]
            reason = "no_fit" if (g["reason"] == "no_fit").any() else "too_few_points"
            rows.append({**base, t("uptake.col.dated_points", lang): int(best["dated_points"]),
                         t("uptake.col.fit", lang): t(f"uptake.fit.{reason}", lang, min=MIN_POINTS)})
        for r in done.to_dict("records"):
            rows.append({**base, t("uptake.col.dated_points", lang): int(r["dated_points"]),
                         t("uptake.col.fit", lang): series_label(r["series"], lang) + (": " if lang == "en" else "：") +
                         t("uptake.fit.result", lang, target=fmt_number(TARGET_PCT), year=f"{r['year_target']:.1f}",
                           lo=f"{r['year_target_lo']:.1f}", hi=f"{r['year_target_hi']:.1f}",
                           level=fmt_number(100 * CONFIDENCE), rmse=f"{r['rmse_pp']:.1f}")})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ findings

def latest_sentences(adopt: pd.DataFrame, tier_order: list[str], lang: str) -> list[str]:
    """Per indicator, the latest published point of each tier, with count, base and date."""
    out = []
    for ind in [i for i in SERIES if i in set(adopt["indicator"])]:
        g = adopt[adopt["indicator"] == ind]
        last = g[g["as_of"] == g["as_of"].max()]
        last = last.assign(_o=last["tier"].map({k: i for i, k in enumerate(tier_order)})).sort_values("_o")
        items = [t("uptake.tier_rate", lang, tier=tier_word(r["tier"], lang), rate=fmt_pct(r["rate"]),
                   count=_count_of(r["count"], r["base"], lang)) for r in last.to_dict("records")]
        r0 = last.iloc[0]
        out.append(sentence(t("uptake.f.latest", lang, date=when(r0, lang, prose=True), name=name(ind, lang),
                              items=and_join(items, lang), series=series_label(r0["series"], lang))))
    return out


def _point(adopt: pd.DataFrame, indicator: str, tier: str, as_of) -> dict:
    hit = adopt[(adopt["indicator"] == indicator) & (adopt["tier"] == tier) & (adopt["as_of"] == as_of)]
    return hit.iloc[0].to_dict()


def change_sentences(chg: pd.DataFrame, adopt: pd.DataFrame, tiers: list[str], lang: str) -> list[str]:
    """Changes within one series (``common.changes`` output), with the counts behind both points."""
    out = []
    for r in chg[chg["tier"].isin(tiers)].to_dict("records"):
        prev = _point(adopt, r["indicator"], r["tier"], r["prev_as_of"])
        cur = _point(adopt, r["indicator"], r["tier"], r["as_of"])
        out.append(sentence(t("uptake.f.change", lang, series=series_label(r["series"], lang),
                              name=name(r["indicator"], lang), tier=tier_word(r["tier"], lang),
                              prev=fmt_pct(r["prev_rate"]), prev_n=_count_of(prev["count"], prev["base"], lang),
                              prev_date=when(prev, lang, prose=True), rate=fmt_pct(r["rate"]),
                              n=_count_of(cur["count"], cur["base"], lang), date=when(cur, lang, prose=True),
                              pp=f"{r['change_pp']:+.1f}")))
    return out


def break_sentences(brk: pd.DataFrame, adopt: pd.DataFrame, tiers: list[str], lang: str) -> list[str]:
    """Consecutive points on two sides of a break, one sentence per measure: every pair with both
    values and bases and the kind of break; the last sentence says — once for the list — why none of
    them is read as a change."""
    out = []
    if brk.empty:
        return out
    sel = brk[brk["tier"].isin(tiers)]
    for ind, g in sel.groupby("indicator", sort=False):
        pairs = []
        for r in g.to_dict("records"):
            prev = _point(adopt, r["indicator"], r["tier"], r["prev_as_of"])
            cur = _point(adopt, r["indicator"], r["tier"], r["as_of"])
            pairs.append(t("uptake.f.break_pair", lang, tier=tier_word(r["tier"], lang),
                           prev=fmt_pct(prev["rate"]), prev_n=_count_of(prev["count"], prev["base"], lang),
                           prev_date=when(prev, lang, prose=False), rate=fmt_pct(cur["rate"]),
                           n=_count_of(cur["count"], cur["base"], lang), date=when(cur, lang, prose=False),
                           kind=t(f"uptake.break_kind.{r['kind']}", lang)))
        out.append(sentence(t("uptake.f.break", lang, name=name(ind, lang),
                              pairs=("；" if lang == "ja" else "; ").join(pairs))))
    if out:
        out[-1] += t("uptake.f.break_rule", lang)
    return out


def pairs_title(n: int, adjusted: pd.DataFrame, lang: str) -> str:
    """Caption of the pair table with the n of each column: the adjusted model drops municipalities
    without a population, so its n can be smaller than the raw table's."""
    n_adj = int(adjusted["n"].min()) if len(adjusted) else n
    if n_adj == n:
        return t("uptake.title.pairs", lang, n=fmt_number(n))
    return t("uptake.title.pairs_adj", lang, n=fmt_number(n), n_adj=fmt_number(n_adj))


def changes_title(changes: list[str], across: list[str], lang: str) -> str:
    """The section heading for what the section holds: changes within one series, published values
    across series (not compared), or both."""
    key = ("uptake.title.changes_across" if changes and across else
           "uptake.title.across" if across else "uptake.title.changes")
    return t(key, lang)


def fit_sentences(fits: pd.DataFrame, tier_label: dict[str, str], lang: str) -> list[str]:
    """The fitted curves with their interval, or why none is drawn (numbers from ``fits``)."""
    done = fits[fits["fitted"]]
    if done.empty:
        if fits.empty:
            return []
        prio = {k: i for i, k in enumerate(["municipality", "prefecture", "designated_city"])}
        ranked = fits.assign(_p=fits["tier"].map(lambda x: prio.get(x, 9)))
        best = ranked.sort_values(["dated_points", "_p"], ascending=[False, True], kind="stable").iloc[0]
        return [t("uptake.f.nofit", lang, min=MIN_POINTS, n=int(best["dated_points"]), name=name(best["indicator"], lang),
                  tier=tier_word(best["tier"], lang), series=series_label(best["series"], lang))]
    out = []
    for r in done.to_dict("records"):
        out.append(sentence(t("uptake.f.fit", lang, name=name(r["indicator"], lang), tier=tier_word(r["tier"], lang),
                     series=series_label(r["series"], lang), n=int(r["dated_points"]), target=fmt_number(TARGET_PCT),
                     year=f"{r['year_target']:.1f}", lo=f"{r['year_target_lo']:.1f}", hi=f"{r['year_target_hi']:.1f}",
                     level=fmt_number(100 * CONFIDENCE), rmse=f"{r['rmse_pp']:.1f}")))
    return out


# ------------------------------------------------------------------------------ breakdowns

def with_reason_labels(reasons: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`helpers.analysis.uptake.non_adoption_reasons` with each reason in the report's language
    (``category_label``, after ``category``)."""
    out = reasons.drop(columns="category_label", errors="ignore").copy()
    out.insert(list(out.columns).index("category") + 1, "category_label",
               out["category"] if lang == "ja" else out["category_en"])
    return out


def reasons_base_text(reasons: pd.DataFrame, bd: pd.DataFrame, lang: str, short: bool = False) -> str:
    """「母数は記載なし（同じ表の未導入団体は都道府県3・…計1,679団体）」 from the data."""
    if reasons["base"].notna().all() and len(reasons):
        return t("uptake.reasons.base", lang, n=fmt_number(int(reasons["base"].iloc[0])))
    non = uptake.non_adopters(bd, reasons["as_of"].iloc[0]) if len(reasons) else pd.DataFrame()
    if non.empty or non["count"].isna().any():
        return t("uptake.reasons.no_base", lang)
    if short:
        return t("uptake.reasons.presumed_short", lang, n=fmt_number(int(non["count"].sum())))
    parts = and_join([t("uptake.tier_count", lang, tier=tier_word(r["tier"], lang), n=fmt_number(int(r["count"])))
                        for r in non.to_dict("records")], lang)
    return t("uptake.reasons.presumed", lang, parts=parts, n=fmt_number(int(non["count"].sum())))


def reason_sentence(reasons: pd.DataFrame, bd: pd.DataFrame, lang: str) -> list[str]:
    """The two most cited reasons, with the date and the base they rest on."""
    if reasons.empty:
        return []
    top = with_reason_labels(reasons, lang).iloc[:2].to_dict("records")
    date = date_text(pd.Timestamp(reasons["as_of"].iloc[0]), lang, as_of=True)
    second = top[1] if len(top) > 1 else top[0]
    return [t("uptake.f.reason", lang, date=date, c1=top[0]["category_label"], p1=fmt_pct(float(top[0]["percent"])),
              c2=second["category_label"], p2=fmt_pct(float(second["percent"])), base=reasons_base_text(reasons, bd, lang))]


def ai_functions_table(functions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`helpers.analysis.uptake.ai_functions` as a reader sees it: survey date, function, cases."""
    rows = [{t("uptake.col.survey_date", lang): date_text(pd.Timestamp(r["as_of"]), lang, as_of=True),
             t("uptake.col.function", lang): r["category"] if lang == "ja" else r["category_en"],
             t("uptake.col.cases", lang): int(r["count"]), "source": r["source"]} for r in functions.to_dict("records")]
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ per-entity data

def pair_table(pairs: pd.DataFrame, lang: str, adjusted: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairwise association table (``entity_stats.co_adoption``) with the pair named in ``lang``; with
    ``adjusted`` (:func:`helpers.analysis.municipal.pair_associations`) the odds ratio adjusted for
    size and type (with its interval and Holm-adjusted p) stands beside the unadjusted one."""
    out = pairs.copy()
    out.insert(0, "pair", [t("uptake.pair", lang, a=name(a, lang), b=name(b, lang))
                           for a, b in zip(pairs["first"], pairs["second"])])
    if adjusted is not None:
        adj = adjusted.set_index(["first", "second"])
        keys = list(zip(pairs["first"], pairs["second"]))
        out = out.rename(columns={"odds_ratio": "odds_ratio_raw"})
        out["or_adjusted_ci"] = [t("uptake.or_ci", lang, v=f"{adj.at[k, 'or_adjusted']:.2f}", lo=f"{adj.at[k, 'lo']:.2f}",
                                   hi=f"{adj.at[k, 'hi']:.2f}") for k in keys]
        out["p_holm"] = ["<0.001" if adj.at[k, "p_holm"] < 0.001 else f"{adj.at[k, 'p_holm']:.3f}" for k in keys]
    return out.drop(columns=["first", "second"])


def pair_sentence(adjusted: pd.DataFrame, pairs: pd.DataFrame, lang: str) -> str:
    """The strongest pair, unadjusted and adjusted for size and type, every number from the frames."""
    top = pairs.sort_values("odds_ratio", ascending=False).iloc[0]
    adj = adjusted.set_index(["first", "second"]).loc[(top["first"], top["second"])]
    return t("uptake.f.pairs", lang, a=name(top["first"], lang), b=name(top["second"], lang), raw=f"{top['odds_ratio']:.1f}",
             adj=f"{adj['or_adjusted']:.1f}", lo=f"{adj['lo']:.1f}", hi=f"{adj['hi']:.1f}", n=fmt_number(int(adj["n"])))


def reproduction_table(rep: pd.DataFrame, tier_label: dict[str, str], lang: str) -> pd.DataFrame:
    """``entity_stats.reproduction_uptake`` as a reader sees it: both figures with n and reference date,
    and whether they agree, differ by reference date, or differ without a known reason."""
    from helpers.words.entity import update_phrase

    rows = []
    for r in rep.to_dict("records"):
        pub = fmt_pct(r["published_rate"]) + (f"（{_count_of(r['published_count'], r['published_base'], lang)}）"
                                              if lang == "ja" else f" ({_count_of(r['published_count'], r['published_base'], lang)})")
        dash = fmt_pct(r["dashboard_rate"]) + (f"（{_count_of(r['dashboard_count'], r['dashboard_base'], lang)}）"
                                              if lang == "ja" else f" ({_count_of(r['dashboard_count'], r['dashboard_base'], lang)})")
        pub_date = date_text(pd.Timestamp(r["published_as_of"]), lang, assumed=bool(r["published_as_of_assumed"]))
        if pd.notna(r["dashboard_as_of"]):
            dash_date = t("uptake.dash_date_inferred", lang, date=date_text(pd.Timestamp(r["dashboard_as_of"]), lang, as_of=True))
        else:
            dash_date = t("uptake.dash_date_survey", lang, update=update_phrase(r["dashboard_update"], lang))
        rows.append({t("uptake.col.indicator", lang): name(r["indicator"], lang),
                     t("uptake.col.tier", lang): tier_label[r["tier"]],
                     t("uptake.col.published", lang): pub, t("uptake.col.published_date", lang): pub_date,
                     t("uptake.col.dashboard", lang): dash, t("uptake.col.dashboard_date", lang): dash_date,
                     "rate_difference_pp": r["rate_difference_pp"],
                     t("uptake.col.verdict", lang): t(f"uptake.verdict.{r['verdict']}", lang)})
    return pd.DataFrame(rows)


def reproduction_sentences(rep: pd.DataFrame, lang: str) -> list[str]:
    """A finding for each figure whose dashboard value differs from the published one: where the
    dashboard item's date is only inferred, the gap is left unexplained, with the likely reason."""
    from helpers.words.entity import update_phrase

    out = []
    for r in rep[rep["verdict"] != "match"].to_dict("records"):
        pub_date = date_text(pd.Timestamp(r["published_as_of"]), lang, assumed=bool(r["published_as_of_assumed"]))
        common = dict(name=name(r["indicator"], lang), tier=tier_word(r["tier"], lang), pub=fmt_pct(r["published_rate"]),
                      pub_n=_count_of(r["published_count"], r["published_base"], lang), pub_date=pub_date,
                      dash=fmt_pct(r["dashboard_rate"]), dash_n=_count_of(r["dashboard_count"], r["dashboard_base"], lang),
                      update=update_phrase(r["dashboard_update"], lang))
        if r["verdict"] == "likely_other_round":
            out.append(sentence(t("uptake.f.repro_round", lang, **common,
                                  dash_date=date_text(pd.Timestamp(r["dashboard_as_of"]), lang))))
        else:
            out.append(sentence(t("uptake.f.repro_gap", lang, **common)))
    return out


def coadoption_sentence(levels: pd.DataFrame, n: int, lang: str) -> str:
    """How many of the ``n`` municipalities adopt all three measures and how many none
    (``levels``: ``entity_stats.co_adoption``'s municipalities by number of measures)."""
    by_level = dict(zip(levels["measures"], levels["municipalities"]))
    return t("uptake.f.coadoption", lang, n=fmt_number(n), all3=fmt_number(by_level.get(3, 0)),
             p3=fmt_pct(100 * by_level.get(3, 0) / n), none=fmt_number(by_level.get(0, 0)),
             p0=fmt_pct(100 * by_level.get(0, 0) / n))


def map_texts(counts: pd.DataFrame, indicator: str, inferred: dict, update, lang: str) -> dict[str, str]:
    """Title, n ('791 of 1,741'), subtitle (the dashboard item's reference date — inferred, or the
    export's update — with n) and caption of one indicator's prefecture map; ``counts`` from
    ``entity_stats.prefecture_counts``."""
    from helpers.words.entity import update_phrase

    c = counts[counts["indicator"] == indicator]
    when_ = (t("uptake.map.dash_inferred", lang, date=date_text(inferred[indicator], lang, as_of=True))
             if indicator in inferred else t("uptake.map.dash_update", lang, update=update_phrase(update, lang)))
    title = t("uptake.title.map", lang, name=name(indicator, lang))
    n_text = t("uptake.count_of", lang, count=fmt_number(int(c["yes"].sum())), base=fmt_number(int(c["surveyed"].sum())))
    subtitle = t("uptake.map.subtitle", lang, date=when_, n=n_text)
    caption = f"{title}（{subtitle}）" if lang == "ja" else f"{title} ({subtitle})"
    return {"title": title, "n": n_text, "subtitle": subtitle, "caption": caption}


def ai_rpa_date_caveats(adopt: pd.DataFrame, inferred: dict, lang: str) -> list[str]:
    """Where the latest published AI/RPA point comes from a secondary source and the dashboard's AI
    date is inferred: the two reference dates, side by side (else nothing)."""
    airpa = adopt[adopt["indicator"].isin(["ai", "rpa"])]
    last = airpa[airpa["as_of"] == airpa["as_of"].max()]
    if not (len(last) and last["secondary"].any() and "ai" in inferred):
        return []
    return [t("uptake.caveat.ai_rpa_date", lang, date=when(last.iloc[0], lang, as_of=False),
              dash_date=date_text(inferred["ai"], lang, as_of=True))]


def table_caveats(adopt: pd.DataFrame, lang: str) -> list[str]:
    """Caveats on the published points as a whole: rates computed from count ÷ base (marked *), and
    values from a secondary source."""
    out = []
    if adopt["rate_is_computed"].any():
        out.append(t("uptake.caveat.computed", lang))
    if adopt["secondary"].any():
        out.append(t("report.secondary", lang))
    return out
