"""Every user-facing word in Japanese and English, in one place.

Indicator labels come from ``data/catalog.csv``; this module holds tier names, axis labels,
titles and the sentence templates that reports fill with numbers computed at run time.
"""

from __future__ import annotations

from helpers.vocabulary import LANGS

TEXT: dict[str, dict[str, str]] = {
    # tiers and municipality types
    "tier.prefecture": {"ja": "都道府県", "en": "prefectures"},
    "tier.municipality": {"ja": "市区町村", "en": "municipalities"},
    "tier.designated_city": {"ja": "政令指定都市", "en": "designated cities"},
    "tier.all": {"ja": "全体", "en": "all"},
    "mtype.city": {"ja": "市", "en": "City"},
    "mtype.special_ward": {"ja": "特別区", "en": "Special ward"},
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
    "date.fiscal_year": {"ja": "{fy}年度", "en": "FY{fy}"},
    # series (one definition / method of measuring an indicator; see data/series_breaks.csv)
    "source.corrected_edition": {"ja": "初版。本報告が用いるのは、その後に訂正された版", "en": " first release; this report uses a later corrected edition"},
    "series.rule.secondary": {"ja": "後の値は二次資料（{source}）の要約による。二次資料の値は同じ資料の値とだけ比べ、公式の公表値との差は変化として示さない（データの規則）", "en": "The later value comes from a secondary summary ({source}); values from a secondary summary are compared only with values of the same summary, never with official releases (data rule)"},
    "series.rule.base": {"ja": "母数が異なる（{a}団体と{b}団体）。同じ母数にそろえない限り、割合の差は変化として示さない（データの規則）", "en": "The bases differ ({a} and {b} organisations); a difference of shares is not shown as a change until both are on one base (data rule)"},
    "series.talent_use_2022": {"ja": "外部デジタル人材の「活用」（令和5年度版の要約）", "en": "use of external digital talent (FY2023 summary)"},
    "series.staff_units_etc_2022": {"ja": "DX推進担当課室等（令和5年度版の要約）", "en": "DX units etc. (FY2023 summary)"},
    "series.info_survey": {"ja": "行政情報化推進状況調査", "en": "survey on administrative informatisation"},
    "series.def2020": {"ja": "令和2年度までの定義", "en": "definition up to FY2020"},
    "series.def2021": {"ja": "令和3年度以降の定義", "en": "definition from FY2021"},
    "series.slides_2020": {"ja": "説明資料（2020年）の集計", "en": "2020 briefing-slide figures"},
    "series.telework_slides_2020": {"ja": "知事・市長部局のみ・予定を含む集計", "en": "governor's/mayor's departments only, planned adoption included"},
    "series.telework_survey_2021": {"ja": "テレワークの取組状況調査", "en": "survey on telework"},
    "series.ai_rpa_survey_2020": {"ja": "AI・RPAの実証実験・導入状況等調査", "en": "survey on AI/RPA trials and adoption"},
    "series.fy2023_summary": {"ja": "令和5年度の要約（二次資料）", "en": "FY2023 summary (secondary source)"},
    "series.telework_slides_2019": {"ja": "説明資料の括弧内の値（2019年10月）", "en": "bracketed slide figures (October 2019)"},
    "series.fy2023_summary_security_training": {"ja": "令和5年度の要約（セキュリティ教育・訓練）", "en": "FY2023 summary (security education or drills)"},
    "series.fy2023_summary_training": {"ja": "令和5年度の要約（研修の実施）", "en": "FY2023 summary (training held)"},
    "series.pittari_followup": {"ja": "ぴったりサービスのフォローアップ調査", "en": "follow-up survey of the Pittari service"},
    "date.assumed_tick": {"ja": "{era}\n調査※", "en": "FY{fy}\nsurvey‡"},
    "date.assumed_note": {"ja": "※ 基準日の記載なし（調査年度のみ判明）", "en": "‡ reference date not stated (survey year only)"},
    "series.caveat": {"ja": "系列の切れ目：{what}。", "en": "Break in series: {what}."},
    "series.break": {"ja": "系列の切れ目", "en": "series break"},
    "date.assumed": {"ja": "{era}調査※", "en": "FY{fy} survey‡"},
    "source_prefix": {"ja": "出典：", "en": "Source: "},
    "report.fig_source": {"ja": "{publisher}（{year}）", "en": "{publisher} ({year})"},
    "report.fig_source_secondary": {"ja": "{publisher}（{year}、二次資料）", "en": "{publisher} ({year}, secondary source)"},
    "secondary_mark": {"ja": "（二次資料）", "en": " (secondary)"},
    # report scaffolding
    "report.meta": {"ja": "基準時点：{dates}／データ：{data}（出典は末尾）", "en": "Reference dates: {dates} / data: {data} (sources at the end)"},
    "report.data.document": {"ja": "公表資料から転記した数値", "en": "figures transcribed from published documents"},
    "report.data.data": {"ja": "公表データファイル", "en": "published data files"},
    "report.table_files": {"ja": "表のデータ：[CSV]({csv})・[Excel](tables.xlsx)", "en": "Table data: [CSV]({csv}) · [Excel](tables.xlsx)"},
    "entity.col.prefecture": {"ja": "都道府県", "en": "prefecture"},
    "entity.not_surveyed.hit": {"ja": "{prefecture}の{n}団体はダッシュボードで「調査無し」のため、{names}の割合の分母から除いた。", "en": "{n} municipalities of {prefecture} are marked not surveyed on the dashboard and are left out of the denominators of {names}."},
    "entity.not_surveyed.other": {"ja": "{prefecture}の{n}団体はダッシュボードの一部の項目で「調査無し」（それらの項目の回答は{respondents}）だが、{names}には値があるため分母に含む。", "en": "{n} municipalities of {prefecture} are marked not surveyed for some dashboard items ({respondents} for those items) but have values for {names}, so they are in these denominators."},
    "entity.ns.reason.noto_2024": {"ja": "デジタル庁のデータ定義によると、{date}の調査では令和6年能登半島地震の影響で{pref}の一部の市町が対象外とされた{ref}。", "en": "According to the Digital Agency's data definition, some cities and towns of {pref} were left out of the survey {date} because of the 2024 Noto earthquake {ref}."},
    "entity.ns.largest": {"ja": "対象外の団体には{pref}で人口が最も多い{name}（2020年国勢調査で{pop}人）が含まれる。", "en": "They include {name}, the most populous municipality of {pref} ({pop} people in the 2020 census)."},
    "entity.ns.partial": {"ja": "このため{pref}のこれらの項目の割合は{name}を含まない{m}団体だけによるもので、他の都道府県の割合とは同じ範囲の比較にならない。", "en": "{pref}'s shares of these items therefore rest on {m} municipalities without {name}, so they are not like-for-like with the other prefectures'."},
    "entity.not_surveyed.respondents": {"ja": "{n}団体", "en": "{n} respondents"},
    "dash.external_talent": {"ja": "外部人材の活用", "en": "external talent used"},
    "dash.all_staff_training": {"ja": "全職員対象研修の実施", "en": "training for all staff"},
    "dash.mynumber_card_rate": {"ja": "マイナンバーカードの保有率", "en": "My Number Card holders"},
    "dash.online26_share": {"ja": "子育て・介護26手続のオンライン化状況", "en": "26 child-care and care procedures online"},
    "dash.online32_share": {"ja": "よく使う32手続のオンライン化状況", "en": "32 common procedures online"},
    "dash.online32_offered": {"ja": "実施している手続数（分母）", "en": "procedures handled (denominator)"},
    "dash.online32_online": {"ja": "うちオンライン化済の手続数（分子）", "en": "of which online (numerator)"},
    "report.findings": {"ja": "主な結果", "en": "Key findings"},
    "report.figures": {"ja": "図", "en": "Figures"},
    "report.tables": {"ja": "表", "en": "Tables"},
    "report.caveats": {"ja": "注意事項", "en": "Caveats"},
    "report.sources": {"ja": "出典", "en": "Sources"},
    "report.entity": {"ja": "団体別データ（デジタル庁ダッシュボード）", "en": "Dashboard data by municipality and prefecture (Digital Agency)"},
    "report.by_type": {"ja": "実施している団体の割合（団体の種類別）", "en": "Share of municipalities with each measure, by municipality type"},
    "report.reproduction": {"ja": "再現チェック：団体別データの集計と公表値", "en": "Reproduction check: per-municipality totals vs published figures"},
    "report.audit_flags": {"ja": "データ監査の指摘（`data_audit.md`）：{items}。", "en": "Flagged by the data audit (`data_audit.md`): {items}."},
    "report.secondary": {"ja": "一部の値は民間ブログによる二次資料（調査結果の要約）に基づく。出典一覧に（二次資料）と記した。", "en": "Some values come from secondary sources (blog summaries of the survey results), marked as such in the source list."},
    "report.no_dashboard": {"ja": "団体別データは指定されていない（dashboard_dir=None）。", "en": "No per-municipality data given (dashboard_dir=None)."},
    "report.computed_rate": {"ja": "割合が公表されていない行は 件数／母数 から計算した。", "en": "Where no percent was published, the share is computed as count / base."},
    "index.title": {"ja": "レポート一覧", "en": "Reports"},
    "index.record": {"ja": "この一式の作り方", "en": "How this set was built"},
    "index.language": {"ja": "言語：{name}", "en": "Language: {name}"},
    "index.lang.ja": {"ja": "日本語", "en": "Japanese"},
    "index.lang.en": {"ja": "英語", "en": "English"},
    "index.tier": {"ja": "団体区分：{tier}", "en": "Levels of government: {tier}"},
    "index.tier.all": {"ja": "都道府県と市区町村", "en": "prefectures and municipalities"},
    "index.tier.prefecture": {"ja": "都道府県", "en": "prefectures"},
    "index.tier.municipality": {"ja": "市区町村", "en": "municipalities"},
    "index.commit": {"ja": "コード：コミット `{commit}`（{date}）", "en": "Code: commit `{commit}` ({date})"},
    "index.dirty": {"ja": "に未コミットの変更を加えたもの", "en": " with uncommitted changes"},
    "index.inputs": {"ja": "入力データ（日付とチェックサム）", "en": "Input data (dates and checksums)"},
    "index.h.file": {"ja": "ファイル", "en": "file"},
    "index.h.date": {"ja": "基準日・更新日", "en": "reference date"},
    "index.licence": {"ja": "政府のデータは政府標準利用規約（第2.0版）に従って利用している。地図は「出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成」。各レポートの出典一覧と `data/external/MANIFEST.csv` を参照。", "en": "Government data are used under the Government of Japan Standard Terms of Use (version 2.0); maps are made from National Land Numerical Information (administrative boundaries, MLIT). See each report's sources and `data/external/MANIFEST.csv`."},
    "profiles.title": {"ja": "都道府県別プロファイル", "en": "Prefecture profiles"},
    "profiles.intro": {"ja": "各都道府県の市区町村を全国と比べたプロファイル。「上回る」「下回る」は、人口規模別の他の46都道府県の実施率から見込まれる数と比べて全国並みの範囲（95%）を外れた項目の数。準備度は実施している項目の割合の平均（見込みは人口規模から）。", "en": "Each prefecture's municipalities against the country. 'Ahead' and 'behind' count the items whose observed number lies outside the 95% expected range of the number expected from the other 46 prefectures' rates by size class. Readiness is the mean share of items met (expected: from size)."},
    "profiles.h.pref_code": {"ja": "コード", "en": "code"},
    "profiles.h.prefecture": {"ja": "都道府県", "en": "prefecture"},
    "profiles.h.municipalities": {"ja": "市区町村数", "en": "municipalities"},
    "profiles.h.government": {"ja": "都道府県自身の実施項目", "en": "government items met"},
    "profiles.h.readiness": {"ja": "準備度（平均）", "en": "readiness (mean)"},
    "profiles.h.expected": {"ja": "準備度の見込み", "en": "readiness expected"},
    "profiles.h.ahead": {"ja": "上回る項目", "en": "items ahead"},
    "profiles.h.behind": {"ja": "下回る項目", "en": "items behind"},
    "index.profiles": {"ja": "都道府県別プロファイル", "en": "Prefecture profiles"},
    "index.audit": {"ja": "データ監査（公表値の整合性チェック）", "en": "Data audit (consistency of published figures)"},
    # theme titles
    "theme.staffing": {"ja": "推進体制と人材", "en": "Organisation and staffing"},
    "theme.online_usage": {"ja": "行政手続のオンライン利用", "en": "Online use of administrative procedures"},
    "theme.security": {"ja": "情報セキュリティ対策の成熟度", "en": "Information-security maturity"},
    "theme.ai_rpa_telework": {"ja": "AI・RPA・テレワークの導入", "en": "AI, RPA and telework uptake"},
}


