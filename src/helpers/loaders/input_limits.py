"""Bounded reading of a dashboard export: refuse, before parsing, a file no real export can be.

A file's size on disk does not bound the memory its parsing takes: an .xlsx is a zip whose
worksheet can inflate a thousandfold, and a spreadsheet reader allocates the sheet's whole used
range (a single cell at XFD1048576 makes it 16,384 × 1,048,576); a CSV of valid rows repeated
100,000 times is "valid" but not an export. The limits below come from the real exports (update of
2024-07-12): at most 1,741 municipality columns plus two label columns and one empty trailing
column, and 52 procedure rows plus a header (15 indicator rows in the 比較 files), given a wide
margin. Everything here reads the file in bounded chunks and imports nothing heavy, so the runner
can call it before loading pandas.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

#: Columns a real export has (1,741 municipalities + 2 label columns + 1 empty), plus a margin.
MAX_COLUMNS = 1_741 + 3 + 256
#: Rows a real export has (52 procedure rows + header), with a margin of about four times: a run on a
#: file this long stays under 2 GiB of memory (bench section 8); every extra row is kept as unmapped.
MAX_ROWS = 200
#: Largest uncompressed member of a spreadsheet zip (a real export's sheet is a few MB at most).
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: Largest total uncompressed size of a spreadsheet zip.
MAX_UNZIPPED_BYTES = 128 * 1024 * 1024
_CHUNK = 1 << 20
#: Spreadsheet files the loader accepts (as :data:`helpers.loaders.entity.XLSX_SUFFIXES`).
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})

_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")  # with or without an r="…" reference
_ANY_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_ODS_REPEAT = re.compile(rb'number-(columns|rows)-repeated="([0-9]+)"')


def column_number(letters: bytes | str) -> int:
    """'A' → 1, 'Z' → 26, 'AA' → 27 (spreadsheet column letters)."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def _shape_problem(rows: int, cols: int, where: str) -> str | None:
    if cols > MAX_COLUMNS:
        return (f"{where} reaches column {cols:,}; a dashboard export has at most {MAX_COLUMNS:,} "
                "(1,741 municipalities and a margin) — not an export, or cells far outside the table")
    if rows > MAX_ROWS:
        return (f"{where} reaches row {rows:,}; a dashboard export has at most {MAX_ROWS:,} "
                "(52 procedure rows and a margin) — not an export, or rows repeated")
    return None


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, ods: bool) -> str | None:
    """Stream one worksheet and refuse cells, rows or repeats beyond the limits (memory: one chunk)."""
    max_row = max_col = cells = rows = 0
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            if ods:
                for kind, count in _ODS_REPEAT.findall(data):
                    # a repeat of empty cells at the end of a row is how ODS pads: allowed up to the limit
                    if int(count) > (MAX_COLUMNS if kind == b"columns" else MAX_ROWS) * 16:
                        return f"{info.filename} repeats a {kind.decode()[:-1]} {int(count):,} times"
            else:
                for m in _DIMENSION.finditer(data):
                    last_col, last_row = (m[3], m[4]) if m[3] else (m[1], m[2])
                    problem = _shape_problem(int(last_row), column_number(last_col), f"{info.filename}: its used range")
                    if problem:
                        return problem
                for col, row in _CELL_REF.findall(data):
                    max_col = max(max_col, column_number(col))
                    max_row = max(max_row, int(row))
                for row in _ROW_REF.findall(data):
                    max_row = max(max_row, int(row))
                # cells and rows may also come without references (a reader then counts them in order)
                cells += len(_ANY_CELL.findall(chunk))
                rows += len(_ANY_ROW.findall(chunk))
                problem = _shape_problem(max(max_row, rows), max_col, info.filename)
                if problem:
                    return problem
                if cells > MAX_ROWS * MAX_COLUMNS:
                    return (f"{info.filename} holds over {MAX_ROWS * MAX_COLUMNS:,} cells; a dashboard export has "
                            f"at most {MAX_COLUMNS:,} columns by {MAX_ROWS:,} rows")
            tail = data[-256:]  # a tag cut between two chunks is matched in the next
    return None


def spreadsheet_problem(path: Path) -> str | None:
    """What makes a spreadsheet export too big to read safely (None if nothing), checked from its
    zip directory and a streamed scan of its sheets, before any spreadsheet reader sees it."""
    suffix = path.suffix.lower()
    if suffix == ".xls":  # the old binary format: no directory to check; real exports are not .xls
        return "the old .xls format is not read; save the file as .xlsx or UTF-8 CSV"
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        return f"cannot be read as a spreadsheet ({type(e).__name__}: {e})"
    with zf:
        infos = zf.infolist()
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_MEMBER_BYTES:
                return (f"its part {info.filename} unpacks to {info.file_size / 1024 ** 2:,.0f} MB; the limit is "
                        f"{MAX_MEMBER_BYTES // 1024 ** 2} MB (a dashboard export's sheet is a few MB)")
        if total > MAX_UNZIPPED_BYTES:
            return (f"it unpacks to {total / 1024 ** 2:,.0f} MB; the limit is {MAX_UNZIPPED_BYTES // 1024 ** 2} MB "
                    "(a dashboard export is a few MB)")
        ods = suffix == ".ods"
        sheets = [i for i in infos if (i.filename == "content.xml" if ods else
                                      re.fullmatch(r"xl/worksheets/[^/]+\.(xml|bin)", i.filename))]
        for info in sheets:
            if info.filename.endswith(".bin"):
                continue  # .xlsb: binary records; bounded by the member size above
            try:
                problem = _scan_member(zf, info, ods)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
                return f"cannot be read as a spreadsheet ({type(e).__name__}: {e})"
            if problem:
                return problem
    return None


def csv_problem(path: Path) -> str | None:
    """A CSV with more lines, or a header with more cells, than any export: refused before parsing
    (counted over the raw bytes in chunks)."""
    lines = 0
    with path.open("rb") as fh:
        first = fh.readline(16 * 1024 * 1024)
        cells = first.count(b",") + 1
        if cells > MAX_COLUMNS:
            return (f"its header has {cells:,} cells; a dashboard export has at most {MAX_COLUMNS:,} "
                    "(1,741 municipalities and a margin)")
        lines = 1
        while chunk := fh.read(_CHUNK):
            lines += chunk.count(b"\n")
            if lines > MAX_ROWS + 1:
                return (f"it has more than {MAX_ROWS:,} lines; a dashboard export has under 60 "
                        "(rows repeated, or not an export)")
    return None


def problem(path: Path) -> str | None:
    """The bounded-reading check for any dashboard file (CSV or spreadsheet)."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return spreadsheet_problem(path)
    return csv_problem(path)
