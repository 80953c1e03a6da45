"""The prefecture profile's sentences, reader tables and labels in a report's language, from the
frames of :mod:`helpers.analysis.profile` (phrases in :mod:`helpers.words.catalog.profile`; the
municipal panel's labels from :mod:`helpers.words.municipal`): notebook ``06_prefecture_profile``."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from helpers.analysis.common import shown_difference
from helpers.analysis.municipal import GOVERNANCE, OUTCOMES, not_surveyed
from helpers.analysis.profile import SMALL_N, WEAK_P
from helpers.loaders.dashboard_labels import BINARY
from helpers.words import municipal as mu
from helpers.words.i18n import t
from helpers.words.municipal import muni_name

#: How the ranked table marks an item: met, not met, not surveyed.
YES_MARK, NO_MARK, NS_MARK = "●", "○", "–"


# ------------------------------------------------------------------------------ labels

def rank_text(rank: int | None, n: int, lang: str, tied: int = 1) -> str:
    """「47中21位」/ '21 of 47'; with ``tied`` > 1 the number sharing the rank is added."""
    if rank is None or pd.isna(rank):
        return "—"
    rank = int(rank)  # a column with unranked rows holds floats
    if tied > 1:
        return t("prof.fmt.rank_tied", lang, rank=rank, n=n, tied=tied)
    return t("prof.fmt.rank", lang, rank=rank, n=n)


def partial_rank_text(r, lang: str) -> str:
    """「順位なし（19団体中8団体が調査無し、金沢市を含む）」: a share resting on part of the municipalities
    is not ranked among prefectures whose shares rest on all of theirs."""
    name = r.largest_missing if lang == "ja" or not r.largest_missing else f"{r.largest_missing} ({r.largest_missing_code})"
    incl = t("prof.fmt.incl", lang, name=name) if r.largest_missing else ""
    return t("prof.fmt.not_ranked_partial", lang, missing=r.missing, total=r.n + r.missing, incl=incl)


def procedure_label(indicator: str, procedure: str, lang: str) -> str:
    """The procedure as published (ja) or its English gloss (en)."""
    return procedure if lang == "ja" else t(f"prof.proc.{indicator}", lang)


def _cell(rate: float, lo: float, hi: float, k: int, n: int, lang: str) -> str:
    """「81.8%（52.3–94.9、9/11）」; without an interval (a complete count) 「81.8%（9/11）」."""
    if not n:
        return "—"
    if pd.isna(lo) or pd.isna(hi):
        return t("prof.fmt.cell_count", lang, rate=f"{rate:.1f}", k=f"{k:,}", n=f"{n:,}")
    return t("prof.fmt.cell", lang, rate=f"{rate:.1f}", lo=f"{lo:.1f}", hi=f"{hi:.1f}", k=f"{k:,}", n=f"{n:,}")


def _mark(v: float) -> str:
    return NS_MARK if pd.isna(v) else (YES_MARK if v == 1 else NO_MARK)


def _yes_no(v: float, lang: str) -> str:
    return "—" if pd.isna(v) else t("muni.map.yes" if v == 1 else "muni.map.no", lang)


# ------------------------------------------------------------------------------ report tables

def government_table(items: pd.DataFrame, summary: dict, pref_name: str, lang: str) -> pd.DataFrame:
    """Item × (this prefecture, prefectures answering 実施 of those answering with the interval, its
    position), then the items met and the 32-procedure online share with their ranks."""
    col_item, col_own = t("muni.col.indicator", lang), pref_name
    col_all, col_pos = t("prof.col.prefectures_yes", lang), t("prof.col.position", lang)
    rows = []
    for r in items.itertuples():
        if pd.isna(r.own):
            pos = "—"
        elif r.own == 1:
            pos = t("prof.fmt.one_of_yes", lang, k=r.yes)
        else:
            pos = t("prof.fmt.one_of_no", lang, k=r.n - r.yes)
        rows.append({col_item: mu.ind_title(r.indicator, lang), col_own: _yes_no(r.own, lang),
                     col_all: _cell(r.rate, r.lo, r.hi, r.yes, r.n, lang), col_pos: pos})
    if summary.get("met") is not None:
        rows.append({col_item: t("prof.row.items_met", lang, k=summary["items"]),
                     col_own: f"{summary['met']}", col_all: t("prof.fmt.items_dist", lang, median=f"{summary['median_met']:.0f}",
                                                             all=summary["all_met"], k=summary["items"], n=summary["n_all"]),
                     col_pos: rank_text(summary["rank_met"], summary["n_all"], lang, summary["same_met"])})
    if "online_share" in summary:
        rows.append({col_item: t("prof.row.online32", lang),
                     col_own: t("prof.fmt.procedures", lang, rate=f"{summary['online_share']:.1f}",
                                k=summary["online"], n=summary["offered"]),
                     col_all: t("prof.fmt.procedure_sets", lang, lo=summary["offered_min"], hi=summary["offered_max"],
                                n=summary["online_n"]),
                     col_pos: t("prof.fmt.not_ranked", lang)})
    return pd.DataFrame(rows)


def _p(v: float) -> str:
    return "—" if pd.isna(v) else ("<0.001" if v < 0.001 else f"{v:.3f}")


def comparison_table(comp: pd.DataFrame, pref_name: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("muni.col.indicator", lang): [mu.ind_title(i, lang) for i in comp["indicator"]],
        t("prof.col.pref_munis", lang, pref=pref_name): [_cell(r.rate, r.lo, r.hi, r.yes, r.n, lang) for r in comp.itertuples()],
        t("prof.col.national", lang): [_cell(r.nat_rate, r.nat_lo, r.nat_hi, r.nat_yes, r.nat_n, lang)
                                       for r in comp.itertuples()],
        # from the rounded shares shown beside it, so the column agrees with them
        t("prof.col.diff", lang): [f"{shown_difference(r.rate, r.nat_rate):+.1f}" if r.n else "—" for r in comp.itertuples()],
        t("prof.col.rank47", lang): [partial_rank_text(r, lang) if r.partial else rank_text(r.rank, r.ranked, lang)
                                     for r in comp.itertuples()],
    })


def size_table(oe: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("muni.col.indicator", lang): [mu.ind_title(i, lang) for i in oe["indicator"]],
        t("muni.col.n", lang): oe["n"].astype(int),
        t("prof.col.observed", lang): [_cell(r.obs_rate, r.obs_lo, r.obs_hi, r.observed, r.n, lang) for r in oe.itertuples()],
        t("prof.col.expected", lang): [t("prof.fmt.expected", lang, e=f"{r.expected:.1f}", rate=f"{r.exp_rate:.1f}")
                                       if r.n else "—" for r in oe.itertuples()],
        t("prof.col.range", lang): [t("prof.fmt.range", lang, lo=r.range_lo, hi=r.range_hi) if r.n else "—"
                                    for r in oe.itertuples()],
        t("prof.col.p", lang): [_p(r.p_value) for r in oe.itertuples()],
        t("prof.col.p_adj", lang): [_p(r.p_adjusted) for r in oe.itertuples()],
        t("prof.col.verdict", lang): [t(f"prof.verdict.{r.verdict}", lang)
                                      + (t("prof.mark.unadjusted", lang, v=t(f"prof.verdict.{r.verdict_unadjusted}", lang))
                                         if r.verdict_unadjusted != r.verdict else "")
                                      + (t("prof.mark.small_n", lang, min=SMALL_N) if r.small_n else "")
                                      for r in oe.itertuples()],
    })


def ranked_table(ranked: pd.DataFrame, lang: str) -> pd.DataFrame:
    from helpers.loaders.panel import SIZE_CLASS_LABELS

    out = pd.DataFrame({
        t("prof.col.rank", lang): ["—" if pd.isna(r) else f"{int(r)}" for r in ranked["rank"]],
        t("prof.col.municipality", lang): [muni_name(n, c, lang) for n, c in zip(ranked["name"], ranked["code5"])],
        t("prof.col.size", lang): [SIZE_CLASS_LABELS[lang][s] for s in ranked["size_class"]],
        t("prof.col.score", lang): ["—" if pd.isna(s) else f"{s:.0f}" for s in ranked["score"]],
        t("prof.col.items", lang): [f"{int(m)}/{int(s)}" for m, s in zip(ranked["items_met"], ranked["items_surveyed"])],
    })
    for ind in BINARY:
        out[mu.ind_title(ind, lang)] = [_mark(v) for v in ranked[ind]]
    return out


def rates_table(app: pd.DataFrame, lang: str) -> pd.DataFrame:
    def q(r, p=""):
        if not r[f"{p}reported"]:
            return "—"
        return t("prof.fmt.median_iqr", lang, m=f"{r[f'{p}median']:.1f}", q1=f"{r[f'{p}q1']:.1f}", q3=f"{r[f'{p}q3']:.1f}")
    recs = app.to_dict("records")
    return pd.DataFrame({
        t("prof.col.procedure", lang): [procedure_label(r["indicator"], r["procedure"], lang) for r in recs],
        t("prof.col.reporting", lang): [t("prof.fmt.k_of_n", lang, k=r["reported"], n=r["listed"]) for r in recs],
        t("prof.col.zero", lang): [int(r["zero_rate"]) for r in recs],
        t("prof.col.median_pref", lang): [q(r) for r in recs],
        t("prof.col.reporting_nat", lang): [t("prof.fmt.k_of_n", lang, k=f"{int(r['nat_reported']):,}",
                                              n=f"{int(r['nat_listed']):,}") for r in recs],
        t("prof.col.median_nat", lang): [q(r, "nat_") for r in recs],
    })


# ------------------------------------------------------------------------------ findings

def government_findings(items: pd.DataFrame, summary: dict, pref_name: str, lang: str) -> list[str]:
    out = []
    if summary.get("met") is None:
        return [t("prof.f.gov_none", lang, pref=pref_name)]
    missing = [mu.ind_label(r.indicator, lang) for r in items.itertuples() if r.own == 0]
    lacking = (t("prof.f.gov_missing", lang, items=mu.join([
        t("prof.fmt.item_share", lang, name=mu.ind_label(r.indicator, lang), k=r.yes, n=r.n)
        for r in items.itertuples() if r.own == 0], lang)) if missing else t("prof.f.gov_all", lang))
    key = "prof.f.gov_full" if summary["met"] == summary["items"] else "prof.f.gov"
    out.append(t(key, lang, pref=pref_name, met=summary["met"], k=summary["items"], more=summary["more_met"],
                 same=summary["same_met"], n=summary["n_all"], lacking=lacking))
    if "online_share" in summary:
        out.append(t("prof.f.gov_online", lang, pref=pref_name, on=summary["online"], off=summary["offered"],
                     rate=f"{summary['online_share']:.1f}", lo=summary["offered_min"], hi=summary["offered_max"],
                     n=summary["online_n"]))
    return out


def municipal_findings(comp: pd.DataFrame, scores: pd.DataFrame, pref_code: str, pref_name: str, lang: str) -> list[str]:
    """Median readiness score here and nationally; the items furthest above and below the national share."""
    own = scores.loc[(scores["pref_code"] == pref_code), "score"].dropna()
    allsc = scores["score"].dropna()
    out = [t("prof.f.readiness", lang, pref=pref_name, median=f"{own.median():.0f}", q1=f"{own.quantile(0.25):.0f}",
             q3=f"{own.quantile(0.75):.0f}", n=f"{len(own):,}", nat=f"{allsc.median():.0f}", nat_n=f"{len(allsc):,}")]
    c = comp[comp["n"] > 0].assign(diff=lambda d: d["rate"] - d["nat_rate"]).sort_values(["diff", "indicator"])
    hi, lo = c.iloc[-1], c.iloc[0]

    def words(r) -> dict:
        return {"name": mu.ind_label(r.indicator, lang), "v": mu.ci_n_text(r.rate, r.lo, r.hi, r.n, lang),
                "nat": mu.ci_n_text(r.nat_rate, r.nat_lo, r.nat_hi, r.nat_n, lang),
                "d": f"{shown_difference(r.rate, r.nat_rate):+.1f}",
                "pref": pref_name}
    first = t("prof.f.gap_above" if hi["diff"] > 0 else "prof.f.gap_least_above", lang, **words(hi))
    second = t("prof.f.gap_below" if lo["diff"] < 0 else "prof.f.gap_least_below", lang, **words(lo))
    out.append(first + ("" if lang == "ja" else " ") + second)
    return out


def _oe_item(r, lang: str) -> str:
    return t("prof.fmt.oe_item", lang, name=mu.ind_label(r.indicator, lang), o=r.observed, n=r.n,
             e=f"{r.expected:.1f}", lo=r.range_lo, hi=r.range_hi)


def size_findings(oe: pd.DataFrame, pref_name: str, lang: str) -> list[str]:
    """Ahead / behind once size is accounted for, or within chance on every item; and the small-n
    statement where it applies."""
    ahead, behind = oe[oe["verdict"] == "ahead"], oe[oe["verdict"] == "behind"]
    within = oe[oe["verdict"] == "within"]
    parts = []
    if len(ahead):
        parts.append(t("prof.f.size_ahead", lang, items=mu.join([_oe_item(r, lang) for r in ahead.itertuples()], lang)))
    if len(behind):
        key = "prof.f.size_behind" if len(ahead) else "prof.f.size_behind_full"
        parts.append(t(key, lang, items=mu.join([_oe_item(r, lang) for r in behind.itertuples()], lang)))
    if not parts:
        out = [t("prof.f.size_none", lang, pref=pref_name, k=len(oe), n=mu.n_range(oe["n"]))]
    else:
        sentence = t("prof.f.size", lang, pref=pref_name, parts=("。" if lang == "ja" else "; ").join(parts),
                     k=len(within), total=len(oe), n=mu.n_range(oe["n"]))
        weak = oe[(oe["verdict"] != "within") & (oe["p_adjusted"] >= WEAK_P)]
        if len(weak):
            sentence += ("" if lang == "ja" else " ") + t("prof.f.size_weak", lang, total=len(oe), p=WEAK_P, items=mu.join(
                [mu.ind_label(i, lang) for i in weak["indicator"]], lang))
        out = [sentence]
    small = small_n_statement(oe, lang)
    if small:
        out.append(small)
    return out


def small_n_statement(oe: pd.DataFrame, lang: str) -> str:
    """The honest statement for few municipalities: which items have n < SMALL_N and how far the
    observed share would have to be from the expected one before the comparison could tell."""
    small = oe[oe["small_n"] & (oe["n"] > 0)]
    if not len(small):
        return ""
    half = [max(r.expected - r.range_lo, r.range_hi - r.expected) / r.n * 100 for r in small.itertuples()]
    within = small[small["verdict"] == "within"]
    return t("prof.f.small_n_all" if len(small) == len(oe) else "prof.f.small_n", lang, min=SMALL_N, n=mu.n_range(small["n"]), k=len(small), total=len(oe),
             pp=f"{min(half):.0f}–{max(half):.0f}" if round(min(half)) != round(max(half)) else f"{min(half):.0f}",
             w=len(within))


def rate_findings(app: pd.DataFrame, pref_name: str, lang: str) -> list[str]:
    """The most often reported procedure: the prefecture's median beside the national one."""
    if not len(app):
        return []
    r = app.iloc[0]
    if not r["reported"]:
        return [t("prof.f.rates_none", lang, pref=pref_name, proc=procedure_label(r["indicator"], r["procedure"], lang),
                   n=int(r["listed"]))]
    return [t("prof.f.rates", lang, pref=pref_name, proc=procedure_label(r["indicator"], r["procedure"], lang),
              k=int(r["reported"]), n=int(r["listed"]), m=f"{r['median']:.1f}", q1=f"{r['q1']:.1f}", q3=f"{r['q3']:.1f}",
              nk=f"{int(r['nat_reported']):,}", nn=f"{int(r['nat_listed']):,}", nm=f"{r['nat_median']:.1f}")]


