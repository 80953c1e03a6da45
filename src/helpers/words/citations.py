"""A report's words for where its numbers come from: the source-list line of each source, and the
audit's reason for a flagged figure, in the report's language."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.loaders.data import CORRECTED_EDITIONS, POPULATION, load_sources
from helpers.words.i18n import t


def source_citation(key: str, lang: str = "ja", folder: Path | None = None) -> str:
    """One line naming a source for a report's numbered list (secondary sources say so).

    English lines give the publisher and title in English, with the original title as published."""
    s = load_sources(folder).set_index("key").loc[key]
    url = f" {s['url']}" if s["url"] else ""
    corrected = t("source.corrected_edition", lang) if key in CORRECTED_EDITIONS else ""
    if lang == "en":
        secondary = " (secondary source)" if s["kind"] == "secondary" else ""
        when = f", {s['published']}" if s["published"] else ""  # a data set without a known publication date
        return f"{s['publisher_en']}, \u201c{s['title_en']}\u201d (original title: 「{s['title']}」){when}{corrected}{secondary}{url}"
    secondary = "（二次資料）" if s["kind"] == "secondary" else ""
    when = f"({s['published']}{corrected})" if s["published"] or corrected else ""
    return f"{s['publisher']}「{s['title']}」{when}{secondary}{url}"


def audit_explanation(row: dict | pd.Series, lang: str = "en") -> str:
    """The audit's reason for one flagged row, in ``lang`` (built from the row's reason code)."""
    n = lambda v: f"{int(v):,}"  # noqa: E731
    reason = row["reason"]
    if reason == "alt_base":
        return t("audit.alt_base", lang, percent=f"{row['percent']:g}%", count=n(row["count"]), alt=n(row["alt_base"]),
                 why=t(f"audit.why.{row['alt_why']}", lang, alt=n(row["alt_base"]),
                       missing=n(POPULATION[row["tier"]] - row["alt_base"])), base=n(row["base"]))
    if reason == "count_is_base":
        return t("audit.count_is_base", lang, count=n(row["count"]), percent=f"{row['percent']:g}%",
                 why=t(f"audit.why.{row['alt_why']}", lang, alt=n(row["alt_base"]),
                       missing=n(POPULATION[row["tier"]] - row["alt_base"])),
                 implied=n(round(float(row["percent"]) * float(row["count"]) / 100)))
    if reason == "misprint":
        return t("audit.misprint", lang, count=n(row["count"]), base=n(row["base"]),
                 recomputed=f"{row['recomputed_percent']:.1f}%", percent=f"{row['percent']:g}%")
    if reason in ("count_above_population", "base_above_population"):
        col = reason.split("_")[0]
        return t("audit.above_population", lang, what=t(f"audit.what.{col}", lang), value=n(row[col]),
                 population=n(POPULATION[row["tier"]]))
    if reason == "sources_disagree":
        return t("audit.disagree", lang, others=row["others"])
    if reason == "same_source_differs":
        return t("audit.same_source", lang, others=row["others"])
    raise ValueError(f"unknown audit reason {reason!r}")


def with_explanations(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The audit's flags (:func:`helpers.loaders.data.audit`) with an ``explanation`` column in ``lang``."""
    return flags.assign(explanation=[audit_explanation(r, lang) for r in flags.to_dict("records")])
