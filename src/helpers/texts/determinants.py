"""Report wording of the determinants theme (ja/en): notebook 07_determinants, its charts
(``helpers.plots_determinants``) and maps. The functions below turn the frames of
``helpers.analysis.determinants`` into sentences and reader tables; every number comes from a frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

TEXT: dict[str, dict[str, str]] = {
    "theme.determinants": {"ja": "規模のほかに何が導入と関連するか：財政力・都道府県・近隣団体", "en": "What goes with adoption beyond size: fiscal capacity, prefecture and neighbours"},
    "det.source": {"ja": "{dash}／{census}／{finance}", "en": "{dash} / {census} / {finance}"},
    "det.credit.finance": {"ja": "財政：総務省「地方公共団体の主要財政指標一覧」", "en": "Finance: MIC, main finance indicators of local governments"},
    # sections
    "det.sec.residents": {"ja": "1. 団体の割合と住民の割合", "en": "1. Share of municipalities and share of residents"},
    "det.sec.fiscal": {"ja": "2. 財政力との関連（規模・種類を統制）", "en": "2. Fiscal capacity, with size and type held fixed"},
    "det.sec.prefecture": {"ja": "3. 都道府県による違い（分散の割合）", "en": "3. How much lies between prefectures"},
    "det.sec.spatial": {"ja": "4. 近隣団体は似ているか（空間的自己相関）", "en": "4. Are neighbours alike? (spatial autocorrelation)"},
    "det.sec.data": {"ja": "5. データ", "en": "5. Data"},
    # paragraphs
    "det.text.intro": {"ja": "規模（人口）と団体の種類のほかに、財政力・所属する都道府県・近隣の団体が導入とどう関連するかを、{n}市区町村（デジタル庁ダッシュボード、{update}）で調べる。財政指標は総務省「主要財政指標一覧」の{era}決算（{fy}年度）を使う（{latest}のもの。他の年度は感度分析）。いずれも一時点の横断的な関連であり、効果ではない。", "en": "Beyond population size and type, how do fiscal capacity, the prefecture and the neighbouring municipalities go with adoption? {n} municipalities (Digital Agency dashboard, {update}). Finance indicators: the FY{fy} settlement of the MIC finance tables, {latest} (other years in the sensitivity analysis). All results are associations in one cross-section, not effects."},
    "det.text.residents": {"ja": "面積で塗り分けた地図では、面積の大きい農村部の団体が目立つ。ここでは、ある取組のある団体の割合（団体数ベース）と、その団体に住む住民の割合（2020年国勢調査人口ベース）を並べる。分母はどちらも値と人口のある同じ団体。団体の割合の横の範囲はウィルソン法による95%信頼区間。{n}団体は標本ではなくすべての市区町村であり、区間は、同じ条件の団体が実施する確率そのもの（個々の団体の事情を除いた実施しやすさ）の不確かさを示す。", "en": "Maps coloured by area are dominated by the large rural municipalities. Here the share of municipalities with a measure is set beside the share of residents living in them (2020 census); both shares are over the same municipalities (those with a value and a population). Ranges beside the municipal shares are 95% Wilson intervals: the {n} municipalities are all there are, not a sample, and the intervals express uncertainty about the underlying propensity of municipalities like these."},
    "det.text.fiscal": {"ja": "指標ごとに、財政力指数（0.1あたり）・人口の対数（底2）・団体の種類を説明変数とするロジスティック回帰を当てはめた。標準誤差は都道府県でクラスタ化した。特別区{wards}団体は、財政力指数が東京都により別の基準で算定されるため、財政指標を含むモデルから除く。有意確率は{k}指標を一つの検定群としてホルム法で調整した。", "en": "Per indicator, logit(adopted) = fiscal capacity index (per 0.1) + log2 population + type group, standard errors clustered by prefecture. The {wards} special wards are left out of every model with a finance term: their index is computed by Tokyo Metropolis on another basis. p-values are Holm-adjusted across the {k} indicators as one family of tests."},
    "det.text.sensitivity": {"ja": "感度分析：財政力指数を他の年度（{years}）に、または他の財政指標に置き換えた同じモデル。比べられるよう、オッズ比はいずれも1標準偏差あたり。将来負担比率の「－」（0以下）は0とし、そのことを示すダミー変数を加えた。", "en": "Sensitivity: the same model with the fiscal capacity index of other years ({years}) or another finance indicator instead. Odds ratios are per standard deviation so that they can be compared. A future-burden ratio shown as 「－」 (at or below zero) enters as 0 together with a dummy for that status."},
    "det.text.prefecture": {"ja": "都道府県ごとのランダム切片を置いた線形混合モデル（`statsmodels` の `MixedLM`、制限付き最尤法）で、ばらつきのうち都道府県間にある割合（級内相関）を推定した。区間はプロファイル尤度による95%区間。はい・いいえの指標は線形確率モデル（確率の尺度での級内相関）。並べて、都道府県ダミー（固定効果）を加えたときの決定係数の増加も示す。", "en": "A random-intercept model by prefecture (statsmodels MixedLM, REML) gives the share of the variation that lies between prefectures (the intra-class correlation, ICC), with a 95% profile-likelihood interval. Yes/no indicators use a linear probability model (ICC on the probability scale). Beside it, the fixed-effects view: the gain in R² from prefecture dummies."},
    "det.text.spatial": {"ja": "空間重みは国土数値情報の行政区域（{date}）から作った隣接関係（クイーン型：境界か頂点を共有）。隣接する団体のない島しょの{islands}団体は、代表点が最も近い1団体と結んだ（最近傍法）。境界データに形のない{no_polygon}団体は除いた。連続的な指標はモラン統計量、はい・いいえの指標は「実施」どうしの隣接の数（ジョインカウント）で検定し、有意確率は{perms}回の並べ替え（乱数の種を固定）による。モデルの残差にも同じ検定を行い、規模・種類・財政力で説明されない集積があるかをみる。", "en": "Spatial weights: contiguity (queen: a shared border or corner) on the national land boundaries ({date}). The {islands} island municipalities without a contiguous neighbour are linked to their single nearest municipality (k nearest neighbours, k = 1); the {no_polygon} municipalities without a polygon are left out. Continuous measures are tested with Moran's I, yes/no indicators with the join count of adopter–adopter neighbours; p-values come from {perms} random permutations (fixed seed). The same tests on model residuals ask whether clustering remains beyond size, type and fiscal capacity."},
    "det.text.lisa": {"ja": "局所モラン統計量による32手続のオンライン化率の局所クラスタ。「高-高」は自らも近隣も高い団体、「低-低」は自らも近隣も低い団体、「高-低」「低-高」は周囲と異なる団体。基準は並べ替えによる疑似有意確率{alpha}未満（団体ごとの検定であり、多重検定を考慮しない）。偽発見率で絞ると残るのは{fdr}団体。", "en": "Local Moran (LISA) clusters of the 32-procedure online share. High-high: high and surrounded by high; low-low: low and surrounded by low; high-low and low-high: unlike their neighbours. Significance: permutation pseudo p < {alpha}, one test per municipality with no correction for multiple testing; a false-discovery-rate cut leaves {fdr} municipalities."},
    "det.text.neighbours": {"ja": "近隣団体の導入割合（値のある隣接団体のうち実施の割合、10ポイントあたり）を、規模・種類・財政力のロジスティック回帰に加えた。近隣団体は同時に決めており（同時性）、同じ都道府県の仕組みやベンダー、共通のショックを受けるため、これは関連であって波及効果の推定ではない。", "en": "The share of a municipality's neighbours with the measure (among neighbours with a value, per 10 points) added to the logit with size, type and fiscal capacity. Neighbours decide at the same time (simultaneity) and share prefectural systems, vendors and shocks (common shocks): this is an association, not an estimate of diffusion."},
    "det.text.data": {"ja": "分析に使ったパネルを出力した：[`municipal_panel.csv`](data/municipal_panel.csv)（`UTF-8 BOM` 付き）、[`municipal_panel.parquet`](data/municipal_panel.parquet)（どちらも財政指標の列を含む）、データ辞書 [`municipal_panel_dictionary.md`](data/municipal_panel_dictionary.md)。", "en": "The panel used here: [`municipal_panel.csv`](data/municipal_panel.csv) (UTF-8 with BOM) and [`municipal_panel.parquet`](data/municipal_panel.parquet), both with the finance columns; data dictionary [`municipal_panel_dictionary.md`](data/municipal_panel_dictionary.md)."},
    # findings
    "det.f.residents": {"ja": "{name}：実施している団体は{munis}だが、そこに住む住民は{residents}に上る（2020年国勢調査人口、n={n}団体）。", "en": "{name}: {munis} of municipalities but {residents} of residents (2020 census; n = {n} municipalities)."},
    "det.f.residents_pref": {"ja": "{name}の団体割合と住民割合の差が最も大きいのは{pref}（団体{munis}、住民{residents}）。", "en": "The largest gap between the municipal and the resident share of {name} is in {pref} ({munis} of municipalities, {residents} of residents)."},
    "det.f.fiscal_none": {"ja": "規模と種類を揃えると、財政力指数0.1あたりのオッズ比は、{k}指標を一つの検定群としてホルム法で調整すると、どの指標でも1と異ならない（調整した有意確率の最小値{pmin}）。", "en": "With size and type held fixed, after Holm adjustment across the {k} indicators none of the odds ratios per 0.1 of the fiscal capacity index differs from 1 (smallest adjusted p = {pmin})."},
    "det.f.fiscal_unadjusted": {"ja": "調整前では、{items}。", "en": "Before adjustment, {items}."},
    "det.f.fiscal_lower": {"ja": "{name}は財政力が高いほど実施の割合が低い（オッズ比{value}、95%信頼区間 {lo}–{hi}）", "en": "{name} is lower with higher fiscal capacity (odds ratio {value}, 95% CI {lo}–{hi})"},
    "det.f.fiscal_higher": {"ja": "{name}は財政力が高いほど実施の割合が高い（オッズ比{value}、95%信頼区間 {lo}–{hi}）", "en": "{name} is higher with higher fiscal capacity (odds ratio {value}, 95% CI {lo}–{hi})"},
    "det.f.fiscal_some": {"ja": "規模と種類を揃えても財政力指数と関連する指標（{k}指標でホルム法により調整した有意確率0.05未満）：{items}。", "en": "Indicators associated with the fiscal capacity index after size and type (Holm-adjusted p < 0.05 across the {k} indicators): {items}."},
    "det.f.online": {"ja": "32手続のオンライン化率は、規模と種類を揃えて財政力指数が0.1高いごとに{coef}ポイント高い（加重最小二乗法、n={n}）。", "en": "The 32-procedure online share is {coef} points higher per 0.1 of fiscal capacity with size and type held fixed (weighted least squares; n = {n})."},
    "det.f.r2": {"ja": "32手続のオンライン化率を人口の対数と種類で説明する線形モデルの決定係数は{r2a}、都道府県ダミーを加えると{r2b}（分散比の検定の有意確率{p}、n={n}）。", "en": "In a linear model of the 32-procedure online share on log population and type, R² is {r2a}; adding prefecture dummies raises it to {r2b} (F test p{p}; n = {n})."},
    "det.f.icc": {"ja": "32手続のオンライン化率のばらつきのうち都道府県間にある割合（級内相関）は{raw}、規模・種類・財政力を統制しても{adj}。", "en": "The share of the variation of the 32-procedure online share that lies between prefectures (ICC) is {raw}; with size, type and fiscal capacity held fixed it is {adj}."},
    "det.f.icc_binary": {"ja": "はい・いいえの指標では都道府県間の割合は小さい：規模・種類・財政力を統制した級内相関は{items}。", "en": "For yes/no indicators the share between prefectures is small: with size, type and fiscal capacity held fixed, ICC {items}."},
    "det.f.moran": {"ja": "32手続のオンライン化率には正の空間的自己相関がある（モラン統計量{raw}、並べ替えによる有意確率{p_raw}）。規模・種類・財政力のモデルの残差にも残る（{res}、有意確率{p_res}）。", "en": "The 32-procedure online share is positively spatially autocorrelated (Moran's I = {raw}, permutation p{p_raw}), and so are the residuals of the model with size, type and fiscal capacity (I = {res}, p{p_res})."},
    "det.f.joins": {"ja": "「実施」どうしの隣接が偶然より多い指標（ホルム法で調整した有意確率0.05未満）は{k}指標中{n_sig}指標（例：AIの導入は{bb}組、偶然なら{exp}組）。モデルの残差でも集積が残るのは{res_items}。", "en": "Adopter–adopter neighbour pairs exceed chance (Holm-adjusted p < 0.05) for {n_sig} of {k} indicators (e.g. AI: {bb} pairs against {exp} by chance). Residual clustering remains for {res_items}."},
    "det.f.lisa": {"ja": "32手続のオンライン化率の局所クラスタ（疑似有意確率0.05未満）：高-高{hh}団体、低-低{ll}団体、高-低{hl}団体、低-高{lh}団体。", "en": "Local clusters of the 32-procedure online share (pseudo p < 0.05): {hh} high-high, {ll} low-low, {hl} high-low and {lh} low-high municipalities."},
    "det.f.neighbours_none": {"ja": "近隣団体の導入割合との関連は、{k}指標を一つの検定群としてホルム法で調整すると、どの指標でも残らない（調整した有意確率の最小値{pmin}）。表の信頼区間は調整前のもの。", "en": "No association with neighbours' adoption survives Holm adjustment across the {k} indicators (smallest adjusted p = {pmin}); the intervals in the table are unadjusted."},
    "det.f.neighbours_some": {"ja": "規模・種類・財政力を揃えても近隣団体の導入割合（10ポイントあたり）と関連する指標（{k}指標でホルム法により調整した有意確率0.05未満）：{items}。関連であって波及効果ではない。", "en": "Indicators associated with neighbours' adoption (per 10 points) with size, type and fiscal capacity held fixed (Holm-adjusted p < 0.05 across the {k} indicators): {items}; an association, not diffusion."},
    "det.f.weights": {"ja": "重みの選び方を変えて、隣接の代わりに最も近い{k}団体を近隣とすると、32手続のオンライン化率のモラン統計量は{raw}（隣接では{raw0}）、モデル残差では{res}（隣接では{res0}）。", "en": "With the {k} nearest municipalities as neighbours instead of contiguity, Moran's I of the 32-procedure online share is {raw} (contiguity: {raw0}) and of the model residuals {res} (contiguity: {res0})."},
    "det.f.none": {"ja": "なし", "en": "none"},
    # titles and captions
    "det.title.residents": {"ja": "取組のある団体の割合と住民の割合", "en": "Share of municipalities and of residents with each measure"},
    "det.title.residents_pref": {"ja": "{name}：都道府県別の団体割合と住民割合", "en": "{name}: share of municipalities and of residents by prefecture"},
    "det.title.residents_type": {"ja": "団体の種類別の団体割合と住民割合", "en": "Share of municipalities and of residents by municipality type"},
    "det.title.fiscal": {"ja": "財政力指数（0.1あたり）と近隣団体の導入（10ポイントあたり）のオッズ比", "en": "Odds ratios per 0.1 of fiscal capacity and per 10 points of neighbours' adoption"},
    "det.title.fiscal_table": {"ja": "財政力指数と導入の関連（規模・種類を統制）", "en": "Fiscal capacity and adoption, size and type held fixed"},
    "det.title.sensitivity": {"ja": "感度分析：財政指標・年度を替えたオッズ比（1標準偏差あたり）", "en": "Sensitivity: odds ratios per standard deviation of other finance indicators and years"},
    "det.title.online": {"ja": "32手続のオンライン化率の加重回帰（ポイント）", "en": "Weighted regression of the 32-procedure online share (points)"},
    "det.title.icc": {"ja": "都道府県間にあるばらつきの割合（級内相関、95%区間）", "en": "Share of the variation between prefectures (ICC, 95% interval)"},
    "det.title.r2": {"ja": "都道府県ダミー（固定効果）による決定係数の変化", "en": "Prefecture fixed effects"},
    "det.title.spatial": {"ja": "空間的自己相関の大域的検定", "en": "Global tests of spatial autocorrelation"},
    "det.title.neighbours": {"ja": "近隣団体の導入割合との関連", "en": "Association with neighbours' adoption"},
    "det.title.lisa": {"ja": "32手続のオンライン化率の局所クラスタ（局所モラン統計量）", "en": "Local clusters (LISA) of the 32-procedure online share"},
    "det.note.icc": {"ja": "規模・種類・財政力を統制したモデルは特別区{wards}団体を除く（財政力指数の算定基準が異なる）。統制なしのモデルは値のある全団体。", "en": "The models with size, type and fiscal capacity leave out the {wards} special wards (their fiscal capacity index is computed on another basis); the models without covariates use every municipality with a value."},
    "det.note.residents": {"ja": "団体の割合の範囲は95%信頼区間（ウィルソン法）。団体は標本ではなく全数で、区間は同じ条件の団体の実施しやすさの不確かさを示す。", "en": "Municipal shares: 95% Wilson intervals. The municipalities are a complete count, not a sample; the intervals express uncertainty about the underlying propensity."},
    "det.title.residents_pref_table": {"ja": "都道府県別の団体割合と住民割合", "en": "Share of municipalities and of residents by prefecture"},
    "det.col.pref": {"ja": "都道府県", "en": "prefecture"},
    "det.col.pair": {"ja": "{name}：団体／住民", "en": "{name}: municipalities / residents"},
    "det.col.n_pref": {"ja": "n（団体）", "en": "n (municipalities)"},
    "det.date.survey": {"ja": "調査：{fy}", "en": "survey: {fy}"},
    "det.date.finance": {"ja": "財政：{era}決算", "en": "finance: FY{fy} settlement"},
    "det.date.census": {"ja": "人口：{date}（国勢調査）", "en": "population: census of {date}"},
    "det.note.n_range": {"ja": "n＝{lo}～{hi}団体（指標による）", "en": "n = {lo}–{hi} municipalities (by indicator)"},
    "det.source.residents": {"ja": "{dash}／{census}", "en": "{dash} / {census}"},
    "det.note.forest": {"ja": "塗りつぶしの点はホルム法で調整した有意確率0.05未満、白抜きはそれ以外。特別区{wards}団体を除く（財政力指数の算定基準が異なる）。", "en": "Filled points: Holm-adjusted p < 0.05; open points: otherwise. The {wards} special wards are left out (their fiscal capacity index is computed on another basis)."},
    "det.fmt.interval": {"ja": "{value}（95%区間 {lo}–{hi}）", "en": "{value} (95% interval {lo}–{hi})"},
    "det.fmt.signed": {"ja": "{value}（{lo}～{hi}）", "en": "{value} ({lo} to {hi})"},
    "det.fmt.signed_ci": {"ja": "{value}（95%信頼区間 {lo}～{hi}）", "en": "{value} (95% CI {lo} to {hi})"},
    "det.note.lisa": {"ja": "疑似有意確率{alpha}未満（{perms}回の並べ替え）。団体ごとの検定で多重検定を考慮しない：偽発見率で絞ると残るのは{fdr}団体。", "en": "Pseudo p < {alpha} ({perms} permutations); one test per municipality, not corrected for multiple testing: {fdr} remain under an FDR cut."},
    # axes and legends
    "det.axis.share": {"ja": "割合（%）", "en": "Share (%)"},
    "det.axis.or": {"ja": "オッズ比（対数目盛）", "en": "Odds ratio (log scale)"},
    "det.axis.icc": {"ja": "級内相関（都道府県間の割合）", "en": "ICC (share between prefectures)"},
    "det.legend.munis": {"ja": "団体の割合（95%信頼区間）", "en": "municipalities (95% CI)"},
    "det.legend.residents": {"ja": "住民の割合", "en": "residents"},
    "det.legend.raw": {"ja": "統制なし", "en": "no covariates"},
    "det.legend.adjusted": {"ja": "規模・種類・財政力を統制", "en": "size, type and fiscal capacity held fixed"},
    "det.panel.fiscal": {"ja": "財政力指数 0.1あたり", "en": "per 0.1 of fiscal capacity"},
    "det.panel.neighbours": {"ja": "近隣団体の導入 10ポイントあたり", "en": "per 10 points of neighbours' adoption"},
    "det.lisa.HH": {"ja": "高-高", "en": "high-high"},
    "det.lisa.LL": {"ja": "低-低", "en": "low-low"},
    "det.lisa.HL": {"ja": "高-低", "en": "high-low"},
    "det.lisa.LH": {"ja": "低-高", "en": "low-high"},
    "det.lisa.ns": {"ja": "有意でない", "en": "not significant"},
    "det.lisa.legend": {"ja": "局所クラスタ\n（疑似有意確率{alpha}未満）", "en": "LISA cluster\n(pseudo p < {alpha})"},
    "det.ind.online32_share": {"ja": "32手続のオンライン化率", "en": "online share of the 32 procedures"},
    "det.ind.mynumber_card_rate": {"ja": "マイナンバーカード保有率", "en": "My Number Card holding rate"},
    "det.spec.fc_r3": {"ja": "財政力指数（令和3年度）", "en": "fiscal capacity (FY2021)"},
    "det.spec.fc_r2": {"ja": "財政力指数（令和2年度）", "en": "fiscal capacity (FY2020)"},
    "det.spec.fc_r1": {"ja": "財政力指数（令和元年度）", "en": "fiscal capacity (FY2019)"},
    "det.spec.current_balance": {"ja": "経常収支比率", "en": "current-balance ratio"},
    "det.spec.real_debt_service": {"ja": "実質公債費比率", "en": "real debt-service ratio"},
    "det.spec.future_burden": {"ja": "将来負担比率", "en": "future-burden ratio"},
    "det.spec.laspeyres": {"ja": "ラスパイレス指数", "en": "Laspeyres index"},
    "det.test.moran": {"ja": "モラン統計量", "en": "Moran's I"},
    "det.test.join_count": {"ja": "ジョインカウント（実施-実施）", "en": "join count (adopter–adopter)"},
    "det.test.moran_residual": {"ja": "モラン統計量（モデル残差）", "en": "Moran's I (model residuals)"},
    "det.term.fc10": {"ja": "財政力指数（0.1あたり）", "en": "fiscal capacity (per 0.1)"},
    "det.term.log2_pop": {"ja": "人口2倍あたり", "en": "per doubling of population"},
    "det.term.group_village": {"ja": "村（対 市）", "en": "villages vs cities"},
    "det.term.group_town": {"ja": "町（対 市）", "en": "towns vs cities"},
    "det.term.group_large_city": {"ja": "中核市・政令指定都市（対 市）", "en": "core and designated vs cities"},
    "det.title.weights": {"ja": "重みの選び方による違い：32手続のオンライン化率のモラン統計量", "en": "Choice of weights: Moran's I of the 32-procedure online share"},
    "det.weights.contiguity": {"ja": "隣接（クイーン型、島しょは最近傍）", "en": "contiguity (queen; islands: nearest neighbour)"},
    "det.weights.knn": {"ja": "最も近い{k}団体", "en": "{k} nearest municipalities"},
    "det.series.raw": {"ja": "観測値", "en": "observed"},
    "det.series.residual": {"ja": "モデル残差", "en": "model residuals"},
    "det.col.weights": {"ja": "重み", "en": "weights"},
    "det.col.series": {"ja": "対象", "en": "series"},
    "det.col.moran": {"ja": "モラン統計量（偶然の期待値）", "en": "Moran's I (expected by chance)"},
    # table columns
    "det.col.indicator": {"ja": "指標", "en": "indicator"},
    "det.col.group": {"ja": "区分", "en": "group"},
    "det.col.munis": {"ja": "団体の割合（95%信頼区間）", "en": "share of municipalities (95% CI)"},
    "det.col.residents": {"ja": "住民の割合", "en": "share of residents"},
    "det.col.n": {"ja": "n（団体）", "en": "n (municipalities)"},
    "det.col.or_fc": {"ja": "財政力0.1あたりのオッズ比（95%信頼区間）", "en": "odds ratio per 0.1 fiscal capacity (95% CI)"},
    "det.col.ame": {"ja": "平均限界効果（ポイント、95%信頼区間）", "en": "average marginal effect (points, 95% CI)"},
    "det.col.p_holm": {"ja": "有意確率（ホルム法で調整）", "en": "p (Holm)"},
    "det.col.or_size": {"ja": "人口2倍あたりのオッズ比", "en": "odds ratio per doubling of population"},
    "det.col.term": {"ja": "項", "en": "term"},
    "det.col.coef": {"ja": "係数（ポイント、95%信頼区間）", "en": "coefficient (points, 95% CI)"},
    "det.col.p": {"ja": "有意確率", "en": "p"},
    "det.col.icc_raw": {"ja": "級内相関 統制なし（95%区間）", "en": "ICC, no covariates (95% interval)"},
    "det.col.icc_adj": {"ja": "級内相関 規模・種類・財政力を統制（95%区間）", "en": "ICC, size, type and fiscal capacity held fixed (95% interval)"},
    "det.col.r2a": {"ja": "決定係数（人口・種類）", "en": "R² (size and type)"},
    "det.col.r2b": {"ja": "決定係数（＋都道府県ダミー）", "en": "R² (+ prefecture dummies)"},
    "det.col.f": {"ja": "分散比（分子・分母の自由度）", "en": "F (df1, df2)"},
    "det.col.test": {"ja": "検定", "en": "test"},
    "det.col.stat": {"ja": "統計量（偶然の期待値）", "en": "statistic (expected by chance)"},
    "det.col.p_sim": {"ja": "並べ替えによる有意確率", "en": "permutation p"},
    "det.col.or_nb": {"ja": "近隣10ポイントあたりのオッズ比（95%信頼区間）", "en": "odds ratio per 10 points of neighbours (95% CI)"},
    "det.col.or_fc_nb": {"ja": "同じモデルの財政力0.1あたり", "en": "fiscal capacity per 0.1, same model"},
    # caveats
    "det.c.cross_section": {"ja": "一時点の横断データ（{survey}）であり、示したのは関連であって効果ではない。財政力や近隣の導入が導入を「もたらす」とは言えない。", "en": "One cross-section ({survey}): the results are associations, not effects; they do not show that fiscal capacity or neighbours' adoption cause adoption."},
    "det.survey_when": {"ja": "{era}", "en": "FY{fy}"},
    "det.survey_when_dated": {"ja": "{era}（{fy}年の基準日）", "en": "FY{fy} (reference dates in {fy})"},
    "det.c.years_unknown": {"ja": "財政指標は{era}決算（{fy}年度）。調査年度は分からず、調査時点とのずれは確かめられない。ラスパイレス指数は各年度の4月1日時点。感度分析の令和元・2年度でも結果は同様か表で確かめられる。", "en": "The finance indicators are the FY{fy} settlement; the survey year is not given, so the gap between the two dates cannot be checked. The Laspeyres index refers to 1 April of its fiscal year. The sensitivity table shows whether the FY2019 and FY2020 settlements tell the same story."},
    "det.c.years": {"ja": "財政指標は{era}決算（{fy}年度）、調査は{survey}で、時点がずれている。ラスパイレス指数は各年度の4月1日時点。感度分析の令和元・2年度でも結果は同様か表で確かめられる。", "en": "The finance indicators are the FY{fy} settlement and the survey is {survey}: the dates differ. The Laspeyres index refers to 1 April of its fiscal year. The sensitivity table shows whether the FY2019 and FY2020 settlements tell the same story."},
    "det.c.wards": {"ja": "特別区{wards}団体の財政力指数は東京都が別の基準（特別区財政調整交付金）で算定しており他の団体と比べられないため、財政指標を含む分析から除いた（パネルでは `fiscal_capacity_basis` 列で区別）。", "en": "The {wards} special wards' fiscal capacity index is computed by Tokyo Metropolis on another basis (special-ward fiscal adjustment grants) and is not comparable: they are left out of every analysis with a finance term (flagged in the panel's fiscal_capacity_basis column)."},
    "det.c.future_burden": {"ja": "将来負担比率の「－」は負担を上回る財源があること（0以下）を示し、欠測ではない（{year}年度は{n}団体）。パネルでは `future_burden_status` 列で区別し、感度分析では0とダミー変数で扱った。", "en": "「－」 in the future-burden ratio means resources exceed the burden (at or below zero), not a missing figure ({n} municipalities in FY{year}); it is its own status in the panel (future_burden_status) and enters the sensitivity model as 0 with a dummy."},
    "det.c.weights": {"ja": "結果は空間重みの選び方に依存する：クイーン型の隣接（簡略化した境界）と、島しょ{islands}団体への最も近い1団体の結合。政令指定都市は区をまとめた1つの形として扱った。別の重みでは値が変わりうる（表では最も近い{k}団体による重みと並べた）。", "en": "The results depend on the choice of weights: queen contiguity on simplified boundaries, with the {islands} island municipalities linked to their nearest municipality; designated cities are one polygon each. Other weights may give other values (the table sets the {k} nearest municipalities beside contiguity)."},
    "det.c.maup": {"ja": "可変単位地区問題：市区町村という単位と境界（合併の経緯を含む）で集計した結果であり、別の単位では集積の見え方が変わる。", "en": "Modifiable areal unit problem: the results are for municipalities as units, with their boundaries (and merger history); other units would show clustering differently."},
    "det.c.lisa": {"ja": "局所モラン統計量は団体ごとに{n}回の検定を行うため、疑似有意確率{alpha}未満でも偶然の「クラスタ」を含む（偽発見率で絞ると残るのは{fdr}団体）。地図は探索のためのもの。", "en": "LISA runs {n} tests, one per municipality, so clusters at pseudo p < {alpha} include chance ones ({fdr} remain under an FDR cut); the map is for exploration."},
    "det.c.neighbours": {"ja": "近隣団体の導入との関連には、同時性（互いに同時に決める）、共通のショック（同じ都道府県の共同調達・補助、同じベンダー）、除外された変数が混ざる。波及効果の推定ではない。", "en": "The association with neighbours' adoption mixes simultaneity (neighbours decide at the same time), common shocks (joint procurement and support within a prefecture, shared vendors) and omitted variables; it is not an estimate of diffusion."},
    "det.c.lpm": {"ja": "はい・いいえの指標の級内相関は線形確率モデルによる確率の尺度での値であり、ロジスティックモデルの潜在尺度の値とは異なる。", "en": "The ICC of yes/no indicators is on the probability scale of a linear probability model, not on the latent logit scale."},
    "det.c.excluded": {"ja": "人口のない団体（{no_pop}団体）はモデルから、境界データに形のない団体（{no_polygon}団体：{codes}）は空間分析から除いた。", "en": "Municipalities without a population ({no_pop}) are left out of the models, those without a polygon in the boundary data ({no_polygon}: {codes}) out of the spatial analysis."},
    "det.c.perms": {"ja": "並べ替えによる有意確率の最小値は1/({perms}+1)={pmin}であり、ホルム法で調整した値はその倍数になる。", "en": "The smallest permutation p-value is 1/({perms}+1) = {pmin}; Holm-adjusted values are multiples of it."},
}


def _t(key: str, lang: str, **values: object) -> str:
    from helpers.i18n import t

    return t(key, lang, **values)


def label(item: str, lang: str) -> str:
    """An indicator, measure or term in the report's language."""
    from helpers.analysis.municipal import ind_label
    from helpers.i18n import TEXT as ALL

    for prefix in ("det.ind.", "det.spec.", "det.term.", "det.test."):
        if f"{prefix}{item}" in ALL:
            return _t(f"{prefix}{item}", lang)
    return ind_label(item, lang)


