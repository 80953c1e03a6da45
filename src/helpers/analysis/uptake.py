"""AI / RPA / telework uptake: observed adoption by survey series, changes only within a series,
and a logistic diffusion curve only where one series has enough dated points to carry it.

The published points come from several surveys (2020 briefing slides that count governor's/mayor's
departments only and include planned adoption, the separate telework and AI/RPA surveys, a company
blog's summary of the FY2023 survey with no stated reference date). Values of different series are
different quantities: they are shown side by side, never joined into a trend or a curve.

Frames in, frames out: ids (indicators, tiers, series), dates and numbers; the sentences, captions
and reader tables are :mod:`helpers.words.uptake`'s.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from helpers import vocabulary

from helpers.analysis.common import rates

SERIES = ["telework", "ai", "rpa"]
TIERS = list(vocabulary.TIER_ORDER)
#: A curve is fitted only to one series with at least this many points whose reference date is stated.
MIN_POINTS = 4
TARGET_PCT = 80.0
CONFIDENCE = 0.95


# ------------------------------------------------------------------------------ observed points

def adoption(ind: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """Adoption rates by indicator, tier and reference date, each with its series and base
    (:func:`helpers.analysis.common.rates` of telework, AI and RPA)."""
    return rates(ind, SERIES, tiers)


def narrower_bases(adopt: pd.DataFrame) -> pd.DataFrame:
    """Municipal survey dates whose base differs from that of the latest date (as_of, base,
    latest_base): the early telework slides counted fewer municipalities than later surveys."""
    m = adopt[(adopt["tier"] == "municipality") & adopt["base"].notna()].sort_values("as_of")
    if m.empty:
        return pd.DataFrame(columns=["as_of", "base", "latest_base"])
    latest = m["base"].iloc[-1]
    odd = m[m["base"] != latest].drop_duplicates(["as_of", "base"])
    return odd[["as_of", "base"]].assign(latest_base=latest).reset_index(drop=True)


def unshared_dates(adopt: pd.DataFrame) -> list[tuple[list[str], list[pd.Timestamp]]]:
    """Reference dates that not every series has, grouped by the series that have them
    ([indicator ids], [dates]): separate surveys with their own dates."""
    series = set(adopt["indicator"])
    by_date = adopt.groupby("as_of")["indicator"].agg(lambda s: tuple(sorted(set(s))))
    groups: dict[tuple, list] = {}
    for date, ids in by_date.items():
        if set(ids) != series:
            groups.setdefault(tuple(ids), []).append(date)
    order = {k: i for i, k in enumerate(SERIES)}
    return [(sorted(ids, key=lambda i: order.get(i, 99)), sorted(dates))
            for ids, dates in sorted(groups.items(), key=lambda kv: min(kv[1]))]


# ------------------------------------------------------------------------------ diffusion curve

def decimal_year(ts: pd.Series) -> pd.Series:
    ts = pd.to_datetime(pd.Series(ts))
    start = pd.to_datetime(ts.dt.year.astype(str) + "-01-01")
    days = np.where(ts.dt.is_leap_year, 366.0, 365.0)
    return ts.dt.year + (ts - start).dt.days / days


def _logistic(x: np.ndarray, k: float, t0: float) -> np.ndarray:
    return 100.0 / (1.0 + np.exp(-k * (x - t0)))


def _jacobian(x: np.ndarray, k: float, t0: float) -> np.ndarray:
    """d rate / d(k, t0) at each x (rows), for the delta method."""
    f = _logistic(x, k, t0)
    common = f * (1 - f / 100.0)
    return np.column_stack([common * (x - t0), -common * k])


def fit_logistic(years: np.ndarray, pct: np.ndarray, confidence: float = CONFIDENCE) -> dict[str, float]:
    """Least-squares logistic curve with a 100 % ceiling, with its uncertainty.

    Returns growth rate ``k``, midpoint ``t0``, their covariance (``cov_kk``, ``cov_kt``, ``cov_tt``,
    from ``curve_fit``), the residual degrees of freedom, RMSE (pp), and the year the curve reaches
    ``TARGET_PCT`` with a delta-method interval (t quantile, ``confidence``). Raises ``ValueError``
    with fewer than ``MIN_POINTS`` points and ``RuntimeError`` when the fit gives no finite uncertainty.
    """
    from scipy.optimize import curve_fit
    from scipy.stats import t as student_t

    years, pct = np.asarray(years, float), np.asarray(pct, float)
    if len(years) < MIN_POINTS:
        raise ValueError(f"a logistic fit needs at least {MIN_POINTS} points, got {len(years)}")
    order = np.argsort(pct)
    p0 = (1.0, float(np.interp(50.0, pct[order], years[order])))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (k, t0), cov = curve_fit(_logistic, years, pct, p0=p0, maxfev=20000)
    if not np.all(np.isfinite(cov)):
        raise RuntimeError("the fit gives no finite parameter covariance")
    dof = len(years) - 2
    resid = _logistic(years, k, t0) - pct
    q = float(student_t.ppf(0.5 + confidence / 2, dof))
    out = {"k": float(k), "t0": float(t0), "cov_kk": float(cov[0, 0]), "cov_kt": float(cov[0, 1]),
           "cov_tt": float(cov[1, 1]), "dof": dof, "t_quantile": q, "rmse_pp": float(np.sqrt(np.mean(resid ** 2))),
           "year_target": np.nan, "year_target_lo": np.nan, "year_target_hi": np.nan}
    if k > 0:
        c = math.log(TARGET_PCT / (100 - TARGET_PCT))
        y = t0 + c / k
        grad = np.array([-c / k ** 2, 1.0])
        se = float(np.sqrt(grad @ cov @ grad))
        out.update(year_target=float(y), year_target_lo=float(y - q * se), year_target_hi=float(y + q * se))
    return out


FIT_COLUMNS = ["indicator", "tier", "series", "points", "dated_points", "fitted", "reason", "k", "t0",
               "cov_kk", "cov_kt", "cov_tt", "dof", "t_quantile", "rmse_pp", "year_target", "year_target_lo",
               "year_target_hi"]


def diffusion_fits(adopt: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator × tier × series: the points it has, and a fit where it qualifies.

    Points of different series are never pooled. Points with an assumed reference date are left out
    (their position on the time axis is unknown). ``reason`` is ``too_few_points``, ``no_fit``
    (no convergence or no finite uncertainty) or empty when fitted."""
    rows = []
    for (ind, tier, ser), g in adopt.groupby(["indicator", "tier", "series"], sort=False):
        dated = g[~g["as_of_assumed"].astype(bool)].dropna(subset=["rate"]).sort_values("as_of")
        row = {"indicator": ind, "tier": tier, "series": ser, "points": len(g),
               "dated_points": len(dated), "fitted": False, "reason": "too_few_points"}
        if len(dated) >= MIN_POINTS:
            try:
                row.update(fit_logistic(decimal_year(dated["as_of"]).to_numpy(), dated["rate"].to_numpy()),
                           fitted=True, reason="")
            except (RuntimeError, ValueError):
                row["reason"] = "no_fit"
        rows.append(row)
    out = pd.DataFrame(rows).reindex(columns=FIT_COLUMNS)
    if out.empty:
        return out
    out["fitted"] = out["fitted"].astype(bool)
    for c in FIT_COLUMNS[7:]:
        out[c] = out[c].astype(float)
    return out


