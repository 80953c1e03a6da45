"""The staffing report's sentences, captions and reader tables, from the frames of
:mod:`helpers.analysis.staffing` (phrases in :mod:`helpers.words.catalog.staffing`).

Every function takes the analysis frames as they are (ids, numbers, dates) and the report's
language; indicator labels and dates as text are added here."""

from __future__ import annotations

from typing import Callable

import pandas as pd

from helpers.analysis import staffing
from helpers.analysis.reconcile import later_unvalued
from helpers.loaders import data
from helpers.loaders.series import definition_of
from helpers.words.formats import breaks, date_label, date_labels, fmt_pct, join_items, label_map, labelled
from helpers.words.i18n import date_text, era_fiscal_year, t


def _list(lang: str) -> str:
    """The separator of the parts of one sentence's list: 「；」 / '; '."""
    return "；" if lang == "ja" else "; "


# ------------------------------------------------------------------------------ appointments

def series_table(r: pd.DataFrame, tier_label: dict[str, str], lang: str) -> pd.DataFrame:
    """The trend as a reader checks it: one row per indicator × tier × date with the definition,
    count, base and share, in time order (definition versions are separate rows, never merged)."""
    order = {k: i for i, k in enumerate(dict.fromkeys(r["indicator"]))}
    out = r.assign(_o=r["indicator"].map(order)).sort_values(["_o", "tier", "as_of"], kind="stable")
    alt = staffing.alternative_bases()
    base = [staffing.shown_base(x, alt) for x in out.itertuples()]
    return pd.DataFrame({
        "label": out["indicator"].map(label_map(lang)), "tier": out["tier"].map(tier_label),
        "definition": out["series"].map(lambda s: t(f"series.{definition_of(s)}", lang)),
        "as_of": [date_label(d, a, lang) for d, a in zip(out["as_of"], out["as_of_assumed"])],
        "count": out["count"], "base": pd.array(base, dtype="Int64"), "share": out["rate"],
    }).reset_index(drop=True)


def series_findings(r: pd.DataFrame, tier_label: dict[str, str], lang: str) -> list[str]:
    """One sentence per indicator × tier: the values of the current definition in order (count, share,
    base where the published share used another one), and the earlier definition named apart."""
    out, alt, labels = [], staffing.alternative_bases(), label_map(lang)
    for (indicator, tier), g in r.groupby(["indicator", "tier"], sort=False):
        g = g.sort_values("as_of")
        latest = g["series"].iloc[-1]
        cur, old = g[g["series"] == latest], g[g["series"] != latest]
        steps = []
        for x in cur.itertuples():
            base = staffing.shown_base(x, alt)
            steps.append(t("staffing.f.step", lang, date=date_label(x.as_of, x.as_of_assumed, lang),
                           count=f"{int(x.count):,}", share=fmt_pct(x.rate), base=f"{int(base):,}"))
        sentence = t("staffing.f.series", lang, label=labels[indicator], tier=tier_label[tier],
                     definition=t(f"series.{definition_of(latest)}", lang), steps=" → ".join(steps))
        if len(old):
            o = old.iloc[-1]
            # why the earlier value is not compared: another definition, or the secondary-source rule
            key = "staffing.f.earlier" if definition_of(o["series"]) != definition_of(latest) else "staffing.f.earlier_source"
            sentence += t(key, lang, date=date_label(o["as_of"], o["as_of_assumed"], lang),
                          count=f"{int(o['count']):,}", share=fmt_pct(o["rate"]),
                          definition=t(f"series.{definition_of(o['series'])}", lang))
        out.append(sentence)
    return out


def corrected_legend(corrected: pd.DataFrame, lang: str) -> str:
    """The chart's legend entry for the values a correction gives (:func:`staffing.corrected_points`)."""
    dates = (date_text(d, lang) for d in dict.fromkeys(corrected["corrected_on"]))
    return t("staffing.legend.corrected", lang, date=join_items(dates, lang))


def definition_caveats(r: pd.DataFrame, lang: str, once_per: str = "indicator") -> list[str]:
    """What changed at each documented break the frame's dates cross (``data/series_breaks.csv``), one
    caveat per indicator (``once_per="indicator"``) or per reason (``once_per="what"``)."""
    return [t("series.caveat", lang, what=what) for what in breaks(r, lang).drop_duplicates(once_per)["what"]]