def title_label(item: str, lang: str) -> str:
    text = label(item, lang)
    return text[:1].upper() + text[1:]


def p_text(p: float) -> str:
    """'0.003', '<0.001'."""
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def p_op(p: float) -> str:
    """'=0.003' or '<0.001' (after 'p')."""
    return "<0.001" if p < 0.001 else f"={p:.3f}"


def _pct(x: float) -> str:
    return f"{x:.1f}%"


def _interval(v: float, lo: float, hi: float, lang: str, digits: int = 2) -> str:
    from helpers.analysis.municipal import or_cell

    return or_cell(v, lo, hi, lang) if digits == 2 else _t("muni.fmt.or_cell", lang, value=f"{v:.{digits}f}",
                                                              lo=f"{lo:.{digits}f}", hi=f"{hi:.{digits}f}")


def _icc_text(row, lang: str) -> str:
    return _t("det.fmt.interval", lang, value=f"{row['icc']:.2f}", lo=f"{row['lo']:.2f}", hi=f"{row['hi']:.2f}")


def _icc_cell(row, lang: str) -> str:
    return _t("muni.fmt.or_cell", lang, value=f"{row['icc']:.2f}", lo=f"{row['lo']:.2f}", hi=f"{row['hi']:.2f}")


def _signed(v: float, lo: float, hi: float, lang: str, key: str = "det.fmt.signed") -> str:
    """An estimate that may be negative, with its interval ('～' / 'to', never a dash after a minus)."""
    return _t(key, lang, value=f"{v:.2f}", lo=f"{lo:.2f}", hi=f"{hi:.2f}")


