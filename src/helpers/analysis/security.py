"""Information-security controls: each control by tier and date, a tier comparison on the controls
both tiers were measured on, and changes within a series.

The surveys do not measure the same controls for both tiers or at every date (the FY2020 edition
states three physical controls for prefectures only and access control for municipalities only;
later sources report four controls or fewer). A mean over "whatever was measured" therefore compares
different control sets. Here tiers are compared only on the controls both were measured on at the
same date, and a control that was not measured is never treated as 0 %.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.common import rates
from helpers.words.formats import labelled, fmt_pct
from helpers.words.i18n import date_text, t
from helpers.words.formats import fmt_number

#: The controls the surveys measure (organisation shares), in display order.
CONTROLS = [
    "ciso_appointed", "security_officers_appointed", "csirt", "emergency_response_plan",
    "security_training_staff", "incident_response_drill", "data_backup", "access_control",
    "data_encryption", "contractor_leak_prevention", "procurement_security_requirements", "ict_bcp",
    "physical_server_room_access", "physical_paper_media_mgmt", "physical_power_seismic",
]
TIERS = ["prefecture", "municipality"]


def controls(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    return labelled(rates(ind, CONTROLS, tiers), lang)


def tier_word(tier: str, lang: str) -> str:
    """A tier's name inside a sentence (lower case in English)."""
    word = t(f"tier.{tier}", lang)
    return word.lower() if lang == "en" else word


def when(as_of, assumed: bool, lang: str, *, as_of_word: bool = True, prose: bool = False) -> str:
    """A reference date as text; ``prose`` gives the English form that follows a clause
    ('in the FY2023 survey (reference date not stated)')."""
    text = date_text(pd.Timestamp(as_of), lang, assumed=bool(assumed), as_of=as_of_word)
    return t("security.in_survey", lang, survey=text) if prose and assumed else text