def respondent_base_caveats(r: pd.DataFrame, lang: str) -> list[str]:
    """Shares this toolkit computes for a survey that did not reach every organisation (FY2023: some
    municipalities not surveyed) rest on the respondents (:func:`staffing.on_respondents`); say so,
    with the share of all organisations beside it, for every such row (one caveat, or none)."""
    labels = label_map(lang)
    items = []
    for tier, alts in data.ALTERNATIVE_BASES.items():
        for base, year, why in alts:
            if why != "respondents_fy2023":
                continue
            flag = r["base_is_respondents"] if "base_is_respondents" in r else pd.Series(False, index=r.index)
            hit = r[(r["tier"] == tier) & r["rate_is_computed"] & (r["as_of"].dt.year == year) & flag.astype(bool)]
            population = data.POPULATION[tier]
            for x in hit.itertuples():
                items.append(t("staffing.respondent_item", lang, label=labels[x.indicator], count=f"{int(x.count):,}",
                               base=f"{population:,}", rate=fmt_pct(100 * x.count / population),
                               rate_r=fmt_pct(100 * x.count / base)))
            if len(hit):
                date = date_label(hit["as_of"].iloc[0], bool(hit["as_of_assumed"].iloc[0]), lang)
                return [t("staffing.caveat.respondents", lang, date=date, items=join_items(items, lang),
                          respondents=f"{base:,}", missing=f"{population - base:,}")]
    return []


def general_caveats(appointments: pd.DataFrame, lang: str) -> list[str]:
    """The caveats every staffing report ends with: secondary sources (where the appointment series
    uses one) and shares computed from counts."""
    return ([t("report.secondary", lang)] if appointments["secondary"].any() else []) + [t("report.computed_rate", lang)]


# ------------------------------------------------------------------------------ corrections

def _edition(fy: int, lang: str) -> str:
    return t("staffing.edition", lang, era=era_fiscal_year(fy), fy=fy)


def revision_sentences(eff: pd.DataFrame, tier_label: dict[str, str], lang: str, ind: pd.DataFrame | None = None,
                       rev: pd.DataFrame | None = None) -> list[str]:
    """What each correction (:func:`staffing.revision_effects`) changes, in words (the change from the
    previous edition before/after). Where the previous edition has two published values, both values
    and both changes are given, with the edition we hold named as the official one; a correction
    whose current value differs from the corrected one says which value the edition we hold states,
    and whether a later correction without values in our sources is listed."""
    labels = label_map(lang)
    out = []
    for x in eff.itertuples():
        args = dict(edition=_edition(x.edition, lang), label=labels[x.indicator],
                    tier=tier_label.get(x.tier, x.tier), date=date_text(x.corrected_on, lang),
                    before=f"{int(x.value_before):,}", after=f"{int(x.value_after):,}")
        if pd.notna(x.prev_value) and pd.notna(x.alt_prev_value):
            out.append(t("staffing.f.revision_two", lang, prev=f"{int(x.prev_value):,}", alt=f"{int(x.alt_prev_value):,}",
                         prev_edition=_edition(int(x.prev_edition), lang),
                         alt_date=date_text(x.alt_corrected_on, lang),
                         cb=f"{int(x.change_before):+,}", ca=f"{int(x.change_after):+,}",
                         acb=f"{int(x.alt_change_before):+,}", aca=f"{int(x.alt_change_after):+,}",
                         flip=t("staffing.f.sign_flip", lang) if (x.change_after > 0) != (x.alt_change_after > 0) else "",
                         **args))
        elif pd.notna(x.prev_value):
            out.append(t("staffing.f.revision", lang, prev=f"{int(x.prev_value):,}",
                         cb=f"{int(x.change_before):+,}", ca=f"{int(x.change_after):+,}", **args))
        else:
            held = staffing.held_value(ind, x) if ind is not None else pd.NA
            if pd.notna(held) and held != x.value_after:
                later = later_unvalued(rev, x.edition, x.corrected_on) if rev is not None else pd.DataFrame()
                why = _evidence_items(staffing.held_edition_evidence(ind, rev, x), tier_label, lang) if len(later) else []
                text = t("staffing.f.revision_held", lang, held=f"{int(held):,}", **args)
                if why:
                    text += t("staffing.f.revision_why", lang, date=args["date"], items=join_items(why, lang),
                              held=f"{int(held):,}", later=date_text(later["corrected_on"].iloc[0], lang))
                elif len(later):
                    text += t("staffing.f.revision_later", lang, later=date_text(later["corrected_on"].iloc[0], lang))
                out.append(text)
            else:
                out.append(t("staffing.f.revision_noprev", lang, **args))
    return out