#: Column ids of analysis tables → the header a report shows. Ids that are indicators take their
#: label from the catalog instead (see ``helpers.reporting.theme_report``); anything else is shown as is.
COLUMNS: dict[str, tuple[str, str]] = {
    "label": ("指標", "indicator"), "indicator": ("指標", "indicator"), "tier": ("団体区分", "tier"),
    "category_label": ("項目", "category"), "group": ("手続群", "group"), "procedure": ("手続", "procedure"),
    "as_of": ("基準日", "as of"), "date": ("基準日", "reference date"), "derived": ("導出値", "derived"), "fiscal_year": ("年度", "fiscal year"), "source": ("出典", "source"),
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
    "odds_ratio": ("オッズ比", "odds ratio"), "odds_ratio_raw": ("オッズ比（統制なし）", "odds ratio (unadjusted)"),
    "or_adjusted_ci": ("人口規模・団体の種類を統制したオッズ比（95%信頼区間）", "odds ratio adjusted for size and type (95% CI)"),
    "p_holm": ("補正後の有意確率（ホルム法）", "adjusted p (Holm)"), "published_count": ("公表値（数）", "published count"),
    "published_base": ("公表値（母数）", "published base"), "published_percent": ("公表値（%）", "published %"),
    "dashboard_count": ("団体別集計（数）", "dashboard count"), "dashboard_base": ("団体別集計（母数）", "dashboard base"),
    "dashboard_rate": ("団体別集計（%）", "dashboard %"), "count_difference": ("差（数）", "difference (count)"),
    "rate_difference_pp": ("差（ポイント）", "difference (pp)"),
}

