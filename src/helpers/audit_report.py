"""reports/data_audit.md: every published figure that disagrees with itself or with the dashboard."""

from __future__ import annotations

from pathlib import Path

from helpers import data
from helpers.report import Report

TEXT = {
    "title": {"ja": "データ監査：公表値の整合性", "en": "Data audit: consistency of published figures"},
    "meta": {"ja": "data/national の全行を再計算（転記値は変更しない）", "en": "Every row of data/national recomputed (transcribed values are never changed)"},
    "intro": {"ja": "公表された割合を 件数／母数 から再計算し、公表の桁の半分（最低0.05ポイント）を超えて異なる行、"
                    "団体数が調査対象数を超える行、同じ数値を資料が異なって示す行を挙げる。説明は自動判定で、"
                    "別の母数（回答団体のみ等）で再現できるかを試した結果である。",
              "en": "Published percentages are recomputed as count / base. Listed: rows that differ by more than half "
                    "a unit of the published precision (at least 0.05 pp), counts above the survey population, and "
                    "figures that two sources state differently. Explanations are computed by trying other bases "
                    "(e.g. respondents only)."},
    "summary": {"ja": "集計", "en": "Summary"},
    "indicators": {"ja": "指標（indicators.csv）", "en": "Indicators (indicators.csv)"},
    "breakdowns": {"ja": "内訳（breakdowns.csv）", "en": "Breakdowns (breakdowns.csv)"},
    "totals": {"ja": "オンライン利用の総計（online_totals.csv）", "en": "Online totals (online_totals.csv)"},
    "none": {"ja": "指摘なし。", "en": "No flags."},
    "rows": {"ja": "{file}: {rows}行を検査、{flags}件の指摘", "en": "{file}: {rows} rows checked, {flags} flagged"},
    "repro": {"ja": "再現チェック：団体別データ（ダッシュボード）と公表値", "en": "Reproduction check: dashboard per-entity totals vs published figures"},
    "repro_note": {"ja": "ダッシュボードの母数は調査された団体（市区町村の推進体制7項目は1,733、その他は1,741）。差は隠さず示す。",
                   "en": "The dashboard base is the entities surveyed (1,733 municipalities for the seven governance rows, 1,741 otherwise). Differences are shown, not hidden."},
    "no_dash": {"ja": "団体別データは指定されていない（--dashboard-dir で指定すると再現チェックを加える）。",
                "en": "No per-entity data given (pass --dashboard-dir to add the reproduction check)."},
}


def build_audit_report(lang: str = "ja", dashboard_dir: Path | None = None) -> Report:
    tx = {k: v[lang] for k, v in TEXT.items()}
    ind, bd, tot = data.load_indicators(), data.load_breakdowns(), data.load_online_totals()
    a_ind, a_bd, a_tot = data.audit(ind), data.audit(bd), data.audit_online_totals(tot)
    r = Report(tx["title"], meta=tx["meta"], sources_heading="Sources" if lang == "en" else "出典")
    r.paragraph(tx["intro"])
    r.heading(tx["summary"]).bullets([
        tx["rows"].format(file="indicators.csv", rows=f"{len(ind):,}", flags=len(a_ind)),
        tx["rows"].format(file="breakdowns.csv", rows=f"{len(bd):,}", flags=len(a_bd)),
        tx["rows"].format(file="online_totals.csv", rows=f"{len(tot):,}", flags=len(a_tot)),
    ])
    for key, frame, cols in (
        ("indicators", a_ind, ["indicator", "tier", "as_of", "count", "base", "percent", "recomputed_percent", "check", "explanation", "source", "section"]),
        ("breakdowns", a_bd, ["breakdown", "category", "tier", "as_of", "count", "base", "percent", "recomputed_percent", "check", "explanation", "source"]),
    ):
        r.heading(tx[key])
        if len(frame):
            view = frame[cols].copy()
            view["as_of"] = view["as_of"].dt.strftime("%Y-%m-%d")
            r.table(view, percent=["percent", "recomputed_percent"])
            for s in sorted(set(frame["source"])):
                r.add_source(s, data.source_citation(s, lang))
        else:
            r.paragraph(tx["none"])
    r.heading(tx["totals"])
    r.table(a_tot, percent=["online_rate", "recomputed_rate"]) if len(a_tot) else r.paragraph(tx["none"])
    r.heading(tx["repro"])
    if dashboard_dir:
        from helpers.analysis import entity_stats

        rep = entity_stats.reproduction(entity_stats.load(dashboard_dir), ind)
        r.paragraph(tx["repro_note"])
        r.table(rep, percent=["dashboard_rate", "published_percent"])
        r.add_source("digital_agency_dashboard", data.source_citation("digital_agency_dashboard", lang))
        for s in sorted(set(rep["source"])):
            r.add_source(s, data.source_citation(s, lang))
    else:
        r.paragraph(tx["no_dash"])
    return r
