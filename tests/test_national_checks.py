"""National loaders (helpers.loaders.data): rows that would make a sum count a figure twice, or one source
give one figure two values, are refused with file, rows and values; non-finite numbers too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.loaders import data
from helpers.words import citations
from helpers.paths import data_dir


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the project's data/ to edit."""
    shutil.copytree(data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("external"))
    data._catalog_ids.cache_clear()
    data._source_keys.cache_clear()
    yield tmp_path / "data"
    data._catalog_ids.cache_clear()
    data._source_keys.cache_clear()


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def append(path: Path, line: str) -> None:
    path.write_text("".join(lines(path)) + line, encoding="utf-8")


def row_of(path: Path, needle: str) -> str:
    return next(line for line in lines(path) if needle in line)


def test_the_duplicate_fy2017_row_is_kept_but_not_summed():
    df = data.load_online_procedures()
    both = df[(df["fiscal_year"] == 2017) & (df["procedure_no"] == "a20") & (df["procedure_set"] == "58")]
    assert len(both) == 2  # provenance kept: both rows as transcribed
    assert both["summed"].sum() == 1
    dup = data.audit_online_duplicates(df)
    assert list(dup["source"]) == ["soumu_dx_overview_fy2021"] and list(dup["duplicate_of"]) == ["soumu_info_mgmt_fy2020"]
    summed = df[df["summed"]]
    assert not summed.duplicated(["fiscal_year", "procedure_set", "procedure_no"]).any()


def test_the_audit_report_says_which_row_is_summed():
    from helpers.reporting.audit_report import build_audit_report

    md = build_audit_report("en").to_markdown()
    assert "Employment Status Survey" in md and "Sums use the row of" in md


def test_an_unmarked_cross_source_duplicate_is_refused(folder):
    (folder / data.DUPLICATES).unlink()
    with pytest.raises(data.DataError, match=r"give FY2017 procedure a20 .* a sum would count it twice"):
        data.load_online_procedures(folder)


def test_a_marked_pair_with_different_figures_is_refused(folder):
    path = folder / "national" / "online_procedures.csv"
    old = row_of(path, "2(2)①7 a. footnote ※1")
    path.write_text("".join(lines(path)).replace(old, old.replace("917253,21.8", "917253,21.9")), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"give different figures .* published inconsistency"):
        data.load_online_procedures(folder)


def test_same_source_different_value_is_refused(folder):
    path = folder / "national" / "indicators.csv"
    old = row_of(path, "cio_appointed,staffing,municipality,2021-04-01")
    append(path, old.replace(",1220,1741,70.1,", ",1221,1741,70.1,"))
    with pytest.raises(data.DataError, match=r"rows 3 and \d+ .*same source, different value \(1220 / 1741 / 70.1 vs 1221"):
        data.load_indicators(folder)


def test_a_repeated_row_is_refused(folder):
    path = folder / "national" / "breakdowns.csv"
    append(path, lines(path)[1])
    with pytest.raises(data.DataError, match=r"repeat the same figure .* count it twice"):
        data.load_breakdowns(folder)


def test_a_repeated_totals_row_is_refused(folder):
    path = folder / "national" / "online_totals.csv"
    append(path, lines(path)[2])
    with pytest.raises(data.DataError, match=r"online_totals.csv: rows 3 and \d+ repeat"):
        data.load_online_totals(folder)


@pytest.mark.parametrize("value", ["inf", "1e400", "-inf"])
def test_non_finite_counts_are_refused(folder, value):
    path = folder / "national" / "online_procedures.csv"
    text = "".join(lines(path)).replace(",130561347,73.7,", f",{value},73.7,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(data.DataError, match=rf"row 2, column annual_cases: '{value}' is not a finite number"):
        data.load_online_procedures(folder)


def test_a_count_too_large_is_refused(folder):
    path = folder / "national" / "online_procedures.csv"
    path.write_text("".join(lines(path)).replace(",130561347,73.7,", ",1" + "0" * 25 + ",73.7,", 1), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"row 2, column annual_cases: .* too large"):
        data.load_online_procedures(folder)


def test_negative_total_cases_are_refused(folder):
    path = folder / "national" / "online_totals.csv"
    path.write_text("".join(lines(path)).replace(",472617630,", ",-472617630,", 1), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"total_cases"):
        data.load_online_totals(folder)


def test_audit_names_a_same_source_disagreement_as_such():
    df = data.load_indicators()
    row = df[(df["indicator"] == "cio_appointed") & (df["tier"] == "municipality")].iloc[[0]]
    twin = row.assign(count=pd.array([1221], dtype="Int64"))
    flagged = data.audit(pd.concat([df, twin], ignore_index=True))
    mine = flagged[(flagged["indicator"] == "cio_appointed") & (flagged["tier"] == "municipality")
                   & (flagged["as_of"] == row["as_of"].iloc[0])]
    assert set(mine["reason"]) == {"same_source_differs"}
    assert all(e.startswith("the same source states this figure with another value") for e in citations.with_explanations(mine, "en")["explanation"])
    assert citations.audit_explanation(mine.iloc[0], "ja").startswith("同じ資料が")


def test_schema_errors_name_the_file_row(folder):
    path = folder / "national" / "indicators.csv"
    text = "".join(lines(path)).replace(",1220,1741,70.1,", ",1220,1741,170.1,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(data.DataError, match=r"percent=170\.1 \(row 3\)"):
        data.load_indicators(folder)
