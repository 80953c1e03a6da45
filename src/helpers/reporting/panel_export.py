"""The municipal panel written for readers: parquet (long), CSV (wide, spreadsheet-safe) and a data
dictionary in the report folder's language. The panel itself is built by :mod:`helpers.loaders.panel`."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from helpers.atomic import write_bytes_atomic, write_text_atomic
from helpers.loaders.dashboard_labels import UNMAPPED_PREFIX
from helpers.loaders.panel import (COLUMN_DOCS, CREDITS, FINANCE_UNITS, SIZE_CLASS_LABELS, SIZE_CLASSES, STATUSES,
                                   indicator_table, load_panel, wide_panel, with_finance, with_finance_long)
from helpers.reporting.table_files import safe_frame
from helpers.words.export import redate, settlement_phrase
from helpers.words.i18n import t


def _finance_dictionary(lang: str) -> list[str]:
    """The finance part of the data dictionary, in the report's language."""
    from helpers.loaders import finance

    fy, era = finance.YEARS[finance.LATEST][0], finance.YEARS[finance.LATEST][1]
    lines = ["", t("panel.fin.h", lang), "", t("panel.fin.intro", lang, era=era, fy=fy),
             "", t("panel.dict.h.finance_row", lang), "|---|---|---|"]
    latest = settlement_phrase(lang)  # 「令和5年度調査の前で最新」: against the export's survey year
    lines += [f"| {c} | {t(f'panel.fin.{c}', lang, latest=latest)} | {u} |" for c, u in FINANCE_UNITS.items()]
    lines += ["", f"| fiscal_capacity_basis | {t('panel.dict.meaning', lang)} |", "|---|---|"]
    lines += [f"| {k} | {t(f'panel.fin.basis.{k}', lang)} |" for k in finance.FISCAL_CAPACITY_BASES]
    lines += ["", f"| future_burden_status | {t('panel.dict.meaning', lang)} |", "|---|---|"]
    lines += [f"| {k} | {t(f'panel.fin.status.{k}', lang)} |" for k in finance.FUTURE_BURDEN_STATUSES]
    return lines


def _credits() -> list[str]:
    return [redate(c) for c in CREDITS]


def dictionary_markdown(long: pd.DataFrame, lang: str = "en") -> str:
    """The data dictionary of an exported panel in ``lang`` (one language per report folder):
    columns, statuses, size classes, indicators."""
    lines = [t("panel.dict.title", lang), "",
             t("panel.dict.intro", lang, n=f"{long['code5'].nunique():,}", k=long["indicator"].nunique(),
               rows=f"{len(long):,}"),
             "", t("panel.dict.credits", lang, items=("、" if lang == "ja" else "; ").join(_credits())),
             "", t("panel.dict.h.columns", lang), "", t("panel.dict.h.columns_row", lang), "|---|---|---|---|"]
    lines += [f"| {c} | {t(f'panel.col.{c}', lang)} | {u} | {redate(t(f'panel.src.{c}', lang))} |" for c, (_m, u, _s) in COLUMN_DOCS.items()]
    lines += ["", "## status", "", t("panel.dict.h.status_row", lang), "|---|---|"]
    lines += [f"| {k} | {t(f'panel.status.{k}', lang)} |" for k in STATUSES]
    lines += ["", "## size_class", "", f"| size_class | {'区分' if lang == 'ja' else 'label'} |", "|---|---|"]
    lines += [f"| {k} | {SIZE_CLASS_LABELS[lang][k]} |" for k in SIZE_CLASSES]
    present = set(long["indicator"])
    table = indicator_table()
    lines += ["", t("panel.dict.h.indicators", lang), "", t("panel.dict.h.indicators_row", lang), "|---|---|---|---|"]
    lines += [f"| {r.indicator} | {r.label_ja} | {r.unit} | {r.file} |"
              for r in table.itertuples(index=False) if r.indicator in present]
    units_of = long.drop_duplicates("indicator").set_index("indicator")["unit"]
    lines += [f"| {i} | {t('panel.dict.unmapped', lang, label=i.removeprefix(UNMAPPED_PREFIX))} | {units_of[i]} | |"
              for i in present if str(i).startswith(UNMAPPED_PREFIX)]
    gone = sorted(set(long.loc[long["status"] == "not_in_export", "indicator"]))
    if gone:
        lines += ["", t("panel.dict.not_in_export", lang, items=", ".join(gone))]
    lines += _finance_dictionary(lang)
    return "\n".join(lines) + "\n"


def export_panel(out_dir: str | Path, long: pd.DataFrame | None = None,
                 dashboard_dir: str | Path | None = None, *, lang: str) -> dict[str, Path]:
    """Write the panel two ways plus its dictionary: ``municipal_panel.parquet`` is the tidy long panel
    (one row per municipality × indicator, typed, with status, then the municipality's finance
    columns); ``municipal_panel.csv`` the wide view
    (one row per municipality, one column per indicator, then the finance columns; UTF-8 with BOM for Excel) — the long panel as
    CSV would be ~12 MB of repeated municipality columns. ``lang`` (no default) is the language of
    the report folder the dictionary goes into: one language per folder."""
    out = Path(out_dir)
    long = load_panel(dashboard_dir) if long is None else long
    text = safe_frame(with_finance(wide_panel(long))).to_csv(index=False, lineterminator="\n")  # no label read as a formula
    paths = {"csv": out / "municipal_panel.csv", "parquet": out / "municipal_panel.parquet",
             "dictionary": out / "municipal_panel_dictionary.md"}
    write_bytes_atomic(paths["csv"], text.encode("utf-8-sig"))
    buf = io.BytesIO()
    with_finance_long(long).to_parquet(buf, index=False, engine="pyarrow")
    write_bytes_atomic(paths["parquet"], buf.getvalue())
    write_text_atomic(paths["dictionary"], dictionary_markdown(long, lang))
    return paths