def sentence(text: str) -> str:
    """Capitalise a sentence that starts with a lower-case word ('as of 1 Apr 2020, …')."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def date_heading(ctrl: pd.DataFrame, as_of, lang: str) -> str:
    """A date as a column or panel heading: 「2020年4月1日時点」, assumed dates named as such and
    secondary sources marked."""
    rows = ctrl[ctrl["as_of"] == as_of]
    text = when(as_of, rows["as_of_assumed"].any(), lang)
    return text + (t("secondary_mark", lang) if rows["secondary"].any() else "")


def in_display_order(ids) -> list[str]:
    ids = set(ids)
    return [c for c in CONTROLS if c in ids] + sorted(ids - set(CONTROLS))


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
    p = ctrl[ctrl["tier"] == "prefecture"][key + ["label", "rate", "count", "base", "as_of_assumed", "secondary"]]
    m = ctrl[ctrl["tier"] == "municipality"][key + ["label", "rate", "count", "base", "as_of_assumed", "secondary"]]
    both = p.merge(m, on=key, how="outer", suffixes=("_prefecture", "_municipality"))
    both["label"] = both["label_prefecture"].fillna(both["label_municipality"])
    both["as_of_assumed"] = both["as_of_assumed_prefecture"].fillna(both["as_of_assumed_municipality"]).astype(bool)
    both["secondary"] = both["secondary_prefecture"].fillna(both["secondary_municipality"]).astype(bool)
    both["measured_prefecture"] = both["rate_prefecture"].notna()
    both["measured_municipality"] = both["rate_municipality"].notna()
    both["gap_pp"] = (both["rate_prefecture"] - both["rate_municipality"]).round(1)
    order = {c: i for i, c in enumerate(CONTROLS)}
    both["_o"] = both["indicator"].map(order)
    both = both.sort_values(["as_of", "_o"]).drop(columns="_o")
    return both[["indicator", "label", "as_of", "as_of_assumed", "secondary", "rate_prefecture", "count_prefecture",
                 "base_prefecture", "rate_municipality", "count_municipality", "base_municipality",
                 "measured_prefecture", "measured_municipality", "gap_pp"]].reset_index(drop=True)


# ------------------------------------------------------------------------------ tables

def _cell(r: dict, lang: str, flagged: bool = False) -> str:
    text = fmt_pct(r["rate"]) + ("*" if r["rate_is_computed"] else "")
    if pd.notna(r["count"]):
        text += t("security.cell_count", lang, count=fmt_number(int(r["count"])))
    return text + ("†" if flagged else "")


def usable(ctrl: pd.DataFrame, flagged: set) -> pd.DataFrame:
    """The rows nothing may be computed from removed: a row whose published figures contradict each
    other (the audit's flags, e.g. CISO FY2023 「1,733団体（93.5%）」, where 1,733 is the number of
    respondents) is shown in the table, marked, and left out of every mean, gap and change."""
    keys = [(r["indicator"], r["tier"], pd.Timestamp(r["as_of"])) for r in ctrl.to_dict("records")]
    return ctrl[[k not in flagged for k in keys]].reset_index(drop=True)


def control_table(ctrl: pd.DataFrame, tiers: list[str], tier_label: dict[str, str], lang: str,
                  flagged: set = frozenset()) -> pd.DataFrame:
    """One row per control and tier, one column per reference date: 「92.7%（1,614団体）」, a
    computed rate marked *, a row whose published figures contradict each other marked † (``flagged``),
    and 「—」 where the control was not measured for that tier and date."""
    dates = sorted(ctrl["as_of"].unique())
    heads = {d: date_heading(ctrl, d, lang) for d in dates}
    cells = {(r["indicator"], r["tier"], r["as_of"]): _cell(r, lang, (r["indicator"], r["tier"], pd.Timestamp(r["as_of"])) in flagged)
             for r in ctrl.to_dict("records")}
    labels = dict(zip(ctrl["indicator"], ctrl["label"]))
    rows = []
    for ind in in_display_order(ctrl["indicator"]):
        for tier in [tr for tr in TIERS if tr in tiers]:
            if not any((ind, tier, d) in cells for d in dates):
                continue
            rows.append({t("security.col.control", lang): labels[ind], t("security.col.tier", lang): tier_label[tier],
                         **{heads[d]: cells.get((ind, tier, d), "—") for d in dates}})
    return pd.DataFrame(rows)


def base_text(ctrl: pd.DataFrame, tier_label: dict[str, str], lang: str) -> str:
    """The bases of the rates in the table, per tier, from the data: 「母数：都道府県47、市区町村1,741」."""
    parts = []
    for tier in [tr for tr in TIERS if tr in set(ctrl["tier"])]:
        bases = sorted({int(b) for b in ctrl.loc[ctrl["tier"] == tier, "base"].dropna()})
        parts.append(t("security.base_item", lang, tier=tier_word(tier, lang) if lang == "en" else tier_label[tier],
                       bases="・".join(fmt_number(b) for b in bases) if lang == "ja"
                       else " or ".join(fmt_number(b) for b in bases)))
    return t("security.bases", lang, items=("、" if lang == "ja" else "; ").join(parts))


def index_table(idx: pd.DataFrame, labels: dict[str, str], tier_label: dict[str, str], tiers: list[str],
                lang: str) -> pd.DataFrame:
    """The common-control comparison as a reader sees it: date, N, the controls, each tier's mean, gap."""
    rows = []
    for r in idx.to_dict("records"):
        row = {t("security.col.date", lang): when(r["as_of"], r["as_of_assumed"], lang)
               + (t("secondary_mark", lang) if r["secondary"] else ""),
               t("security.col.n", lang): r["n"],
               t("security.col.controls", lang): ("、" if lang == "ja" else "; ").join(labels[c] for c in r["controls"])}
        for tr in TIERS:
            if tr in tiers:
                row[tier_label[tr]] = fmt_pct(r[f"mean_{tr}"])
        if all(tr in tiers for tr in TIERS):
            row["gap_pp"] = r["gap_pp"]
        rows.append(row)
    return pd.DataFrame(rows)


def changes_table(chg: pd.DataFrame, ctrl: pd.DataFrame, flagged: set, tier_label: dict[str, str],
                  lang: str) -> pd.DataFrame:
    """Changes within one series (``common.changes``) with both dates as text; rows whose published
    figures contradict themselves (audit) are marked."""
    assumed = set(ctrl.loc[ctrl["as_of_assumed"].astype(bool), "as_of"])
    secondary = set(ctrl.loc[ctrl["secondary"], "as_of"])
    rows = []
    order = {c: i for i, c in enumerate(CONTROLS)}
    chg = chg.assign(_o=chg["indicator"].map(order)).sort_values(["_o", "tier", "as_of"])

    def d(x):
        return when(x, x in assumed, lang) + (t("secondary_mark", lang) if x in secondary else "")

    for r in chg.to_dict("records"):
        mark = ("prev" if (r["indicator"], r["tier"], r["prev_as_of"]) in flagged else "") or \
               ("cur" if (r["indicator"], r["tier"], r["as_of"]) in flagged else "")
        rows.append({t("security.col.control", lang): r["label"], t("security.col.tier", lang): tier_label[r["tier"]],
                     t("security.col.from", lang): f"{d(r['prev_as_of'])}：{fmt_pct(r['prev_rate'])}" if lang == "ja"
                     else f"{d(r['prev_as_of'])}: {fmt_pct(r['prev_rate'])}",
                     t("security.col.to", lang): f"{d(r['as_of'])}：{fmt_pct(r['rate'])}" if lang == "ja"
                     else f"{d(r['as_of'])}: {fmt_pct(r['rate'])}",
                     "change_pp": r["change_pp"],
                     t("security.col.flag", lang): t("security.flagged", lang) if mark else ""})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ findings

