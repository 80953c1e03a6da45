"""reports/data_audit.md: every published figure that disagrees with itself or with the dashboard."""

from __future__ import annotations

from pathlib import Path

from helpers.loaders import data
from helpers.words import citations
from helpers.reporting.report import Report

TEXT_PREFIX = "audit.report."  # its phrases: helpers.words.catalog.audit_report


def build_audit_report(lang: str = "ja", dashboard_dir: Path | None = None) -> Report:
    """The audit in one language: flagged rows, corrections, cross-source checks, dashboard check."""
    import pandas as pd

    from helpers.analysis import reconcile
    from helpers.words import reconcile as reconcile_words
    from helpers.words.formats import date_label
    from helpers.words.i18n import column_label, era_fiscal_year, t, tier_label

    from helpers.loaders.params import default_dashboard_dir

    dashboard_dir = dashboard_dir or default_dashboard_dir()
    from helpers.words.i18n import TEXT

    tx = {k.removeprefix(TEXT_PREFIX): v[lang] for k, v in TEXT.items() if k.startswith(TEXT_PREFIX)}
    ind_all = data.load_indicators(include_superseded=True)
    ind, bd, tot = ind_all[ind_all["status"] != "superseded"], data.load_breakdowns(), data.load_online_totals()
    a_ind, a_bd, a_tot = data.audit(ind), data.audit(bd), data.audit_online_totals(tot)
    rev = reconcile.load_revisions()
    cat = data.load_catalog()
    labels = dict(zip(cat["id"], cat[f"label_{lang}"]))
    r = Report(tx["title"], meta=tx["meta"], sources_heading=t("report.sources", lang), lang=lang)

    from helpers.loaders import dashboard_export

    from helpers.words import export as export_words

    if dashboard_dir:  # which export the dashboard check reads, and its date (every report says so)
        info = dashboard_export.current()
        r.paragraph(t("export.line", lang, update=export_words.update_phrase(lang, info),
                      how=t(f"dash.how.{info.how}", lang)))

    def cite(key: str) -> str:
        text = citations.source_citation(key, lang)
        if key == dashboard_export.KEY:  # the export read, with its own date
            text = export_words.citation(text, lang)
        return f"[{r.add_source(key, text)}]"

    def headers(cols) -> dict:
        return {c: tx.get(f"h.{c}") or column_label(c, lang) or c for c in cols}

    def readable(df: "pd.DataFrame", id_col: str) -> "pd.DataFrame":
        out = df.copy()
        out[id_col] = out[id_col].map(lambda v: labels.get(v, v))
        out["tier"] = out["tier"].map(lambda v: tier_label(v, lang) if v else "—")
        if "as_of" in out:
            assumed = out["as_of_assumed"] if "as_of_assumed" in out else [False] * len(out)
            out["as_of"] = [date_label(d, a, lang) for d, a in zip(out["as_of"], assumed)]
        for c in ("source", "source_a", "source_b"):
            if c in out:
                out[c] = out[c].map(cite)
        return out

    r.paragraph(tx["intro"] + ("" if lang == "ja" else " ") + t("date.assumed_note", lang))
    r.heading(tx["summary"]).bullets([
        tx["rows"].format(file="indicators.csv", rows=f"{len(ind):,}", flags=len(a_ind)),
        tx["rows"].format(file="breakdowns.csv", rows=f"{len(bd):,}", flags=len(a_bd)),
        tx["rows"].format(file="online_totals.csv", rows=f"{len(tot):,}", flags=len(a_tot)),
    ])
    for key, frame, id_col in (("indicators", a_ind, "indicator"), ("breakdowns", a_bd, "breakdown")):
        r.heading(tx[key])
        if frame.empty:
            r.paragraph(tx["none"])
            continue
        view = frame.assign(explanation=[citations.audit_explanation(x, lang) for x in frame.to_dict("records")],
                            as_of_assumed=frame["as_of"].map(lambda d: False))
        if id_col == "indicator":
            view["as_of_assumed"] = [bool(ind.loc[(ind["indicator"] == x.indicator) & (ind["tier"] == x.tier)
                                                  & (ind["as_of"] == x.as_of), "as_of_assumed"].any())
                                     for x in frame.itertuples()]
        if id_col == "breakdown" and lang == "en":
            view["category"] = frame["category_en"] if "category_en" in frame else view["category"]
        cols = [id_col, *(["category"] if id_col == "breakdown" else []), "tier", "as_of", "count", "base",
                "percent", "recomputed_percent", "explanation", "source"]
        view = readable(view, id_col)[cols]
        r.table(view, headers=headers(cols), percent=["percent", "recomputed_percent"])
    r.heading(tx["totals"])
    if len(a_tot):
        r.table(a_tot.assign(source=a_tot["source"].map(cite)).drop(columns="section"),
                headers=headers(a_tot.columns), percent=["online_rate", "recomputed_rate"])
    else:
        r.paragraph(tx["none"])

    dups = data.audit_online_duplicates(data.load_online_procedures())
    if len(dups):
        r.heading(tx["dups"]).bullets([
            tx["dups_line"].format(fy=int(d["fiscal_year"]), procedure=d["procedure"] if lang == "ja" else d["procedure_en"],
                                   cases="—" if pd.isna(d["annual_cases"]) else f"{int(d['annual_cases']):,}",
                                   rate="—" if pd.isna(d["online_rate"]) else f"{d['online_rate']:g}%",
                                   source=cite(d["source"]), kept=cite(d["duplicate_of"]))
            for d in dups.to_dict("records")])

    r.heading(tx["revisions"]).paragraph(tx["revisions_intro"])
    status = reconcile_words.revision_verdicts(reconcile.revision_status(ind_all, rev), lang)
    status = status.assign(edition=status["edition"].map(lambda fy: tx["edition_label"].format(era=era_fiscal_year(fy), fy=fy)),
                           corrected_on=status["corrected_on"].map(lambda d: date_label(d, False, lang)))
    cols = ["edition", "indicator", "tier", "value_before", "value_after", "corrected_on", "current_value", "verdict", "source"]
    r.table(readable(status, "indicator")[cols], headers=headers(cols))

    r.heading(tx["cross"]).paragraph(tx["cross_intro"])
    cross = reconcile_words.pair_verdicts(reconcile.cross_source(ind_all, rev), lang)
    cols = ["indicator", "tier", "as_of", "source_a", "value_a", "source_b", "value_b", "verdict", "detail"]
    r.table(readable(cross, "indicator")[cols], headers=headers(cols))

    r.heading(tx["repro"])
    from helpers.analysis import entity_stats
    from helpers.loaders import dashboard_export, entity
    from helpers.words import export as export_words

    if dashboard_dir and not dashboard_export.same_survey():  # an export of another survey: not compared, said so
        r.paragraph(export_words.not_compared(lang))
    elif dashboard_dir:
        rep = entity_stats.reproduction(entity.load_export(dashboard_dir), ind)
        r.paragraph(tx["repro_note"])
        cite("digital_agency_dashboard")
        rep = rep.assign(indicator=rep["indicator"].map(lambda v: labels.get(v, v)),
                         tier=rep["tier"].map(lambda v: tier_label(v, lang)),
                         source=rep["source"].map(cite))
        r.table(rep, headers=headers(rep.columns), percent=["dashboard_rate", "published_percent"])
    else:
        r.paragraph(tx["no_dash"])
    return r
