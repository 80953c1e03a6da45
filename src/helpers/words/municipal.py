"""The municipal panel's sentences, reader tables and labels in a report's language, from the frames
of :mod:`helpers.analysis.municipal` (phrases in :mod:`helpers.words.catalog.municipal`): notebook
``05_municipalities``, the prefecture profiles (:mod:`helpers.words.profile`) and the charts of
``helpers.figures.plots_municipal`` / ``plots_profile``."""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import pandas as pd

from helpers.analysis.municipal import (ALL, GOVERNANCE, OUTCOMES, READINESS_ITEMS, SIZE_ORDER, boundaries_date,
                                        not_surveyed, order_of)
from helpers.loaders.dashboard_labels import BINARY
from helpers.words.i18n import t


# ------------------------------------------------------------------------------ labels

def ind_label(indicator: str, lang: str) -> str:
    return t(f"muni.ind.{indicator}", lang)


def ind_title(indicator: str, lang: str) -> str:
    """The label for a title, a panel or a table row (capitalised in English)."""
    label = ind_label(indicator, lang)
    return label[:1].upper() + label[1:]


def group_label(by: str, group: str, lang: str) -> str:
    if group == ALL:
        return t("muni.group.all", lang)
    if by == "size_class":
        from helpers.loaders.panel import SIZE_CLASS_LABELS

        return SIZE_CLASS_LABELS[lang][group]
    if by == "type":
        return t(f"muni.type.{group}", lang)
    return t(f"muni.mgroup.{group}", lang)


def pref_label(code: str, name_ja: str, lang: str) -> str:
    if lang == "ja":
        return name_ja
    from helpers.loaders.entity import prefectures

    return dict(zip(prefectures()["pref_code"], prefectures()["name_en"])).get(code, name_ja)


def pct(x: float, lang: str, decimals: int = 1) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{decimals}f}%"


def ci_text(rate: float, lo: float, hi: float, lang: str) -> str:
    """「72.3%（95%信頼区間 68.1–76.2%）」 / '72.3% (95% CI 68.1–76.2%)'."""
    return t("muni.fmt.rate_ci", lang, rate=f"{rate:.1f}", lo=f"{lo:.1f}", hi=f"{hi:.1f}")


def ci_n_text(rate: float, lo: float, hi: float, n: int, lang: str) -> str:
    """「72.3%（95%信頼区間 68.1–76.2%、n=290）」."""
    return t("muni.fmt.rate_ci_n", lang, rate=f"{rate:.1f}", lo=f"{lo:.1f}", hi=f"{hi:.1f}", n=f"{int(n):,}")


def or_text(or_: float, lo: float, hi: float, lang: str) -> str:
    return t("muni.fmt.or_ci", lang, value=f"{or_:.2f}", lo=f"{lo:.2f}", hi=f"{hi:.2f}")


def or_cell(or_: float, lo: float, hi: float, lang: str) -> str:
    """A table cell: '1.52 (1.33–1.74)' (the header says 95% CI)."""
    return "—" if pd.isna(or_) else t("muni.fmt.or_cell", lang, value=f"{or_:.2f}", lo=f"{lo:.2f}", hi=f"{hi:.2f}")


def n_range(ns) -> str:
    """'1,732' or '1,732–1,740'."""
    lo, hi = int(min(ns)), int(max(ns))
    return f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"


def join(items: Iterable[str], lang: str) -> str:
    items = list(items)
    if lang == "ja" or len(items) < 2:
        return "、".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

def ind_list(indicators: Iterable[str], lang: str) -> str:
    """「CIOの任命、全体方針の策定」 / 'CIO appointment and DX policy': the items' labels as one list."""
    return join([ind_label(i, lang) for i in indicators], lang)


def muni_name(name: str, code5: str, lang: str) -> str:
    """「府中市（13206）」 / '府中市 (13206)': a municipality always with its code."""
    return f"{name}（{code5}）" if lang == "ja" else f"{name} ({code5})"


