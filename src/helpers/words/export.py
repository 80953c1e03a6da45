"""How a report names the dashboard export it was built from: its data update in the report's
language, and the source-list lines of the vendored export redated to the export read."""

from __future__ import annotations

import datetime as dt

from helpers.loaders.dashboard_export import ExportInfo, _vendored_date, current
from helpers.words.i18n import day_text, t


def update_phrase(lang: str, info: ExportInfo | None = None) -> str:
    """「2024年7月12日データ更新」/ 'data update 12 Jul 2024', or 「データ更新日不明」/ 'update date not given'."""
    info = info or current()
    if not info.date:
        return t("dash.update_unknown", lang)
    return t("dash.update", lang, date=day_text(dt.date.fromisoformat(info.date), lang))


def citation(text: str, lang: str, info: ExportInfo | None = None) -> str:
    """The dashboard's source-list line with this export's date in place of the date registered for
    the vendored export (``data/sources.csv``), or the words for an unknown date."""
    info = info or current()
    registered = _vendored_date()
    if not registered or info.date == registered:
        return text
    for words in (f"データ更新 {registered}", f"data update {registered}"):
        text = text.replace(words, update_phrase(lang, info) if not info.date else words.replace(registered, info.date))
    return text.replace(registered, info.date or t("dash.update_unknown", lang))


def redate(text: str, info: ExportInfo | None = None) -> str:
    """``text`` written for the vendored export (its date as 2024-07-12 or 「2024年7月12日データ更新」) with
    the date of the export read instead — for credits and data dictionaries."""
    info = info or current()
    registered = _vendored_date()
    if not registered or info.date == registered:
        return text
    text = text.replace(update_phrase("ja", ExportInfo(None, registered, "vendored")), update_phrase("ja", info))
    return text.replace(registered, info.date or update_phrase("en", info))


def footer(lang: str, info: ExportInfo | None = None) -> str:
    """「（2025年3月14日データ更新）」 / ' (data update 14 Mar 2025)': what a figure citing the dashboard adds."""
    phrase = update_phrase(lang, info)
    return f"（{phrase}）" if lang == "ja" else f" ({phrase})"
