"""The municipal panel (issue 12): who adopts what, by size, type and prefecture.

Frames in, frames out; the notebook ``05_municipalities`` shows them and ``helpers.figures.plots_municipal``
and ``helpers.figures.maps`` draw them. Everything starts from ``helpers.loaders.panel.wide_panel`` (one row per
municipality, 1/0 for 実施/未実施, missing where the municipality was not surveyed — never 0).

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
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers.loaders.dashboard_labels import BINARY
from helpers.words.i18n import t

GOVERNANCE = ["cio_appointed", "cio_deputy_appointed", "dx_policy", "cross_org_structure", "external_talent",
              "staff_development", "all_staff_training"]
OUTCOMES = ["ai", "rpa", "telework"]
#: Governance items whose association with the outcomes is estimated (CIO, policy, talent, training).
PREDICTORS = ["cio_appointed", "dx_policy", "external_talent", "all_staff_training"]
#: Size classes from the smallest to the designated cities (``unknown`` left out of size tables).
SIZE_ORDER = ("lt5k", "5k_10k", "10k_50k", "50k_100k", "100k_200k", "200k_plus", "designated")
#: Municipality types from the smallest powers to the largest.
TYPE_ORDER = ("village", "town", "city", "special_ward", "core_city", "designated_city")
#: Type → group used in the models (see the module docstring for why types are grouped).
MODEL_GROUPS = {"village": "village", "town": "town", "city": "city", "special_ward": "city",
                "core_city": "large_city", "designated_city": "large_city"}
MODEL_GROUP_ORDER = ("village", "town", "city", "large_city")
REFERENCE_GROUP = "city"
READINESS_ITEMS = list(BINARY)
READINESS_MIN_ITEMS = 8
LEVEL = 0.95
ALL = "all"


# ------------------------------------------------------------------------------ intervals

def wilson(k, n, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Wilson interval of k successes in n, in percent (NaN where n is 0)."""
    from statsmodels.stats.proportion import proportion_confint

    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    safe = np.where(n > 0, n, 1.0)
    lo, hi = proportion_confint(k, safe, alpha=1 - level, method="wilson")
    lo = np.where(n > 0, 100 * np.asarray(lo, dtype=float), np.nan)
    hi = np.where(n > 0, 100 * np.asarray(hi, dtype=float), np.nan)
    return lo, hi


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


def all_alike_text(alike: pd.DataFrame, lang: str) -> str:
    """「政令指定都市（20団体）：全体の構築、…がすべて実施」 for the methods paragraph."""
    if not len(alike):
        return t("muni.text.alike_none", lang)
    parts = []
    for (g, v), sub in alike.groupby(["group", "value"], sort=False):
        parts.append(t("muni.text.alike_part", lang, group=group_label("type", g, lang), n=f"{int(sub['n'].max()):,}",
                       items=join([ind_label(i, lang) for i in sub["indicator"]], lang),
                       answer=t("muni.map.yes" if v == 1 else "muni.map.no", lang)))
    return t("muni.text.alike", lang, parts=("、" if lang == "ja" else "; ").join(parts))


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
    from statsmodels.stats.multitest import multipletests

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
        out.loc[ok, "p_holm"] = multipletests(out.loc[ok, "p_value"].to_numpy(float), method="holm")[1]
    out["held_holm"] = out["p_holm"] < 1 - LEVEL
    return out


