"""Sentences and reader tables about the dashboard's per-entity data, from the frames of
:mod:`helpers.analysis.entity_stats`: the inferred AI/RPA reference date and its evidence, the
export's date, items a later export lacks, who was not surveyed and why, and the per-prefecture
table (phrases in :mod:`helpers.words.i18n` and :mod:`helpers.words.catalog`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


# ------------------------------------------------------------------ the AI/RPA reference date

def _evidence_items(ev: "pd.DataFrame", lang: str) -> str:
    from helpers.words.formats import fmt_number, fmt_pct
    from helpers.words.i18n import t

    items = []
    for ind, g in ev.groupby("indicator", sort=False):
        parts = [t("uptake.date.share", lang, scope=t(f"uptake.date.scope.{r['scope']}", lang),
                   count=t("uptake.count_of", lang, count=fmt_number(r["yes"]), base=fmt_number(r["surveyed"])),
                   rate=fmt_pct(r["rate"]), pub=f"{r['published_percent']:.0f}%") for r in g.to_dict("records")]
        items.append(t("uptake.date.item", lang, name=t(f"uptake.name.{ind}", lang), parts=("、" if lang == "ja" else ", ").join(parts)))
    return ("；" if lang == "ja" else "; ").join(items)


def date_evidence_text(ev: "pd.DataFrame", lang: str, ref: str = "") -> str:
    """The inference of the dashboard's AI/RPA reference date with its evidence, every count and
    share computed from the export (:func:`helpers.analysis.entity_stats.ai_rpa_date_evidence`);
    says so when the shares disagree, and that no comparison is made for an export of another survey
    (no evidence rows)."""
    import pandas as pd

    from helpers.analysis.entity_stats import inferred_dates
    from helpers.words.export import not_compared
    from helpers.words.i18n import date_text, t

    if ev.empty:
        return t("uptake.date.none_stated", lang) + (" " if lang == "en" else "") + not_compared(lang)
    when = pd.Timestamp(ev["as_of"].iloc[0])
    key = "uptake.date.inferred" if len(inferred_dates(ev)) == ev["indicator"].nunique() else "uptake.date.not_inferred"
    return t(key, lang, date=date_text(when, lang, as_of=True), date_plain=date_text(when, lang),
             ref=ref, items=_evidence_items(ev, lang))


def date_evidence_short(ev: "pd.DataFrame", lang: str, ref: str = "", ref2: str = "") -> str:
    """One caveat line for the municipal report and the profiles: the inferred AI/RPA date and the
    two shares it rests on (other municipalities), or that no date is inferred; for an export of
    another survey that no comparison is made."""
    from helpers.analysis.entity_stats import compared, inferred_dates, survey_date
    from helpers.words.export import not_compared
    from helpers.words.formats import fmt_pct
    from helpers.words.i18n import date_text, t

    if not compared():
        return t("uptake.date.none_stated", lang) + (" " if lang == "en" else "") + not_compared(lang)
    survey = date_text(survey_date(), lang, as_of=True)
    dates = inferred_dates(ev)
    if not {"ai", "rpa"} <= set(dates):
        return t("uptake.date.short_none", lang, survey=survey, ref2=ref2)
    other = ev[ev["scope"] == "other_municipality"].set_index("indicator")
    return t("uptake.date.short", lang, date=date_text(dates["ai"], lang, as_of=True), date_plain=date_text(dates["ai"], lang),
             ai=fmt_pct(other.loc["ai", "rate"]), rpa=fmt_pct(other.loc["rpa", "rate"]), ref=ref, ref2=ref2, survey=survey)


# ------------------------------------------------------------------ the export's date and items

def date_or_unknown(ts, lang: str, **kw) -> str:
    """A date in the report's language, or 「日付不明（データ更新日不明）」 when the export's date is unknown."""
    import pandas as pd

    from helpers.words.i18n import date_text, t

    return date_text(pd.Timestamp(ts), lang, **kw) if pd.notna(ts) else t("dash.date_unknown", lang)


def update_phrase(ts, lang: str) -> str:
    """「2024年7月12日データ更新」 / 'data update 12 Jul 2024', or the words for an unknown update
    (``ts``: :func:`helpers.analysis.entity_stats.dashboard_update`; worded by
    :func:`helpers.words.export.update_phrase`)."""
    import pandas as pd

    from helpers.loaders.dashboard_export import ExportInfo
    from helpers.words import export

    date = pd.Timestamp(ts).date().isoformat() if pd.notna(ts) else None
    return export.update_phrase(lang, ExportInfo(None, date, "given"))


def missing_text(frame: "pd.DataFrame | None", ids, lang: str) -> str:
    """「このエクスポートにない項目：…」 for the ids a section needs and the export lacks
    (:func:`helpers.analysis.entity_stats.absent`); '' when none."""
    from helpers.analysis.entity_stats import absent
    from helpers.words.i18n import t

    gone = absent(frame, ids)
    if not gone:
        return ""
    names = indicator_names(lang)
    return t("export.missing", lang, items=("、" if lang == "ja" else ", ").join(names.get(i, i) for i in gone))


def indicator_names(lang: str) -> dict[str, str]:
    """Labels of every dashboard id in ``lang``: the catalog's where the id is a national indicator,
    else the dashboard's own item (``dash.<id>`` in i18n)."""
    from helpers.loaders import entity
    from helpers.words.formats import label_map
    from helpers.words.i18n import TEXT, t

    names = label_map(lang)
    for label, ident in entity.INDICATORS.items():
        if ident not in names:
            names[ident] = t(f"dash.{ident}", lang) if f"dash.{ident}" in TEXT else label
    return names


