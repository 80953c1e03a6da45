"""Wording about which dashboard export a report was built from (its date, rows it lacks or adds)."""

TEXT: dict[str, dict[str, str]] = {
    "dash.update": {"ja": "{date}データ更新", "en": "data update {date}"},
    "dash.update_unknown": {"ja": "データ更新日不明", "en": "update date not given"},
    "dash.how.option": {"ja": "、`--dashboard-date` による", "en": ", from `--dashboard-date`"},
    "dash.how.sidecar": {"ja": "、`dashboard_date.txt` による", "en": ", from `dashboard_date.txt`"},
    "dash.how.name": {"ja": "、フォルダ名・ファイル名による", "en": ", from the folder or file name"},
    "dash.how.vendored": {"ja": "、同梱のエクスポート", "en": ", the export kept with the project"},
    "dash.how.unknown": {"ja": "", "en": ""},
    # the survey year of the export (helpers.words.export.survey_phrase); each wording has its _unknown
    "dash.survey": {"ja": "{era}調査", "en": "FY{fy} surveys"},
    "dash.survey_unknown": {"ja": "調査年度不明", "en": "survey year not given"},
    "dash.survey_by": {"ja": "総務省の{era}調査", "en": "FY{fy} surveys by 総務省"},
    "dash.survey_by_unknown": {"ja": "総務省の調査、調査年度不明", "en": "surveys by 総務省, survey year not given"},
    "dash.survey_one": {"ja": "{era}調査", "en": "the FY{fy} survey"},
    "dash.survey_one_unknown": {"ja": "調査年度不明", "en": "survey year not given"},
    "dash.survey_year": {"ja": "{era}", "en": "FY{fy}"},
    "dash.survey_year_unknown": {"ja": "調査年度不明", "en": "survey year not given"},
    "dash.survey_how.option": {"ja": "、`--dashboard-survey-year` による", "en": ", from `--dashboard-survey-year`"},
    "dash.survey_how.sidecar": {"ja": "、`dashboard_date.txt` による", "en": ", from `dashboard_date.txt`"},
    "dash.survey_how.vendored": {"ja": "、`data/sources.csv` に登録", "en": ", as registered in `data/sources.csv`"},
    "dash.survey_how.unknown": {"ja": "", "en": ""},
    "export.finance_before": {"ja": "{survey}の前で最新", "en": "the latest before {survey}"},
    "export.finance_latest": {"ja": "手元にある最新", "en": "the latest held"},
    "export.not_compared": {
        "ja": "このエクスポートは{survey}のデータのため、{reg_era}調査の全国の公表値とは比べない。",
        "en": "This export holds data of {survey}, so it is not compared with the published national figures of the FY{reg_fy} survey."},
    "export.not_compared_unknown": {
        "ja": "このエクスポートは調査年度が分からないため、{reg_era}調査の全国の公表値とは比べない。",
        "en": "The survey year of this export is not given, so it is not compared with the published national figures of the FY{reg_fy} survey."},
    "export.not_compared_none": {
        "ja": "同梱のエクスポートの調査年度が登録されていないため、全国の公表値とは比べない。",
        "en": "No survey year is registered for the vendored export, so the dashboard is not compared with published national figures."},
    "export.line": {
        "ja": "団体別データ：デジタル庁「自治体DXの取組に関するダッシュボード」のエクスポート（{update}{how}）。",
        "en": "Data for each municipality and prefecture: export of the Digital Agency dashboard ({update}{how}).",
    },
    "export.unmapped": {
        "ja": "このエクスポートには、本ツールが分析しない行もある（団体別パネルに未対応として残した）：{rows}。",
        "en": "The export also has rows this toolkit does not analyse (kept in the municipal panel as unmapped; labels as published): {rows}.",
    },
    "export.missing": {
        "ja": "このエクスポートにない項目：{items}（この節では扱えない）。",
        "en": "Not in this export: {items} (left out of this section).",
    },
    "dash.date_unknown": {"ja": "日付不明（データ更新日不明のため）", "en": "unknown (the update date is not given)"},
    "export.boundaries_nodate": {
        "ja": "地図の境界は{date}の行政区域。市区町村の区域とコードはダッシュボードの{n}団体と一致する（`helpers.loaders.build_reference` で確認）。",
        "en": "Map boundaries are those of {date}; the municipalities and their codes match the {n} of the dashboard (checked by `helpers.loaders.build_reference`)."},
    "index.export": {"ja": "団体別データのエクスポート：`{folder}`（{update}{how}）",
                     "en": "Dashboard export: `{folder}` ({update}{how})"},
    "index.export_survey": {"ja": "団体別データのエクスポート：`{folder}`（{update}{how}；{survey}{survey_how}）",
                            "en": "Dashboard export: `{folder}` ({update}{how}; {survey}{survey_how})"},
    "index.h.bytes": {"ja": "バイト数", "en": "bytes"},
    "index.unmapped": {"ja": "エクスポートのうち対応表（`data/reference/dashboard_layout.csv`）にない行（分析せず、パネルに未対応として残した）：{rows}",
                       "en": "Rows of the export not in the layout (`data/reference/dashboard_layout.csv`; kept in the panel as unmapped, not analysed; labels as published): {rows}"},
    "index.mixed": {"ja": "注意：この一式のレポートは{n}通りの異なる入力から作られている。レポートごとの入力を下に示す。",
                    "en": "Note: the reports of this set were built from {n} different sets of inputs; each is listed below with its reports."},
    "index.built_from": {"ja": "次のレポートの入力：{reports}", "en": "Inputs of: {reports}"},
    "index.no_record": {"ja": "入力の記録がない（記録を残す前の版で作られたレポート）。",
                        "en": "No record of the inputs (built by a version that did not keep one)."},
}
