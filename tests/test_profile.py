"""The prefecture profile (issue 14): parameter resolution, the size-adjusted maths on synthetic
frames, the small-n statement, and one language per generated report."""

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import stats

from helpers.analysis import profile as pf
from helpers.words import profile as profile_words
from helpers.words.lang_scan import foreign_words
from helpers.loaders.params import ParameterError
from helpers.loaders.profile_params import prefectures, resolve_prefecture
from helpers.words.catalog.profile import TEXT

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "06_prefecture_profile.ipynb"


# ------------------------------------------------------------------------------ parameters

@pytest.mark.parametrize("value", ["13", 13, "東京都", "東京", "Tokyo", "tokyo", " TOKYO "])
def test_tokyo_by_code_or_name(value):
    p = resolve_prefecture(value)
    assert (p.code, p.name_ja, p.name_en, p.slug) == ("13", "東京都", "Tokyo", "13_tokyo")


@pytest.mark.parametrize("value, code", [("01", "01"), ("1", "01"), (1, "01"), ("北海道", "01"), ("Hokkaido", "01"),
                                         ("京都", "26"), ("京都府", "26"), ("47", "47"), ("沖縄県", "47"),
                                         ("ishikawa", "17")])
def test_codes_and_names_resolve(value, code):
    assert resolve_prefecture(value).code == code


def test_every_prefecture_resolves_by_each_of_its_names():
    table = prefectures()
    assert len(table) == 47
    for p in table:
        assert resolve_prefecture(p.code) == resolve_prefecture(p.name_ja) == resolve_prefecture(p.name_en) == p


@pytest.mark.parametrize("value", ["Tokio", "48", "00", "0", "130", "", None, True, 13.0, "東京市", "Tokyo-to"])
def test_a_bad_value_is_one_clear_line(value):
    with pytest.raises(ParameterError) as err:
        resolve_prefecture(value)
    message = str(err.value)
    assert "\n" not in message and message.startswith("pref_code must be a prefecture code 01–47")
    assert repr(value) in message


def test_a_near_miss_gets_a_suggestion():
    with pytest.raises(ParameterError, match=r"did you mean Tokyo\?"):
        resolve_prefecture("Tokio")


# ------------------------------------------------------------------------------ observed vs expected

def test_poisson_binomial_is_the_binomial_when_rates_are_equal():
    from scipy.stats import binom

    pmf = stats.poisson_binomial([0.3] * 12)
    assert pmf == pytest.approx(binom.pmf(range(13), 12, 0.3))
    p = [0.1, 0.5, 0.9, 0.99, 0.0, 1.0]
    pmf = stats.poisson_binomial(p)
    assert pmf.sum() == pytest.approx(1.0)
    assert (np.arange(len(pmf)) * pmf).sum() == pytest.approx(sum(p))          # mean = Σp
    assert pmf[0] == 0 and pmf[-1] == 0                                         # one certain yes, one certain no


def test_chance_range_and_p_value_agree():
    from scipy.stats import binom

    pmf = stats.poisson_binomial([0.5] * 20)
    lo, hi = pf.chance_range(pmf)
    assert binom.cdf(lo - 1, 20, 0.5) < 0.025 <= binom.cdf(lo, 20, 0.5)      # largest l with P(X<l) < 2.5 %
    assert binom.sf(hi, 20, 0.5) < 0.025 <= binom.sf(hi - 1, 20, 0.5)        # smallest h with P(X>h) < 2.5 %
    for k in range(21):
        outside = k < lo or k > hi
        assert (pf.two_sided_p(pmf, k) < 0.05) == outside


def _frame(rows):
    from helpers.loaders.dashboard_labels import BINARY

    out = pd.DataFrame(rows)
    for b in BINARY:
        if b not in out:
            out[b] = np.nan
    return out


