"""What goes with adoption beyond size (issue 23): fiscal capacity, the prefecture, the neighbours,
and how many residents live where a measure exists.

Frames in, frames out, no wording (that is :mod:`helpers.words.determinants`); the notebook
``07_determinants`` shows them, :mod:`helpers.figures.plots_determinants` and :mod:`helpers.figures.maps` draw them.
Everything starts from the wide municipal panel with its finance columns
(``helpers.loaders.panel.with_finance(helpers.loaders.panel.wide_panel(...))``). Methods, stated once here and in
the report:

- **Residents covered**: for a yes/no indicator, the share of municipalities with the measure and
  the share of residents (2020 census) living in them, over the municipalities with a value and a
  population (the same set for both shares). Municipality shares carry a Wilson 95 % interval.
- **Fiscal capacity** (財政力指数, settlement of 令和3年度 by default): one logit per yes/no indicator
  on fiscal capacity (per 0.1), log2(population) and the type group of
  :mod:`helpers.analysis.municipal` (village · town · city (reference) · core and designated
  cities), standard errors clustered by prefecture; odds ratios, 95 % intervals and average
  marginal effects (percentage points per 0.1). **The 23 special wards are left out** of every
  model with a finance term: their index is computed by 東京都 on another basis.
- **Sensitivity**: the same model with each finance measure in turn (財政力指数 of 令和元・2・3年度,
  経常収支比率, 実質公債費比率, 将来負担比率, ラスパイレス指数), each per one standard deviation so that
  they can be set side by side. 将来負担比率 shown as 「－」 (at or below zero) enters as 0 **with a
  dummy for that status** (so the 0 is never taken for a measured ratio).
- **Online share**: the 32-procedure share (online ÷ offered) by weighted least squares with the
  number offered as weight (each procedure counts once), clustered by prefecture.
- **Prefecture share of variance**: a random-intercept linear model (``statsmodels`` MixedLM,
  REML) with prefecture intercepts; the intra-class correlation ICC = σ²ᵤ ÷ (σ²ᵤ + σ²ₑ) with a 95 %
  profile-likelihood interval (the ratio σ²ᵤ/σ²ₑ is profiled with the fixed effects and the
  residual variance profiled out; the ICC is a monotone function of it). For yes/no indicators the
  model is a linear probability model (the ICC on the probability scale). Beside it, the fixed-
  effects view: R² of ordinary least squares with and without prefecture dummies, and the F test.
- **Spatial statistics** (PySAL ``esda``; weights from :mod:`helpers.loaders.spatial`): global Moran's I
  (row-standardised weights) for continuous measures and for model residuals; the black-black join
  count (binary weights) for yes/no indicators; local Moran (LISA) clusters of the online share.
  Inference by random permutation (:data:`PERMUTATIONS`, seed :data:`SEED`, so p-values and report
  files are the same on every run); pseudo p = (extreme permutations + 1) ÷ (permutations + 1).
  The join-count reference distribution is drawn here with one vectorised permutation matrix,
  drawn once and shared by the indicators on the same municipalities (the same draws each would get
  alone): ``esda.Join_Counts`` gives the observed counts, but its own permutation loop took 2.6 s
  per indicator. LISA: a municipality is in a cluster if its pseudo p < 0.05; how many survive a
  false-discovery-rate cut (``esda.fdr``) is reported beside it.
- **Neighbours' adoption**: the logit above plus the share of a municipality's neighbours with the
  measure (per 10 points). An association only: neighbours decide at the same time (simultaneity)
  and share prefectural systems, vendors and shocks (common shocks).
- **Multiplicity**: Holm's method within each family of tests (:func:`holm`, equal to
  ``statsmodels.stats.multitest.multipletests(method="holm")``):
  the fiscal-capacity terms across indicators, the join counts, Moran's I of the raw measures,
  Moran's I of the residuals, the neighbours' terms.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np
import pandas as pd

from helpers.analysis import municipal as mu
from helpers.analysis.stats import holm
from helpers.loaders.dashboard_labels import BINARY

if TYPE_CHECKING:  # pragma: no cover
    from helpers.loaders.spatial import Weights

LEVEL = 0.95
SEED = 20231
PERMUTATIONS = 999
LISA_ALPHA = 0.05
FISCAL_STEP = 0.1          # odds ratios per 0.1 of 財政力指数
NEIGHBOUR_STEP = 10.0      # per 10 points of neighbours' adoption
#: Continuous measures tested for spatial autocorrelation (0–100 each).
CONTINUOUS = ("online32_share", "mynumber_card_rate")
#: Finance measures of the sensitivity analysis: id → (column, label key).
SENSITIVITY = {"fc_r3": "fiscal_capacity", "fc_r2": "fiscal_capacity_r2", "fc_r1": "fiscal_capacity_r1",
               "current_balance": "current_balance_ratio", "real_debt_service": "real_debt_service_ratio",
               "future_burden": "future_burden_ratio", "laspeyres": "laspeyres"}
LISA_LABELS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
LISA_ORDER = ("HH", "LL", "HL", "LH", "ns")


# ------------------------------------------------------------------------------ frame

def analysis_frame(wide: pd.DataFrame) -> pd.DataFrame:
    """Municipalities with a population (``mu.model_frame``) plus the 32-procedure share,
    ``fc10`` (財政力指数 ÷ 0.1) and ``ward`` (the special-ward flag of the finance workbook)."""
    if "fiscal_capacity" not in wide.columns:
        raise ValueError("the frame has no finance columns; pass helpers.loaders.panel.with_finance(wide)")
    d = mu.model_frame(wide)
    d["online32_share"] = 100 * d["online32_online"] / d["online32_offered"].where(d["online32_offered"] > 0)
    d["fc10"] = d["fiscal_capacity"] / FISCAL_STEP
    d["ward"] = d["fiscal_capacity_basis"] == "tokyo_special_ward"
    return d


def present(d: pd.DataFrame, indicators: Sequence[str]) -> tuple[str, ...]:
    """The indicators this frame has values for: a later export may drop a row (its column is then
    missing or empty), and every analysis runs on what the export holds."""
    return tuple(i for i in indicators if i in d.columns and d[i].notna().any())


# ------------------------------------------------------------------------------ residents covered

def residents_covered(d: pd.DataFrame, by: str | None = None, indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """Per group (``by``: None = national, ``pref_code``, ``type``) and indicator: yes, n,
    share of municipalities (with Wilson interval) and share of residents living in them."""
    indicators = present(d, indicators)
    rows = []
    keys = [(mu.ALL, d)] if by is None else list(d.groupby(by, sort=True))
    if by == "type":  # smallest powers first, as in the other tables
        keys.sort(key=lambda kv: mu.TYPE_ORDER.index(kv[0]) if kv[0] in mu.TYPE_ORDER else len(mu.TYPE_ORDER))
    for group, g in keys:
        for ind in indicators:
            s = g[g[ind].notna() & g["population_2020"].notna()]
            pop = s["population_2020"].astype(float)
            yes = s[ind] == 1
            rows.append({"group": group, "indicator": ind, "yes": int(yes.sum()), "n": len(s),
                         "residents_yes": float(pop[yes].sum()), "residents": float(pop.sum())})
    out = pd.DataFrame(rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_munis"] = 100 * out["yes"] / out["n"].where(out["n"] > 0)
        out["share_residents"] = 100 * out["residents_yes"] / out["residents"].where(out["residents"] > 0)
    out["lo"], out["hi"] = mu.wilson(out["yes"], out["n"])
    out["gap"] = out["share_residents"] - out["share_munis"]
    if by == "pref_code":
        names = d.drop_duplicates("pref_code").set_index("pref_code")["pref_name"]
        out.insert(1, "pref_name", out["group"].map(names))
    return out


# ------------------------------------------------------------------------------ models

def _ame(fit: mu.LogitFit, term: str) -> tuple[float, float, float]:
    """Average marginal effect of ``term`` (percentage points per unit of the term) with its
    delta-method interval, as ``get_margeff(at="overall", method="dydx")`` gives it, but from the
    closed-form logit derivatives: statsmodels differentiates numerically (a complex step per
    parameter over the whole sample, ~0.14 s a model); the values agree to rounding error."""
    from scipy.stats import norm

    res = fit.result
    X = np.asarray(res.model.exog, dtype=float)
    b = np.asarray(res.params, dtype=float)
    names = list(fit.params.index)
    j = names.index(term)
    p = 1 / (1 + np.exp(-(X @ b)))
    f = p * (1 - p)                       # density of the logistic at x'b
    ame = f.mean() * b[j]
    grad = (f * (1 - 2 * p)) @ X / len(X) * b[j]  # d ame / d b_k = mean(f'(x'b) x_k) b_j + mean(f) [k = j]
    grad[j] += f.mean()
    se = float(np.sqrt(grad @ np.asarray(fit.cov, dtype=float) @ grad))
    z = float(norm.ppf(1 - (1 - LEVEL) / 2))
    return 100 * float(ame), 100 * float(ame - z * se), 100 * float(ame + z * se)


def _ame_statsmodels(fit: mu.LogitFit, term: str) -> tuple[float, float, float]:
    """The statsmodels computation :func:`_ame` replaces (kept for the test that pins them together)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        me = fit.result.get_margeff(at="overall", method="dydx")
    j = list(fit.params.index.drop("const")).index(term)
    lo, hi = me.conf_int(alpha=1 - LEVEL)[j]
    return 100 * float(me.margeff[j]), 100 * float(lo), 100 * float(hi)


