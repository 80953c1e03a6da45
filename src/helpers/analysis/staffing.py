"""Organisation and staffing: CIO / CIO補佐官 appointment, positions, staff counts, talent, training."""

from __future__ import annotations

import pandas as pd

from helpers import data
from helpers.analysis.common import changes, join_items, label_map, rates

APPOINTMENT = ["cio_appointed", "cio_deputy_appointed"]
STRUCTURE = ["dx_policy", "cross_org_structure", "dx_unit", "external_talent_orgs"]
TRAINING = ["staff_development", "it_training_inhouse", "it_training_dispatch"]
STAFF_2020 = ["staff_it_dept_employees", "staff_it_dept_contractors", "staff_it_dept_contractors_resident",
              "staff_it_dept_total"]
STAFF_2021 = ["staff_dx_info_policy"]


def appointment(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    return rates(ind, APPOINTMENT, tiers, lang)


def appointment_changes(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    """pp change between consecutive surveys, with the catalog's note where the definition changed."""
    ch = changes(appointment(ind, tiers, lang))
    cat = data.load_catalog().set_index("id")
    ch["definition_change"] = ch["indicator"].map(cat["definition_change"]).fillna("")
    return ch


def structure(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    return rates(ind, STRUCTURE, tiers, lang)


def training(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    return rates(ind, TRAINING, tiers, lang)


def cio_position_mix(bd: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    """Share of each position among organisations that appointed a CIO (latest survey)."""
    sel = bd[(bd["breakdown"] == "cio_position") & bd["tier"].isin(tiers)].copy()
    sel["share"] = (100 * sel["count"].astype(float) / sel["base"].astype(float)).round(1)
    sel["category_label"] = sel["category"] if lang == "ja" else sel["category_en"]
    return sel[["tier", "as_of", "order", "category", "category_label", "count", "base", "share"]].reset_index(drop=True)


def staff_counts(ind: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Persons in the IT / DX departments: FY2020 (情報主管課) and FY2021 (DX推進・情報政策担当) definitions."""
    ids = STAFF_2020 + STAFF_2021
    sel = ind[ind["indicator"].isin(ids) & (ind["unit"] == "persons")].copy()
    sel["label"] = sel["indicator"].map(label_map(lang))
    sel["definition"] = sel["indicator"].map(lambda i: "FY2020" if i in STAFF_2020 else "FY2021")
    wide = sel.pivot_table(index=["definition", "indicator", "label"], columns="tier", values="count",
                           aggfunc="first", sort=False)
    wide.columns.name = None
    wide = wide.reset_index()
    for c in ("prefecture", "municipality", "all"):
        if c not in wide:
            wide[c] = pd.NA
    order = {k: i for i, k in enumerate(ids)}
    wide = wide.sort_values("indicator", key=lambda s: s.map(order))
    return wide[["definition", "indicator", "label", "prefecture", "municipality", "all"]].reset_index(drop=True)


def staff_definitions(staff: pd.DataFrame, lang: str) -> str:
    """'FY2020: label, label …; FY2021: label' — which units each survey year's staff counts cover."""
    sep = "・" if lang == "ja" else ", "
    return join_items((f"{d}: {sep.join(g['label'])}" for d, g in staff.groupby("definition", sort=False)), lang)


def external_talent(ind: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """Organisations using external digital talent, persons, and persons per such organisation."""
    orgs = ind[(ind["indicator"] == "external_talent_orgs") & ind["tier"].isin(tiers)]
    persons = ind[(ind["indicator"] == "external_talent_persons") & ind["tier"].isin(tiers)]
    m = orgs[["tier", "as_of", "count", "base", "percent"]].merge(
        persons[["tier", "as_of", "count"]].rename(columns={"count": "persons"}), on=["tier", "as_of"], how="left")
    m = m.rename(columns={"count": "organisations"})
    m["persons_per_org"] = (m["persons"].astype(float) / m["organisations"].astype(float)).round(2)
    return m.reset_index(drop=True)


def findings(ch: pd.DataFrame, mix: pd.DataFrame, talent: pd.DataFrame, staff: pd.DataFrame,
             tier_label: dict[str, str], lang: str) -> list[str]:
    """Sentences for the report; every number comes from the frames passed in."""
    from helpers.analysis.common import fmt_pct, fmt_pp
    from helpers.i18n import t

    out = []
    for r in ch.itertuples():
        out.append(t("staffing.f.appointment", lang, label=r.label, tier=tier_label[r.tier],
                     prev_date=f"{r.prev_as_of:%Y-%m-%d}", prev=fmt_pct(r.prev_rate), date=f"{r.as_of:%Y-%m-%d}",
                     rate=fmt_pct(r.rate), pp=fmt_pp(r.change_pp)))
    for tier, g in mix.groupby("tier", sort=False):
        top = g.sort_values(["count", "order"], ascending=[False, True]).iloc[0]
        out.append(t("staffing.f.position", lang, tier=tier_label[tier], base=f"{int(top['base']):,}",
                     category=top["category_label"], share=fmt_pct(top["share"]), count=f"{int(top['count']):,}"))
    for r in talent.itertuples():
        rate = r.percent if pd.notna(r.percent) else 100 * r.organisations / r.base
        out.append(t("staffing.f.talent", lang, date=f"{r.as_of:%Y-%m-%d}", tier=tier_label[r.tier],
                     orgs=f"{int(r.organisations):,}", rate=fmt_pct(float(rate)), persons=f"{int(r.persons):,}",
                     per=f"{r.persons_per_org:.2f}"))
    old = staff[staff["indicator"] == "staff_it_dept_employees"]
    new = staff[staff["indicator"] == "staff_dx_info_policy"]
    if len(old) and len(new):
        for tier in ("prefecture", "municipality"):
            if tier in tier_label and pd.notna(old[tier].iloc[0]) and pd.notna(new[tier].iloc[0]):
                out.append(t("staffing.f.staff", lang, y1="FY2020", l1=old["label"].iloc[0], v1=f"{int(old[tier].iloc[0]):,}",
                             y2="FY2021", l2=new["label"].iloc[0], v2=f"{int(new[tier].iloc[0]):,}",
                             tier=tier_label[tier]))
    return out