def test_observed_expected_by_hand():
    # reference: class A 8 of 10 yes (0.8), class B 2 of 10 (0.2)
    ref = _frame([{"size_class": "A", "ai": float(i < 8)} for i in range(10)]
                 + [{"size_class": "B", "ai": float(i < 2)} for i in range(10)])
    # target: 3 in A and 2 in B, all yes; one not surveyed (missing, never 0), one of unknown size
    tgt = _frame([{"size_class": "A", "ai": 1.0}] * 3 + [{"size_class": "B", "ai": 1.0}] * 2
                 + [{"size_class": "A", "ai": np.nan}, {"size_class": "unknown", "ai": 0.0}])
    r = pf.observed_expected(tgt, ref, ["ai"]).iloc[0]
    assert (r.n, r.excluded, r.observed) == (5, 1, 5)
    assert r.expected == pytest.approx(3 * 0.8 + 2 * 0.2)
    assert r.exp_rate == pytest.approx(100 * 2.8 / 5) and r.obs_rate == pytest.approx(100.0)
    assert r.diff_pp == pytest.approx(100 * (5 - 2.8) / 5)
    p_all = 0.8 ** 3 * 0.2 ** 2                                               # P(X = 5)
    assert r.p_value == pytest.approx(2 * p_all)                               # 0.041: below 0.05
    assert r.range_hi == 4 and r.verdict == "ahead" and r.small_n
    # one fewer yes in B: 4 of 5 is inside the range, so no verdict
    tgt.loc[4, "ai"] = 0.0
    r = pf.observed_expected(tgt, ref, ["ai"]).iloc[0]
    assert r.observed == 4 and r.verdict == "within" and r.range_lo <= 4 <= r.range_hi
    # a class the reference lacks is excluded, not guessed
    r = pf.observed_expected(tgt.assign(size_class="C"), ref, ["ai"]).iloc[0]
    assert r.n == 0 and r.excluded == 6 and math.isnan(r.p_value)


def test_behind_is_symmetric():
    ref = _frame([{"size_class": "A", "rpa": float(i < 9)} for i in range(10)])
    tgt = _frame([{"size_class": "A", "rpa": 0.0}] * 4)
    r = pf.observed_expected(tgt, ref, ["rpa"]).iloc[0]
    assert r.expected == pytest.approx(3.6) and r.p_value == pytest.approx(2 * 0.1 ** 4) and r.verdict == "behind"


# ------------------------------------------------------------------------------ small n

def _oe(n, observed):
    ref = _frame([{"size_class": "A", "ai": float(i % 2 == 0)} for i in range(200)])
    tgt = _frame([{"size_class": "A", "ai": float(i < observed)} for i in range(n)])
    return pf.observed_expected(tgt, ref, ["ai"])


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_small_n_is_said_and_a_large_n_is_not(lang):
    small = _oe(8, 5)
    text = profile_words.small_n_statement(small, lang)
    assert text and "n=8" in text and str(pf.SMALL_N) in text
    assert foreign_words(text, lang) == []
    # the detectable difference it quotes follows from the chance range
    r = small.iloc[0]
    pp = round(max(r.expected - r.range_lo, r.range_hi - r.expected) / r.n * 100)
    assert f"{pp}" in text
    assert profile_words.small_n_statement(_oe(60, 30), lang) == ""
    findings = profile_words.size_findings(small, "鳥取県" if lang == "ja" else "Tottori", lang)
    assert findings[-1] == text


# ------------------------------------------------------------------------------ wording and reports

def _plain(template: str) -> str:
    return re.sub(r"\{[^}]*\}", " ", template)


def test_texts_speak_one_language_each():
    for key, pair in TEXT.items():
        assert set(pair) == {"ja", "en"}, key
        assert foreign_words(_plain(pair["ja"]), "ja") == [], key
        assert foreign_words(_plain(pair["en"]), "en") == [], key


def test_every_procedure_has_an_english_gloss():
    from helpers.loaders.panel import RATE_PROCEDURES, rate_id

    for group, names in RATE_PROCEDURES.items():
        for i, name in enumerate(names, start=1):
            pair = TEXT[f"prof.proc.{rate_id(group, i)}"]
            assert pair["ja"] == name and pair["en"]


@pytest.mark.parametrize("path", sorted((ROOT / "reports" / "prefectures").glob("*/report.md")),
                         ids=lambda p: p.parent.name)
