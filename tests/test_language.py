"""One language per report: every generated report is scanned for words of the other language."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.words.lang_scan import foreign_words

ROOT = Path(__file__).resolve().parents[1]


def _reports(folder: Path) -> list[Path]:
    return (sorted(folder.glob("*/report.md")) + sorted(folder.glob("*.md"))
            + sorted(folder.glob("prefectures/*/report.md")) + sorted(folder.glob("prefectures/*.md")))


def test_the_scan_has_teeth():
    assert foreign_words("## 主な結果\n\n- CIOの任命は70.1%。\n", "ja") == []
    planted = foreign_words("## 主な結果\n\n- CIOの任命は70.1%。\n- The CIO share rose.\n", "ja")
    assert len(planted) == 1 and "The" in planted[0]
    assert foreign_words("- CIO appointed: 70.1% (municipalities).\n", "en") == []
    assert foreign_words("- 市区町村 70.1%\n", "en")
    assert foreign_words("- Fuchu 府中市 (13206): 1 of 2\n", "en") == []  # names with their code are allowed
    assert foreign_words("- `cio_appointed` は識別子\n## 出典\n1. ITmedia\n", "ja") == []


@pytest.mark.parametrize("path", _reports(ROOT / "reports"), ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_reports_speak_japanese_only(path):
    assert foreign_words(path.read_text(encoding="utf-8"), "ja") == []


@pytest.mark.slow
def test_english_batch_speaks_english_only(tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    res = subprocess.run([sys.executable, "-m", "helpers.runner.run", "--lang", "en", "--out", str(tmp_path / "en")],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    problems = {str(p.relative_to(tmp_path)): foreign_words(p.read_text(encoding="utf-8"), "en")
                for p in _reports(tmp_path / "en")}
    assert {k: v for k, v in problems.items() if v} == {}


def test_a_placeholder_without_a_value_is_an_error():
    """A text with {placeholders} called without their values must fail, not print a raw '{date}'."""
    from helpers.words.i18n import TEXT, t

    TEXT["test.placeholder"] = {"ja": "{date}時点", "en": "as of {date}"}
    try:
        assert t("test.placeholder", "en", date="2024-07-12") == "as of 2024-07-12"
        with pytest.raises(KeyError, match=r"'test.placeholder' \(en\) needs a value for \{date\}"):
            t("test.placeholder", "en")
        with pytest.raises(KeyError, match=r"needs a value for \{date\}"):
            t("test.placeholder", "ja", other="x")
    finally:
        del TEXT["test.placeholder"]


def test_reader_facing_text_has_no_named_jargon():
    """Findings item (referee): 'Per-entity data' headings and 「パラメータ `tier` の値によらない」 are
    jargon a reader cannot act on; the wording says 'by municipality' and drops the parameter."""
    from helpers.words.i18n import TEXT, t

    t("report.entity", "en")  # make sure every theme's texts are loaded
    for key, langs in TEXT.items():
        for lang, text in langs.items():
            assert "per-entity" not in text.lower(), (key, lang)
            assert "`tier`" not in text and "パラメータ" not in text or key.startswith("uptake.text.fit_rule"), (key, lang)


def test_japanese_wording_fixes_of_the_referee_round():
    """Findings item 24: counters after numbers, のは, full-width colon, final 「。」 on bullets."""
    from helpers.words.i18n import t

    assert t("report.audit_flags", "ja", items="x").endswith("。")
    assert t("report.audit_flags", "en", items="x").endswith(".")
    gov = t("prof.f.gov", "ja", pref="石川県", k=10, met=9, n=47, more=20, same=19, lacking="")
    assert "しているのは20都道府県、同じ9項目は19都道府県" in gov
    online = t("prof.f.gov_online", "ja", pref="石川県", off=18, on=9, rate="50.0", n=47, lo=10, hi=20)
    assert online.startswith("石川県自身が扱うのは32手続のうち18手続で")
    from helpers.words.i18n import TEXT

    assert "よく使う手続" not in TEXT["online.f.dash32"]["ja"]
