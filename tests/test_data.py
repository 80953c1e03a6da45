"""The national dataset: loaders and schemas, the audit, and every row traced to its source text."""

import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from helpers import data
from helpers.paths import data_dir

SOURCE_FILES = {  # paths under ../shared
    "soumu_dx_overview_fy2021": "seeds/000_c7814f0556f74afe.txt",
    "soumu_info_mgmt_fy2020": "seeds/001_25765129cf5569f8.txt",
    "soumu_dx_slides_2020": "seeds/002_a0cf693ba223fabe.txt",
    "blog_fy2023_summary": "seeds/003_ad852d096c3181f2.txt",
    "cas_kpi_note_2020": "seeds/004_23a4f65aaf597a1e.txt",
    "soumu_series_page": "sources/soumu_060213_02_index_excerpt.txt",
    "itmedia_fy2021_first_release": "sources/itmedia_2022-04_r3_excerpt.txt",
    "itmedia_fy2023_release": "sources/itmedia_2024-04_r5_excerpt.txt",
}
CHANGE = re.compile(r"(全団体|\d[\d,]*)\D{0,3}\(([+\-−±])(\d[\d,]*)\)")
ALL_PHRASES = ("全団体", "全ての団体", "全都道府県", "すべて", "全て")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
NATIONAL = ["indicators", "breakdowns", "online_procedures", "online_totals"]
NUMERIC = {"count", "percent", "annual_cases", "online_rate", "total_cases", "online_cases"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _numbers(fragment: str) -> set[float]:
    """Numbers as published in a fragment; 千 and 万 after a number also give the scaled value."""
    out: set[float] = set()
    text = unicodedata.normalize("NFKC", fragment)
    for m in NUMBER.finditer(text):
        v = float(m.group().replace(",", ""))
        out.add(v)
        unit = text[m.end():m.end() + 2].strip()[:1]
        if unit == "千":
            out.add(v * 1e3)
        elif unit == "万":
            out.add(v * 1e4)
    return out


def test_numbers_parser():
    assert _numbers("都道府県 1,293 948 537") == {1293, 948, 537}
    assert 403631000 in _numbers("403,631 千件")
    assert 499090000 in _numbers("49,909万件")
    assert _numbers("（７０．１％）") == {70.1}


def _derived_value(frag: str, base: str) -> float | None:
    """'1,270団体(+48)' → 1,222: the earlier value a stated change implies ('全団体' = the base)."""
    m = CHANGE.search(unicodedata.normalize("NFKC", frag))
    if not m:
        return None
    value = float(base) if m.group(1) == "全団体" else float(m.group(1).replace(",", ""))
    change = float(m.group(3).replace(",", ""))
    return value - change if m.group(2) == "+" else value + change if m.group(2) in "-−" else value


def test_derived_value_parser():
    assert _derived_value("市区町村で1,270団体(+48)", "1741") == 1222
    assert _derived_value("都道府県で9団体(-5)", "43") == 14
    assert _derived_value("都道府県で144人(±0)", "") == 144
    assert _derived_value("都道府県で全団体(+3)", "47") == 44


def _texts(shared: Path) -> dict[str, str]:
    return {k: _squash((shared / f).read_text(encoding="utf-8")) for k, f in SOURCE_FILES.items()}


@pytest.mark.parametrize("name", NATIONAL)
def test_every_row_is_found_in_its_source_document(shared_seeds, name):
    texts = _texts(shared_seeds.parent)
    df = pd.read_csv(data_dir() / "national" / f"{name}.csv", dtype=str, keep_default_na=False)
    problems = []
    for i, row in df.iterrows():
        where = f"{name}.csv row {i + 2}"
        frag = row["stated_as"]
        if _squash(frag) not in texts[row["source"]]:
            problems.append(f"{where}: stated_as {frag!r} not in {SOURCE_FILES[row['source']]}")
            continue
        if row.get("status") == "derived":  # value = stated value − stated change, both in the fragment
            if _derived_value(frag, row["base"]) != float(row["count"]):
                problems.append(f"{where}: derived count {row['count']} does not follow from {frag!r}")
            continue
        nums = _numbers(frag)
        for col in sorted(NUMERIC & set(df.columns)):
            if not row[col]:
                continue
            v = float(row[col])
            all_stated = col == "count" and row.get("base") and v == float(row["base"]) \
                and any(p in _squash(frag) for p in ALL_PHRASES)
            if not all_stated and not any(abs(v - n) < 1e-9 for n in nums):
                problems.append(f"{where}: {col}={row[col]} is not stated in {frag!r}")
    assert problems == [], "\n".join(problems[:20])


def test_revisions_are_every_listed_correction_and_found_in_the_text(shared_seeds):
    from helpers import reconcile

    text = _texts(shared_seeds.parent)["soumu_series_page"]
    rev = reconcile.load_revisions()
    listed = len(re.findall(r"\(修正前\)", unicodedata.normalize("NFKC", text)))
    assert len(rev) == listed == 7
    for r in rev.itertuples():
        assert _squash(r.stated_as) in text, r.stated_as
        assert {r.value_before, r.value_after} <= _numbers(r.stated_as)
    assert set(rev["corrected_on"].dt.strftime("%Y-%m-%d")) == {"2023-04-28", "2024-04-26"}


def test_series_breaks_quote_their_source(shared_seeds):
    from helpers import series

    texts = _texts(shared_seeds.parent)
    for r in series.breaks().itertuples():
        assert _squash(r.stated_as) in texts[r.source], (r.indicator, r.stated_as)


def test_superseded_first_release_values_are_never_current():
    ind = data.load_indicators()
    assert not (ind["status"] == "superseded").any()
    everything = data.load_indicators(include_superseded=True)
    old = everything[everything["status"] == "superseded"]
    assert {(r.indicator, r.tier, int(r.count)) for r in old.itertuples()} >= {
        ("cio_appointed", "municipality", 1274), ("cio_deputy_appointed", "municipality", 895)}
    cur = ind[(ind["indicator"] == "cio_appointed") & (ind["tier"] == "municipality")
              & (ind["as_of"] == "2021-04-01")]
    assert list(cur["count"]) == [1220]


def test_the_source_check_has_teeth(shared_seeds):
    text = _squash((shared_seeds.parent / SOURCE_FILES["soumu_dx_overview_fy2021"]).read_text(encoding="utf-8"))
    assert _squash("1,220団体 (70.1%)") in text
    assert _squash("1,221団体 (70.1%)") not in text
    assert 1221 not in _numbers("1,220団体 (70.1%)")


def test_loaders_return_typed_frames():
    ind = data.load_indicators()
    assert str(ind["count"].dtype) == "Int64" and str(ind["percent"].dtype) == "Float64"
    assert ind["as_of"].dtype.kind == "M"
    assert set(ind["tier"]) <= set(data.TIERS)
    assert set(ind["source"]) <= set(data.load_sources()["key"])
    assert set(ind["indicator"]) <= set(data.load_catalog()["id"])
    bd = data.load_breakdowns()
    assert set(bd["breakdown"]) <= set(data.load_catalog()["id"])
    proc = data.load_online_procedures()
    assert {2019, 2020} <= set(proc["fiscal_year"])
    for fy in (2019, 2020):
        sub = proc[(proc["fiscal_year"] == fy) & (proc["procedure_set"] == "58")]
        assert len(sub) == 58, fy
        assert sub.groupby("group").size().to_dict() == {"a": 24, "child": 15, "care": 11, "disaster": 8}
    tot = data.load_online_totals()
    assert {2016, 2017, 2018, 2019, 2020, 2022} <= set(tot["fiscal_year"])


def test_secondary_source_is_marked():
    src = data.load_sources().set_index("key")
    assert src.loc["blog_fy2023_summary", "kind"] == "secondary"
    assert "二次資料" in data.source_citation("blog_fy2023_summary", "ja")
    assert "secondary" in data.source_citation("blog_fy2023_summary", "en")
    ind = data.load_indicators()
    blog = ind[ind["source"] == "blog_fy2023_summary"]
    assert len(blog) > 0 and blog["note"].str.startswith("secondary source").all()


# ------------------------------------------------------------------ bad data files (copies)

@pytest.fixture
def data_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(data_dir(), dst)
    data._catalog_ids.cache_clear()
    data._source_keys.cache_clear()
    yield dst
    data._catalog_ids.cache_clear()
    data._source_keys.cache_clear()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "old,new,message",
    [
        (",municipality,2021-04-01,1220,1741,70.1,", ",municipality,2021-04-01,1220,1741,170.1,", "in_range"),
        (",municipality,2021-04-01,1220,1741,70.1,", ",municipality,2021-04-01,1999,1741,70.1,", "count <= base"),
        (",municipality,2021-04-01,1220,1741,70.1,", ",municipality,2021-13-01,1220,1741,70.1,", "ISO date"),
        (",municipality,2021-04-01,1220,1741,70.1,", ",town,2021-04-01,1220,1741,70.1,", "isin"),
        ("cio_appointed,staffing,municipality,2021-04-01", "cio_apointed,staffing,municipality,2021-04-01",
         "row 3, column indicator: unknown id 'cio_apointed' \\(did you mean 'cio_appointed'\\?\\)"),
        (",municipality,2021-04-01,1220,1741,70.1,", ",municipality,2021-04-01,1220,1741,70.1%,",
         "row 3, column percent: '70.1%' is not a number"),
    ],
)
def test_bad_indicator_rows_fail_with_one_line(data_copy, old, new, message):
    _edit(data_copy / "national" / "indicators.csv", old, new)
    with pytest.raises(data.DataError, match=message) as err:
        data.load_indicators(data_copy)
    assert "\n" not in str(err.value)