def named_codes(codes: Iterable[str], lang: str) -> str:
    """「利島村（13362）、青ヶ島村（13402）」: municipalities of the master by code, in code order, each
    with its code (a code the master lacks stands for its name)."""
    from helpers.loaders.municipalities import load_master

    names = load_master().set_index("code5")["name"]
    return ("、" if lang == "ja" else ", ").join(muni_name(str(names.get(c, c)), c, lang) for c in sorted(codes))


# ------------------------------------------------------------------------------ methods

def all_alike_text(alike: pd.DataFrame, lang: str) -> str:
    """「政令指定都市（20団体）：全体の構築、…がすべて実施」 for the methods paragraph."""
    if not len(alike):
        return t("muni.text.alike_none", lang)
    parts = []
    for (g, v), sub in alike.groupby(["group", "value"], sort=False):
        parts.append(t("muni.text.alike_part", lang, group=group_label("type", g, lang), n=f"{int(sub['n'].max()):,}",
                       items=join([ind_label(i, lang) for i in sub["indicator"]], lang),
                       answer=t("muni.map.yes" if v == 1 else "muni.map.no", lang)))
    return t("muni.text.alike", lang, parts=("、" if lang == "ja" else "; ").join(parts))


# ------------------------------------------------------------------------------ report tables

def adoption_table(table: pd.DataFrame, by: str, lang: str, indicators: Sequence[str] = tuple(BINARY)) -> pd.DataFrame:
    """Group × indicator, each cell 'rate (lo–hi)', with a row of n per group: the report's table."""
    groups = [g for g in (*order_of(by), ALL) if g in set(table["group"])]
    out = {t("muni.col.indicator", lang): [ind_title(i, lang) for i in indicators]}
    for g in groups:
        sub = table[table["group"] == g].set_index("indicator")
        out[f"{group_label(by, g, lang)}"] = [t("muni.fmt.cell", lang, rate=f"{sub.loc[i, 'rate']:.1f}",
                                                lo=f"{sub.loc[i, 'lo']:.0f}", hi=f"{sub.loc[i, 'hi']:.0f}")
                                              for i in indicators]
    frame = pd.DataFrame(out)
    n_row = {t("muni.col.indicator", lang): t("muni.col.n_surveyed", lang)}
    for g in groups:
        ns = table.loc[(table["group"] == g) & table["indicator"].isin(indicators), "n"]
        n_row[group_label(by, g, lang)] = (f"{ns.min():,}" if ns.min() == ns.max() else f"{ns.min():,}–{ns.max():,}")
    return pd.concat([pd.DataFrame([n_row]), frame], ignore_index=True)


def online_table(pooled: pd.DataFrame, by: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("muni.col.group", lang): [group_label(by, g, lang) for g in pooled["group"]],
        t("muni.col.municipalities", lang): pooled["municipalities"].astype(int),
        t("muni.col.offered", lang): pooled["offered"].astype(int),
        t("muni.col.online", lang): pooled["online"].astype(int),
        t("muni.col.pooled_share", lang): [pct(x, lang) for x in pooled["pooled_share"]],
        t("muni.col.median_share", lang): [pct(x, lang) for x in pooled["median_share"]],
    })


def size_model_table(models: pd.DataFrame, lang: str) -> pd.DataFrame:
    def ort(r, k):
        lo, hi = ("lo", "hi") if k == "odds_ratio" else (f"{k}_lo", f"{k}_hi")
        return or_cell(r[k], r[lo], r[hi], lang)
    return pd.DataFrame({
        t("muni.col.indicator", lang): [ind_title(i, lang) for i in models["indicator"]],
        t("muni.col.n", lang): models["n"].astype(int),
        t("muni.col.or_doubling", lang): [ort(r, "odds_ratio") for _, r in models.iterrows()],
        t("muni.col.ame", lang): [t("muni.fmt.pp_ci", lang, value=f"{r.ame_pp:+.1f}", lo=f"{r.ame_lo:+.1f}",
                                    hi=f"{r.ame_hi:+.1f}") for r in models.itertuples()],
        t("muni.col.or_village", lang): [ort(r, "or_village") for _, r in models.iterrows()],
        t("muni.col.or_town", lang): [ort(r, "or_town") for _, r in models.iterrows()],
        t("muni.col.or_large", lang): [ort(r, "or_large_city") for _, r in models.iterrows()],
        t("muni.col.fe_or", lang): [or_cell(r.fe_odds_ratio, r.fe_lo, r.fe_hi, lang) for r in models.itertuples()],
        t("muni.col.fe_n", lang): [t("muni.fmt.fe_n", lang, n=f"{r.fe_n:,}", p=r.fe_prefectures)
                                   for r in models.itertuples()],
    })


