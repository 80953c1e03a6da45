"""Bad input given to the batch runner: one line naming the problem, exit code 2, previous reports
byte-identical (the runner loads every input before a notebook starts). Synthetic files only."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_entity import MUNI_CMP, SYNTH_ROWS, synthetic_names, write_grid

from helpers.runner import ownership
from helpers.paths import data_dir

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".staging" not in p.parts}


@pytest.fixture
def prior(tmp_path) -> Path:
    """A 'good' reports folder (content does not matter: it must come out byte-identical)."""
    out = tmp_path / "reports"
    (out / "staffing" / "figures").mkdir(parents=True)
    (out / "staffing" / "report.md").write_text("# 良いレポート\n", encoding="utf-8")
    (out / "staffing" / "figures" / "a.png").write_bytes(b"\x89PNG fake")
    (out / "README.md").write_text("# レポート一覧\n\n<!-- lang: ja -->\n", encoding="utf-8")
    (out / ownership.MANIFEST).write_bytes(ownership.manifest_bytes(
        {"README.md", "staffing/report.md", "staffing/figures/a.png"}))  # the runner's, as it would have written
    return out


def run(out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.runner.run", "--themes", "staffing", "--force", "--out", str(out), *args],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=300)


def assert_refused(res: subprocess.CompletedProcess, out: Path, before: dict, pattern: str) -> None:
    import re

    assert res.returncode == 2, res.stdout[-1500:] + res.stderr[-1500:]
    lines = [l for l in res.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert re.search(pattern, lines[0]), lines[0]
    assert "Traceback" not in res.stderr
    assert snapshot(out) == before


def _grid(folder: Path, names=None, rows=SYNTH_ROWS, name=MUNI_CMP, encoding="utf-8-sig") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_grid(folder / name, "", names or synthetic_names(), rows, encoding=encoding)


def _cut(path: Path, keep: int) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[:keep])


def _moved(folder: Path) -> None:
    names = synthetic_names()
    names.insert(names.index("横浜市"), names.pop(names.index("新潟市")))
    _grid(folder, names)


def _value(value: str):
    def make(folder: Path) -> None:
        _grid(folder, rows=[r if r[1] != "マイナンバーカードの保有状況" else (r[0], r[1], value) for r in SYNTH_ROWS])
    return make


def _mixed_xlsx(folder: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    names = synthetic_names()
    wb = openpyxl.Workbook()
    wb.active.append(["", "", *names])
    wb.active.append(["住民サービスのDX", "マイナンバーカードの保有状況", "72%", *[0.72] * (len(names) - 1)])
    folder.mkdir(parents=True)
    wb.save(folder / MUNI_CMP.replace(".csv", ".xlsx"))


def _huge(folder: Path) -> None:
    from helpers.loaders.entity import MAX_BYTES

    folder.mkdir(parents=True)
    with (folder / MUNI_CMP).open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)


def _two_candidates(folder: Path) -> None:
    _grid(folder)
    _grid(folder, name=MUNI_CMP.replace(".csv", " (1).csv"))


def _short_row(folder: Path) -> None:
    path = _grid(folder)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = ",".join(lines[2].split(",")[:-5])  # a row with fewer cells than the header
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def _far_cell_xlsx(folder: Path) -> None:
    from test_input_limits import SHEET, xlsx

    folder.mkdir(parents=True)
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    xlsx(folder / MUNI_CMP.replace(".csv", ".xlsx"), SHEET.format(dim="", rows=rows))


_DEN = "よく使う32手続のオンライン化状況_実施されている手続総数（分母）"
_NUM = "よく使う32手続のオンライン化状況_実施されている手続総数のうち「オンライン化済」と回答した手続数（分子）"


DASHBOARD_CASES = {
    "far_cell_xlsx": (_far_cell_xlsx, r"reaches column 16,384"),
    "repeated_rows_csv": (lambda f: _grid(f, rows=SYNTH_ROWS * 200), r"more than 200 lines"),
    "duplicate_indicator_row": (lambda f: _grid(f, rows=SYNTH_ROWS + SYNTH_ROWS[:1]), r"'CIOの任命' appears twice"),
    "numerator_above_denominator": (lambda f: _grid(f, rows=SYNTH_ROWS + [("住民サービスのDX", _NUM, "24")]),
                                    r"numerator '24' is above its denominator 20"),
    "negative_denominator": (lambda f: _grid(f, rows=[r if r[1] != _DEN else (r[0], r[1], "-20") for r in SYNTH_ROWS]),
                             r"'-20' — a count must be a whole number, 0 or more"),
    "utf16_bom": (lambda f: _grid(f, encoding="utf-16"), r"UTF-16 is not supported"),
    "utf16_no_bom": (lambda f: _grid(f, encoding="utf-16-le"), r"UTF-16 is not supported"),
    "cut_mid_row": (lambda f: _cut(_grid(f), -2000), r"cut short|cells where the header has"),
    "cut_mid_character": (lambda f: _cut(_grid(f, rows=SYNTH_ROWS[:1]), -2), r"middle of a character|cut short|cells"),
    "short_row": (_short_row, r"line 3 has [\d,]+ cells where the header has"),
    "moved_column": (_moved, r"found 新潟市 where 横浜市 \(14100, 神奈川県\) was expected"),
    "value_250": (_value("250%"), r"'250%' .* outside 0–100%"),
    "value_minus_20": (_value("-20%"), r"'-20%' .* outside 0–100%"),
    "value_999_9": (_value("999.9%"), r"'999.9%' .* outside 0–100%"),
    "percent_text_among_fractions": (_mixed_xlsx, r"is a bare number where the same row has percent text"),
    "two_candidate_files": (_two_candidates, r"2 files could be the 市区町村 比較 table"),
    "over_size_limit": (_huge, r"the limit is 50 MB"),
    "empty_file": (lambda f: (f.mkdir(parents=True), (f / MUNI_CMP).write_bytes(b""))[-1], r"empty"),
    "not_a_folder": (lambda f: f.parent.mkdir(parents=True, exist_ok=True) or f.write_text("x"), r"not found|not a folder"),
}


@pytest.mark.parametrize("case", DASHBOARD_CASES, ids=str)
def test_bad_dashboard_input_is_refused_and_reports_kept(case, prior, tmp_path):
    make, pattern = DASHBOARD_CASES[case]
    folder = tmp_path / "dash"
    make(folder)
    before = snapshot(prior)
    assert_refused(run(prior, "--dashboard-dir", str(folder)), prior, before, pattern)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's data (DXKIT_ROOT) to break."""
    root = tmp_path / "project"
    shutil.copytree(data_dir(), root / "data")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