# ------------------------------------------------------------------------------ coverage

def coverage_notes(wide: pd.DataFrame, long: pd.DataFrame, oe: pd.DataFrame, app: pd.DataFrame, pref_code: str,
                   pref_name: str, lang: str, no_polygon: Sequence[str] = ()) -> list[str]:
    """What the profile covers and where its n is thin: municipalities not surveyed (by item),
    without a census population, without a polygon on the map; the small-n rule; application rates
    reported."""
    w = wide[wide["pref_code"] == pref_code]
    out = [t("prof.cov.count", lang, pref=pref_name, n=len(w))]
    ns = not_surveyed(long[long["pref_code"] == pref_code])
    out.append(mu.not_surveyed_note(ns, lang) if len(ns) else t("prof.cov.all_surveyed", lang, n=len(w), k=len(BINARY)))
    for r in w[w["population_2020"].isna()].itertuples():
        out.append(t("prof.cov.population", lang, name=muni_name(r.name, r.code5, lang), note=r.population_note or "—"))
    if no_polygon:
        names = dict(zip(w["code5"], w["name"]))
        out.append(t("prof.cov.no_polygon", lang, items=mu.join([muni_name(names.get(c, c), c, lang) for c in no_polygon], lang),
                     n=len(no_polygon)))
    if (oe["small_n"] & (oe["n"] > 0)).any():
        out.append(t("prof.cov.small_n", lang, min=SMALL_N, n=mu.n_range(oe["n"])))
    else:
        out.append(t("prof.cov.enough_n", lang, min=SMALL_N, n=mu.n_range(oe["n"])))
    if len(app):
        none = int((app["reported"] == 0).sum())
        out.append(t("prof.cov.rates", lang, k=len(app), lo=int(app["reported"].min()), hi=int(app["reported"].max()),
                     n=int(app["listed"].max())) + (t("prof.cov.rates_none", lang, none=none) if none else ""))
    return out