def in_sentence(label: str) -> str:
    """An English label as it reads inside a sentence: lower-case first letter unless the first word
    is an acronym ("Staff development" → "staff development", "CIO appointed" unchanged)."""
    first = label.split(" ", 1)[0]
    return label if len(first) > 1 and first[1].isupper() or first[:1].isdigit() else label[:1].lower() + label[1:]


# ------------------------------------------------------------------ per prefecture

def prefecture_table(counts: "pd.DataFrame", ids: list[str], names: dict[str, str], lang: str) -> "pd.DataFrame":
    """Per prefecture: for each measure, the rate with 'yes / surveyed' (from
    :func:`helpers.analysis.entity_stats.prefecture_counts`)."""
    import pandas as pd

    from helpers.words.formats import fmt_pct
    from helpers.words.i18n import t

    by_code = counts.drop_duplicates("pref_code").set_index("pref_code")
    out = pd.DataFrame({t("entity.col.prefecture", lang): by_code["prefecture_ja" if lang == "ja" else "prefecture_en"]})
    for ind in ids:
        c = counts[counts["indicator"] == ind].set_index("pref_code")
        out[names.get(ind, ind)] = [f"{fmt_pct(r['rate'])} ({int(r['yes'])}/{int(r['surveyed'])})"
                                    for r in c.reindex(out.index).to_dict("records")]
    return out.reset_index(drop=True)


def not_surveyed_context(pref_code: str, pref_name: str, codes: Iterable[str], lang: str, ref: str = "",
                         answered: int | None = None) -> str:
    """Why the prefecture's municipalities were not surveyed (where a source says, cited by ``ref``;
    :data:`helpers.analysis.entity_stats.NOT_SURVEYED_REASON`), whether they include its most
    populous municipality, and — given ``answered`` — that its shares and ranks on those items rest
    on the others only."""
    from helpers.analysis.entity_stats import NOT_SURVEYED_REASON, compared, largest_left_out, survey_date
    from helpers.words.formats import fmt_number
    from helpers.words.i18n import date_text, t

    out = []
    reason = NOT_SURVEYED_REASON.get(pref_code) if compared() else None  # the reason a source gives for that survey
    if reason:
        out.append(t(f"entity.ns.reason.{reason}", lang, pref=pref_name, ref=ref, date=date_text(survey_date(), lang, as_of=True)))
    big = largest_left_out(codes).get(pref_code)
    if big:
        name = big["name"] if lang == "ja" else f"{big['name']} ({big['code5']})"
        out.append(t("entity.ns.largest", lang, pref=pref_name, name=name, pop=fmt_number(big["population"])))
        if answered is not None:
            out.append(t("entity.ns.partial", lang, pref=pref_name, name=name, m=fmt_number(answered)))
    return (" " if lang == "en" else "").join(out)


def not_surveyed_note(counts: "pd.DataFrame", ids: list[str], names: dict[str, str], lang: str,
                      respondents: int | None = None, muni: "pd.DataFrame | None" = None, ref: str = "") -> str:
    """Which municipalities the dashboard marks 調査無し, per prefecture, and whether the measures
    ``ids`` are affected (their denominators then leave those municipalities out). ``counts`` is
    :func:`helpers.analysis.entity_stats.prefecture_counts`. With ``muni`` (the municipal frame)
    each prefecture's note adds why (cited by ``ref``) and whether its most populous municipality is
    among them (:func:`not_surveyed_context`)."""
    from helpers.words.formats import fmt_number
    from helpers.words.i18n import t

    def joined(items: list[str]) -> str:
        # one case for every name inside an English sentence ("Staff development" → "staff development"; "CIO" kept)
        return "・".join(items) if lang == "ja" else ", ".join(in_sentence(x) for x in items)

    codes = set(muni.loc[muni["not_surveyed"].astype(bool), "code5"]) if muni is not None else set()
    out = []
    for code, g in counts[counts["not_surveyed_any_item"] > 0].groupby("pref_code", sort=True):
        pref = g["prefecture_ja" if lang == "ja" else "prefecture_en"].iloc[0]
        hit = g[g["indicator"].isin(ids) & (g["not_surveyed"] > 0)]
        if len(hit):
            out.append(t("entity.not_surveyed.hit", lang, prefecture=pref, n=int(hit["not_surveyed"].max()),
                         names=joined([names.get(i, i) for i in dict.fromkeys(hit["indicator"])])))
            answered = int(hit["surveyed"].min())
        else:
            resp = t("entity.not_surveyed.respondents", lang, n=fmt_number(respondents)) if respondents else ""
            out.append(t("entity.not_surveyed.other", lang, prefecture=pref, n=int(g["not_surveyed_any_item"].max()),
                         names=joined([names.get(i, i) for i in ids]), respondents=resp))
            answered = None
        if codes:
            ctx = not_surveyed_context(code, pref, codes, lang, ref=ref, answered=answered)
            if ctx:
                out.append(ctx)
    return " ".join(out) if lang == "en" else "".join(out)