def pair_associations(wide: pd.DataFrame, items: Sequence[str] = tuple(OUTCOMES)) -> pd.DataFrame:
    """Each pair of ``items`` (AI, RPA, telework) as a logit of the second on the first, controlling
    for log2(population) and type group (as :func:`governance_outcome`): the raw association of two
    adoptions is largely size (AI 8 % of villages, 96 % of core cities). Columns: first, second, n,
    or_adjusted, lo, hi, p_value, p_holm (Holm over the pairs)."""
    from itertools import combinations

    from statsmodels.stats.multitest import multipletests

    d = model_frame(wide)
    rows = []
    for a, b in combinations(items, 2):
        fit = fit_logit(d.dropna(subset=[a, b]), b, extra=[a])
        or_, lo, hi = fit.odds_ratio(a)
        rows.append({"first": a, "second": b, "n": fit.n, "or_adjusted": or_, "lo": lo, "hi": hi,
                     "p_value": fit.p_value(a)})
    out = pd.DataFrame(rows)
    out["p_holm"] = multipletests(out["p_value"].to_numpy(float), method="holm")[1] if len(out) else []
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


# ------------------------------------------------------------------------------ words

def ind_label(indicator: str, lang: str) -> str:
    return t(f"muni.ind.{indicator}", lang)


def ind_title(indicator: str, lang: str) -> str:
    """The label for a title, a panel or a table row (capitalised in English)."""
    label = ind_label(indicator, lang)
    return label[:1].upper() + label[1:]


def group_label(by: str, group: str, lang: str) -> str:
    if group == ALL:
        return t("muni.group.all", lang)
    if by == "size_class":
        from helpers.loaders.panel import SIZE_CLASS_LABELS

        return SIZE_CLASS_LABELS[lang][group]
    if by == "type":
        return t(f"muni.type.{group}", lang)
    return t(f"muni.mgroup.{group}", lang)


def pref_label(code: str, name_ja: str, lang: str) -> str:
    if lang == "ja":
        return name_ja
    from helpers.loaders.entity import prefectures

    return dict(zip(prefectures()["pref_code"], prefectures()["name_en"])).get(code, name_ja)


def pct(x: float, lang: str, decimals: int = 1) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{decimals}f}%"


def ci_text(rate: float, lo: float, hi: float, lang: str) -> str:
    """「72.3%（95%信頼区間 68.1–76.2%）」 / '72.3% (95% CI 68.1–76.2%)'."""
    return t("muni.fmt.rate_ci", lang, rate=f"{rate:.1f}", lo=f"{lo:.1f}", hi=f"{hi:.1f}")


def ci_n_text(rate: float, lo: float, hi: float, n: int, lang: str) -> str:
    """「72.3%（95%信頼区間 68.1–76.2%、n=290）」."""
    return t("muni.fmt.rate_ci_n", lang, rate=f"{rate:.1f}", lo=f"{lo:.1f}", hi=f"{hi:.1f}", n=f"{int(n):,}")


def or_text(or_: float, lo: float, hi: float, lang: str) -> str:
    return t("muni.fmt.or_ci", lang, value=f"{or_:.2f}", lo=f"{lo:.2f}", hi=f"{hi:.2f}")


def or_cell(or_: float, lo: float, hi: float, lang: str) -> str:
    """A table cell: '1.52 (1.33–1.74)' (the header says 95% CI)."""
    return "—" if pd.isna(or_) else t("muni.fmt.or_cell", lang, value=f"{or_:.2f}", lo=f"{lo:.2f}", hi=f"{hi:.2f}")


def n_range(ns) -> str:
    """'1,732' or '1,732–1,740'."""
    lo, hi = int(min(ns)), int(max(ns))
    return f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"


def join(items: Iterable[str], lang: str) -> str:
    items = list(items)
    if lang == "ja" or len(items) < 2:
        return "、".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ------------------------------------------------------------------------------ report tables

