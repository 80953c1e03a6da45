"""A newer dashboard export (docs/newer-dashboard-export.md): the layout as data, unknown rows kept as
unmapped, missing rows named, the export's own date, all-or-nothing batches and the run record.

The last test follows the document with a made-up next release (``tests/next_release.py``): one
indicator added, one dropped, one procedure added, another date — every theme must be ``ok``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import next_release
from helpers.loaders import dashboard_export, dashboard_labels, entity, panel
from helpers.reporting import panel_export
from helpers.words import export as export_words
from helpers.paths import data_dir

ROOT = Path(__file__).resolve().parents[1]
VENDORED = data_dir() / "external" / "dashboard"
ENV = {**os.environ, "MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"}
MUNI_CMP = "市区町村毎のDX進捗状況_市区町村比較.csv"
MUNI_RATES = "市区町村毎のDX進捗状況_行政手続のオンライン申請率.csv"
PREF_CMP = "都道府県のDX進捗状況_都道府県比較.csv"
PREF_RATES = "都道府県のDX進捗状況_行政手続のオンライン申請率.csv"


@pytest.fixture(autouse=True)
def _vendored_export():
    """Each test starts with the vendored export as this process's export (as outside a notebook)."""
    dashboard_export._current = None
    yield
    dashboard_export._current = None


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    return next_release.write_rows(path, rows, lineterminator="\n")


rows_of = next_release.rows_of


# ------------------------------------------------------------------------------ the layout file

def test_layout_maps_every_row_of_the_vendored_export():
    known = dashboard_labels.comparison_labels()
    groups, procs = dashboard_labels.rate_groups(), dashboard_labels.procedures()
    for name in (MUNI_CMP, PREF_CMP):
        for r in rows_of(VENDORED / name)[1:]:
            assert r[1].strip() in known, r[1]
    for name in (MUNI_RATES, PREF_RATES):
        for r in rows_of(VENDORED / name)[1:]:
            assert (groups[r[0]], r[1].strip()) in procs, r[1]
    assert len(dashboard_labels.BINARY) == 10 and len(dashboard_labels.INDICATORS) == 15
    assert {g: len(v) for g, v in dashboard_labels.municipal_procedures().items()} == {"common32": 26, "child_care26": 26}
    assert set(dashboard_labels.units().values()) == {"binary", "percent", "procedures"}


def _layout_with(tmp_path: Path, extra: str) -> Path:
    text = (data_dir() / "reference" / "dashboard_layout.csv").read_text(encoding="utf-8")
    path = tmp_path / "layout.csv"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_layout_aliases_map_a_renamed_row(tmp_path):
    text = (data_dir() / "reference" / "dashboard_layout.csv").read_text(encoding="utf-8")
    text = text.replace("comparison,governance,外部人材活用,external_talent,binary,0,,",
                        "comparison,governance,外部人材活用,external_talent,binary,0,外部デジタル人材の活用,")
    path = tmp_path / "layout.csv"
    path.write_text(text, encoding="utf-8")
    items = dashboard_labels.layout(path)
    mapped = {n: it.id for it in items if it.file == "comparison" for n in (it.label, *it.aliases)}
    assert mapped["外部デジタル人材の活用"] == "external_talent"


@pytest.mark.parametrize("extra, message", [
    ("comparison,governance,新しい行,new_row,ratio,0,,x,y\n", r"unit 'ratio' is not one of"),
    ("comparison,governance,CIOの任命,other_id,binary,0,,x,y\n", r"'CIOの任命' maps to both cio_appointed and other_id"),
    ("table,governance,新しい行,new_row,binary,0,,x,y\n", r"needs file \(comparison\|rates\|rate_group\)"),
    ("comparison,governance,新しい行,new_row,binary,one,,x,y\n", r"decimals 'one' is not a whole number"),
])
def test_a_malformed_layout_is_refused(tmp_path, extra, message):
    with pytest.raises(dashboard_labels.LayoutError, match=message):
        dashboard_labels.layout(_layout_with(tmp_path, extra))


# ------------------------------------------------------------------------------ rows a release adds or drops