def _evidence_items(evidence: pd.DataFrame, tier_label: dict[str, str], lang: str) -> list[str]:
    """「統合型GIS（市区町村）23団体」: the corrections :func:`staffing.held_edition_evidence` found stated."""
    labels = label_map(lang)
    return [t("staffing.f.revision_why_item", lang, label=labels.get(r.indicator, r.indicator),
              tier=tier_label.get(r.tier, r.tier), value=f"{int(r.value_after):,}") for r in evidence.itertuples()]


# ------------------------------------------------------------------------------ governance and training

def marked_table(r: pd.DataFrame, tier_label: dict[str, str], lang: str,
                 ref: Callable[[str], str]) -> tuple[pd.DataFrame, str]:
    """One row per indicator × tier, one column per date, every cell marked with what makes it
    differ from its neighbours: its source ``ref(key)`` (e.g. '[3]'), § a secondary summary, * a
    value derived from a later release, ◊ a definition other than the latest one, and the base
    where it is not the stored one (the source's percent rests on the respondents). Cells of one row
    with different marks are not one time series. Returns the table and its legend sentence."""
    alt = staffing.alternative_bases()
    labels = label_map(lang)
    latest_def = {k: definition_of(g.sort_values("as_of")["series"].iloc[-1])
                  for k, g in r.groupby(["indicator", "tier"], sort=False)}
    used: set[str] = set()
    cells = []
    for x in r.itertuples():
        text = f"{x.rate:.{int(x.shown_decimals)}f}%"
        marks = ""
        if x.status == "derived":
            marks += "*"
        if x.secondary:
            marks += "§"
        if definition_of(x.series) != latest_def[(x.indicator, x.tier)]:
            marks += "◊"
        used.update(marks)
        base = staffing.shown_base(x, alt)
        if base != int(x.base) or getattr(x, "base_is_respondents", False):
            text += t("staffing.cell_base", lang, base=f"{base:,}")
            used.add("base")
        cells.append({"label": labels[x.indicator], "tier": tier_label[x.tier],
                      "date": date_label(x.as_of, x.as_of_assumed, lang), "cell": f"{text}{marks} {ref(x.source)}"})
    c = pd.DataFrame(cells)
    wide = c.pivot_table(index=["label", "tier"], columns="date", values="cell", aggfunc="first", sort=False)
    wide = wide[[d for d in date_labels(r, lang) if d in wide.columns]]
    wide.columns.name = None
    parts = [t(f"staffing.legend.{k}", lang) for k in ("ref", "*", "§", "◊", "base") if k == "ref" or k in used]
    legend = t("staffing.legend", lang, items=("。" if lang == "ja" else "; ").join(parts))
    return wide.fillna("—").reset_index(), legend


