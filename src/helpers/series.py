"""The comparability rule: a change is computed only within one series.

A *series* is one definition and method of measuring an indicator (the ``series`` column of the
national data). Surveys redefine items (the CIO in FY2021), change how they count (online cases
estimated from FY2020), or come from another survey with another base; values on either side of
such a break are different quantities. This module is the only place that pairs consecutive
values, so no report can print a change across a break: :func:`changes` pairs values of the same
series only, and :func:`crossings` lists the pairs it refused, with the documented reason
(``data/series_breaks.csv``) for the report to state instead.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import pandas as pd

from helpers.paths import data_dir

BREAK_KINDS = ("definition", "method", "survey", "base", "source")
BREAK_COLUMNS = ["dataset", "indicator", "from_series", "to_series", "kind", "what_ja", "what_en",
                 "source", "section", "stated_as"]


def _pairs(df: pd.DataFrame, keys: Sequence[str], order: str, series: str) -> pd.DataFrame:
    """Each row beside the previous row of the same ``keys`` group (by ``order``)."""
    d = df.sort_values([*keys, order], kind="stable").reset_index(drop=True)
    g = d.groupby(list(keys), sort=False, dropna=False)
    prev = g.shift(1)
    d["prev_" + order] = prev[order]
    d["prev_" + series] = prev[series]
    return d


def changes(df: pd.DataFrame, keys: Sequence[str], order: str, value: str, series: str = "series") -> pd.DataFrame:
    """Change of ``value`` between consecutive points of the same ``keys`` *and* series.

    Returns the later row with ``prev_<order>``, ``prev_<value>`` and ``change`` (value − previous).
    Two points of different series are never paired, even when a third point lies between."""
    if df.empty:
        return df.assign(**{"prev_" + order: pd.Series(dtype=object), "prev_" + value: pd.Series(dtype=float),
                            "change": pd.Series(dtype=float)})
    d = df.sort_values([*keys, order], kind="stable").reset_index(drop=True)
    g = d.groupby([*keys, series], sort=False, dropna=False)
    d["prev_" + order] = g[order].shift(1)
    d["prev_" + value] = g[value].shift(1)
    out = d[d["prev_" + value].notna() & d[value].notna()].copy()
    out["change"] = (out[value].astype(float) - out["prev_" + value].astype(float)).round(1)
    return out.reset_index(drop=True)


def crossings(df: pd.DataFrame, keys: Sequence[str], order: str, series: str = "series") -> pd.DataFrame:
    """Consecutive points of one ``keys`` group that belong to different series (a break)."""
    d = _pairs(df, keys, order, series)
    out = d[d["prev_" + series].notna() & (d["prev_" + series] != d[series])]
    return out.rename(columns={series: "to_series", "prev_" + series: "from_series"}).reset_index(drop=True)


@lru_cache(maxsize=None)
def _breaks_table(folder: Path) -> pd.DataFrame:
    df = pd.read_csv(folder / "series_breaks.csv", dtype=str, keep_default_na=False)
    missing = [c for c in BREAK_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"series_breaks.csv: missing column(s) {', '.join(missing)}")
    bad = sorted(set(df["kind"]) - set(BREAK_KINDS))
    if bad:
        raise ValueError(f"series_breaks.csv: kind must be one of {', '.join(BREAK_KINDS)}, got {bad}")
    return df


def breaks(folder: Path | None = None) -> pd.DataFrame:
    """The documented breaks: which series follows which, what changed (ja/en), and the source."""
    return _breaks_table(folder or data_dir()).copy()


def explain(crossed: pd.DataFrame, dataset: str, lang: str, id_col: str = "indicator",
            folder: Path | None = None) -> pd.DataFrame:
    """``crossings`` with the documented reason (``what``, ``kind``) for each break.

    A break with no documented reason raises: an unexplained series change is a data error."""
    b = breaks(folder)
    b = b[b["dataset"] == dataset]
    rows = []
    for r in crossed.to_dict("records"):
        ident = r.get(id_col, "*") if id_col else "*"
        hit = b[(b["indicator"].isin([ident, "*"])) & (b["from_series"] == r["from_series"])
                & (b["to_series"] == r["to_series"])]
        if hit.empty:
            raise ValueError(f"series_breaks.csv: no entry for {dataset} {ident}: {r['from_series']} → {r['to_series']}")
        h = hit.iloc[0]
        rows.append({**r, "kind": h["kind"], "what": h[f"what_{lang}"], "break_source": h["source"]})
    cols = list(crossed.columns) + ["kind", "what", "break_source"]
    return pd.DataFrame(rows, columns=cols)
