"""AI / RPA / telework uptake over time, with a logistic diffusion fit where a series allows it."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from helpers.analysis.common import dates_text, join_items, rates
from helpers.report import fmt_number
from helpers.i18n import t

SERIES = ["telework", "ai", "rpa"]
TIERS = ["prefecture", "designated_city", "municipality"]
MIN_POINTS = 3
TARGET_PCT = 80.0


def adoption(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    """Adoption rates by series, tier and reference date (designated cities where a source splits them)."""
    return rates(ind, SERIES, tiers, lang)


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
    ([labels], [dates]): separate surveys with their own dates."""
    series = set(adopt["indicator"])
    by_date = adopt.groupby("as_of")["indicator"].agg(lambda s: tuple(sorted(set(s))))
    groups: dict[tuple, list] = {}
    for date, ids in by_date.items():
        if set(ids) != series:
            groups.setdefault(ids, []).append(date)
    labels = dict(zip(adopt["indicator"], adopt["label"]))
    order = {k: i for i, k in enumerate(SERIES)}
    return [([labels[i] for i in sorted(ids, key=lambda i: order.get(i, 99))], sorted(dates))
            for ids, dates in sorted(groups.items(), key=lambda kv: min(kv[1]))]


def caveats(adopt: pd.DataFrame, lang: str) -> list[str]:
    """Caveat sentences on bases and reference dates, with every date and count from ``adopt``."""
    out = []
    narrow = narrower_bases(adopt)
    for base, g in narrow.groupby("base", sort=False):
        out.append(t("uptake.caveat.base", lang, dates=dates_text(g["as_of"]), base=fmt_number(base),
                     latest=fmt_number(g["latest_base"].iloc[0])))
    groups = unshared_dates(adopt)
    if groups:
        items = [t("uptake.survey_dates", lang, labels="・".join(labels) if lang == "ja" else " and ".join(labels),
                   dates=dates_text(dates)) for labels, dates in groups]
        out.append(t("uptake.caveat.dates", lang, items=join_items(items, lang)))
    return out


def decimal_year(ts: pd.Series) -> pd.Series:
    ts = pd.to_datetime(ts)
    start = pd.to_datetime(ts.dt.year.astype(str) + "-01-01")
    days = np.where(ts.dt.is_leap_year, 366.0, 365.0)
    return ts.dt.year + (ts - start).dt.days / days


def _logistic(t: np.ndarray, k: float, t0: float) -> np.ndarray:
    return 100.0 / (1.0 + np.exp(-k * (t - t0)))


def fit_logistic(years: np.ndarray, pct: np.ndarray) -> dict[str, float]:
    """Least-squares logistic curve with a 100 % ceiling: growth rate k, midpoint t0, RMSE (pp).

    An extrapolation device, not a forecast: with 3–4 survey points the fitted midpoint and the
    year the curve reaches 80 % are only as good as the assumed S-shape.
    """
    from scipy.optimize import curve_fit

    years, pct = np.asarray(years, float), np.asarray(pct, float)
    p0 = (1.0, float(np.interp(50.0, np.sort(pct), years[np.argsort(pct)])))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (k, t0), _ = curve_fit(_logistic, years, pct, p0=p0, maxfev=20000)
    rmse = float(np.sqrt(np.mean((_logistic(years, k, t0) - pct) ** 2)))
    year80 = t0 + math.log(TARGET_PCT / (100 - TARGET_PCT)) / k if k > 0 else float("nan")
    return {"k": float(k), "midpoint_year": float(t0), "year_80pct": float(year80), "rmse_pp": rmse}


def diffusion_fits(adopt: pd.DataFrame) -> pd.DataFrame:
    """One row per series × tier: number of points, and the fit where there are at least three."""
    rows = []
    for (ind, tier), g in adopt.groupby(["indicator", "tier"], sort=False):
        g = g.sort_values("as_of")
        row = {"indicator": ind, "label": g["label"].iloc[0], "tier": tier, "points": len(g),
               "first": g["as_of"].min(), "last": g["as_of"].max(), "fitted": False,
               "midpoint_year": np.nan, "year_80pct": np.nan, "rmse_pp": np.nan, "k": np.nan}
        if len(g) >= MIN_POINTS:
            try:
                row.update(fit_logistic(decimal_year(g["as_of"]).to_numpy(), g["rate"].to_numpy()), fitted=True)
            except RuntimeError:
                row["fitted"] = False
        rows.append(row)
    out = pd.DataFrame(rows)
    for c in ("midpoint_year", "year_80pct", "rmse_pp", "k"):
        out[c] = out[c].astype(float)
    return out


def curve(fit_row: pd.Series, start: float, end: float, n: int = 100) -> pd.DataFrame:
    t = np.linspace(start, end, n)
    return pd.DataFrame({"year": t, "rate": _logistic(t, fit_row["k"], fit_row["midpoint_year"])})


def findings(adopt: pd.DataFrame, fits: pd.DataFrame, reasons: pd.DataFrame, tier_label: dict[str, str],
             lang: str) -> list[str]:
    """Sentences for the report; every number comes from the frames passed in."""
    from helpers.analysis.common import fmt_pct
    from helpers.i18n import t

    out = []
    latest = adopt.sort_values("as_of").groupby(["indicator", "tier"], sort=False).tail(1)
    for r in latest[latest["tier"] == "municipality"].itertuples():
        out.append(t("uptake.f.latest", lang, date=f"{r.as_of:%Y-%m-%d}", label=r.label, tier=tier_label[r.tier],
                     rate=fmt_pct(r.rate)))
    for r in fits.itertuples():
        if r.fitted:
            out.append(t("uptake.f.fit", lang, label=r.label, tier=tier_label[r.tier], mid=f"{r.midpoint_year:.1f}",
                         y80=f"{r.year_80pct:.1f}", n=r.points, rmse=f"{r.rmse_pp:.1f}"))
    if len(reasons):
        top = reasons.sort_values("percent", ascending=False).iloc[0]
        out.append(t("uptake.f.reason", lang, category=top["category_label"], pct=fmt_pct(float(top["percent"]))))
    return out


def non_adoption_reasons(bd: pd.DataFrame, lang: str) -> pd.DataFrame:
    sel = bd[bd["breakdown"] == "telework_non_adoption_reason"].copy()
    sel["category_label"] = sel["category"] if lang == "ja" else sel["category_en"]
    return sel[["as_of", "order", "category", "category_label", "percent", "source"]].reset_index(drop=True)


def ai_functions(bd: pd.DataFrame, lang: str) -> pd.DataFrame:
    sel = bd[bd["breakdown"] == "ai_function"].copy()
    sel["category_label"] = sel["category"] if lang == "ja" else sel["category_en"]
    return sel[["as_of", "category_label", "count", "unit", "note"]].reset_index(drop=True)