def adoption_table(table: pd.DataFrame, by: str, lang: str, indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """Group × indicator, each cell 'rate (lo–hi)', with a row of n per group: the report's table."""
    groups = [g for g in (*order_of(by), ALL) if g in set(table["group"])]
    out = {t("muni.col.indicator", lang): [ind_title(i, lang) for i in indicators]}
    for g in groups:
        sub = table[table["group"] == g].set_index("indicator")
        out[f"{group_label(by, g, lang)}"] = [t("muni.fmt.cell", lang, rate=f"{sub.loc[i, 'rate']:.1f}",
                                                lo=f"{sub.loc[i, 'lo']:.0f}", hi=f"{sub.loc[i, 'hi']:.0f}")
                                              for i in indicators]
    frame = pd.DataFrame(out)
    n_row = {t("muni.col.indicator", lang): t("muni.col.n_surveyed", lang)}
    for g in groups:
        ns = table.loc[(table["group"] == g) & table["indicator"].isin(indicators), "n"]
        n_row[group_label(by, g, lang)] = (f"{ns.min():,}" if ns.min() == ns.max() else f"{ns.min():,}–{ns.max():,}")
    return pd.concat([pd.DataFrame([n_row]), frame], ignore_index=True)


def online_table(pooled: pd.DataFrame, by: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("muni.col.group", lang): [group_label(by, g, lang) for g in pooled["group"]],
        t("muni.col.municipalities", lang): pooled["municipalities"].astype(int),
        t("muni.col.offered", lang): pooled["offered"].astype(int),
        t("muni.col.online", lang): pooled["online"].astype(int),
        t("muni.col.pooled_share", lang): [pct(x, lang) for x in pooled["pooled_share"]],
        t("muni.col.median_share", lang): [pct(x, lang) for x in pooled["median_share"]],
    })


def size_model_table(models: pd.DataFrame, lang: str) -> pd.DataFrame:
    def ort(r, k):
        lo, hi = ("lo", "hi") if k == "odds_ratio" else (f"{k}_lo", f"{k}_hi")
        return or_cell(r[k], r[lo], r[hi], lang)
    return pd.DataFrame({
        t("muni.col.indicator", lang): [ind_title(i, lang) for i in models["indicator"]],
        t("muni.col.n", lang): models["n"].astype(int),
        t("muni.col.or_doubling", lang): [ort(r, "odds_ratio") for _, r in models.iterrows()],
        t("muni.col.ame", lang): [t("muni.fmt.pp_ci", lang, value=f"{r.ame_pp:+.1f}", lo=f"{r.ame_lo:+.1f}",
                                    hi=f"{r.ame_hi:+.1f}") for r in models.itertuples()],
        t("muni.col.or_village", lang): [ort(r, "or_village") for _, r in models.iterrows()],
        t("muni.col.or_town", lang): [ort(r, "or_town") for _, r in models.iterrows()],
        t("muni.col.or_large", lang): [ort(r, "or_large_city") for _, r in models.iterrows()],
        t("muni.col.fe_or", lang): [or_cell(r.fe_odds_ratio, r.fe_lo, r.fe_hi, lang) for r in models.itertuples()],
        t("muni.col.fe_n", lang): [t("muni.fmt.fe_n", lang, n=f"{r.fe_n:,}", p=r.fe_prefectures)
                                   for r in models.itertuples()],
    })


def governance_table(assoc: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("muni.col.outcome", lang): [ind_title(i, lang) for i in assoc["outcome"]],
        t("muni.col.predictor", lang): [ind_title(i, lang) for i in assoc["predictor"]],
        t("muni.col.n", lang): assoc["n"].astype(int),
        t("muni.col.rate_with", lang): [f"{r.rate_with:.1f}% ({r.n_with:,})" for r in assoc.itertuples()],
        t("muni.col.rate_without", lang): [f"{r.rate_without:.1f}% ({r.n_without:,})" for r in assoc.itertuples()],
        t("muni.col.or_adjusted", lang): [or_cell(r.odds_ratio, r.lo, r.hi, lang) for r in assoc.itertuples()],
        t("muni.col.p_holm", lang): ["<0.001" if r.p_holm < 0.001 else f"{r.p_holm:.3f}" for r in assoc.itertuples()],
    })


