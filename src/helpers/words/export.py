"""How a report names the dashboard export it was built from: its data update and survey year in the
report's language, the sentence said in place of a comparison with another survey's national figures,
and the source-list lines of the vendored export redated to the export read."""

from __future__ import annotations

import datetime as dt

from helpers.loaders import dashboard_export
from helpers.loaders.dashboard_export import ExportInfo
from helpers.words.i18n import day_text, era_fiscal_year, t


def update_phrase(lang: str, info: ExportInfo | None = None) -> str:
    """「2024年7月12日データ更新」/ 'data update 12 Jul 2024', or 「データ更新日不明」/ 'update date not given'."""
    info = info or dashboard_export.current()
    if not info.date:
        return t("dash.update_unknown", lang)
    return t("dash.update", lang, date=day_text(dt.date.fromisoformat(info.date), lang))


def survey_phrase(lang: str, info: ExportInfo | None = None, key: str = "dash.survey") -> str:
    """「令和5年度調査」/ 'FY2023 surveys' (``key`` picks another wording of it, e.g. ``dash.survey_by``),
    or 「調査年度不明」/ 'survey year not given' (``<key>_unknown``) when the export's survey year is not known."""
    info = info or dashboard_export.current()
    if info.survey_year is None:
        return t(f"{key}_unknown", lang)
    return t(key, lang, era=era_fiscal_year(info.survey_year), fy=info.survey_year)


def not_compared(lang: str, info: ExportInfo | None = None) -> str:
    """The one sentence a section says in place of a comparison with the registered survey's national
    figures, for an export of another (or an unknown) survey year."""
    info = info or dashboard_export.current()
    registered = dashboard_export.registered_survey_year()
    if registered is None:
        return t("export.not_compared_none", lang)
    reg = {"reg_era": era_fiscal_year(registered), "reg_fy": registered}
    if info.survey_year is None:
        return t("export.not_compared_unknown", lang, **reg)
    return t("export.not_compared", lang, survey=survey_phrase(lang, info, "dash.survey_one"), **reg)


def citation(text: str, lang: str, info: ExportInfo | None = None) -> str:
    """The dashboard's source-list line with this export's date in place of the date registered for
    the vendored export (``data/sources.csv``), or the words for an unknown date."""
    info = info or dashboard_export.current()
    registered = dashboard_export._vendored_date()
    if not registered or info.date == registered:
        return text
    for words in (f"データ更新 {registered}", f"data update {registered}"):
        text = text.replace(words, update_phrase(lang, info) if not info.date else words.replace(registered, info.date))
    return text.replace(registered, info.date or t("dash.update_unknown", lang))


def redate(text: str, info: ExportInfo | None = None) -> str:
    """``text`` written for the vendored export (its date as 2024-07-12 or 「2024年7月12日データ更新」,
    its survey year as 「令和5年度調査」 or 'FY2023 surveys') with the date and survey year of the export
    read instead — for credits and data dictionaries."""
    info = info or dashboard_export.current()
    registered, year = dashboard_export._vendored_date(), dashboard_export.registered_survey_year()
    if year is not None and info.survey_year != year:
        vendored = ExportInfo(None, None, "vendored", year, "vendored")
        for lang in ("ja", "en"):
            for key in ("dash.survey_by", "dash.survey"):  # the longer wording first
                text = text.replace(survey_phrase(lang, vendored, key), survey_phrase(lang, info, key))
    if not registered or info.date == registered:
        return text
    old = day_text(dt.date.fromisoformat(registered), "ja")
    text = text.replace(f"{old}データ更新", update_phrase("ja", info))
    # the date alone (「2024年7月12日、総務省の…」)
    text = text.replace(old, day_text(dt.date.fromisoformat(info.date), "ja") if info.date else update_phrase("ja", info))
    return text.replace(registered, info.date or update_phrase("en", info))


def footer(lang: str, info: ExportInfo | None = None) -> str:
    """「（2025年3月14日データ更新）」 / ' (data update 14 Mar 2025)': what a figure citing the dashboard adds."""
    phrase = update_phrase(lang, info)
    return f"（{phrase}）" if lang == "ja" else f" ({phrase})"


def settlement_phrase(lang: str) -> str:
    """Which settlement the finance columns hold, against the export's survey year: 「令和5年度調査の前で最新」
    / 'the latest before the FY2023 survey', or 「手元にある最新」 / 'the latest held' when the survey year
    is not known (or the settlement is not before it)."""
    from helpers.loaders import finance

    year = dashboard_export.current().survey_year
    if year is None or finance.YEARS[finance.LATEST][0] >= year:
        return t("export.finance_latest", lang)
    return t("export.finance_before", lang, survey=survey_phrase(lang, key="dash.survey_one"))