def _n(count, base, lang: str) -> str:
    if pd.notna(count) and pd.notna(base):
        return t("security.count_of", lang, count=fmt_number(int(count)), base=fmt_number(int(base)))
    return ""


def index_sentences(idx: pd.DataFrame, labels: dict[str, str], lang: str) -> list[str]:
    """One finding for the common-control mean of the date with the most controls measured for both
    tiers. The other dates average fewer, different controls: listed beside it in date order, their
    gaps would read as a trend, so they stay in the table and the sentence only says how many."""
    if idx.empty:
        return []
    r = idx.sort_values(["n", "as_of"], ascending=[False, True]).iloc[0]
    others = idx[idx["as_of"] != r["as_of"]]
    head = t("security.f.index_widest", lang, date=when(r["as_of"], r["as_of_assumed"], lang, prose=True),
             secondary=t("secondary_mark", lang) if r["secondary"] else "", n=r["n"],
             p=fmt_pct(r["mean_prefecture"]), m=fmt_pct(r["mean_municipality"]), gap=f"{r['gap_pp']:+.1f}")
    if len(others):
        ns = ("・" if lang == "ja" else ", ").join(str(n) for n in others["n"])
        head += t("security.f.index_others", lang, k=len(others), ns=ns)
    return [sentence(head)]


def gap_sentences(gaps: pd.DataFrame, lang: str) -> list[str]:
    """Per date, the control with the widest gap among those measured for both tiers."""
    out = []
    both = gaps.dropna(subset=["gap_pp"])
    for as_of, g in both.groupby("as_of", sort=True):
        r = g.sort_values(["gap_pp", "indicator"], ascending=[False, True]).iloc[0]
        out.append(t("security.f.gap", lang, date=when(as_of, r["as_of_assumed"], lang, prose=True),
                     secondary=t("secondary_mark", lang) if r["secondary"] else "", label=r["label"],
                     n_both=len(g), gap=f"{r['gap_pp']:+.1f}",
                     p=fmt_pct(r["rate_prefecture"]), p_n=_n(r["count_prefecture"], r["base_prefecture"], lang),
                     m=fmt_pct(r["rate_municipality"]), m_n=_n(r["count_municipality"], r["base_municipality"], lang)))
    return out


def lowest_sentence(ctrl: pd.DataFrame, lang: str) -> list[str]:
    """The least implemented control among municipalities at the date with the most controls measured."""
    muni = ctrl[ctrl["tier"] == "municipality"]
    if muni.empty:
        return []
    date = muni.groupby("as_of")["indicator"].nunique().idxmax()
    snap = muni[muni["as_of"] == date]
    low = snap.nsmallest(1, "rate").iloc[0]
    return [sentence(t("security.f.lowest", lang, date=when(date, low["as_of_assumed"], lang, prose=True),
                       n_controls=len(snap), label=low["label"], rate=fmt_pct(low["rate"]),
                       n=_n(low["count"], low["base"], lang)))]


def change_sentences(chg: pd.DataFrame, ctrl: pd.DataFrame, flagged: set, lang: str) -> list[str]:
    """The largest change within a series among municipalities (rows the audit flags left out)."""
    m = chg[chg["tier"] == "municipality"]
    ok = [not ({(r.indicator, r.tier, r.prev_as_of), (r.indicator, r.tier, r.as_of)} & flagged) for r in m.itertuples()]
    m = m[ok]
    if m.empty:
        return []
    r = m.loc[m["change_pp"].abs().idxmax()]
    key = ctrl.set_index(["indicator", "tier", "as_of"])
    prev, cur = key.loc[(r["indicator"], r["tier"], r["prev_as_of"])], key.loc[(r["indicator"], r["tier"], r["as_of"])]

    def d(row, x):
        return when(x, row["as_of_assumed"], lang, prose=True) + (t("secondary_mark", lang) if row["secondary"] else "")

    return [t("security.f.change", lang, label=r["label"], prev_date=d(prev, r["prev_as_of"]), prev=fmt_pct(r["prev_rate"]),
              prev_n=_n(prev["count"], prev["base"], lang), date=d(cur, r["as_of"]), rate=fmt_pct(r["rate"]),
              n=_n(cur["count"], cur["base"], lang), pp=f"{r['change_pp']:+.1f}")]


# ------------------------------------------------------------------------------ audit

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
