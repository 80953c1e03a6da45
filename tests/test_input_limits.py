"""Bounded reading (helpers.loaders.input_limits): a dashboard file that no real export can be — too many
rows or columns, a sheet that unpacks to far more than its size, cells far outside the table — is
refused from its zip directory or a streamed scan, before a reader allocates it; fast and in one line."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from test_entity import MUNI_CMP, SYNTH_ROWS, synthetic_names, write_grid

from helpers.loaders import input_limits
from helpers.loaders.entity import DashboardError, load_dashboard

SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main">{dim}<sheetData>{rows}</sheetData></worksheet>')


def xlsx(path: Path, sheet_xml: str | bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal .xlsx whose first sheet is ``sheet_xml`` (written as an openpyxl workbook, sheet replaced)."""
    import io

    from openpyxl import Workbook

    buf = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "x"
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = sheet_xml.encode() if isinstance(sheet_xml, str) else sheet_xml
            dst.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return path


def refused(path: Path, pattern: str) -> str:
    t0 = time.monotonic()
    with pytest.raises(DashboardError, match=pattern) as info:
        load_dashboard(path)
    assert time.monotonic() - t0 < 5, "refused, but not early"
    assert "\n" not in str(info.value)
    return str(info.value)


def test_a_cell_far_outside_the_table_is_refused_before_reading(tmp_path):
    """One cell at XFD1048576 makes a reader allocate 16,384 x 1,048,576 cells."""
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>' \
           '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    refused(xlsx(tmp_path / "far.xlsx", SHEET.format(dim="", rows=rows)), r"reaches column 16,384")


def test_a_declared_used_range_beyond_the_limits_is_refused(tmp_path):
    sheet = SHEET.format(dim='<dimension ref="A1:C900000"/>', rows='<row r="1"><c r="A1"><v>1</v></c></row>')
    refused(xlsx(tmp_path / "dim.xlsx", sheet), r"used range reaches row 900,000")


def test_too_many_rows_in_a_sheet_are_refused(tmp_path):
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(1, input_limits.MAX_ROWS + 2))
    refused(xlsx(tmp_path / "rows.xlsx", SHEET.format(dim="", rows=rows)), rf"reaches row {input_limits.MAX_ROWS + 1}")


def test_a_member_that_unpacks_far_beyond_a_real_sheet_is_refused(tmp_path):
    """A few hundred KB on disk, over 64 MB unpacked (the issue's 3.7 MB file took 8.9 GB)."""
    big = b"<!-- " + b" " * (input_limits.MAX_MEMBER_BYTES + 10) + b" -->"
    path = xlsx(tmp_path / "bomb.xlsx", SHEET.format(dim="", rows=""), {"xl/media/pad.xml": big})
    assert path.stat().st_size < 2 * 1024 * 1024
    refused(path, r"unpacks to 64 MB; the limit is 64 MB")


def test_the_old_xls_format_is_refused(tmp_path):
    path = tmp_path / "x.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    refused(path, r"old .xls format")


def test_a_csv_of_repeated_valid_rows_is_refused(tmp_path):
    """Valid rows repeated past any export's length (the issue's 49 MB file was analysed as data)."""
    names = synthetic_names()
    path = write_grid(tmp_path / MUNI_CMP, "", names, SYNTH_ROWS * 200)
    refused(path, rf"more than {input_limits.MAX_ROWS} lines")


def test_a_csv_header_wider_than_any_export_is_refused(tmp_path):
    names = synthetic_names() + [f"x{i}" for i in range(input_limits.MAX_COLUMNS)]
    refused(write_grid(tmp_path / MUNI_CMP, "", names), r"header has [\d,]+ cells")


def test_the_real_exports_are_within_the_limits(dashboard_dir):
    for path in Path(dashboard_dir).glob("*.csv"):
        assert input_limits.problem(path) is None


def test_a_real_sized_spreadsheet_passes(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    names = synthetic_names()
    wb = openpyxl.Workbook()
    wb.active.append(["", "", *names])
    for group, label, value in SYNTH_ROWS:
        wb.active.append([group, label, *[value] * len(names)])
    path = tmp_path / "ok.xlsx"
    wb.save(path)
    assert input_limits.problem(path) is None
    assert len(load_dashboard(path)) == len(names) * len(SYNTH_ROWS)


def test_column_letters():
    assert [input_limits.column_number(c) for c in ("A", "Z", "AA", "BNM", "XFD")] == [1, 26, 27, 1729, 16384]


@pytest.mark.slow
def test_a_run_under_a_memory_cap_fails_with_one_line(tmp_path):
    """Under ``ulimit -v`` the run ends (never hangs, never aborts inside pyarrow) with one line."""
    import os
    import resource
    import subprocess
    import sys

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (600 * 1024 ** 2, 600 * 1024 ** 2))

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    res = subprocess.run([sys.executable, "-m", "helpers.runner.run", "--out", str(tmp_path / "out"), "--themes", "security",
                          "--jobs", "1"], cwd=root, env=env, preexec_fn=cap, capture_output=True, text=True, timeout=120)
    assert res.returncode in (1, 2), res.stderr[-2000:]
    assert "Traceback" not in res.stderr and "bad_alloc" not in res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    failed = [line for line in res.stdout.splitlines() if " failed " in line]
    assert len(errors) == 1 or failed, res.stderr[-2000:]


@pytest.mark.slow
def test_a_read_only_home_and_mplconfigdir_print_no_warnings(tmp_path):
    """matplotlib and IPython warn in every job and kernel when they cannot write their folders;
    the runner gives them a temp folder first, so the run prints its progress and summary only."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    unwritable = "/proc/1/no-such-home"  # cannot be created, not even by root
    env = {**os.environ, "HOME": unwritable, "MPLCONFIGDIR": unwritable + "/mpl"}
    env.pop("IPYTHONDIR", None)
    env.pop("XDG_CONFIG_HOME", None)
    res = subprocess.run([sys.executable, "-m", "helpers.runner.run", "--out", str(tmp_path / "out"), "--themes", "security"],
                         cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    noise = [line for line in res.stderr.splitlines() if not line.startswith("[")]
    assert noise == [], noise


def test_rows_without_references_are_counted(tmp_path):
    """A sheet may omit r="…" (a reader counts rows in order): the rows are counted all the same."""
    rows = "<row><c><v>1</v></c></row>" * (input_limits.MAX_ROWS + 5)
    refused(xlsx(tmp_path / "noref.xlsx", SHEET.format(dim="", rows=rows)), rf"reaches row {input_limits.MAX_ROWS + 5}")
