"""Wording of the start-here notebook (ja/en): the findings it renders as Markdown."""

TEXT: dict[str, dict[str, str]] = {
    "start.map.title": {"ja": "「{name}」に該当する市区町村", "en": "Municipalities answering yes to \"{name}\""},
    "start.finding.groupby": {
        "ja": "「{name}」に該当する市区町村の割合は、人口{top}の団体で{top_rate:.1f}%、{bottom}の団体で{bottom_rate:.1f}%（回答団体のみ）。",
        "en": "The share of municipalities answering yes to \"{name}\" is {top_rate:.1f}% among those of {top} inhabitants and "
              "{bottom_rate:.1f}% among those of {bottom} (respondents only)."},
    "start.finding.join": {
        "ja": "都道府県別では、「{name}」に該当する市区町村の割合が最も高いのは{high}（{high_rate:.1f}%）、最も低いのは{low}（{low_rate:.1f}%）。",
        "en": "By prefecture, the share answering yes to \"{name}\" is highest in {high} ({high_rate:.1f}%) and lowest in {low} ({low_rate:.1f}%)."},
    "start.finding.model": {
        "ja": "ロジットモデルでは、人口が2倍になると「{name}」に該当するオッズは{odds:.2f}倍（95%信頼区間 {lo:.2f}～{hi:.2f}、n＝{n:,}団体）。",
        "en": "In the logit model, doubling the population multiplies the odds of \"{name}\" by {odds:.2f} "
              "(95% CI {lo:.2f}–{hi:.2f}, n = {n:,} municipalities)."},
}
