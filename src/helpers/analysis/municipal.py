"""The municipal panel (issue 12): who adopts what, by size, type and prefecture.

Frames in, frames out (ids, numbers, intervals, flags; no language): the notebook ``05_municipalities``
shows them, :mod:`helpers.words.municipal` turns them into sentences and reader tables, and
``helpers.figures.plots_municipal`` and ``helpers.figures.maps`` draw them. Everything starts from
``helpers.loaders.panel.wide_panel`` (one row per municipality, 1/0 for 実施/未実施, missing where the
municipality was not surveyed — never 0).

Methods, stated once here and in the report:

- **Shares** are of the municipalities with a value (surveyed); intervals are Wilson 95 % intervals
  (``statsmodels.stats.proportion.proportion_confint(method="wilson")``). The 1,741 municipalities
  are all there is, so an interval describes the uncertainty of the underlying propensity, not of
  a sample.
- **Size models**: one logistic regression per yes/no indicator on log2(population) and a type
  group (village · town · city (reference; special wards counted as cities) · core and designated
  cities), with standard errors clustered by prefecture. The odds ratio of log2(population) is
  *per doubling of the population*. Designated and core cities are one group and special wards are
  counted as cities because single types answer some items all alike (all 20 designated cities
  have AI, RPA and telework; all 23 special wards RPA): a type of its own would be perfectly
  separated and its odds ratio infinite. A type group that is still separated is left out of that
  model (rows and term) and named. Sensitivity: the same model with prefecture fixed effects (a
  dummy per prefecture, model-based standard errors), fitted on the prefectures whose
  municipalities did not all answer alike (the others carry no information on the slope).
- **Governance → outcome**: AI, RPA and telework on one governance item at a time, controlling for
  log2(population) and type group as above. An association among municipalities of similar size
  and type, not an effect.
- **Readiness score**: the share of the ten yes/no indicators met among those surveyed, computed
  only for municipalities surveyed on at least :data:`READINESS_MIN_ITEMS` of them (otherwise
  missing, never 0); equal weights; a summary, not a validated index.
- **Online readiness**: procedures online ÷ procedures offered (the dashboard's 32-procedure
  numerator and denominator); aggregated by summing numerators and denominators (pooled), not by
  averaging municipal ratios.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from helpers import vocabulary
from helpers.analysis.stats import LEVEL, holm, wilson
from helpers.loaders.dashboard_labels import BINARY

GOVERNANCE = list(vocabulary.GOVERNANCE)
OUTCOMES = list(vocabulary.UPTAKE)
#: Governance items whose association with the outcomes is estimated (CIO, policy, talent, training).
PREDICTORS = ["cio_appointed", "dx_policy", "external_talent", "all_staff_training"]
#: Size classes from the smallest to the designated cities (``unknown`` left out of size tables).
SIZE_ORDER = ("lt5k", "5k_10k", "10k_50k", "50k_100k", "100k_200k", "200k_plus", "designated")
#: Municipality types from the smallest powers to the largest.
TYPE_ORDER = vocabulary.TYPES_BY_SIZE
#: Type → group used in the models (see the module docstring for why types are grouped).
MODEL_GROUPS = {"village": "village", "town": "town", "city": "city", "special_ward": "city",
                "core_city": "large_city", "designated_city": "large_city"}
MODEL_GROUP_ORDER = ("village", "town", "city", "large_city")
REFERENCE_GROUP = "city"
READINESS_ITEMS = list(BINARY)
READINESS_MIN_ITEMS = 8
ALL = "all"


# ------------------------------------------------------------------------------ intervals

def _share_table(values: pd.DataFrame, keys: list[pd.Series]) -> pd.DataFrame:
    """Per group of ``keys`` (sorted) × column of ``values`` (1/0/missing), in that order:
    yes, n (answered), missing, rate and its Wilson interval — computed for all groups at once."""
    answered = values.notna()
    yes = values.fillna(0).groupby(keys, sort=True).sum().stack()
    n = answered.groupby(keys, sort=True).sum().stack()
    missing = (~answered).groupby(keys, sort=True).sum().stack()
    k, m = yes.to_numpy(dtype=float), n.to_numpy(dtype=float)
    lo, hi = wilson(k, m)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(m > 0, 100 * k / np.where(m > 0, m, 1), np.nan)
    out = pd.DataFrame({"yes": k.astype(int), "n": m.astype(int), "missing": missing.to_numpy(dtype=int),
                        "rate": rate, "lo": lo, "hi": hi}, index=yes.index)
    out.index = out.index.set_names([*out.index.names[:-1], "indicator"])
    return out


def order_of(by: str) -> tuple[str, ...]:
    return {"size_class": SIZE_ORDER, "type": TYPE_ORDER, "model_group": MODEL_GROUP_ORDER}[by]


def adoption(wide: pd.DataFrame, by: str = "size_class", indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """Share of surveyed municipalities with each indicator per group (and ``all``), with Wilson
    intervals: group, indicator, yes, n (surveyed), missing (not surveyed), rate, lo, hi."""
    indicators = list(indicators)
    order = [g for g in order_of(by) if (wide[by] == g).any()] + [ALL]
    values = pd.concat([wide[indicators], wide[indicators]], ignore_index=True)
    group = pd.Series([*wide[by].astype(object), *[ALL] * len(wide)], name="group")
    table = _share_table(values, [group]).reset_index()
    table = table[table["group"].isin(order)]
    table["_g"] = table["group"].map({g: i for i, g in enumerate(order)})
    table["_i"] = table["indicator"].map({ind: i for i, ind in enumerate(indicators)})
    table = table.sort_values(["_i", "_g"], kind="stable").drop(columns=["_g", "_i"])
    return _plain_text(table[["group", "indicator", "yes", "n", "missing", "rate", "lo", "hi"]].reset_index(drop=True))


def not_surveyed(long: pd.DataFrame) -> pd.DataFrame:
    """Municipalities marked 調査無し for any indicator: code5, pref_code, pref_name, name, items."""
    ns = long[long["status"] == "not_surveyed"]
    g = ns.groupby(["code5", "pref_code", "pref_name", "name"], sort=True)["indicator"].agg(list)
    return g.rename("items").reset_index()


# ------------------------------------------------------------------------------ online readiness

#: A municipality handling fewer of the 32 procedures than this has a coarse share (1/1 = 100 %).
COARSE_DENOMINATOR = 5


def online32(wide: pd.DataFrame) -> pd.DataFrame:
    """Per municipality: procedures offered, online, and the share online/offered (missing where
    no procedure is offered)."""
    out = wide[["code5", "pref_code", "size_class", "type"]].copy()
    out["offered"] = wide["online32_offered"]
    out["online"] = wide["online32_online"]
    out["share"] = (100 * out["online"] / out["offered"].where(out["offered"] > 0))
    return out


def online32_pooled(wide: pd.DataFrame, by: str = "size_class") -> pd.DataFrame:
    """Pooled 32-procedure online share per group: Σ online ÷ Σ offered (each procedure counts once),
    with the municipalities counted, those offering none, and the median municipal share."""
    per = online32(wide)
    rows = []
    for group in (*order_of(by), ALL):
        g = per if group == ALL else per[per[by] == group]
        if group != ALL and not len(g):
            continue
        used = g[g["offered"] > 0]
        off, onl = float(used["offered"].sum()), float(used["online"].sum())
        rows.append({"group": group, "municipalities": len(g), "no_procedure": int((g["offered"].fillna(0) <= 0).sum()),
                     "offered": int(off), "online": int(onl), "pooled_share": 100 * onl / off if off else np.nan,
                     "median_share": float(used["share"].median()) if len(used) else np.nan})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ models

def model_frame(wide: pd.DataFrame) -> pd.DataFrame:
    """Municipalities with a population, with ``log2_pop`` and ``model_group``."""
    d = wide[wide["population_2020"].notna()].copy()
    d["log2_pop"] = np.log2(d["population_2020"].astype(float))
    d["model_group"] = d["type"].map(MODEL_GROUPS)
    return d.reset_index(drop=True)


def _design(d: pd.DataFrame, groups: Sequence[str], extra: Sequence[str] = ()) -> pd.DataFrame:
    X = pd.DataFrame({"const": 1.0}, index=d.index)
    for col in extra:
        X[col] = d[col].astype(float)
    X["log2_pop"] = d["log2_pop"].astype(float)
    for g in groups:
        if g != REFERENCE_GROUP:
            X[f"group_{g}"] = (d["model_group"] == g).astype(float)
    return X


def _separated_groups(d: pd.DataFrame, y: str) -> list[str]:
    """Type groups (other than the reference) in which every municipality answered alike."""
    out = []
    for g in MODEL_GROUP_ORDER:
        if g == REFERENCE_GROUP:
            continue
        sub = d.loc[d["model_group"] == g, y]
        if len(sub) and sub.nunique() < 2:
            out.append(g)
    return out


@dataclass
class LogitFit:
    """A fitted logit: parameters, their covariance and what the model was fitted on."""
    outcome: str
    params: pd.Series
    cov: pd.DataFrame
    n: int
    events: int
    groups: list[str]
    dropped_groups: list[str] = field(default_factory=list)
    converged: bool = True
    result: object = None

    def odds_ratio(self, term: str, level: float = LEVEL) -> tuple[float, float, float]:
        if term not in self.params.index:
            return (np.nan, np.nan, np.nan)
        z = _z(level)
        b, se = float(self.params[term]), math.sqrt(float(self.cov.loc[term, term]))
        return (math.exp(b), math.exp(b - z * se), math.exp(b + z * se))

    def p_value(self, term: str) -> float:
        from scipy.stats import norm

        if term not in self.params.index:
            return np.nan
        b, se = float(self.params[term]), math.sqrt(float(self.cov.loc[term, term]))
        return float(2 * norm.sf(abs(b / se)))


def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def fit_logit(d: pd.DataFrame, y: str, *, extra: Sequence[str] = (), cluster: str | None = "pref_code",
              fixed_effects: str | None = None) -> LogitFit:
    """Logit of ``y`` on ``extra`` columns, log2_pop and the type groups (reference: city).

    Rows missing ``y`` or ``extra`` are left out. Separated type groups are left out (rows and
    term) and listed in ``dropped_groups``. ``cluster`` names the column whose values form the
    clusters of the robust covariance; ``fixed_effects`` adds a dummy per value of that column
    (then the covariance is model-based)."""
    import statsmodels.api as sm

    d = d.dropna(subset=[y, *extra])
    dropped = _separated_groups(d, y)
    d = d[~d["model_group"].isin(dropped)]
    groups = [g for g in MODEL_GROUP_ORDER if g not in dropped and (d["model_group"] == g).any()]
    X = _design(d, groups, extra)
    if fixed_effects:
        fe = pd.get_dummies(d[fixed_effects], prefix="fe", drop_first=True, dtype=float)
        X = pd.concat([X, fe], axis=1)
    yv = d[y].astype(float)
    kwargs = {}
    if cluster and not fixed_effects:
        kwargs = {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(d[cluster])[0]}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.Logit(yv, X).fit(disp=0, method="newton", maxiter=100, **kwargs)
    return LogitFit(y, res.params, res.cov_params(), int(len(d)), int(yv.sum()), groups, dropped,
                    bool(res.mle_retvals.get("converged", True)), res)


def _informative(d: pd.DataFrame, y: str, by: str = "pref_code") -> tuple[pd.DataFrame, list[str]]:
    """Rows of the groups (prefectures) in which ``y`` varies; and the groups left out."""
    d = d.dropna(subset=[y])
    var = d.groupby(by)[y].nunique()
    keep = var[var > 1].index
    return d[d[by].isin(keep)], sorted(var[var <= 1].index)


def size_models(wide: pd.DataFrame, indicators: Sequence[str] = tuple(BINARY)) -> tuple[pd.DataFrame, dict[str, LogitFit]]:
    """Per indicator: odds ratio per doubling of the population (type groups held fixed, SEs
    clustered by prefecture) with its interval, the average marginal effect of a doubling in
    percentage points, the type-group odds ratios against other cities, and the prefecture
    fixed-effects sensitivity. Returns the table and the main fits (for predicted curves)."""
    d = model_frame(wide)
    rows, fits = [], {}
    for ind in indicators:
        fit = fit_logit(d, ind)
        fits[ind] = fit
        or_, lo, hi = fit.odds_ratio("log2_pop")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            me = fit.result.get_margeff(at="overall", method="dydx")
        j = list(fit.params.index.drop("const")).index("log2_pop")
        me_ci = me.conf_int(alpha=1 - LEVEL)[j]
        row = {"indicator": ind, "n": fit.n, "events": fit.events, "odds_ratio": or_, "lo": lo, "hi": hi,
               "p_value": fit.p_value("log2_pop"), "ame_pp": 100 * float(me.margeff[j]),
               "ame_lo": 100 * float(me_ci[0]), "ame_hi": 100 * float(me_ci[1]),
               "dropped_groups": ",".join(fit.dropped_groups), "converged": fit.converged}
        for g in MODEL_GROUP_ORDER:
            if g == REFERENCE_GROUP:
                continue
            row[f"or_{g}"], row[f"or_{g}_lo"], row[f"or_{g}_hi"] = fit.odds_ratio(f"group_{g}")
        sub, left_out = _informative(d, ind)
        fe = fit_logit(sub, ind, cluster=None, fixed_effects="pref_code")
        row["fe_odds_ratio"], row["fe_lo"], row["fe_hi"] = fe.odds_ratio("log2_pop")
        row["fe_n"], row["fe_prefectures"] = fe.n, int(sub["pref_code"].nunique())
        row["fe_left_out"] = ",".join(left_out)
        row["fe_converged"] = fe.converged
        rows.append(row)
    return pd.DataFrame(rows), fits


def predicted_curves(fits: dict[str, LogitFit], wide: pd.DataFrame, points: int = 40,
                     quantiles: tuple[float, float] = (0.05, 0.95)) -> pd.DataFrame:
    """Predicted probability (percent, with its interval) over population, per indicator and type
    group, each group only over its own observed range (its 5th–95th percentile): indicator,
    model_group, population, p, lo, hi."""
    d = model_frame(wide)
    z = _z(LEVEL)
    rows = []
    for ind, fit in fits.items():
        for g in fit.groups:
            pops = d.loc[d["model_group"] == g, "population_2020"].astype(float)
            a, b = np.quantile(pops, quantiles)
            grid = np.geomspace(a, b, points)
            X = pd.DataFrame({"const": 1.0, "log2_pop": np.log2(grid)})
            for gg in fit.groups:
                if gg != REFERENCE_GROUP:
                    X[f"group_{gg}"] = float(gg == g)
            X = X[list(fit.params.index)]
            xb = X.to_numpy() @ fit.params.to_numpy()
            se = np.sqrt(np.einsum("ij,jk,ik->i", X.to_numpy(), fit.cov.to_numpy(), X.to_numpy()))
            expit = lambda v: 100 / (1 + np.exp(-v))  # noqa: E731
            rows.append(pd.DataFrame({"indicator": ind, "model_group": g, "population": grid,
                                      "p": expit(xb), "lo": expit(xb - z * se), "hi": expit(xb + z * se)}))
    return pd.concat(rows, ignore_index=True)


def all_alike(wide: pd.DataFrame, by: str = "type", indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """Groups in which every surveyed municipality gave the same answer to an indicator (these
    would be perfectly separated in a logit with a term of their own): group, indicator, value, n."""
    rows = []
    for g in order_of(by):
        sub = wide[wide[by] == g]
        for ind in indicators:
            v = sub[ind].dropna()
            if len(v) and v.nunique() == 1:
                rows.append({"group": g, "indicator": ind, "value": float(v.iloc[0]), "n": len(v)})
    return pd.DataFrame(rows, columns=["group", "indicator", "value", "n"])



def class_populations(wide: pd.DataFrame) -> dict[str, float]:
    """Median 2020 population of each size class (where the observed shares sit on a population axis)."""
    d = wide[wide["population_2020"].notna()]
    med = d.groupby("size_class")["population_2020"].median().astype(float)
    return {g: float(med[g]) for g in SIZE_ORDER if g in med.index}


def governance_outcome(wide: pd.DataFrame, predictors: Sequence[str] = tuple(PREDICTORS),
                       outcomes: Sequence[str] = tuple(OUTCOMES)) -> pd.DataFrame:
    """Odds ratio of each outcome for municipalities with vs without each governance item,
    controlling for log2(population) and type group (SEs clustered by prefecture), beside the raw
    shares: outcome, predictor, n, n_with, rate_with, n_without, rate_without, odds_ratio, lo, hi,
    p_value and ``p_holm``: the pairs are one family of tests, so their p-values are adjusted with
    Holm's method (``statsmodels.stats.multitest``; ``held_holm`` = adjusted p < 1 − LEVEL)."""
    d = model_frame(wide)
    rows = []
    for out in outcomes:
        for pred in predictors:
            sub = d.dropna(subset=[out, pred])
            fit = fit_logit(sub, out, extra=[pred])
            or_, lo, hi = fit.odds_ratio(pred)
            w, wo = sub[sub[pred] == 1], sub[sub[pred] == 0]
            rows.append({"outcome": out, "predictor": pred, "n": fit.n, "n_with": len(w),
                         "rate_with": 100 * w[out].mean() if len(w) else np.nan, "n_without": len(wo),
                         "rate_without": 100 * wo[out].mean() if len(wo) else np.nan,
                         "odds_ratio": or_, "lo": lo, "hi": hi, "p_value": fit.p_value(pred),
                         "dropped_groups": ",".join(fit.dropped_groups), "converged": fit.converged})
    out = pd.DataFrame(rows)
    out["p_holm"] = np.nan
    ok = out["p_value"].notna()
    if ok.any():
        out.loc[ok, "p_holm"] = holm(out.loc[ok, "p_value"].to_numpy(float))
    out["held_holm"] = out["p_holm"] < 1 - LEVEL
    return out