def test_a_truncated_indicators_file_is_refused(data_copy):
    path = data_copy / "national" / "indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")  # cut at a row boundary
    with pytest.raises(data.DataError, match=r"catalog id\(s\) have no row"):
        data.load_indicators(data_copy)
    text = "".join(lines)
    path.write_text(text[: len(text) // 2], encoding="utf-8")  # cut mid-row
    with pytest.raises(data.DataError, match=r"row \d+ has \d+ cells|no line break"):
        data.load_indicators(data_copy)


@pytest.mark.parametrize("content,message", [("", "empty"), ("indicator,theme\nx\n", "row 2 has 1 cells where the header has 2")])
def test_empty_and_short_rows_are_refused(data_copy, content, message):
    (data_copy / "national" / "indicators.csv").write_text(content, encoding="utf-8")
    with pytest.raises(data.DataError, match=message):
        data.load_indicators(data_copy)


def test_missing_file_and_missing_column(data_copy):
    (data_copy / "national" / "online_totals.csv").unlink()
    with pytest.raises(data.DataError, match="file not found"):
        data.load_online_totals(data_copy)
    _edit(data_copy / "national" / "indicators.csv", "stated_as", "quote")
    with pytest.raises(data.DataError, match="missing column"):
        data.load_indicators(data_copy)


def test_non_utf8_file_is_refused(data_copy):
    path = data_copy / "catalog.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp932", errors="replace") + b"\xff\xfe")
    with pytest.raises(data.DataError, match="UTF-8"):
        data.load_catalog(data_copy)