def finance_sample(d: pd.DataFrame) -> pd.DataFrame:
    """The municipalities a finance term may be fitted on: all but the 23 special wards."""
    return d[~d["ward"]]


#: Fiscal-capacity logits already fitted, by indicator and a fingerprint of the data they were
#: fitted on: the same model serves the odds ratios (:func:`fiscal_models`) and the residuals whose
#: spatial clustering is tested (:func:`residuals`), fitted once.
_FITS: "OrderedDict[tuple, mu.LogitFit]" = OrderedDict()
_FITS_KEEP = 32


def _fingerprint(s: pd.DataFrame, columns: Sequence[str]) -> str:
    """A digest of ``columns`` of ``s`` (values and index): equal digests, equal model inputs."""
    import hashlib

    hashed = pd.util.hash_pandas_object(s[list(columns)], index=True).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()


def fiscal_fit(s: pd.DataFrame, indicator: str) -> mu.LogitFit:
    """The logit of ``indicator`` on fiscal capacity, size and type group (``mu.fit_logit`` with
    ``fc10``), fitted once per indicator and data (a later call with the same inputs reuses it)."""
    cols = ["code5", "pref_code", "model_group", "log2_pop", "fc10", indicator]
    key = (indicator, _fingerprint(s, cols))
    fit = _FITS.get(key)
    if fit is None:
        fit = _FITS[key] = mu.fit_logit(s, indicator, extra=["fc10"])
        while len(_FITS) > _FITS_KEEP:
            _FITS.popitem(last=False)
    return fit