def governance_table(assoc: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("muni.col.outcome", lang): [ind_title(i, lang) for i in assoc["outcome"]],
        t("muni.col.predictor", lang): [ind_title(i, lang) for i in assoc["predictor"]],
        t("muni.col.n", lang): assoc["n"].astype(int),
        t("muni.col.rate_with", lang): [f"{r.rate_with:.1f}% ({r.n_with:,})" for r in assoc.itertuples()],
        t("muni.col.rate_without", lang): [f"{r.rate_without:.1f}% ({r.n_without:,})" for r in assoc.itertuples()],
        t("muni.col.or_adjusted", lang): [or_cell(r.odds_ratio, r.lo, r.hi, lang) for r in assoc.itertuples()],
        t("muni.col.p_holm", lang): ["<0.001" if r.p_holm < 0.001 else f"{r.p_holm:.3f}" for r in assoc.itertuples()],
    })


def readiness_table(dist: pd.DataFrame, by: str, lang: str) -> pd.DataFrame:
    f1 = lambda x: "—" if pd.isna(x) else f"{x:.1f}"  # noqa: E731
    return pd.DataFrame({
        t("muni.col.group", lang): [group_label(by, g, lang) for g in dist["group"]],
        t("muni.col.municipalities", lang): dist["municipalities"].astype(int),
        t("muni.col.scored", lang): dist["scored"].astype(int),
        t("muni.col.mean", lang): [f1(x) for x in dist["mean"]],
        t("muni.col.median", lang): [f1(x) for x in dist["median"]],
        t("muni.col.iqr", lang): [f"{f1(a)}–{f1(b)}" for a, b in zip(dist["q1"], dist["q3"])],
        t("muni.col.share_100", lang): [pct(x, lang) for x in dist["share_100"]],
        t("muni.col.share_0", lang): [pct(x, lang) for x in dist["share_0"]],
    })


def prefecture_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("muni.col.prefecture", lang): [pref_label(c, n, lang) for c, n in zip(summary["pref_code"], summary["pref_name"])],
        t("muni.col.municipalities", lang): summary["municipalities"].astype(int),
        t("muni.col.not_surveyed", lang): summary["not_surveyed"].astype(int),
        **{ind_title(i, lang): [pct(x, lang) for x in summary[i]] for i in ["cio_appointed", "dx_policy", "ai", "telework"]},
        t("muni.col.online_pooled", lang): [pct(x, lang) for x in summary["online_pooled"]],
        t("muni.col.readiness_median", lang): ["—" if pd.isna(x) else f"{x:.0f}" for x in summary["readiness_median"]],
    })


# ------------------------------------------------------------------------------ findings and caveats

def _row(table: pd.DataFrame, group: str, ind: str) -> pd.Series:
    return table[(table["group"] == group) & (table["indicator"] == ind)].iloc[0]


def size_gap_findings(by_size: pd.DataFrame, lang: str) -> list[str]:
    """The indicators with the largest and the smallest gap between the smallest size class and
    the largest non-designated class (20万+), each with both shares, intervals and n."""
    from helpers.analysis.common import shown_difference

    small, large = SIZE_ORDER[0], "200k_plus"
    gaps = {ind: _row(by_size, large, ind)["rate"] - _row(by_size, small, ind)["rate"]
            for ind in by_size["indicator"].unique()}
    ranked = sorted(gaps, key=gaps.get)
    out = []
    for key, ind in (("muni.f.size_gap_max", ranked[-1]), ("muni.f.size_gap_min", ranked[0])):
        a, b = _row(by_size, small, ind), _row(by_size, large, ind)
        out.append(t(key, lang, name=ind_label(ind, lang), small=group_label("size_class", small, lang),
                     large=group_label("size_class", large, lang), a=ci_n_text(a.rate, a.lo, a.hi, a.n, lang),
                     b=ci_n_text(b.rate, b.lo, b.hi, b.n, lang), gap=f"{shown_difference(b.rate, a.rate):+.1f}"))
    return out


