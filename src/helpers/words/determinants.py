"""The determinants report's sentences, reader tables and figure labels, from the frames of
:mod:`helpers.analysis.determinants` (phrases in :mod:`helpers.words.catalog.determinants`)."""


from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _t(key: str, lang: str, **values: object) -> str:
    from helpers.words.i18n import t

    return t(key, lang, **values)


def label(item: str, lang: str) -> str:
    """An indicator, measure or term in the report's language."""
    from helpers.words.municipal import ind_label
    from helpers.words.i18n import TEXT as ALL

    for prefix in ("det.ind.", "det.spec.", "det.term.", "det.test."):
        if f"{prefix}{item}" in ALL:
            return _t(f"{prefix}{item}", lang)
    return ind_label(item, lang)


def title_label(item: str, lang: str) -> str:
    text = label(item, lang)
    return text[:1].upper() + text[1:]


def p_text(p: float) -> str:
    """'0.003', '<0.001'."""
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def p_op(p: float) -> str:
    """'=0.003' or '<0.001' (after 'p')."""
    return "<0.001" if p < 0.001 else f"={p:.3f}"


def _pct(x: float) -> str:
    return f"{x:.1f}%"


def _interval(v: float, lo: float, hi: float, lang: str, digits: int = 2) -> str:
    from helpers.words.municipal import or_cell

    return or_cell(v, lo, hi, lang) if digits == 2 else _t("muni.fmt.or_cell", lang, value=f"{v:.{digits}f}",
                                                              lo=f"{lo:.{digits}f}", hi=f"{hi:.{digits}f}")


def _icc_text(row, lang: str) -> str:
    return _t("det.fmt.interval", lang, value=f"{row['icc']:.2f}", lo=f"{row['lo']:.2f}", hi=f"{row['hi']:.2f}")


def _icc_cell(row, lang: str) -> str:
    return _t("muni.fmt.or_cell", lang, value=f"{row['icc']:.2f}", lo=f"{row['lo']:.2f}", hi=f"{row['hi']:.2f}")


def _signed(v: float, lo: float, hi: float, lang: str, key: str = "det.fmt.signed") -> str:
    """An estimate that may be negative, with its interval ('～' / 'to', never a dash after a minus)."""
    return _t(key, lang, value=f"{v:.2f}", lo=f"{lo:.2f}", hi=f"{hi:.2f}")


def n_note(ns, lang: str) -> str:
    """The n of a figure: 「n＝1,740団体」, or the range over its indicators 「n＝1,732～1,740団体（指標による）」."""
    vals = sorted({int(v) for v in ns})
    if len(vals) == 1:
        return _t("muni.map.n", lang, n=f"{vals[0]:,}")
    return _t("det.note.n_range", lang, lo=f"{vals[0]:,}", hi=f"{vals[-1]:,}")


def with_n(note: str, ns, lang: str) -> str:
    """A figure note followed by its n."""
    return f"{note}{'' if lang == 'ja' else ' '}{n_note(ns, lang)}" if note else n_note(ns, lang)


# ------------------------------------------------------------------------------ report texts

def _finance_year() -> int:
    """The fiscal year of the finance settlement the models use (the latest vendored one)."""
    from helpers.loaders import finance

    return finance.YEARS[finance.LATEST][0]


def credits(dashboard: str, lang: str) -> dict[str, str]:
    """The source lines under the theme's figures, given the dashboard's line (``ThemeReport.cite``):
    ``dashboard`` alone (the LISA map), ``residents`` (dashboard and census: no finance in those
    figures) and ``all`` (dashboard, census and the finance indicators)."""
    census = _t("muni.credit.census", lang)
    return {"dashboard": dashboard,
            "residents": _t("det.source.residents", lang, dash=dashboard, census=census),
            "all": _t("det.source", lang, dash=dashboard, census=census, finance=_t("det.credit.finance", lang))}


