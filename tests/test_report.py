import os

import pandas as pd
import pytest

from helpers.reporting.report import Report, fmt_number, markdown_table


def test_number_formatting():
    assert fmt_number(1220) == "1,220"
    assert fmt_number(70.1234, percent=True) == "70.1%"
    assert fmt_number(float("nan")) == "—"
    assert fmt_number(None) == "—"
    assert fmt_number(pd.NA) == "—"
    assert fmt_number(130561347.0) == "130,561,347"
    assert fmt_number(0.25) == "0.25"
    assert fmt_number("a|b") == "a\\|b"
    assert fmt_number(pd.Timestamp("2021-04-01")) == "2021-04-01"
    assert fmt_number(pd.Timestamp("2021-04-01 09:30")) == "2021-04-01 09:30:00"


def test_table_renders_pipes_alignment_and_formats():
    df = pd.DataFrame({"tier": ["都道府県", "市区町村"], "count": [37, 1220], "percent": [78.72, 70.07]})
    md = markdown_table(df, percent=["percent"])
    lines = md.splitlines()
    assert lines[0] == "| tier | count | percent |"
    assert lines[1] == "| --- | ---: | ---: |"
    assert lines[3] == "| 市区町村 | 1,220 | 70.1% |"


def test_report_parts_figures_and_numbered_sources(tmp_path):
    r = Report("人材", meta="基準日: 2021-04-01")
    n1 = r.add_source("a", "総務省「自治体DX・情報化推進概要」(2022)")
    n2 = r.add_source("b", "ブログ記事 (二次資料)")
    assert (n1, n2, r.add_source("a", "dup")) == (1, 2, 1)
    r.heading("主な結果").bullets([f"CIO任命率は{fmt_number(70.1, percent=True)} [1]"])
    r.figure(tmp_path / "figures" / "cio.png", "CIO", relative_to=tmp_path)
    r.table(pd.DataFrame({"x": [1]}), caption="表1")
    md = r.to_markdown()
    assert md.startswith("# 人材\n\n_基準日: 2021-04-01_")
    assert "![CIO](figures/cio.png)" in md
    assert md.rstrip().endswith("1. 総務省「自治体DX・情報化推進概要」(2022)\n2. ブログ記事 (二次資料)")
    assert "*表1*" in md


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "out" / "report.md"
    Report("A").write(target)
    Report("B").write(target)
    assert target.read_text().startswith("# B")
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]


