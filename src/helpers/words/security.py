"""The security report's sentences, notes and reader tables, from the frames of
:mod:`helpers.analysis.security` (phrases in :mod:`helpers.words.catalog.security`).

Every function takes the analysis frames as they are (control ids, tiers, dates, rates); control
labels and dates as text are added here."""

from __future__ import annotations

from typing import Callable, Iterable

import pandas as pd

from helpers.analysis import security
from helpers.words.formats import fmt_number, fmt_pct, label_map
from helpers.words.i18n import date_text, t


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


def date_headings(ctrl: pd.DataFrame, lang: str) -> dict:
    """Every reference date of ``ctrl`` (in time order) → its heading (:func:`date_heading`)."""
    return {d: date_heading(ctrl, d, lang) for d in sorted(ctrl["as_of"].unique())}


def _and(lang: str) -> str:
    return "、" if lang == "ja" else "; "


def _space(lang: str) -> str:
    """Between two sentences of a paragraph: nothing in Japanese, a space in English."""
    return " " if lang == "en" else ""


# ------------------------------------------------------------------------------ sources

def source_line(keys: Iterable[str], lang: str, ref: Callable[[str], str]) -> str:
    """The source note of a table: each source's number in the report's list (``ref(key)``, e.g. a
    report's ``rep.ref``) and its publisher in the report's language, with the year where one
    publisher has several sources, secondary sources marked."""
    from helpers.loaders import dashboard_export, data
    from helpers.words.export import footer

    src = data.load_sources().set_index("key")
    col = "publisher_en" if lang == "en" else "publisher"
    parts = []
    for key in dict.fromkeys(k for k in keys if isinstance(k, str) and k):
        secondary = src.loc[key, "kind"] == "secondary"
        published = src.loc[key, "published"]
        year = str(published)[:4] if isinstance(published, str) and published else ""
        if key == dashboard_export.KEY:  # the export's own date
            name = src.loc[key, col] + footer(lang)
        elif year:  # the year tells two sources of one publisher apart ([1] MIC (2021), [4] MIC (2024))
            name = t("report.fig_source_secondary" if secondary else "report.fig_source", lang,
                     publisher=src.loc[key, col], year=year)
        else:
            name = src.loc[key, col] + (t("secondary_mark", lang) if secondary else "")
        parts.append(f"{ref(key)} {name}")
    return t("source_prefix", lang) + _and(lang).join(parts)


# ------------------------------------------------------------------------------ tables

def _cell(r: dict, lang: str, flagged: bool = False) -> str:
    text = fmt_pct(r["rate"]) + ("*" if r["rate_is_computed"] else "")
    if pd.notna(r["count"]):
        text += t("security.cell_count", lang, count=fmt_number(int(r["count"])))
    return text + ("†" if flagged else "")


def control_table(ctrl: pd.DataFrame, tiers: list[str], tier_label: dict[str, str], lang: str,
                  flagged: set = frozenset()) -> pd.DataFrame:
    """One row per control and tier, one column per reference date: 「92.7%（1,614団体）」, a
    computed rate marked *, a row whose published figures contradict each other marked † (``flagged``),
    and 「—」 where the control was not measured for that tier and date."""
    dates = sorted(ctrl["as_of"].unique())
    heads = {d: date_heading(ctrl, d, lang) for d in dates}
    cells = {(r["indicator"], r["tier"], r["as_of"]): _cell(r, lang, (r["indicator"], r["tier"], pd.Timestamp(r["as_of"])) in flagged)
             for r in ctrl.to_dict("records")}
    labels = label_map(lang)
    rows = []
    for ind in security.in_display_order(ctrl["indicator"]):
        for tier in [tr for tr in security.TIERS if tr in tiers]:
            if not any((ind, tier, d) in cells for d in dates):
                continue
            rows.append({t("security.col.control", lang): labels[ind], t("security.col.tier", lang): tier_label[tier],
                         **{heads[d]: cells.get((ind, tier, d), "—") for d in dates}})
    return pd.DataFrame(rows)