@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    return next_release.make(VENDORED, tmp_path_factory.mktemp("export"))


def test_an_unknown_row_is_kept_unmapped_and_typed_by_its_look(release):
    frame = entity.load_dashboard(release / MUNI_CMP)
    assert frame.attrs["unmapped"] == [next_release.ADDED_ROW]
    new = frame[frame["indicator"] == dashboard_labels.unmapped_id(next_release.ADDED_ROW)]
    assert len(new) == 1741 and set(new["value"].dropna()) == {0.0, 1.0}
    assert frame.attrs["units"] == {dashboard_labels.unmapped_id(next_release.ADDED_ROW): "binary"}
    assert "external_talent" not in set(frame["indicator"])
    # every other row keeps its values
    old = entity.load_dashboard(VENDORED / MUNI_CMP)
    for ind in ("cio_appointed", "ai", "online32_share"):
        assert frame.loc[frame["indicator"] == ind, "value"].tolist() == pytest.approx(
            old.loc[old["indicator"] == ind, "value"].tolist(), nan_ok=True)


@pytest.mark.parametrize("cells, look", [(["12%", "", "3%"], "percent"), (["4", "1,200"], "procedures"),
                                         (["実施", "調査無し", "未実施"], "binary"), (["あり", "なし"], "text")])
def test_the_look_of_an_unknown_row(cells, look):
    assert dashboard_labels.look_of(cells) == look


def test_a_file_with_no_known_row_is_still_refused(tmp_path):
    path = write_rows(tmp_path / "x.csv", [["", "", "札幌市"], ["g", "どこにもない行", "1"]])
    with pytest.raises(entity.DashboardError, match="no known row label"):
        entity.load_dashboard(path)


def test_a_repeated_row_is_refused(tmp_path):
    rows = rows_of(VENDORED / PREF_CMP)
    rows.append(list(rows[1]))  # CIOの任命 twice
    path = write_rows(tmp_path / PREF_CMP, rows)
    with pytest.raises(entity.DashboardError, match=r"indicator row 'CIOの任命' appears twice"):
        entity.load_dashboard(path)


def test_the_panel_keeps_new_rows_unmapped_and_marks_dropped_ones(release):
    long = panel._build_panel(release)
    gone = long[long["indicator"] == "external_talent"]
    assert len(gone) == 1741 and gone["value"].isna().all() and (gone["status"] == "not_in_export").all()
    ai = long[long["indicator"] == dashboard_labels.unmapped_id(next_release.ADDED_ROW)]
    assert len(ai) == 1741 and (ai["unit"] == "binary").all()
    proc = long[long["indicator"] == dashboard_labels.unmapped_id(next_release.ADDED_PROCEDURE)]
    assert len(proc) == 1741 and (proc["unit"] == "percent").all()
    # the known procedures keep their ids although a row was inserted before them
    old = panel._build_panel(VENDORED)
    for ind in ("online_rate_common32_26", "online_rate_child_care26_01"):
        assert long.loc[long["indicator"] == ind, "value"].tolist() == pytest.approx(
            old.loc[old["indicator"] == ind, "value"].tolist(), nan_ok=True)
    text = panel_export.dictionary_markdown(long)
    assert "unmapped:生成AIの導入状況" in text and "Not in this export" in text and "external_talent" in text


# ------------------------------------------------------------------------------ municipal changes

def _with_columns(tmp_path: Path, change) -> Path:
    rows = rows_of(VENDORED / MUNI_CMP)
    rows = [change(list(r)) for r in rows]
    return write_rows(tmp_path / MUNI_CMP, rows)


def test_a_merged_municipality_names_the_first_mismatch_and_the_update(tmp_path):
    # 1,740 columns: 函館市 (column 4) gone
    path = _with_columns(tmp_path, lambda r: r[:3] + r[4:])
    with pytest.raises(entity.DashboardError) as info:
        entity.load_dashboard(path)
    msg = str(info.value)
    assert "\n" not in msg
    assert "expected 1,741 municipality columns" in msg and "found 1,740" in msg
    assert "column 4: found 小樽市 where 函館市 (01202, 北海道) was expected" in msg
    assert "python -m helpers.loaders.build_reference" in msg and "docs/newer-dashboard-export.md" in msg