def readiness_table(dist: pd.DataFrame, by: str, lang: str) -> pd.DataFrame:
    f1 = lambda x: "—" if pd.isna(x) else f"{x:.1f}"  # noqa: E731
    return pd.DataFrame({
        t("muni.col.group", lang): [group_label(by, g, lang) for g in dist["group"]],
        t("muni.col.municipalities", lang): dist["municipalities"].astype(int),
        t("muni.col.scored", lang): dist["scored"].astype(int),
        t("muni.col.mean", lang): [f1(x) for x in dist["mean"]],
        t("muni.col.median", lang): [f1(x) for x in dist["median"]],
        t("muni.col.iqr", lang): [f"{f1(a)}–{f1(b)}" for a, b in zip(dist["q1"], dist["q3"])],
        t("muni.col.share_100", lang): [pct(x, lang) for x in dist["share_100"]],
        t("muni.col.share_0", lang): [pct(x, lang) for x in dist["share_0"]],
    })


def prefecture_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("muni.col.prefecture", lang): [pref_label(c, n, lang) for c, n in zip(summary["pref_code"], summary["pref_name"])],
        t("muni.col.municipalities", lang): summary["municipalities"].astype(int),
        t("muni.col.not_surveyed", lang): summary["not_surveyed"].astype(int),
        **{ind_title(i, lang): [pct(x, lang) for x in summary[i]] for i in ["cio_appointed", "dx_policy", "ai", "telework"]},
        t("muni.col.online_pooled", lang): [pct(x, lang) for x in summary["online_pooled"]],
        t("muni.col.readiness_median", lang): ["—" if pd.isna(x) else f"{x:.0f}" for x in summary["readiness_median"]],
    })


# ------------------------------------------------------------------------------ findings and caveats

def _row(table: pd.DataFrame, group: str, ind: str) -> pd.Series:
    return table[(table["group"] == group) & (table["indicator"] == ind)].iloc[0]


def size_gap_findings(by_size: pd.DataFrame, lang: str) -> list[str]:
    """The indicators with the largest and the smallest gap between the smallest size class and
    the largest non-designated class (20万+), each with both shares, intervals and n."""
    from helpers.analysis.common import shown_difference

    small, large = SIZE_ORDER[0], "200k_plus"
    gaps = {ind: _row(by_size, large, ind)["rate"] - _row(by_size, small, ind)["rate"]
            for ind in by_size["indicator"].unique()}
    ranked = sorted(gaps, key=gaps.get)
    out = []
    for key, ind in (("muni.f.size_gap_max", ranked[-1]), ("muni.f.size_gap_min", ranked[0])):
        a, b = _row(by_size, small, ind), _row(by_size, large, ind)
        out.append(t(key, lang, name=ind_label(ind, lang), small=group_label("size_class", small, lang),
                     large=group_label("size_class", large, lang), a=ci_n_text(a.rate, a.lo, a.hi, a.n, lang),
                     b=ci_n_text(b.rate, b.lo, b.hi, b.n, lang), gap=f"{shown_difference(b.rate, a.rate):+.1f}"))
    return out


def model_findings(models: pd.DataFrame, lang: str) -> list[str]:
    m = models.sort_values("odds_ratio", ascending=False)
    top = [f"{ind_label(r.indicator, lang)} {or_text(r.odds_ratio, r.lo, r.hi, lang)}" for r in m.head(2).itertuples()]
    flat = m[(m["lo"] <= 1) & (m["hi"] >= 1)]
    above = m[m["lo"] > 1]
    out = [t("muni.f.or_top", lang, items=join(top, lang), k=len(above), total=len(m),
             n=n_range(m["n"]))]
    if len(flat):
        # a clustered interval that includes 1 is "no clear association" only if the fixed-effects
        # check agrees; where that interval lies off 1, the sentence says the two disagree
        fe_off = (flat["fe_lo"] > 1) | (flat["fe_hi"] < 1) if "fe_lo" in flat else pd.Series(False, index=flat.index)
        agree, differ = flat[~fe_off], flat[fe_off]
        if len(agree):
            items = [f"{ind_label(r.indicator, lang)} {or_text(r.odds_ratio, r.lo, r.hi, lang)}" for r in agree.itertuples()]
            out.append(t("muni.f.or_flat", lang, items=join(items, lang)))
        if len(differ):
            items = [t("muni.f.or_fe_item", lang, name=ind_label(r.indicator, lang), base=or_text(r.odds_ratio, r.lo, r.hi, lang),
                       fe=or_text(r.fe_odds_ratio, r.fe_lo, r.fe_hi, lang)) for r in differ.itertuples()]
            out.append(t("muni.f.or_fe_differs", lang, items=join(items, lang)))
    best = m.iloc[0]
    out.append(t("muni.f.ame", lang, name=ind_label(best.indicator, lang), value=f"{best.ame_pp:.1f}",
                 lo=f"{best.ame_lo:.1f}", hi=f"{best.ame_hi:.1f}"))
    return out


