"""Online use of administrative procedures: national totals by year and per-procedure rates.

The comparability rule (``helpers.loaders.series``) governs every change printed here. A *series* is one
procedure list and one counting method: the 21 promoted procedures (FY2016–FY2018), the 58 priority
procedures with online cases as counted (FY2019), the same 58 with online cases estimated
nationally (from FY2020), and a secondary source that states neither (FY2022). Changes are
computed only by :func:`helpers.loaders.series.changes`, so never across a break; a pair of years that
crosses one gets the documented reason (``data/series_breaks.csv``) instead of a number.
"""

from __future__ import annotations

import unicodedata
from typing import Iterable

import numpy as np
import pandas as pd

from helpers.loaders import series as ser
from helpers.words.formats import fmt_pct, fmt_pp, join_items, year_span
from helpers.words.i18n import TEXT, column_label, t

GROUPS = ["a", "child", "care", "disaster"]
LIFE_EVENTS = ["child", "care", "disaster"]
SERIES_ORDER = ["set21_counted", "set58_counted", "set58_estimated", "other_secondary"]
NEAR_ZERO_PCT = 1.0
SCOPE = "_scope"  # a constant key: the national totals are one group for helpers.loaders.series


# --------------------------------------------------------------------------------- labels

def fy(year: int, lang: str) -> str:
    """「2020年度」 / 'FY2020'."""
    return t("online.fy", lang, year=int(year))


def series_label(name: str, lang: str) -> str:
    return t(f"online.series.{ser.definition_of(name)}", lang)


def group_label(group: str, lang: str) -> str:
    return t(f"online.group.{group}", lang)


def break_label(kind: str, lang: str) -> str:
    return t(f"online.break.{kind}", lang)


def not_comparable(kind: str, lang: str) -> str:
    """「算出方法の変更のため比較できない」 / 'not comparable: counting method changed'."""
    return t("online.not_comparable", lang, reason=break_label(kind, lang))


def procedure_name(row: pd.Series | dict, lang: str) -> str:
    """The procedure's name in the report language (``procedure_en`` in English)."""
    return row["procedure"] if lang == "ja" else row["procedure_en"]


def set_text(procedure_set: str, lang: str) -> str:
    """'21手続ベース', or a note that the source does not state its set."""
    if procedure_set == "other":
        return t("online.set_other", lang)
    return t("online.set_n", lang, n=procedure_set)


def set_periods(tot: pd.DataFrame, lang: str) -> list[str]:
    """One phrase per procedure set with the fiscal years that use it, in time order."""
    groups = sorted(tot.groupby("procedure_set"), key=lambda kv: kv[1]["fiscal_year"].min())
    return [t("online.set_years", lang, years=year_span(g["fiscal_year"], lang), set=set_text(pset, lang))
            for pset, g in groups]


def for_report(df: pd.DataFrame, lang: str, percent: Iterable[str] = (), **values: object) -> tuple[pd.DataFrame, dict]:
    """The table with this theme's column ids turned into headers (``online.col.<id>``), and the
    ``percent`` option renamed to match. Ids the project's column list knows are left for the report."""
    names = {}
    for c in df.columns:
        key = f"online.col.{c}"
        if key in TEXT and column_label(str(c), lang) is None:
            names[c] = t(key, lang, **values)
    out = df.rename(columns=names)
    return out, {"percent": [names.get(c, c) for c in percent]}


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


