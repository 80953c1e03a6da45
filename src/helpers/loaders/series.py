"""The comparability rule: a change is computed only within one series.

A *series* is one definition and method of measuring an indicator (the ``series`` column of the
national data). Surveys redefine items (the CIO in FY2021), change how they count (online cases
estimated from FY2020), or come from another survey with another base; values on either side of
such a break are different quantities. This module is the only place that pairs consecutive
values, so no report can print a change across a break: :func:`changes` pairs values of the same
series only, and :func:`crossings` lists the pairs it refused, with the documented reason
(``data/series_breaks.csv``) for the report to state instead.

Two rules apply to every pair, here and nowhere else (``data/README.md``, "Comparability rules"):

* **Secondary summaries form their own series.** A value taken from a secondary summary of a later
  official release (a blog or news summary) is compared only with values of the same summary,
  never with an official edition: :func:`apply_source_rule` tags its series with the source, so a
  pair across is a break of kind ``source`` (documented by the rule, not per row).
* **One base.** A percentage-point change is formed only between two values on the same base
  (when a ``base`` column is given): 1,741 organisations against 1,733 respondents is a break of
  kind ``base`` until both are put on one base.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from helpers.paths import data_dir

BREAK_KINDS = ("definition", "method", "survey", "base", "source")
#: Separates a definition/method series from the secondary source it was read from ("def2021@blog").
SOURCE_SEP = "@"


def apply_source_rule(df: pd.DataFrame, secondary: Iterable[str], series: str = "series",
                      source: str = "source") -> pd.DataFrame:
    """The frame with the series of every row from a ``secondary`` source tagged with that source
    (``info_survey`` → ``info_survey@blog_fy2023_summary``): such values pair only with each other."""
    out = df.copy()
    sec = out[source].isin(set(secondary))
    base = out[series].astype(object).map(definition_of)
    out[series] = base.where(~sec, base + SOURCE_SEP + out[source].astype(str))
    return out


def definition_of(name: object) -> object:
    """The definition/method series of a (possibly source-tagged) series name."""
    return name.split(SOURCE_SEP)[0] if isinstance(name, str) else name


def secondary_of(name: object) -> str | None:
    """The secondary source a series name is tagged with, or None."""
    return name.split(SOURCE_SEP, 1)[1] if isinstance(name, str) and SOURCE_SEP in name else None
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
    Two points of different series are never paired, even when a third point lies between; with a
    ``base`` column, two points on different bases are not paired either (:func:`crossings` lists them)."""
    if df.empty:
        return df.assign(**{"prev_" + order: pd.Series(dtype=object), "prev_" + value: pd.Series(dtype=float),
                            "change": pd.Series(dtype=float)})
    d = df.sort_values([*keys, order], kind="stable").reset_index(drop=True)
    g = d.groupby([*keys, series], sort=False, dropna=False)
    d["prev_" + order] = g[order].shift(1)
    d["prev_" + value] = g[value].shift(1)
    # consecutive within the keys group too: a point of another series in between breaks the pair
    whole = d.groupby(list(keys), sort=False, dropna=False)[order].shift(1)
    keep = d["prev_" + value].notna() & d[value].notna() & (d["prev_" + order] == whole)
    if "base" in d.columns:
        keep &= ~_different(g["base"].shift(1), d["base"])
    out = d[keep].copy()
    out["change"] = (out[value].astype(float) - out["prev_" + value].astype(float)).round(1)
    return out.reset_index(drop=True)


def _different(a: pd.Series, b: pd.Series) -> pd.Series:
    """Both known and unequal (an unknown base does not make a break by itself)."""
    a, b = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
    return (a.notna() & b.notna() & (a != b)).astype(bool)


def crossings(df: pd.DataFrame, keys: Sequence[str], order: str, series: str = "series") -> pd.DataFrame:
    """Consecutive points of one ``keys`` group that belong to different series (a break), or — with
    a ``base`` column — to one series on different bases (``from_base``/``to_base`` then differ)."""
    d = _pairs(df, keys, order, series)
    hit = d["prev_" + series].notna() & (d["prev_" + series] != d[series])
    if "base" in d.columns:
        d["from_base"] = d.groupby(list(keys), sort=False, dropna=False)["base"].shift(1)
        d["to_base"] = d["base"]
        hit |= d["prev_" + series].notna() & _different(d["from_base"], d["to_base"])
    out = d[hit]
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


def explain(crossed: pd.DataFrame, dataset: str, id_col: str | None = "indicator",
            folder: Path | None = None) -> pd.DataFrame:
    """``crossings`` with the documented reason for each break: ``kind`` (definition, method, source,
    base), ``what_ja``/``what_en`` from ``series_breaks.csv`` and ``break_source``; a pair the two rules
    of this module refuse has ``kind`` source (``break_source`` = the secondary summary) or base
    (``from_base``/``to_base``) and is worded by :func:`helpers.words.formats.break_reasons`.
    A break with no documented reason raises: an unexplained series change is a data error."""
    b = breaks(folder)
    b = b[b["dataset"] == dataset]
    rows = []
    for r in crossed.to_dict("records"):
        ident = r.get(id_col, "*") if id_col else "*"
        a, z = definition_of(r["from_series"]), definition_of(r["to_series"])
        hit = b[(b["indicator"].isin([ident, "*"])) & (b["from_series"] == a) & (b["to_series"] == z)]
        sec = secondary_of(r["to_series"]) or secondary_of(r["from_series"])
        if len(hit):
            h = hit.iloc[0]
            rows.append({**r, "kind": h["kind"], "what_ja": h["what_ja"], "what_en": h["what_en"], "break_source": h["source"]})
        elif a == z and r["from_series"] != r["to_series"] and sec:
            rows.append({**r, "kind": "source", "what_ja": pd.NA, "what_en": pd.NA, "break_source": sec})
        elif r["from_series"] == r["to_series"] and _different(pd.Series([r.get("from_base")]), pd.Series([r.get("to_base")])).iloc[0]:
            rows.append({**r, "kind": "base", "what_ja": pd.NA, "what_en": pd.NA, "break_source": r.get("source", "")})
        else:
            raise ValueError(f"series_breaks.csv: no entry for {dataset} {ident}: {r['from_series']} → {r['to_series']}")
    cols = list(crossed.columns) + ["kind", "what_ja", "what_en", "break_source"]
    return pd.DataFrame(rows, columns=cols)