def governance_findings(assoc: pd.DataFrame, lang: str) -> list[str]:
    above = assoc[assoc["lo"] > 1]
    held = above[above["held_holm"]]
    best = assoc.sort_values("odds_ratio", ascending=False).iloc[0]
    return [t("muni.f.governance", lang, k=len(above), total=len(assoc), h=len(held), pred=ind_label(best.predictor, lang),
              out=ind_label(best.outcome, lang), value=or_text(best.odds_ratio, best.lo, best.hi, lang),
              rw=f"{best.rate_with:.1f}", nw=f"{best.n_with:,}", rwo=f"{best.rate_without:.1f}",
              nwo=f"{best.n_without:,}", n=f"{best.n:,}")]


def readiness_findings(dist: pd.DataFrame, lang: str, k: int = len(READINESS_ITEMS)) -> list[str]:
    """The readiness sentence; ``k`` the items scored (fewer when the export lacks one)."""
    small, large = dist.iloc[0], dist[dist["group"] == "200k_plus"].iloc[0]
    allrow = dist[dist["group"] == ALL].iloc[0]
    return [t("muni.f.readiness", lang, k=k, median=f"{allrow['median']:.0f}", n=f"{int(allrow['scored']):,}",
              small=group_label("size_class", small["group"], lang), ms=f"{small['median']:.0f}",
              q1s=f"{small['q1']:.0f}", q3s=f"{small['q3']:.0f}", ns=f"{int(small['scored']):,}",
              large=group_label("size_class", "200k_plus", lang), ml=f"{large['median']:.0f}",
              q1l=f"{large['q1']:.0f}", q3l=f"{large['q3']:.0f}", nl=f"{int(large['scored']):,}")]


def prefecture_findings(rates: pd.DataFrame, ind: str, lang: str, min_n: int = 10) -> list[str]:
    """Lowest and highest prefecture share of ``ind`` among prefectures with at least ``min_n``
    surveyed municipalities and all of them surveyed (a share over part of them is not ordered)."""
    whole = rates["missing"] == 0 if "missing" in rates else True
    r = rates[(rates["indicator"] == ind) & (rates["n"] >= min_n) & whole].sort_values(["rate", "pref_code"])
    lo, hi = r.iloc[0], r.iloc[-1]
    return [t("muni.f.prefecture", lang, name=ind_label(ind, lang), min_n=min_n, k=len(r),
              low=pref_label(lo.pref_code, lo.pref_name, lang), lr=ci_n_text(lo.rate, lo.lo, lo.hi, lo.n, lang),
              high=pref_label(hi.pref_code, hi.pref_name, lang), hr=ci_n_text(hi.rate, hi.lo, hi.hi, hi.n, lang))]