def n_note(ns, lang: str) -> str:
    """The n of a figure: 「n＝1,740団体」, or the range over its indicators 「n＝1,732～1,740団体（指標による）」."""
    vals = sorted({int(v) for v in ns})
    if len(vals) == 1:
        return _t("muni.map.n", lang, n=f"{vals[0]:,}")
    return _t("det.note.n_range", lang, lo=f"{vals[0]:,}", hi=f"{vals[-1]:,}")


def with_n(note: str, ns, lang: str) -> str:
    """A figure note followed by its n."""
    return f"{note}{'' if lang == 'ja' else ' '}{n_note(ns, lang)}" if note else n_note(ns, lang)


# ------------------------------------------------------------------------------ findings

def residents_findings(national: "pd.DataFrame", by_pref: "pd.DataFrame", lang: str,
                       items: tuple[str, ...] = ("ai", "rpa", "dx_policy")) -> list[str]:
    from helpers.analysis.municipal import pref_label

    out = []
    nat = national.set_index("indicator")
    for ind in items:
        r = nat.loc[ind]
        out.append(_t("det.f.residents", lang, name=label(ind, lang), munis=_pct(r["share_munis"]),
                      residents=_pct(r["share_residents"]), n=f"{int(r['n']):,}"))
    p = by_pref[by_pref["indicator"] == "ai"].sort_values("gap", ascending=False).iloc[0]
    out.append(_t("det.f.residents_pref", lang, name=label("ai", lang), pref=pref_label(p["group"], p["pref_name"], lang),
                  munis=_pct(p["share_munis"]), residents=_pct(p["share_residents"])))
    return out