def fiscal_models(d: pd.DataFrame, indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """Per yes/no indicator: odds ratio per 0.1 of 財政力指数 (size and type group held fixed, special
    wards out, SEs clustered by prefecture), its interval, p and Holm p across the indicators, the
    average marginal effect in points per 0.1, and the size odds ratio beside it."""
    indicators = present(d, indicators)
    s = finance_sample(d)
    rows = []
    for ind in indicators:
        fit = fiscal_fit(s, ind)
        or_, lo, hi = fit.odds_ratio("fc10")
        ame, ame_lo, ame_hi = _ame(fit, "fc10")
        so, slo, shi = fit.odds_ratio("log2_pop")
        rows.append({"indicator": ind, "n": fit.n, "events": fit.events, "odds_ratio": or_, "lo": lo, "hi": hi,
                     "p_value": fit.p_value("fc10"), "ame_pp": ame, "ame_lo": ame_lo, "ame_hi": ame_hi,
                     "size_or": so, "size_lo": slo, "size_hi": shi, "dropped_groups": ",".join(fit.dropped_groups),
                     "converged": fit.converged})
    out = pd.DataFrame(rows)
    out["p_holm"] = holm(out["p_value"])
    return out


def _sens_column(s: pd.DataFrame, spec: str) -> tuple[pd.DataFrame, list[str], str]:
    """The sample with the standardised term ``z`` (and the 「－」 dummy for 将来負担比率)."""
    col = SENSITIVITY[spec]
    s = s.copy()
    extra = ["z"]
    if spec == "future_burden":
        s["fb_dash"] = (s["future_burden_status"] == "at_or_below_zero").astype(float)
        x = s[col].where(s["fb_dash"] == 0, 0.0)  # 「－」 coded 0 together with its dummy (stated)
        extra.append("fb_dash")
    else:
        x = s[col]
    s["z"] = (x - x.mean()) / x.std()
    s["_sd"] = float(x.std())
    return s, extra, col


#: Indicators of the sensitivity analysis (7 measures × 5 indicators = 35 models, half the cost of all
#: ten): the uptake items, the DX policy and external talent.
SENSITIVITY_OUTCOMES = ("dx_policy", "external_talent", "ai", "rpa", "telework")


def sensitivity(d: pd.DataFrame, indicators: Sequence[str] = SENSITIVITY_OUTCOMES) -> pd.DataFrame:
    """Per indicator × finance measure (:data:`SENSITIVITY`): odds ratio per standard deviation of the
    measure with size and type group held fixed (special wards out), its interval, and the SD."""
    indicators = present(d, indicators)
    base = finance_sample(d)
    rows = []
    for spec in SENSITIVITY:
        s, extra, col = _sens_column(base, spec)
        for ind in indicators:
            fit = mu.fit_logit(s, ind, extra=extra)
            or_, lo, hi = fit.odds_ratio("z")
            rows.append({"indicator": ind, "spec": spec, "column": col, "sd": float(s["_sd"].iloc[0]), "n": fit.n,
                         "odds_ratio": or_, "lo": lo, "hi": hi, "p_value": fit.p_value("z")})
    return pd.DataFrame(rows)


def _cluster(d: pd.DataFrame) -> dict:
    return {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(d["pref_code"])[0]}}