def test_committed_profile_speaks_japanese_only(path):
    assert foreign_words(path.read_text(encoding="utf-8"), "ja") == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_generated_profile_speaks_one_language(tmp_path, lang):
    """石川県 (not-surveyed municipalities named in the text) run by papermill in each language."""
    out = tmp_path / f"17_{lang}"
    env = {**os.environ, "MPLBACKEND": "Agg"}
    res = subprocess.run([sys.executable, "-m", "papermill", str(NOTEBOOK), str(tmp_path / "out.ipynb"),
                          "-r", "pref_code", "Ishikawa", "-p", "lang", lang, "-p", "output_dir", str(out),
                          "--no-progress-bar", "-k", "python3"],
                         capture_output=True, text=True, env=env, cwd=NOTEBOOK.parent, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert foreign_words(report, lang) == []
    assert ("石川県" if lang == "ja" else "Ishikawa") in report.splitlines()[0]
    assert "(17201)" in report or "（17201）" in report                            # 金沢市, not surveyed, with its code
    assert {p.name for p in (out / "figures").glob("*.png")} == {"municipal_shares.png", "size_adjusted.png",
                                                                 "map_readiness.png"}


def test_no_rank_and_no_interval_for_a_prefectures_own_online_share_or_its_yes_no_answers():
    """Each prefecture handles its own list of procedures (a different denominator), and the 47
    answers are a complete count: no rank, no interval."""
    from helpers.loaders.dashboard_labels import BINARY

    rows = []
    for i, (off, onl) in enumerate([(24, 17), (20, 19), (26, 10)]):
        rows.append({"pref_code": f"{i + 1:02d}", **{b: float(i % 2) for b in BINARY},
                     "online32_offered": off, "online32_online": onl})
    items, summary = pf.government(pd.DataFrame(rows), "01")
    assert items["lo"].isna().all() and items["hi"].isna().all()
    assert "online_rank" not in summary and (summary["offered_min"], summary["offered_max"]) == (20, 26)
    for lang in ("ja", "en"):
        table = profile_words.government_table(items, summary, "X", lang).to_string()
        assert ("順位なし" if lang == "ja" else "not ranked") in table
        assert "–" not in table.split("\n")[1]  # no interval in the first item's cells
        text = " ".join(profile_words.government_findings(items, summary, "X", lang))
        assert ("24手続" in text) if lang == "ja" else ("17 of them" in text)
        assert not re.search(r"\d+ of \d+ from the top|位（", text)


def test_profile_verdicts_are_holm_adjusted_and_used_by_the_summary():
    """Ten items of one prefecture are one family: an item at p ≈ 0.02 alone is 'ahead' before the
    correction and 'within' after it; the summary record (the profiles index) counts adjusted verdicts."""
    from statsmodels.stats.multitest import multipletests

    from helpers.loaders.dashboard_labels import BINARY

    items = list(BINARY)
    ref = pd.DataFrame([{"size_class": "a", **{i: float(j % 2) for i in items}} for j in range(2000)])
    tgt = pd.DataFrame([{"size_class": "a", **{i: float((j < 21) if i == items[0] else (j < 15)) for i in items}}
                        for j in range(30)])
    oe = pf.observed_expected(tgt, ref, items)
    first = oe.iloc[0]
    assert first["p_value"] < 0.05 and first["verdict_unadjusted"] == "ahead"
    assert np.allclose(oe["p_adjusted"], multipletests(oe["p_value"], method="holm")[1])
    assert first["verdict"] == ("ahead" if first["p_adjusted"] < 0.05 else "within") == "within"
    wide = pd.DataFrame({"pref_code": ["01"] * 30})
    rec = pf.summary_record("01", wide, None, {"observed": 1, "expected": 1}, oe)
    assert rec["ahead"] == 0 and rec["within"] == 10
    table = profile_words.size_table(oe, "en").to_string()
    assert "unadjusted: ahead" in table


# ------------------------------------------------------------------------------ lab safety (issue 22)

def test_default_output_dir_follows_pref_code(monkeypatch, tmp_path):
    from helpers.loaders.profile_params import profile_output_dir

    osaka = resolve_prefecture("大阪府")
    monkeypatch.setattr("helpers.paths.reports_dir", lambda: tmp_path / "reports")
    assert profile_output_dir(osaka, None) == tmp_path / "reports" / "prefectures" / "27_osaka"
    assert profile_output_dir(osaka, "") == tmp_path / "reports" / "prefectures" / "27_osaka"
    assert profile_output_dir(osaka, "../reports/prefectures/27_osaka") == Path("../reports/prefectures/27_osaka")
    assert profile_output_dir(osaka, tmp_path / "mine") == tmp_path / "mine"  # a folder of one's own
    assert profile_output_dir(osaka, tmp_path / "17_en") == tmp_path / "17_en"  # not a prefecture's folder


@pytest.mark.parametrize("folder", ["../reports/prefectures/13_tokyo", "13_tokyo", "/x/27_osaka/../01_hokkaido"])
def test_another_prefectures_folder_is_refused(folder):
    from helpers.reporting.notebook import setup
    from helpers.loaders.profile_params import profile_output_dir

    with pytest.raises(ParameterError, match=r"^output_dir .* is the folder of .* but pref_code is 27 Osaka") as e:
        profile_output_dir(resolve_prefecture("27"), folder)
    assert "\n" not in str(e.value)
    with pytest.raises(ParameterError):  # the notebook's setup cell stops on it too
        setup("prefecture_profile", "municipality", "ja", folder, None, pref=resolve_prefecture("27"))


@pytest.mark.slow
def test_a_hand_run_for_another_prefecture_leaves_other_folders_untouched(tmp_path):
    """The notebook as a user runs it in Lab: only pref_code and lang changed, output_dir left as it is."""
    import hashlib
    import shutil

    import nbformat
    from nbclient import NotebookClient
    from papermill.parameterize import parameterize_notebook

    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "reports" / "prefectures", root / "reports" / "prefectures")
    before = {p: hashlib.sha256(p.read_bytes()).digest() for p in (root / "reports").rglob("*") if p.is_file()}
    assert any(p.parent.name == "13_tokyo" for p in before)
    nb = nbformat.read(root / "notebooks" / NOTEBOOK.name, as_version=4)
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", {})
    nb = parameterize_notebook(nb, {"pref_code": "大阪府", "lang": "en"})
    env_root = os.environ.get("DXKIT_ROOT")
    os.environ["DXKIT_ROOT"] = str(root)  # the kernel inherits it
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(root / "notebooks")}}).execute()
    finally:
        if env_root is None:
            os.environ.pop("DXKIT_ROOT")
        else:
            os.environ["DXKIT_ROOT"] = env_root
    after = {p: hashlib.sha256(p.read_bytes()).digest() for p in (root / "reports").rglob("*") if p.is_file()}
    assert {p: h for p, h in after.items() if p in before} == before  # every other folder untouched
    written = {p.relative_to(root / "reports").parts[:2] for p in set(after) - set(before)}
    assert written == {("prefectures", "27_osaka")}
    assert "Osaka" in (root / "reports" / "prefectures" / "27_osaka" / "report.md").read_text(encoding="utf-8").splitlines()[0]


