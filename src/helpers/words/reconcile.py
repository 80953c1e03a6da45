"""The data audit's words for :mod:`helpers.analysis.reconcile`: the verdict on each published
correction and on each pair of rows that state one figure (phrases ``audit.rev.*``, ``audit.v.*``,
``audit.d.*`` in :mod:`helpers.words.catalog.audit`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _n(v) -> str:
    import pandas as pd

    return "—" if pd.isna(v) else f"{int(v):,}"


def revision_verdicts(status: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    """:func:`helpers.analysis.reconcile.revision_status` for a reader: ``verdict`` in words (the
    numbers and the date of a later correction in the sentence), ``later_on`` dropped."""
    from helpers.words.i18n import date_text, t

    def words(r: dict) -> str:
        if r["verdict"] in ("later", "differs"):
            date = date_text(r["later_on"], lang) if r["verdict"] == "later" else ""
            return t(f"audit.rev.{r['verdict']}", lang, current=_n(r["current_value"]), new=_n(r["value_after"]),
                     date=date)
        return t(f"audit.rev.{r['verdict']}", lang)

    out = status.copy()
    out["verdict"] = [words(r) for r in status.to_dict("records")]
    return out.drop(columns="later_on")


def pair_verdicts(cross: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    """:func:`helpers.analysis.reconcile.cross_source` for a reader: ``verdict`` and ``detail`` in
    words; the numbers and dates they state (``count_1`` … ``later_on``) dropped."""
    from helpers.words.i18n import date_text, t

    def dated(ts) -> str:
        import pandas as pd

        return "" if pd.isna(ts) else date_text(ts, lang)

    verdicts, details = [], []
    for r in cross.to_dict("records"):
        first, second, new = _n(r["count_1"]), _n(r["count_2"]), _n(r["corrected_value"])
        date, later = dated(r["corrected_on"]), dated(r["later_on"])
        values = {
            "values": dict(a=first, b=second),
            "listed_unvalued": dict(old=first, current=second, date=date),
            "superseded": dict(old=first, current=second),
            "revision": dict(old=first, new=new, date=date),
            "later_correction": dict(old=first, new=new, date=date, current=second, later=later),
            "revision_chain": dict(old=first, new=new, date=date, current=second),
            "derived": dict(derived=first, official=second),
            "base": dict(count=first),
            "same": dict(count=first),
        }[r["detail"]]
        verdicts.append(t(f"audit.v.{r['verdict']}", lang, date=date))
        details.append(t(f"audit.d.{r['detail']}", lang, **values))
    out = cross.copy()
    out["verdict"], out["detail"] = verdicts, details
    return out.drop(columns=["count_1", "count_2", "corrected_value", "corrected_on", "later_on"])