def reference_dates(lang: str) -> dict[str, "pd.Timestamp"]:
    """The report's reference dates, each labelled with what it dates (census, finance settlement,
    survey) → the date that orders it."""
    import pandas as pd

    from helpers.analysis.determinants import census_date
    from helpers.words.i18n import date_text, era_fiscal_year

    from helpers.loaders import dashboard_export

    fy = _finance_year()
    survey = dashboard_export.current().survey_year  # the export's survey year, or not given
    dates = {_t("det.date.census", lang, date=date_text(census_date(), lang)): census_date(),
             _t("det.date.finance", lang, era=era_fiscal_year(fy), fy=fy): pd.Timestamp(fy + 1, 3, 31)}
    if survey is None:
        dates[_t("dash.survey_unknown", lang)] = pd.Timestamp.max
    else:
        dates[_t("det.date.survey", lang, fy=_t("date.fiscal_year", lang, fy=survey))] = pd.Timestamp(survey, 4, 1)
    return dates


def intro(wide: "pd.DataFrame", lang: str) -> str:
    """The report's first paragraph: the question, how many municipalities, the export's data update
    and the finance year."""
    from helpers.words.export import settlement_phrase, update_phrase
    from helpers.words.i18n import era_fiscal_year

    fy = _finance_year()
    return _t("det.text.intro", lang, n=f"{len(wide):,}", update=update_phrase(lang), era=era_fiscal_year(fy), fy=fy,
              latest=settlement_phrase(lang))


def sensitivity_text(lang: str) -> str:
    """What the sensitivity table varies (the other finance years by name)."""
    years = ("、" if lang == "ja" else ", ").join(label(spec, lang) for spec in ("fc_r2", "fc_r1"))
    return _t("det.text.sensitivity", lang, years=years)


def spatial_text(weights, lang: str) -> str:
    """How the spatial weights are built (boundaries' date, islands linked to their nearest
    municipality, municipalities without a polygon) and how the tests are run."""
    from helpers.analysis.determinants import PERMUTATIONS
    from helpers.analysis.municipal import boundaries_date
    from helpers.words.i18n import date_text

    return _t("det.text.spatial", lang, date=date_text(boundaries_date(), lang), islands=len(weights.islands),
              no_polygon=len(weights.no_polygon), perms=f"{PERMUTATIONS:,}")


def lisa_texts(local: "pd.DataFrame", lang: str) -> tuple[str, str]:
    """The report's paragraph on the local clusters and the map's note, each with how many
    municipalities survive a false-discovery-rate cut."""
    from helpers.analysis.determinants import LISA_ALPHA, PERMUTATIONS

    fdr = int(local["fdr"].sum())
    return (_t("det.text.lisa", lang, alpha=LISA_ALPHA, fdr=fdr),
            _t("det.note.lisa", lang, alpha=LISA_ALPHA, perms=f"{PERMUTATIONS:,}", fdr=fdr))


# ------------------------------------------------------------------------------ findings

def residents_findings(national: "pd.DataFrame", by_pref: "pd.DataFrame", lang: str,
                       items: tuple[str, ...] = ("ai", "rpa", "dx_policy")) -> list[str]:
    from helpers.words.municipal import pref_label

    out = []
    nat = national.set_index("indicator")
    for ind in items:
        r = nat.loc[ind]
        out.append(_t("det.f.residents", lang, name=label(ind, lang), munis=_pct(r["share_munis"]),
                      residents=_pct(r["share_residents"]), n=f"{int(r['n']):,}"))
    p = by_pref[by_pref["indicator"] == "ai"].sort_values("gap", ascending=False).iloc[0]
    out.append(_t("det.f.residents_pref", lang, name=label("ai", lang), pref=pref_label(p["group"], p["pref_name"], lang),
                  munis=_pct(p["share_munis"]), residents=_pct(p["share_residents"])))
    return out


def fiscal_findings(models: "pd.DataFrame", online: "pd.DataFrame", lang: str) -> list[str]:
    """The fiscal-capacity findings: the Holm-adjusted verdict over the family of indicators and,
    when nothing survives it, the indicators whose unadjusted interval excludes 1 (so that the
    sentence never contradicts the table beside it)."""
    from helpers.words.municipal import join, or_text

    k = len(models)
    sig = models[models["p_holm"] < 0.05]
    if len(sig):
        items = join([f"{label(r.indicator, lang)} {or_text(r.odds_ratio, r.lo, r.hi, lang)}" for r in sig.itertuples()], lang)
        out = [_t("det.f.fiscal_some", lang, items=items, k=k)]
    else:
        out = [_t("det.f.fiscal_none", lang, pmin=f"{models['p_holm'].min():.2f}", k=k)]
        raw = models[(models["lo"] > 1) | (models["hi"] < 1)]
        if len(raw):
            parts = [_t("det.f.fiscal_lower" if r.odds_ratio < 1 else "det.f.fiscal_higher", lang,
                        name=label(r.indicator, lang), value=f"{r.odds_ratio:.2f}", lo=f"{r.lo:.2f}", hi=f"{r.hi:.2f}")
                     for r in raw.itertuples()]
            out[0] += ("" if lang == "ja" else " ") + _t("det.f.fiscal_unadjusted", lang, items=join(parts, lang))
    r = online.set_index("term").loc["fc10"]
    coef = _signed(r["coef"], r["lo"], r["hi"], lang, "det.fmt.signed_ci")
    out.append(_t("det.f.online", lang, coef=coef, n=f"{int(r['n']):,}"))
    return out


