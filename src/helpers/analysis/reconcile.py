"""Where two sources state the same figure: published corrections, derived values, secondary summaries.

The ministry corrects published editions (``data/national/revisions.csv``); blog summaries quote a
first release or a later one; FY2022 values are derived from the FY2023 release (value − stated
change). This module lines these up so the audit can say, for every figure two rows state, whether
they agree, differ for a known reason (a revision, another base) or differ unexplained. Values are
never changed here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.loaders import data
from helpers.words.i18n import t

REVISION_COLUMNS = ["edition", "indicator", "tier", "as_of", "value_before", "value_after", "unit", "corrected_on",
                    "also_other_figures", "source", "section", "stated_as", "note"]
#: Which source holds the current (corrected) figures of each edition.
EDITION_SOURCE = {2020: "soumu_info_mgmt_fy2020", 2021: "soumu_dx_overview_fy2021", 2022: "soumu_series_page"}


def load_revisions(folder: Path | None = None) -> pd.DataFrame:
    """Published corrections: edition, indicator, tier, value before → after, date of the correction."""
    name = "national/revisions.csv"
    df = data._read(name, folder)
    data._check_columns(df, REVISION_COLUMNS, name)
    out = df.copy()
    for c in ("edition", "value_before", "value_after"):
        out[c] = data._to_int(out[c])
    for c in ("as_of", "corrected_on"):
        out[c] = pd.to_datetime(out[c], format="%Y-%m-%d", errors="coerce")
        if out[c].isna().any():
            raise data.DataError(f"{name}: {c} must be an ISO date YYYY-MM-DD")
    out["also_other_figures"] = out["also_other_figures"].str.lower().eq("true")
    unknown = sorted(set(out["indicator"]) - set(data.load_catalog(folder)["id"]))
    if unknown:
        raise data.DataError(f"{name}: unknown indicator id(s) {unknown}")
    return out


def _n(v) -> str:
    return "—" if pd.isna(v) else f"{int(v):,}"


def later_unvalued(rev: pd.DataFrame, edition: int, after: pd.Timestamp) -> pd.DataFrame:
    """Corrections of ``edition`` listed after the date ``after`` whose values our sources do not
    give (value_after blank): a current value that differs from an earlier correction may come from them."""
    return rev[(rev["edition"] == edition) & (rev["corrected_on"] > after) & rev["value_after"].isna()]


def revision_status(ind_all: pd.DataFrame, rev: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each correction beside the value our data holds for that edition, and whether they agree; a
    listed correction without values says so, and a difference a later such correction may explain
    is called that, not unexplained."""
    from helpers.words.i18n import date_text

    rows = []
    for r in rev.to_dict("records"):
        cur = ind_all[(ind_all["indicator"] == r["indicator"]) & (ind_all["tier"] == r["tier"])
                      & (ind_all["as_of"] == r["as_of"]) & (ind_all["source"] == EDITION_SOURCE.get(r["edition"]))
                      & (ind_all["status"] == "current")]
        current = cur["count"].iloc[0] if len(cur) else pd.NA
        later = later_unvalued(rev, r["edition"], r["corrected_on"])
        if pd.isna(r["value_after"]):
            verdict = t("audit.rev.no_values", lang)
        elif pd.isna(current):
            verdict = t("audit.rev.absent", lang)
        elif current == r["value_after"]:
            verdict = t("audit.rev.matches", lang)
        elif len(later):
            verdict = t("audit.rev.later", lang, current=_n(current), new=_n(r["value_after"]),
                        date=date_text(later["corrected_on"].iloc[0], lang))
        else:
            verdict = t("audit.rev.differs", lang, current=_n(current), new=_n(r["value_after"]))
        rows.append({"edition": r["edition"], "indicator": r["indicator"], "tier": r["tier"],
                     "value_before": r["value_before"], "value_after": r["value_after"],
                     "corrected_on": r["corrected_on"], "current_value": current, "verdict": verdict,
                     "source": r["source"]})
    return pd.DataFrame(rows)


