"""Online use of administrative procedures: national totals by year and per-procedure rates.

The comparability rule (``helpers.loaders.series``) governs every change printed here. A *series* is one
procedure list and one counting method: the 21 promoted procedures (FY2016–FY2018), the 58 priority
procedures with online cases as counted (FY2019), the same 58 with online cases estimated
nationally (from FY2020), and a secondary source that states neither (FY2022). Changes are
computed only by :func:`helpers.loaders.series.changes`, so never across a break; a pair of years that
crosses one keeps its two series and no number (:mod:`helpers.words.online` states the documented
reason from ``data/series_breaks.csv``).

Frames in, frames out: ids (fiscal years, series, procedure numbers, groups) and numbers, no wording.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.loaders import series as ser

GROUPS = ["a", "child", "care", "disaster"]
LIFE_EVENTS = ["child", "care", "disaster"]
SERIES_ORDER = ["set21_counted", "set58_counted", "set58_estimated", "other_secondary"]
NEAR_ZERO_PCT = 1.0
SCOPE = "_scope"  # a constant key: the national totals are one group for helpers.loaders.series


# --------------------------------------------------------------------------------- totals

def totals(tot: pd.DataFrame) -> pd.DataFrame:
    """Overall cases and online rate by fiscal year, with the series each year belongs to."""
    d = tot.sort_values("fiscal_year", kind="stable").reset_index(drop=True).copy()
    if "series" not in d.columns:
        raise ValueError("online_totals needs a series column (data/national/online_totals.csv)")
    d["series"] = d["series"].astype(str)
    d["online_rate"] = d["online_rate"].astype(float)
    return d[["fiscal_year", "procedure_set", "series", "total_cases", "online_cases", "online_rate",
              "source"]].reset_index(drop=True)


def comparisons(tots: pd.DataFrame) -> pd.DataFrame:
    """Every pair of consecutive fiscal years: the change within one series (from
    :func:`helpers.loaders.series.changes`), or — where the two years lie in different series
    (``prev_series`` ≠ ``series``) — no change (``change_pp`` NaN); the reason is the words layer's
    (:func:`helpers.words.online.with_reasons`)."""
    d = tots.assign(**{SCOPE: "national"})
    within = ser.changes(d, [SCOPE], "fiscal_year", "online_rate")
    crossed = ser.crossings(d, [SCOPE], "fiscal_year")
    prev = d.set_index("fiscal_year")["online_rate"]
    rows = []
    for r in within.to_dict("records"):
        rows.append({"prev_fiscal_year": int(r["prev_fiscal_year"]), "fiscal_year": int(r["fiscal_year"]),
                     "prev_online_rate": float(r["prev_online_rate"]), "online_rate": float(r["online_rate"]),
                     "change_pp": float(r["change"]), "prev_series": r["series"], "series": r["series"]})
    for r in crossed.to_dict("records"):
        rows.append({"prev_fiscal_year": int(r["prev_fiscal_year"]), "fiscal_year": int(r["fiscal_year"]),
                     "prev_online_rate": float(prev[r["prev_fiscal_year"]]), "online_rate": float(r["online_rate"]),
                     "change_pp": np.nan, "prev_series": r["from_series"], "series": r["to_series"]})
    cols = ["prev_fiscal_year", "fiscal_year", "prev_online_rate", "online_rate", "change_pp", "prev_series", "series"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("fiscal_year", kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------- procedures

def procedure_rates(proc: pd.DataFrame) -> pd.DataFrame:
    """One row per fiscal year × procedure with its series and a ``rate`` that is defined only where
    the procedure had cases (a published 0.0% with 0 cases means "no applications"; an unknown
    case count — the FY2017/18 slide — keeps its published rate)."""
    p = proc[proc["summed"]].copy() if "summed" in proc else proc.copy()  # a figure two sources quote: the row marked summed
    p["series"] = p["series"].astype(str)
    p["procedure_en"] = p["procedure_en"].astype(str)
    p = p.sort_values(["fiscal_year", "procedure_no"], kind="stable")
    p = p.drop_duplicates(["fiscal_year", "procedure_no", "series"], keep="first")  # a figure quoted by two sources
    cases = p["annual_cases"].astype("Float64")
    rate = p["online_rate"].astype("Float64")
    p["rate"] = rate.where(~(cases == 0).fillna(False)).astype(float)
    p["online_cases"] = (cases * rate / 100).round(0).astype(float)
    return p[["fiscal_year", "procedure_set", "series", "group", "procedure_no", "procedure", "procedure_en",
              "annual_cases", "online_rate", "rate", "online_cases", "source"]].reset_index(drop=True)


def procedure_changes(rates: pd.DataFrame) -> pd.DataFrame:
    """Per procedure, the change of ``rate`` between consecutive years of the same series only."""
    d = rates.dropna(subset=["rate"])
    out = ser.changes(d, ["procedure_no"], "fiscal_year", "rate")
    return out.rename(columns={"change": "change_pp"})


def procedure_crossings(rates: pd.DataFrame) -> pd.DataFrame:
    """Per procedure, consecutive years on two sides of a series break (``from_series`` →
    ``to_series``); :func:`helpers.words.online.procedure_breaks` adds the documented reason."""
    return ser.crossings(rates, ["procedure_no"], "fiscal_year")


def year_table(rates: pd.DataFrame, year: int, procedure_set: str = "58") -> pd.DataFrame:
    """The procedures of one fiscal year's table (one series), in published order."""
    y = rates[(rates["fiscal_year"] == year) & (rates["procedure_set"] == procedure_set)].copy()
    if y["series"].nunique() > 1:
        raise ValueError(f"FY{year}: more than one series in one table")
    order = {g: i for i, g in enumerate(GROUPS)}
    y["_g"] = y["group"].map(order)
    return y.sort_values(["_g", "procedure_no"], kind="stable").drop(columns="_g").reset_index(drop=True)