def test_a_prefecture_with_municipalities_not_surveyed_is_not_ranked_and_not_in_the_others_ranks():
    """Findings item: Ishikawa's shares of 11 of 19 municipalities (金沢市 not surveyed) were ranked
    '1 of 47 (for reference)'; shares over another coverage are not ranked, nor counted in others' ranks."""
    rows = []
    for pc, name, vals in (("01", "北海道", [1, 1, 0, 0]), ("02", "青森県", [1, 0, 0, 0]),
                           ("17", "石川県", [np.nan, 1, 1, 1])):
        for j, v in enumerate(vals):
            code = "17201" if pc == "17" and j == 0 else f"{pc}9{j:02d}"
            rows.append({"pref_code": pc, "pref_name": name, "code5": code, "size_class": "a", "cio_appointed": v})
    wide = pd.DataFrame(rows)
    own = pf.municipal_comparison(wide, "17", ["cio_appointed"]).iloc[0]
    assert own["partial"] and own["missing"] == 1 and own["largest_missing"] == "金沢市"
    other = pf.municipal_comparison(wide, "01", ["cio_appointed"]).iloc[0]
    assert (other["rank"], other["ranked"]) == (1, 2)  # Ishikawa's 100 % is left out of the ordering
    # a table mixing unranked and ranked rows shows whole ranks ('1 of 2', never '1.0')
    comp = pd.concat([pf.municipal_comparison(wide, c, ["cio_appointed"]) for c in ("17", "01")], ignore_index=True)
    cells = profile_words.comparison_table(comp, "X", "en").iloc[:, -1].tolist()
    assert cells[1] == "1 of 2", cells
    for lang, want in (("ja", "順位なし（4団体中1団体が調査無し、金沢市を含む）"), ("en", "not ranked (1 of 4 not surveyed, incl. 金沢市 (17201))")):
        table = profile_words.comparison_table(pf.municipal_comparison(wide, "17", ["cio_appointed"]), "X", lang)
        cell = table.iloc[0, -1]
        assert cell == want
        assert "参考" not in cell and "reference" not in cell


def test_ishikawa_coverage_finding_says_rest_on_those_that_answered_once(dashboard_dir):
    """Findings item: the Ishikawa key finding said 'rest on the 11 that answered' twice."""
    from helpers.loaders import panel

    long = panel.load_panel(dashboard_dir)
    wide = panel.wide_panel(long)
    for lang, phrase in (("en", r"rest on"), ("ja", r"団体(だけ)?による")):
        [text] = profile_words.coverage_findings(long, wide, "17", "石川県" if lang == "ja" else "Ishikawa", lang)
        assert len(re.findall(phrase, text)) == 1, text
        assert "金沢市" in text


def test_a_procedure_has_one_english_name_across_reports():
    """Findings item 25: the profile said 'tendering' where the online report says 'Bidding' (入札)."""
    from helpers.words.i18n import TEXT, t

    t("report.entity", "en")
    names = {v["en"].lower() for k, v in TEXT.items() if v.get("ja") == "入札"}
    assert TEXT["prof.proc.online_rate_common32_15"]["en"] == "bidding"
    assert "tendering" not in names