def _pair_verdict(a: pd.Series, b: pd.Series, rev: pd.DataFrame, lang: str) -> tuple[str, str]:
    """(verdict, detail) for two rows stating one figure (same indicator, tier, reference date)."""
    def explaining_revision(old, new):
        hit = rev[(rev["indicator"] == a["indicator"]) & (rev["tier"] == a["tier"]) & (rev["as_of"] == a["as_of"])
                  & (rev["value_before"] == old)]
        return None if hit.empty else hit.iloc[0]

    if "superseded" in (a["status"], b["status"]):
        old, cur = (a, b) if a["status"] == "superseded" else (b, a)
        hit = explaining_revision(old["count"], cur["count"])
        from helpers.words.i18n import date_text

        if hit is None:
            edited = rev[(rev["as_of"] == a["as_of"])]
            if edited.empty:
                return t("audit.v.unexplained", lang), t("audit.d.values", lang, a=_n(old["count"]), b=_n(cur["count"]))
            # The ministry's list names a correction of this edition without values (e.g. FY2021
            # 「CIOの任命」, 26 Apr 2024): the difference is that listed correction, not a cut-off list.
            unvalued = edited[edited["value_after"].isna()].sort_values("corrected_on")
            if len(unvalued):
                date = date_text(unvalued["corrected_on"].iloc[-1], lang)
                return (t("audit.v.listed_unvalued", lang, date=date),
                        t("audit.d.listed_unvalued", lang, old=_n(old["count"]), current=_n(cur["count"]), date=date))
            return t("audit.v.revision_unlisted", lang), t("audit.d.superseded", lang, old=_n(old["count"]),
                                                           current=_n(cur["count"]))

        date = date_text(hit["corrected_on"], lang)
        if hit["value_after"] == cur["count"]:
            return t("audit.v.revision", lang), t("audit.d.revision", lang, old=_n(old["count"]), new=_n(cur["count"]), date=date)
        later = later_unvalued(rev, hit["edition"], hit["corrected_on"])
        if len(later):
            return t("audit.v.later_correction", lang), t("audit.d.later_correction", lang, old=_n(old["count"]),
                                                           new=_n(hit["value_after"]), date=date, current=_n(cur["count"]),
                                                           later=date_text(later["corrected_on"].iloc[0], lang))
        return t("audit.v.unexplained", lang), t("audit.d.revision_chain", lang, old=_n(old["count"]),
                                                  new=_n(hit["value_after"]), date=date, current=_n(cur["count"]))
    if "derived" in (a["status"], b["status"]):
        der, off = (a, b) if a["status"] == "derived" else (b, a)
        key = "audit.v.derived_ok" if der["count"] == off["count"] else "audit.v.derived_mismatch"
        return t(key, lang), t("audit.d.derived", lang, derived=_n(der["count"]), official=_n(off["count"]))
    if a["count"] == b["count"] or pd.isna(a["count"]) or pd.isna(b["count"]):
        pa, pb = a["percent"], b["percent"]
        if pd.notna(pa) and pd.notna(pb) and pa != pb:
            return t("audit.v.base", lang), t("audit.d.base", lang, count=_n(a["count"]))
        return t("audit.v.agree", lang), t("audit.d.same", lang, count=_n(a["count"] if pd.notna(a["count"]) else b["count"]))
    return t("audit.v.unexplained", lang), t("audit.d.values", lang, a=_n(a["count"]), b=_n(b["count"]))


def cross_source(ind_all: pd.DataFrame, rev: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every figure stated by two or more rows (incl. superseded and derived ones), pairwise, with a verdict."""
    keys = ["indicator", "tier", "as_of"]
    multi = ind_all[ind_all.duplicated(keys, keep=False)].sort_values([*keys, "source"], kind="stable")
    rows = []
    for _, g in multi.groupby(keys, sort=True):
        recs = [r for _, r in g.iterrows()]
        for i in range(len(recs)):
            for j in range(i + 1, len(recs)):
                a, b = recs[i], recs[j]
                verdict, detail = _pair_verdict(a, b, rev, lang)
                rows.append({"indicator": a["indicator"], "tier": a["tier"], "as_of": a["as_of"],
                             "as_of_assumed": bool(a["as_of_assumed"] or b["as_of_assumed"]),
                             "source_a": a["source"], "value_a": _value(a), "source_b": b["source"], "value_b": _value(b),
                             "verdict": verdict, "detail": detail})
    return pd.DataFrame(rows, columns=["indicator", "tier", "as_of", "as_of_assumed", "source_a", "value_a",
                                       "source_b", "value_b", "verdict", "detail"])


def _value(r: pd.Series) -> str:
    status = {"superseded": "†", "derived": "*"}.get(r["status"], "")
    return data._value_text(r) + status
