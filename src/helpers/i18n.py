"""Every user-facing word in Japanese and English, in one place.

Indicator labels come from ``data/catalog.csv``; this module holds tier names, axis labels,
titles and the sentence templates that reports fill with numbers computed at run time.
"""

from __future__ import annotations

LANGS = ("ja", "en")

TEXT: dict[str, dict[str, str]] = {
    # tiers and municipality types
    "tier.prefecture": {"ja": "都道府県", "en": "Prefectures"},
    "tier.municipality": {"ja": "市区町村", "en": "Municipalities"},
    "tier.designated_city": {"ja": "政令指定都市", "en": "Designated cities"},
    "tier.all": {"ja": "全体", "en": "All"},
    "mtype.city": {"ja": "市", "en": "City"},
    "mtype.ward": {"ja": "特別区", "en": "Special ward"},
    "mtype.town": {"ja": "町", "en": "Town"},
    "mtype.village": {"ja": "村", "en": "Village"},
    # common axis words
    "axis.percent": {"ja": "割合（%）", "en": "Share (%)"},
    "axis.date": {"ja": "基準日", "en": "Reference date"},
    "axis.fiscal_year": {"ja": "年度", "en": "Fiscal year"},
    "axis.persons": {"ja": "人数（人）", "en": "Persons"},
    "axis.cases_million": {"ja": "年間手続件数（百万件）", "en": "Annual cases (millions)"},
    "axis.online_rate": {"ja": "オンライン利用率（%）", "en": "Online rate (%)"},
    "axis.organisations": {"ja": "団体数", "en": "Organisations"},
    "axis.municipalities": {"ja": "市区町村数", "en": "Municipalities"},
    "axis.pp_gap": {"ja": "都道府県－市区町村の差（ポイント）", "en": "Prefecture − municipality gap (pp)"},
    "source_prefix": {"ja": "出典：", "en": "Source: "},
    "secondary_mark": {"ja": "（二次資料）", "en": " (secondary)"},
    # report scaffolding
    "report.meta": {"ja": "基準日: {dates}／データ: data/national（出典は末尾）", "en": "Reference dates: {dates} / data: data/national (sources at the end)"},
    "report.findings": {"ja": "主な結果", "en": "Key findings"},
    "report.figures": {"ja": "図", "en": "Figures"},
    "report.tables": {"ja": "表", "en": "Tables"},
    "report.caveats": {"ja": "注意事項", "en": "Caveats"},
    "report.sources": {"ja": "出典", "en": "Sources"},
    "report.entity": {"ja": "団体別データ（デジタル庁ダッシュボード）", "en": "Per-entity data (Digital Agency dashboard)"},
    "report.reproduction": {"ja": "再現チェック：団体別データの集計と公表値", "en": "Reproduction check: per-entity totals vs published figures"},
    "report.audit_flags": {"ja": "監査で指摘された行（reports/data_audit.md 参照）: {items}", "en": "Rows flagged by the audit (see reports/data_audit.md): {items}"},
    "report.secondary": {"ja": "{date} の数値は民間ブログによる二次資料（令和5年度調査の要約）に基づく。", "en": "Figures dated {date} come from a secondary source (a company blog summarising the FY2023 survey)."},
    "report.no_dashboard": {"ja": "団体別データは指定されていない（dashboard_dir=None）。", "en": "No per-entity data given (dashboard_dir=None)."},
    "report.computed_rate": {"ja": "割合が公表されていない行は 件数／母数 から計算した。", "en": "Where no percent was published, the share is computed as count / base."},
    "index.title": {"ja": "レポート一覧", "en": "Reports"},
    "index.audit": {"ja": "データ監査（公表値の整合性チェック）", "en": "Data audit (consistency of published figures)"},
    # theme titles
    "theme.staffing": {"ja": "推進体制と人材", "en": "Organisation and staffing"},
    "theme.online_usage": {"ja": "行政手続のオンライン利用", "en": "Online use of administrative procedures"},
    "theme.security": {"ja": "情報セキュリティ対策の成熟度", "en": "Information-security maturity"},
    "theme.ai_rpa_telework": {"ja": "AI・RPA・テレワークの導入", "en": "AI, RPA and telework uptake"},
}


def t(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    try:
        template = TEXT[key][lang]
    except KeyError:
        raise KeyError(f"no text for {key!r}") from None
    return template.format(**values) if values else template


def tier_label(tier: str, lang: str) -> str:
    return t(f"tier.{tier}", lang)
