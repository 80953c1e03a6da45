"""Organisation and staffing: CIO / CIO補佐官 appointment, positions, staff counts, talent, training.

Frames of ids and numbers; their sentences, captions and reader tables are in
:mod:`helpers.words.staffing`."""

from __future__ import annotations

import pandas as pd

from helpers.loaders import data
from helpers.loaders.series import definition_of
from helpers.analysis.common import changes, rates

APPOINTMENT = ["cio_appointed", "cio_deputy_appointed"]
STRUCTURE = ["dx_policy", "cross_org_structure", "dx_unit", "external_talent_orgs"]
TRAINING = ["staff_development", "it_training_inhouse", "it_training_dispatch"]
STAFF_2020 = ["staff_it_dept_employees", "staff_it_dept_contractors", "staff_it_dept_contractors_resident",
              "staff_it_dept_total"]
STAFF_2021 = ["staff_dx_info_policy"]
#: Series of staff counts whose scope differs from the edition's own definition (FY2023 summary: 「…等」).
STAFF_SERIES = {"staff_units_etc_2022"}
#: ``definition`` of :func:`staff_counts` for the units an edition's own definition covers.
STAFF_DEFINITIONS = {"2020": STAFF_2020, "2021": STAFF_2021}


def respondent_bases() -> dict[tuple[str, int], int]:
    """(tier, survey year) → the number of organisations that answered, where a survey did not reach
    every organisation (FY2023: 8 municipalities in Ishikawa were not surveyed)."""
    return {(tier, year): base for tier, alts in data.ALTERNATIVE_BASES.items()
            for base, year, why in alts if why == "respondents_fy2023"}


def on_respondents(r: pd.DataFrame) -> pd.DataFrame:
    """Shares this toolkit computes (no published percent) for a survey that did not reach every
    organisation rest on the organisations that answered, as the source's own percents do (the data
    audit finds the FY2023 percents on 1,733, not 1,741); ``base_is_respondents`` marks such rows."""
    out = r.copy()
    resp = respondent_bases()
    target = [resp.get((tier, pd.Timestamp(d).year)) for tier, d in zip(out["tier"], out["as_of"])]
    out["base_is_respondents"] = False
    for i, b in zip(out.index, target):
        if b is None or not bool(out.at[i, "rate_is_computed"]) or pd.isna(out.at[i, "base"]) or int(out.at[i, "base"]) == b:
            continue
        out.at[i, "base"] = b
        out.at[i, "rate"] = round(100 * float(out.at[i, "count"]) / b, 1)
        out.at[i, "base_is_respondents"] = True
    return out


