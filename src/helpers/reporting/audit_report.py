"""reports/data_audit.md: every published figure that disagrees with itself or with the dashboard."""

from __future__ import annotations

from pathlib import Path

from helpers.loaders import data
from helpers.words import citations
from helpers.reporting.report import Report

TEXT = {
    "title": {"ja": "データ監査：公表値の整合性", "en": "Data audit: consistency of published figures"},
    "meta": {"ja": "転記データの全行を再計算（転記値は変更しない）", "en": "Every row of data/national recomputed (transcribed values are never changed)"},
    "intro": {"ja": "公表された割合を 件数／母数 から再計算し、公表の桁の半分（最低0.05ポイント）を超えて異なる行、"
                    "団体数が調査対象数を超える行、同じ数値を資料が異なって示す行を挙げる。説明は自動判定で、"
                    "別の母数（回答団体のみ等）で再現できるかを試した結果である。",
              "en": "Published percentages are recomputed as count / base. Listed: rows that differ by more than half "
                    "a unit of the published precision (at least 0.05 pp), counts above the survey population, and "
                    "figures that two sources state differently. Explanations are computed by trying other bases "
                    "(e.g. respondents only)."},
    "summary": {"ja": "集計", "en": "Summary"},
    "indicators": {"ja": "指標（`indicators.csv`）", "en": "Indicators (`indicators.csv`)"},
    "breakdowns": {"ja": "内訳（`breakdowns.csv`）", "en": "Breakdowns (`breakdowns.csv`)"},
    "totals": {"ja": "オンライン利用の総計（`online_totals.csv`）", "en": "Online totals (`online_totals.csv`)"},
    "none": {"ja": "指摘なし。", "en": "No flags."},
    "dups": {"ja": "二つの資料が示す同じ手続の数値（`online_procedures.csv`）", "en": "One procedure's figures quoted by two sources (`online_procedures.csv`)"},
    "dups_line": {"ja": "{fy}年度の「{procedure}」（{cases}件、{rate}）は{source}と{kept}に同じ値で載る。"
                        "合計には{kept}の行だけを使い、{source}の行は出典の記録として残す（`online_procedures_duplicates.csv`）。",
                  "en": "FY{fy} \u201c{procedure}\u201d ({cases} cases, {rate}) appears with the same figures in both {source} and {kept}. "
                        "Sums use the row of {kept} only; the row of {source} is kept as a record of its source "
                        "(`online_procedures_duplicates.csv`)."},
    "rows": {"ja": "`{file}`：{rows}行を検査、{flags}件の指摘。", "en": "`{file}`: {rows} rows checked, {flags} flagged."},
    "repro": {"ja": "再現チェック：団体別データ（ダッシュボード）と公表値", "en": "Reproduction check: dashboard totals over municipalities and prefectures vs published figures"},
    "repro_note": {"ja": "ダッシュボードの母数は調査された団体（調査無しの団体を除く。表の母数欄）。差は隠さず示す。",
                   "en": "The dashboard base is the entities surveyed (those marked not surveyed are excluded; see the base column). Differences are shown, not hidden."},
    "no_dash": {"ja": "団体別データは指定されていない（--dashboard-dir で指定すると再現チェックを加える）。",
                "en": "No dashboard data by municipality given (pass --dashboard-dir to add the reproduction check)."},
    "revisions": {"ja": "公表後の訂正（総務省の掲載ページ）", "en": "Corrections to published editions (the ministry's page)"},
    "revisions_intro": {"ja": "総務省は公表済みの版の数値を訂正している。各訂正と、本データがその版について持つ値を並べる。"
                              "「他」付きの訂正は、同じ節の別の数値も訂正されたことを示す。",
                        "en": "The ministry corrected figures of published editions. Each correction is shown beside the "
                              "value our data holds for that edition; corrections listed with \"and others\" changed other figures of "
                              "the same section too."},
    "cross": {"ja": "複数の資料が示す同じ数値の照合", "en": "Figures stated by more than one source"},
    "cross_intro": {"ja": "同じ指標・団体区分・基準日を複数の行が示す場合の照合。†は訂正前の初回公表値、*は導出値（令和5年度の値－前年度からの増減）。",
                    "en": "Every figure that two or more rows state for the same indicator, tier and date. † = first-release "
                          "value later corrected; * = derived value (FY2023 value minus the stated change from FY2022)."},
    "edition_label": {"ja": "{era}版", "en": "FY{fy} edition"},
    "h.edition": {"ja": "版", "en": "edition"},
    "h.value_before": {"ja": "訂正前", "en": "before"},
    "h.value_after": {"ja": "訂正後", "en": "after"},
    "h.corrected_on": {"ja": "訂正日", "en": "corrected on"},
    "h.current_value": {"ja": "本データの値", "en": "value in our data"},
    "h.verdict": {"ja": "判定", "en": "verdict"},
    "h.detail": {"ja": "内容", "en": "detail"},
    "h.source_a": {"ja": "資料1", "en": "source 1"},
    "h.value_a": {"ja": "値1", "en": "value 1"},
    "h.source_b": {"ja": "資料2", "en": "source 2"},
    "h.value_b": {"ja": "値2", "en": "value 2"},
    "h.recomputed_percent": {"ja": "再計算", "en": "recomputed"},
    "h.explanation": {"ja": "説明", "en": "explanation"},
    "h.category": {"ja": "項目", "en": "category"},
    "h.recomputed_rate": {"ja": "再計算", "en": "recomputed"},
}


def build_audit_report(lang: str = "ja", dashboard_dir: Path | None = None) -> Report:
    """The audit in one language: flagged rows, corrections, cross-source checks, dashboard check."""
    import pandas as pd

    from helpers.analysis import reconcile
    from helpers.words import reconcile as reconcile_words
    from helpers.words.formats import date_label
    from helpers.words.i18n import column_label, era_fiscal_year, t, tier_label

    from helpers.loaders.params import default_dashboard_dir

    dashboard_dir = dashboard_dir or default_dashboard_dir()
    tx = {k: v[lang] for k, v in TEXT.items()}
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
