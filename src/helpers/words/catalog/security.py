"""Report wording of the security theme (ja/en)."""

TEXT: dict[str, dict[str, str]] = {
    "security.no_dashboard_rows": {"ja": "ダッシュボードの団体別データにはセキュリティ対策の項目がないため、ここでは示さない。", "en": "The dashboard export has no security items, so there is nothing to show here."},
    # tables
    "security.col.control": {"ja": "対策", "en": "control"},
    "security.col.tier": {"ja": "団体区分", "en": "level of government"},
    "security.col.date": {"ja": "基準日", "en": "reference date"},
    "security.col.n": {"ja": "共通対策数", "en": "common controls"},
    "security.col.controls": {"ja": "共通対策", "en": "controls"},
    "security.col.from": {"ja": "前の時点", "en": "from"},
    "security.col.to": {"ja": "後の時点", "en": "to"},
    "security.col.flag": {"ja": "注記", "en": "note"},
    "security.flagged": {"ja": "公表値に矛盾あり（下の注意事項）", "en": "published figures inconsistent (see caveats)"},
    "security.cell_count": {"ja": "（{count}団体）", "en": " ({count})"},
    "security.count_of": {"ja": "{base}団体中{count}団体", "en": "{count} of {base}"},
    "security.base_item": {"ja": "{tier}{bases}", "en": "{bases} {tier}"},
    "security.bases": {"ja": "割合の母数：{items}団体。", "en": "Bases of the shares: {items}."},
    "security.only_item": {"ja": "{date}：{tier}のみ＝{controls}", "en": "{date}: {tier} only: {controls}"},
    # titles
    "security.title.table": {"ja": "対策別の実施率（団体区分・基準日別）", "en": "Controls in place by level of government and reference date"},
    "security.title.controls": {"ja": "情報セキュリティ対策の実施率（{date}）", "en": "Security controls in place ({date})"},
    "security.title.index": {"ja": "共通対策の平均実施率（基準日ごとに、両方の団体区分で調査された対策だけで比較）", "en": "Mean implementation rate over common controls (per reference date, only controls measured for both levels of government)"},
    "security.title.gap": {"ja": "都道府県と市区町村の差（対策別、基準日ごと）", "en": "Prefecture − municipality gap per control, by reference date"},
    "security.title.changes": {"ja": "同じ系列の中での変化", "en": "Changes within one series"},
    # paragraphs
    "security.text.table_note": {"ja": "—＝その基準日・団体区分では調査・公表されていない（0%ではない）。＊＝割合は公表されておらず、団体数／母数から計算した（「全団体」など）。括弧内は実施団体数。{bases}", "en": "— = not measured or not published for that level of government and date (not 0%). * = no share published; computed as count / base (e.g. 'all organisations'). Counts of organisations in brackets. {bases}"},
    "security.text.index_def": {"ja": "共通対策の平均実施率＝同じ基準日に都道府県と市区町村の両方で調査された対策だけの実施率の単純平均。基準日によって対策の組み合わせが違うため、基準日の間では比べない。片方の団体区分だけで調査された対策は含めない：{only}。", "en": "Mean implementation rate over common controls = plain mean of the rates of the controls measured for both prefectures and municipalities on the same reference date. The set of controls differs by date, so means of different dates are not compared. Controls measured for one level of government only are left out: {only}."},
    "security.text.gap_note": {"ja": "斜線の行は片方の団体区分で調査されていない対策で、差は計算できない（0ではない）。", "en": "Hatched rows are controls not measured for one level of government: no gap can be computed (it is not 0)."},
    "security.text.gap_skip": {"ja": "両方の団体区分で調査された対策がない基準日（{dates}）は図に含めない。", "en": "Reference dates with no control measured for both levels of government ({dates}) are not in the chart."},
    "security.text.changes": {"ja": "変化は、同じ系列（同じ調査・定義）で続く2つの基準日の間だけで計算する。基準日の記載がない値と二次資料の値はそのように示す。", "en": "Changes are computed only between consecutive reference dates of one series (same survey and definition). Figures with no stated reference date and secondary-source figures are labelled as such."},
    "security.none": {"ja": "なし", "en": "none"},
    # chart words
    "security.legend.not_measured": {"ja": "未調査（調査・公表なし。0%ではない）", "en": "Not measured (not surveyed or not published; not 0%)"},
    "security.not_measured": {"ja": "未調査", "en": "not measured"},
    "security.not_measured_tier": {"ja": "{tier}は未調査", "en": "not measured for {tier}"},
    "security.axis.rate": {"ja": "実施している団体の割合（%）", "en": "Share of organisations (%)"},
    "security.legend.pref_higher": {"ja": "都道府県の方が高い", "en": "Prefectures higher"},
    "security.legend.muni_higher": {"ja": "市区町村の方が高い", "en": "Municipalities higher"},
    "security.gap_label": {"ja": "{gap}（{p} 対 {m}）", "en": "{gap} ({p} vs {m})"},
    # findings
    "security.f.index_widest": {"ja": "両方の団体区分で調査された共通対策の平均実施率は、{date}{secondary}（共通{n}対策）で都道府県{p}・市区町村{m}、差は{gap}ポイント。", "en": "Mean implementation rate over the {n} controls measured for both levels of government {date}{secondary}: prefectures {p}, municipalities {m}, gap {gap} pp."},
    "security.f.index_others": {"ja": "ほかの{k}基準日は平均に入る対策が少なく組も違う（{ns}対策）ため、その平均は表に示すだけで、この差とは比べない。", "en": " The other {k} reference dates average fewer, different controls ({ns}); their means are in the table and are not compared with this gap."},
    "security.text.flag_note": {"ja": "†＝公表値どうしが矛盾する（データ監査を参照）。表には公表どおり示すが、平均・差・変化の計算には使わない。", "en": "† = the published figures contradict each other (see the data audit); shown as published, but used in no mean, gap or change."},
    "security.f.gap": {"ja": "{date}{secondary}で両方の団体区分で調査された{n_both}対策のうち、都道府県と市区町村の差が最も大きいのは「{label}」で{gap}ポイント（都道府県{p}＝{p_n}、市区町村{m}＝{m_n}）。", "en": "Of the {n_both} controls measured for both levels of government {date}{secondary}, the widest gap is '{label}': {gap} pp (prefectures {p}, {p_n}; municipalities {m}, {m_n})."},
    "security.f.lowest": {"ja": "{date}（市区町村について{n_controls}対策を調査）に市区町村で実施率が最も低いのは「{label}」の{rate}（{n}）。", "en": "{date} ({n_controls} controls measured for municipalities), the least implemented control among municipalities is '{label}' at {rate} ({n})."},
    "security.f.change": {"ja": "同じ系列の中で市区町村の変化が最も大きいのは「{label}」で、{prev_date}の{prev}（{prev_n}）から{date}の{rate}（{n}）へ{pp}ポイント。", "en": "Within one series, the largest change among municipalities is '{label}': from {prev} ({prev_n}) {prev_date} to {rate} ({n}) {date}, {pp} pp."},
    "security.in_survey": {"ja": "{survey}", "en": "in the {survey}"},
}