NATIONAL_CASES = {
    "same_source_other_value": (lambda d: (lambda p: p.write_text(p.read_text(encoding="utf-8") + next(
        l for l in p.read_text(encoding="utf-8").splitlines(True) if ",1220,1741,70.1," in l).replace(",1220,", ",1221,"),
        encoding="utf-8"))(d / "national" / "indicators.csv"), r"same source, different value"),
    "infinite_count": (lambda d: _edit(d / "national" / "online_procedures.csv", ",130561347,73.7,", ",1e400,73.7,"),
                       r"row 2, column annual_cases: '1e400' is not a finite number"),
    "truncated_indicators": (lambda d: (lambda p: p.write_text("".join(p.read_text(encoding="utf-8").splitlines(True)[:100]),
                                                                encoding="utf-8"))(d / "national" / "indicators.csv"),
                             r"catalog id\(s\) have no row"),
    "cut_mid_row": (lambda d: (lambda p: p.write_bytes(p.read_bytes()[:-40]))(d / "national" / "indicators.csv"),
                    r"row \d+ has \d+ cells|no line break"),
    "percent_with_sign": (lambda d: _edit(d / "national" / "indicators.csv", ",1220,1741,70.1,", ",1220,1741,70.1%,"),
                          r"indicators.csv: row 3, column percent: '70.1%' is not a number"),
    "unknown_id": (lambda d: _edit(d / "national" / "indicators.csv", "cio_appointed,staffing,municipality,2021-04-01",
                                   "cio_apointed,staffing,municipality,2021-04-01"),
                   r"unknown id 'cio_apointed' \(did you mean 'cio_appointed'\?\)"),
    "schema_violation": (lambda d: _edit(d / "national" / "indicators.csv", ",1220,1741,70.1,", ",1999,1741,70.1,"),
                         r"count <= base"),
}


@pytest.mark.parametrize("case", NATIONAL_CASES, ids=str)
def test_bad_national_data_is_refused_and_reports_kept(case, project, prior):
    make, pattern = NATIONAL_CASES[case]
    make(project / "data")
    before = snapshot(prior)
    res = run(prior, "--notebooks-dir", str(ROOT / "notebooks"), env={"DXKIT_ROOT": str(project)})
    assert_refused(res, prior, before, pattern)
