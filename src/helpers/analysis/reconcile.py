"""Where two sources state the same figure: published corrections, derived values, secondary summaries.

The ministry corrects published editions (``data/national/revisions.csv``); blog summaries quote a
first release or a later one; FY2022 values are derived from the FY2023 release (value − stated
change). This module lines these up so the audit can say, for every figure two rows state, whether
they agree, differ for a known reason (a revision, another base) or differ unexplained. Values are
never changed here. Verdicts are ids (:data:`REVISION_VERDICTS`, :data:`PAIR_VERDICTS`); their words are
in :mod:`helpers.words.reconcile`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.loaders import data

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


def later_unvalued(rev: pd.DataFrame, edition: int, after: pd.Timestamp) -> pd.DataFrame:
    """Corrections of ``edition`` listed after the date ``after`` whose values our sources do not
    give (value_after blank): a current value that differs from an earlier correction may come from them."""
    return rev[(rev["edition"] == edition) & (rev["corrected_on"] > after) & rev["value_after"].isna()]


#: ``verdict`` of :func:`revision_status`: how the value our data holds for an edition compares with
#: a listed correction of it.
REVISION_VERDICTS = ("no_values", "absent", "matches", "later", "differs")


def revision_status(ind_all: pd.DataFrame, rev: pd.DataFrame) -> pd.DataFrame:
    """Each correction beside the value our data holds for that edition (``current_value``), and
    whether they agree (``verdict``, one of :data:`REVISION_VERDICTS`): a listed correction without
    values is ``no_values``; a difference a later such correction may explain is ``later`` (its
    date in ``later_on``), not ``differs`` (unexplained)."""
    rows = []
    for r in rev.to_dict("records"):
        cur = ind_all[(ind_all["indicator"] == r["indicator"]) & (ind_all["tier"] == r["tier"])
                      & (ind_all["as_of"] == r["as_of"]) & (ind_all["source"] == EDITION_SOURCE.get(r["edition"]))
                      & (ind_all["status"] == "current")]
        current = cur["count"].iloc[0] if len(cur) else pd.NA
        later = later_unvalued(rev, r["edition"], r["corrected_on"])
        later_on = later["corrected_on"].iloc[0] if len(later) else pd.NaT
        if pd.isna(r["value_after"]):
            verdict = "no_values"
        elif pd.isna(current):
            verdict = "absent"
        elif current == r["value_after"]:
            verdict = "matches"
        elif len(later):
            verdict = "later"
        else:
            verdict = "differs"
        rows.append({"edition": r["edition"], "indicator": r["indicator"], "tier": r["tier"],
                     "value_before": r["value_before"], "value_after": r["value_after"],
                     "corrected_on": r["corrected_on"], "current_value": current, "verdict": verdict,
                     "later_on": later_on, "source": r["source"]})
    return pd.DataFrame(rows)


#: ``verdict`` of :func:`cross_source`: why two rows stating one figure agree or differ.
PAIR_VERDICTS = ("agree", "base", "revision", "revision_unlisted", "listed_unvalued", "later_correction",
                 "derived_ok", "derived_mismatch", "unexplained")


def _pair_verdict(a: pd.Series, b: pd.Series, rev: pd.DataFrame) -> dict:
    """For two rows stating one figure (same indicator, tier, reference date): ``verdict`` (one of
    :data:`PAIR_VERDICTS`), ``detail`` (what the detail states) and the numbers and dates it states:
    ``count_1`` and ``count_2`` (first release and current value; derived and published value; or
    the two rows' counts), ``corrected_value`` and ``corrected_on`` (the correction that explains
    the pair), ``later_on`` (a later listed correction whose values our sources do not give)."""
    def explaining_revision(old, new):
        hit = rev[(rev["indicator"] == a["indicator"]) & (rev["tier"] == a["tier"]) & (rev["as_of"] == a["as_of"])
                  & (rev["value_before"] == old)]
        return None if hit.empty else hit.iloc[0]

    def out(verdict, detail, first, second, corrected=pd.NA, on=pd.NaT, later=pd.NaT):
        return {"verdict": verdict, "detail": detail, "count_1": first, "count_2": second,
                "corrected_value": corrected, "corrected_on": on, "later_on": later}

    if "superseded" in (a["status"], b["status"]):
        old, cur = (a, b) if a["status"] == "superseded" else (b, a)
        hit = explaining_revision(old["count"], cur["count"])
        if hit is None:
            edited = rev[(rev["as_of"] == a["as_of"])]
            if edited.empty:
                return out("unexplained", "values", old["count"], cur["count"])
            # The ministry's list names a correction of this edition without values (e.g. FY2021
            # 「CIOの任命」, 26 Apr 2024): the difference is that listed correction, not a cut-off list.
            unvalued = edited[edited["value_after"].isna()].sort_values("corrected_on")
            if len(unvalued):
                return out("listed_unvalued", "listed_unvalued", old["count"], cur["count"],
                           on=unvalued["corrected_on"].iloc[-1])
            return out("revision_unlisted", "superseded", old["count"], cur["count"])

        if hit["value_after"] == cur["count"]:
            return out("revision", "revision", old["count"], cur["count"], hit["value_after"], hit["corrected_on"])
        later = later_unvalued(rev, hit["edition"], hit["corrected_on"])
        if len(later):
            return out("later_correction", "later_correction", old["count"], cur["count"], hit["value_after"],
                       hit["corrected_on"], later["corrected_on"].iloc[0])
        return out("unexplained", "revision_chain", old["count"], cur["count"], hit["value_after"], hit["corrected_on"])
    if "derived" in (a["status"], b["status"]):
        der, off = (a, b) if a["status"] == "derived" else (b, a)
        return out("derived_ok" if der["count"] == off["count"] else "derived_mismatch", "derived",
                   der["count"], off["count"])
    if a["count"] == b["count"] or pd.isna(a["count"]) or pd.isna(b["count"]):
        pa, pb = a["percent"], b["percent"]
        if pd.notna(pa) and pd.notna(pb) and pa != pb:
            return out("base", "base", a["count"], b["count"])
        return out("agree", "same", a["count"] if pd.notna(a["count"]) else b["count"], b["count"])
    return out("unexplained", "values", a["count"], b["count"])


CROSS_COLUMNS = ["indicator", "tier", "as_of", "as_of_assumed", "source_a", "value_a", "source_b", "value_b",
                 "verdict", "detail", "count_1", "count_2", "corrected_value", "corrected_on", "later_on"]


def cross_source(ind_all: pd.DataFrame, rev: pd.DataFrame) -> pd.DataFrame:
    """Every figure stated by two or more rows (incl. superseded and derived ones), pairwise, with a
    verdict (:func:`_pair_verdict`: codes and the numbers a reader's detail states)."""
    keys = ["indicator", "tier", "as_of"]
    multi = ind_all[ind_all.duplicated(keys, keep=False)].sort_values([*keys, "source"], kind="stable")
    rows = []
    for _, g in multi.groupby(keys, sort=True):
        recs = [r for _, r in g.iterrows()]
        for i in range(len(recs)):
            for j in range(i + 1, len(recs)):
                a, b = recs[i], recs[j]
                rows.append({"indicator": a["indicator"], "tier": a["tier"], "as_of": a["as_of"],
                             "as_of_assumed": bool(a["as_of_assumed"] or b["as_of_assumed"]),
                             "source_a": a["source"], "value_a": _value(a), "source_b": b["source"], "value_b": _value(b),
                             **_pair_verdict(a, b, rev)})
    return pd.DataFrame(rows, columns=CROSS_COLUMNS)


def _value(r: pd.Series) -> str:
    status = {"superseded": "†", "derived": "*"}.get(r["status"], "")
    return data._value_text(r) + status