def fiscal_findings(models: "pd.DataFrame", online: "pd.DataFrame", lang: str) -> list[str]:
    """The fiscal-capacity findings: the Holm-adjusted verdict over the family of indicators and,
    when nothing survives it, the indicators whose unadjusted interval excludes 1 (so that the
    sentence never contradicts the table beside it)."""
    from helpers.analysis.municipal import join, or_text

    k = len(models)
    sig = models[models["p_holm"] < 0.05]
    if len(sig):
        items = join([f"{label(r.indicator, lang)} {or_text(r.odds_ratio, r.lo, r.hi, lang)}" for r in sig.itertuples()], lang)
        out = [_t("det.f.fiscal_some", lang, items=items, k=k)]
    else:
        out = [_t("det.f.fiscal_none", lang, pmin=f"{models['p_holm'].min():.2f}", k=k)]
        raw = models[(models["lo"] > 1) | (models["hi"] < 1)]
        if len(raw):
            parts = [_t("det.f.fiscal_lower" if r.odds_ratio < 1 else "det.f.fiscal_higher", lang,
                        name=label(r.indicator, lang), value=f"{r.odds_ratio:.2f}", lo=f"{r.lo:.2f}", hi=f"{r.hi:.2f}")
                     for r in raw.itertuples()]
            out[0] += ("" if lang == "ja" else " ") + _t("det.f.fiscal_unadjusted", lang, items=join(parts, lang))
    r = online.set_index("term").loc["fc10"]
    coef = _signed(r["coef"], r["lo"], r["hi"], lang, "det.fmt.signed_ci")
    out.append(_t("det.f.online", lang, coef=coef, n=f"{int(r['n']):,}"))
    return out