def prefecture_findings(r2: "pd.DataFrame", iccs: "pd.DataFrame", lang: str) -> list[str]:
    from helpers.words.municipal import join

    r = r2.iloc[0]
    out = [_t("det.f.r2", lang, r2a=f"{r['r2_size_type']:.2f}", r2b=f"{r['r2_with_prefecture']:.2f}",
              p=p_op(r["p_value"]), n=f"{int(r['n']):,}")]
    on = iccs[iccs["outcome"] == "online32_share"].set_index("covariates")
    out.append(_t("det.f.icc", lang, raw=_icc_text(on.loc[False], lang), adj=_icc_text(on.loc[True], lang)))
    adj = iccs[(iccs["outcome"] != "online32_share") & iccs["covariates"]]
    items = [f"{label(r['outcome'], lang)} {_icc_cell(r, lang)}" for _, r in adj.iterrows()]
    out.append(_t("det.f.icc_binary", lang, items=join(items, lang)))
    return out


def spatial_findings(raw: "pd.DataFrame", resid: "pd.DataFrame", local: "pd.DataFrame", lang: str) -> list[str]:
    from helpers.words.municipal import join

    m = raw.set_index("measure")
    rs = resid.set_index("measure")
    out = [_t("det.f.moran", lang, raw=f"{m.loc['online32_share', 'I']:.2f}", p_raw=p_op(m.loc["online32_share", "p_sim"]),
              res=f"{rs.loc['online32_share', 'I']:.2f}", p_res=p_op(rs.loc["online32_share", "p_sim"]))]
    jc = raw[raw["test"] == "join_count"]
    sig_res = resid[(resid["p_holm"] < 0.05) & (resid["measure"] != "online32_share")]
    ai = m.loc["ai"]
    out.append(_t("det.f.joins", lang, n_sig=int((jc["p_holm"] < 0.05).sum()), k=len(jc), bb=f"{int(ai['bb']):,}",
                  exp=f"{ai['expected_bb']:,.0f}",
                  res_items=join([label(i, lang) for i in sig_res["measure"]], lang) or _t("det.f.none", lang)))
    counts = local["cluster"].value_counts()
    out.append(_t("det.f.lisa", lang, **{k.lower(): int(counts.get(k, 0)) for k in ("HH", "LL", "HL", "LH")}))
    return out


def neighbour_findings(models: "pd.DataFrame", lang: str) -> list[str]:
    """One finding for the family of neighbour terms: the indicators that survive Holm adjustment,
    or that none does (with the smallest adjusted p) — never an unadjusted interval as a finding."""
    from helpers.words.municipal import join, or_text

    k = len(models)
    sig = models[models["p_holm"] < 0.05]
    if not len(sig):
        return [_t("det.f.neighbours_none", lang, k=k, pmin=p_text(models["p_holm"].min()))]
    items = join([f"{label(r.indicator, lang)} {or_text(r.odds_ratio, r.lo, r.hi, lang)}" for r in sig.itertuples()], lang)
    return [_t("det.f.neighbours_some", lang, k=k, items=items)]


# ------------------------------------------------------------------------------ reader tables

def _frame(rows: list[dict], lang: str) -> "pd.DataFrame":
    import pandas as pd

    out = pd.DataFrame(rows)
    out.columns = [_t(f"det.col.{c}", lang) for c in out.columns]
    return out


