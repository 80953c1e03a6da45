"""The prefecture profile (issue 14): one prefecture's government and its municipalities against
the country, for notebook ``06_prefecture_profile`` (run once per prefecture).

Frames in, frames out (no language: :mod:`helpers.words.profile` words them), built on
:mod:`helpers.analysis.municipal` (shares, Wilson intervals, readiness score, the prefecture's own
answers) and :mod:`helpers.analysis.entity_stats` (application-rate statistics). No model is fitted,
so a profile runs in seconds.

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
from helpers.analysis.stats import chance_range, holm, poisson_binomial, two_sided_p
from helpers.loaders.dashboard_labels import BINARY

#: Below this many municipalities answering an item, the size-adjusted comparison says it cannot
#: conclude on small differences.
SMALL_N = 20
#: Number of procedures of the 申請率 file shown: those most often reported nationally.
MAIN_PROCEDURES = 10
#: Rows of the prefecture 比較 file used besides the yes/no items.
GOV_COUNTS = ("online32_offered", "online32_online")
UNKNOWN_CLASS = "unknown"
VERDICTS = ("ahead", "within", "behind")
#: A verdict with an adjusted p-value at or above this is called weak evidence.
WEAK_P = 0.01
#: The ten items of one prefecture are one family of tests: p-values are adjusted with this method of
#: :func:`helpers.analysis.stats.holm` (equal to statsmodels' ``multipletests``) before a verdict is given
#: (the unadjusted verdict is kept).
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

def observed_expected(target: pd.DataFrame, reference: pd.DataFrame, indicators: Sequence[str] = tuple(BINARY),
                      by: str = "size_class", level: float = mu.LEVEL) -> pd.DataFrame:
    """Observed vs expected counts of ``target`` municipalities per item, the expected count from the
    rates of ``reference`` municipalities of the same ``by`` class (see the module docstring).

    Per item: n (target municipalities with an answer and a class found in the reference),
    excluded (answering but of a class the reference lacks, or of unknown size), observed, expected,
    obs_rate / obs_lo / obs_hi (Wilson), exp_rate, diff_pp (observed − expected share), range_lo /
    range_hi (the chance range of the count), p_value, p_adjusted (Holm over the items of this call),
    verdict (ahead · within · behind, from p_adjusted), verdict_unadjusted (from p_value) and small_n."""
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
        out.loc[ok, "p_adjusted"] = holm(out.loc[ok, "p_value"].to_numpy(float))  # MULTIPLE_TEST
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
