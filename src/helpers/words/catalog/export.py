"""Wording about which dashboard export a report was built from (its date, rows it lacks or adds)."""

TEXT: dict[str, dict[str, str]] = {
    "dash.update": {"ja": "{date}データ更新", "en": "data update {date}"},
    "dash.update_unknown": {"ja": "データ更新日不明", "en": "update date not given"},
    "dash.how.option": {"ja": "、`--dashboard-date` による", "en": ", from `--dashboard-date`"},
    "dash.how.sidecar": {"ja": "、`dashboard_date.txt` による", "en": ", from `dashboard_date.txt`"},
    "dash.how.name": {"ja": "、フォルダ名・ファイル名による", "en": ", from the folder or file name"},
    "dash.how.vendored": {"ja": "、同梱のエクスポート", "en": ", the export kept with the project"},
    "dash.how.unknown": {"ja": "", "en": ""},
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
    "index.h.bytes": {"ja": "バイト数", "en": "bytes"},
    "index.unmapped": {"ja": "エクスポートのうち対応表（`data/reference/dashboard_layout.csv`）にない行（分析せず、パネルに未対応として残した）：{rows}",
                       "en": "Rows of the export not in the layout (`data/reference/dashboard_layout.csv`; kept in the panel as unmapped, not analysed; labels as published): {rows}"},
    "index.mixed": {"ja": "注意：この一式のレポートは{n}通りの異なる入力から作られている。レポートごとの入力を下に示す。",
                    "en": "Note: the reports of this set were built from {n} different sets of inputs; each is listed below with its reports."},
    "index.built_from": {"ja": "次のレポートの入力：{reports}", "en": "Inputs of: {reports}"},
    "index.no_record": {"ja": "入力の記録がない（記録を残す前の版で作られたレポート）。",
                        "en": "No record of the inputs (built by a version that did not keep one)."},
}