def online_findings(pooled: pd.DataFrame, lang: str) -> list[str]:
    small, large = pooled.iloc[0], pooled[pooled["group"] == "200k_plus"].iloc[0]
    allrow = pooled[pooled["group"] == ALL].iloc[0]
    return [t("muni.f.online", lang, all=pct(allrow["pooled_share"], lang), on=f"{allrow['online']:,}",
              off=f"{allrow['offered']:,}", n=f"{allrow['municipalities'] - allrow['no_procedure']:,}",
              m=f"{allrow['municipalities']:,}",
              small=group_label("size_class", small["group"], lang), s=pct(small["pooled_share"], lang),
              large=group_label("size_class", "200k_plus", lang), l=pct(large["pooled_share"], lang))]


def not_surveyed_note(ns: pd.DataFrame, lang: str, wide: pd.DataFrame | None = None, ref: str = "") -> str:
    """「石川県の8団体（七尾市…）は…」: the not-surveyed municipalities, by prefecture, with the items;
    with ``wide`` also why (cited by ``ref``), whether the prefecture's most populous municipality
    is among them, and that its shares and ranks on those items rest on the others only."""
    from helpers.analysis.entity_stats import not_surveyed_context

    parts, missing, context = [], set(), []
    for (code, pref), g in ns.groupby(["pref_code", "pref_name"], sort=True):
        names = join([n if lang == "ja" else f"{n} ({c})" for c, n in zip(g["code5"], g["name"])], lang)
        its = list(dict.fromkeys(x for its in g["items"] for x in its))
        missing |= set(its)
        parts.append(t("muni.ns.part", lang, pref=pref_label(code, pref, lang), n=len(g), names=names,
                       items=join([ind_label(i, lang) for i in its], lang)))
        if wide is not None:
            answered = int((wide["pref_code"] == code).sum()) - len(g)
            ctx = not_surveyed_context(code, pref_label(code, pref, lang), g["code5"], lang, ref=ref, answered=answered)
            if ctx:
                context.append(ctx)
    others = join([ind_label(i, lang) for i in BINARY if i not in missing], lang)
    note = t("muni.ns.note", lang, parts=join(parts, lang), others=others) if parts else ""
    return (" " if lang == "en" else "").join([note, *context]) if note else ""


def not_surveyed_short(ns: pd.DataFrame, lang: str) -> str:
    """Short figure note: 「＊石川県：8団体（金沢市を含む）が推進体制7項目で調査無し」 (the prefecture's
    most populous municipality named when it is among them)."""
    from helpers.analysis.entity_stats import largest_left_out

    big = largest_left_out(ns["code5"])
    parts = []
    for (code, pref), g in ns.groupby(["pref_code", "pref_name"], sort=True):
        name = big[code]["name"] if lang == "ja" or code not in big else f"{big[code]['name']} ({big[code]['code5']})"
        incl = t("muni.ns.incl", lang, name=name) if code in big else ""
        parts.append(t("muni.ns.short", lang, pref=pref_label(code, pref, lang), n=len(g), incl=incl,
                       k=len(dict.fromkeys(x for its in g["items"] for x in its))))
    return "; ".join(parts)


def not_in_export(long: pd.DataFrame) -> list[str]:
    """Known items the export lacks (the panel keeps them with status ``not_in_export``), in panel order."""
    return list(dict.fromkeys(long.loc[long["status"] == "not_in_export", "indicator"]))


def missing_text(gone: Sequence[str], needed: Sequence[str], lang: str) -> str:
    """「このエクスポートにない項目：…」 for the items a section needs that the export lacks; '' if none."""
    from helpers.analysis.entity_stats import indicator_names
    from helpers.words.i18n import TEXT

    names = indicator_names(lang)  # the dashboard's own items for those without a label of this theme
    items = [ind_label(i, lang) if f"muni.ind.{i}" in TEXT else names.get(i, i) for i in needed if i in set(gone)]
    return t("export.missing", lang, items=join(items, lang)) if items else ""