def pair_associations(wide: pd.DataFrame, items: Sequence[str] = tuple(OUTCOMES)) -> pd.DataFrame:
    """Each pair of ``items`` (AI, RPA, telework) as a logit of the second on the first, controlling
    for log2(population) and type group (as :func:`governance_outcome`): the raw association of two
    adoptions is largely size (AI 8 % of villages, 96 % of core cities). Columns: first, second, n,
    or_adjusted, lo, hi, p_value, p_holm (Holm over the pairs)."""
    from itertools import combinations

    d = model_frame(wide)
    rows = []
    for a, b in combinations(items, 2):
        fit = fit_logit(d.dropna(subset=[a, b]), b, extra=[a])
        or_, lo, hi = fit.odds_ratio(a)
        rows.append({"first": a, "second": b, "n": fit.n, "or_adjusted": or_, "lo": lo, "hi": hi,
                     "p_value": fit.p_value(a)})
    out = pd.DataFrame(rows)
    out["p_holm"] = holm(out["p_value"].to_numpy(float)) if len(out) else []
    return out


# ------------------------------------------------------------------------------ readiness score

def readiness(wide: pd.DataFrame, items: Sequence[str] = tuple(READINESS_ITEMS),
              min_items: int = READINESS_MIN_ITEMS) -> pd.DataFrame:
    """Per municipality: items surveyed, items met and the score 100 × met ÷ surveyed, computed only
    where at least ``min_items`` items were surveyed (``status`` scored | too_few_items)."""
    vals = wide[list(items)]
    surveyed = vals.notna().sum(axis=1)
    met = vals.sum(axis=1, min_count=1).fillna(0)
    ok = surveyed >= min_items
    out = wide[["code5", "pref_code", "pref_name", "name", "type", "size_class", "population_2020"]].copy()
    out["items_surveyed"] = surveyed.astype(int)
    out["items_met"] = met.astype(int)
    out["score"] = (100 * met / surveyed.where(surveyed > 0)).where(ok)
    out["status"] = np.where(ok, "scored", "too_few_items")
    return out


