"""Shared maths for the theme analyses: adoption rates, changes between survey dates, labels.

Pure functions: frames in, frames out. Published percentages are used as published; a
rate is computed from count / base only where no percent was published (and marked so).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from helpers import data


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
    (``rate_is_computed``). Where two sources give the same figure, the official one is kept.
    """
    ids, tiers = list(ids), list(tiers)
    sel = ind[ind["indicator"].isin(ids) & ind["tier"].isin(tiers) & (ind["unit"] == "organisations")].copy()
    secondary = secondary_sources()
    sel["secondary"] = sel["source"].isin(secondary)
    sel = sel.sort_values(["indicator", "tier", "as_of", "secondary"], kind="stable")
    sel = sel.drop_duplicates(["indicator", "tier", "as_of"], keep="first")
    computed = (100 * sel["count"].astype("Float64") / sel["base"].astype("Float64")).round(1)
    sel["rate_is_computed"] = sel["percent"].isna() & computed.notna()
    sel["rate"] = sel["percent"].fillna(computed).astype(float)
    sel["label"] = sel["indicator"].map(label_map(lang))
    order = {k: i for i, k in enumerate(ids)}
    sel["_o"] = sel["indicator"].map(order)
    sel = sel.sort_values(["_o", "tier", "as_of"], kind="stable").drop(columns="_o")
    return sel[["indicator", "label", "tier", "as_of", "count", "base", "percent", "rate", "rate_is_computed",
                "source", "secondary", "section", "note"]].reset_index(drop=True)


def changes(r: pd.DataFrame) -> pd.DataFrame:
    """Percentage-point change of ``rate`` between consecutive dates of each indicator × tier."""
    r = r.sort_values(["indicator", "tier", "as_of"])
    out = r.assign(
        prev_as_of=r.groupby(["indicator", "tier"])["as_of"].shift(),
        prev_rate=r.groupby(["indicator", "tier"])["rate"].shift(),
    ).dropna(subset=["prev_rate"])
    out["change_pp"] = (out["rate"] - out["prev_rate"]).round(1)
    return out[["indicator", "label", "tier", "prev_as_of", "as_of", "prev_rate", "rate", "change_pp"]].reset_index(drop=True)


def dates_text(dates: Iterable[pd.Timestamp]) -> str:
    """Sorted ISO dates joined for a report's metadata line."""
    return ", ".join(sorted({pd.Timestamp(d).strftime("%Y-%m-%d") for d in dates}))


def wide_by_date(r: pd.DataFrame, tier_label: dict[str, str]) -> pd.DataFrame:
    """A display table: one row per indicator × tier, one column per reference date (rate %)."""
    t = r.assign(tier=r["tier"].map(tier_label), date=r["as_of"].dt.strftime("%Y-%m-%d"))
    wide = t.pivot_table(index=["label", "tier"], columns="date", values="rate", aggfunc="first", sort=False)
    wide = wide[sorted(wide.columns)]  # ISO dates: text order is time order
    wide.columns.name = None
    return wide.reset_index()


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


def fmt_pp(x: float) -> str:
    return f"{x:+.1f}"
