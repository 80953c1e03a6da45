"""Shared maths for the theme analyses: adoption rates, changes between survey dates, labels.

Pure functions: frames in, frames out. Published percentages are used as published; a
rate is computed from count / base only where no percent was published (and marked so).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from helpers.loaders import data, series


def label_map(lang: str) -> dict[str, str]:
    """Indicator / breakdown id → label in ``lang`` (from the catalog)."""
    cat = data.load_catalog()
    return dict(zip(cat["id"], cat[f"label_{lang}"]))


def secondary_sources() -> set[str]:
    src = data.load_sources()
    return set(src.loc[src["kind"] == "secondary", "key"])


def rates(ind: pd.DataFrame, ids: Iterable[str], tiers: Iterable[str], lang: str = "ja") -> pd.DataFrame:
    """Adoption rate per indicator, tier and date (organisation counts only).

    ``rate`` is the published percent, or count/base where no percent was published
    (``rate_is_computed``). Where two rows give the same figure, a published value beats a derived
    one and an official source beats a secondary one. ``series``, ``as_of_assumed`` and
    ``status`` travel with every row so later steps can respect the comparability rule; the series
    of a secondary source's row carries the source (:func:`helpers.loaders.series.apply_source_rule`).
    """
    ids, tiers = list(ids), list(tiers)
    sel = ind[ind["indicator"].isin(ids) & ind["tier"].isin(tiers) & (ind["unit"] == "organisations")].copy()
    secondary = secondary_sources()
    sel["secondary"] = sel["source"].isin(secondary)
    sel["_derived"] = sel["status"].eq("derived")
    sel = sel.sort_values(["indicator", "tier", "as_of", "_derived", "secondary"], kind="stable")
    sel = sel.drop_duplicates(["indicator", "tier", "as_of"], keep="first").drop(columns="_derived")
    sel = series.apply_source_rule(sel, secondary)  # a secondary summary's values pair only with each other
    computed = (100 * sel["count"].astype("Float64") / sel["base"].astype("Float64")).round(1)
    sel["rate_is_computed"] = sel["percent"].isna() & computed.notna()
    sel["rate"] = sel["percent"].fillna(computed).astype(float)
    sel["label"] = sel["indicator"].map(label_map(lang))
    order = {k: i for i, k in enumerate(ids)}
    sel["_o"] = sel["indicator"].map(order)
    sel = sel.sort_values(["_o", "tier", "as_of"], kind="stable").drop(columns="_o")
    if "percent_decimals" not in sel:
        sel["percent_decimals"] = pd.NA
    # a published "52%" keeps its precision when shown; a computed rate is shown with one decimal
    sel["shown_decimals"] = sel["percent_decimals"].where(sel["percent"].notna(), 1).fillna(1).astype(int)
    return sel[["indicator", "label", "tier", "series", "as_of", "as_of_assumed", "status", "count", "base", "percent",
                "rate", "rate_is_computed", "shown_decimals", "source", "secondary", "section", "note"]].reset_index(drop=True)


def changes(r: pd.DataFrame) -> pd.DataFrame:
    """Percentage-point change of ``rate`` between consecutive dates of one indicator × tier *within
    one series* (``helpers.loaders.series``); pairs across a definition or method break are never formed."""
    out = series.changes(r, ["indicator", "tier"], "as_of", "rate")
    out = out.rename(columns={"change": "change_pp"})
    return out[["indicator", "label", "tier", "series", "prev_as_of", "as_of", "prev_rate", "rate",
                "change_pp"]].reset_index(drop=True)


def breaks(r: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Consecutive dates of one indicator × tier that lie on two sides of a documented break."""
    crossed = series.crossings(r, ["indicator", "tier"], "as_of")
    return series.explain(crossed, "indicators", lang)


def date_label(ts: pd.Timestamp, assumed: bool, lang: str) -> str:
    """How a reader sees one reference date (assumed dates name the survey year instead)."""
    from helpers.words.i18n import date_text

    return date_text(pd.Timestamp(ts), lang, assumed=bool(assumed))


def date_labels(r: pd.DataFrame, lang: str) -> list[str]:
    """Reference dates of a frame (``as_of`` + ``as_of_assumed``) as labels, in time order."""
    pairs = sorted({(pd.Timestamp(d), bool(a)) for d, a in zip(r["as_of"], r["as_of_assumed"])})
    return list(dict.fromkeys(date_label(d, a, lang) for d, a in pairs))


def wide_by_date(r: pd.DataFrame, tier_label: dict[str, str], lang: str = "ja", as_text: bool = False) -> pd.DataFrame:
    """A display table: one row per indicator × tier, one column per reference date (rate %).

    Column headers are dates in the report's language; an assumed date is labelled as such. With
    ``as_text`` each cell is the rate as text with the precision it was published with ("52%", not
    "52.0%"; a computed rate with one decimal), "—" where there is none."""
    t = r.assign(tier=r["tier"].map(tier_label),
                 date=[date_label(d, a, lang) for d, a in zip(r["as_of"], r["as_of_assumed"])])
    if as_text:
        dec = t["shown_decimals"] if "shown_decimals" in t else pd.Series(1, index=t.index)
        t = t.assign(rate=[f"{v:.{int(k)}f}%" for v, k in zip(t["rate"], dec)])
    order = date_labels(r, lang)
    wide = t.pivot_table(index=["label", "tier"], columns="date", values="rate", aggfunc="first", sort=False)
    wide = wide[[c for c in order if c in wide.columns]]
    wide.columns.name = None
    return wide.fillna("—").reset_index() if as_text else wide.reset_index()


def join_items(items: Iterable[str], lang: str) -> str:
    """Items of a caveat sentence joined the way each language lists them."""
    return ("、" if lang == "ja" else "; ").join(items)


def year_span(years: Iterable[int], lang: str) -> str:
    """2016, 2017, 2018 → '2016〜2018' (en '2016–2018'); years with gaps are listed: '2019・2022'."""
    ys = sorted({int(y) for y in years})
    if len(ys) > 2 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}{'〜' if lang == 'ja' else '–'}{ys[-1]}"
    return ("・" if lang == "ja" else ", ").join(str(y) for y in ys)


def fmt_pct(x: float) -> str:
    return "—" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.1f}%"


def shown_difference(a: float, b: float, decimals: int = 1) -> float:
    """``a − b`` computed from the two values as shown (rounded to ``decimals``), so a difference
    printed beside them agrees with them: 56.0 − 47.9 is 8.1 even where the unrounded gap is 8.04."""
    return round(round(float(a), decimals) - round(float(b), decimals), decimals)


def fmt_pp(x: float) -> str:
    return f"{x:+.1f}"