def prefecture_findings(r2: "pd.DataFrame", iccs: "pd.DataFrame", lang: str) -> list[str]:
    from helpers.analysis.municipal import join

    r = r2.iloc[0]
    out = [_t("det.f.r2", lang, r2a=f"{r['r2_size_type']:.2f}", r2b=f"{r['r2_with_prefecture']:.2f}",
              p=p_op(r["p_value"]), n=f"{int(r['n']):,}")]
    on = iccs[iccs["outcome"] == "online32_share"].set_index("covariates")
    out.append(_t("det.f.icc", lang, raw=_icc_text(on.loc[False], lang), adj=_icc_text(on.loc[True], lang)))
    adj = iccs[(iccs["outcome"] != "online32_share") & iccs["covariates"]]
    items = [f"{label(r['outcome'], lang)} {_icc_cell(r, lang)}" for _, r in adj.iterrows()]
    out.append(_t("det.f.icc_binary", lang, items=join(items, lang)))
    return out


def spatial_findings(raw: "pd.DataFrame", resid: "pd.DataFrame", local: "pd.DataFrame", lang: str) -> list[str]:
    from helpers.analysis.municipal import join

    m = raw.set_index("measure")
    rs = resid.set_index("measure")
    out = [_t("det.f.moran", lang, raw=f"{m.loc['online32_share', 'I']:.2f}", p_raw=p_op(m.loc["online32_share", "p_sim"]),
              res=f"{rs.loc['online32_share', 'I']:.2f}", p_res=p_op(rs.loc["online32_share", "p_sim"]))]
    jc = raw[raw["test"] == "join_count"]
    sig_res = resid[(resid["p_holm"] < 0.05) & (resid["measure"] != "online32_share")]
    ai = m.loc["ai"]
    out.append(_t("det.f.joins", lang, n_sig=int((jc["p_holm"] < 0.05).sum()), k=len(jc), bb=f"{int(ai['bb']):,}",
                  exp=f"{ai['expected_bb']:,.0f}",
                  res_items=join([label(i, lang) for i in sig_res["measure"]], lang) or _t("det.f.none", lang)))
    counts = local["cluster"].value_counts()
    out.append(_t("det.f.lisa", lang, **{k.lower(): int(counts.get(k, 0)) for k in ("HH", "LL", "HL", "LH")}))
    return out