def readiness_by(scores: pd.DataFrame, by: str = "size_class") -> pd.DataFrame:
    """Distribution of the readiness score per group (and ``all``): municipalities, scored, mean,
    median, quartiles and the shares scoring 100 and 0."""
    rows = []
    for group in (*order_of(by), ALL):
        g = scores if group == ALL else scores[scores[by] == group]
        if group != ALL and not len(g):
            continue
        s = g["score"].dropna()
        rows.append({"group": group, "municipalities": len(g), "scored": len(s),
                     "mean": s.mean(), "q1": s.quantile(0.25), "median": s.median(), "q3": s.quantile(0.75),
                     "share_100": 100 * (s >= 100 - 1e-9).mean() if len(s) else np.nan,
                     "share_0": 100 * (s <= 1e-9).mean() if len(s) else np.nan})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ prefectures

def prefecture_government(dashboard_dir: str | Path | None,
                          indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """The prefecture government's own answer to each yes/no item (dashboard prefecture 比較 file):
    pref_code × indicator, 1/0, missing if the file is absent. ``indicators`` may name other rows
    of the file too (e.g. ``online32_offered``, ``online32_online``: counts of procedures)."""
    from helpers.loaders import entity

    indicators = list(indicators)
    cols = ["pref_code", *indicators]
    if dashboard_dir is None:
        return pd.DataFrame(columns=cols)
    files = entity.find_dashboard_files(dashboard_dir)
    if "prefectural_comparison" not in files:
        return pd.DataFrame(columns=cols)
    pref = entity.load_dashboard(files["prefectural_comparison"])
    pref = pref[pref["indicator"].isin(indicators)]
    w = pref.pivot_table(index="pref_code", columns="indicator", values="value", sort=False)
    w.columns.name = None
    return w.reindex(columns=indicators).reset_index()


def prefecture_rates(wide: pd.DataFrame, indicators: Sequence[str], government: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per prefecture and indicator: municipalities, yes, n (surveyed), missing (not surveyed),
    rate with Wilson interval, and the prefecture government's own answer (``government``)."""
    indicators = list(indicators)
    keys = [wide["pref_code"], wide["pref_name"]]
    table = _share_table(wide[indicators], keys).reset_index()
    size = wide.groupby(keys, sort=True).size().rename("municipalities").reset_index()
    table = size.merge(table, on=["pref_code", "pref_name"], how="right", sort=False)
    gov = government.set_index("pref_code") if government is not None and len(government) else None
    if gov is not None:
        table["government"] = [float(gov.at[c, i]) if c in gov.index else np.nan
                               for c, i in zip(table["pref_code"], table["indicator"])]
    else:
        table["government"] = np.nan
    return _plain_text(table[["pref_code", "pref_name", "indicator", "municipalities", "yes", "n", "missing", "rate", "lo",
                              "hi", "government"]])


def _plain_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as pandas' default ``str`` dtype (as a frame built from rows has them)."""
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]):
            frame[col] = frame[col].astype(object).astype("str")
    return frame