def base_text(ctrl: pd.DataFrame, tier_label: dict[str, str], lang: str) -> str:
    """The bases of the rates in the table, per tier, from the data: 「母数：都道府県47、市区町村1,741」."""
    parts = []
    for tier in [tr for tr in security.TIERS if tr in set(ctrl["tier"])]:
        bases = sorted({int(b) for b in ctrl.loc[ctrl["tier"] == tier, "base"].dropna()})
        parts.append(t("security.base_item", lang, tier=tier_word(tier, lang) if lang == "en" else tier_label[tier],
                       bases="・".join(fmt_number(b) for b in bases) if lang == "ja"
                       else " or ".join(fmt_number(b) for b in bases)))
    return t("security.bases", lang, items=_and(lang).join(parts))


def table_note(published: pd.DataFrame, flagged: pd.DataFrame, tier_label: dict[str, str], lang: str,
               ref: Callable[[str], str]) -> str:
    """The paragraph above the control table: what its marks mean, the bases of its shares, the
    contradicting rows' mark (where the audit flags any, ``flagged``) and its sources (``ref``)."""
    text = t("security.text.table_note", lang, bases=base_text(published, tier_label, lang)) + _space(lang)
    if len(flagged):
        text += t("security.text.flag_note", lang) + _space(lang)
    return text + source_line(published["source"], lang, ref)


def index_definition(common: pd.DataFrame, headings: dict, tier_label: dict[str, str], lang: str) -> str:
    """What the common-control mean is, and which controls it leaves out, per date and tier
    (``common``: :func:`security.common_controls`; ``headings``: :func:`date_headings`)."""
    labels = label_map(lang)
    only = []
    for r in common.to_dict("records"):
        for tr in security.TIERS:
            if r[f"only_{tr}"]:
                only.append(t("security.only_item", lang, date=headings[r["as_of"]], tier=tier_label[tr],
                              controls=("、" if lang == "ja" else ", ").join(labels[c] for c in r[f"only_{tr}"])))
    return t("security.text.index_def", lang, only=("；" if lang == "ja" else "; ").join(only) or t("security.none", lang))


def index_table(idx: pd.DataFrame, tier_label: dict[str, str], tiers: list[str], lang: str) -> pd.DataFrame:
    """The common-control comparison as a reader sees it: date, N, the controls, each tier's mean, gap."""
    labels = label_map(lang)
    rows = []
    for r in idx.to_dict("records"):
        row = {t("security.col.date", lang): when(r["as_of"], r["as_of_assumed"], lang)
               + (t("secondary_mark", lang) if r["secondary"] else ""),
               t("security.col.n", lang): r["n"],
               t("security.col.controls", lang): _and(lang).join(labels[c] for c in r["controls"])}
        for tr in security.TIERS:
            if tr in tiers:
                row[tier_label[tr]] = fmt_pct(r[f"mean_{tr}"])
        if all(tr in tiers for tr in security.TIERS):
            row["gap_pp"] = r["gap_pp"]
        rows.append(row)
    return pd.DataFrame(rows)


def gap_note(skipped: list, headings: dict, lang: str) -> str:
    """The paragraph above the gap chart: hatched rows, and the dates left out (``skipped``:
    :func:`security.dates_without_gap`)."""
    text = t("security.text.gap_note", lang)
    if skipped:
        text += _space(lang) + t("security.text.gap_skip", lang, dates=_and(lang).join(headings[d] for d in skipped))
    return text


