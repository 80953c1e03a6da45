"""Information-security maturity: each control by tier and date, a maturity index, tier gaps."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.common import rates

#: The controls the surveys measure (organisation shares), in display order.
CONTROLS = [
    "ciso_appointed", "security_officers_appointed", "csirt", "emergency_response_plan",
    "security_training_staff", "incident_response_drill", "data_backup", "access_control",
    "data_encryption", "contractor_leak_prevention", "procurement_security_requirements", "ict_bcp",
    "physical_server_room_access", "physical_paper_media_mgmt", "physical_power_seismic",
]


def controls(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    return rates(ind, CONTROLS, tiers, lang)


def maturity_index(ctrl: pd.DataFrame) -> pd.DataFrame:
    """Mean adoption rate over the controls measured for a tier at a date, with its coverage.

    The index is only comparable between tier/date cells with the same coverage: a date that
    measured only the widely adopted controls scores high by construction.
    """
    g = ctrl.groupby(["tier", "as_of"]).agg(index=("rate", "mean"), controls_measured=("indicator", "nunique"),
                                          controls=("indicator", lambda s: ", ".join(s)))
    g["coverage_pct"] = (100 * g["controls_measured"] / len(CONTROLS)).round(1)
    g["index"] = g["index"].round(1)
    return g.reset_index()


def tier_gaps(ctrl: pd.DataFrame) -> pd.DataFrame:
    """Prefecture − municipality gap per control at the latest date both tiers were measured."""
    p = ctrl[ctrl["tier"] == "prefecture"][["indicator", "label", "as_of", "rate"]]
    m = ctrl[ctrl["tier"] == "municipality"][["indicator", "as_of", "rate"]]
    both = p.merge(m, on=["indicator", "as_of"], suffixes=("_prefecture", "_municipality"))
    latest = both.sort_values("as_of").groupby("indicator").tail(1)
    latest = latest.assign(gap_pp=(latest["rate_prefecture"] - latest["rate_municipality"]).round(1))
    return latest.sort_values(["gap_pp", "indicator"], ascending=[False, True]).reset_index(drop=True)


def findings(index: pd.DataFrame, gaps: pd.DataFrame, ctrl: pd.DataFrame, tier_label: dict[str, str],
             lang: str) -> list[str]:
    """Sentences for the report; every number comes from the frames passed in."""
    from helpers.analysis.common import fmt_pct
    from helpers.i18n import t

    out = []
    full = index.sort_values(["controls_measured", "as_of"], ascending=[False, False])
    for tier, g in full.groupby("tier", sort=False):
        r = g.iloc[0]
        out.append(t("security.f.index", lang, date=f"{r['as_of']:%Y-%m-%d}", tier=tier_label[tier],
                     value=fmt_pct(r["index"]), n=int(r["controls_measured"]), coverage=fmt_pct(r["coverage_pct"])))
    if len(gaps):
        g = gaps.iloc[0]
        out.append(t("security.f.gap", lang, label=g["label"], gap=f"{g['gap_pp']:.1f}", date=f"{g['as_of']:%Y-%m-%d}",
                     p=fmt_pct(g["rate_prefecture"]), m=fmt_pct(g["rate_municipality"])))
    muni = ctrl[ctrl["tier"] == "municipality"]
    if len(muni):
        date = muni.groupby("as_of")["indicator"].nunique().idxmax()
        low = muni[muni["as_of"] == date].nsmallest(1, "rate").iloc[0]
        out.append(t("security.f.lowest", lang, date=f"{date:%Y-%m-%d}", label=low["label"], rate=fmt_pct(low["rate"])))
    return out