def prefecture_summary(wide: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """One row per prefecture: municipalities, not surveyed, CIO / DX policy / AI / telework shares,
    pooled online share and median readiness score."""
    rates = prefecture_rates(wide, ["cio_appointed", "dx_policy", "ai", "telework"])
    w = rates.pivot_table(index=["pref_code", "pref_name"], columns="indicator", values="rate", sort=False)
    w.columns.name = None
    w = w.reindex(columns=["cio_appointed", "dx_policy", "ai", "telework"])  # an item not in the export: empty
    miss = wide[GOVERNANCE].isna().any(axis=1).groupby([wide["pref_code"], wide["pref_name"]]).sum()
    n = wide.groupby(["pref_code", "pref_name"]).size()
    on = online32(wide).assign(pref_name=wide["pref_name"])
    on = on[on["offered"] > 0].groupby(["pref_code", "pref_name"])[["online", "offered"]].sum()
    med = scores.groupby(["pref_code", "pref_name"])["score"].median()
    out = pd.DataFrame({"municipalities": n, "not_surveyed": miss.astype(int)}).join(w)
    out["online_pooled"] = 100 * on["online"] / on["offered"]
    out["readiness_median"] = med
    return out.reset_index()


def not_in_export(long: pd.DataFrame) -> list[str]:
    """Known items the export lacks (the panel keeps them with status ``not_in_export``), in panel order."""
    return list(dict.fromkeys(long.loc[long["status"] == "not_in_export", "indicator"]))


def boundaries_date() -> pd.Timestamp:
    """The reference date of the vendored municipal boundaries, as recorded in data/external/MANIFEST.csv."""
    from helpers.loaders.build_reference import BOUNDARIES
    from helpers.paths import data_dir

    manifest = pd.read_csv(data_dir() / "external" / "MANIFEST.csv", dtype=str)
    row = manifest[manifest["file"] == BOUNDARIES.removeprefix("external/")]
    return pd.Timestamp(row["reference_date"].iloc[0])