def test_duplicate_catalog_id_is_refused(data_copy):
    path = data_copy / "catalog.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError, match="duplicate id"):
        data.load_catalog(data_copy)


# ----------------------------------------------------------------------------------- audit

def _frame(rows):
    df = pd.DataFrame(rows, columns=["indicator", "tier", "as_of", "count", "base", "percent", "percent_decimals",
                                     "unit", "source", "section", "note"])
    df["as_of"] = pd.to_datetime(df["as_of"])
    for c in ("count", "base", "percent_decimals"):
        df[c] = df[c].astype("Int64")
    df["percent"] = df["percent"].astype("Float64")
    return df


def test_audit_finds_a_bad_percent_and_passes_a_good_one():
    df = _frame([
        ["good", "municipality", "2021-04-01", 1220, 1741, 70.1, 1, "organisations", "s", "x", ""],
        ["bad", "municipality", "2021-04-01", 1220, 1741, 71.1, 1, "organisations", "s", "x", ""],
        ["rounded_whole", "prefecture", "2021-04-01", 24, 47, 51, 0, "organisations", "s", "x", ""],
    ])
    res = data.audit(df)
    assert list(res["indicator"]) == ["bad"]
    assert res.loc[0, "check"] == "percent_vs_count_base"
    assert "70.1%" in res.loc[0, "explanation"]


def test_audit_explains_a_respondents_base():
    df = _frame([["x", "municipality", "2023-04-01", 1270, 1741, 73.3, 1, "organisations", "s", "x", ""]])
    res = data.audit(df)
    assert "1,733" in res.loc[0, "explanation"]
    df2 = _frame([["x", "municipality", "2021-04-01", 1270, 1741, 73.3, 1, "organisations", "s", "x", ""]])
    assert "misprint" in data.audit(df2).loc[0, "explanation"]


def test_audit_flags_counts_above_population_and_disagreeing_sources():
    df = _frame([
        ["over", "prefecture", "2021-04-01", 48, None, None, None, "organisations", "s", "x", ""],
        ["same", "prefecture", "2021-04-01", 30, 47, 63.8, 1, "organisations", "a", "x", ""],
        ["same", "prefecture", "2021-04-01", 31, 47, 66.0, 1, "organisations", "b", "x", ""],
    ])
    res = data.audit(df)
    assert set(res["check"]) == {"count_above_population", "sources_disagree"}
    assert (res["check"] == "sources_disagree").sum() == 2


def test_audit_of_the_real_data_is_stable_and_explained():
    res = data.audit(data.load_indicators())
    assert len(res) > 0
    assert res["explanation"].str.len().gt(20).all()
    totals = data.audit_online_totals(data.load_online_totals())
    assert list(totals.columns)[-1] == "recomputed_rate"
