"""Dashboard exports that parse but would give wrong numbers are refused (helpers.loaders.dashboard_checks):
one line naming the file, the row, the column and the value. Synthetic files written by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_entity import MUNI_CMP, MUNI_RATES, synthetic_names

from helpers.loaders.entity import DashboardError, load_dashboard, load_online_rates

DEN = "よく使う32手続のオンライン化状況_実施されている手続総数（分母）"
NUM = "よく使う32手続のオンライン化状況_実施されている手続総数のうち「オンライン化済」と回答した手続数（分子）"
CARD = "マイナンバーカードの保有状況"
G32 = "よく使う32手続のオンライン申請利用状況"


@pytest.fixture(scope="module")
def names() -> list[str]:
    return synthetic_names()


def write(path: Path, names: list[str], rows: list[tuple[str, str, list[str] | str]]) -> Path:
    """Rows (group, label, one value for all or a list per entity) as a 比較/申請率 CSV."""
    lines = [",".join(["", "", *names])]
    for group, label, values in rows:
        cells = values if isinstance(values, list) else [values] * len(names)
        lines.append(",".join([group, label, *cells]))
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    return path


def base_rows(n: int) -> list:
    return [("自治体DXの推進体制等", "CIOの任命", "実施"),
            ("住民サービスのDX", CARD, "50%"),
            ("住民サービスのDX", DEN, "20"),
            ("住民サービスのDX", NUM, "5")]


def with_cell(rows: list, label: str, n: int, index: int, value: str, fill: str | None = None) -> list:
    out = []
    for group, lab, v in rows:
        if lab == label:
            cells = [fill if fill is not None else v] * n
            cells[index] = value
            v = cells
        out.append((group, lab, v))
    return out


def refused(loader, path: Path, pattern: str) -> str:
    with pytest.raises(DashboardError, match=pattern) as info:
        loader(path)
    msg = str(info.value)
    assert "\n" not in msg and str(path) in msg
    return msg


def test_the_synthetic_file_itself_loads(tmp_path, names):
    df = load_dashboard(write(tmp_path / MUNI_CMP, names, base_rows(len(names))))
    assert df.loc[df["indicator"] == "mynumber_card_rate", "value"].eq(50).all()


def test_a_fraction_row_with_one_bare_percent_is_refused(tmp_path, names):
    """The issue's case: 0.72 everywhere but one cell typed as 72 (kept, it stored the rest 100x too small)."""
    rows = with_cell(base_rows(len(names)), CARD, len(names), 5, "72", fill="0.72")
    msg = refused(load_dashboard, write(tmp_path / MUNI_CMP, names, rows), r"looks like a fraction .* one scale per row")
    assert "row 'mynumber_card_rate'" in msg and "'72' at column 8" in msg


def test_a_row_of_fractions_only_is_scaled(tmp_path, names):
    rows = with_cell(base_rows(len(names)), CARD, len(names), 5, "1", fill="0.72")
    df = load_dashboard(write(tmp_path / MUNI_CMP, names, rows))
    vals = df.loc[df["indicator"] == "mynumber_card_rate", "value"]
    assert vals.iloc[0] == pytest.approx(72) and vals.iloc[5] == pytest.approx(100)


def test_percent_text_beside_a_bare_number_in_one_row_is_refused(tmp_path, names):
    rows = with_cell(base_rows(len(names)), CARD, len(names), 2, "72")
    refused(load_dashboard, write(tmp_path / MUNI_CMP, names, rows), r"column 5 .*'72' is a bare number where the same row has percent text")


def test_a_duplicated_indicator_row_is_refused(tmp_path, names):
    rows = base_rows(len(names)) + [("自治体DXの推進体制等", "CIOの任命", "実施")]
    refused(load_dashboard, write(tmp_path / MUNI_CMP, names, rows), r"indicator row 'CIOの任命' appears twice \(the 1st and 5th data rows\)")