def band(fit_row, start: float, end: float, n: int = 100) -> pd.DataFrame:
    """The fitted curve with its pointwise confidence band (delta method), clipped to 0–100 %."""
    x = np.linspace(start, end, n)
    k, t0 = fit_row["k"], fit_row["t0"]
    cov = np.array([[fit_row["cov_kk"], fit_row["cov_kt"]], [fit_row["cov_kt"], fit_row["cov_tt"]]])
    jac = _jacobian(x, k, t0)
    se = np.sqrt(np.einsum("ij,jk,ik->i", jac, cov, jac))
    f = _logistic(x, k, t0)
    q = fit_row["t_quantile"]
    return pd.DataFrame({"year": x, "rate": f, "lo": np.clip(f - q * se, 0, 100), "hi": np.clip(f + q * se, 0, 100)})


# ------------------------------------------------------------------------------ fitted curves, for a chart

def fit_bands(adopt: pd.DataFrame, fits: pd.DataFrame, extend_years: float = 2.0, n: int = 100) -> pd.DataFrame:
    """The curve and confidence band (:func:`band`) of every fitted series in ``fits``, from its first
    dated point to ``extend_years`` after its last: one row per indicator × tier × series × x
    (``year`` as a decimal year, ``rate``, ``lo``, ``hi``), fits in their order."""
    cols = ["indicator", "tier", "series", "year", "rate", "lo", "hi"]
    done = fits[fits["fitted"]] if len(fits) else fits
    parts = []
    for r in done.to_dict("records"):
        pts = adopt[(adopt["indicator"] == r["indicator"]) & (adopt["tier"] == r["tier"])
                    & (adopt["series"] == r["series"]) & ~adopt["as_of_assumed"].astype(bool)]
        years = decimal_year(pts["as_of"])
        b = band(r, float(years.min()), float(years.max()) + extend_years, n)
        parts.append(b.assign(indicator=r["indicator"], tier=r["tier"], series=r["series"])[cols])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


# ------------------------------------------------------------------------------ breakdowns

def non_adoption_reasons(bd: pd.DataFrame) -> pd.DataFrame:
    """Reasons for not adopting telework, most cited first (``category`` as published, ``category_en``)."""
    sel = bd[bd["breakdown"] == "telework_non_adoption_reason"].copy()
    sel = sel.sort_values(["percent", "order"], ascending=[False, True], kind="stable")
    return sel[["as_of", "order", "category", "category_en", "percent", "base", "source"]].reset_index(drop=True)


def non_adopters(bd: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Organisations without telework in the status table of the same date, per tier (tier, count,
    base): the population the reasons were presumably asked of (the slide states no base)."""
    sel = bd[(bd["breakdown"] == "telework_status") & (bd["category"] == "未導入") & (bd["as_of"] == as_of)]
    order = {k: i for i, k in enumerate(TIERS)}
    sel = sel.assign(_o=sel["tier"].map(order)).sort_values("_o")
    return sel[["tier", "count", "base"]].reset_index(drop=True)


def ai_functions(bd: pd.DataFrame) -> pd.DataFrame:
    """Published AI adoption counts by function (only the functions the slide text names), by
    survey date and most adopted first."""
    sel = bd[bd["breakdown"] == "ai_function"].sort_values(["as_of", "count"], ascending=[True, False])
    return sel[["as_of", "category", "category_en", "count", "source"]].reset_index(drop=True)
