"""docs/adding-a-survey-year.md, followed end to end on a made-up FY2024 edition (synthetic text)."""

import csv
import shutil

import pytest

from helpers.loaders import data, provenance, series
from helpers.paths import data_dir

TEXT = """令和6年度 架空の調査結果（テスト用）
CIOを任命している市区町村は1,300団体（74.7%）である。
CIO補佐官等は今回から「外部の専門家に限る」と定義を改めた。該当する市区町村は500団体（28.7%）。
"""


def _append(path, row: dict) -> None:
    with path.open(encoding="utf-8") as fh:
        fields = next(csv.reader(fh))
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=fields, lineterminator="\n").writerow({k: row.get(k, "") for k in fields})


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(data_dir(), root / "data")
    sources = tmp_path / "my-sources"
    (sources / "fy2024").mkdir(parents=True)
    monkeypatch.setenv("DXKIT_ROOT", str(root))
    monkeypatch.setenv("DXKIT_SOURCES", str(sources))
    for cached in (data._catalog_ids, data._source_keys, series._breaks_table):
        cached.cache_clear()
    yield root / "data", sources
    for cached in (data._catalog_ids, data._source_keys, series._breaks_table):
        cached.cache_clear()


def test_follow_the_guide(project):
    folder, sources = project
    # 1. register the source; its text lives in the user's own sources folder
    (sources / "fy2024" / "overview.txt").write_text(TEXT, encoding="utf-8")
    _append(folder / "sources.csv", {"key": "demo_fy2024", "title": "架空の調査結果", "publisher": "テスト",
                                     "publisher_en": "Test", "title_en": "Made-up results", "published": "2025",
                                     "kind": "official", "text_file": "fy2024/overview.txt", "note": "test only"})
    # 2. transcribe a figure of an unchanged definition
    base = {"theme": "staffing", "tier": "municipality", "as_of": "2024-04-01", "base": "1741",
            "unit": "organisations", "as_of_assumed": "false", "status": "current", "source": "demo_fy2024",
            "section": "1"}
    _append(folder / "national" / "indicators.csv",
            {**base, "indicator": "cio_appointed", "count": "1300", "percent": "74.7", "series": "def2021",
             "stated_as": "市区町村は1,300団体（74.7%）", "note": "made-up"})
    res = provenance.check(sources, data=folder)
    assert res.problems == [] and res.unverified.get("demo_fy2024") is None
    assert res.unverified["soumu_dx_overview_fy2021"] > 0  # texts this folder lacks: reported, not trusted
    ind = data.load_indicators(folder)
    from helpers.analysis import common
    from helpers.words import formats

    r = common.rates(ind, ["cio_appointed"], ["municipality"])
    ch = common.changes(r)
    # FY2023 is known only from secondary summaries: under the secondary-source rule the new official
    # value is not paired with it (nor with FY2022 across it); the refusal is explained by the rule
    assert not (ch["as_of"] == "2024-04-01").any()
    br = formats.breaks(r, "en")
    assert list(br.loc[br["as_of"] == "2024-04-01", "kind"]) == ["source"]

    # 3. a definition change: new series + a row in series_breaks.csv
    _append(folder / "national" / "indicators.csv",
            {**base, "indicator": "cio_deputy_appointed", "count": "500", "percent": "28.7", "series": "def2024",
             "stated_as": "該当する市区町村は500団体（28.7%）", "note": "made-up; new definition"})
    ind = data.load_indicators(folder)
    r = common.rates(ind, ["cio_deputy_appointed"], ["municipality"])
    with pytest.raises(ValueError, match="no entry for indicators cio_deputy_appointed"):
        formats.breaks(r, "en")  # an undocumented break stops the analysis
    _append(folder / "series_breaks.csv",
            {"dataset": "indicators", "indicator": "cio_deputy_appointed", "from_series": "def2021",
             "to_series": "def2024", "kind": "definition", "what_ja": "外部の専門家に限る定義に変更",
             "what_en": "now limited to outside experts", "source": "demo_fy2024", "section": "1",
             "stated_as": "今回から「外部の専門家に限る」と定義を改めた"})
    series._breaks_table.cache_clear()
    assert list(formats.breaks(r, "en")["what"])[-1] == "now limited to outside experts"
    assert not (common.changes(r)["as_of"] == "2024-04-01").any()  # no change across the break
    assert provenance.check(sources, data=folder).problems == []

    # 5. the audit checks the new figures (a misprinted percent is flagged and explained)
    assert data.audit(ind.query("source == 'demo_fy2024'")).empty
    bad = ind.query("source == 'demo_fy2024'").assign(percent=lambda d: d["percent"] + 5)
    flagged = data.audit(bad)
    assert len(flagged) == 2 and set(flagged["reason"]) == {"misprint"}
