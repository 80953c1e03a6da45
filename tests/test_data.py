"""The national dataset: loaders and schemas, the audit, and every row traced to its source text."""

import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from helpers.loaders import data, provenance
from helpers.words import citations
from helpers.paths import data_dir
from helpers.loaders.provenance import derived_value, numbers, squash

def test_numbers_parser():
    assert numbers("都道府県 1,293 948 537") == {1293, 948, 537}
    assert 403631000 in numbers("403,631 千件")
    assert 499090000 in numbers("49,909万件")
    assert numbers("（７０．１％）") == {70.1}


def test_derived_value_parser():
    assert derived_value("市区町村で1,270団体(+48)", "1741") == 1222
    assert derived_value("都道府県で9団体(-5)", "43") == 14
    assert derived_value("都道府県で144人(±0)", "") == 144
    assert derived_value("都道府県で全団体(+3)", "47") == 44


def _texts(shared: Path) -> dict[str, str]:
    src = data.load_sources()
    return {r.key: squash((shared / r.text_file).read_text(encoding="utf-8")) for r in src.itertuples() if r.text_file}


@pytest.mark.parametrize("name", provenance.NATIONAL)
def test_every_row_is_found_in_its_source_document(shared_seeds, name):
    res = provenance.check(shared_seeds.parent, files=[name])
    assert res.problems == [], "\n".join(res.problems[:20])
    assert res.unverified == {} and res.checked > 0


def test_revisions_are_every_listed_correction_and_found_in_the_text(shared_seeds):
    from helpers.analysis import reconcile

    text = _texts(shared_seeds.parent)["soumu_series_page"]
    rev = reconcile.load_revisions()
    listed = len(re.findall(r"\(修正前\)", unicodedata.normalize("NFKC", text)))
    # every correction with values, plus the 8th (FY2021, 2024-04-26, 「CIOの任命(P2〜3)」) whose
    # values the excerpt cuts off: recorded with blank values, never guessed
    valued = rev[rev["value_after"].notna()]
    assert len(valued) == listed == 7
    blank = rev[rev["value_after"].isna()]
    assert len(blank) == 1 and blank["value_before"].isna().all()
    assert (blank["edition"].iloc[0], blank["corrected_on"].iloc[0].strftime("%Y-%m-%d")) == (2021, "2024-04-26")
    assert "CIOの任命(P2〜3)" in blank["stated_as"].iloc[0]
    for r in rev.itertuples():
        assert squash(r.stated_as) in text, r.stated_as
    for r in valued.itertuples():
        assert {r.value_before, r.value_after} <= numbers(r.stated_as)
    assert set(rev["corrected_on"].dt.strftime("%Y-%m-%d")) == {"2023-04-28", "2024-04-26"}


def test_series_breaks_quote_their_source(shared_seeds):
    from helpers.loaders import series

    texts = _texts(shared_seeds.parent)
    for r in series.breaks().itertuples():
        assert squash(r.stated_as) in texts[r.source], (r.indicator, r.stated_as)


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


def test_rows_whose_source_text_is_absent_are_reported_not_trusted(tmp_path):
    res = provenance.check(tmp_path)  # an empty sources folder
    assert res.checked == 0 and res.problems == []
    assert res.unverified["soumu_dx_overview_fy2021"] > 0


def test_the_source_check_has_teeth(shared_seeds):
    text = _texts(shared_seeds.parent)["soumu_dx_overview_fy2021"]
    assert squash("1,220団体 (70.1%)") in text
    assert squash("1,221団体 (70.1%)") not in text
    assert 1221 not in numbers("1,220団体 (70.1%)")


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
    assert "二次資料" in citations.source_citation("blog_fy2023_summary", "ja")
    assert "secondary" in citations.source_citation("blog_fy2023_summary", "en")
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
    res = citations.with_explanations(data.audit(df), "en")
    assert list(res["indicator"]) == ["bad"]
    assert res.loc[0, "check"] == "percent_vs_count_base"
    assert "70.1%" in res.loc[0, "explanation"]


def test_audit_explains_a_respondents_base():
    df = _frame([["x", "municipality", "2023-04-01", 1270, 1741, 73.3, 1, "organisations", "s", "x", ""]])
    res = citations.with_explanations(data.audit(df), "en")
    assert "1,733" in res.loc[0, "explanation"]
    df2 = _frame([["x", "municipality", "2021-04-01", 1270, 1741, 73.3, 1, "organisations", "s", "x", ""]])
    assert "misprint" in citations.with_explanations(data.audit(df2), "en").loc[0, "explanation"]


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
    res = citations.with_explanations(data.audit(data.load_indicators()), "en")
    assert len(res) > 0
    assert res["explanation"].str.len().gt(20).all()
    totals = data.audit_online_totals(data.load_online_totals())
    assert list(totals.columns)[-1] == "recomputed_rate"


def test_a_mistyped_number_is_caught_by_the_source_check(shared_seeds, data_copy):
    _edit(data_copy / "national" / "indicators.csv", ",municipality,2021-04-01,1220,1741,70.1,",
          ",municipality,2021-04-01,1221,1741,70.1,")
    res = provenance.check(shared_seeds.parent, data=data_copy, files=["indicators"])
    assert len(res.problems) == 1 and "count=1221 is not stated" in res.problems[0]


def test_fy2023_staff_development_is_on_the_respondents_base():
    """The article's 82.9 % is the dashboard's 職員育成の取組 on the 1,733 respondents (1,437/1,733)."""
    from helpers.loaders import entity
    from helpers.paths import data_dir

    ind = data.load_indicators()
    row = ind[(ind["indicator"] == "staff_development") & (ind["tier"] == "municipality")
              & (ind["as_of"] == pd.Timestamp("2023-04-01"))].iloc[0]
    muni = entity.load_export(data_dir() / "external" / "dashboard")["municipal_comparison"]
    s = muni[muni["indicator"] == "staff_development"]
    yes, answered = int((s["value"] == 1).sum()), int(s["value"].notna().sum())
    assert answered == int(row["base"]) == 1733
    assert round(100 * yes / answered, 1) == float(row["percent"])


def test_every_omission_is_recorded_with_its_fragment_and_reason(shared_seeds):
    """Figures left out are listed with the fragment seen in the source and why."""
    import csv

    from helpers.paths import data_dir
    from helpers.loaders.provenance import squash

    texts = _texts(shared_seeds.parent)
    with (data_dir() / "national" / "omissions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["section"].split()[1] for r in rows} >= {"第20図"}
    for r in rows:
        assert squash(r["stated_as"]) in texts[r["source"]], r["stated_as"]
        assert len(r["reason"]) > 40
