"""Shared maths for the theme analyses: adoption rates and changes between survey dates.

Pure functions: frames in, frames out. Published percentages are used as published; a
rate is computed from count / base only where no percent was published (and marked so).
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from helpers.loaders import data, series


def secondary_sources() -> set[str]:
    src = data.load_sources()
    return set(src.loc[src["kind"] == "secondary", "key"])


def rates(ind: pd.DataFrame, ids: Iterable[str], tiers: Iterable[str]) -> pd.DataFrame:
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
    order = {k: i for i, k in enumerate(ids)}
    sel["_o"] = sel["indicator"].map(order)
    sel = sel.sort_values(["_o", "tier", "as_of"], kind="stable").drop(columns="_o")
    if "percent_decimals" not in sel:
        sel["percent_decimals"] = pd.NA
    # a published "52%" keeps its precision when shown; a computed rate is shown with one decimal
    sel["shown_decimals"] = sel["percent_decimals"].where(sel["percent"].notna(), 1).fillna(1).astype(int)
    return sel[["indicator", "tier", "series", "as_of", "as_of_assumed", "status", "count", "base", "percent",
                "rate", "rate_is_computed", "shown_decimals", "source", "secondary", "section", "note"]].reset_index(drop=True)


def changes(r: pd.DataFrame) -> pd.DataFrame:
    """Percentage-point change of ``rate`` between consecutive dates of one indicator × tier *within
    one series* (``helpers.loaders.series``); pairs across a definition or method break are never formed."""
    out = series.changes(r, ["indicator", "tier"], "as_of", "rate")
    out = out.rename(columns={"change": "change_pp"})
    cols = ["indicator", "label", "tier", "series", "prev_as_of", "as_of", "prev_rate", "rate", "change_pp"]
    return out[[c for c in cols if c in out.columns]].reset_index(drop=True)  # ``label`` when the words added one


def shown_difference(a: float, b: float, decimals: int = 1) -> float:
    """``a − b`` computed from the two values as shown (rounded to ``decimals``), so a difference
    printed beside them agrees with them: 56.0 − 47.9 is 8.1 even where the unrounded gap is 8.04."""
    return round(round(float(a), decimals) - round(float(b), decimals), decimals)