def side_by_side(rates: pd.DataFrame, y1: int, y2: int, group: str | None = "a") -> pd.DataFrame:
    """Two years' cases and rates per procedure in one frame, for reading side by side: one row per
    procedure listed in ``y2`` with a rate in either year (``_1``: ``y1``, ``_2``: ``y2``, each with
    its series). ``change_pp`` is set only where the two years lie in one series (never across the
    FY2019/FY2020 method break)."""
    a, b = year_table(rates, y1), year_table(rates, y2)
    if group:
        a, b = a[a["group"] == group], b[b["group"] == group]
    w = b[["procedure_no", "procedure", "procedure_en", "series", "annual_cases", "rate"]].merge(
        a[["procedure_no", "series", "annual_cases", "rate"]], on="procedure_no", suffixes=("_2", "_1"))
    w = w.dropna(subset=["rate_1", "rate_2"], how="all")
    ch = procedure_changes(rates)
    ch = ch[(ch["fiscal_year"] == y2) & (ch["prev_fiscal_year"] == y1)].set_index("procedure_no")["change_pp"]
    w = w.assign(change_pp=ch.reindex(w["procedure_no"]).to_numpy())
    return w[["procedure_no", "procedure", "procedure_en", "series_1", "annual_cases_1", "rate_1", "series_2",
              "annual_cases_2", "rate_2", "change_pp"]].reset_index(drop=True)


def leaders(year_df: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    return year_df.dropna(subset=["rate"]).nlargest(n, "rate")


def laggards(year_df: pd.DataFrame, n: int = 5, min_cases: int = 1_000_000) -> pd.DataFrame:
    """Lowest online rates among procedures with at least ``min_cases`` applications (where it matters)."""
    big = year_df[year_df["annual_cases"].fillna(0) >= min_cases]
    return big.dropna(subset=["rate"]).nsmallest(n, "rate")


def group_summary(year_df: pd.DataFrame) -> pd.DataFrame:
    """Per group: procedures listed, with cases, cases, case-weighted online rate, how many below 1 %."""
    rows = []
    for g in GROUPS:
        s = year_df[year_df["group"] == g]
        if s.empty:
            continue
        c = s.dropna(subset=["rate"])
        cases = float(c["annual_cases"].astype(float).sum())
        online = float(c["online_cases"].sum())
        rows.append({"group": g, "procedures": len(s),
                     "with_cases": len(c), "cases": int(cases), "online_cases": int(online),
                     "max_rate": float(c["rate"].max()) if len(c) else np.nan,
                     "below_1pct": int((c["rate"] < NEAR_ZERO_PCT).sum()),
                     "weighted_rate": round(100 * online / cases, 1) if cases else np.nan})
    return pd.DataFrame(rows)


def concentration(year_df: pd.DataFrame, n: int = 3) -> dict[str, object]:
    """Share of all online cases (cases × rate) that the top-``n`` procedures account for."""
    c = year_df.dropna(subset=["online_cases", "rate"])
    top = c.nlargest(n, "online_cases")
    total = float(c["online_cases"].sum())
    return {"top": top, "top_online_cases": float(top["online_cases"].sum()), "all_online_cases": total,
            "procedures": len(c), "share_pct": round(100 * float(top["online_cases"].sum()) / total, 1)}


def recomputed_rate(year_df: pd.DataFrame) -> dict[str, float]:
    """The year's overall rate recomputed from its per-procedure table (Σ online cases ÷ Σ cases)."""
    c = year_df.dropna(subset=["rate"])
    cases = float(c["annual_cases"].astype(float).sum())
    return {"procedures": len(c), "cases": cases, "rate": round(100 * float(c["online_cases"].sum()) / cases, 1)}
