"""Distributions behind the national averages, from the per-entity dashboard frames.

Rates are shares of the entities that were surveyed (調査無し and blanks are left out of both
numerator and denominator), so they can differ from published figures that use another base;
:func:`reproduction` puts the two side by side.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import entity

UPTAKE = ["ai", "rpa", "telework"]
STAFFING = ["cio_appointed", "cio_deputy_appointed", "dx_policy", "cross_org_structure", "external_talent",
            "staff_development", "all_staff_training"]
TYPE_ORDER = ["city", "ward", "town", "village"]
#: Dashboard id → national indicator id for the same FY2023 survey.
NATIONAL_ID = {"cio_appointed": "cio_appointed", "dx_policy": "dx_policy", "telework": "telework", "ai": "ai",
               "rpa": "rpa", "staff_development": "staff_development"}
FY2023 = pd.Timestamp("2023-04-01")


def load(dashboard_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Every dashboard file found in the folder, loaded (keys as in :func:`entity.find_dashboard_files`)."""
    files = entity.find_dashboard_files(dashboard_dir)
    out = {}
    for role, path in files.items():
        out[role] = entity.load_online_rates(path) if role.endswith("rates") else entity.load_dashboard(path)
    return out


def _rate(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    g = df.dropna(subset=["value"]).groupby(keys, sort=False)["value"].agg(["sum", "count"])
    g["rate"] = (100 * g["sum"] / g["count"]).round(1)
    return g.rename(columns={"sum": "yes", "count": "surveyed"}).reset_index()


def prefecture_rates(muni: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Share of surveyed municipalities doing each measure, per prefecture (wide: one column per id)."""
    r = _rate(muni[muni["indicator"].isin(ids)], ["pref_code", "prefecture", "indicator"])
    w = r.pivot_table(index=["pref_code", "prefecture"], columns="indicator", values="rate", sort=False)
    w.columns.name = None
    return w[[i for i in ids if i in w.columns]].reset_index()


def by_type(muni: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Share of surveyed municipalities doing each measure, by municipality type (市/区/町/村)."""
    r = _rate(muni[muni["indicator"].isin(ids)], ["municipality_type", "indicator"])
    w = r.pivot_table(index="municipality_type", columns="indicator", values="rate")
    w.columns.name = None
    w = w.reindex([t for t in TYPE_ORDER if t in w.index])
    n = muni.drop_duplicates(["pref_code", "entity_seq"]).groupby("municipality_type").size()
    w.insert(0, "municipalities", n.reindex(w.index))
    return w[["municipalities", *[i for i in ids if i in w.columns]]].reset_index()


def online32_by_type(muni: pd.DataFrame) -> pd.DataFrame:
    """Distribution of the 32-procedure online share across municipalities, by type."""
    s = muni[muni["indicator"] == "online32_share"].dropna(subset=["value"])
    d = s.groupby("municipality_type")["value"].describe()[["count", "mean", "25%", "50%", "75%"]]
    d = d.reindex([t for t in TYPE_ORDER if t in d.index]).round(1)
    d["count"] = d["count"].astype(int)
    return d.reset_index()


def procedure_stats(rates: pd.DataFrame) -> pd.DataFrame:
    """Per procedure: how many entities report a rate (offer it online), median and quartiles."""
    g = rates.dropna(subset=["rate"]).groupby(["group", "procedure"], sort=False)["rate"]
    out = g.agg(offered="count", median="median", q1=lambda s: s.quantile(0.25), q3=lambda s: s.quantile(0.75))
    out = out.reindex(rates[["group", "procedure"]].drop_duplicates().set_index(["group", "procedure"]).index)
    out["offered"] = out["offered"].fillna(0).astype(int)
    return out.round(1).reset_index()


def co_adoption(muni: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How many municipalities have 0–3 of AI, RPA, telework; and pairwise phi / odds ratio."""
    w = muni[muni["indicator"].isin(UPTAKE)].pivot_table(index=["pref_code", "entity_seq"], columns="indicator",
                                                        values="value").dropna()
    counts = w.sum(axis=1).astype(int).value_counts().reindex(range(4), fill_value=0)
    counts = counts.rename_axis("measures").reset_index(name="municipalities")
    rows = []
    for a, b in combinations(UPTAKE, 2):
        n11 = int(((w[a] == 1) & (w[b] == 1)).sum()); n10 = int(((w[a] == 1) & (w[b] == 0)).sum())
        n01 = int(((w[a] == 0) & (w[b] == 1)).sum()); n00 = int(((w[a] == 0) & (w[b] == 0)).sum())
        den = np.sqrt(float((n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00)))
        phi = (n11 * n00 - n10 * n01) / den if den else np.nan
        odds = (n11 * n00) / (n10 * n01) if n10 * n01 else np.nan
        rows.append({"pair": f"{a}×{b}", "both": n11, "only_first": n10, "only_second": n01, "neither": n00,
                     "phi": round(float(phi), 3), "odds_ratio": round(float(odds), 2)})
    return counts, pd.DataFrame(rows)


def reproduction(frames: dict[str, pd.DataFrame], ind: pd.DataFrame) -> pd.DataFrame:
    """Counts aggregated from the dashboard next to the published FY2023 national figures."""
    rows = []
    for role, tier in (("municipal_comparison", "municipality"), ("prefectural_comparison", "prefecture")):
        df = frames.get(role)
        if df is None:
            continue
        for dash_id, nat_id in NATIONAL_ID.items():
            s = df[df["indicator"] == dash_id]
            if s.empty:
                continue
            nat = ind[(ind["indicator"] == nat_id) & (ind["tier"] == tier) & (ind["as_of"] == FY2023)]
            if nat.empty:
                continue
            n = nat.iloc[0]
            yes, surveyed = int((s["value"] == 1).sum()), int(s["value"].notna().sum())
            rate = round(100 * yes / surveyed, 1) if surveyed else np.nan
            pub_rate = n["percent"] if pd.notna(n["percent"]) else (
                round(100 * n["count"] / n["base"], 1) if pd.notna(n["count"]) else np.nan)
            rows.append({"indicator": nat_id, "tier": tier, "dashboard_count": yes, "dashboard_base": surveyed,
                         "dashboard_rate": rate, "published_count": n["count"], "published_base": n["base"],
                         "published_percent": n["percent"],
                         "count_difference": (yes - n["count"]) if pd.notna(n["count"]) else pd.NA,
                         "rate_difference_pp": round(rate - float(pub_rate), 1) if pd.notna(pub_rate) else np.nan,
                         "source": n["source"]})
    out = pd.DataFrame(rows)
    if len(out):
        out["published_count"] = out["published_count"].astype("Int64")
        out["published_base"] = out["published_base"].astype("Int64")
        out["count_difference"] = out["count_difference"].astype("Int64")
    return out