def online_model(d: pd.DataFrame) -> pd.DataFrame:
    """The 32-procedure share on fiscal capacity (per 0.1), log2(population) and type group, weighted
    by procedures offered (WLS, SEs clustered by prefecture; special wards out): one row per term."""
    import statsmodels.api as sm

    s = finance_sample(d).dropna(subset=["online32_share", "fc10"])
    groups = [g for g in mu.MODEL_GROUP_ORDER if (s["model_group"] == g).any()]
    X = mu._design(s, groups, ["fc10"])
    res = sm.WLS(s["online32_share"].astype(float), X, weights=s["online32_offered"].astype(float)).fit(**_cluster(s))
    ci = res.conf_int(alpha=1 - LEVEL)
    out = pd.DataFrame({"term": res.params.index, "coef": res.params.to_numpy(), "lo": ci[0].to_numpy(),
                        "hi": ci[1].to_numpy(), "p_value": res.pvalues.to_numpy()})
    out["n"] = int(res.nobs)
    return out[out["term"] != "const"].reset_index(drop=True)


def online_fit(d: pd.DataFrame):
    """The fitted WLS of :func:`online_model` and its sample (for residuals)."""
    import statsmodels.api as sm

    s = finance_sample(d).dropna(subset=["online32_share", "fc10"])
    groups = [g for g in mu.MODEL_GROUP_ORDER if (s["model_group"] == g).any()]
    X = mu._design(s, groups, ["fc10"])
    return sm.WLS(s["online32_share"].astype(float), X, weights=s["online32_offered"].astype(float)).fit(), s


def census_date() -> pd.Timestamp:
    """The reference date of the census population the resident shares use (data/external/MANIFEST.csv)."""
    from helpers.loaders.build_reference import POPULATION
    from helpers.paths import data_dir

    manifest = pd.read_csv(data_dir() / "external" / "MANIFEST.csv", dtype=str)
    row = manifest[manifest["file"] == POPULATION.removeprefix("external/")]
    return pd.Timestamp(row["reference_date"].iloc[0])