def caveats(wide: pd.DataFrame, long: pd.DataFrame, models: pd.DataFrame, lang: str, *,
            date_ref: str = "", survey_ref: str = "") -> list[str]:
    """The theme's caveats in the report's language, each computed from the frames. ``date_ref`` cites
    the published AI/RPA shares the AI/RPA date is inferred from, ``survey_ref`` the dashboard's data
    definition (the governance items' survey date)."""
    from helpers.analysis.entity_stats import ai_rpa_date_evidence, date_evidence_short

    out = []
    note = not_surveyed_note(not_surveyed(long), lang, wide, ref=survey_ref)
    if note:
        out.append(note)
    for r in wide[wide["population_2020"].isna()].itertuples():
        out.append(t("muni.c.population", lang, name=r.name, code=r.code5, note=r.population_note or "—",
                     name_code=f"{r.name} ({r.code5})"))
    out.append(t("muni.c.census", lang, n=f"{len(wide):,}"))
    out.append(t("muni.c.association", lang))
    out.append(t("muni.c.groups", lang))
    labels = {"village": "muni.mgroup.village", "town": "muni.mgroup.town", "large_city": "muni.mgroup.large_city"}
    for r in models[models["dropped_groups"] != ""].itertuples():
        out.append(t("muni.c.dropped", lang, name=ind_label(r.indicator, lang),
                     groups=join([t(labels[g], lang) for g in r.dropped_groups.split(",")], lang)))
    names = dict(zip(wide["pref_code"], wide["pref_name"]))
    items = [t("muni.c.fe_item", lang, name=ind_label(r.indicator, lang),
               prefs=join([pref_label(c, names[c], lang) for c in r.fe_left_out.split(",")], lang))
             for r in models[models["fe_left_out"] != ""].itertuples()]
    out.append(t("muni.c.fe", lang, items=join(items, lang)) if items else t("muni.c.fe_none", lang))
    out.append(t("muni.c.readiness", lang, g=len(GOVERNANCE), o=len(OUTCOMES)))
    out.append(date_evidence_short(ai_rpa_date_evidence(long), lang, ref=date_ref, ref2=survey_ref))
    if wide["online32_offered"].notna().any():  # not when the export lacks the 32-procedure counts
        n0 = int((wide["online32_offered"].fillna(0) <= 0).sum())
        out.append(t("muni.c.online", lang, n0=n0, max=f"{wide['online32_offered'].max():.0f}"))
    out.append(boundaries_caveat(lang))
    return out


def boundaries_caveat(lang: str) -> str:
    """Which boundaries the maps use, that their codes match the municipal master (date and count
    from data/external/MANIFEST.csv and data/reference/municipalities.csv) and which municipalities
    have no polygon and are not drawn (counted from the boundaries)."""
    from helpers.analysis.entity_stats import dashboard_update
    from helpers.words.i18n import date_text
    from helpers.loaders.municipalities import load_master

    from helpers.figures.maps import not_drawn, not_drawn_names

    update = dashboard_update()
    if pd.isna(update):
        text = t("export.boundaries_nodate", lang, date=date_text(boundaries_date(), lang), n=f"{len(load_master()):,}")
    else:
        text = t("muni.c.boundaries", lang, date=date_text(boundaries_date(), lang), n=f"{len(load_master()):,}",
                 year=update.year)
    gone = not_drawn()
    if gone:  # codes match, but not every municipality can be drawn: say how many and which
        text += ("" if lang == "ja" else " ") + t("muni.c.not_drawn", lang, n=len(gone),
                                                  names=not_drawn_names(gone, lang, with_codes=True))
    return text


def boundaries_date() -> pd.Timestamp:
    """The reference date of the vendored municipal boundaries, as recorded in data/external/MANIFEST.csv."""
    from helpers.figures.maps import BOUNDARIES
    from helpers.paths import data_dir

    manifest = pd.read_csv(data_dir() / "external" / "MANIFEST.csv", dtype=str)
    row = manifest[manifest["file"] == "/".join(BOUNDARIES[1:])]
    return pd.Timestamp(row["reference_date"].iloc[0])
