"""Phrases of the data audit report (reports/data_audit.md), merged into helpers.words.i18n."""

TEXT: dict[str, dict[str, str]] = {
    "audit.report.title": {"ja": "データ監査：公表値の整合性", "en": "Data audit: consistency of published figures"},
    "audit.report.meta": {"ja": "転記データの全行を再計算（転記値は変更しない）", "en": "Every row of data/national recomputed (transcribed values are never changed)"},
    "audit.report.intro": {"ja": "公表された割合を 件数／母数 から再計算し、公表の桁の半分（最低0.05ポイント）を超えて異なる行、"
                    "団体数が調査対象数を超える行、同じ数値を資料が異なって示す行を挙げる。説明は自動判定で、"
                    "別の母数（回答団体のみ等）で再現できるかを試した結果である。",
              "en": "Published percentages are recomputed as count / base. Listed: rows that differ by more than half "
                    "a unit of the published precision (at least 0.05 pp), counts above the survey population, and "
                    "figures that two sources state differently. Explanations are computed by trying other bases "
                    "(e.g. respondents only)."},
    "audit.report.summary": {"ja": "集計", "en": "Summary"},
    "audit.report.indicators": {"ja": "指標（`indicators.csv`）", "en": "Indicators (`indicators.csv`)"},
    "audit.report.breakdowns": {"ja": "内訳（`breakdowns.csv`）", "en": "Breakdowns (`breakdowns.csv`)"},
    "audit.report.totals": {"ja": "オンライン利用の総計（`online_totals.csv`）", "en": "Online totals (`online_totals.csv`)"},
    "audit.report.none": {"ja": "指摘なし。", "en": "No flags."},
    "audit.report.dups": {"ja": "二つの資料が示す同じ手続の数値（`online_procedures.csv`）", "en": "One procedure's figures quoted by two sources (`online_procedures.csv`)"},
    "audit.report.dups_line": {"ja": "{fy}年度の「{procedure}」（{cases}件、{rate}）は{source}と{kept}に同じ値で載る。"
                        "合計には{kept}の行だけを使い、{source}の行は出典の記録として残す（`online_procedures_duplicates.csv`）。",
                  "en": "FY{fy} \u201c{procedure}\u201d ({cases} cases, {rate}) appears with the same figures in both {source} and {kept}. "
                        "Sums use the row of {kept} only; the row of {source} is kept as a record of its source "
                        "(`online_procedures_duplicates.csv`)."},
    "audit.report.rows": {"ja": "`{file}`：{rows}行を検査、{flags}件の指摘。", "en": "`{file}`: {rows} rows checked, {flags} flagged."},
    "audit.report.repro": {"ja": "再現チェック：団体別データ（ダッシュボード）と公表値", "en": "Reproduction check: dashboard totals over municipalities and prefectures vs published figures"},
    "audit.report.repro_note": {"ja": "ダッシュボードの母数は調査された団体（調査無しの団体を除く。表の母数欄）。差は隠さず示す。",
                   "en": "The dashboard base is the entities surveyed (those marked not surveyed are excluded; see the base column). Differences are shown, not hidden."},
    "audit.report.no_dash": {"ja": "団体別データは指定されていない（--dashboard-dir で指定すると再現チェックを加える）。",
                "en": "No dashboard data by municipality given (pass --dashboard-dir to add the reproduction check)."},
    "audit.report.revisions": {"ja": "公表後の訂正（総務省の掲載ページ）", "en": "Corrections to published editions (the ministry's page)"},
    "audit.report.revisions_intro": {"ja": "総務省は公表済みの版の数値を訂正している。各訂正と、本データがその版について持つ値を並べる。"
                              "「他」付きの訂正は、同じ節の別の数値も訂正されたことを示す。",
                        "en": "The ministry corrected figures of published editions. Each correction is shown beside the "
                              "value our data holds for that edition; corrections listed with \"and others\" changed other figures of "
                              "the same section too."},
    "audit.report.cross": {"ja": "複数の資料が示す同じ数値の照合", "en": "Figures stated by more than one source"},
    "audit.report.cross_intro": {"ja": "同じ指標・団体区分・基準日を複数の行が示す場合の照合。†は訂正前の初回公表値、*は導出値（令和5年度の値－前年度からの増減）。",
                    "en": "Every figure that two or more rows state for the same indicator, tier and date. † = first-release "
                          "value later corrected; * = derived value (FY2023 value minus the stated change from FY2022)."},
    "audit.report.edition_label": {"ja": "{era}版", "en": "FY{fy} edition"},
    "audit.report.h.edition": {"ja": "版", "en": "edition"},
    "audit.report.h.value_before": {"ja": "訂正前", "en": "before"},
    "audit.report.h.value_after": {"ja": "訂正後", "en": "after"},
    "audit.report.h.corrected_on": {"ja": "訂正日", "en": "corrected on"},
    "audit.report.h.current_value": {"ja": "本データの値", "en": "value in our data"},
    "audit.report.h.verdict": {"ja": "判定", "en": "verdict"},
    "audit.report.h.detail": {"ja": "内容", "en": "detail"},
    "audit.report.h.source_a": {"ja": "資料1", "en": "source 1"},
    "audit.report.h.value_a": {"ja": "値1", "en": "value 1"},
    "audit.report.h.source_b": {"ja": "資料2", "en": "source 2"},
    "audit.report.h.value_b": {"ja": "値2", "en": "value 2"},
    "audit.report.h.recomputed_percent": {"ja": "再計算", "en": "recomputed"},
    "audit.report.h.explanation": {"ja": "説明", "en": "explanation"},
    "audit.report.h.category": {"ja": "項目", "en": "category"},
    "audit.report.h.recomputed_rate": {"ja": "再計算", "en": "recomputed"},
}