def model_findings(models: pd.DataFrame, lang: str) -> list[str]:
    m = models.sort_values("odds_ratio", ascending=False)
    top = [f"{ind_label(r.indicator, lang)} {or_text(r.odds_ratio, r.lo, r.hi, lang)}" for r in m.head(2).itertuples()]
    flat = m[(m["lo"] <= 1) & (m["hi"] >= 1)]
    above = m[m["lo"] > 1]
    out = [t("muni.f.or_top", lang, items=join(top, lang), k=len(above), total=len(m),
             n=n_range(m["n"]))]
    if len(flat):
        # a clustered interval that includes 1 is "no clear association" only if the fixed-effects
        # check agrees; where that interval lies off 1, the sentence says the two disagree
        fe_off = (flat["fe_lo"] > 1) | (flat["fe_hi"] < 1) if "fe_lo" in flat else pd.Series(False, index=flat.index)
        agree, differ = flat[~fe_off], flat[fe_off]
        if len(agree):
            items = [f"{ind_label(r.indicator, lang)} {or_text(r.odds_ratio, r.lo, r.hi, lang)}" for r in agree.itertuples()]
            out.append(t("muni.f.or_flat", lang, items=join(items, lang)))
        if len(differ):
            items = [t("muni.f.or_fe_item", lang, name=ind_label(r.indicator, lang), base=or_text(r.odds_ratio, r.lo, r.hi, lang),
                       fe=or_text(r.fe_odds_ratio, r.fe_lo, r.fe_hi, lang)) for r in differ.itertuples()]
            out.append(t("muni.f.or_fe_differs", lang, items=join(items, lang)))
    best = m.iloc[0]
    out.append(t("muni.f.ame", lang, name=ind_label(best.indicator, lang), value=f"{best.ame_pp:.1f}",
                 lo=f"{best.ame_lo:.1f}", hi=f"{best.ame_hi:.1f}"))
    return out


def governance_findings(assoc: pd.DataFrame, lang: str) -> list[str]:
    above = assoc[assoc["lo"] > 1]
    held = above[above["held_holm"]]
    best = assoc.sort_values("odds_ratio", ascending=False).iloc[0]
    return [t("muni.f.governance", lang, k=len(above), total=len(assoc), h=len(held), pred=ind_label(best.predictor, lang),
              out=ind_label(best.outcome, lang), value=or_text(best.odds_ratio, best.lo, best.hi, lang),
              rw=f"{best.rate_with:.1f}", nw=f"{best.n_with:,}", rwo=f"{best.rate_without:.1f}",
              nwo=f"{best.n_without:,}", n=f"{best.n:,}")]


def readiness_findings(dist: pd.DataFrame, lang: str, k: int = len(READINESS_ITEMS)) -> list[str]:
    """The readiness sentence; ``k`` the items scored (fewer when the export lacks one)."""
    small, large = dist.iloc[0], dist[dist["group"] == "200k_plus"].iloc[0]
    allrow = dist[dist["group"] == ALL].iloc[0]
    return [t("muni.f.readiness", lang, k=k, median=f"{allrow['median']:.0f}", n=f"{int(allrow['scored']):,}",
              small=group_label("size_class", small["group"], lang), ms=f"{small['median']:.0f}",
              q1s=f"{small['q1']:.0f}", q3s=f"{small['q3']:.0f}", ns=f"{int(small['scored']):,}",
              large=group_label("size_class", "200k_plus", lang), ml=f"{large['median']:.0f}",
              q1l=f"{large['q1']:.0f}", q3l=f"{large['q3']:.0f}", nl=f"{int(large['scored']):,}")]