def prefecture_r2(d: pd.DataFrame, outcome: str = "online32_share") -> pd.DataFrame:
    """Fixed-effects view of the prefecture: R² of OLS of ``outcome`` on log2(population) and type
    group, without and with prefecture dummies, and the F test of the dummies with both
    degrees of freedom (``df`` numerator, ``df_resid`` denominator; all municipalities with a value)."""
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm

    s = d.dropna(subset=[outcome])
    base = smf.ols(f"{outcome} ~ log2_pop + C(model_group)", s).fit()
    fe = smf.ols(f"{outcome} ~ log2_pop + C(model_group) + C(pref_code)", s).fit()
    test = anova_lm(base, fe)
    return pd.DataFrame([{"outcome": outcome, "n": int(base.nobs), "r2_size_type": base.rsquared,
                          "r2_with_prefecture": fe.rsquared, "f": float(test["F"].iloc[1]),
                          "df": int(test["df_diff"].iloc[1]), "df_resid": int(fe.df_resid),
                          "p_value": float(test["Pr(>F)"].iloc[1])}])


def _profile_reml(model) -> Callable[[float], float]:
    """The REML log-likelihood of a random-intercept ``MixedLM`` as a function of the variance ratio
    ψ = σ²ᵤ/σ²ₑ, with the fixed effects and the residual variance profiled out, up to a constant
    (only differences are used). It is ``model.loglike(..., profile_fe=True)`` in closed form: for a
    group of size n, V⁻¹ = I − ψ/(1 + nψ)·11ᵀ and log|V| = log(1 + nψ), so every group enters
    through its sums; statsmodels solves each group's system in turn (~5 ms a call, ~40 calls per
    interval). A test pins the two together."""
    X = np.asarray(model.exog, dtype=float)
    y = np.asarray(model.endog, dtype=float)
    codes = np.unique(np.asarray(model.groups), return_inverse=True)[1]
    sizes = np.bincount(codes).astype(float)
    sx = np.zeros((len(sizes), X.shape[1]))
    np.add.at(sx, codes, X)
    sy = np.bincount(codes, weights=y)
    xx, xy, yy = X.T @ X, X.T @ y, float(y @ y)
    dof = len(y) - X.shape[1]

    def loglike(psi: float) -> float:
        c = psi / (1 + sizes * psi)
        xvx = xx - (sx * c[:, None]).T @ sx
        xvy = xy - (sx * c[:, None]).T @ sy
        qf = yy - float(c @ sy ** 2) - float(xvy @ np.linalg.solve(xvx, xvy))
        return float(-0.5 * np.log1p(sizes * psi).sum() - dof / 2 * np.log(qf) - np.linalg.slogdet(xvx)[1] / 2)

    return loglike


def icc(d: pd.DataFrame, outcome: str, covariates: bool = True) -> dict:
    """Intra-class correlation of ``outcome`` by prefecture from a random-intercept MixedLM (REML),
    with a 95 % profile-likelihood interval; ``covariates``: log2(population), type group and fiscal
    capacity (special wards out), else an empty model on every municipality with a value."""
    import statsmodels.formula.api as smf
    from scipy.optimize import brentq
    from scipy.stats import chi2
    s = finance_sample(d).dropna(subset=[outcome, "fc10"]) if covariates else d.dropna(subset=[outcome])
    s = s.assign(_y=s[outcome].astype(float))
    formula = "_y ~ log2_pop + C(model_group) + fc10" if covariates else "_y ~ 1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.mixedlm(formula, s, groups=s["pref_code"])
        res = model.fit(reml=True)
        psi = float(np.asarray(res.cov_re_unscaled)[0, 0])

        loglike = _profile_reml(model)
        top = loglike(psi)
        cut = chi2.ppf(LEVEL, 1) / 2
        gap = lambda p: top - loglike(p) - cut  # noqa: E731
        tol = {"xtol": 1e-7, "rtol": 1e-5}  # the 3rd decimal of the ICC is what a report shows
        lo = brentq(gap, 1e-10, psi, **tol) if psi > 1e-10 and gap(1e-10) > 0 else 0.0
        hi = max(psi, 1e-3) * 2
        while gap(hi) < 0 and hi < 1e6:
            hi *= 2
        hi = brentq(gap, psi, hi, **tol)
    return {"outcome": outcome, "covariates": covariates, "n": int(res.nobs), "prefectures": int(s["pref_code"].nunique()),
            "icc": psi / (1 + psi), "lo": lo / (1 + lo), "hi": hi / (1 + hi),
            "var_prefecture": float(np.asarray(res.cov_re)[0, 0]), "var_residual": float(res.scale)}


