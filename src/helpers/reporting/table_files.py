"""Every table of a report as files a researcher can reuse: one CSV each and one workbook.

CSVs are UTF-8 with BOM so Excel opens Japanese text correctly; the workbook has one sheet per
table. Both are byte-for-byte reproducible (fixed workbook dates and zip timestamps), so an
unchanged analysis rewrites identical files.

Both are spreadsheet-safe: a text cell (or header, or caption) that a spreadsheet would read as a
formula — it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, the OWASP
CSV-injection rule — stays text: in a CSV it is written with a leading apostrophe, in the workbook
it is a text cell with Excel's quote prefix (the same apostrophe, as a cell style), so a label
taken from an input file (e.g. a procedure name ``=HYPERLINK(...)`` in a dashboard export) is never
a formula. Numbers stay
numbers; a text that is only a plain number ("-3.5", "+2%") or a lone dash placeholder ("-") is
left as it is, since no spreadsheet runs it. The markdown and HTML reports are not affected (they
escape markup themselves).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from helpers.atomic import write_bytes_atomic

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?")
_PLACEHOLDERS = frozenset({"-", "--", "+"})


def spreadsheet_safe(value: object) -> object:
    """``value`` as a spreadsheet reads it as text: a string that could start a formula gets a
    leading ``'``; anything else (numbers, NaN, safe strings) is returned unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    if value in _PLACEHOLDERS or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_frame(df: "pd.DataFrame") -> "pd.DataFrame":
    """A copy of ``df`` with every text cell and column name passed through :func:`spreadsheet_safe`
    (numeric columns untouched)."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map(spreadsheet_safe)
    out.columns = [spreadsheet_safe(c) for c in out.columns]
    return out


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _reproducible_zip(data: bytes) -> bytes:
    """The same zip with every entry dated FIXED_TIME and the workbook's 'modified' property fixed
    (openpyxl stamps the current time on both when it saves)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = datetime(*FIXED_TIME).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                body = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", body)
            dst.writestr(fixed, body)
    return out.getvalue()


def workbook_bytes(tables: Sequence[tuple[str, "pd.DataFrame"]]) -> bytes:
    """An .xlsx with one sheet per table (sheet names table_01…, the caption in the first row)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for i, (caption, df) in enumerate(tables, 1):
        ws = wb.create_sheet(f"table_{i:02d}")
        _append(ws, [caption])
        _append(ws, [str(c) for c in df.columns])
        for row in df.itertuples(index=False):
            _append(ws, [None if _missing(v) else (v.item() if hasattr(v, "item") else v) for v in row])
    wb.properties.creator = "dx-survey-toolkit"
    wb.properties.created = wb.properties.modified = datetime(*FIXED_TIME)
    buf = io.BytesIO()
    wb.save(buf)
    return _reproducible_zip(buf.getvalue())


def _append(ws, values: list) -> None:
    """Append a row; a text that could start a formula is stored as text with Excel's quote prefix
    (the workbook form of the leading apostrophe: the cell shows the text exactly and stays text
    when edited), never as a formula."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and spreadsheet_safe(cell.value) != cell.value:
            cell.data_type = "s"
            cell.quotePrefix = True


def _missing(v) -> bool:
    """None, NaN and pd.NA (a scalar check: pd.isna on a scalar returns a plain bool)."""
    import pandas as pd

    return v is None or (pd.api.types.is_scalar(v) and bool(pd.isna(v)))


def write_tables(tables: Sequence[tuple[str, "pd.DataFrame"]], folder: Path) -> list[Path]:
    """tables/table_NN.csv for each table and tables.xlsx beside the report; returns the paths."""
    if not tables:
        return []
    paths = []
    for i, (_, df) in enumerate(tables, 1):
        data = safe_frame(df).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
        paths.append(write_bytes_atomic(folder / "tables" / f"table_{i:02d}.csv", data))
    paths.append(write_bytes_atomic(folder / "tables.xlsx", workbook_bytes(tables)))
    return paths