def test_a_duplicated_procedure_row_is_refused(tmp_path, names):
    rows = [(G32, "住民票の写しの交付請求", "50%"), (G32, "転出届", "10%"), (G32, "住民票の写しの交付請求", "50%")]
    refused(load_online_rates, write(tmp_path / MUNI_RATES, names, rows), r"procedure row .*住民票の写しの交付請求' appears twice")


def test_a_numerator_above_its_denominator_is_refused(tmp_path, names):
    rows = with_cell(base_rows(len(names)), NUM, len(names), 7, "999")
    refused(load_dashboard, write(tmp_path / MUNI_CMP, names, rows),
            r"row 'online32_online', column 10 \(.*\): .*'999'")


def test_a_numerator_above_its_denominator_within_range_is_refused(tmp_path, names):
    rows = with_cell(base_rows(len(names)), NUM, len(names), 7, "24")
    refused(load_dashboard, write(tmp_path / MUNI_CMP, names, rows), r"numerator '24' is above its denominator 20")


@pytest.mark.parametrize("label,value,pattern", [
    (DEN, "-3", r"online32_offered.*'-3' — a count must be a whole number, 0 or more"),
    (NUM, "-1", r"online32_online.*'-1' — a count must be a whole number, 0 or more"),
    (NUM, "2.5", r"'2.5' — a count must be a whole number"),
    (DEN, "33", r"'33' — the denominator counts procedures out of 32"),
    ("CIOの任命", "72", r"row 'cio_appointed'.*'72' — a yes/no row holds only 実施 or 未実施"),
    (NUM, "inf", r"unrecognised value 'inf'"),
    (NUM, "1e400", r"unrecognised value '1e400'"),
])
def test_impossible_counts_and_values_are_refused(tmp_path, names, label, value, pattern):
    rows = with_cell(base_rows(len(names)), label, len(names), 3, value)
    msg = refused(load_dashboard, write(tmp_path / MUNI_CMP, names, rows), pattern)
    assert "column 6" in msg or "unrecognised" in msg


def test_infinite_number_from_a_spreadsheet_is_refused(tmp_path, names):
    import numpy as np

    from helpers.loaders import dashboard_checks
    import pandas as pd

    frame = pd.DataFrame({"indicator": ["online32_online"] * 2, "value": [1.0, np.inf], "raw": ["1", "inf"],
                          "entity": ["a", "b"]})
    with pytest.raises(DashboardError, match=r"column 4 \(b\): value 'inf' — is not a finite number"):
        dashboard_checks.check_values(frame, "value", tmp_path / "x.xlsx", "indicator", 2)


def test_a_rates_row_mixing_scales_is_refused(tmp_path, names):
    cells = ["0.5"] * len(names)
    cells[10] = "45"
    rows = [(G32, "転出届", cells)]
    refused(load_online_rates, write(tmp_path / MUNI_RATES, names, rows), r"row '転出届', column \d+ .* one scale per row")


def test_an_empty_first_sheet_is_named_as_such(tmp_path, names):
    """Only the first sheet is read: a workbook whose table is on its second sheet is told so."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "メモ"
    ws = wb.create_sheet("data")
    ws.append(["", "", *names])
    ws.append(["自治体DXの推進体制等", "CIOの任命", *["実施"] * len(names)])
    path = tmp_path / "two_sheets.xlsx"
    wb.save(path)
    refused(load_dashboard, path, r"its first sheet has no data rows \(only the first sheet is read")


def test_the_runner_names_the_line_and_label_of_a_non_export(tmp_path):
    from helpers.runner import run

    dash = tmp_path / "dash"
    dash.mkdir()
    (dash / MUNI_CMP).write_text("\n,,札幌市\n区分,何かの表,1\n", encoding="utf-8")
    with pytest.raises(run.UsageError, match=r"line 3: '何かの表' is neither a 比較 indicator nor a 申請率 procedure group"):
        run._check_dashboard(dash)