#: Outcomes of the prefecture share of variance: the online share and the items of the uptake and
#: policy questions (each ICC with its profile interval costs ~0.2 s; the other governance items,
#: ICC ≤ 0.05 in a first run, were left out to keep the batch within its time budget).
ICC_OUTCOMES = ("online32_share", "dx_policy", "ai", "rpa", "telework")


def icc_table(d: pd.DataFrame, outcomes: Sequence[str] = ICC_OUTCOMES) -> pd.DataFrame:
    """:func:`icc` for each outcome, without and with covariates."""
    outcomes = present(d, outcomes)
    return pd.DataFrame([icc(d, o, cov) for o in outcomes for cov in (False, True)])


# ------------------------------------------------------------------------------ spatial statistics

def _values(d: pd.DataFrame, column: str) -> pd.Series:
    return d.set_index("code5")[column].dropna().astype(float)


def moran(values: pd.Series, weights: "Weights", permutations: int = PERMUTATIONS, seed: int = SEED) -> dict:
    """Global Moran's I of ``values`` (code5 → number) on row-standardised weights restricted to the
    municipalities with a value and a polygon; permutation inference with a fixed seed."""
    import esda

    from helpers.loaders.spatial import subset

    w = subset(weights, values.index, "R")
    y = values.reindex(w.id_order).to_numpy(dtype=float)
    np.random.seed(seed)  # esda draws its permutations from numpy's global generator
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = esda.Moran(y, w, permutations=permutations)
    return {"n": int(w.n), "islands": len(w.islands), "I": float(m.I), "expected": float(m.EI),
            "z_sim": float(m.z_sim), "p_sim": float(m.p_sim)}


@lru_cache(maxsize=4)
def _permutation_index(n: int, permutations: int, seed: int) -> np.ndarray:
    """``permutations`` random orderings of ``range(n)`` (one per row) from a generator seeded with
    ``seed``: drawn once and shared by every join count on the same ``n`` municipalities. Taking
    ``y[index]`` gives exactly what ``default_rng(seed).permuted`` would give for ``y`` (the shuffle
    depends on the generator, not on the values), so sharing changes no p-value."""
    rng = np.random.default_rng(seed)
    index = rng.permuted(np.broadcast_to(np.arange(n), (permutations, n)), axis=1)
    index.setflags(write=False)
    return index


def join_count(values: pd.Series, weights: "Weights", permutations: int = PERMUTATIONS, seed: int = SEED) -> dict:
    """Black-black join count of a yes/no indicator (code5 → 1/0) on binary weights restricted to
    the municipalities with a value: observed (``esda.Join_Counts``), the mean of the permutation
    distribution and the one-sided pseudo p (more adopter–adopter neighbour pairs than by chance).
    The permuted counts are ½ Σ yᵢ (A y)ᵢ for every permutation at once (sparse adjacency A)."""
    import esda

    from helpers.loaders.spatial import subset

    w = subset(weights, values.index, "B")
    y = values.reindex(w.id_order).to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        jc = esda.Join_Counts(y, w, permutations=0)
    sims = y[_permutation_index(len(y), permutations, seed)]  # one permutation per row
    adj = w.sparse.tocsr()
    bb_sim = np.einsum("ij,ij->i", sims, np.asarray((adj @ sims.T).T)) / 2
    extreme = int((bb_sim >= jc.bb).sum())
    return {"n": int(w.n), "yes": int(y.sum()), "joins": int(jc.J), "bb": float(jc.bb), "expected_bb": float(bb_sim.mean()),
            "z_sim": float((jc.bb - bb_sim.mean()) / bb_sim.std()), "p_sim": (extreme + 1) / (permutations + 1)}