def test_failed_write_keeps_old_report(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    Report("old").write(target)

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        Report("new").write(target)
    assert target.read_text().startswith("# old")
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_heading_level_checked():
    with pytest.raises(ValueError):
        Report("x").heading("bad", level=1)


def test_year_columns_have_no_thousands_separator():
    df = pd.DataFrame({"fiscal_year": [2016, 2022], "midpoint_year": [2022.43, 2019.0], "total_cases": [389170000, 2022]})
    rows = markdown_table(df).splitlines()[2:]
    assert rows == ["| 2016 | 2022.4 | 389,170,000 |", "| 2022 | 2019 | 2,022 |"]


def test_point_differences_are_signed_with_one_decimal():
    df = pd.DataFrame({"change_pp": [18.3, 5.0, 0.0, -14.6, float("nan")], "gap_pp": [1, 2, 3, -4, 0],
                       "rmse_pp": [9.9, 0.5, 1.0, 2.25, 0.0]})
    rows = markdown_table(df).splitlines()[2:]
    assert rows == ["| +18.3 | +1 | 9.90 |", "| +5.0 | +2 | 0.50 |", "| +0.0 | +3 | 1.00 |", "| -14.6 | -4 | 2.25 |",
                    "| — | +0 | 0.00 |"]


def test_float_columns_get_one_format():
    df = pd.DataFrame({"counts": [1220.0, float("nan"), 37.0], "ratio": [0.5, 2.0, 1.25]})
    rows = markdown_table(df).splitlines()[2:]
    assert rows == ["| 1,220 | 0.50 |", "| — | 2.00 |", "| 37 | 1.25 |"]


def test_headers_change_only_the_header_row():
    df = pd.DataFrame({"rate": [70.07], "tier": ["x|y"]})
    md = markdown_table(df, percent=["rate"], headers={"rate": "実施率", "tier": "団体区分"}).splitlines()
    assert md[0] == "| 実施率 | 団体区分 |"
    assert md[2] == "| 70.1% | x\\|y |"  # formats still follow the column ids


@pytest.mark.parametrize("lang, expect", [
    ("ja", ["| 団体区分 | 年度 | 当てはめ | 出典 | CIOの任命 | 市区町村 | no_such_column |", "| 都道府県 | 2020 | はい | [1] |"]),
    ("en", ["| tier | fiscal year | fitted | source | CIO appointed | municipalities | no_such_column |", "| prefectures | 2020 | yes | [1] |"]),
])
def test_theme_report_tables_speak_the_report_language(tmp_path, lang, expect):
    from helpers.loaders.params import validate
    from helpers.reporting.theme_report import ThemeReport

    rep = ThemeReport("staffing", validate("all", lang, tmp_path / "out"))
    df = pd.DataFrame({"tier": ["prefecture"], "fiscal_year": [2020], "fitted": [True], "source": ["soumu_dx_overview_fy2021"],
                       "cio_appointed": [74.5], "municipality": [70.1], "no_such_column": ["kept"],
                       "indicator": ["cio_appointed"]})
    shown = rep.table(df, "caption")
    assert shown.index.name == "tier" and shown.reset_index().equals(df)  # the notebook keeps the ids, first as row label
    text = rep.write().read_text(encoding="utf-8")
    header = expect[0]
    assert header in text
    assert any(line.startswith(expect[1]) for line in text.splitlines()), text
    assert "1. " in text.split("\n## ")[-1]  # the cited source is listed
    label = "| CIOの任命 |" if lang == "ja" else "| CIO appointed |"  # indicator ids become labels
    assert any(line.startswith(expect[1]) and line.endswith(label) for line in text.splitlines()), text


def test_table_files_are_reusable_and_reproducible(tmp_path):
    import time
    import zipfile

    import pandas as pd

    from helpers.reporting.report import Report

    def build(out):
        r = Report("題", lang="ja", table_files=True)
        r.table(pd.DataFrame({"指標": ["CIOの任命"], "割合": [70.1]}), caption="表1")
        return r.write(out / "report.md")

    build(tmp_path / "a")
    time.sleep(1.1)
    build(tmp_path / "b")
    csv = (tmp_path / "a" / "tables" / "table_01.csv").read_bytes()
    assert csv.startswith("\ufeff".encode()) and "CIOの任命,70.1".encode() in csv  # BOM for Excel
    assert (tmp_path / "a" / "tables.xlsx").read_bytes() == (tmp_path / "b" / "tables.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a" / "tables.xlsx") as z:
        assert "xl/worksheets/sheet1.xml" in z.namelist()
    md = (tmp_path / "a" / "report.md").read_text(encoding="utf-8")
    assert "(tables/table_01.csv)" in md
    html = (tmp_path / "a" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in html and "<table>" in html


def test_in_text_references_are_numbered_and_figure_notes_stand_alone(tmp_path):
    """A sentence cites '[n]' of the source list; a figure's note names publisher and year (a saved
    figure does not carry the list)."""
    from helpers.figures.plots_security import source_ref
    from helpers.reporting.theme_report import ThemeReport

    from helpers.loaders.params import validate

    rep = ThemeReport("security", validate("all", "ja", tmp_path / "out"))
    assert source_ref(rep, "soumu_info_mgmt_fy2020") == "[1]"
    note = rep.cite(["soumu_info_mgmt_fy2020", "blog_fy2023_summary"])
    assert "[" not in note and "総務省（2021）" in note and "二次資料" in note
    assert rep.ref("blog_fy2023_summary") == "[2]"


def test_keyed_parts_replace_a_rerun_cell_and_keep_notebook_order(tmp_path, monkeypatch):
    """The CellLog rule without a kernel: cells a, b, c run in order, then b again (replaced in place),
    a new cell n run after a (lands below a), and c re-run contributing nothing (its part is gone)."""
    from helpers.reporting import theme_report
    from helpers.loaders.params import validate

    log = theme_report.CellLog()
    monkeypatch.setattr(theme_report, "CELLS", log)
    rep = theme_report.ThemeReport("staffing", validate("all", "en", tmp_path / "out"))

    def run(cell_id, *texts):
        log.enter(cell_id)
        for text in texts:
            rep.section(text)
            rep.finding(f"finding {text}")

    run("a", "A")
    run("b", "B1")
    run("c", "C")
    first = [x for _, x in rep.body]
    assert first == ["A", "B1", "C"]
    run("b", "B1")
    assert [x for _, x in rep.body] == first and rep.findings == [f"finding {x}" for x in first]
    run("b", "B2")  # an edited cell replaces its own part, in its place
    assert [x for _, x in rep.body] == ["A", "B2", "C"]
    run("a")  # re-run after an edit that removed its report calls: its part is gone
    assert [x for _, x in rep.body] == ["B2", "C"]
    run("a", "A")
    run("n", "N")  # inserted below a and run after it: lands below a
    assert log.order == ["a", "n", "b", "c"]
    assert [x for _, x in rep.body] == ["A", "N", "B2", "C"]
    assert rep.findings == ["finding A", "finding N", "finding B2", "finding C"]
    run(None, "X")  # a front end without cell ids: each run a part of its own, placed by the same rule
    run(None, "X")
    assert [x for _, x in rep.body] == ["A", "N", "X", "X", "B2", "C"]