def caveats(pref_name: str, lang: str, long: pd.DataFrame, *, not_drawn: Sequence[str], date_ref: str = "",
            survey_ref: str = "") -> list[str]:
    """The profile's caveats in the report's language (the AI/RPA date inferred from ``long``, the
    whole panel, with the evidence cited by ``date_ref``; ``survey_ref`` the dashboard's definitions;
    ``not_drawn`` the codes no map can draw, ``helpers.figures.maps.not_drawn()``)."""
    from helpers.analysis.entity_stats import ai_rpa_date_evidence
    from helpers.words.entity import date_evidence_short

    return [t("prof.c.expected", lang, pref=pref_name),
            t("muni.c.readiness", lang, g=len(GOVERNANCE), o=len(OUTCOMES)),
            date_evidence_short(ai_rpa_date_evidence(long), lang, ref=date_ref, ref2=survey_ref),
            mu.boundaries_caveat(lang, not_drawn),
            t("prof.c.tier", lang, pref=pref_name)]


def coverage_findings(long: pd.DataFrame, wide: pd.DataFrame, pref_code: str, pref_name: str, lang: str,
                      ref: str = "") -> list[str]:
    """A finding when some of the prefecture's municipalities were not surveyed (e.g. 石川県), with
    why (cited by ``ref``), whether its most populous municipality is among them and what that does
    to its shares and ranks (:func:`helpers.words.entity.not_surveyed_context`)."""
    from helpers.words.entity import not_surveyed_context

    ns = not_surveyed(long[long["pref_code"] == pref_code])
    if not len(ns):
        return []
    items = list(dict.fromkeys(i for its in ns["items"] for i in its))
    n_all = int((wide["pref_code"] == pref_code).sum())
    # the first sentence already says the shares rest on those that answered: the context does not repeat it
    ctx = not_surveyed_context(pref_code, pref_name, ns["code5"], lang, ref=ref)
    first = t("prof.f.not_surveyed", lang, pref=pref_name, n=len(ns), k=len(items), m=n_all - len(ns), total=n_all,
              items=mu.join([mu.ind_label(i, lang) for i in items], lang))
    return [(" " if lang == "en" else "").join([first, ctx]) if ctx else first]
