"""Information-security controls: each control by tier and date, a tier comparison on the controls
both tiers were measured on, and changes within a series.

The surveys do not measure the same controls for both tiers or at every date (the FY2020 edition
states three physical controls for prefectures only and access control for municipalities only;
later sources report four controls or fewer). A mean over "whatever was measured" therefore compares
different control sets. Here tiers are compared only on the controls both were measured on at the
same date, and a control that was not measured is never treated as 0 %.

Frames of ids and numbers; their sentences and reader tables are in :mod:`helpers.words.security`.
"""

from __future__ import annotations

import pandas as pd

from helpers import vocabulary

from helpers.analysis.common import rates

#: The controls the surveys measure (organisation shares), in display order.
CONTROLS = [
    "ciso_appointed", "security_officers_appointed", "csirt", "emergency_response_plan",
    "security_training_staff", "incident_response_drill", "data_backup", "access_control",
    "data_encryption", "contractor_leak_prevention", "procurement_security_requirements", "ict_bcp",
    "physical_server_room_access", "physical_paper_media_mgmt", "physical_power_seismic",
]
TIERS = list(vocabulary.ORGANISATION_TIERS)


def controls(ind: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """Each control's share per tier and date, as published (``common.rates``)."""
    return rates(ind, CONTROLS, tiers)


def in_display_order(ids) -> list[str]:
    ids = set(ids)
    return [c for c in CONTROLS if c in ids] + sorted(ids - set(CONTROLS))


def richest_date(ctrl: pd.DataFrame) -> pd.Timestamp:
    """The reference date with the most controls measured (the earliest of a tie)."""
    return ctrl.groupby("as_of")["indicator"].nunique().idxmax()


# ------------------------------------------------------------------------------ comparisons

def common_controls(ctrl: pd.DataFrame, tiers: tuple[str, str] = ("prefecture", "municipality")) -> pd.DataFrame:
    """Per reference date: the controls measured for both tiers (``common``), and those measured
    for one tier only (``only_<tier>``); lists of ids in display order."""
    rows = []
    for as_of, g in ctrl.groupby("as_of", sort=True):
        sets = {tr: set(g.loc[g["tier"] == tr, "indicator"]) for tr in tiers}
        both = sets[tiers[0]] & sets[tiers[1]]
        rows.append({"as_of": as_of, "as_of_assumed": bool(g["as_of_assumed"].any()),
                     "secondary": bool(g["secondary"].any()), "common": in_display_order(both), "n": len(both),
                     f"only_{tiers[0]}": in_display_order(sets[tiers[0]] - both), f"only_{tiers[1]}": in_display_order(sets[tiers[1]] - both)})
    return pd.DataFrame(rows)


def common_index(ctrl: pd.DataFrame, tiers: tuple[str, str] = ("prefecture", "municipality")) -> pd.DataFrame:
    """Mean implementation rate over the N controls both tiers were measured on at the same date.

    One row per date with at least one common control: N, the controls, each tier's mean and the
    gap (pp). Means of different dates cover different controls and are not compared with each other."""
    cc = common_controls(ctrl, tiers)
    rows = []
    for r in cc[cc["n"] > 0].to_dict("records"):
        g = ctrl[(ctrl["as_of"] == r["as_of"]) & ctrl["indicator"].isin(r["common"])]
        means = {tr: round(float(g.loc[g["tier"] == tr, "rate"].mean()), 1) for tr in tiers}
        rows.append({"as_of": r["as_of"], "as_of_assumed": r["as_of_assumed"], "secondary": r["secondary"],
                     "n": r["n"], "controls": r["common"], **{f"mean_{tr}": means[tr] for tr in tiers},
                     "gap_pp": round(means[tiers[0]] - means[tiers[1]], 1)})
    return pd.DataFrame(rows, columns=["as_of", "as_of_assumed", "secondary", "n", "controls",
                                       *[f"mean_{tr}" for tr in tiers], "gap_pp"])


def gaps_by_date(ctrl: pd.DataFrame) -> pd.DataFrame:
    """Prefecture − municipality gap per control and date, for every control measured for at least
    one tier at that date; ``gap_pp`` is missing (not 0) where one tier was not measured."""
    key = ["indicator", "as_of"]
    cols = ["rate", "count", "base", "as_of_assumed", "secondary"]
    p = ctrl[ctrl["tier"] == "prefecture"][key + cols]
    m = ctrl[ctrl["tier"] == "municipality"][key + cols]
    both = p.merge(m, on=key, how="outer", suffixes=("_prefecture", "_municipality"))
    both["as_of_assumed"] = both["as_of_assumed_prefecture"].fillna(both["as_of_assumed_municipality"]).astype(bool)
    both["secondary"] = both["secondary_prefecture"].fillna(both["secondary_municipality"]).astype(bool)
    both["measured_prefecture"] = both["rate_prefecture"].notna()
    both["measured_municipality"] = both["rate_municipality"].notna()
    both["gap_pp"] = (both["rate_prefecture"] - both["rate_municipality"]).round(1)
    order = {c: i for i, c in enumerate(CONTROLS)}
    both["_o"] = both["indicator"].map(order)
    both = both.sort_values(["as_of", "_o"]).drop(columns="_o")
    return both[["indicator", "as_of", "as_of_assumed", "secondary", "rate_prefecture", "count_prefecture",
                 "base_prefecture", "rate_municipality", "count_municipality", "base_municipality",
                 "measured_prefecture", "measured_municipality", "gap_pp"]].reset_index(drop=True)


def dates_without_gap(gaps: pd.DataFrame) -> list[pd.Timestamp]:
    """The reference dates of :func:`gaps_by_date` with no control measured for both tiers (no gap)."""
    return [d for d in sorted(gaps["as_of"].unique()) if not gaps.loc[gaps["as_of"] == d, "gap_pp"].notna().any()]


# ------------------------------------------------------------------------------ audit

def usable(ctrl: pd.DataFrame, flagged: set) -> pd.DataFrame:
    """The rows nothing may be computed from removed: a row whose published figures contradict each
    other (the audit's flags, e.g. CISO FY2023 「1,733団体（93.5%）」, where 1,733 is the number of
    respondents) is shown in the table, marked, and left out of every mean, gap and change."""
    keys = [(r["indicator"], r["tier"], pd.Timestamp(r["as_of"])) for r in ctrl.to_dict("records")]
    return ctrl[[k not in flagged for k in keys]].reset_index(drop=True)


def flagged_keys(flagged: pd.DataFrame) -> set:
    return {(r["indicator"], r["tier"], pd.Timestamp(r["as_of"])) for r in flagged.to_dict("records")}


def flagged_rows(ind: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The audit's flagged rows for ``ids``, with ``as_of_assumed`` so their dates read correctly."""
    from helpers.loaders import data

    flagged = data.audit(ind)
    flagged = flagged[flagged["indicator"].isin(ids)]
    extra = ind[["indicator", "tier", "as_of", "source", "as_of_assumed"]].drop_duplicates(
        ["indicator", "tier", "as_of", "source"])
    return flagged.merge(extra, on=["indicator", "tier", "as_of", "source"], how="left").reset_index(drop=True)
