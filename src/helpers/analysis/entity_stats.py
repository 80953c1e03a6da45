"""Distributions behind the national averages, from the per-entity dashboard frames.

Rates are shares of the entities that were surveyed (調査無し and blanks are left out of both
numerator and denominator), so they can differ from published figures that use another base;
:func:`reproduction` puts the two side by side.

Frames in, frames out, no wording: the sentences and reader tables made from these frames (the
inferred AI/RPA date, the export's date, who was not surveyed and why, the per-prefecture table)
are in :mod:`helpers.words.entity`.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from helpers import vocabulary
from helpers import batch_cache
from helpers.loaders import entity

UPTAKE = list(vocabulary.UPTAKE)
STAFFING = list(vocabulary.GOVERNANCE)
TYPE_ORDER = list(vocabulary.SUFFIX_TYPE_ORDER)
#: Dashboard id → national indicator id for the same survey.
NATIONAL_ID = {"cio_appointed": "cio_appointed", "dx_policy": "dx_policy", "telework": "telework", "ai": "ai",
               "rpa": "rpa", "staff_development": "staff_development"}


def survey_date() -> pd.Timestamp:
    """The reference date of the export's survey (1 April of its fiscal year, :mod:`helpers.loaders.dashboard_export`);
    NaT when its survey year is not known."""
    from helpers.loaders.dashboard_export import current

    year = current().survey_year
    return pd.Timestamp(year, 4, 1) if year is not None else pd.NaT


def compared() -> bool:
    """Whether the export comes from the survey whose national figures this project holds for the
    comparisons (:func:`helpers.loaders.dashboard_export.same_survey`); for any other, or an unknown, survey
    year no comparison is made and the section says so (:func:`helpers.words.export.not_compared`)."""
    from helpers.loaders.dashboard_export import same_survey

    return same_survey()


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


#: A municipality handling fewer procedures than this has a coarse share (1/1 = 100 %); groups with
#: fewer municipalities than SMALL_GROUP, and procedures reported by fewer, are flagged too.
SMALL_DENOMINATOR = 5
SMALL_GROUP = 5


def online32_per_municipality(muni: pd.DataFrame) -> pd.DataFrame:
    """One row per municipality: procedures online (numerator), procedures it handles (denominator,
    0–26), the share computed from the two, the published share (whole %), and its ``status``:
    used · denominator_0 · not_surveyed · missing. ``small_denominator`` marks denominators < 5."""
    keys = ["pref_code", "prefecture", "entity", "entity_seq", "municipality_type"] + (["code5"] if "code5" in muni else [])
    rows = muni[muni["indicator"].isin(["online32_share", "online32_online", "online32_offered"])]
    ents = muni.drop_duplicates(["pref_code", "entity_seq"])[keys].reset_index(drop=True)
    w = ents.copy()
    for ind, col in (("online32_online", "online"), ("online32_offered", "offered"), ("online32_share", "published_share")):
        v = rows[rows["indicator"] == ind].drop_duplicates(["pref_code", "entity_seq"])
        w = w.merge(v[["pref_code", "entity_seq", "value"]].rename(columns={"value": col}), how="left",
                    on=["pref_code", "entity_seq"])
    ns = rows.groupby(["pref_code", "entity_seq"], sort=False)["not_surveyed"].any().rename("not_surveyed").reset_index()
    w = w.merge(ns, how="left", on=["pref_code", "entity_seq"])
    w["not_surveyed"] = w["not_surveyed"].astype("boolean").fillna(False).astype(bool)
    has_counts = w["online"].notna() & w["offered"].notna()
    w["share"] = (100 * w["online"] / w["offered"].where(w["offered"] > 0)).where(has_counts)
    w["share"] = w["share"].fillna(w["published_share"].where(~has_counts))
    w["status"] = np.select([w["not_surveyed"], has_counts & (w["offered"] == 0), w["share"].isna()],
                            ["not_surveyed", "denominator_0", "missing"], "used")
    w["small_denominator"] = (w["status"] == "used") & (w["offered"] < SMALL_DENOMINATOR)
    return w


def online32_by_type(muni: pd.DataFrame) -> pd.DataFrame:
    """The 32-procedure online share by municipality type and overall (``municipality_type`` 'all').

    ``pooled_rate`` = Σ procedures online ÷ Σ procedures handled (each procedure counts once);
    ``mean_rate`` / ``median_rate`` / ``q1`` / ``q3`` treat every municipality alike. Left out and
    counted: denominator 0 and not surveyed. ``small_denominator`` counts municipalities handling
    fewer than 5 procedures; ``small_group`` flags types with fewer than 5 municipalities used."""
    per = online32_per_municipality(muni)
    parts = [(mt, per[per["municipality_type"] == mt]) for mt in TYPE_ORDER if (per["municipality_type"] == mt).any()]
    rows = []
    for mt, g in [*parts, ("all", per)]:
        u = g[g["status"] == "used"]
        num, den = float(u["online"].sum()), float(u["offered"].sum())
        rows.append({"municipality_type": mt, "municipalities_all": len(g),
                     "not_surveyed": int((g["status"] == "not_surveyed").sum()),
                     "denominator_0": int((g["status"] == "denominator_0").sum()),
                     "n": len(u), "small_denominator": int(u["small_denominator"].sum()),
                     "online_sum": int(num), "offered_sum": int(den),
                     "pooled_rate": round(100 * num / den, 1) if den else np.nan,
                     "mean_rate": round(float(u["share"].mean()), 1) if len(u) else np.nan,
                     "median_rate": round(float(u["share"].median()), 1) if len(u) else np.nan,
                     "q1": round(float(u["share"].quantile(0.25)), 1) if len(u) else np.nan,
                     "q3": round(float(u["share"].quantile(0.75)), 1) if len(u) else np.nan,
                     "small_group": len(u) < SMALL_GROUP})
    return pd.DataFrame(rows)


#: The dashboard's 市 merges these master types; the split shows whether a ranking of 市/区/町/村 holds.
CITY_TYPES = ("designated_city", "core_city", "city")


def online32_city_split(per: pd.DataFrame) -> pd.DataFrame:
    """The pooled 32-procedure share of the dashboard's 市 split by the municipal master's type
    (designated, core, other cities), joined on code5: type, n, online_sum, offered_sum, pooled_rate."""
    from helpers.loaders.municipalities import load_master

    kind = load_master().set_index("code5")["type"]
    u = per[(per["status"] == "used") & (per["municipality_type"] == "city")].assign(type=lambda d: d["code5"].map(kind))
    rows = []
    for ty in CITY_TYPES:
        g = u[u["type"] == ty]
        num, den = float(g["online"].sum()), float(g["offered"].sum())
        rows.append({"type": ty, "n": len(g), "online_sum": int(num), "offered_sum": int(den),
                     "pooled_rate": round(100 * num / den, 1) if den else np.nan})
    return pd.DataFrame(rows)


def procedure_stats(rates: pd.DataFrame, min_n: int = SMALL_GROUP) -> pd.DataFrame:
    """Per procedure of a 申請率 file: entities listed, how many report a rate (a blank is "no rate
    reported", not "not offered"), how many report 0 %, and the median and quartiles of the
    reported rates (each entity weighted alike). ``small_n`` flags fewer than ``min_n`` reports."""
    keys = ["group", "procedure"]
    listed = rates.groupby(keys, sort=False).size().rename("listed")
    rep = rates.dropna(subset=["rate"])
    g = rep.groupby(keys, sort=False)["rate"]
    out = g.agg(reported="count", zero_rate=lambda s: int((s == 0).sum()), median="median",
                q1=lambda s: s.quantile(0.25), q3=lambda s: s.quantile(0.75))
    out = pd.concat([listed, out], axis=1).reindex(listed.index)
    for c in ("reported", "zero_rate"):
        out[c] = out[c].fillna(0).astype(int)
    out.insert(2, "no_rate", out["listed"] - out["reported"])
    out["small_n"] = out["reported"] < min_n
    for c in ("median", "q1", "q3"):
        out[c] = out[c].round(1)
    return out.reset_index()


def co_adoption(muni: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How many municipalities have 0–3 of AI, RPA, telework; and pairwise phi / odds ratio.

    Only municipalities with an answer for all three count (``n`` in the pairs frame); pairs are
    named by their two indicator ids (``first``, ``second``) so a report can label them."""
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
        rows.append({"first": a, "second": b, "n": len(w), "both": n11, "only_first": n10, "only_second": n01,
                     "neither": n00, "phi": round(float(phi), 3), "odds_ratio": round(float(odds), 2)})
    return counts, pd.DataFrame(rows)


REPRODUCTION_COLUMNS = ["indicator", "tier", "dashboard_count", "dashboard_base", "dashboard_rate", "published_count",
                        "published_base", "published_percent", "count_difference", "rate_difference_pp", "source"]


def reproduction(frames: dict[str, pd.DataFrame], ind: pd.DataFrame) -> pd.DataFrame:
    """Counts aggregated from the dashboard next to the published national figures of the same survey
    (reference date :func:`survey_date`); no rows for an export of another survey (:func:`compared`).

    The published base is the one the source's percent rests on: where the data audit found the
    source used another base (e.g. the 1,733 FY2023 respondents, not all 1,741), that base is shown,
    so a row never pairs a percent with a base it does not reproduce."""
    from helpers.loaders import data

    if not compared():
        return pd.DataFrame(columns=REPRODUCTION_COLUMNS)
    survey = survey_date()
    audit = data.audit(ind)
    alt = audit[audit["reason"] == "alt_base"].set_index(["indicator", "tier", "as_of"])["alt_base"]
    rows = []
    for role, tier in (("municipal_comparison", "municipality"), ("prefectural_comparison", "prefecture")):
        df = frames.get(role)
        if df is None:
            continue
        for dash_id, nat_id in NATIONAL_ID.items():
            s = df[df["indicator"] == dash_id]
            if s.empty:
                continue
            nat = ind[(ind["indicator"] == nat_id) & (ind["tier"] == tier) & (ind["as_of"] == survey)]
            if nat.empty:
                continue
            n = nat.iloc[0]
            yes, surveyed = int((s["value"] == 1).sum()), int(s["value"].notna().sum())
            rate = round(100 * yes / surveyed, 1) if surveyed else np.nan
            pub_rate = n["percent"] if pd.notna(n["percent"]) else (
                round(100 * n["count"] / n["base"], 1) if pd.notna(n["count"]) else np.nan)
            rows.append({"indicator": nat_id, "tier": tier, "dashboard_count": yes, "dashboard_base": surveyed,
                         "dashboard_rate": rate, "published_count": n["count"],
                         "published_base": alt.get((nat_id, tier, n["as_of"]), n["base"]),
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


# ------------------------------------------------------------------ uptake: bases and reference dates

#: No source states the reference date of the dashboard's AI and RPA items. The 総務省 AI・RPA
#: survey is dated 31 December; its 令和5年12月末 shares, published split into designated cities
#: and other municipalities (``data/national/date_evidence.csv``), are compared with the export at
#: run time (:func:`ai_rpa_date_evidence`). Where every share agrees the date is *inferred*, never
#: stated. Telework has no such evidence: its date is "not stated".
INFERRED_ITEMS = ("ai", "rpa")


def ai_rpa_date_evidence(muni: pd.DataFrame, evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """The export's AI/RPA shares split as the published survey round splits them, beside the
    published whole percents: one row per item and scope with ``yes``, ``surveyed``, ``rate``,
    ``published_percent``, ``as_of`` and ``agrees`` (the computed share rounds to the published
    whole percent). Designated cities are found through the municipal master (code5), not by name.
    The published shares are those of the registered survey round: an export of another survey
    year gets no rows (:func:`compared`)."""
    from helpers.loaders import data
    from helpers.loaders.municipalities import load_master

    if not compared():
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    evidence = data.load_date_evidence() if evidence is None else evidence
    master = load_master()
    designated = set(master.loc[master["type"] == "designated_city", "code5"])
    rows = []
    for r in evidence.to_dict("records"):
        s = muni[(muni["indicator"] == r["indicator"]) & muni["value"].notna()]
        is_des = s["code5"].isin(designated)
        part = s[is_des] if r["scope"] == "designated_city" else s[~is_des]
        yes, surveyed = int((part["value"] == 1).sum()), len(part)
        rate = 100 * yes / surveyed if surveyed else np.nan
        rows.append({"indicator": r["indicator"], "scope": r["scope"], "yes": yes, "surveyed": surveyed,
                     "rate": rate, "published_percent": float(r["percent"]), "as_of": r["as_of"],
                     "agrees": bool(surveyed) and round(rate) == round(float(r["percent"])),
                     "source": r["source"]})
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


EVIDENCE_COLUMNS = ["indicator", "scope", "yes", "surveyed", "rate", "published_percent", "as_of", "agrees", "source"]


def inferred_dates(ev: pd.DataFrame) -> dict[str, pd.Timestamp]:
    """Item → the inferred reference date, only for items whose every published share agrees with
    the export (:func:`ai_rpa_date_evidence`); an item with one disagreeing share gets no date."""
    out = {}
    for ind, g in ev.groupby("indicator", sort=False):
        if len(g) and g["agrees"].all() and g["as_of"].nunique() == 1:
            out[ind] = pd.Timestamp(g["as_of"].iloc[0])
    return out


def dashboard_update() -> pd.Timestamp:
    """The data update of the export this notebook reads (:mod:`helpers.loaders.dashboard_export`: given,
    from the folder's name or sidecar, or the vendored export's registered date); NaT when unknown."""
    from helpers.loaders.dashboard_export import current

    date = current().date
    return pd.Timestamp(date) if date else pd.NaT


def absent(frame: pd.DataFrame | None, ids) -> list[str]:
    """Which of ``ids`` the export's frame lacks (a row a later release dropped or renamed)."""
    have = set(frame["indicator"]) if frame is not None else set()
    return [i for i in ids if i not in have]


def surveyed_counts(muni: pd.DataFrame) -> pd.Series:
    """Municipalities with a value (respondents) per yes/no item of the comparison file."""
    b = muni[muni["indicator"].isin(entity.BINARY)]
    return b.groupby("indicator", sort=False)["value"].count()


def prefecture_counts(muni: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Per prefecture and measure: municipalities doing it (``yes``), answering (``surveyed``),
    marked 調査無し for this measure (``not_surveyed``) and for any yes/no item of the file
    (``not_surveyed_any_item``: a prefecture whose municipalities were left out of some items is
    visible even for measures they answered), listed (``municipalities``), and the rate yes / surveyed."""
    ref = entity.prefectures().set_index("pref_code")
    sel = muni[muni["indicator"].isin(ids)]
    g = sel.groupby(["pref_code", "indicator"], sort=False)["value"].agg(yes="sum", surveyed="count", listed="size")
    g = g.reset_index()
    own = sel.groupby(["pref_code", "indicator"], sort=False)["not_surveyed"].sum()
    g["not_surveyed"] = [int(own.get((c, i), 0)) for c, i in zip(g["pref_code"], g["indicator"])]
    binary = muni[muni["indicator"].isin(entity.BINARY)]
    anyitem = binary.groupby(["pref_code", "indicator"])["not_surveyed"].sum().groupby("pref_code").max()
    g["not_surveyed_any_item"] = g["pref_code"].map(anyitem).fillna(0).astype(int)
    g["municipalities"] = g["listed"].astype(int)
    g["yes"] = g["yes"].astype(int)
    g["rate"] = (100 * g["yes"] / g["surveyed"]).round(1)
    g["prefecture_ja"] = g["pref_code"].map(ref["name_ja"])
    g["prefecture_en"] = g["pref_code"].map(ref["name_en"])
    return g[["pref_code", "prefecture_ja", "prefecture_en", "indicator", "yes", "surveyed", "not_surveyed",
              "not_surveyed_any_item", "municipalities", "rate"]]


def reproduction_uptake(frames: dict[str, pd.DataFrame], ind: pd.DataFrame, ids: list[str] | None = None,
                        update: pd.Timestamp | None = None,
                        inferred: dict[str, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Dashboard totals of AI, RPA and telework beside the latest published national figure.

    Each side carries its n and reference date: the published figure its ``as_of`` (and whether it
    is assumed), the dashboard its update and, where :func:`inferred_dates` infers one, the item's
    inferred reference date (``dashboard_as_of``; never a stated date). ``verdict`` is ``match``
    (same count), ``likely_other_round`` (the counts differ, the sources explain nothing, and the
    dashboard item is inferred to come from a later survey round than the published figure could) or
    ``unexplained``. No rows for an export of another survey (:func:`compared`)."""
    from helpers.analysis.common import rates

    if not compared():
        return pd.DataFrame(columns=["indicator", "tier", "published_count", "published_base", "published_rate",
                                     "published_as_of", "published_as_of_assumed", "published_source", "dashboard_count",
                                     "dashboard_base", "dashboard_rate", "dashboard_not_surveyed", "dashboard_update",
                                     "dashboard_as_of", "dashboard_as_of_inferred", "rate_difference_pp", "verdict"])
    ids = ids or UPTAKE
    update = pd.Timestamp(update) if update is not None else dashboard_update()  # NaT: not known
    rows = []
    for role, tier in (("municipal_comparison", "municipality"), ("prefectural_comparison", "prefecture")):
        df = frames.get(role)
        if df is None:
            continue
        pub = rates(ind, ids, [tier])
        for i in ids:
            s = df[df["indicator"] == i]
            p = pub[pub["indicator"] == i]
            if s.empty or p.empty:
                continue
            n = p.sort_values("as_of").iloc[-1]
            yes, surveyed = int((s["value"] == 1).sum()), int(s["value"].notna().sum())
            rate = round(100 * yes / surveyed, 1) if surveyed else np.nan
            dash_as_of = (inferred or {}).get(i, pd.NaT)
            same = pd.notna(n["count"]) and int(n["count"]) == yes
            verdict = "match" if same else ("likely_other_round" if pd.notna(dash_as_of) else "unexplained")
            rows.append({"indicator": i, "tier": tier, "published_count": n["count"], "published_base": n["base"],
                         "published_rate": n["rate"], "published_as_of": n["as_of"],
                         "published_as_of_assumed": bool(n["as_of_assumed"]), "published_source": n["source"],
                         "dashboard_count": yes, "dashboard_base": surveyed, "dashboard_rate": rate,
                         "dashboard_not_surveyed": int(s["not_surveyed"].sum()), "dashboard_update": update,
                         "dashboard_as_of": dash_as_of, "dashboard_as_of_inferred": pd.notna(dash_as_of),
                         "rate_difference_pp": round(rate - float(n["rate"]), 1) if pd.notna(n["rate"]) else np.nan,
                         "verdict": verdict})
    out = pd.DataFrame(rows)
    if len(out):
        for c in ("published_count", "published_base"):
            out[c] = out[c].astype("Int64")
    return out


#: Why a prefecture's municipalities are marked 調査無し, where a source says so (pref_code → reason
#: key in i18n ``entity.ns.reason.<key>``): the dashboard's data definition (``NOT_SURVEYED_SOURCE``)
#: states that some municipalities of 石川県 were left out of the 2023-04-01 survey because of the
#: 2024 Noto earthquake. Said only for an export of that survey (:func:`compared`).
NOT_SURVEYED_REASON = {"17": "noto_2024"}
NOT_SURVEYED_SOURCE = "digital_agency_data_definition"


def largest_left_out(codes: Iterable[str]) -> dict[str, dict]:
    """pref_code → {code5, name, population} where the prefecture's most populous municipality (2020
    census, municipal master) is among ``codes`` (code5 of municipalities left out of some items)."""
    from helpers.loaders.municipalities import load_master

    m = load_master().dropna(subset=["population_2020"])
    top = m.sort_values("population_2020", ascending=False).drop_duplicates("pref_code").set_index("pref_code")
    codes = set(codes)
    return {pc: {"code5": r["code5"], "name": r["name"], "population": int(r["population_2020"])}
            for pc, r in top.iterrows() if r["code5"] in codes}