def neighbour_findings(models: "pd.DataFrame", lang: str) -> list[str]:
    """One finding for the family of neighbour terms: the indicators that survive Holm adjustment,
    or that none does (with the smallest adjusted p) — never an unadjusted interval as a finding."""
    from helpers.analysis.municipal import join, or_text

    k = len(models)
    sig = models[models["p_holm"] < 0.05]
    if not len(sig):
        return [_t("det.f.neighbours_none", lang, k=k, pmin=p_text(models["p_holm"].min()))]
    items = join([f"{label(r.indicator, lang)} {or_text(r.odds_ratio, r.lo, r.hi, lang)}" for r in sig.itertuples()], lang)
    return [_t("det.f.neighbours_some", lang, k=k, items=items)]


# ------------------------------------------------------------------------------ reader tables

def _frame(rows: list[dict], lang: str) -> "pd.DataFrame":
    import pandas as pd

    out = pd.DataFrame(rows)
    out.columns = [_t(f"det.col.{c}", lang) for c in out.columns]
    return out


def residents_table(table: "pd.DataFrame", lang: str, by: str | None = None) -> "pd.DataFrame":
    """Indicator (× group) rows: municipal share with interval, resident share, n."""
    from helpers.analysis.municipal import group_label, pref_label

    rows = []
    for r in table.itertuples():
        row = {}
        if by == "type":
            row["group"] = group_label("type", r.group, lang)
        elif by == "pref_code":
            row["group"] = pref_label(r.group, r.pref_name, lang)
        row.update({"indicator": title_label(r.indicator, lang),
                    "munis": _t("muni.fmt.cell", lang, rate=f"{r.share_munis:.1f}", lo=f"{r.lo:.1f}", hi=f"{r.hi:.1f}"),
                    "residents": _pct(r.share_residents), "n": f"{r.n:,}"})
        rows.append(row)
    return _frame(rows, lang)


