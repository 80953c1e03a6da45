"""The online-usage report's sentences, captions and reader tables, from the frames of
:mod:`helpers.analysis.online` (phrases in :mod:`helpers.words.catalog.online`).

The analysis layer hands over ids (fiscal years, series, procedure numbers, groups) and numbers;
this module names them in the report's language: 「2020年度」/'FY2020', the series, the groups, the
procedures, and the documented reason (``data/series_breaks.csv``) for every pair of years that
crosses a series break.
"""

from __future__ import annotations

import unicodedata
from typing import Iterable

import pandas as pd

from helpers.analysis import online
from helpers.loaders import series as ser
from helpers.words.formats import break_reasons, fmt_pct, fmt_pp, join_items, year_span
from helpers.words.i18n import TEXT, column_label, t


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


# --------------------------------------------------------------------------------- reasons for breaks

def with_reasons(pairs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`helpers.analysis.online.comparisons` with, for each pair, how it is read: within one
    series (``kind`` empty) or the documented break (``kind``, ``what``, ``break_source``), and the
    ``comparison`` text the report's table shows. An undocumented break raises
    (:func:`helpers.loaders.series.explain`)."""
    crossed = pairs[pairs["prev_series"] != pairs["series"]].rename(
        columns={"prev_series": "from_series", "series": "to_series"})
    why = break_reasons(ser.explain(crossed, "online_totals", id_col=None), lang)
    why = why.set_index(["prev_fiscal_year", "fiscal_year"])
    rows = []
    for r in pairs.to_dict("records"):
        key = (r["prev_fiscal_year"], r["fiscal_year"])
        if key in why.index:
            h = why.loc[key]
            rows.append({**r, "kind": h["kind"], "what": h["what"], "break_source": h["break_source"],
                         "comparison": not_comparable(h["kind"], lang)})
        else:
            rows.append({**r, "kind": None, "what": None, "break_source": None,
                         "comparison": t("online.same_series", lang, series=series_label(r["series"], lang))})
    cols = ["prev_fiscal_year", "fiscal_year", "prev_online_rate", "online_rate", "change_pp", "series", "kind",
            "what", "break_source", "comparison"]
    return pd.DataFrame(rows, columns=cols)


def procedure_breaks(rates: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per procedure, consecutive years on two sides of a documented break, with the reason."""
    return break_reasons(ser.explain(online.procedure_crossings(rates), "online_procedures", id_col=None), lang)


# --------------------------------------------------------------------------------- reader tables

def totals_view(tots: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    v = tots.assign(fiscal_year=tots["fiscal_year"].map(lambda y: fy(y, lang)),
                    series=tots["series"].map(lambda s: series_label(s, lang)))
    v = v[["fiscal_year", "series", "total_cases", "online_cases", "online_rate", "source"]]
    return for_report(v, lang, percent=["online_rate"])


def pairs_view(pairs: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """The consecutive-year table as the report shows it (years as 「2019年度」/'FY2019'); ``pairs``
    from :func:`with_reasons`."""
    v = pairs.assign(prev_fiscal_year=pairs["prev_fiscal_year"].map(lambda y: fy(y, lang)),
                     fiscal_year=pairs["fiscal_year"].map(lambda y: fy(y, lang)))
    v = v[["prev_fiscal_year", "fiscal_year", "prev_online_rate", "online_rate", "change_pp", "comparison"]]
    return for_report(v, lang, percent=["prev_online_rate", "online_rate"])


def procedures_view(df: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """Leaders / laggards: name in the report language, group, cases, rate."""
    v = pd.DataFrame({"procedure": [procedure_name(r, lang) for r in df.to_dict("records")],
                      "group": df["group"].map(lambda g: group_label(g, lang)).to_numpy(),
                      "annual_cases": df["annual_cases"].astype("Int64").to_numpy(),
                      "rate": df["rate"].to_numpy()})
    return for_report(v, lang, percent=["rate"])


def side_by_side_view(pairs: pd.DataFrame, y1: int, y2: int, lang: str) -> tuple[pd.DataFrame, dict]:
    """:func:`helpers.analysis.online.side_by_side` for readers: headers name each year's counting
    method; the change column only where some procedure has one (none across a method break)."""
    s1, s2 = pairs["series_1"].iloc[0], pairs["series_2"].iloc[0]
    cases1 = t("online.col.cases_fy", lang, fy=fy(y1, lang))
    cases2 = t("online.col.cases_fy", lang, fy=fy(y2, lang))
    rate1 = t("online.col.rate_fy", lang, fy=fy(y1, lang), method=t(f"online.method.{s1}", lang))
    rate2 = t("online.col.rate_fy", lang, fy=fy(y2, lang), method=t(f"online.method.{s2}", lang))
    view = pd.DataFrame({
        "procedure": [procedure_name(r, lang) for r in pairs.to_dict("records")],
        cases1: pairs["annual_cases_1"].to_numpy(), rate1: pairs["rate_1"].to_numpy(),
        cases2: pairs["annual_cases_2"].to_numpy(), rate2: pairs["rate_2"].to_numpy(),
    })
    if pairs["change_pp"].notna().any():
        view["change_pp"] = pairs["change_pp"].to_numpy()
    return view, {"percent": [rate1, rate2]}


def within_view(changes: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """Per-procedure changes within one series, years as labels."""
    v = pd.DataFrame({"procedure": [procedure_name(r, lang) for r in changes.to_dict("records")],
                      "series": changes["series"].map(lambda s: series_label(s, lang)).to_numpy(),
                      "prev_fiscal_year": changes["prev_fiscal_year"].map(lambda y: fy(y, lang)).to_numpy(),
                      "fiscal_year": changes["fiscal_year"].map(lambda y: fy(y, lang)).to_numpy(),
                      "prev_rate": changes["prev_rate"].to_numpy(), "rate": changes["rate"].to_numpy(),
                      "change_pp": changes["change_pp"].to_numpy()})
    return for_report(v, lang, percent=["prev_rate", "rate"])


def groups_view(groups: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """:func:`helpers.analysis.online.group_summary` with each group named."""
    v = groups.assign(group=groups["group"].map(lambda g: group_label(g, lang)))
    return for_report(v, lang, percent=["max_rate", "weighted_rate"])


# --------------------------------------------------------------------------------- findings and caveats

def _fmt_n(x: float) -> str:
    return f"{int(round(float(x))):,}"


def totals_findings(tots: pd.DataFrame, pairs: pd.DataFrame, year_df: pd.DataFrame, lang: str,
                    secondary: Iterable[str] = ()) -> list[str]:
    """The latest official year's rate (checked against its per-procedure table ``year_df`` when
    that is the same year), each method break, and the latest change within one series when every
    later pair crosses a break. ``pairs`` from :func:`with_reasons`; ``secondary`` names the sources
    that are secondary (their years are reported apart, :func:`secondary_findings`)."""
    secondary = set(secondary)
    out = []
    official = tots[~tots["source"].isin(secondary)]
    last = official.iloc[-1]
    y = int(last["fiscal_year"])
    table_year = year_df["fiscal_year"].iloc[0] if len(year_df) else None
    if table_year == y:
        rec = online.recomputed_rate(year_df)
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
    return out


def leader_findings(year_df: pd.DataFrame, lang: str) -> list[str]:
    """The procedure with the highest online rate in the year's table, with its case count."""
    if not len(year_df):
        return []
    lead = online.leaders(year_df, 1).iloc[0]
    return [t("online.f.leader", lang, fy=fy(int(year_df["fiscal_year"].iloc[0]), lang),
              procedure=procedure_name(lead, lang), rate=fmt_pct(lead["rate"]), cases=_fmt_n(lead["annual_cases"]))]


def group_findings(year_df: pd.DataFrame, lang: str, min_cases: int = 1_000_000) -> list[str]:
    """How concentrated online cases are, the life-event procedures below 1 %, and the large
    procedures (at least ``min_cases`` applications) below 1 %."""
    if not len(year_df):
        return []
    out = []
    yy = fy(int(year_df["fiscal_year"].iloc[0]), lang)
    conc = online.concentration(year_df)
    top = [procedure_name(r, lang) for r in conc["top"].to_dict("records")]
    out.append(t("online.f.concentration", lang, fy=yy, n=conc["procedures"], online=_fmt_n(conc["all_online_cases"]),
                 share=fmt_pct(conc["share_pct"]), top=join_items(top, lang)))
    life = year_df[year_df["group"].isin(online.LIFE_EVENTS)]
    with_cases = life.dropna(subset=["rate"])
    below = int((with_cases["rate"] < online.NEAR_ZERO_PCT).sum())
    key = "online.f.lifeevents_all" if below == len(with_cases) else "online.f.lifeevents"  # not "28 of the 28"
    out.append(t(key, lang, total=len(life), fy=yy, n=len(with_cases), below=below, zero=len(life) - len(with_cases)))
    big = year_df[year_df["annual_cases"].fillna(0) >= min_cases].dropna(subset=["rate"])
    out.append(t("online.f.big_low", lang, fy=yy, min_cases=f"{min_cases:,}", n=len(big),
                 below=int((big["rate"] < online.NEAR_ZERO_PCT).sum())))
    return out


def secondary_findings(tots: pd.DataFrame, lang: str, secondary: Iterable[str] = ()) -> list[str]:
    """Each year that only a secondary source gives, reported apart and never compared."""
    out = []
    for r in tots[tots["source"].isin(set(secondary))].to_dict("records"):
        out.append(t("online.f.secondary", lang, fy=fy(r["fiscal_year"], lang), rate=fmt_pct(r["online_rate"]),
                     cases=_fmt_n(r["total_cases"]) if pd.notna(r["total_cases"]) else "—",
                     online=_fmt_n(r["online_cases"]) if pd.notna(r["online_cases"]) else "—"))
    return out


def findings(tots: pd.DataFrame, pairs: pd.DataFrame, year_df: pd.DataFrame, lang: str,
             secondary: Iterable[str] = (), min_cases: int = 1_000_000) -> list[str]:
    """Sentences for the report, latest defensible facts first; every number from the frames given
    (``pairs`` from :func:`with_reasons`). The notebook says them step by step; this is all of them
    in the report's order."""
    secondary = set(secondary)
    return (totals_findings(tots, pairs, year_df, lang, secondary) + leader_findings(year_df, lang)
            + group_findings(year_df, lang, min_cases) + secondary_findings(tots, lang, secondary))


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