def _merge_theme_texts() -> None:
    """Add each theme's wording (``helpers.words.<theme>``); a key defined twice is a bug."""
    import importlib
    import pkgutil

    from helpers.words import catalog

    for info in sorted(pkgutil.iter_modules(catalog.__path__), key=lambda m: m.name):  # a new theme's phrases join here
        module = importlib.import_module(f"helpers.words.catalog.{info.name}")
        clash = TEXT.keys() & module.TEXT.keys()
        if clash:
            raise RuntimeError(f"i18n keys defined twice: {sorted(clash)}")
        TEXT.update(module.TEXT)


_merge_theme_texts()
YES_NO = {"ja": ("はい", "いいえ"), "en": ("yes", "no")}


def column_label(name: str, lang: str) -> str | None:
    """The report header for a table column id, or None if this module has none."""
    pair = COLUMNS.get(name)
    return None if pair is None else pair[LANGS.index(lang)]


def t(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``. A placeholder
    without a value is an error (a report must never print a raw ``{date}``)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    try:
        template = TEXT[key][lang]
    except KeyError:
        raise KeyError(f"no text for {key!r}") from None
    try:
        return template.format(**values)
    except KeyError as e:
        raise KeyError(f"text {key!r} ({lang}) needs a value for {{{e.args[0]}}}") from None


def tier_label(tier: str, lang: str) -> str:
    return t(f"tier.{tier}", lang)


def fiscal_year(ts) -> int:
    """Japanese fiscal year of a date (April–March): 2023-04-01 → 2023, 2024-03-31 → 2023."""
    return ts.year if ts.month >= 4 else ts.year - 1


def era_fiscal_year(fy: int) -> str:
    """FY as the Japanese era name used in survey titles: 2019 → 令和元年度, 2023 → 令和5年度, 2018 → 平成30年度."""
    if fy >= 2019:
        n = fy - 2018
        return f"令和{'元' if n == 1 else n}年度"
    return f"平成{fy - 1988}年度"


#: Babel date patterns (CLDR): 「2021年4月1日」 / '1 Apr 2021'; ticks break the line after the year / month.
_DATE_PATTERN = {"ja": "long", "en": "d MMM y"}
_TICK_PATTERN = {"ja": "y年\nM月d日", "en": "d MMM\ny"}


def day_text(ts, lang: str) -> str:
    """A calendar date in ``lang`` (Babel, CLDR): 「2021年4月1日」/ '1 Apr 2021'."""
    from babel.dates import format_date

    return format_date(ts, _DATE_PATTERN[lang], locale=lang)


def date_tick(ts, assumed: bool, lang: str) -> str:
    """A short date for a chart axis; assumed dates show the survey year with an asterisk."""
    if assumed:
        fy = fiscal_year(ts)
        return t("date.assumed_tick", lang, era=era_fiscal_year(fy), fy=fy)
    from babel.dates import format_date

    return format_date(ts, _TICK_PATTERN[lang], locale=lang)


def date_text(ts, lang: str, *, assumed: bool = False, as_of: bool = False) -> str:
    """A reference date in the report's language: 「2021年4月1日」/ '1 Apr 2021'.

    ``as_of`` adds 「時点」/'as of'. An assumed date (the source states none) is never shown as a
    date: it names the survey year and says the date is not stated."""
    if assumed:
        fy = fiscal_year(ts)
        return t("date.assumed", lang, era=era_fiscal_year(fy), fy=fy)
    text = day_text(ts, lang)
    if not as_of:
        return text
    return text + "時点" if lang == "ja" else f"as of {text}"
