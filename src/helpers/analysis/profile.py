"""The prefecture profile (issue 14): one prefecture's government and its municipalities against
the country, for notebook ``06_prefecture_profile`` (run once per prefecture).

Frames in, frames out, built on :mod:`helpers.analysis.municipal` (shares, Wilson intervals,
readiness score, the prefecture's own answers) and :mod:`helpers.analysis.entity_stats`
(application-rate statistics). No model is fitted, so a profile runs in seconds.

Methods, stated once here and in the report:

- **Shares** of municipalities are of those surveyed for the item (調査無し left out, never 0), with
  Wilson 95 % intervals (:func:`helpers.analysis.municipal.wilson`).
- **The prefecture government** is one of 47: its own answer is shown beside how many prefectures
  answered 実施. The 47 answers are a complete count, not a sample, so they get no interval. Its
  online share of the 32 procedures is online ÷ the procedures the prefecture itself handles (17 to
  26 of the 32, a different list for each prefecture): shown as numerator/denominator beside the
  range of denominators, with no interval (a fixed list of procedures is not a sample) and no rank
  (shares over different procedure sets are not ranked).
- **Size-adjusted comparison** (indirect standardisation): each surveyed municipality of the
  prefecture is given the rate of its size class among the municipalities of the *other*
  46 prefectures; the expected count E is the sum of those rates and the observed count O the
  number that answered 実施. If the prefecture's municipalities behaved like those of the same size
  elsewhere, O would follow a Poisson-binomial distribution (computed exactly by convolution); its
  central 95 % is the *chance range*, and the two-sided p-value is twice the smaller tail (at
  most 1). The items of one prefecture form one family of tests: their p-values are adjusted by
  Holm's method (:data:`MULTIPLE_TEST`), and the prefecture is *ahead* or *behind* on an item only
  when the adjusted p < 0.05 (the unadjusted verdict is kept beside it). With fewer than :data:`SMALL_N` municipalities the report says the
  comparison cannot conclude on small differences and gives the range that would be needed.
- **Application rates** (申請率 file) are published as percentages without case counts, so they get
  no interval; a blank means "no rate reported" and is counted as such, never as 0. The procedures
  shown are the :data:`MAIN_PROCEDURES` with the most municipalities reporting nationally.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers.analysis import municipal as mu
from helpers.analysis.common import shown_difference
from helpers.loaders.dashboard_labels import BINARY
from helpers.words.i18n import t

#: Below this many municipalities answering an item, the size-adjusted comparison says it cannot
#: conclude on small differences.
SMALL_N = 20
#: Number of procedures of the 申請率 file shown: those most often reported nationally.
MAIN_PROCEDURES = 10
#: Rows of the prefecture 比較 file used besides the yes/no items.
GOV_COUNTS = ("online32_offered", "online32_online")
UNKNOWN_CLASS = "unknown"
YES_MARK, NO_MARK, NS_MARK = "●", "○", "–"
VERDICTS = ("ahead", "within", "behind")
#: A verdict with an adjusted p-value at or above this is called weak evidence.
WEAK_P = 0.01
#: The ten items of one prefecture are one family of tests: p-values are adjusted with this method of
#: ``statsmodels.stats.multitest.multipletests`` before a verdict is given (the unadjusted verdict is kept).
MULTIPLE_TEST = "holm"


# ------------------------------------------------------------------------------ the prefecture government

def _rank_desc(values: pd.Series) -> pd.Series:
    """Rank 1 = highest; ties share the better rank."""
    return values.rank(ascending=False, method="min")


def government(gov: pd.DataFrame, pref_code: str) -> tuple[pd.DataFrame, dict]:
    """The prefecture government's own answers beside the 47 prefectures.

    ``gov`` is :func:`helpers.analysis.municipal.prefecture_government` with the yes/no items and
    :data:`GOV_COUNTS`. Returns a frame per yes/no item (indicator, own, yes, n, rate, lo, hi: the
    prefectures answering 実施 among those answering) and a summary dict: items met by this
    prefecture and its rank among the prefectures answering every item, the median and the number
    meeting all; its 32-procedure online share with interval, rank and the median of the 47."""
    g = gov.set_index("pref_code")
    # the items this export has (a later release may drop one: it is then left out, not counted as unmet)
    present = [i for i in BINARY if i in g and g[i].notna().any()]
    rows = []
    for ind in present:
        col = g[ind] if ind in g else pd.Series(dtype=float)
        v = col.dropna()
        k, n = int(v.sum()), int(len(v))
        own = float(col.get(pref_code, np.nan)) if len(col) else np.nan
        # the 47 answers are a complete count: no interval (lo/hi kept empty on purpose)
        rows.append({"indicator": ind, "own": own, "yes": k, "n": n, "rate": 100 * k / n if n else np.nan,
                     "lo": np.nan, "hi": np.nan})
    items = pd.DataFrame(rows)
    answered = g[present].dropna()
    met = answered.sum(axis=1)
    summary: dict = {"items": len(present), "n_all": int(len(answered)), "met": None,
                     "median_met": float(met.median()) if len(met) else np.nan,
                     "all_met": int((met == len(present)).sum())}
    if pref_code in met.index:
        own_met = met[pref_code]
        summary.update(met=int(own_met), more_met=int((met > own_met).sum()), same_met=int((met == own_met).sum()),
                       rank_met=int(_rank_desc(met)[pref_code]))
    if all(c in g for c in GOV_COUNTS):
        off, onl = g["online32_offered"], g["online32_online"]
        ok = off > 0
        share = (100 * onl / off.where(ok)).dropna()
        if pref_code in share.index:
            # no rank and no interval: each prefecture's denominator is its own list of procedures
            k, n = int(onl[pref_code]), int(off[pref_code])
            dens = off[ok].astype(int)
            summary.update(online=k, offered=n, online_share=float(share[pref_code]),
                           offered_min=int(dens.min()), offered_max=int(dens.max()), online_n=int(len(share)))
    return items, summary


# ------------------------------------------------------------------------------ its municipalities

def municipal_comparison(wide: pd.DataFrame, pref_code: str, indicators: Sequence[str] = tuple(BINARY),
                         shares: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per item: the prefecture's municipalities (yes, n, missing, rate, lo, hi), all municipalities
    (nat_*), and the prefecture's rank among the prefectures by the share of their municipalities
    (1 = highest; ``ranked`` prefectures with a share). ``partial``: some of its municipalities were
    not surveyed for the item, so its share rests on another coverage than the others' and is not
    ranked (``largest_missing`` names its most populous municipality when that is among them).
    ``shares``: :func:`prefecture_shares` if already computed."""
    from helpers.analysis.entity_stats import largest_left_out

    rates = mu.prefecture_rates(wide, list(indicators)) if shares is None else shares
    national = mu.adoption(wide, "size_class", indicators)
    national = national[national["group"] == mu.ALL].set_index("indicator")
    rows = []
    for ind in indicators:
        r = rates[rates["indicator"] == ind].set_index("pref_code")
        own = r.loc[pref_code]
        nat = national.loc[ind]
        # only prefectures whose municipalities were all surveyed for the item are ranked together
        ranks = _rank_desc(r.loc[r["missing"] == 0, "rate"].dropna())
        gone = wide.loc[(wide["pref_code"] == pref_code) & wide[ind].isna(), "code5"] if ind in wide else []
        big = largest_left_out(gone).get(pref_code)
        rows.append({"indicator": ind, "yes": int(own["yes"]), "n": int(own["n"]), "missing": int(own["missing"]),
                     "largest_missing": big["name"] if big else "", "largest_missing_code": big["code5"] if big else "",
                     "rate": own["rate"], "lo": own["lo"], "hi": own["hi"], "nat_yes": nat["yes"], "nat_n": nat["n"],
                     "nat_rate": nat["rate"], "nat_lo": nat["lo"], "nat_hi": nat["hi"],
                     "rank": int(ranks[pref_code]) if pref_code in ranks.index else None, "ranked": int(len(ranks)),
                     "partial": int(own["missing"]) > 0})
    return pd.DataFrame(rows)


