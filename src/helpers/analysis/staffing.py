"""Organisation and staffing: CIO / CIO補佐官 appointment, positions, staff counts, talent, training."""

from __future__ import annotations

import pandas as pd

from helpers.loaders import data
from helpers.loaders.series import definition_of
from helpers.analysis.common import changes, rates
from helpers.words.formats import labelled, join_items, label_map

APPOINTMENT = ["cio_appointed", "cio_deputy_appointed"]
STRUCTURE = ["dx_policy", "cross_org_structure", "dx_unit", "external_talent_orgs"]
TRAINING = ["staff_development", "it_training_inhouse", "it_training_dispatch"]
STAFF_2020 = ["staff_it_dept_employees", "staff_it_dept_contractors", "staff_it_dept_contractors_resident",
              "staff_it_dept_total"]
STAFF_2021 = ["staff_dx_info_policy"]


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


def appointment(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    return on_respondents(labelled(rates(ind, APPOINTMENT, tiers), lang))


def appointment_changes(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    """pp change between consecutive surveys *within one definition* (never across the FY2021 break)."""
    return changes(appointment(ind, tiers, lang))


def series_table(r: pd.DataFrame, tier_label: dict[str, str], lang: str) -> pd.DataFrame:
    """The trend as a reader checks it: one row per indicator × tier × date with the definition,
    count, base and share, in time order (definition versions are separate rows, never merged)."""
    from helpers.words.formats import date_label
    from helpers.words.i18n import t

    order = {k: i for i, k in enumerate(dict.fromkeys(r["indicator"]))}
    out = r.assign(_o=r["indicator"].map(order)).sort_values(["_o", "tier", "as_of"], kind="stable")
    alt = alternative_bases()
    base = [shown_base(x, alt) for x in out.itertuples()]
    return pd.DataFrame({
        "label": out["label"], "tier": out["tier"].map(tier_label),
        "definition": out["series"].map(lambda s: t(f"series.{definition_of(s)}", lang)),
        "as_of": [date_label(d, a, lang) for d, a in zip(out["as_of"], out["as_of_assumed"])],
        "count": out["count"], "base": pd.array(base, dtype="Int64"), "share": out["rate"],
    }).reset_index(drop=True)


def shown_base(row, alt: "pd.Series") -> int:
    """The base a shown share rests on: the published percent's own base where the audit found
    the source used another one (``alt``, from :func:`alternative_bases`), else the stored base."""
    return int(alt.get((row.indicator, row.tier, row.as_of), row.base))


def alternative_bases() -> "pd.Series":
    """(indicator, tier, as_of) → the base the audit found a published percent to use (e.g. FY2023 respondents)."""
    a = data.audit(data.load_indicators())
    return a[a["reason"] == "alt_base"].set_index(["indicator", "tier", "as_of"])["alt_base"]


def series_findings(r: pd.DataFrame, ind: pd.DataFrame, tier_label: dict[str, str], lang: str) -> list[str]:
    """One sentence per indicator × tier: the values of the current definition in order (count, share,
    base where the published share used another one), and the earlier definition named apart."""
    from helpers.words.formats import date_label, fmt_pct
    from helpers.words.i18n import t

    out, alt = [], alternative_bases()
    for (indicator, tier), g in r.groupby(["indicator", "tier"], sort=False):
        g = g.sort_values("as_of")
        latest = g["series"].iloc[-1]
        cur, old = g[g["series"] == latest], g[g["series"] != latest]
        steps = []
        for x in cur.itertuples():
            base = shown_base(x, alt)
            steps.append(t("staffing.f.step", lang, date=date_label(x.as_of, x.as_of_assumed, lang),
                           count=f"{int(x.count):,}", share=fmt_pct(x.rate), base=f"{int(base):,}"))
        sentence = t("staffing.f.series", lang, label=g["label"].iloc[0], tier=tier_label[tier],
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


def corrected_points(appt: pd.DataFrame, revisions: pd.DataFrame) -> pd.DataFrame:
    """Values a published correction gives for a point that a chart draws, where they differ from the
    value of the edition we hold (FY2021 CIO補佐官等 of municipalities: 808 after the correction of
    2023-04-28, 743 held). One row per point: label, tier, as_of, count, base, rate, corrected_on.
    A chart shows them beside the held value and joins them to no line, so no change is read from
    one of the two values alone."""
    cols = ["label", "tier", "as_of", "count", "base", "rate", "corrected_on"]
    rows = []
    for r in revisions[revisions["value_after"].notna()].itertuples(index=False):
        held = appt[(appt["indicator"] == r.indicator) & (appt["tier"] == r.tier)
                    & (appt["as_of"] == pd.Timestamp(r.as_of))]
        for h in held.itertuples(index=False):
            if pd.notna(h.count) and pd.notna(h.base) and float(r.value_after) != float(h.count):
                rows.append({"label": h.label, "tier": h.tier, "as_of": h.as_of, "count": float(r.value_after),
                             "base": float(h.base), "rate": 100 * float(r.value_after) / float(h.base),
                             "corrected_on": pd.Timestamp(r.corrected_on)})
    return pd.DataFrame(rows, columns=cols)


def revision_effects(ind: pd.DataFrame, rev: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    """Each published correction of a staffing figure and what it changes: the change from the
    previous edition (same series) before and after the correction. Where the previous edition's
    value itself has another published value (a correction whose result differs from the edition we
    hold, e.g. FY2021 CIO補佐官等 743 held vs 808 corrected), both changes are given
    (``alt_prev_value``, ``alt_change_before``, ``alt_change_after``): the sign can flip."""
    from helpers.words.formats import label_map

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
        rows.append({"edition": x.edition, "indicator": x.indicator, "label": label_map(lang)[x.indicator], "tier": x.tier,
                     "as_of": x.as_of, "value_before": x.value_before, "value_after": x.value_after,
                     "corrected_on": x.corrected_on, "prev_value": p, "prev_edition": prev["as_of"].iloc[0].year if len(prev) else pd.NA,
                     "change_before": (x.value_before - p) if pd.notna(p) else pd.NA,
                     "change_after": (x.value_after - p) if pd.notna(p) else pd.NA,
                     "alt_prev_value": alt, "alt_corrected_on": alt_date,
                     "alt_change_before": (x.value_before - alt) if pd.notna(alt) else pd.NA,
                     "alt_change_after": (x.value_after - alt) if pd.notna(alt) else pd.NA,
                     "source": x.source})
    return pd.DataFrame(rows)


def structure(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    return on_respondents(labelled(rates(ind, STRUCTURE, tiers), lang))


def training(ind: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    return on_respondents(labelled(rates(ind, TRAINING, tiers), lang))


def marked_table(r: pd.DataFrame, tier_label: dict[str, str], lang: str, ref) -> tuple[pd.DataFrame, str]:
    """One row per indicator × tier, one column per date, every cell marked with what makes it
    differ from its neighbours: its source ``ref(key)`` (e.g. '[3]'), § a secondary summary, * a
    value derived from a later release, ◊ a definition other than the latest one, and the base
    where it is not the stored one (the source's percent rests on the respondents). Cells of one row
    with different marks are not one time series. Returns the table and its legend sentence."""
    from helpers.words.formats import date_label, date_labels
    from helpers.words.i18n import t

    alt = alternative_bases()
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
        base = shown_base(x, alt)
        if base != int(x.base) or getattr(x, "base_is_respondents", False):
            text += t("staffing.cell_base", lang, base=f"{base:,}")
            used.add("base")
        cells.append({"label": x.label, "tier": tier_label[x.tier], "date": date_label(x.as_of, x.as_of_assumed, lang),
                      "cell": f"{text}{marks} {ref(x.source)}"})
    c = pd.DataFrame(cells)
    wide = c.pivot_table(index=["label", "tier"], columns="date", values="cell", aggfunc="first", sort=False)
    wide = wide[[d for d in date_labels(r, lang) if d in wide.columns]]
    wide.columns.name = None
    parts = [t(f"staffing.legend.{k}", lang) for k in ("ref", "*", "§", "◊", "base") if k == "ref" or k in used]
    legend = t("staffing.legend", lang, items=("。" if lang == "ja" else "; ").join(parts))
    return wide.fillna("—").reset_index(), legend


def cio_position_mix(bd: pd.DataFrame, tiers: list[str], lang: str) -> pd.DataFrame:
    """Share of each position among organisations that appointed a CIO (latest survey)."""
    sel = bd[(bd["breakdown"] == "cio_position") & bd["tier"].isin(tiers)].copy()
    sel["share"] = (100 * sel["count"].astype(float) / sel["base"].astype(float)).round(1)
    sel["category_label"] = sel["category"] if lang == "ja" else sel["category_en"]
    return sel[["tier", "as_of", "order", "category", "category_label", "count", "base", "share"]].reset_index(drop=True)


#: Series of staff counts whose scope differs from the edition's own definition (FY2023 summary: 「…等」).
STAFF_SERIES = {"staff_units_etc_2022"}


def staff_counts(ind: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Persons in the IT / DX departments per definition and date: FY2020 (情報主管課) and, from FY2021,
    DX推進・情報政策担当課室. One row per indicator × date; tiers as columns."""
    from helpers.words.formats import date_label
    from helpers.words.i18n import t

    ids = STAFF_2020 + STAFF_2021
    sel = ind[ind["indicator"].isin(ids) & (ind["unit"] == "persons")].copy()
    sel["label"] = sel["indicator"].map(label_map(lang))
    # the definition a count follows: by indicator, or by its series where a summary counts another scope
    sel["definition"] = [t(f"series.{definition_of(sr)}", lang) if definition_of(sr) in STAFF_SERIES
                         else t("staffing.def." + ("2020" if i in STAFF_2020 else "2021"), lang)
                         for i, sr in zip(sel["indicator"], sel["series"])]
    sel["date"] = [date_label(d, a, lang) for d, a in zip(sel["as_of"], sel["as_of_assumed"])]
    sel["derived"] = sel["status"].eq("derived")
    wide = sel.pivot_table(index=["definition", "indicator", "label", "as_of", "date", "derived"], columns="tier",
                           values="count", aggfunc="first", sort=False)
    wide.columns.name = None
    wide = wide.reset_index()
    for c in ("prefecture", "municipality", "all"):
        if c not in wide:
            wide[c] = pd.NA
    order = {k: i for i, k in enumerate(ids)}
    wide = wide.assign(_o=wide["indicator"].map(order)).sort_values(["_o", "as_of"]).drop(columns="_o")
    return wide[["definition", "indicator", "label", "as_of", "date", "derived", "prefecture", "municipality",
                 "all"]].reset_index(drop=True)


def staff_definitions(staff: pd.DataFrame, lang: str) -> str:
    """'definition: label, label …; definition: label' — which units each definition's staff counts cover."""
    sep = "・" if lang == "ja" else ", "
    colon = "：" if lang == "ja" else ": "
    items = (f"{d}{colon}{sep.join(dict.fromkeys(g['label']))}" for d, g in staff.groupby("definition", sort=False))
    return join_items(items, lang)


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


def findings(mix: pd.DataFrame, talent: pd.DataFrame, staff: pd.DataFrame, tier_label: dict[str, str],
             lang: str) -> list[str]:
    """Sentences for the report besides the appointment series; every number comes from the frames."""
    from helpers.words.formats import date_label, fmt_pct
    from helpers.words.i18n import t

    out = []
    for tier, g in mix.groupby("tier", sort=False):
        top = g.sort_values(["count", "order"], ascending=[False, True]).iloc[0]
        out.append(t("staffing.f.position", lang, tier=tier_label[tier], base=f"{int(top['base']):,}",
                     category=top["category_label"], share=fmt_pct(top["share"]), count=f"{int(top['count']):,}"))
    latest = talent.sort_values("as_of").groupby("tier", sort=False).tail(1)
    for r in latest.itertuples():
        rate = r.percent if pd.notna(r.percent) else 100 * r.organisations / r.base
        out.append(t("staffing.f.talent", lang, verb=t(f"staffing.talent_verb.{definition_of(r.series)}", lang),
                     date=date_label(r.as_of, r.as_of_assumed, lang), tier=tier_label[r.tier],
                     orgs=f"{int(r.organisations):,}", rate=fmt_pct(float(rate)), base=f"{int(r.base):,}",
                     persons=f"{int(r.persons):,}", per=f"{r.persons_per_org:.2f}"))
    new = staff[staff["indicator"] == "staff_dx_info_policy"]
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
                     steps=("；" if lang == "ja" else "; ").join(groups))
                   + (t("staffing.f.staff_scopes", lang) if len(groups) > 1 else ""))
    return out


def revision_sentences(eff: pd.DataFrame, tier_label: dict[str, str], lang: str, ind: pd.DataFrame | None = None,
                       rev: pd.DataFrame | None = None) -> list[str]:
    """What each correction changes, in words (the change from the previous edition before/after).
    Where the previous edition has two published values, both values and both changes are given,
    with the edition we hold named as the official one; a correction whose current value differs
    from the corrected one says which value the edition we hold states, and whether a later
    correction without values in our sources is listed."""
    from helpers.words.i18n import date_text, era_fiscal_year, t

    out = []
    for x in eff.itertuples():
        args = dict(edition=t("staffing.edition", lang, era=era_fiscal_year(x.edition), fy=x.edition), label=x.label,
                    tier=tier_label.get(x.tier, x.tier), date=date_text(x.corrected_on, lang),
                    before=f"{int(x.value_before):,}", after=f"{int(x.value_after):,}")
        if pd.notna(x.prev_value) and pd.notna(x.alt_prev_value):
            pe = int(x.prev_edition)
            out.append(t("staffing.f.revision_two", lang, prev=f"{int(x.prev_value):,}", alt=f"{int(x.alt_prev_value):,}",
                         prev_edition=t("staffing.edition", lang, era=era_fiscal_year(pe), fy=pe),
                         alt_date=date_text(x.alt_corrected_on, lang),
                         cb=f"{int(x.change_before):+,}", ca=f"{int(x.change_after):+,}",
                         acb=f"{int(x.alt_change_before):+,}", aca=f"{int(x.alt_change_after):+,}",
                         flip=t("staffing.f.sign_flip", lang) if (x.change_after > 0) != (x.alt_change_after > 0) else "",
                         **args))
        elif pd.notna(x.prev_value):
            out.append(t("staffing.f.revision", lang, prev=f"{int(x.prev_value):,}",
                         cb=f"{int(x.change_before):+,}", ca=f"{int(x.change_after):+,}", **args))
        else:
            held = _held_value(ind, x) if ind is not None else pd.NA
            if pd.notna(held) and held != x.value_after:
                later = rev[(rev["edition"] == x.edition) & (rev["corrected_on"] > x.corrected_on) & rev["value_after"].isna()] \
                    if rev is not None else pd.DataFrame()
                why = held_edition_evidence(ind, rev, x, tier_label, lang) if len(later) else []
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


def held_edition_evidence(ind: pd.DataFrame, rev: pd.DataFrame, x, tier_label: dict[str, str], lang: str) -> list[str]:
    """The other corrections of the same edition and date whose corrected values the edition we hold
    already states (e.g. FY2021, 28 Apr 2023: GIS 23, CSIRT 45): evidence that the edition we hold
    post-dates that correction, so a value of it that differs (743 vs 808) comes from a later one."""
    from helpers.words.formats import label_map
    from helpers.words.i18n import t

    labels = label_map(lang)
    same = rev[(rev["edition"] == x.edition) & (rev["corrected_on"] == x.corrected_on) & rev["value_after"].notna()
               & ~((rev["indicator"] == x.indicator) & (rev["tier"] == x.tier))]
    items = []
    for r in same.itertuples():
        if _held_value(ind, r) == r.value_after:
            items.append(t("staffing.f.revision_why_item", lang, label=labels.get(r.indicator, r.indicator),
                           tier=tier_label.get(r.tier, r.tier), value=f"{int(r.value_after):,}"))
    return items


def _held_value(ind: pd.DataFrame, x) -> object:
    """The value the edition we hold states for a corrected figure (current, official rows)."""
    from helpers.analysis.reconcile import EDITION_SOURCE

    h = ind[(ind["indicator"] == x.indicator) & (ind["tier"] == x.tier) & (ind["as_of"] == x.as_of)
            & (ind["source"] == EDITION_SOURCE.get(x.edition)) & (ind["status"] == "current")]
    return h["count"].iloc[0] if len(h) else pd.NA


def respondent_base_caveat(r: pd.DataFrame, lang: str) -> str | None:
    """Shares this toolkit computes for a survey that did not reach every organisation (FY2023: some
    municipalities not surveyed) rest on the respondents (:func:`on_respondents`); say so, with the
    share of all organisations beside it, for every such row."""
    from helpers.words.formats import date_label, fmt_pct
    from helpers.words.i18n import t

    items = []
    for tier, alts in data.ALTERNATIVE_BASES.items():
        for base, year, why in alts:
            if why != "respondents_fy2023":
                continue
            flag = r["base_is_respondents"] if "base_is_respondents" in r else pd.Series(False, index=r.index)
            hit = r[(r["tier"] == tier) & r["rate_is_computed"] & (r["as_of"].dt.year == year) & flag.astype(bool)]
            population = data.POPULATION[tier]
            for x in hit.itertuples():
                items.append(t("staffing.respondent_item", lang, label=x.label, count=f"{int(x.count):,}",
                               base=f"{population:,}", rate=fmt_pct(100 * x.count / population),
                               rate_r=fmt_pct(100 * x.count / base)))
            if len(hit):
                date = date_label(hit["as_of"].iloc[0], bool(hit["as_of_assumed"].iloc[0]), lang)
                return t("staffing.caveat.respondents", lang, date=date, items=join_items(items, lang),
                         respondents=f"{base:,}", missing=f"{population - base:,}")
    return None