def changes_table(chg: pd.DataFrame, ctrl: pd.DataFrame, flagged: set, tier_label: dict[str, str],
                  lang: str) -> pd.DataFrame:
    """Changes within one series (``common.changes``) with both dates as text; rows whose published
    figures contradict themselves (audit) are marked."""
    assumed = set(ctrl.loc[ctrl["as_of_assumed"].astype(bool), "as_of"])
    secondary = set(ctrl.loc[ctrl["secondary"], "as_of"])
    labels = label_map(lang)
    rows = []
    order = {c: i for i, c in enumerate(security.CONTROLS)}
    chg = chg.assign(_o=chg["indicator"].map(order)).sort_values(["_o", "tier", "as_of"])

    def d(x):
        return when(x, x in assumed, lang) + (t("secondary_mark", lang) if x in secondary else "")

    colon = "：" if lang == "ja" else ": "
    for r in chg.to_dict("records"):
        mark = ("prev" if (r["indicator"], r["tier"], r["prev_as_of"]) in flagged else "") or \
               ("cur" if (r["indicator"], r["tier"], r["as_of"]) in flagged else "")
        rows.append({t("security.col.control", lang): labels[r["indicator"]], t("security.col.tier", lang): tier_label[r["tier"]],
                     t("security.col.from", lang): f"{d(r['prev_as_of'])}{colon}{fmt_pct(r['prev_rate'])}",
                     t("security.col.to", lang): f"{d(r['as_of'])}{colon}{fmt_pct(r['rate'])}",
                     "change_pp": r["change_pp"],
                     t("security.col.flag", lang): t("security.flagged", lang) if mark else ""})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ findings

def _n(count, base, lang: str) -> str:
    if pd.notna(count) and pd.notna(base):
        return t("security.count_of", lang, count=fmt_number(int(count)), base=fmt_number(int(base)))
    return ""


def index_sentences(idx: pd.DataFrame, lang: str) -> list[str]:
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
    labels = label_map(lang)
    out = []
    both = gaps.dropna(subset=["gap_pp"])
    for as_of, g in both.groupby("as_of", sort=True):
        r = g.sort_values(["gap_pp", "indicator"], ascending=[False, True]).iloc[0]
        out.append(t("security.f.gap", lang, date=when(as_of, r["as_of_assumed"], lang, prose=True),
                     secondary=t("secondary_mark", lang) if r["secondary"] else "", label=labels[r["indicator"]],
                     n_both=len(g), gap=f"{r['gap_pp']:+.1f}",
                     p=fmt_pct(r["rate_prefecture"]), p_n=_n(r["count_prefecture"], r["base_prefecture"], lang),
                     m=fmt_pct(r["rate_municipality"]), m_n=_n(r["count_municipality"], r["base_municipality"], lang)))
    return out


def lowest_sentence(ctrl: pd.DataFrame, lang: str) -> list[str]:
    """The least implemented control among municipalities at the date with the most controls measured."""
    muni = ctrl[ctrl["tier"] == "municipality"]
    if muni.empty:
        return []
    date = security.richest_date(muni)
    snap = muni[muni["as_of"] == date]
    low = snap.nsmallest(1, "rate").iloc[0]
    return [sentence(t("security.f.lowest", lang, date=when(date, low["as_of_assumed"], lang, prose=True),
                       n_controls=len(snap), label=label_map(lang)[low["indicator"]], rate=fmt_pct(low["rate"]),
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

    return [t("security.f.change", lang, label=label_map(lang)[r["indicator"]], prev_date=d(prev, r["prev_as_of"]),
              prev=fmt_pct(r["prev_rate"]), prev_n=_n(prev["count"], prev["base"], lang), date=d(cur, r["as_of"]),
              rate=fmt_pct(r["rate"]), n=_n(cur["count"], cur["base"], lang), pp=f"{r['change_pp']:+.1f}")]


def general_caveats(ctrl: pd.DataFrame, lang: str) -> list[str]:
    """The caveat every security report ends with where a secondary source is used."""
    return [t("report.secondary", lang)] if ctrl["secondary"].any() else []


def dashboard_note(dashboard_dir, lang: str) -> str:
    """Why the security report has no per-entity section (the dashboard has no security items)."""
    return t("report.no_dashboard", lang) if not dashboard_dir else t("security.no_dashboard_rows", lang)