def _join_count_pairs(values: pd.Series, weights: "Weights", permutations: int = PERMUTATIONS, seed: int = SEED) -> dict:
    """The earlier pair-by-pair computation :func:`join_count` replaces (kept for the test that pins them together)."""
    import esda

    from helpers.loaders.spatial import subset

    w = subset(weights, values.index, "B")
    y = values.reindex(w.id_order).to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        jc = esda.Join_Counts(y, w, permutations=0)
    pos = {c: i for i, c in enumerate(w.id_order)}
    pairs = np.array([(pos[i], pos[j]) for i, js in w.neighbors.items() for j in js if pos[i] < pos[j]])
    rng = np.random.default_rng(seed)
    sims = rng.permuted(np.broadcast_to(y, (permutations, len(y))), axis=1)  # one permutation per row
    bb_sim = (sims[:, pairs[:, 0]] * sims[:, pairs[:, 1]]).sum(axis=1)
    extreme = int((bb_sim >= jc.bb).sum())
    return {"n": int(w.n), "yes": int(y.sum()), "joins": int(jc.J), "bb": float(jc.bb), "expected_bb": float(bb_sim.mean()),
            "z_sim": float((jc.bb - bb_sim.mean()) / bb_sim.std()), "p_sim": (extreme + 1) / (permutations + 1)}


def spatial_raw(d: pd.DataFrame, weights: "Weights", indicators: Sequence[str] = tuple(BINARY),
                continuous: Sequence[str] = CONTINUOUS) -> pd.DataFrame:
    """Global tests of the measures as observed: Moran's I for the continuous ones, join counts for
    the yes/no ones; Holm within each family (``test``: moran | join_count)."""
    indicators, continuous = present(d, indicators), present(d, continuous)
    rows = [{"measure": c, "test": "moran", **moran(_values(d, c), weights)} for c in continuous]
    rows += [{"measure": i, "test": "join_count", **join_count(_values(d, i), weights)} for i in indicators]
    out = pd.DataFrame(rows)
    out["p_holm"] = np.nan
    for test, g in out.groupby("test"):
        out.loc[g.index, "p_holm"] = holm(g["p_sim"])
    return out


#: Neighbours of the k-nearest-neighbour weights used to check the choice of weights.
KNN_K = 6


def weights_sensitivity(d: pd.DataFrame, weights: "Weights", measure: str = "online32_share",
                        k: int = KNN_K) -> pd.DataFrame:
    """Moran's I of ``measure`` (as observed and as residual of the online-share model) on the
    contiguity weights and on k-nearest-neighbour weights: does the answer depend on the weights?"""
    from helpers.loaders.spatial import knn

    alt = knn(weights, k)
    res = residuals(d, [])["online32_share"] if measure == "online32_share" else None
    rows = []
    for name, w in (("contiguity", weights), (f"knn{k}", alt)):
        rows.append({"weights": name, "series": "raw", **moran(_values(d, measure), w)})
        if res is not None:
            rows.append({"weights": name, "series": "residual", **moran(res, w)})
    return pd.DataFrame(rows)


def residuals(d: pd.DataFrame, indicators: Sequence[str] = tuple(BINARY)) -> dict[str, pd.Series]:
    """Pearson residuals (code5 → value) of the fiscal-capacity models: the logit of each yes/no
    indicator and the weighted online-share model (residual × √weight)."""
    indicators = present(d, indicators)
    s = finance_sample(d)
    out = {}
    for ind in indicators:
        res = fiscal_fit(s, ind).result
        out[ind] = pd.Series(np.asarray(res.resid_pearson), index=s.loc[res.model.data.row_labels, "code5"].to_numpy())
    fit, sample = online_fit(d)
    out["online32_share"] = pd.Series(np.asarray(fit.resid) * np.sqrt(np.asarray(fit.model.weights)),
                                      index=sample["code5"].to_numpy())
    return out