def prefecture_findings(rates: pd.DataFrame, ind: str, lang: str, min_n: int = 10) -> list[str]:
    """Lowest and highest prefecture share of ``ind`` among prefectures with at least ``min_n``
    surveyed municipalities and all of them surveyed (a share over part of them is not ordered)."""
    whole = rates["missing"] == 0 if "missing" in rates else True
    r = rates[(rates["indicator"] == ind) & (rates["n"] >= min_n) & whole].sort_values(["rate", "pref_code"])
    lo, hi = r.iloc[0], r.iloc[-1]
    return [t("muni.f.prefecture", lang, name=ind_label(ind, lang), min_n=min_n, k=len(r),
              low=pref_label(lo.pref_code, lo.pref_name, lang), lr=ci_n_text(lo.rate, lo.lo, lo.hi, lo.n, lang),
              high=pref_label(hi.pref_code, hi.pref_name, lang), hr=ci_n_text(hi.rate, hi.lo, hi.hi, hi.n, lang))]


def online_findings(pooled: pd.DataFrame, lang: str) -> list[str]:
    small, large = pooled.iloc[0], pooled[pooled["group"] == "200k_plus"].iloc[0]
    allrow = pooled[pooled["group"] == ALL].iloc[0]
    return [t("muni.f.online", lang, all=pct(allrow["pooled_share"], lang), on=f"{allrow['online']:,}",
              off=f"{allrow['offered']:,}", n=f"{allrow['municipalities'] - allrow['no_procedure']:,}",
              m=f"{allrow['municipalities']:,}",
              small=group_label("size_class", small["group"], lang), s=pct(small["pooled_share"], lang),
              large=group_label("size_class", "200k_plus", lang), l=pct(large["pooled_share"], lang))]


def not_surveyed_note(ns: pd.DataFrame, lang: str, wide: pd.DataFrame | None = None, ref: str = "") -> str:
    """「石川県の8団体（七尾市…）は…」: the not-surveyed municipalities, by prefecture, with the items;
    with ``wide`` also why (cited by ``ref``), whether the prefecture's most populous municipality
    is among them, and that its shares and ranks on those items rest on the others only."""
    from helpers.words.entity import not_surveyed_context

    parts, missing, context = [], set(), []
    for (code, pref), g in ns.groupby(["pref_code", "pref_name"], sort=True):
        names = join([n if lang == "ja" else f"{n} ({c})" for c, n in zip(g["code5"], g["name"])], lang)
        its = list(dict.fromkeys(x for its in g["items"] for x in its))
        missing |= set(its)
        parts.append(t("muni.ns.part", lang, pref=pref_label(code, pref, lang), n=len(g), names=names,
                       items=join([ind_label(i, lang) for i in its], lang)))
        if wide is not None:
            answered = int((wide["pref_code"] == code).sum()) - len(g)
            ctx = not_surveyed_context(code, pref_label(code, pref, lang), g["code5"], lang, ref=ref, answered=answered)
            if ctx:
                context.append(ctx)
    others = join([ind_label(i, lang) for i in BINARY if i not in missing], lang)
    note = t("muni.ns.note", lang, parts=join(parts, lang), others=others) if parts else ""
    return (" " if lang == "en" else "").join([note, *context]) if note else ""


def not_surveyed_short(ns: pd.DataFrame, lang: str) -> str:
    """Short figure note: 「＊石川県：8団体（金沢市を含む）が推進体制7項目で調査無し」 (the prefecture's
    most populous municipality named when it is among them)."""
    from helpers.analysis.entity_stats import largest_left_out

    big = largest_left_out(ns["code5"])
    parts = []
    for (code, pref), g in ns.groupby(["pref_code", "pref_name"], sort=True):
        name = big[code]["name"] if lang == "ja" or code not in big else f"{big[code]['name']} ({big[code]['code5']})"
        incl = t("muni.ns.incl", lang, name=name) if code in big else ""
        parts.append(t("muni.ns.short", lang, pref=pref_label(code, pref, lang), n=len(g), incl=incl,
                       k=len(dict.fromkeys(x for its in g["items"] for x in its))))
    return "; ".join(parts)