def comparisons(tots: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every pair of consecutive fiscal years: the change within one series (from
    :func:`helpers.loaders.series.changes`), or the documented reason why the pair is not compared."""
    d = tots.assign(**{SCOPE: "national"})
    within = ser.changes(d, [SCOPE], "fiscal_year", "online_rate")
    crossed = ser.explain(ser.crossings(d, [SCOPE], "fiscal_year"), "online_totals", lang, id_col=None)
    prev = d.set_index("fiscal_year")["online_rate"]
    rows = []
    for r in within.to_dict("records"):
        rows.append({"prev_fiscal_year": int(r["prev_fiscal_year"]), "fiscal_year": int(r["fiscal_year"]),
                     "prev_online_rate": float(r["prev_online_rate"]), "online_rate": float(r["online_rate"]),
                     "change_pp": float(r["change"]), "series": r["series"], "kind": None, "what": None,
                     "break_source": None,
                     "comparison": t("online.same_series", lang, series=series_label(r["series"], lang))})
    for r in crossed.to_dict("records"):
        rows.append({"prev_fiscal_year": int(r["prev_fiscal_year"]), "fiscal_year": int(r["fiscal_year"]),
                     "prev_online_rate": float(prev[r["prev_fiscal_year"]]), "online_rate": float(r["online_rate"]),
                     "change_pp": np.nan, "series": r["to_series"], "kind": r["kind"], "what": r["what"],
                     "break_source": r["break_source"],
                     "comparison": not_comparable(r["kind"], lang)})
    cols = ["prev_fiscal_year", "fiscal_year", "prev_online_rate", "online_rate", "change_pp", "series", "kind",
            "what", "break_source", "comparison"]
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


def procedure_breaks(rates: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per procedure, consecutive years on two sides of a documented break, with the reason."""
    crossed = ser.crossings(rates, ["procedure_no"], "fiscal_year")
    return ser.explain(crossed, "online_procedures", lang, id_col=None)


def year_table(rates: pd.DataFrame, year: int, procedure_set: str = "58") -> pd.DataFrame:
    """The procedures of one fiscal year's table (one series), in published order."""
    y = rates[(rates["fiscal_year"] == year) & (rates["procedure_set"] == procedure_set)].copy()
    if y["series"].nunique() > 1:
        raise ValueError(f"FY{year}: more than one series in one table")
    order = {g: i for i, g in enumerate(GROUPS)}
    y["_g"] = y["group"].map(order)
    return y.sort_values(["_g", "procedure_no"], kind="stable").drop(columns="_g").reset_index(drop=True)


def side_by_side(rates: pd.DataFrame, y1: int, y2: int, lang: str, group: str | None = "a") -> tuple[pd.DataFrame, dict]:
    """Two years' cases and rates per procedure in one table, for reading side by side.

    Headers name each year's counting method; a change column is added only for procedures whose
    two years lie in one series (none across the FY2019/FY2020 method break)."""
    a, b = year_table(rates, y1), year_table(rates, y2)
    if group:
        a, b = a[a["group"] == group], b[b["group"] == group]
    w = b[["procedure_no", "procedure", "procedure_en", "series", "annual_cases", "rate"]].merge(
        a[["procedure_no", "series", "annual_cases", "rate"]], on="procedure_no", suffixes=("_2", "_1"))
    w = w.dropna(subset=["rate_1", "rate_2"], how="all")
    ch = procedure_changes(rates)
    ch = ch[(ch["fiscal_year"] == y2) & (ch["prev_fiscal_year"] == y1)].set_index("procedure_no")["change_pp"]
    s1, s2 = w["series_1"].iloc[0], w["series_2"].iloc[0]
    cases1 = t("online.col.cases_fy", lang, fy=fy(y1, lang))
    cases2 = t("online.col.cases_fy", lang, fy=fy(y2, lang))
    rate1 = t("online.col.rate_fy", lang, fy=fy(y1, lang), method=t(f"online.method.{s1}", lang))
    rate2 = t("online.col.rate_fy", lang, fy=fy(y2, lang), method=t(f"online.method.{s2}", lang))
    view = pd.DataFrame({
        "procedure": [procedure_name(r, lang) for r in w.to_dict("records")],
        cases1: w["annual_cases_1"].to_numpy(), rate1: w["rate_1"].to_numpy(),
        cases2: w["annual_cases_2"].to_numpy(), rate2: w["rate_2"].to_numpy(),
    })
    percent = [rate1, rate2]
    if ch.reindex(w["procedure_no"]).notna().any():
        view["change_pp"] = ch.reindex(w["procedure_no"]).to_numpy()
    return view, {"percent": percent}


def leaders(year_df: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    return year_df.dropna(subset=["rate"]).nlargest(n, "rate")


def laggards(year_df: pd.DataFrame, n: int = 5, min_cases: int = 1_000_000) -> pd.DataFrame:
    """Lowest online rates among procedures with at least ``min_cases`` applications (where it matters)."""
    big = year_df[year_df["annual_cases"].fillna(0) >= min_cases]
    return big.dropna(subset=["rate"]).nsmallest(n, "rate")


def group_summary(year_df: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Per group: procedures listed, with cases, cases, case-weighted online rate, how many below 1 %."""
    rows = []
    for g in GROUPS:
        s = year_df[year_df["group"] == g]
        if s.empty:
            continue
        c = s.dropna(subset=["rate"])
        cases = float(c["annual_cases"].astype(float).sum())
        online = float(c["online_cases"].sum())
        rows.append({"group": group_label(g, lang) if lang else g, "procedures": len(s),
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


# ----------------------------------------------------------------------------- report text

def _fmt_n(x: float) -> str:
    return f"{int(round(float(x))):,}"


def findings(tots: pd.DataFrame, pairs: pd.DataFrame, year_df: pd.DataFrame, lang: str,
             secondary: Iterable[str] = (), min_cases: int = 1_000_000) -> list[str]:
    """Sentences for the report, latest defensible facts first; every number from the frames given.

    ``secondary`` names the sources that are secondary (their years are reported apart and never
    compared)."""
    secondary = set(secondary)
    out = []
    official = tots[~tots["source"].isin(secondary)]
    last = official.iloc[-1]
    y = int(last["fiscal_year"])
    table_year = year_df["fiscal_year"].iloc[0] if len(year_df) else None
    if table_year == y:
        rec = recomputed_rate(year_df)
        out.append(t("online.f.latest", lang, fy=fy(y, lang), series=series_label(last["series"], lang),
                     rate=fmt_pct(last["online_rate"]), n=rec["procedures"], cases=_fmt_n(rec["cases"]),
                     recomputed=fmt_pct(rec["rate"])))
    else:
        out.append(t("online.f.latest_plain", lang, fy=fy(y, lang), series=series_label(last["series"], lang),
                     rate=fmt_pct(last["online_rate"])))
    method = pairs[pairs["kind"] == "method"]
    for r in method.to_dict("records"):
        out.append(t("online.f.method_break", lang, fy1=fy(r["prev_fiscal_year"], lang), fy2=fy(r["fiscal_year"], lang),
                     r1=fmt_pct(r["prev_online_rate"]), r2=fmt_pct(r["online_rate"]),
                     reason=not_comparable(r["kind"], lang), what=r["what"]))
    within = pairs.dropna(subset=["change_pp"])
    if len(within):
        w = within.iloc[-1]
        later = pairs[pairs["fiscal_year"] > w["fiscal_year"]]
        if len(later) and later["change_pp"].isna().all():
            items = join_items([t("online.f.break_item", lang, fy1=fy(r["prev_fiscal_year"], lang),
                                  fy2=fy(r["fiscal_year"], lang), reason=break_label(r["kind"], lang))
                                for r in later.to_dict("records")], lang)
            out.append(t("online.f.breaks", lang, fy=fy(w["fiscal_year"], lang), items=items,
                         fy1=fy(w["prev_fiscal_year"], lang), fy2=fy(w["fiscal_year"], lang),
                         r1=fmt_pct(w["prev_online_rate"]), r2=fmt_pct(w["online_rate"]), pp=fmt_pp(w["change_pp"]),
                         series=series_label(w["series"], lang)))
    if len(year_df):
        yy = fy(int(year_df["fiscal_year"].iloc[0]), lang)
        lead = leaders(year_df, 1).iloc[0]
        out.append(t("online.f.leader", lang, fy=yy, procedure=procedure_name(lead, lang), rate=fmt_pct(lead["rate"]),
                     cases=_fmt_n(lead["annual_cases"])))
        conc = concentration(year_df)
        top = [procedure_name(r, lang) for r in conc["top"].to_dict("records")]
        out.append(t("online.f.concentration", lang, fy=yy, n=conc["procedures"], online=_fmt_n(conc["all_online_cases"]),
                     share=fmt_pct(conc["share_pct"]), top=join_items(top, lang)))
        life = year_df[year_df["group"].isin(LIFE_EVENTS)]
        with_cases = life.dropna(subset=["rate"])
        below = int((with_cases["rate"] < NEAR_ZERO_PCT).sum())
        key = "online.f.lifeevents_all" if below == len(with_cases) else "online.f.lifeevents"  # not "28 of the 28"
        out.append(t(key, lang, total=len(life), fy=yy, n=len(with_cases), below=below, zero=len(life) - len(with_cases)))
        big = year_df[year_df["annual_cases"].fillna(0) >= min_cases].dropna(subset=["rate"])
        out.append(t("online.f.big_low", lang, fy=yy, min_cases=f"{min_cases:,}", n=len(big),
                     below=int((big["rate"] < NEAR_ZERO_PCT).sum())))
    for r in tots[tots["source"].isin(secondary)].to_dict("records"):
        out.append(t("online.f.secondary", lang, fy=fy(r["fiscal_year"], lang), rate=fmt_pct(r["online_rate"]),
                     cases=_fmt_n(r["total_cases"]) if pd.notna(r["total_cases"]) else "—",
                     online=_fmt_n(r["online_cases"]) if pd.notna(r["online_cases"]) else "—"))
    return out


def pairs_view(pairs: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """The consecutive-year table as the report shows it (years as 「2019年度」/'FY2019')."""
    v = pairs.assign(prev_fiscal_year=pairs["prev_fiscal_year"].map(lambda y: fy(y, lang)),
                     fiscal_year=pairs["fiscal_year"].map(lambda y: fy(y, lang)))
    v = v[["prev_fiscal_year", "fiscal_year", "prev_online_rate", "online_rate", "change_pp", "comparison"]]
    return for_report(v, lang, percent=["prev_online_rate", "online_rate"])


def totals_view(tots: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    v = tots.assign(fiscal_year=tots["fiscal_year"].map(lambda y: fy(y, lang)),
                    series=tots["series"].map(lambda s: series_label(s, lang)))
    v = v[["fiscal_year", "series", "total_cases", "online_cases", "online_rate", "source"]]
    return for_report(v, lang, percent=["online_rate"])


def procedures_view(df: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """Leaders / laggards: name in the report language, group, cases, rate."""
    v = pd.DataFrame({"procedure": [procedure_name(r, lang) for r in df.to_dict("records")],
                      "group": df["group"].map(lambda g: group_label(g, lang)).to_numpy(),
                      "annual_cases": df["annual_cases"].astype("Int64").to_numpy(),
                      "rate": df["rate"].to_numpy()})
    return for_report(v, lang, percent=["rate"])


def within_view(changes: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """Per-procedure changes within one series, years as labels."""
    v = pd.DataFrame({"procedure": [procedure_name(r, lang) for r in changes.to_dict("records")],
                      "series": changes["series"].map(lambda s: series_label(s, lang)).to_numpy(),
                      "prev_fiscal_year": changes["prev_fiscal_year"].map(lambda y: fy(y, lang)).to_numpy(),
                      "fiscal_year": changes["fiscal_year"].map(lambda y: fy(y, lang)).to_numpy(),
                      "prev_rate": changes["prev_rate"].to_numpy(), "rate": changes["rate"].to_numpy(),
                      "change_pp": changes["change_pp"].to_numpy()})
    return for_report(v, lang, percent=["prev_rate", "rate"])


def break_caveats(pairs: pd.DataFrame, lang: str, source_number) -> list[str]:
    """One caveat per documented break between consecutive years; ``source_number`` turns the
    break's source key into its number in the report's source list."""
    out = []
    for r in pairs.dropna(subset=["kind"]).to_dict("records"):
        pair = t("online.fy_pair", lang, fy1=fy(r["prev_fiscal_year"], lang), fy2=fy(r["fiscal_year"], lang))
        out.append(t("online.caveat.break", lang, pair=pair, what=r["what"], n=source_number(r["break_source"])))
    return out


def zero_caveat(year_df: pd.DataFrame, lang: str) -> str:
    """Which procedures are left out of the year's rate calculations and why."""
    zero = year_df[(year_df["annual_cases"] == 0).fillna(False)]
    not_run = year_df[year_df["annual_cases"].isna() & year_df["online_rate"].isna()]
    survey = join_items([procedure_name(r, lang) for r in not_run.to_dict("records")], lang) or "—"
    return t("online.caveat.zero", lang, fy=fy(int(year_df["fiscal_year"].iloc[0]), lang), n=len(zero), survey=survey)


# --------------------------------------------------------------------------- dashboard (FY2023 per entity)

def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", str(name)).replace("／", "/").strip()


def dashboard_procedure_label(name: str, proc: pd.DataFrame, lang: str) -> str:
    """A dashboard procedure name in the report language: English from ``procedure_en`` of the
    national table (names matched after width normalisation), else from the theme's wording."""
    if lang == "ja":
        return name
    en = dict(zip(proc["procedure"].map(_norm), proc["procedure_en"].astype(str)))
    if _norm(name) in en:
        return en[_norm(name)]
    key = f"online.proc.{name}"
    return t(key, lang) if key in TEXT else name


def mtype_label(mtype: str, lang: str) -> str:
    return t("online.dash.all", lang) if mtype == "all" else t(f"mtype.{mtype}", lang)


def by_type_view(by_type: pd.DataFrame, lang: str, k: int, g: int) -> tuple[pd.DataFrame, dict]:
    v = by_type.assign(municipality_type=by_type["municipality_type"].map(lambda m: mtype_label(m, lang)))
    return for_report(v, lang, percent=["pooled_rate", "mean_rate", "median_rate", "q1", "q3"], k=k, g=g)


def procedure_stats_view(stats: pd.DataFrame, proc: pd.DataFrame, lang: str, min_n: int) -> tuple[pd.DataFrame, dict]:
    v = stats.assign(procedure=stats["procedure"].map(lambda s: dashboard_procedure_label(s, proc, lang)),
                     group=stats["group"].map(lambda x: group_label(x, lang)))
    v = v[["procedure", "group", "listed", "reported", "no_rate", "zero_rate", "median", "q1", "q3", "small_n"]]
    return for_report(v, lang, percent=["median", "q1", "q3"], min_n=min_n)


def dashboard_findings(by_type: pd.DataFrame, per: pd.DataFrame, rates: pd.DataFrame, lang: str, date: str,
                       k: int) -> list[str]:
    """Sentences on the per-municipality data; each number with its base, from the frames given."""
    out = []
    a = by_type[by_type["municipality_type"] == "all"].iloc[0]
    left = [t(key, lang, n=f"{int(a[col]):,}") for key, col in (("online.f.ex_den0", "denominator_0"),
                                                                  ("online.f.ex_ns", "not_surveyed")) if a[col]]
    excluded = t("online.f.excluded", lang, items=join_items(left, lang)) if left else t("online.f.excluded_none", lang)
    out.append(t("online.f.dash32", lang, date=date, pooled=fmt_pct(a["pooled_rate"]), num=f"{int(a['online_sum']):,}",
                 den=f"{int(a['offered_sum']):,}", n=f"{int(a['n']):,}", mean=fmt_pct(a["mean_rate"]), excluded=excluded))
    small = per[per["small_denominator"]]
    if len(small):
        ends = [t("online.f.small_at", lang, n=n, value=f"{v}%")
                for v, n in ((100, int((small["share"] == 100).sum())), (0, int((small["share"] == 0).sum()))) if n]
        key = "online.f.dash_small" if ends else "online.f.dash_small_plain"
        out.append(t(key, lang, k=k, small=len(small), items=("、" if lang == "ja" else ", ").join(ends)))
    types = by_type[(by_type["municipality_type"] != "all") & ~by_type["small_group"]].dropna(subset=["pooled_rate"])
    if len(types) > 1:
        lo, hi = types.nsmallest(1, "pooled_rate").iloc[0], types.nlargest(1, "pooled_rate").iloc[0]
        name = (lambda m: mtype_label(m, lang)) if lang == "ja" else (lambda m: t(f"online.mtype_pl.{m}", lang))
        sentence = t("online.f.dash_type", lang, low_type=name(lo["municipality_type"]),
                     low=fmt_pct(lo["pooled_rate"]), low_n=f"{int(lo['n']):,}",
                     high_type=name(hi["municipality_type"]), high=fmt_pct(hi["pooled_rate"]),
                     high_n=f"{int(hi['n']):,}")
        if "code5" in per.columns and (per["municipality_type"] == "city").any():
            from helpers.analysis.entity_stats import online32_city_split

            split = online32_city_split(per).dropna(subset=["pooled_rate"])
            parts = [t("online.f.city_part", lang, type=t(f"muni.type.{r.type}", lang), rate=fmt_pct(r.pooled_rate),
                       n=f"{int(r.n):,}") for r in split.itertuples()]
            above = split[split["pooled_rate"] > hi["pooled_rate"]]
            key = "online.f.city_split_above" if len(above) else "online.f.city_split_holds"
            above_text = join_items([t(f"muni.type.{x}", lang) for x in above["type"]], lang)
            sentence += ("" if lang == "ja" else " ") + t(key, lang, parts=join_items(parts, lang), high_type=name(hi["municipality_type"]),
                                                         above=above_text, above_cap=above_text[:1].upper() + above_text[1:])
        out.append(sentence)
    ents = rates.drop_duplicates(["pref_code", "entity_seq"]).shape[0]
    procs = rates[["group", "procedure"]].drop_duplicates().shape[0]
    out.append(t("online.f.dash_blank", lang, cells=f"{len(rates):,}", entities=f"{ents:,}", procs=procs,
                 blank=f"{int(rates['rate'].isna().sum()):,}"))
    return out