def spatial_residuals(d: pd.DataFrame, weights: "Weights", indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """Moran's I of the model residuals (clustering left after size, type and fiscal capacity),
    Holm across the models."""
    indicators = present(d, indicators)
    rows = [{"measure": k, "test": "moran_residual", **moran(v, weights)} for k, v in residuals(d, indicators).items()]
    out = pd.DataFrame(rows)
    out["p_holm"] = holm(out["p_sim"])
    return out


def lisa(values: pd.Series, weights: "Weights", permutations: int = PERMUTATIONS, seed: int = SEED,
         alpha: float = LISA_ALPHA) -> pd.DataFrame:
    """Local Moran of ``values`` (code5 → number): per municipality the value, its neighbours'
    mean, quadrant, pseudo p and cluster (HH, LL, HL, LH at p < ``alpha``, else ns); ``fdr`` says
    whether it also passes the false-discovery-rate cut of ``esda.fdr``."""
    import esda

    from helpers.loaders.spatial import subset

    w = subset(weights, values.index, "R")
    y = values.reindex(w.id_order).to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lm = esda.Moran_Local(y, w, permutations=permutations, seed=seed, n_jobs=1)
        cut = float(esda.fdr(lm.p_sim, alpha))
    from libpysal.weights import lag_spatial

    out = pd.DataFrame({"code5": list(w.id_order), "value": y, "neighbours_mean": lag_spatial(w, y),
                        "quadrant": lm.q.astype(int), "p_sim": lm.p_sim.astype(float)})
    isolated = out["code5"].isin(w.islands)
    sig = (out["p_sim"] < alpha) & ~isolated
    out["cluster"] = np.where(sig, out["quadrant"].map(LISA_LABELS), "ns")
    out["fdr"] = (out["p_sim"] <= cut) & ~isolated
    return out


def lisa_summary(local: pd.DataFrame) -> pd.DataFrame:
    """Counts per cluster type at p < 0.05 and how many pass the FDR cut."""
    rows = [{"cluster": c, "municipalities": int((local["cluster"] == c).sum()),
             "fdr": int(((local["cluster"] == c) & local["fdr"]).sum())} for c in LISA_ORDER]
    return pd.DataFrame(rows)


def neighbour_share(d: pd.DataFrame, weights: "Weights", indicator: str) -> pd.Series:
    """Share (0–100) of each municipality's neighbours that have the measure, among neighbours with a
    value (code5 → share; missing where no neighbour has a value)."""
    from helpers.loaders.spatial import subset

    vals = _values(d, indicator)
    w = subset(weights, vals.index, "R")
    from libpysal.weights import lag_spatial

    lag = pd.Series(100 * lag_spatial(w, vals.reindex(w.id_order).to_numpy()), index=list(w.id_order))
    return lag[~lag.index.isin(w.islands)]


def neighbour_models(d: pd.DataFrame, weights: "Weights", indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """Per yes/no indicator: odds ratio per 10 points of neighbours' adoption, with size, type group
    and fiscal capacity held fixed (special wards out, SEs clustered by prefecture); Holm across
    indicators. An association (see the module docstring), not a diffusion effect."""
    indicators = present(d, indicators)
    s = finance_sample(d)
    rows = []
    for ind in indicators:
        lag = neighbour_share(d, weights, ind) / NEIGHBOUR_STEP
        sub = s.assign(nb=s["code5"].map(lag)).dropna(subset=["nb"])
        fit = mu.fit_logit(sub, ind, extra=["fc10", "nb"])
        or_, lo, hi = fit.odds_ratio("nb")
        fo, flo, fhi = fit.odds_ratio("fc10")
        rows.append({"indicator": ind, "n": fit.n, "odds_ratio": or_, "lo": lo, "hi": hi, "p_value": fit.p_value("nb"),
                     "fiscal_or": fo, "fiscal_lo": flo, "fiscal_hi": fhi})
    out = pd.DataFrame(rows)
    out["p_holm"] = holm(out["p_value"])
    return out
