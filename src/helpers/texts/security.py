"""Report wording of the security theme (ja/en)."""

TEXT: dict[str, dict[str, str]] = {
    "security.no_dashboard_rows": {"ja": "ダッシュボードの団体別データにはセキュリティ対策の項目がないため、ここでは示さない。", "en": "The dashboard export has no security items, so there is nothing to show here."},
    "security.all_dates": {"ja": "全時点", "en": "all survey dates"},
    "security.title.controls": {"ja": "情報セキュリティ対策の実施率（{date}）", "en": "Security controls in place ({date})"},
    "security.title.index": {"ja": "セキュリティ成熟度指数（測定された対策の平均実施率）", "en": "Security maturity index (mean adoption over measured controls)"},
    "security.title.gap": {"ja": "都道府県と市区町村の差（対策別, 最新時点）", "en": "Prefecture − municipality gap per control (latest date)"},
    "security.index_def": {"ja": "成熟度指数＝その時点・階層で調査された対策の実施率の単純平均。被覆率は全{n}対策のうち測定された割合で、被覆率が違う時点同士は比較できない。", "en": "Maturity index = plain mean of the adoption rates of the controls surveyed for that tier and date. Coverage = share of the {n} controls measured; cells with different coverage are not comparable."},
    "security.f.index": {"ja": "{date}の成熟度指数は{tier}で{value}（{n}対策、被覆率{coverage}）。", "en": "On {date} the maturity index for {tier} was {value} ({n} controls, coverage {coverage})."},
    "security.f.gap": {"ja": "都道府県と市区町村の差が最も大きい対策は「{label}」で{gap}ポイント（{date}：{p} 対 {m}）。", "en": "The widest prefecture–municipality gap is '{label}': {gap} pp ({date}: {p} vs {m})."},
    "security.f.lowest": {"ja": "{date}の市区町村で実施率が最も低い対策は「{label}」の{rate}。", "en": "On {date} the least adopted control among municipalities is '{label}' at {rate}."},
}