def test_a_new_municipality_and_a_renamed_one_are_named(tmp_path):
    path = _with_columns(tmp_path, lambda r: r[:4] + ([r[3]] if r[0] else ["新町"]) + r[4:])  # 1,742 columns
    with pytest.raises(entity.DashboardError, match=r"found 1,742; the first that differs is column 5: found 新町 where 小樽市 \(01203, 北海道\)"):
        entity.load_dashboard(path)
    renamed = _with_columns(tmp_path, lambda r: r[:3] + (["新函館市"] if not r[0] else [r[3]]) + r[4:])
    with pytest.raises(entity.DashboardError, match=r"column 4: found 新函館市 where 函館市 .*helpers.loaders.build_reference"):
        entity.load_dashboard(renamed)


# ------------------------------------------------------------------------------ .xlsx and .csv agree

def _as_fraction_xlsx(src: Path, dest: Path) -> Path:
    """The CSV as a spreadsheet export would hold it: percentages as fractions (0.58), counts as numbers."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows_of(src):
        out = []
        for c in r:
            if c.endswith("%") and c[:-1]:
                out.append(float(c[:-1]) / 100)
            elif c.replace(".", "", 1).isdigit():
                out.append(float(c))
            else:
                out.append(c)
        ws.append(out)
    wb.save(dest)
    return dest


@pytest.mark.parametrize("name, loader, col", [(MUNI_CMP, entity.load_dashboard, "value"),
                                                (MUNI_RATES, entity.load_online_rates, "rate")])
def test_xlsx_and_csv_exports_give_identical_numbers(tmp_path, name, loader, col):
    xlsx = _as_fraction_xlsx(VENDORED / name, tmp_path / name.replace(".csv", ".xlsx"))
    from_csv, from_xlsx = loader(VENDORED / name), loader(xlsx)
    a, b = from_csv[col].to_numpy(), from_xlsx[col].to_numpy()
    same = (a == b) | (pd.isna(a) & pd.isna(b))
    assert same.all(), f"{(~same).sum()} values differ, e.g. {a[~same][:3]} vs {b[~same][:3]}"
    assert not (from_xlsx[col].dropna().astype(str).str.contains("99999")).any()


# ------------------------------------------------------------------------------ the export's date

def test_the_date_comes_from_option_sidecar_name_or_registration(tmp_path):
    named = tmp_path / "20240712_自治体DX"
    named.mkdir()
    assert dashboard_export.resolve(named) == dashboard_export.ExportInfo(named, "2024-07-12", "name")
    plain = tmp_path / "export"
    plain.mkdir()
    (plain / "data_20250401_市区町村比較.csv").write_text("x", encoding="utf-8")
    assert dashboard_export.resolve(plain).date == "2025-04-01"
    (plain / dashboard_export.SIDECAR).write_text("2025-05-02\n", encoding="utf-8")
    assert dashboard_export.resolve(plain) == dashboard_export.ExportInfo(plain, "2025-05-02", "sidecar")
    assert dashboard_export.resolve(plain, "2025-06-03").how == "option"
    assert dashboard_export.resolve(VENDORED) == dashboard_export.ExportInfo(VENDORED, "2024-07-12", "vendored",
                                                                             2023, "vendored")
    bare = tmp_path / "bare"
    bare.mkdir()
    assert dashboard_export.resolve(bare) == dashboard_export.ExportInfo(bare, None, "unknown")


@pytest.mark.parametrize("bad", ["2025-13-01", "20250301", "2025-02-30", "soon"])
def test_a_bad_date_is_refused(bad, tmp_path):
    with pytest.raises(dashboard_export.ExportDateError, match=r"YYYY-MM-DD"):
        dashboard_export.resolve(tmp_path, bad)
    (tmp_path / dashboard_export.SIDECAR).write_text(bad, encoding="utf-8")
    with pytest.raises(dashboard_export.ExportDateError, match=r"dashboard_date.txt must be a date"):
        dashboard_export.resolve(tmp_path)


def test_an_unknown_date_is_said_never_borrowed(tmp_path):
    from helpers.figures import maps
    from helpers.analysis import entity_stats

    dashboard_export.use(dashboard_export.resolve(tmp_path))
    assert maps.data_update("ja") == "データ更新日不明" and maps.data_update("en") == "update date not given"
    assert pd.isna(entity_stats.dashboard_update())
    cite = export_words.citation("デジタル庁「ダッシュボード（データ更新 2024-07-12）」(2024-07-12)", "ja")
    assert "2024" not in cite and "データ更新日不明" in cite
    dashboard_export.use(dashboard_export.resolve(tmp_path, "2025-03-14"))
    assert maps.data_update("ja") == "2025年3月14日データ更新"
    assert maps.data_update("en") == "data update 14 Mar 2025"
    assert "2024" not in panel_export.dictionary_markdown(panel._build_panel(VENDORED))


# ------------------------------------------------------------------------------ the export's survey year

#: The dashboard's survey named as the vendored export's (FY2023) in a report on another export.
FY2023_DASHBOARD = re.compile(r"(データ更新|ダッシュボード|日)、令和5年度調査(?!※)|ダッシュボード（令和5年度調査|"
                              r"横断データ（令和5年度|調査は令和5年度|令和5年度調査の前で最新|総務省の令和5年度調査|"
                              r"FY2023 surveys|the FY2023 survey\)|before the FY2023 survey|調査：2023年度|_基準時点：2023年度")


def _year(info: dashboard_export.ExportInfo) -> tuple:
    return info.survey_year, info.survey_how


def test_the_survey_year_comes_from_option_sidecar_or_registration(tmp_path):
    named = tmp_path / "20250314_自治体DX"
    named.mkdir()
    assert dashboard_export.resolve(named).survey_year is None  # a name gives the date, never the year
    assert _year(dashboard_export.resolve(named, survey_year="2024")) == (2024, "option")
    (named / dashboard_export.SIDECAR).write_text("survey_year: 2024\n", encoding="utf-8")
    assert dashboard_export.resolve(named) == dashboard_export.ExportInfo(named, "2025-03-14", "name", 2024, "sidecar")
    assert dashboard_export.resolve(named, survey_year=2025).survey_year == 2025  # the option wins
    # a sidecar holding both, with a comment; and the first form of the file (a date alone) still works
    (named / dashboard_export.SIDECAR).write_text("# our copy\n2025-05-02\nsurvey_year: 2024\n", encoding="utf-8")
    assert dashboard_export.resolve(named) == dashboard_export.ExportInfo(named, "2025-05-02", "sidecar", 2024, "sidecar")
    (named / dashboard_export.SIDECAR).write_text("2025-05-02\n", encoding="utf-8")
    assert dashboard_export.resolve(named) == dashboard_export.ExportInfo(named, "2025-05-02", "sidecar")
    assert _year(dashboard_export.resolve(VENDORED)) == (2023, "vendored")  # registered in data/sources.csv
    assert dashboard_export.registered_survey_year() == 2023
    assert _year(dashboard_export.resolve(VENDORED, survey_year=2024)) == (2024, "option")


@pytest.mark.parametrize("bad", ["abc", "1899", "24", "2024.0"])
def test_a_bad_survey_year_is_a_usage_error(tmp_path, bad):
    res = run_cli("--themes", "security", "--dashboard-survey-year", bad, "--out", str(tmp_path / "o"))
    assert res.returncode == 2
    assert res.stderr.strip() == f"error: --dashboard-survey-year must be a fiscal year as YYYY (2000–2099), got {bad!r}"
    assert not (tmp_path / "o").exists()
    (tmp_path / dashboard_export.SIDECAR).write_text(f"survey_year: {bad}\n", encoding="utf-8")
    with pytest.raises(dashboard_export.ExportDateError, match=r"dashboard_date.txt: survey_year must be a fiscal year"):
        dashboard_export.resolve(tmp_path)
    from helpers.loaders.params import ParameterError, validate

    with pytest.raises(ParameterError, match=r"^dashboard_survey_year must be a fiscal year as YYYY"):
        validate("all", "ja", tmp_path / "o", dashboard_survey_year=bad)


def test_the_notebook_parameter_sets_the_survey_year(tmp_path):
    from helpers.loaders.params import validate

    export = tmp_path / "export"
    export.mkdir()
    assert validate("all", "ja", tmp_path / "o", export).dashboard_survey_year is None
    assert validate("all", "ja", tmp_path / "o", export, None, 2024).dashboard_survey_year == 2024
    assert validate("all", "ja", tmp_path / "o").dashboard_survey_year == 2023  # the vendored export


def test_the_survey_is_worded_from_the_export_read():
    from helpers.figures import maps
    from helpers.analysis import entity_stats
    from helpers.words.export import not_compared, settlement_phrase

    assert maps.data_survey("ja") == "令和5年度調査" and maps.data_survey("en") == "FY2023 surveys"
    assert entity_stats.compared() and entity_stats.survey_date() == pd.Timestamp("2023-04-01")
    dashboard_export.use(dashboard_export.ExportInfo(None, "2025-03-14", "option", 2024, "option"))
    assert maps.data_survey("ja") == "令和6年度調査" and maps.data_survey("en") == "FY2024 surveys"
    assert settlement_phrase("en") == "the latest before the FY2024 survey"
    assert not entity_stats.compared() and entity_stats.reproduction({}, pd.DataFrame()).empty
    assert not_compared("en") == ("This export holds data of the FY2024 survey, so it is not compared "
                                                   "with the published national figures of the FY2023 survey.")
    text = panel_export.dictionary_markdown(panel._build_panel(VENDORED), "ja")
    assert "（2025年3月14日、総務省の令和6年度調査）" in text and "令和6年度調査の前で最新" in text
    assert not FY2023_DASHBOARD.search(text)
    # a survey year not given: said, never borrowed
    dashboard_export.use(dashboard_export.ExportInfo(None, None, "unknown"))
    assert maps.data_survey("ja") == "調査年度不明" and maps.data_survey("en") == "survey year not given"
    assert settlement_phrase("ja") == "手元にある最新" and pd.isna(entity_stats.survey_date())
    assert not_compared("ja") == "このエクスポートは調査年度が分からないため、令和5年度調査の全国の公表値とは比べない。"
    for lang in ("ja", "en"):
        text = panel_export.dictionary_markdown(panel._build_panel(VENDORED), lang)
        assert not FY2023_DASHBOARD.search(text) and "2024" not in text
        assert ("総務省の調査、調査年度不明" if lang == "ja" else "surveys by 総務省, survey year not given") in text


def test_a_survey_year_not_given_is_said_in_the_reports(tmp_path):
    """An export whose survey year nothing gives: the reports say 「調査年度不明」 and compare nothing."""
    export = next_release.make(VENDORED, tmp_path / "in")
    out = tmp_path / "out"
    res = run_cli("--dashboard-dir", str(export), "--out", str(out), "--themes", "staffing,ai_rpa_telework", "--jobs", "2")
    assert res.returncode == 0, res.stdout + res.stderr
    staffing = (out / "staffing" / "report.md").read_text(encoding="utf-8")
    uptake = (out / "ai_rpa_telework" / "report.md").read_text(encoding="utf-8")
    assert "ダッシュボード（調査年度不明）、回答" in staffing
    words = "このエクスポートは調査年度が分からないため、令和5年度調査の全国の公表値とは比べない。"
    assert staffing.count(words) == 1 and uptake.count(words) == 1 and words in (out / "data_audit.md").read_text(encoding="utf-8")
    for text in (staffing, uptake):
        assert not FY2023_DASHBOARD.search(text) and "推定する" not in text
    assert "調査年度不明" in (out / "README.md").read_text(encoding="utf-8")


def test_the_run_record_states_the_vendored_exports_survey_year(tmp_path):
    from helpers.reporting.run_record import build, inputs_json

    out = tmp_path / "out"
    (out / "security").mkdir(parents=True)
    (out / "security" / "report.md").write_text("# x\n", encoding="utf-8")
    (out / "security" / ".inputs.json").write_text(inputs_json(dashboard_export.resolve(VENDORED), None, []), encoding="utf-8")
    ja = build(out, {"security": "03"}, "ja", "all", "data_audit.md").to_markdown()
    assert "（2024年7月12日データ更新、同梱のエクスポート；令和5年度調査、`data/sources.csv` に登録）" in ja
    en = build(out, {"security": "03"}, "en", "all", "data_audit.md").to_markdown()
    assert "(data update 12 Jul 2024, the export kept with the project; FY2023 surveys, as registered in `data/sources.csv`)" in en


# ------------------------------------------------------------------------------ the runner: all or nothing

def run_cli(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.runner.run", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_export_that_cannot_serve_a_theme_is_refused_before_anything_runs(tmp_path):
    export = next_release.make(VENDORED, tmp_path / "in", drop_rates=True)
    out = tmp_path / "out"
    (out / "online_usage").mkdir(parents=True)
    (out / "online_usage" / "report.md").write_text("# the previous report\n", encoding="utf-8")
    (out / "README.md").write_text("# レポート一覧\n\n<!-- lang: ja -->\n", encoding="utf-8")
    from helpers.runner import ownership  # the folder is the runner's own (else it is refused for that first)

    (out / ownership.MANIFEST).write_bytes(ownership.manifest_bytes({"online_usage/report.md", "README.md"}))
    before = tree_bytes(out)
    res = run_cli("--themes", "staffing,online_usage,municipalities", "--dashboard-dir", str(export),
                  "--out", str(out), "--jobs", "1")
    assert res.returncode == 2, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1
    assert "no 市区町村 … 申請率 file (needed by online_usage, municipalities)" in lines[0]
    assert "nothing was run" in lines[0] and "Traceback" not in res.stderr
    after = {k: v for k, v in tree_bytes(out).items() if not k.startswith(".staging/")}
    assert after == before


def test_the_needs_of_each_theme_are_checked_in_one_place(release):
    from helpers.runner import run as runner
    from helpers.analysis import entity_stats

    frames = entity.load_export(release)
    notes = runner.check_needs(["security", "ai_rpa_telework", "prefectures/13_tokyo"], frames, release)
    assert notes[1] == ("not in this export (the sections that need them say so): "
                        "external_talent (used by prefectures)")
    frames.pop("municipal_rates")
    with pytest.raises(runner.UsageError, match=r"no 市区町村 … 申請率 file \(needed by online_usage\)"):
        runner.check_needs(["security", "online_usage"], frames, release)
    assert runner.check_needs(["security"], frames, release)[0].startswith("2 row(s) of the export")
    for theme, needs in runner.THEME_NEEDS.items():  # every declared row and file is one the layout and loader know
        assert set(needs["rows"]) <= set(dashboard_labels.COMPARISON_IDS), theme
        assert set(needs["files"]) <= set(runner.ROLE_FILES), theme


def test_a_bad_dashboard_date_is_a_usage_error(tmp_path):
    res = run_cli("--themes", "security", "--dashboard-date", "2025-02-30", "--out", str(tmp_path / "o"))
    assert res.returncode == 2
    assert res.stderr.strip() == "error: --dashboard-date must be a date as YYYY-MM-DD, got '2025-02-30'"
    assert not (tmp_path / "o").exists()


# ------------------------------------------------------------------------------ the document, followed

def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_next_release_is_analysed_honestly(tmp_path):
    """docs/newer-dashboard-export.md, step by step, on a made-up next release (of the FY2024 surveys)."""
    export = next_release.make(VENDORED, tmp_path / "downloads")
    (export / dashboard_export.SIDECAR).write_text("survey_year: 2024\n", encoding="utf-8")  # step 2: its survey year
    out = tmp_path / "reports"
    res = run_cli("--dashboard-dir", str(export), "--out", str(out), "--jobs", "2")
    assert res.returncode == 0, res.stdout + res.stderr
    summary = {ln.split()[0]: ln.split()[1] for ln in res.stdout.splitlines()[1:]}
    assert summary == {t: "ok" for t in ("staffing", "online_usage", "security", "ai_rpa_telework", "municipalities", "determinants",
                                         "data_audit")}
    notes = [ln for ln in res.stderr.splitlines() if "note:" in ln]
    assert len(notes) == 2 and next_release.ADDED_ROW in notes[0] and next_release.ADDED_PROCEDURE in notes[0]
    assert "not in this export" in notes[1] and "external_talent (used by staffing, municipalities)" in notes[1]

    reports = {t: (out / t / "report.md").read_text(encoding="utf-8")
               for t in ("staffing", "online_usage", "security", "ai_rpa_telework", "municipalities")}
    for theme, text in reports.items():
        assert "2025年3月14日データ更新" in text, theme  # the export's own date, in every report
        assert "2024年7月12日" not in text and "2024-07-12" not in text, theme  # never the vendored export's
    for theme in ("staffing", "online_usage", "ai_rpa_telework", "municipalities"):
        assert f"「{next_release.ADDED_ROW}」" in reports[theme]  # the new row, listed as not analysed
    # the dropped row is named in the sections that need it
    assert "このエクスポートにない項目：外部人材の活用" in reports["staffing"]
    assert reports["municipalities"].count("このエクスポートにない項目：外部人材の活用") >= 4
    assert "このエクスポートにない" not in reports["ai_rpa_telework"]
    assert "2025年3月14日" in (out / "data_audit.md").read_text(encoding="utf-8")

    # its survey year (FY2024) wherever the dashboard's survey is named, never the vendored export's
    texts = {**reports, "determinants": (out / "determinants" / "report.md").read_text(encoding="utf-8"),
             "data_audit": (out / "data_audit.md").read_text(encoding="utf-8"),
             "dictionary": (out / "municipalities" / "data" / "municipal_panel_dictionary.md").read_text(encoding="utf-8")}
    for theme, text in texts.items():
        assert not FY2023_DASHBOARD.search(text), (theme, FY2023_DASHBOARD.search(text))
    assert "（2025年3月14日データ更新、令和6年度調査）の市区町村別データ" in texts["municipalities"]
    assert "ダッシュボード（令和6年度調査）、回答" in texts["staffing"]
    assert "ダッシュボード 2025年3月14日データ更新、令和6年度調査）" in texts["online_usage"]
    assert "一時点の横断データ（令和6年度調査）" in texts["determinants"] and "調査は令和6年度で" in texts["determinants"]
    assert "令和6年度調査の前で最新" in texts["determinants"] and "総務省の令和6年度調査" in texts["dictionary"]
    assert "_基準時点：2024年度" in texts["municipalities"] and "調査：2024年度" in texts["determinants"]
    # no comparison with the national figures of the FY2023 survey: each such section says so, once
    not_compared = "このエクスポートは令和6年度調査のデータのため、令和5年度調査の全国の公表値とは比べない。"
    for theme in ("staffing", "ai_rpa_telework", "municipalities", "data_audit"):
        assert texts[theme].count(not_compared) == 1, theme
    assert "再現チェック：団体別データの集計と公表値" not in texts["staffing"]  # the reproduction table
    assert "公表値との再現" not in texts["ai_rpa_telework"] and "推定する" not in texts["ai_rpa_telework"]
    for theme in ("staffing", "ai_rpa_telework", "municipalities"):
        assert "2023年12月31日" not in texts[theme] and "能登半島地震" not in texts[theme], theme
        assert "2023年4月1日時点の調査" not in texts[theme], theme

    # the panel keeps the new row (unmapped) and says the dropped one is not in this export
    wide = pd.read_csv(out / "municipalities" / "data" / "municipal_panel.csv", encoding="utf-8-sig")
    assert f"unmapped:{next_release.ADDED_ROW}" in wide.columns and wide["external_talent"].isna().all()

    # the run record: that export's files, as given, with size, checksum and date
    record = (out / "README.md").read_text(encoding="utf-8")
    assert "2025年3月14日データ更新" in record
    assert "（2025年3月14日データ更新、フォルダ名・ファイル名による；令和6年度調査、`dashboard_date.txt` による）" in record
    for f in sorted(export.glob("*.csv")):
        row = next(ln for ln in record.splitlines() if f"`{export / f.name}`" in ln)
        assert sha(f)[:16] in row and "2025-03-14" in row and f"{f.stat().st_size:,}" in row
    assert "data/external/dashboard/" not in record  # the vendored copy was not read
    assert "data/reference/dashboard_layout.csv" in record and "data/external/population/" in record
    assert f"「{next_release.ADDED_ROW}」" in record
    inputs = json.loads((out / "staffing" / ".inputs.json").read_text(encoding="utf-8"))
    assert inputs["export"] == {"folder": str(export), "date": "2025-03-14", "how": "name",
                                "survey_year": 2024, "survey_how": "sidecar"}


def test_the_run_record_says_when_reports_come_from_different_inputs(tmp_path):
    from helpers.reporting.run_record import build, inputs_json

    out = tmp_path / "out"
    vendored = inputs_json(dashboard_export.resolve(VENDORED), None, [])
    newer_dir = next_release.make(VENDORED, tmp_path / "in")
    newer = inputs_json(dashboard_export.resolve(newer_dir), str(newer_dir), sorted(newer_dir.glob("*.csv")))
    for theme, record in (("staffing", newer), ("security", vendored)):
        (out / theme).mkdir(parents=True)
        (out / theme / "report.md").write_text("# x\n", encoding="utf-8")
        (out / theme / ".inputs.json").write_text(record, encoding="utf-8")
    text = build(out, {"staffing": "01", "security": "03"}, "ja", "all", "data_audit.md").to_markdown()
    assert "2通りの異なる入力" in text
    assert "2025年3月14日データ更新" in text and "2024年7月12日データ更新" in text
    same = build(out, {"staffing": "01"}, "en", "all", "data_audit.md").to_markdown()
    assert "different sets of inputs" not in same and "data update 14 Mar 2025" in same


def test_without_the_layout_file_no_row_is_known_and_the_loader_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(dashboard_labels, "layout_path", lambda: tmp_path / "absent.csv")
    assert dashboard_labels.layout() == () and dashboard_labels.BINARY == []
    with pytest.raises(entity.DashboardError, match=r"no known row label .*data/reference/dashboard_layout.csv"):
        entity.load_dashboard(VENDORED / PREF_CMP)


def test_the_notebook_parameter_sets_the_date(tmp_path):
    from helpers.loaders.params import ParameterError, validate

    export = tmp_path / "export"
    export.mkdir()
    assert validate("all", "ja", tmp_path / "o", export).dashboard_date is None
    assert validate("all", "ja", tmp_path / "o", export, "2025-03-14").dashboard_date == "2025-03-14"
    assert validate("all", "ja", tmp_path / "o").dashboard_date == "2024-07-12"  # the vendored export
    with pytest.raises(ParameterError, match=r"^dashboard_date must be a date as YYYY-MM-DD, got '14/03/2025'$"):
        validate("all", "ja", tmp_path / "o", export, "14/03/2025")


def test_the_official_zip_kept_beside_the_files_gives_the_date(tmp_path):
    from helpers.runner import run as runner

    export = tmp_path / "export"
    export.mkdir()
    for f in VENDORED.glob("*.csv"):
        (export / f.name).write_bytes(f.read_bytes())
    (export / "20250314_自治体DXダッシュボード.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    cfg = runner.validate(runner.parse_args(["--dashboard-dir", str(export), "--out", str(tmp_path / "o"),
                                             "--themes", "security"]))
    assert cfg["export"].date == "2025-03-14" and cfg["export"].how == "name"
    assert all(f.suffix == ".csv" for f in cfg["dash_files"]) and len(cfg["dash_files"]) == 4


def test_missing_items_are_named_in_the_reports_language():
    from helpers.words import municipal as words

    gone = ["external_talent", "online32_offered", "online32_online"]
    assert words.missing_text(gone, ["cio_appointed"], "ja") == ""
    assert words.missing_text(gone, ["external_talent", "ai"], "ja") == "このエクスポートにない項目：外部人材の活用（この節では扱えない）。"
    en = words.missing_text(gone, ["online32_offered", "online32_online"], "en")
    assert en.startswith("Not in this export: ") and "online32" not in en and en.endswith("(left out of this section).")
