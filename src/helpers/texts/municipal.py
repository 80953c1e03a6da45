"""Report wording of the municipal-panel theme (ja/en): notebook 05_municipalities, its charts
(``helpers.plots_municipal``) and maps (``helpers.maps``)."""

TEXT: dict[str, dict[str, str]] = {
    "theme.municipalities": {"ja": "市区町村別のDX推進状況（団体別パネル）", "en": "The municipal panel: DX by municipality"},
    # indicators (short labels for panels, tables and sentences)
    "muni.ind.cio_appointed": {"ja": "CIOの任命", "en": "CIO appointment"},
    "muni.ind.cio_deputy_appointed": {"ja": "CIO補佐官等の任命", "en": "CIO deputy appointment"},
    "muni.ind.dx_policy": {"ja": "全体方針の策定", "en": "DX policy"},
    "muni.ind.cross_org_structure": {"ja": "全庁的な体制の構築", "en": "cross-organisational structure"},
    "muni.ind.external_talent": {"ja": "外部人材の活用", "en": "external talent"},
    "muni.ind.staff_development": {"ja": "職員育成の取組", "en": "staff development"},
    "muni.ind.all_staff_training": {"ja": "全職員対象の研修", "en": "all-staff training"},
    "muni.ind.ai": {"ja": "AIの導入", "en": "AI"},
    "muni.ind.rpa": {"ja": "RPAの導入", "en": "RPA"},
    "muni.ind.telework": {"ja": "テレワークの導入", "en": "telework"},
    "muni.ind.online32": {"ja": "32手続のオンライン化率", "en": "online share of the 32 procedures"},
    "muni.ind.readiness": {"ja": "DX準備度スコア", "en": "DX readiness score"},
    # groups
    "muni.group.all": {"ja": "全体", "en": "all"},
    "muni.type.village": {"ja": "村", "en": "villages"},
    "muni.type.town": {"ja": "町", "en": "towns"},
    "muni.type.city": {"ja": "市（中核市・政令市を除く）", "en": "other cities"},
    "muni.type.special_ward": {"ja": "特別区", "en": "special wards"},
    "muni.type.core_city": {"ja": "中核市", "en": "core cities"},
    "muni.type.designated_city": {"ja": "政令指定都市", "en": "designated cities"},
    "muni.mgroup.village": {"ja": "村", "en": "villages"},
    "muni.mgroup.town": {"ja": "町", "en": "towns"},
    "muni.mgroup.city": {"ja": "市・特別区", "en": "cities and special wards"},
    "muni.mgroup.large_city": {"ja": "中核市・政令指定都市", "en": "core and designated cities"},
    # number formats
    "muni.fmt.rate_ci": {"ja": "{rate}%（95%信頼区間 {lo}–{hi}%）", "en": "{rate}% (95% CI {lo}–{hi}%)"},
    "muni.fmt.or_ci": {"ja": "{value}（95%信頼区間 {lo}–{hi}）", "en": "{value} (95% CI {lo}–{hi})"},
    "muni.fmt.rate_ci_n": {"ja": "{rate}%（95%信頼区間 {lo}–{hi}%、n={n}）", "en": "{rate}% (95% CI {lo}–{hi}%; n={n})"},
    "muni.fmt.or_cell": {"ja": "{value}（{lo}–{hi}）", "en": "{value} ({lo}–{hi})"},
    "muni.fmt.cell": {"ja": "{rate}%（{lo}–{hi}）", "en": "{rate}% ({lo}–{hi})"},
    "muni.fmt.pp_ci": {"ja": "{value}ポイント（{lo}～{hi}）", "en": "{value} pp ({lo} to {hi})"},
    "muni.fmt.fe_n": {"ja": "{n}団体・{p}都道府県", "en": "{n} in {p} prefectures"},
    # table columns
    "muni.col.indicator": {"ja": "指標", "en": "indicator"},
    "muni.col.n_surveyed": {"ja": "回答団体数（n）", "en": "municipalities surveyed (n)"},
    "muni.col.group": {"ja": "区分", "en": "group"},
    "muni.col.municipalities": {"ja": "団体数", "en": "municipalities"},
    "muni.col.offered": {"ja": "実施している手続数（分母）", "en": "procedures offered (denominator)"},
    "muni.col.online": {"ja": "うちオンライン化済（分子）", "en": "of which online (numerator)"},
    "muni.col.pooled_share": {"ja": "オンライン化率（合算）", "en": "online share (pooled)"},
    "muni.col.median_share": {"ja": "団体別の割合の中央値", "en": "median municipal share"},
    "muni.col.n": {"ja": "n", "en": "n"},
    "muni.col.or_doubling": {"ja": "人口2倍あたりのオッズ比（95%信頼区間）", "en": "odds ratio per doubling of population (95% CI)"},
    "muni.col.ame": {"ja": "人口2倍あたりの平均限界効果（95%信頼区間）", "en": "average marginal effect per doubling (95% CI)"},
    "muni.col.or_village": {"ja": "村（対 市・特別区）", "en": "villages vs cities"},
    "muni.col.or_town": {"ja": "町（対 市・特別区）", "en": "towns vs cities"},
    "muni.col.or_large": {"ja": "中核市・政令指定都市（対 市・特別区）", "en": "core and designated vs cities"},
    "muni.col.fe_or": {"ja": "都道府県固定効果つき：人口2倍あたりのオッズ比（95%信頼区間）", "en": "with prefecture fixed effects: odds ratio per doubling (95% CI)"},
    "muni.col.fe_n": {"ja": "固定効果モデルの対象", "en": "fixed-effects sample"},
    "muni.col.outcome": {"ja": "導入", "en": "outcome"},
    "muni.col.predictor": {"ja": "推進体制の項目", "en": "governance item"},
    "muni.col.rate_with": {"ja": "項目ありの導入率（団体数）", "en": "adoption with the item (n)"},
    "muni.col.rate_without": {"ja": "項目なしの導入率（団体数）", "en": "adoption without the item (n)"},
    "muni.col.or_adjusted": {"ja": "規模・種類を統制したオッズ比（95%信頼区間）", "en": "odds ratio adjusted for size and type (95% CI)"},
    "muni.col.p_holm": {"ja": "補正後の有意確率（ホルム法、全組）", "en": "adjusted p (Holm, all pairs)"},
    "muni.col.scored": {"ja": "スコアのある団体数", "en": "scored"},
    "muni.col.mean": {"ja": "平均", "en": "mean"},
    "muni.col.median": {"ja": "中央値", "en": "median"},
    "muni.col.iqr": {"ja": "四分位範囲", "en": "interquartile range"},
    "muni.col.share_100": {"ja": "100の割合", "en": "share at 100"},
    "muni.col.share_0": {"ja": "0の割合", "en": "share at 0"},
    "muni.col.prefecture": {"ja": "都道府県", "en": "prefecture"},
    "muni.col.not_surveyed": {"ja": "調査無しの団体", "en": "not surveyed"},
    "muni.col.online_pooled": {"ja": "32手続のオンライン化率（合算）", "en": "online share, 32 procedures (pooled)"},
    "muni.col.readiness_median": {"ja": "DX準備度スコアの中央値", "en": "median readiness score"},
    # axes and legends
    "muni.axis.share": {"ja": "実施している団体の割合（%）", "en": "Share of municipalities (%)"},
    "muni.axis.population": {"ja": "人口（2020年、対数目盛）", "en": "Population (2020, log scale)"},
    "muni.axis.predicted": {"ja": "予測確率（%）", "en": "Predicted probability (%)"},
    "muni.axis.pref_gov": {"ja": "都道府県\n自身", "en": "Prefecture\nitself"},
    "muni.axis.odds_ratio": {"ja": "オッズ比（対数目盛、1＝関連なし）", "en": "Odds ratio (log scale; 1 = no association)"},
    "muni.axis.readiness": {"ja": "DX準備度スコア（満たす項目の割合、%）", "en": "Readiness score (share of items met, %)"},
    "muni.axis.size_class": {"ja": "人口規模（2020年国勢調査）", "en": "Population size class (2020 census)"},
    "muni.legend.adoption": {"ja": "点：割合　横線：95%信頼区間（ウィルソン法）　破線：全市区町村", "en": "Dot: share; bar: 95% Wilson interval; dashed line: all municipalities"},
    "muni.legend.observed": {"ja": "観測値（人口規模別、95%信頼区間）", "en": "observed (by size class, 95% CI)"},
    "muni.legend.pref_share": {"ja": "市区町村の実施割合（95%信頼区間）", "en": "share of the municipalities (95% CI)"},
    "muni.legend.national": {"ja": "全国の市区町村", "en": "all municipalities"},
    "muni.legend.gov_yes": {"ja": "都道府県自身：実施", "en": "prefecture itself: yes"},
    "muni.legend.gov_no": {"ja": "都道府県自身：未実施", "en": "prefecture itself: no"},
    # titles
    "muni.title.by_size": {"ja": "人口規模別の実施率（95%信頼区間）", "en": "Adoption by population size (95% CI)"},
    "muni.title.by_type": {"ja": "団体の種類別の実施率（95%信頼区間）", "en": "Adoption by municipality type (95% CI)"},
    "muni.title.online_by_size": {"ja": "32手続のオンライン化率（人口規模別、合算）", "en": "Online share of the 32 procedures by size class (pooled)"},
    "muni.title.online_by_type": {"ja": "32手続のオンライン化率（団体の種類別、合算）", "en": "Online share of the 32 procedures by municipality type (pooled)"},
    "muni.title.models": {"ja": "人口規模と実施の関連（ロジスティック回帰、95%信頼区間）", "en": "Population size and adoption (logistic regression, 95% CI)"},
    "muni.title.predicted": {"ja": "人口と実施の予測確率（団体の種類別、95%信頼区間）", "en": "Predicted probability by population and type group (95% CI)"},
    "muni.title.pref": {"ja": "都道府県別：市区町村の実施率と都道府県自身の状況（{names}）", "en": "By prefecture: share of municipalities and the prefecture's own status ({names})"},
    "muni.caption.adoption": {"ja": "{title}：各欄は実施している団体の割合（括弧内は95%信頼区間の下限–上限、%）", "en": "{title}: each cell is the share of municipalities (in brackets the 95% CI, %)"},
    "muni.caption.models": {"ja": "{title}：各欄はオッズ比（括弧内は95%信頼区間）。種類のオッズ比は同じ人口の市・特別区と比べたもの", "en": "{title}: each cell is an odds ratio (in brackets the 95% CI); type odds ratios compare with cities and special wards of the same population"},
    "muni.caption.pref_table": {"ja": "{title}。{note}", "en": "{title}. {note}"},
    "muni.source": {"ja": "{dash}／{census}", "en": "{dash} / {census}"},
    "muni.title.pref_table": {"ja": "都道府県別の概要（市区町村の割合）", "en": "Prefecture summary (shares of municipalities)"},
    "muni.title.governance": {"ja": "推進体制とAI・RPA・テレワークの関連（規模・種類を統制したオッズ比）", "en": "Governance and AI, RPA, telework (odds ratios adjusted for size and type)"},
    "muni.title.readiness": {"ja": "DX準備度スコアの分布（人口規模別）", "en": "Readiness score by population size class"},
    "muni.title.map": {"ja": "{name}（市区町村別）", "en": "{name}, by municipality"},
    # sections
    "muni.sec.size": {"ja": "1. 人口規模・団体の種類別の実施率", "en": "1. Adoption by population size and type"},
    "muni.sec.models": {"ja": "2. 人口規模との関連（ロジスティック回帰）", "en": "2. Population size and adoption (logistic regression)"},
    "muni.sec.prefectures": {"ja": "3. 都道府県別", "en": "3. By prefecture"},
    "muni.sec.governance": {"ja": "4. 推進体制と導入の関連", "en": "4. Governance and adoption"},
    "muni.sec.readiness": {"ja": "5. DX準備度スコア", "en": "5. DX readiness score"},
    "muni.sec.maps": {"ja": "6. 地図", "en": "6. Maps"},
    "muni.sec.data": {"ja": "7. データ", "en": "7. Data"},
    # paragraphs
    "muni.text.intro": {
        "ja": "デジタル庁「自治体DXの取組に関するダッシュボード」（{update}データ更新、令和5年度調査）の市区町村別データ（{n}団体）を、令和2年国勢調査の人口（速報集計）と団体の種類に全国地方公共団体コードで結び付けて分析する。割合の分母はその項目に回答した団体で、調査無しは0ではなく欠測として扱う。",
        "en": "Per-municipality data of the Digital Agency dashboard (data update {update}, FY2023 surveys; {n} municipalities), joined by local-government code to the 2020 census population (preliminary counts) and the municipality type. Shares use the municipalities that answered the item as denominator; a municipality not surveyed is missing, never 0."},
    "muni.text.size": {
        "ja": "人口規模は2020年国勢調査の人口による（政令指定都市は人口によらず別区分）。割合の横の範囲はウィルソン法による95%信頼区間。",
        "en": "Size classes use the 2020 census population (designated cities form their own class whatever their size). Ranges beside shares are 95% Wilson intervals."},
    "muni.text.online": {
        "ja": "オンライン化率＝オンライン化済の手続数÷実施している手続数（ダッシュボードの32手続の分子と分母）。区分ごとの値は分子と分母をそれぞれ合計してから割った値（合算）で、団体ごとの割合の平均ではない。",
        "en": "Online share = procedures online ÷ procedures offered (the dashboard's numerator and denominator for the 32 procedures). A group's value sums numerators and denominators before dividing (pooled); it is not the mean of municipal shares."},
    "muni.text.models": {
        "ja": "指標ごとに、人口の対数（底2）と団体の種類（村・町・市と特別区（基準）・中核市と政令指定都市）を説明変数とするロジスティック回帰を当てはめた。人口の係数は人口が2倍になるごとのオッズ比で示す（10倍あたりはその約3.32乗）。標準誤差は都道府県でクラスタ化した。中核市と政令指定都市をまとめ、特別区を市に含めたのは、種類を細かく分けると一部の項目で全団体が同じ回答になり（完全分離）、オッズ比が求まらないため。{alike}感度分析として都道府県の固定効果（都道府県ごとのダミー、通常の標準誤差）を加えたモデルも示す。すべての市区町村が同じ回答の都道府県は傾きの情報を持たないので、このモデルからは除いた。",
        "en": "For each indicator, a logistic regression on log2(population) and the type group (villages, towns, cities and special wards (reference), core and designated cities). The population term is shown as the odds ratio per doubling of the population (per tenfold: that ratio to the power 3.32). Standard errors are clustered by prefecture. Core and designated cities form one group and special wards count as cities because finer types answer some items all alike (perfect separation), which leaves their odds ratio undefined. {alike} As a sensitivity check, the same model with prefecture fixed effects (a dummy per prefecture, model-based standard errors); prefectures whose municipalities all answered alike carry no information on the slope and are left out of it."},
    "muni.text.alike": {"ja": "このデータでは、{parts}。", "en": "In these data, {parts}."},
    "muni.text.alike_part": {"ja": "{group}（{n}団体）は{items}がすべて「{answer}」", "en": "all {n} {group} answered '{answer}' for {items}"},
    "muni.text.alike_none": {"ja": "このデータでは、全団体が同じ回答の種類・項目はない。", "en": "In these data, no type answers any item all alike."},
    "muni.text.predicted": {
        "ja": "線は種類ごとの予測確率で、その種類の人口の5〜95パーセンタイルの範囲だけに描く（帯は95%信頼区間）。灰色の点は人口規模別の観測値（各区分の人口の中央値の位置）。",
        "en": "Lines are predicted probabilities per type group, drawn only over that group's 5th–95th population percentiles (band: 95% CI). Grey points are the observed shares by size class, placed at the class's median population."},
    "muni.text.prefectures": {
        "ja": "点は都道府県内の市区町村の実施率（95%信頼区間、括弧内は回答した市区町村数）、右の四角は都道府県自身の状況（ダッシュボードの都道府県比較）。破線は全国の市区町村の割合。",
        "en": "Dots are the share of the prefecture's municipalities (95% CI; in brackets the municipalities that answered); the squares on the right are the prefecture government's own answer (the dashboard's prefecture comparison). The dashed line is the share among all municipalities."},
    "muni.text.governance": {
        "ja": "AI・RPA・テレワークのそれぞれについて、推進体制の項目（{items}）を1つずつ加えたロジスティック回帰（人口の対数と団体の種類を統制、標準誤差は都道府県でクラスタ化）を当てはめた。オッズ比は、規模と種類が同程度の団体の間で、その項目がある団体の導入のオッズが何倍かを示す。これは関連であり、効果（因果）を示すものではない。財政力や職員数など測っていない要因が両方に関わりうるし、導入が体制づくりを促した可能性もある。",
        "en": "For each of AI, RPA and telework, a logistic regression adding one governance item at a time ({items}), controlling for log2(population) and type group, with standard errors clustered by prefecture. The odds ratio compares the odds of adoption of municipalities with and without the item among municipalities of similar size and type. It is an association, not an effect: unmeasured factors such as finances or staff numbers may drive both, and adoption may also have prompted the governance."},
    "muni.text.readiness": {
        "ja": "DX準備度スコア＝ダッシュボードの実施・未実施の{k}項目（{items}）のうち、回答した項目に占める実施項目の割合（0〜100）。重みは等しい。回答した項目が{min}未満の団体はスコアを計算しない（0とはしない）。該当は{n_missing}団体。",
        "en": "DX readiness score = the share of the dashboard's {k} yes/no items ({items}) met, among the items the municipality answered (0–100), with equal weights. Municipalities that answered fewer than {min} items get no score (not 0): {n_missing} municipalities."},
    "muni.text.maps": {
        "ja": "地図は国土数値情報の行政区域（2021年1月1日、簡略化、政令指定都市は市単位）に全国地方公共団体コードで結合した。沖縄県と小笠原村は枠内に同じ縮尺で示す。灰色の斜線は調査無し、薄い灰色は値なし（北方領土の6村、所属未定地、手続を1つも実施していない団体）。",
        "en": "Maps join the data by local-government code to the National Land Numerical Information administrative areas (1 January 2021, simplified, designated cities as one unit). Okinawa and the Ogasawara islands are shown in boxes at the same scale. Grey hatching marks municipalities not surveyed; light grey means no value (the six villages of the Northern Territories, areas of undetermined affiliation, municipalities offering none of the procedures)."},
    "muni.text.data": {
        "ja": "分析に使った市区町村パネル（1団体×1指標で1行、{rows}行＝{n}団体×{k}指標）を出力した：[`municipal_panel.csv`](data/municipal_panel.csv)（`UTF-8 BOM` 付き）、[`municipal_panel.parquet`](data/municipal_panel.parquet)、データ辞書 [`municipal_panel_dictionary.md`](data/municipal_panel_dictionary.md)。",
        "en": "The municipal panel used here (one row per municipality × indicator: {rows} rows = {n} municipalities × {k} indicators): [`municipal_panel.csv`](data/municipal_panel.csv) (UTF-8 with BOM), [`municipal_panel.parquet`](data/municipal_panel.parquet), data dictionary [`municipal_panel_dictionary.md`](data/municipal_panel_dictionary.md)."},
    # maps
    "muni.map.inset.okinawa": {"ja": "沖縄県", "en": "Okinawa"},
    "muni.map.inset.ogasawara": {"ja": "小笠原村", "en": "Ogasawara"},
    "muni.map.date": {"ja": "データ：デジタル庁ダッシュボード {update}データ更新（令和5年度調査）", "en": "Data: Digital Agency dashboard, data update {update} (FY2023 surveys)"},
    "muni.map.credit_n03": {"ja": "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成", "en": "Source: National Land Numerical Information (Administrative Areas Data), Ministry of Land, Infrastructure, Transport and Tourism; processed by the authors"},
    "muni.note.n_models": {"ja": "n＝{n}団体（各モデル。人口のない団体と、その項目が調査無しの団体を除く）", "en": "n = {n} municipalities per model (without the municipality lacking a population and those not surveyed for the item)"},
    "muni.map.binary_title": {"ja": "{name}", "en": "{name}: yes or no"},
    "muni.map.yes": {"ja": "実施", "en": "yes"},
    "muni.map.no": {"ja": "未実施", "en": "no"},
    "muni.map.not_surveyed": {"ja": "調査無し", "en": "not surveyed"},
    "muni.map.no_value": {"ja": "値なし", "en": "no value"},
    "muni.map.n": {"ja": "n＝{n}団体", "en": "n = {n} municipalities"},
    "muni.map.unit_pct": {"ja": "{name}（%）", "en": "{name} (%)"},
    "muni.map.unit_score": {"ja": "{name}（0〜100）", "en": "{name} (0–100)"},
    "muni.credit.census": {"ja": "人口：総務省統計局 令和2年国勢調査 人口速報集計", "en": "Population: Statistics Bureau of Japan, 2020 Population Census (preliminary counts)"},
    # not surveyed
    "muni.ns.part": {"ja": "{pref}の{n}団体（{names}）は{items}が調査無し", "en": "{n} municipalities of {pref} ({names}) were not surveyed for {items}"},
    "muni.ns.note": {"ja": "{parts}。これらの項目では割合の分母から除き（0とはしない）、DX準備度スコアも計算しない。{others}には値があり、分母に含む。", "en": "{parts}. They are left out of the denominators of these items (never counted as 0) and get no readiness score. They have values for {others}, which count them."},
    "muni.ns.short": {"ja": "＊{pref}：{n}団体{incl}が推進体制の{k}項目で調査無し（分母から除外）", "en": "* {pref}: {n} municipalities{incl} not surveyed for {k} governance items (left out of the denominators)"},
    "muni.ns.incl": {"ja": "（{name}を含む）", "en": " (including {name})"},
    # findings
    "muni.f.size_gap_max": {
        "ja": "人口規模による差が最も大きいのは{name}：{small}で{a}、{large}（政令指定都市を除く）で{b}、差は{gap}ポイント。",
        "en": "The largest gap by population size is for {name}: {a} of municipalities with {small} inhabitants against {b} of those with {large} (designated cities apart), a gap of {gap} pp."},
    "muni.f.size_gap_min": {
        "ja": "差が最も小さいのは{name}：{small}で{a}、{large}で{b}、差は{gap}ポイント。",
        "en": "The smallest gap is for {name}: {a} with {small} inhabitants against {b} with {large}, a gap of {gap} pp."},
    "muni.f.or_top": {
        "ja": "団体の種類を統制しても、人口が2倍になるごとの実施のオッズ比は{items}と大きい（都道府県でクラスタ化した95%信頼区間、n={n}）。{total}項目中{k}項目で信頼区間が1を上回る。",
        "en": "Holding the type group fixed, the odds ratio per doubling of population is largest for {items} (95% CIs clustered by prefecture; n={n}); for {k} of {total} items the interval lies above 1."},
    "muni.f.or_flat": {
        "ja": "{items}は信頼区間が1をまたぎ、同じ種類の中での人口との関連ははっきりしない。",
        "en": "For {items} the interval includes 1: within a type group there is no clear association with population."},
    "muni.f.ame": {
        "ja": "{name}では、人口が2倍になるごとに実施の確率が平均{value}ポイント（95%信頼区間 {lo}–{hi}）高い（平均限界効果）。",
        "en": "For {name}, each doubling of population goes with a probability of adoption higher by {value} pp on average (95% CI {lo}–{hi}; average marginal effect)."},
    "muni.f.governance": {
        "ja": "規模と種類が同程度の団体の間で、{pred}がある団体の{out}のオッズ比は{value}（導入率は{rw}%（{nw}団体）対 {rwo}%（{nwo}団体）、n={n}）。推進体制の4項目とAI・RPA・テレワークの{total}組のうち{k}組で信頼区間が1を上回るが、{total}組をまとめて検定しているので有意確率をホルム法で補正すると、残るのは{h}組。いずれも関連であり、効果を示すものではない。",
        "en": "Among municipalities of similar size and type, the odds ratio of adopting {out} for those with {pred} is {value} ({rw}% of {nw} against {rwo}% of {nwo}; n={n}); {k} of the {total} pairs of a governance item and an outcome have an interval above 1, but the {total} pairs are one family of tests: after Holm's adjustment of the p-values {h} remain. These are associations, not effects."},
    "muni.f.readiness": {
        "ja": "DX準備度スコア（{k}項目のうち実施している割合）の中央値は全体で{median}（n={n}）。{small}では{ms}（四分位範囲{q1s}–{q3s}、n={ns}）、{large}では{ml}（{q1l}–{q3l}、n={nl}）。",
        "en": "The median DX readiness score (share of the {k} items met) is {median} overall (n={n}): {ms} (interquartile range {q1s}–{q3s}; n={ns}) with {small} inhabitants and {ml} ({q1l}–{q3l}; n={nl}) with {large}."},
    "muni.f.prefecture": {
        "ja": "都道府県別（回答した市区町村が{min_n}以上の{k}都道府県）に見ると、{name}の割合は最も低い{low}で{lr}、最も高い{high}で{hr}。",
        "en": "By prefecture (the {k} with at least {min_n} municipalities answering), {name} ranges from {lr} in {low} to {hr} in {high}."},
    "muni.f.online": {
        "ja": "32手続のオンライン化率（合算）は全体で{all}（{off}手続中{on}手続、{n}団体）。{small}では{s}、{large}では{l}。",
        "en": "The pooled online share of the 32 procedures is {all} overall ({on} of {off} procedures offered; {n} municipalities): {s} with {small} inhabitants and {l} with {large}."},
    # caveats
    "muni.c.population": {
        "ja": "{name}（{code}）は国勢調査の人口がない（{note}）ため、人口規模別の集計と回帰から除き、種類別の集計には含む。",
        "en": "{name_code} has no census population, so it is left out of the size classes and the regressions and kept in the tables by type."},
    "muni.c.census": {
        "ja": "{n}団体は標本ではなくすべての市区町村である。信頼区間は、同じ条件の団体が実施する確率（背後の傾向）の不確かさを示す。",
        "en": "The {n} municipalities are all there are, not a sample; intervals express uncertainty about the underlying propensity of municipalities like these."},
    "muni.c.association": {
        "ja": "回帰はすべて1時点の横断データによるもので、関連を示すが効果は示さない。財政力、職員数、首長の方針、都道府県の支援など、測っていない要因が規模と実施の両方に関わりうる。",
        "en": "All regressions use one cross-section: they show associations, not effects. Unmeasured factors (finances, staff numbers, the mayor's priorities, prefectural support) may relate to both size and adoption."},
    "muni.c.groups": {
        "ja": "回帰では特別区を市に含め、中核市と政令指定都市を1つの区分にまとめた（理由は本文）。種類別の集計表ではそれぞれ分けて示す。",
        "en": "In the regressions special wards count as cities and core and designated cities form one group (see the text for why); the tables by type show them apart."},
    "muni.c.dropped": {"ja": "{name}のモデルでは、{groups}の全団体が同じ回答のため、その区分を除いた。", "en": "In the model for {name}, {groups} answered all alike and were left out."},
    "muni.c.fe": {
        "ja": "都道府県固定効果のモデルでは、すべての市区町村が同じ回答の都道府県を除いた：{items}。",
        "en": "The prefecture fixed-effects models leave out the prefectures whose municipalities all answered alike: {items}."},
    "muni.c.fe_item": {"ja": "{name}（{prefs}）", "en": "{name} ({prefs})"},
    "muni.c.fe_none": {"ja": "都道府県固定効果のモデルでは、どの都道府県も除いていない。", "en": "The prefecture fixed-effects models leave out no prefecture."},
    "muni.c.readiness": {
        "ja": "DX準備度スコアは等しい重みによる単純な要約で、検証された指標ではない。推進体制（{g}項目）と導入（{o}項目）を合わせており、項目の選び方と重みで順位は変わりうる。",
        "en": "The readiness score is a plain equal-weight summary, not a validated index; it mixes governance ({g} items) and adoption ({o} items), and other items or weights could reorder municipalities."},
    "muni.c.boundaries": {
        "ja": "地図の境界は{date}の行政区域。市区町村の区域とコードはダッシュボード（{year}年）の{n}団体と一致する（`helpers.build_reference` で確認）。",
        "en": "Map boundaries are those of {date}; the municipalities and their codes match the {n} of the dashboard ({year}) (checked by `helpers.build_reference`)."},
    "muni.c.online": {
        "ja": "32手続のオンライン化率の分母は各団体が実施している手続の数（0〜{max}）で、{n0}団体は実施している手続が0のため値なし。手続数の少ない団体の割合は粗い。",
        "en": "The denominator of the 32-procedure online share is the number of procedures a municipality offers (0–{max}); {n0} municipalities offer none and have no value, and shares of municipalities offering few procedures are coarse."},
}