def residents_pref_table(by_pref: "pd.DataFrame", lang: str,
                         items: tuple[str, ...] = ("ai", "rpa", "telework", "dx_policy")) -> "pd.DataFrame":
    """One row per prefecture: for each indicator the share of municipalities and of residents
    (plain shares: the intervals are in the national and type tables), and n."""
    import pandas as pd

    from helpers.analysis.municipal import pref_label

    rows = []
    sel = by_pref[by_pref["indicator"].isin(items)]
    for code, g in sel.groupby("group", sort=True):
        g = g.set_index("indicator")
        row = {_t("det.col.pref", lang): pref_label(code, g["pref_name"].iloc[0], lang)}
        for ind in items:
            if ind in g.index:
                row[_t("det.col.pair", lang, name=title_label(ind, lang))] = (
                    f"{_pct(g.loc[ind, 'share_munis'])}{'／' if lang == 'ja' else ' / '}{_pct(g.loc[ind, 'share_residents'])}")
        ns = sorted({int(v) for v in g["n"]})
        row[_t("det.col.n_pref", lang)] = "–".join(f"{v:,}" for v in (ns[0], ns[-1])) if len(ns) > 1 else f"{ns[0]:,}"
        rows.append(row)
    return pd.DataFrame(rows)


def fiscal_table(models: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = [{"indicator": title_label(r.indicator, lang), "or_fc": _interval(r.odds_ratio, r.lo, r.hi, lang),
             "ame": _signed(r.ame_pp, r.ame_lo, r.ame_hi, lang), "p_holm": p_text(r.p_holm),
             "or_size": _interval(r.size_or, r.size_lo, r.size_hi, lang), "n": f"{r.n:,}"} for r in models.itertuples()]
    return _frame(rows, lang)


def sensitivity_table(sens: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    import pandas as pd

    cells = sens.assign(cell=[_interval(r.odds_ratio, r.lo, r.hi, lang) for r in sens.itertuples()])
    wide = cells.pivot(index="indicator", columns="spec", values="cell")
    wide = wide.loc[list(dict.fromkeys(sens["indicator"])), list(dict.fromkeys(sens["spec"]))]
    sd = sens.drop_duplicates("spec").set_index("spec")["sd"]
    wide.columns = [f"{label(s, lang)} (SD {sd[s]:.2f})" if lang == "en" else f"{label(s, lang)}（標準偏差 {sd[s]:.2f}）"
                    for s in wide.columns]
    wide.index = [title_label(i, lang) for i in wide.index]
    out = wide.reset_index().rename(columns={"index": _t("det.col.indicator", lang)})
    return pd.DataFrame(out)


def online_table(online: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = [{"term": label(r.term, lang), "coef": _signed(r.coef, r.lo, r.hi, lang), "p": p_text(r.p_value),
             "n": f"{r.n:,}"} for r in online.itertuples()]
    return _frame(rows, lang)


def icc_reader_table(iccs: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = []
    for outcome, g in iccs.groupby("outcome", sort=False):
        g = g.set_index("covariates")
        rows.append({"indicator": title_label(outcome, lang), "icc_raw": _icc_cell(g.loc[False], lang),
                     "icc_adj": _icc_cell(g.loc[True], lang), "n": f"{int(g.loc[False, 'n']):,} / {int(g.loc[True, 'n']):,}"})
    return _frame(rows, lang)


def r2_table(r2: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = [{"indicator": title_label(r.outcome, lang), "r2a": f"{r.r2_size_type:.2f}", "r2b": f"{r.r2_with_prefecture:.2f}",
             "f": f"{r.f:.2f}（{r.df}, {r.df_resid:,}）" if lang == "ja" else f"{r.f:.2f} ({r.df}, {r.df_resid:,})", "p": p_text(r.p_value), "n": f"{r.n:,}"} for r in r2.itertuples()]
    return _frame(rows, lang)


def spatial_table(tests: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = []
    for r in tests.itertuples():
        if r.test == "join_count":
            stat = f"{r.bb:,.0f} ({r.expected_bb:,.0f})"
        else:
            stat = f"{r.I:.3f} ({r.expected:.3f})"
        rows.append({"indicator": title_label(r.measure, lang), "test": label(r.test, lang), "stat": stat,
                     "p_sim": p_text(r.p_sim), "p_holm": p_text(r.p_holm), "n": f"{r.n:,}"})
    return _frame(rows, lang)


def weights_table(sens: "pd.DataFrame", k: int, lang: str) -> "pd.DataFrame":
    rows = [{"weights": _t("det.weights.contiguity", lang) if r.weights == "contiguity" else _t("det.weights.knn", lang, k=k),
             "series": _t(f"det.series.{r.series}", lang), "moran": f"{r.I:.3f} ({r.expected:.3f})",
             "p_sim": p_text(r.p_sim), "n": f"{r.n:,}"} for r in sens.itertuples()]
    return _frame(rows, lang)


def weights_finding(sens: "pd.DataFrame", k: int, lang: str) -> str:
    v = sens.set_index(["weights", "series"])["I"]
    alt = f"knn{k}"
    return _t("det.f.weights", lang, k=k, raw=f"{v[(alt, 'raw')]:.2f}", raw0=f"{v[('contiguity', 'raw')]:.2f}",
              res=f"{v[(alt, 'residual')]:.2f}", res0=f"{v[('contiguity', 'residual')]:.2f}")


def neighbour_table(models: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    rows = [{"indicator": title_label(r.indicator, lang), "or_nb": _interval(r.odds_ratio, r.lo, r.hi, lang),
             "p_holm": p_text(r.p_holm), "or_fc_nb": _interval(r.fiscal_or, r.fiscal_lo, r.fiscal_hi, lang),
             "n": f"{r.n:,}"} for r in models.itertuples()]
    return _frame(rows, lang)


# ------------------------------------------------------------------------------ caveats

def caveats(d: "pd.DataFrame", wide: "pd.DataFrame", weights, local: "pd.DataFrame", lang: str) -> list[str]:
    """The theme's caveats, each with its numbers from the frames."""
    from helpers import dashboard_export, finance
    from helpers.analysis.determinants import KNN_K, LISA_ALPHA, PERMUTATIONS

    from helpers.i18n import era_fiscal_year

    fy = finance.YEARS[finance.LATEST][0]
    survey = dashboard_export.current().survey_year
    if survey is None:
        years = _t("det.c.years_unknown", lang, era=era_fiscal_year(fy), fy=fy)
    else:  # the survey's reference dates are known for the registered survey only
        when = _t("det.survey_when_dated" if dashboard_export.same_survey() else "det.survey_when", lang,
                  era=era_fiscal_year(survey), fy=survey)
        years = _t("det.c.years", lang, era=era_fiscal_year(fy), fy=fy, survey=when)
    era = era_fiscal_year(fy)
    names = dict(zip(wide["code5"], wide["name"]))
    gone = [f"{names.get(c, '')} ({c})" for c in weights.no_polygon]
    wards = int(d["ward"].sum())
    n_dash = int((wide["future_burden_status"] == "at_or_below_zero").sum())
    no_pop = int(wide["population_2020"].isna().sum())
    return [
        _t("det.c.cross_section", lang, survey=dashboard_export.survey_phrase(lang, key="dash.survey_one")),
        years,
        _t("det.c.wards", lang, wards=wards),
        _t("det.c.future_burden", lang, year=fy, n=f"{n_dash:,}"),
        _t("det.c.weights", lang, islands=len(weights.islands), k=KNN_K),
        _t("det.c.maup", lang),
        _t("det.c.lisa", lang, n=f"{len(local):,}", alpha=LISA_ALPHA, fdr=int(local["fdr"].sum())),
        _t("det.c.neighbours", lang),
        _t("det.c.lpm", lang),
        _t("det.c.excluded", lang, no_pop=no_pop, no_polygon=len(weights.no_polygon), codes=("、" if lang == "ja" else ", ").join(gone)),
        _t("det.c.perms", lang, perms=PERMUTATIONS, pmin=f"{1 / (PERMUTATIONS + 1):.3f}"),
    ]
