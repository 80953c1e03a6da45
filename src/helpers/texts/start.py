"""Wording of the start-here notebook (ja/en): the findings it renders as Markdown."""

TEXT: dict[str, dict[str, str]] = {
    "start.map.title": {"ja": "{name}を実施している市区町村", "en": "Municipalities with {name}"},
    "start.finding.groupby": {
        "ja": "{name}を実施している市区町村の割合は、{top}で{top_rate:.1f}%、{bottom}で{bottom_rate:.1f}%（人口規模別、回答団体のみ）。",
        "en": "The share of municipalities with {name} is {top_rate:.1f}% among {top} and {bottom_rate:.1f}% among {bottom} "
              "(by population size, respondents only)."},
    "start.finding.join": {
        "ja": "地方別では、{name}の実施率が最も高いのは{high}（{high_rate:.1f}%）、最も低いのは{low}（{low_rate:.1f}%）。",
        "en": "By region, {name} is most common in {high} ({high_rate:.1f}%) and least common in {low} ({low_rate:.1f}%)."},
    "start.finding.model": {
        "ja": "ロジットモデルでは、人口が2倍になると{name}を実施するオッズは{odds:.2f}倍（95%信頼区間 {lo:.2f}～{hi:.2f}、n＝{n:,}団体）。",
        "en": "In the logit model, doubling the population multiplies the odds of {name} by {odds:.2f} "
              "(95% CI {lo:.2f}–{hi:.2f}, n = {n:,} municipalities)."},
}
