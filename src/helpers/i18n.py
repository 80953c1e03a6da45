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
    "axis.year": {"ja": "年", "en": "Year"},
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
    "report.by_type": {"ja": "実施している団体の割合（団体の種類別）", "en": "Share of municipalities with each measure, by municipality type"},
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
    # staffing
    "staffing.title.appointment": {"ja": "CIO・CIO補佐官等の任命率", "en": "Share of organisations with a CIO / CIO deputy"},
    "staffing.title.position": {"ja": "CIOの役職（任命団体に占める割合）", "en": "CIO position (share of organisations with a CIO)"},
    "staffing.title.structure": {"ja": "DX推進体制と外部人材", "en": "DX governance and external talent"},
    "staffing.title.training": {"ja": "職員育成・研修の実施率", "en": "Staff development and training"},
    "staffing.title.staff": {"ja": "情報部門の職員数（定義は年度で異なる）", "en": "IT / DX department staff (definitions differ by year)"},
    "staffing.f.appointment": {"ja": "{label}（{tier}）は{prev_date}の{prev}から{date}の{rate}へ{pp}ポイント変化した。", "en": "{label} ({tier}) moved from {prev} on {prev_date} to {rate} on {date} ({pp} pp)."},
    "staffing.f.definition": {"ja": "{label}は調査年度の間で定義が変わっている：{change}", "en": "The definition of {label} changed between editions: {change}"},
    "staffing.f.position": {"ja": "CIOを任命した{tier}{base}団体のうち、最も多い役職は「{category}」で{share}（{count}団体）。", "en": "Of the {base} {tier} with a CIO, the most common position is '{category}' at {share} ({count})."},
    "staffing.f.talent": {"ja": "{date}時点で外部デジタル人材を任用した{tier}は{orgs}団体（{rate}）、人数は{persons}人（1団体あたり{per}人）。", "en": "On {date}, {orgs} {tier} ({rate}) employed external digital talent: {persons} persons ({per} per organisation)."},
    "staffing.f.staff": {"ja": "職員数：{y1}定義の{l1}は{v1}人、{y2}定義の{l2}は{v2}人（{tier}）。定義が異なるため増減とは読まない。", "en": "Staff: {v1} under the {y1} definition ({l1}) and {v2} under the {y2} definition ({l2}) for {tier}; the definitions differ, so this is not a change."},
    "staffing.caveat.staff": {"ja": "職員数は年度によって対象部署の定義が異なる（{items}）。年度間の差は増減ではない。", "en": "Staff counts follow different unit definitions by survey year ({items}); differences between years are not changes."},
    # online
    "online.title.totals": {"ja": "オンライン利用率の推移（全国推計）", "en": "Overall online rate by fiscal year (national estimate)"},
    "online.title.rates": {"ja": "手続別オンライン利用率 {y1}→{y2}", "en": "Online rate per procedure, FY{y1} → FY{y2}"},
    "online.title.leaders": {"ja": "オンライン利用率の高い手続 上位{n}（{year}年度）", "en": "Top {n} procedures by online rate (FY{year})"},
    "online.title.laggards": {"ja": "年{cases}件以上の手続でオンライン利用率の低い{n}手続（{year}年度）", "en": "Bottom {n} among procedures with at least {cases} cases a year (FY{year})"},
    "online.title.gains": {"ja": "オンライン利用率の伸びが大きい{n}手続（{y1}→{y2}年度, ポイント）", "en": "Largest gains in online rate, FY{y1} → FY{y2} (pp)"},
    "online.title.type32": {"ja": "よく使う32手続のオンライン化済の割合（団体の種類別）", "en": "Share of the 32 common procedures online, by municipality type"},
    "online.title.online32": {"ja": "よく使う32手続のオンライン化済の割合（団体別）", "en": "Share of the 32 common procedures online (per municipality)"},
    "online.title.fewest": {"ja": "オンライン申請を提供する団体が少ない手続", "en": "Procedures offered online by the fewest municipalities"},
    "online.title.highest": {"ja": "申請率の中央値が高い手続", "en": "Procedures with the highest median application rate"},
    "online.title.groups": {"ja": "手続群別のオンライン利用率（件数加重, {year}年度）", "en": "Case-weighted online rate by group, FY{year}"},
    "online.set_change": {"ja": "手続の範囲が変更（{prev}→{new}手続）", "en": "procedure set changed ({prev} → {new})"},
    "online.f.latest": {"ja": "{year}年度のオンライン利用率は{rate}（{set}）で、{first_year}年度の{first_rate}（{first_set}）と比べて{pp}ポイント差があるが、対象手続の範囲が途中で変わっている。", "en": "The overall online rate was {rate} in FY{year} ({set}) against {first_rate} in FY{first_year} ({first_set}), a {pp} pp difference; the procedure set changed in between."},
    "online.set_n": {"ja": "{n}手続ベース", "en": "{n}-procedure set"},
    "online.set_other": {"ja": "対象手続の範囲は資料に記載なし", "en": "procedure set not stated by the source"},
    "online.f.leader": {"ja": "{year}年度に最もオンライン利用率が高い手続は「{procedure}」の{rate}。", "en": "The procedure with the highest online rate in FY{year} was '{procedure}' at {rate}."},
    "online.f.gain": {"ja": "最も伸びたのは「{procedure}」で{y1}年度の{r1}から{y2}年度の{r2}へ{pp}ポイント。", "en": "The largest gain was '{procedure}': {r1} in FY{y1} to {r2} in FY{y2} ({pp} pp)."},
    "online.f.lifeevents": {"ja": "子育て・介護・被災者支援の{n}手続のうち{below}手続はオンライン利用率が1%未満（{year}年度、件数のある手続）。", "en": "{below} of the {n} child-rearing, care and disaster-support procedures with cases had an online rate below 1% in FY{year}."},
    "online.f.concentration": {"ja": "{year}年度のオンライン件数（件数×利用率）の{share}を上位3手続（{top}）が占める。", "en": "In FY{year} the top three procedures ({top}) account for {share} of online cases (cases × rate)."},
    "online.caveat.sets": {"ja": "対象手続の範囲：{items}。範囲が異なる年度間の率は同じ手続群の比較ではない。", "en": "Procedure sets: {items}. Rates across years with different sets are not like for like."},
    "online.set_years": {"ja": "{set}（{years}年度）", "en": "{set} (FY{years})"},
    "online.caveat.zero": {"ja": "件数0の手続（災害関係など）と実施されなかった調査（就業構造基本調査）は率の比較から除いた。", "en": "Procedures with no cases (e.g. disaster support) and the survey not run that year (就業構造基本調査) are left out of rate comparisons."},
    # security
    "security.no_dashboard_rows": {"ja": "ダッシュボードの団体別データにはセキュリティ対策の項目がないため、ここでは示さない。", "en": "The dashboard export has no security items, so there is nothing to show here."},
    "security.all_dates": {"ja": "全時点", "en": "all survey dates"},
    "security.title.controls": {"ja": "情報セキュリティ対策の実施率（{date}）", "en": "Security controls in place ({date})"},
    "security.title.index": {"ja": "セキュリティ成熟度指数（測定された対策の平均実施率）", "en": "Security maturity index (mean adoption over measured controls)"},
    "security.title.gap": {"ja": "都道府県と市区町村の差（対策別, 最新時点）", "en": "Prefecture − municipality gap per control (latest date)"},
    "security.index_def": {"ja": "成熟度指数＝その時点・階層で調査された対策の実施率の単純平均。被覆率は全{n}対策のうち測定された割合で、被覆率が違う時点同士は比較できない。", "en": "Maturity index = plain mean of the adoption rates of the controls surveyed for that tier and date. Coverage = share of the {n} controls measured; cells with different coverage are not comparable."},
    "security.f.index": {"ja": "{date}の成熟度指数は{tier}で{value}（{n}対策、被覆率{coverage}）。", "en": "On {date} the maturity index for {tier} was {value} ({n} controls, coverage {coverage})."},
    "security.f.gap": {"ja": "都道府県と市区町村の差が最も大きい対策は「{label}」で{gap}ポイント（{date}：{p} 対 {m}）。", "en": "The widest prefecture–municipality gap is '{label}': {gap} pp ({date}: {p} vs {m})."},
    "security.f.lowest": {"ja": "{date}の市区町村で実施率が最も低い対策は「{label}」の{rate}。", "en": "On {date} the least adopted control among municipalities is '{label}' at {rate}."},
    # uptake
    "uptake.title.adoption": {"ja": "AI・RPA・テレワークの導入率", "en": "AI, RPA and telework adoption"},
    "uptake.title.ai_functions": {"ja": "AIの機能別導入件数（公表値）", "en": "AI adoptions by function (published counts)"},
    "uptake.title.coadoption": {"ja": "AI・RPA・テレワークの組み合わせ", "en": "Co-adoption of AI, RPA and telework"},
    "uptake.title.pairs": {"ja": "2つずつの関連（φ係数, オッズ比）", "en": "Pairwise association (phi, odds ratio)"},
    "uptake.title.ai_rpa": {"ja": "AI・RPAの導入率", "en": "AI and RPA adoption"},
    "uptake.title.fit": {"ja": "テレワーク導入率とロジスティック曲線（外挿）", "en": "Telework adoption with logistic curves (extrapolation)"},
    "uptake.title.reasons": {"ja": "テレワーク未導入の理由（{date}, 複数回答）", "en": "Reasons for not adopting telework ({date}, multiple answers)"},
    "uptake.f.latest": {"ja": "{date}時点の{tier}のうち「{label}」は{rate}。", "en": "On {date}, '{label}': {rate} ({tier})."},
    "uptake.f.fit": {"ja": "【外挿】{label}（{tier}）にロジスティック曲線を当てはめると中間点は{mid}年、80%到達は{y80}年（{n}時点、誤差RMSE {rmse}ポイント）。予測ではなく曲線の仮定に依存する。", "en": "[Extrapolation] A logistic fit to {label} ({tier}) puts the midpoint at {mid} and 80% at {y80} ({n} points, RMSE {rmse} pp). This depends on the assumed S-curve; it is not a forecast."},
    "uptake.f.nofit": {"ja": "{label}（{tier}）は{n}時点しかないため曲線を当てはめない。", "en": "{label} ({tier}) has only {n} points, so no curve is fitted."},
    "uptake.f.reason": {"ja": "テレワーク未導入の理由で最も多いのは「{category}」（{pct}）。", "en": "The most common reason for not adopting telework was '{category}' ({pct})."},
    "uptake.caveat.base": {"ja": "{dates}の市区町村は政令指定都市を除く{base}団体が母数で、知事・市長部局が対象。最新の調査（母数{latest}団体）とは母数と対象が異なる。", "en": "For {dates} the municipal base is {base} municipalities other than designated cities (governor/mayor departments only), against {latest} in the latest survey: base and scope differ."},
    "uptake.survey_dates": {"ja": "{labels}は{dates}", "en": "{labels}: {dates}"},
    "uptake.caveat.dates": {"ja": "調査ごとに基準日が異なる：{items}。", "en": "Reference dates differ by survey: {items}."},
}