def appointment(ind: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """CIO and CIO補佐官等 appointment: one row per indicator × tier × date (``common.rates``), shares
    this toolkit computes on the respondents where a survey did not reach everyone."""
    return on_respondents(rates(ind, APPOINTMENT, tiers))


def appointment_changes(ind: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """pp change between consecutive surveys *within one definition* (never across the FY2021 break)."""
    return changes(appointment(ind, tiers))


def shown_base(row, alt: "pd.Series") -> int:
    """The base a shown share rests on: the published percent's own base where the audit found
    the source used another one (``alt``, from :func:`alternative_bases`), else the stored base."""
    return int(alt.get((row.indicator, row.tier, row.as_of), row.base))


def alternative_bases() -> "pd.Series":
    """(indicator, tier, as_of) → the base the audit found a published percent to use (e.g. FY2023 respondents)."""
    a = data.audit(data.load_indicators())
    return a[a["reason"] == "alt_base"].set_index(["indicator", "tier", "as_of"])["alt_base"]


def corrected_points(appt: pd.DataFrame, revisions: pd.DataFrame) -> pd.DataFrame:
    """Values a published correction gives for a point that a chart draws, where they differ from the
    value of the edition we hold (FY2021 CIO補佐官等 of municipalities: 808 after the correction of
    2023-04-28, 743 held). One row per point: indicator, tier, as_of, count, base, rate, corrected_on.
    A chart shows them beside the held value and joins them to no line, so no change is read from
    one of the two values alone."""
    cols = ["indicator", "tier", "as_of", "count", "base", "rate", "corrected_on"]
    rows = []
    for r in revisions[revisions["value_after"].notna()].itertuples(index=False):
        held = appt[(appt["indicator"] == r.indicator) & (appt["tier"] == r.tier)
                    & (appt["as_of"] == pd.Timestamp(r.as_of))]
        for h in held.itertuples(index=False):
            if pd.notna(h.count) and pd.notna(h.base) and float(r.value_after) != float(h.count):
                rows.append({"indicator": h.indicator, "tier": h.tier, "as_of": h.as_of, "count": float(r.value_after),
                             "base": float(h.base), "rate": 100 * float(r.value_after) / float(h.base),
                             "corrected_on": pd.Timestamp(r.corrected_on)})
    return pd.DataFrame(rows, columns=cols)


def revision_effects(ind: pd.DataFrame, rev: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """Each published correction of a staffing figure and what it changes: the change from the
    previous edition (same series) before and after the correction. Where the previous edition's
    value itself has another published value (a correction whose result differs from the edition we
    hold, e.g. FY2021 CIO補佐官等 743 held vs 808 corrected), both changes are given
    (``alt_prev_value``, ``alt_change_before``, ``alt_change_after``): the sign can flip."""
    cat = data.load_catalog().set_index("id")
    rv = rev[rev["indicator"].map(cat["theme"]).eq("staffing") & rev["tier"].isin(tiers) & rev["value_after"].notna()]
    rows = []
    for x in rv.itertuples():
        same = ind[(ind["indicator"] == x.indicator) & (ind["tier"] == x.tier) & (ind["as_of"] < x.as_of)
                   & (ind["status"] == "current") & (ind["unit"] == "organisations")].sort_values("as_of")
        here = ind[(ind["indicator"] == x.indicator) & (ind["tier"] == x.tier) & (ind["as_of"] == x.as_of)]
        prev = same[same["series"].isin(here["series"])].tail(1) if len(here) else same.iloc[0:0]
        p = prev["count"].iloc[0] if len(prev) else pd.NA
        alt, alt_date = pd.NA, pd.NaT
        if len(prev):
            other = rev[(rev["indicator"] == x.indicator) & (rev["tier"] == x.tier) & (rev["as_of"] == prev["as_of"].iloc[0])
                        & rev["value_after"].notna() & (rev["value_after"] != p)]
            alt = other["value_after"].iloc[-1] if len(other) else pd.NA
            alt_date = other["corrected_on"].iloc[-1] if len(other) else pd.NaT
        rows.append({"edition": x.edition, "indicator": x.indicator, "tier": x.tier,
                     "as_of": x.as_of, "value_before": x.value_before, "value_after": x.value_after,
                     "corrected_on": x.corrected_on, "prev_value": p, "prev_edition": prev["as_of"].iloc[0].year if len(prev) else pd.NA,
                     "change_before": (x.value_before - p) if pd.notna(p) else pd.NA,
                     "change_after": (x.value_after - p) if pd.notna(p) else pd.NA,
                     "alt_prev_value": alt, "alt_corrected_on": alt_date,
                     "alt_change_before": (x.value_before - alt) if pd.notna(alt) else pd.NA,
                     "alt_change_after": (x.value_after - alt) if pd.notna(alt) else pd.NA,
                     "source": x.source})
    return pd.DataFrame(rows)


def held_value(ind: pd.DataFrame, x) -> object:
    """The value the edition we hold states for a corrected figure ``x`` (a row of the revisions:
    edition, indicator, tier, as_of), from its current, official rows; NA where it states none."""
    from helpers.analysis.reconcile import EDITION_SOURCE

    h = ind[(ind["indicator"] == x.indicator) & (ind["tier"] == x.tier) & (ind["as_of"] == x.as_of)
            & (ind["source"] == EDITION_SOURCE.get(x.edition)) & (ind["status"] == "current")]
    return h["count"].iloc[0] if len(h) else pd.NA


def held_edition_evidence(ind: pd.DataFrame, rev: pd.DataFrame, x) -> pd.DataFrame:
    """The other corrections of the same edition and date as ``x`` whose corrected values the edition
    we hold already states (e.g. FY2021, 28 Apr 2023: GIS 23, CSIRT 45): evidence that the edition we
    hold post-dates that correction, so a value of it that differs (743 vs 808) comes from a later one.
    Rows of ``rev``."""
    same = rev[(rev["edition"] == x.edition) & (rev["corrected_on"] == x.corrected_on) & rev["value_after"].notna()
               & ~((rev["indicator"] == x.indicator) & (rev["tier"] == x.tier))]
    stated = [held_value(ind, r) == r.value_after for r in same.itertuples()]
    return same[[bool(s) if pd.notna(s) else False for s in stated]]


def structure(ind: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """DX governance and external talent: shares per indicator × tier × date."""
    return on_respondents(rates(ind, STRUCTURE, tiers))


def training(ind: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """Staff development and IT training: shares per indicator × tier × date."""
    return on_respondents(rates(ind, TRAINING, tiers))


def latest(r: pd.DataFrame) -> pd.DataFrame:
    """The latest date of each indicator × tier."""
    return r.sort_values("as_of").groupby(["indicator", "tier"]).tail(1)


def cio_position_mix(bd: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """Share of each position among organisations that appointed a CIO (latest survey); ``category``
    as the survey names it, ``category_en`` in English."""
    sel = bd[(bd["breakdown"] == "cio_position") & bd["tier"].isin(tiers)].copy()
    sel["share"] = (100 * sel["count"].astype(float) / sel["base"].astype(float)).round(1)
    return sel[["tier", "as_of", "order", "category", "category_en", "count", "base", "share"]].reset_index(drop=True)


def staff_counts(ind: pd.DataFrame) -> pd.DataFrame:
    """Persons in the IT / DX departments per definition and date: FY2020 (情報主管課, ``definition``
    "2020") and, from FY2021, DX推進・情報政策担当課室 ("2021"); a count whose series covers another
    scope (:data:`STAFF_SERIES`) has that series' definition. One row per indicator × date; tiers as
    columns."""
    ids = STAFF_2020 + STAFF_2021
    sel = ind[ind["indicator"].isin(ids) & (ind["unit"] == "persons")].copy()
    # the definition a count follows: by indicator, or by its series where a summary counts another scope
    sel["definition"] = [definition_of(sr) if definition_of(sr) in STAFF_SERIES else ("2020" if i in STAFF_2020 else "2021")
                         for i, sr in zip(sel["indicator"], sel["series"])]
    sel["derived"] = sel["status"].eq("derived")
    wide = sel.pivot_table(index=["definition", "indicator", "as_of", "as_of_assumed", "derived"], columns="tier",
                           values="count", aggfunc="first", sort=False)
    wide.columns.name = None
    wide = wide.reset_index()
    for c in ("prefecture", "municipality", "all"):
        if c not in wide:
            wide[c] = pd.NA
    order = {k: i for i, k in enumerate(ids)}
    wide = wide.assign(_o=wide["indicator"].map(order)).sort_values(["_o", "as_of"]).drop(columns="_o")
    return wide[["definition", "indicator", "as_of", "as_of_assumed", "derived", "prefecture", "municipality",
                 "all"]].reset_index(drop=True)


def external_talent(ind: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """Organisations using external digital talent, persons, and persons per such organisation, per date."""
    orgs = ind[(ind["indicator"] == "external_talent_orgs") & ind["tier"].isin(tiers) & (ind["status"] != "derived")]
    persons = ind[(ind["indicator"] == "external_talent_persons") & ind["tier"].isin(tiers) & (ind["status"] != "derived")]
    m = orgs[["tier", "as_of", "as_of_assumed", "series", "count", "base", "percent"]].merge(
        persons[["tier", "as_of", "count"]].rename(columns={"count": "persons"}), on=["tier", "as_of"], how="left")
    m = m.rename(columns={"count": "organisations"})
    resp = respondent_bases()
    b = [resp.get((tier, pd.Timestamp(d).year)) if pd.isna(pc) else None
         for tier, d, pc in zip(m["tier"], m["as_of"], m["percent"])]
    m["base"] = pd.array([x if x is not None else old for x, old in zip(b, m["base"])], dtype="Int64")
    m["persons_per_org"] = (m["persons"].astype(float) / m["organisations"].astype(float)).round(2)
    return m.reset_index(drop=True)