def missing_text(gone: Sequence[str], needed: Sequence[str], lang: str) -> str:
    """「このエクスポートにない項目：…」 for the items a section needs that the export lacks; '' if none."""
    from helpers.words.entity import indicator_names
    from helpers.words.i18n import TEXT

    names = indicator_names(lang)  # the dashboard's own items for those without a label of this theme
    items = [ind_label(i, lang) if f"muni.ind.{i}" in TEXT else names.get(i, i) for i in needed if i in set(gone)]
    return t("export.missing", lang, items=join(items, lang)) if items else ""


def caveats(wide: pd.DataFrame, long: pd.DataFrame, models: pd.DataFrame, lang: str, *,
            not_drawn: Sequence[str], date_ref: str = "", survey_ref: str = "") -> list[str]:
    """The theme's caveats in the report's language, each computed from the frames. ``date_ref`` cites
    the published AI/RPA shares the AI/RPA date is inferred from, ``survey_ref`` the dashboard's data
    definition (the governance items' survey date); ``not_drawn`` the codes the maps cannot draw
    (``helpers.figures.maps.not_drawn()``)."""
    from helpers.analysis.entity_stats import ai_rpa_date_evidence
    from helpers.words.entity import date_evidence_short

    out = []
    note = not_surveyed_note(not_surveyed(long), lang, wide, ref=survey_ref)
    if note:
        out.append(note)
    for r in wide[wide["population_2020"].isna()].itertuples():
        out.append(t("muni.c.population", lang, name=r.name, code=r.code5, note=r.population_note or "—",
                     name_code=f"{r.name} ({r.code5})"))
    out.append(t("muni.c.census", lang, n=f"{len(wide):,}"))
    out.append(t("muni.c.association", lang))
    out.append(t("muni.c.groups", lang))
    labels = {"village": "muni.mgroup.village", "town": "muni.mgroup.town", "large_city": "muni.mgroup.large_city"}
    for r in models[models["dropped_groups"] != ""].itertuples():
        out.append(t("muni.c.dropped", lang, name=ind_label(r.indicator, lang),
                     groups=join([t(labels[g], lang) for g in r.dropped_groups.split(",")], lang)))
    names = dict(zip(wide["pref_code"], wide["pref_name"]))
    items = [t("muni.c.fe_item", lang, name=ind_label(r.indicator, lang),
               prefs=join([pref_label(c, names[c], lang) for c in r.fe_left_out.split(",")], lang))
             for r in models[models["fe_left_out"] != ""].itertuples()]
    out.append(t("muni.c.fe", lang, items=join(items, lang)) if items else t("muni.c.fe_none", lang))
    out.append(t("muni.c.readiness", lang, g=len(GOVERNANCE), o=len(OUTCOMES)))
    out.append(date_evidence_short(ai_rpa_date_evidence(long), lang, ref=date_ref, ref2=survey_ref))
    if wide["online32_offered"].notna().any():  # not when the export lacks the 32-procedure counts
        n0 = int((wide["online32_offered"].fillna(0) <= 0).sum())
        out.append(t("muni.c.online", lang, n0=n0, max=f"{wide['online32_offered'].max():.0f}"))
    out.append(boundaries_caveat(lang, not_drawn))
    return out


def boundaries_caveat(lang: str, not_drawn: Sequence[str]) -> str:
    """Which boundaries the maps use, that their codes match the municipal master (date and count
    from data/external/MANIFEST.csv and data/reference/municipalities.csv) and which municipalities
    have no polygon and are not drawn (``not_drawn``: their codes, ``helpers.figures.maps.not_drawn()``)."""
    from helpers.analysis.entity_stats import dashboard_update
    from helpers.loaders.municipalities import load_master
    from helpers.words.i18n import date_text

    update = dashboard_update()
    if pd.isna(update):
        text = t("export.boundaries_nodate", lang, date=date_text(boundaries_date(), lang), n=f"{len(load_master()):,}")
    else:
        text = t("muni.c.boundaries", lang, date=date_text(boundaries_date(), lang), n=f"{len(load_master()):,}",
                 year=update.year)
    if not_drawn:  # codes match, but not every municipality can be drawn: say how many and which
        text += ("" if lang == "ja" else " ") + t("muni.c.not_drawn", lang, n=len(not_drawn),
                                                  names=named_codes(not_drawn, lang))
    return text