def prefecture_shares(wide: pd.DataFrame, indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """Share of each prefecture's municipalities per item (for the strip chart of the 47)."""
    return mu.prefecture_rates(wide, list(indicators))


def ranked_municipalities(wide: pd.DataFrame, scores: pd.DataFrame, pref_code: str) -> pd.DataFrame:
    """The prefecture's municipalities by readiness score (highest first; no score last, then by
    code): rank (ties share the better rank; none without a score), code5, name, type, size_class,
    population_2020, score, items_met, items_surveyed and the 1/0/NaN of every yes/no item."""
    w = wide[wide["pref_code"] == pref_code]
    s = scores[scores["pref_code"] == pref_code][["code5", "score", "items_met", "items_surveyed"]]
    out = w[["code5", "name", "type", "size_class", "population_2020", *BINARY]].merge(s, on="code5", how="left")
    out["_key"] = out["score"].fillna(-1)
    out = out.sort_values(["_key", "code5"], ascending=[False, True], kind="stable").drop(columns="_key")
    out.insert(0, "rank", _rank_desc(out["score"]).astype("Int64"))
    cols = ["rank", "code5", "name", "type", "size_class", "population_2020", "score", "items_met", "items_surveyed",
            *BINARY]
    return out[cols].reset_index(drop=True)


# ------------------------------------------------------------------------------ size-adjusted comparison

def poisson_binomial(p: Iterable[float]) -> np.ndarray:
    """Distribution of the number of successes of independent trials with probabilities ``p``:
    the probabilities of 0, 1, …, n (exact, by convolution)."""
    pmf = np.array([1.0])
    for q in p:
        q = float(q)
        pmf = np.convolve(pmf, [1.0 - q, q])
    return pmf


def chance_range(pmf: np.ndarray, level: float = mu.LEVEL) -> tuple[int, int]:
    """Central range [lo, hi] of a count distribution: lo the largest l with P(X < l) < α/2, hi the
    smallest h with P(X > h) < α/2 (α = 1 − level). A count outside it has a two-sided
    p-value (:func:`two_sided_p`) below α."""
    a = (1 - level) / 2
    below = np.concatenate([[0.0], np.cumsum(pmf)[:-1]])             # P(X < k), k = 0..n
    above = np.concatenate([np.cumsum(pmf[::-1])[::-1][1:], [0.0]])  # P(X > k)
    return int(np.nonzero(below < a)[0].max()), int(np.nonzero(above < a)[0].min())


def two_sided_p(pmf: np.ndarray, observed: int) -> float:
    """Twice the smaller tail probability of ``observed`` (at most 1)."""
    return float(min(1.0, 2 * min(pmf[: observed + 1].sum(), pmf[observed:].sum())))


def observed_expected(target: pd.DataFrame, reference: pd.DataFrame, indicators: Sequence[str] = tuple(BINARY),
                      by: str = "size_class", level: float = mu.LEVEL) -> pd.DataFrame:
    """Observed vs expected counts of ``target`` municipalities per item, the expected count from the
    rates of ``reference`` municipalities of the same ``by`` class (see the module docstring).

    Per item: n (target municipalities with an answer and a class found in the reference),
    excluded (answering but of a class the reference lacks, or of unknown size), observed, expected,
    obs_rate / obs_lo / obs_hi (Wilson), exp_rate, diff_pp (observed − expected share), range_lo /
    range_hi (the chance range of the count), p_value, p_adjusted (Holm over the items of this call),
    verdict (ahead · within · behind, from p_adjusted), verdict_unadjusted (from p_value) and small_n."""
    from statsmodels.stats.multitest import multipletests

    rows = []
    for ind in indicators:
        ref = reference.dropna(subset=[ind])
        ref = ref[ref[by] != UNKNOWN_CLASS]
        rates = ref.groupby(by)[ind].mean()
        tg = target.dropna(subset=[ind])
        known = tg[tg[by].isin(rates.index) & (tg[by] != UNKNOWN_CLASS)]
        p = known[by].map(rates).to_numpy(dtype=float)
        n, obs, exp = int(len(known)), int(known[ind].sum()), float(p.sum())
        pmf = poisson_binomial(p)
        lo_c, hi_c = chance_range(pmf, level) if n else (0, 0)
        pv = two_sided_p(pmf, obs) if n else np.nan
        wl, wh = mu.wilson(obs, n)
        verdict = "within"
        if n and pv < 1 - level:
            verdict = "ahead" if obs > exp else "behind"
        rows.append({"indicator": ind, "n": n, "excluded": int(len(tg) - n), "observed": obs, "expected": exp,
                     "obs_rate": 100 * obs / n if n else np.nan, "obs_lo": float(wl), "obs_hi": float(wh),
                     "exp_rate": 100 * exp / n if n else np.nan,
                     "diff_pp": 100 * (obs - exp) / n if n else np.nan, "range_lo": lo_c, "range_hi": hi_c,
                     "p_value": pv, "verdict_unadjusted": verdict, "small_n": n < SMALL_N})
    out = pd.DataFrame(rows)
    out["p_adjusted"] = np.nan
    ok = out["p_value"].notna()
    if ok.any():
        out.loc[ok, "p_adjusted"] = multipletests(out.loc[ok, "p_value"].to_numpy(float), alpha=1 - level,
                                                  method=MULTIPLE_TEST)[1]
    side = np.where(out["observed"] > out["expected"], "ahead", "behind")
    out["verdict"] = np.where(out["p_adjusted"] < 1 - level, side, "within")
    return out


def size_adjusted(wide: pd.DataFrame, pref_code: str, indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """:func:`observed_expected` of the prefecture's municipalities against the other 46 prefectures'."""
    own = wide["pref_code"] == pref_code
    return observed_expected(wide[own], wide[~own], indicators)


def readiness_expected(scores: pd.DataFrame, pref_code: str) -> dict:
    """Mean readiness score of the prefecture's scored municipalities beside the mean expected from
    the class means of the other 46 prefectures (descriptive; no interval): n, observed, expected."""
    s = scores[scores["score"].notna() & (scores["size_class"] != UNKNOWN_CLASS)]
    own = s[s["pref_code"] == pref_code]
    means = s[s["pref_code"] != pref_code].groupby("size_class")["score"].mean()
    own = own[own["size_class"].isin(means.index)]
    return {"n": int(len(own)), "observed": float(own["score"].mean()) if len(own) else np.nan,
            "expected": float(own["size_class"].map(means).mean()) if len(own) else np.nan}


# ------------------------------------------------------------------------------ application rates

def rate_frame(long: pd.DataFrame) -> pd.DataFrame:
    """The panel's 申請率 rows as :func:`helpers.analysis.entity_stats.procedure_stats` reads them:
    code5, pref_code, indicator, group, procedure (as published), rate (NaN = no rate reported)."""
    from helpers.loaders.panel import RATE_PROCEDURES, rate_id

    ids = {rate_id(g, i): (g, name) for g, names in RATE_PROCEDURES.items() for i, name in enumerate(names, start=1)}
    r = long[long["indicator"].isin(list(ids))]
    r = r[["code5", "pref_code", "indicator", "value"]].rename(columns={"value": "rate"}).reset_index(drop=True)
    r["indicator"] = r["indicator"].astype(object)
    r["group"] = r["indicator"].map({k: v[0] for k, v in ids.items()})
    r["procedure"] = r["indicator"].map({k: v[1] for k, v in ids.items()})
    return r


def main_procedures(rates: pd.DataFrame, k: int = MAIN_PROCEDURES) -> list[str]:
    """The ``k`` procedures (indicator ids) with the most municipalities reporting a rate nationally
    (ties in published order)."""
    counts = rates.groupby("indicator", sort=False)["rate"].count()
    order = {ind: i for i, ind in enumerate(dict.fromkeys(rates["indicator"]))}
    ranked = sorted(counts.index, key=lambda i: (-counts[i], order[i]))
    return ranked[:k]


def application_rates(rates: pd.DataFrame, pref_code: str, procedures: Sequence[str]) -> pd.DataFrame:
    """Per procedure: the prefecture's municipalities listed, reporting a rate, reporting 0 %, and the
    median and quartiles of the reported rates; the same nationally (nat_*)."""
    from helpers.analysis.entity_stats import procedure_stats

    sel = rates[rates["indicator"].isin(procedures)]
    ids = sel.drop_duplicates(["group", "procedure"]).set_index(["group", "procedure"])["indicator"]
    own = procedure_stats(sel[sel["pref_code"] == pref_code])
    nat = procedure_stats(sel)
    own["indicator"] = [ids[(g, p)] for g, p in zip(own["group"], own["procedure"])]
    nat = nat.rename(columns={c: f"nat_{c}" for c in nat.columns if c not in ("group", "procedure")})
    out = own.merge(nat, on=["group", "procedure"], how="left")
    out["_order"] = out["indicator"].map({p: i for i, p in enumerate(procedures)})
    return out.sort_values("_order").drop(columns="_order").reset_index(drop=True)


# ------------------------------------------------------------------------------ words

def muni_name(name: str, code5: str, lang: str) -> str:
    """「府中市（13206）」 / '府中市 (13206)': a municipality always with its code."""
    return f"{name}（{code5}）" if lang == "ja" else f"{name} ({code5})"


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
    ns = mu.not_surveyed(long[long["pref_code"] == pref_code])
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


def caveats(pref_name: str, lang: str, long: pd.DataFrame, *, date_ref: str = "", survey_ref: str = "") -> list[str]:
    """The profile's caveats in the report's language (the AI/RPA date inferred from ``long``, the
    whole panel, with the evidence cited by ``date_ref``; ``survey_ref`` the dashboard's definitions)."""
    from helpers.analysis.entity_stats import ai_rpa_date_evidence, date_evidence_short

    return [t("prof.c.expected", lang, pref=pref_name),
            t("muni.c.readiness", lang, g=len(mu.GOVERNANCE), o=len(mu.OUTCOMES)),
            date_evidence_short(ai_rpa_date_evidence(long), lang, ref=date_ref, ref2=survey_ref),
            mu.boundaries_caveat(lang),
            t("prof.c.tier", lang, pref=pref_name)]


def coverage_findings(long: pd.DataFrame, wide: pd.DataFrame, pref_code: str, pref_name: str, lang: str,
                      ref: str = "") -> list[str]:
    """A finding when some of the prefecture's municipalities were not surveyed (e.g. 石川県), with
    why (cited by ``ref``), whether its most populous municipality is among them and what that does
    to its shares and ranks (:func:`helpers.analysis.entity_stats.not_surveyed_context`)."""
    from helpers.analysis.entity_stats import not_surveyed_context

    ns = mu.not_surveyed(long[long["pref_code"] == pref_code])
    if not len(ns):
        return []
    items = list(dict.fromkeys(i for its in ns["items"] for i in its))
    n_all = int((wide["pref_code"] == pref_code).sum())
    # the first sentence already says the shares rest on those that answered: the context does not repeat it
    ctx = not_surveyed_context(pref_code, pref_name, ns["code5"], lang, ref=ref)
    first = t("prof.f.not_surveyed", lang, pref=pref_name, n=len(ns), k=len(items), m=n_all - len(ns), total=n_all,
              items=mu.join([mu.ind_label(i, lang) for i in items], lang))
    return [(" " if lang == "en" else "").join([first, ctx]) if ctx else first]


def summary_record(code: str, wide: pd.DataFrame, gsum: dict | None, rx: dict, oe: pd.DataFrame) -> dict:
    """One prefecture's row of the profiles index (``summary.json`` beside its report): municipalities,
    items the government meets, readiness observed vs expected, items ahead / behind after size."""
    def num(v):
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else round(float(v), 1)

    gsum = gsum or {}
    return {"pref_code": code, "municipalities": int((wide["pref_code"] == code).sum()),
            "government_met": gsum.get("met"), "government_items": gsum.get("items"),
            "readiness_observed": num(rx.get("observed")), "readiness_expected": num(rx.get("expected")),
            "ahead": int((oe["verdict"] == "ahead").sum()), "behind": int((oe["verdict"] == "behind").sum()),
            "within": int((oe["verdict"] == "within").sum())}


def write_summary(out_dir, record: dict) -> None:
    """``summary.json`` in the profile's folder, for the runner's index (sorted keys: reproducible)."""
    import json
    from pathlib import Path

    from helpers.atomic import write_text_atomic

    write_text_atomic(Path(out_dir) / "summary.json", json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
