import os

import pandas as pd
import pytest

from helpers.report import Report, fmt_number, markdown_table


def test_number_formatting():
    assert fmt_number(1220) == "1,220"
    assert fmt_number(70.1234, percent=True) == "70.1%"
    assert fmt_number(float("nan")) == "—"
    assert fmt_number(None) == "—"
    assert fmt_number(pd.NA) == "—"
    assert fmt_number(130561347.0) == "130,561,347"
    assert fmt_number(0.25) == "0.25"
    assert fmt_number("a|b") == "a\\|b"


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