def residents_table(table: "pd.DataFrame", lang: str, by: str | None = None) -> "pd.DataFrame":
    """Indicator (× group) rows: municipal share with interval, resident share, n."""
    from helpers.words.municipal import group_label, pref_label

    rows = []
    for r in table.itertuples():
        row = {}
        if by == "type":
            row["group"] = group_label("type", r.group, lang)
        elif by == "pref_code":
            row["group"] = pref_label(r.group, r.pref_name, lang)
        row.update({"indicator": title_label(r.indicator, lang),
                    "munis": _t("muni.fmt.cell", lang, rate=f"{r.share_munis:.1f}", lo=f"{r.lo:.1f}", hi=f"{r.hi:.1f}"),
                    "residents": _pct(r.share_residents), "n": f"{r.n:,}"})
        rows.append(row)
    return _frame(rows, lang)


def residents_pref_table(by_pref: "pd.DataFrame", lang: str,
                         items: tuple[str, ...] = ("ai", "rpa", "telework", "dx_policy")) -> "pd.DataFrame":
    """One row per prefecture: for each indicator the share of municipalities and of residents
    (plain shares: the intervals are in the national and type tables), and n."""
    import pandas as pd

    from helpers.words.municipal import pref_label

    rows = []
    sel = by_pref[by_pref["indicator"].isin(items)]
    for code, g in sel.groupby("group", sort=True):
        g = g.set_index("indicator")
        row = {_t("det.col.pref", lang): pref_label(code, g["pref_name"].iloc[0], lang)}
        for ind in items:
            if ind in g.index:
                row[_t("det.col.pair", lang, name=title_label(ind, lang))] = (
                    f"{_pct(g.loc[ind, 'share_munis'])}{'／' if lang == 'ja' else ' / '}{_pct(g.loc[ind, 'share_residents'])}")
        ns = sorted({int(v) for v in g["n"]})
        row[_t("det.col.n_pref", lang)] = "–".join(f"{v:,}" for v in (ns[0], ns[-1])) if len(ns) > 1 else f"{ns[0]:,}"
        rows.append(row)
    return pd.DataFrame(rows)