def dated_labels(r: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``r`` with ``label`` = the indicator's label and its date: 「職員育成（2023年4月1日）」, for a
    chart that shows each indicator at its own latest date."""
    out = labelled(r, lang)
    dates = [date_label(d, a, lang) for d, a in zip(out["as_of"], out["as_of_assumed"])]
    out["label"] = [f"{lab}（{d}）" if lang == "ja" else f"{lab} ({d})" for lab, d in zip(out["label"], dates)]
    return out


def talent_findings(talent: pd.DataFrame, tier_label: dict[str, str], lang: str) -> list[str]:
    """External digital talent at the latest date, per tier (:func:`staffing.external_talent`)."""
    out = []
    latest = talent.sort_values("as_of").groupby("tier", sort=False).tail(1)
    for r in latest.itertuples():
        rate = r.percent if pd.notna(r.percent) else 100 * r.organisations / r.base
        out.append(t("staffing.f.talent", lang, verb=t(f"staffing.talent_verb.{definition_of(r.series)}", lang),
                     date=date_label(r.as_of, r.as_of_assumed, lang), tier=tier_label[r.tier],
                     orgs=f"{int(r.organisations):,}", rate=fmt_pct(float(rate)), base=f"{int(r.base):,}",
                     persons=f"{int(r.persons):,}", per=f"{r.persons_per_org:.2f}"))
    return out


# ------------------------------------------------------------------------------ CIO position

def labelled_positions(mix: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`staffing.cio_position_mix` with ``category_label``, the position in the report's language."""
    out = mix.copy()
    out.insert(list(out.columns).index("category_en") + 1, "category_label",
               out["category"] if lang == "ja" else out["category_en"])
    return out


def position_title(mix: pd.DataFrame, lang: str) -> str:
    """The CIO position chart's title, with the survey date it shows."""
    return t("staffing.title.position_dated", lang, date=date_labels(mix.assign(as_of_assumed=False), lang)[-1])


def position_findings(mix: pd.DataFrame, tier_label: dict[str, str], lang: str) -> list[str]:
    """The most common position of a CIO, per tier."""
    out = []
    for tier, g in labelled_positions(mix, lang).groupby("tier", sort=False):
        top = g.sort_values(["count", "order"], ascending=[False, True]).iloc[0]
        out.append(t("staffing.f.position", lang, tier=tier_label[tier], base=f"{int(top['base']):,}",
                     category=top["category_label"], share=fmt_pct(top["share"]), count=f"{int(top['count']):,}"))
    return out


# ------------------------------------------------------------------------------ staff counts

def _definition_name(definition: str, lang: str) -> str:
    """A staff count's definition (:func:`staffing.staff_counts`) in words."""
    return t(f"staffing.def.{definition}", lang) if definition in staffing.STAFF_DEFINITIONS \
        else t(f"series.{definition}", lang)


def staff_table(staff: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`staffing.staff_counts` for a reader: the definition in words, the indicator's label and
    the date as text (``as_of`` kept for sorting; ``as_of_assumed`` folded into the date)."""
    out = staff.assign(definition=[_definition_name(d, lang) for d in staff["definition"]],
                       date=[date_label(d, a, lang) for d, a in zip(staff["as_of"], staff["as_of_assumed"])])
    out = labelled(out, lang)
    return out[["definition", "indicator", "label", "as_of", "date", "derived", "prefecture", "municipality", "all"]]


def staff_definitions(table: pd.DataFrame, lang: str) -> str:
    """'definition: label, label …; definition: label' — which units each definition's staff counts
    cover (``table``: :func:`staff_table`)."""
    sep = "・" if lang == "ja" else ", "
    colon = "：" if lang == "ja" else ": "
    items = (f"{d}{colon}{sep.join(dict.fromkeys(g['label']))}" for d, g in table.groupby("definition", sort=False))
    return join_items(items, lang)


def staff_caveats(staff: pd.DataFrame, ind: pd.DataFrame, lang: str) -> list[str]:
    """The definitions differ by year; some values are derived from a later release."""
    out = [t("staffing.caveat.staff", lang, items=staff_definitions(staff_table(staff, lang), lang))]
    if staff["derived"].any() or (ind["status"] == "derived").any():
        out.append(t("staffing.caveat.derived", lang))
    return out


def staff_findings(staff: pd.DataFrame, tier_label: dict[str, str], lang: str) -> list[str]:
    """The DX / IT policy staff counts per tier, grouped by definition (no change read across two)."""
    table = staff_table(staff, lang)
    new = table[table["indicator"] == "staff_dx_info_policy"]
    out = []
    for tier in ("prefecture", "municipality"):
        if tier not in tier_label or new[tier].isna().all():
            continue
        groups = []
        for definition, g in new.groupby("definition", sort=False):
            steps = [t("staffing.f.staff_step", lang, date=x.date, value=f"{int(getattr(x, tier)):,}",
                       derived=t("staffing.derived_mark", lang) if x.derived else "")
                     for x in g.itertuples() if pd.notna(getattr(x, tier))]
            if steps:
                groups.append(t("staffing.f.staff_group", lang, definition=definition, steps=" → ".join(steps)))
        out.append(t("staffing.f.staff_series", lang, label=new["label"].iloc[0], tier=tier_label[tier],
                     steps=_list(lang).join(groups))
                   + (t("staffing.f.staff_scopes", lang) if len(groups) > 1 else ""))
    return out