#: Column ids of analysis tables → the header a report shows. Ids that are indicators take their
#: label from the catalog instead (see ``helpers.theme_report``); anything else is shown as is.
COLUMNS: dict[str, tuple[str, str]] = {
    "label": ("指標", "indicator"), "indicator": ("指標", "indicator"), "tier": ("団体区分", "tier"),
    "category_label": ("項目", "category"), "group": ("手続群", "group"), "procedure": ("手続", "procedure"),
    "as_of": ("基準日", "as of"), "fiscal_year": ("年度", "fiscal year"), "source": ("出典", "source"),
    "note": ("注記", "note"), "definition": ("定義", "definition"), "unit": ("単位", "unit"),
    "count": ("数", "count"), "base": ("母数", "base"), "share": ("割合", "share"), "percent": ("割合", "percent"),
    "cases": ("件数", "cases"), "total_cases": ("総件数", "total cases"), "online_cases": ("オンライン件数", "online cases"),
    "online_rate": ("オンライン利用率", "online rate"), "procedure_set": ("対象手続", "procedure set"),
    "set_changed": ("対象の変更", "set changed"), "annual_cases_2020": ("2020年度の件数", "cases FY2020"),
    "rate_2019": ("2019年度", "FY2019"), "rate_2020": ("2020年度", "FY2020"), "change_pp": ("変化（ポイント）", "change (pp)"),
    "procedures": ("手続数", "procedures"), "max_rate": ("最高利用率", "highest rate"),
    "below_1pct": ("1%未満の手続数", "procedures below 1%"), "weighted_rate": ("件数加重利用率", "case-weighted rate"),
    "index": ("成熟度指数", "maturity index"), "controls_measured": ("測定された対策数", "controls measured"),
    "coverage_pct": ("被覆率", "coverage"), "rate_prefecture": ("都道府県", "prefectures"),
    "rate_municipality": ("市区町村", "municipalities"), "gap_pp": ("差（ポイント）", "gap (pp)"),
    "points": ("時点数", "points"), "fitted": ("当てはめ", "fitted"), "midpoint_year": ("中間点（年）", "midpoint (year)"),
    "year_80pct": ("80%到達（年）", "80% reached (year)"), "rmse_pp": ("RMSE（ポイント）", "RMSE (pp)"),
    "pref_code": ("都道府県コード", "prefecture code"), "prefecture": ("都道府県", "prefecture"),
    "municipality_type": ("団体の種類", "municipality type"), "municipalities": ("団体数", "municipalities"),
    "measures": ("導入している数", "measures adopted"), "offered": ("提供団体数", "municipalities offering"),
    "mean": ("平均", "mean"), "median": ("中央値", "median"), "q1": ("第1四分位", "Q1"), "q3": ("第3四分位", "Q3"),
    "pair": ("組み合わせ", "pair"), "both": ("両方", "both"), "only_first": ("前者のみ", "first only"),
    "only_second": ("後者のみ", "second only"), "neither": ("どちらもなし", "neither"), "phi": ("φ係数", "phi"),
    "odds_ratio": ("オッズ比", "odds ratio"), "published_count": ("公表値（数）", "published count"),
    "published_base": ("公表値（母数）", "published base"), "published_percent": ("公表値（%）", "published %"),
    "dashboard_count": ("団体別集計（数）", "dashboard count"), "dashboard_base": ("団体別集計（母数）", "dashboard base"),
    "dashboard_rate": ("団体別集計（%）", "dashboard %"), "count_difference": ("差（数）", "difference (count)"),
    "rate_difference_pp": ("差（ポイント）", "difference (pp)"),
}
YES_NO = {"ja": ("はい", "いいえ"), "en": ("yes", "no")}


def column_label(name: str, lang: str) -> str | None:
    """The report header for a table column id, or None if this module has none."""
    pair = COLUMNS.get(name)
    return None if pair is None else pair[LANGS.index(lang)]


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
