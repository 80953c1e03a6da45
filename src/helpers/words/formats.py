"""How numbers, dates, labels and lists read in a report's language — the formatting every
theme's wording shares (the analysis layer hands over frames of ids and numbers; this turns them
into text)."""

from __future__ import annotations

import datetime as dt
import math
from numbers import Integral, Real
from typing import Any, Iterable

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

MISSING = "—"


def fmt_number(value: Any, *, percent: bool = False, decimals: int | None = None, year: bool = False,
               points: bool = False) -> str:
    """Format one cell: ``1,220`` for counts, ``70.1%`` for percentages, ``—`` for missing;
    ``year=True`` drops the thousands separator (2020, 2022.4); ``points=True`` gives ``+18.3``."""
    if value is None:
        return MISSING
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return MISSING
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):  # reference dates: no 00:00:00
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Real) and not isinstance(value, Integral):
        x, one = float(value), 1 if decimals is None else decimals
        if math.isnan(x):
            return MISSING
        if points:
            return f"{x:+.{one}f}"
        if year:
            return str(int(x)) if decimals is None and x.is_integer() else f"{x:.{one}f}"
        if percent:
            return f"{x:,.{one}f}%"
        if decimals is not None:
            return f"{x:,.{decimals}f}"
        return f"{int(x):,}" if x.is_integer() and abs(x) >= 1 else f"{x:,.2f}"
    if isinstance(value, Integral):
        if year:
            return str(int(value))
        if points:
            return f"{int(value):+d}"
        return f"{int(value):,}%" if percent else f"{int(value):,}"
    return str(value).replace("|", "\\|").replace("\n", " ")



def label_map(lang: str) -> dict[str, str]:
    """Indicator / breakdown id → label in ``lang`` (from the catalog)."""
    from helpers.loaders import data

    cat = data.load_catalog()
    return dict(zip(cat["id"], cat[f"label_{lang}"]))


def breaks(r: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    """Consecutive dates of one indicator × tier that lie on two sides of a documented break, with
    the reason in ``lang`` (``what``)."""
    from helpers.loaders import series

    return break_reasons(series.explain(series.crossings(r, ["indicator", "tier"], "as_of"), "indicators"), lang)


def break_reasons(explained: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    """:func:`helpers.loaders.series.explain`'s frame with its reason in ``lang`` as ``what`` (in
    place of ``what_ja``/``what_en``): the documented text, or the data rule that refuses the pair."""
    from helpers.words.i18n import t

    def what(r: dict) -> str:
        documented = r[f"what_{lang}"]
        if isinstance(documented, str):  # series_breaks.csv says what changed (whatever its kind)
            return documented
        if r["kind"] == "source":
            return t("series.rule.secondary", lang, source=_publisher(r["break_source"], lang))
        if r["kind"] == "base":
            return t("series.rule.base", lang, a=f"{int(r['from_base']):,}", b=f"{int(r['to_base']):,}")
        raise ValueError(f"no reason for the break {r}")

    out = explained.drop(columns=["what_ja", "what_en"])
    out.insert(list(out.columns).index("kind") + 1, "what", [what(r) for r in explained.to_dict("records")])
    return out


def _publisher(key: str, lang: str) -> str:
    """The publisher of a registered source in ``lang`` (the key itself when unknown)."""
    from helpers.loaders import data

    src = data.load_sources().set_index("key")
    return src.at[key, "publisher_en" if lang == "en" else "publisher"] if key in src.index else key



def date_label(ts: pd.Timestamp, assumed: bool, lang: str) -> str:
    """How a reader sees one reference date (assumed dates name the survey year instead)."""
    import pandas as pd

    from helpers.words.i18n import date_text

    return date_text(pd.Timestamp(ts), lang, assumed=bool(assumed))


def date_labels(r: pd.DataFrame, lang: str) -> list[str]:
    """Reference dates of a frame (``as_of`` + ``as_of_assumed``) as labels, in time order."""
    import pandas as pd

    pairs = sorted({(pd.Timestamp(d), bool(a)) for d, a in zip(r["as_of"], r["as_of_assumed"])})
    return list(dict.fromkeys(date_label(d, a, lang) for d, a in pairs))


def wide_by_date(r: pd.DataFrame, tier_label: dict[str, str], lang: str = "ja", as_text: bool = False) -> pd.DataFrame:
    """A display table: one row per indicator × tier, one column per reference date (rate %).

    Column headers are dates in the report's language; an assumed date is labelled as such. With
    ``as_text`` each cell is the rate as text with the precision it was published with ("52%", not
    "52.0%"; a computed rate with one decimal), "—" where there is none."""
    import pandas as pd

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
    """70.1 → '70.1%'; a missing value → '—'."""
    return MISSING if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.1f}%"


def fmt_pp(x: float) -> str:
    return f"{x:+.1f}"


def labelled(frame: pd.DataFrame, lang: str, id_col: str = "indicator") -> pd.DataFrame:
    """``frame`` with the catalog label of ``id_col`` in ``lang`` as ``label``, placed after the id."""
    out = frame.drop(columns="label", errors="ignore").copy()
    out.insert(list(out.columns).index(id_col) + 1, "label", out[id_col].map(label_map(lang)))
    return out
