"""Online use of administrative procedures: totals by year and per-procedure rates FY2019 → FY2020."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.common import fmt_pct, fmt_pp, join_items, year_span
from helpers.i18n import t

GROUP_LABELS = {
    "a": {"ja": "a 処理件数の多い手続", "en": "a High-volume procedures"},
    "child": {"ja": "子育て", "en": "Child-rearing"},
    "care": {"ja": "介護", "en": "Long-term care"},
    "disaster": {"ja": "被災者支援", "en": "Disaster-victim support"},
}
NEAR_ZERO_PCT = 1.0


def totals(tot: pd.DataFrame) -> pd.DataFrame:
    """Overall cases and online rate by fiscal year, marking where the procedure set changes."""
    t = tot.sort_values("fiscal_year").reset_index(drop=True).copy()
    t["set_changed"] = t["procedure_set"].ne(t["procedure_set"].shift()) & t.index.to_series().gt(0)
    t["total_cases_million"] = (t["total_cases"].astype(float) / 1e6).round(1)
    t["online_cases_million"] = (t["online_cases"].astype(float) / 1e6).round(1)
    return t[["fiscal_year", "procedure_set", "set_changed", "total_cases", "online_cases", "total_cases_million",
              "online_cases_million", "online_rate", "source"]]


def set_text(procedure_set: str, lang: str) -> str:
    """'21手続ベース', or a note that the source does not state its set."""
    if procedure_set == "other":
        return t("online.set_other", lang)
    return t("online.set_n", lang, n=procedure_set)


def set_periods(tot: pd.DataFrame, lang: str) -> list[str]:
    """One phrase per procedure set with the fiscal years that use it, in time order, for the
    caveat that rates across these years are not like for like."""
    groups = sorted(tot.groupby("procedure_set"), key=lambda kv: kv[1]["fiscal_year"].min())
    return [t("online.set_years", lang, years=year_span(g["fiscal_year"], lang), set=set_text(pset, lang))
            for pset, g in groups]


def fy_comparison(proc: pd.DataFrame, before: int = 2019, after: int = 2020) -> pd.DataFrame:
    """One row per procedure of the 58-procedure set: cases and rate in both years, change in pp.

    Procedures with zero (or no) cases in a year have no meaningful rate that year (``rate`` NaN):
    the published 0.0% there means "no applications", not "no online applications".
    """
    p = proc[(proc["procedure_set"] == "58") & proc["fiscal_year"].isin([before, after])].copy()
    p["rate"] = p["online_rate"].astype(float).where(p["annual_cases"].fillna(0) > 0)
    p["online_cases"] = (p["annual_cases"].astype(float) * p["online_rate"].astype(float) / 100).round(0)
    w = p.pivot_table(index=["group", "procedure_no"], columns="fiscal_year",
                      values=["annual_cases", "rate", "online_cases"], aggfunc="first", sort=False)
    w.columns = [f"{a}_{b}" for a, b in w.columns]
    w = w.reset_index()
    names = p[p["fiscal_year"] == after].set_index("procedure_no")["procedure"]
    w.insert(2, "procedure", w["procedure_no"].map(names))
    w[f"change_pp"] = (w[f"rate_{after}"] - w[f"rate_{before}"]).round(1)
    order = {g: i for i, g in enumerate(GROUP_LABELS)}
    w = w.sort_values(["group", "procedure_no"], key=lambda s: s.map(order) if s.name == "group" else s)
    return w.reset_index(drop=True)


def leaders(cmp: pd.DataFrame, year: int = 2020, n: int = 5) -> pd.DataFrame:
    return cmp.dropna(subset=[f"rate_{year}"]).nlargest(n, f"rate_{year}")


def laggards(cmp: pd.DataFrame, year: int = 2020, n: int = 5, min_cases: int = 1_000_000) -> pd.DataFrame:
    """Lowest online rates among procedures with at least ``min_cases`` applications (where it matters)."""
    big = cmp[cmp[f"annual_cases_{year}"].fillna(0) >= min_cases]
    return big.dropna(subset=[f"rate_{year}"]).nsmallest(n, f"rate_{year}")


def gains(cmp: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    return cmp.dropna(subset=["change_pp"]).nlargest(n, "change_pp")


def group_summary(cmp: pd.DataFrame, year: int = 2020) -> pd.DataFrame:
    """Per group: procedures, cases, case-weighted online rate, and how many sit below 1 %."""
    c = cmp.dropna(subset=[f"rate_{year}"])
    g = c.groupby("group", sort=False).agg(
        procedures=("procedure_no", "size"),
        cases=(f"annual_cases_{year}", "sum"),
        online_cases=(f"online_cases_{year}", "sum"),
        max_rate=(f"rate_{year}", "max"),
        below_1pct=(f"rate_{year}", lambda s: int((s < NEAR_ZERO_PCT).sum())),
    )
    g["weighted_rate"] = (100 * g["online_cases"].astype(float) / g["cases"].astype(float)).round(1)
    return g.reset_index()


def concentration(cmp: pd.DataFrame, year: int, n: int = 3) -> dict[str, object]:
    """Share of all online cases (cases × rate) that the top-``n`` procedures account for."""
    col = f"online_cases_{year}"
    c = cmp.dropna(subset=[col])
    top = c.nlargest(n, col)
    total = float(c[col].sum())
    return {"year": year, "top": list(top["procedure"]), "top_online_cases": float(top[col].sum()),
            "all_online_cases": total, "share_pct": round(100 * float(top[col].sum()) / total, 1)}


def findings(tot: pd.DataFrame, cmp: pd.DataFrame, groups: pd.DataFrame, conc: dict, lang: str,
             y1: int = 2019, y2: int = 2020) -> list[str]:
    """Sentences for the report; every number comes from the frames passed in."""
    first, last = tot.iloc[0], tot.iloc[-1]
    out = [t("online.f.latest", lang, year=int(last["fiscal_year"]), rate=fmt_pct(last["online_rate"]),
             set=set_text(last["procedure_set"], lang), first_year=int(first["fiscal_year"]),
             first_rate=fmt_pct(first["online_rate"]), first_set=set_text(first["procedure_set"], lang),
             pp=fmt_pp(float(last["online_rate"]) - float(first["online_rate"])))]
    lead = leaders(cmp, y2, 1).iloc[0]
    out.append(t("online.f.leader", lang, year=y2, procedure=lead["procedure"], rate=fmt_pct(lead[f"rate_{y2}"])))
    g = gains(cmp, 1).iloc[0]
    out.append(t("online.f.gain", lang, procedure=g["procedure"], y1=y1, y2=y2, r1=fmt_pct(g[f"rate_{y1}"]),
                 r2=fmt_pct(g[f"rate_{y2}"]), pp=fmt_pp(g["change_pp"])))
    life = groups[groups["group"] != "a"]
    out.append(t("online.f.lifeevents", lang, n=int(life["procedures"].sum()), below=int(life["below_1pct"].sum()),
                 year=y2))
    out.append(t("online.f.concentration", lang, year=conc["year"], share=fmt_pct(conc["share_pct"]),
                 top=join_items(conc["top"], lang)))
    return out