def fiscal_table(models: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = [{"indicator": title_label(r.indicator, lang), "or_fc": _interval(r.odds_ratio, r.lo, r.hi, lang),
             "ame": _signed(r.ame_pp, r.ame_lo, r.ame_hi, lang), "p_holm": p_text(r.p_holm),
             "or_size": _interval(r.size_or, r.size_lo, r.size_hi, lang), "n": f"{r.n:,}"} for r in models.itertuples()]
    return _frame(rows, lang)


def sensitivity_table(sens: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    import pandas as pd

    cells = sens.assign(cell=[_interval(r.odds_ratio, r.lo, r.hi, lang) for r in sens.itertuples()])
    wide = cells.pivot(index="indicator", columns="spec", values="cell")
    wide = wide.loc[list(dict.fromkeys(sens["indicator"])), list(dict.fromkeys(sens["spec"]))]
    sd = sens.drop_duplicates("spec").set_index("spec")["sd"]
    wide.columns = [f"{label(s, lang)} (SD {sd[s]:.2f})" if lang == "en" else f"{label(s, lang)}（標準偏差 {sd[s]:.2f}）"
                    for s in wide.columns]
    wide.index = [title_label(i, lang) for i in wide.index]
    out = wide.reset_index().rename(columns={"index": _t("det.col.indicator", lang)})
    return pd.DataFrame(out)


def online_table(online: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = [{"term": label(r.term, lang), "coef": _signed(r.coef, r.lo, r.hi, lang), "p": p_text(r.p_value),
             "n": f"{r.n:,}"} for r in online.itertuples()]
    return _frame(rows, lang)


def icc_reader_table(iccs: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = []
    for outcome, g in iccs.groupby("outcome", sort=False):
        g = g.set_index("covariates")
        rows.append({"indicator": title_label(outcome, lang), "icc_raw": _icc_cell(g.loc[False], lang),
                     "icc_adj": _icc_cell(g.loc[True], lang), "n": f"{int(g.loc[False, 'n']):,} / {int(g.loc[True, 'n']):,}"})
    return _frame(rows, lang)


def r2_table(r2: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = [{"indicator": title_label(r.outcome, lang), "r2a": f"{r.r2_size_type:.2f}", "r2b": f"{r.r2_with_prefecture:.2f}",
             "f": f"{r.f:.2f}（{r.df}, {r.df_resid:,}）" if lang == "ja" else f"{r.f:.2f} ({r.df}, {r.df_resid:,})", "p": p_text(r.p_value), "n": f"{r.n:,}"} for r in r2.itertuples()]
    return _frame(rows, lang)


def spatial_table(tests: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = []
    for r in tests.itertuples():
        if r.test == "join_count":
            stat = f"{r.bb:,.0f} ({r.expected_bb:,.0f})"
        else:
            stat = f"{r.I:.3f} ({r.expected:.3f})"
        rows.append({"indicator": title_label(r.measure, lang), "test": label(r.test, lang), "stat": stat,
                     "p_sim": p_text(r.p_sim), "p_holm": p_text(r.p_holm), "n": f"{r.n:,}"})
    return _frame(rows, lang)


def weights_table(sens: "pd.DataFrame", k: int, lang: str) -> "pd.DataFrame":
    rows = [{"weights": _t("det.weights.contiguity", lang) if r.weights == "contiguity" else _t("det.weights.knn", lang, k=k),
             "series": _t(f"det.series.{r.series}", lang), "moran": f"{r.I:.3f} ({r.expected:.3f})",
             "p_sim": p_text(r.p_sim), "n": f"{r.n:,}"} for r in sens.itertuples()]
    return _frame(rows, lang)


def weights_finding(sens: "pd.DataFrame", k: int, lang: str) -> str:
    v = sens.set_index(["weights", "series"])["I"]
    alt = f"knn{k}"
    return _t("det.f.weights", lang, k=k, raw=f"{v[(alt, 'raw')]:.2f}", raw0=f"{v[('contiguity', 'raw')]:.2f}",
              res=f"{v[(alt, 'residual')]:.2f}", res0=f"{v[('contiguity', 'residual')]:.2f}")


def neighbour_table(models: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = [{"indicator": title_label(r.indicator, lang), "or_nb": _interval(r.odds_ratio, r.lo, r.hi, lang),
             "p_holm": p_text(r.p_holm), "or_fc_nb": _interval(r.fiscal_or, r.fiscal_lo, r.fiscal_hi, lang),
             "n": f"{r.n:,}"} for r in models.itertuples()]
    return _frame(rows, lang)


# ------------------------------------------------------------------------------ caveats

def caveats(d: "pd.DataFrame", wide: "pd.DataFrame", weights, local: "pd.DataFrame", lang: str) -> list[str]:
    """The theme's caveats, each with its numbers from the frames."""
    from helpers.analysis.determinants import KNN_K, LISA_ALPHA, PERMUTATIONS
    from helpers.loaders import dashboard_export
    from helpers.words.export import survey_phrase
    from helpers.words.i18n import era_fiscal_year

    fy = _finance_year()
    era = era_fiscal_year(fy)
    survey = dashboard_export.current().survey_year
    if survey is None:
        years = _t("det.c.years_unknown", lang, era=era, fy=fy)
    else:  # the survey's reference dates are known for the registered survey only
        when = _t("det.survey_when_dated" if dashboard_export.same_survey() else "det.survey_when", lang,
                  era=era_fiscal_year(survey), fy=survey)
        years = _t("det.c.years", lang, era=era, fy=fy, survey=when)
    names = dict(zip(wide["code5"], wide["name"]))
    gone = [f"{names.get(c, '')} ({c})" for c in weights.no_polygon]
    wards = int(d["ward"].sum())
    n_dash = int((wide["future_burden_status"] == "at_or_below_zero").sum())
    no_pop = int(wide["population_2020"].isna().sum())
    return [
        _t("det.c.cross_section", lang, survey=survey_phrase(lang, key="dash.survey_one")),
        years,
        _t("det.c.wards", lang, wards=wards),
        _t("det.c.future_burden", lang, year=fy, n=f"{n_dash:,}"),
        _t("det.c.weights", lang, islands=len(weights.islands), k=KNN_K),
        _t("det.c.maup", lang),
        _t("det.c.lisa", lang, n=f"{len(local):,}", alpha=LISA_ALPHA, fdr=int(local["fdr"].sum())),
        _t("det.c.neighbours", lang),
        _t("det.c.lpm", lang),
        _t("det.c.excluded", lang, no_pop=no_pop, no_polygon=len(weights.no_polygon), codes=("、" if lang == "ja" else ", ").join(gone)),
        _t("det.c.perms", lang, perms=PERMUTATIONS, pmin=f"{1 / (PERMUTATIONS + 1):.3f}"),
    ]
