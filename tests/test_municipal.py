"""The municipal-panel statistics (helpers.analysis.municipal) on synthetic frames, and their wording
(helpers.words.municipal)."""

import math
import re

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import stats

from helpers.analysis import municipal as mu
from helpers.loaders.dashboard_labels import BINARY
from helpers.words.i18n import TEXT, t
from helpers.words.lang_scan import foreign_words


def _wilson(k, n, z=1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def test_wilson_matches_the_formula_and_known_values():
    lo, hi = stats.wilson([8, 0, 10, 50], [10, 10, 10, 100])
    for (k, n), a, b in zip([(8, 10), (0, 10), (10, 10), (50, 100)], lo, hi):
        want = _wilson(k, n)
        assert a == pytest.approx(want[0], abs=1e-9) and b == pytest.approx(want[1], abs=1e-9)
    assert lo[0] == pytest.approx(49.02, abs=0.01) and hi[0] == pytest.approx(94.33, abs=0.01)
    assert lo[1] == pytest.approx(0, abs=1e-9) and hi[2] == pytest.approx(100, abs=1e-9)
    nan_lo, nan_hi = stats.wilson([0], [0])
    assert math.isnan(nan_lo[0]) and math.isnan(nan_hi[0])


def _wide(n=6):
    rows = []
    for i in range(n):
        rows.append({"code5": f"{i:05d}", "pref_code": "01", "pref_name": "北海道", "name": f"m{i}", "type": "town",
                     "size_class": "lt5k" if i < 3 else "5k_10k", "population_2020": 1000 + i,
                     **{b: float(i % 2) for b in BINARY}})
    return pd.DataFrame(rows)


def test_adoption_leaves_the_not_surveyed_out_of_the_denominator():
    w = _wide()
    w.loc[0, "cio_appointed"] = np.nan       # not surveyed: never 0
    r = mu.adoption(w, "size_class", ["cio_appointed"]).set_index("group")
    assert (r.loc["lt5k", "n"], r.loc["lt5k", "yes"], r.loc["lt5k", "missing"]) == (2, 1, 1)
    assert r.loc["lt5k", "rate"] == pytest.approx(50.0)
    assert r.loc["all", "n"] == 5 and r.loc["all", "yes"] == 3
    lo, hi = _wilson(1, 2)
    assert r.loc["lt5k", "lo"] == pytest.approx(lo) and r.loc["lt5k", "hi"] == pytest.approx(hi)
    assert list(r.index) == ["lt5k", "5k_10k", "all"]    # classes in size order, empty ones left out


def test_online_share_is_pooled_not_a_mean_of_ratios():
    w = _wide(3).assign(online32_offered=[1.0, 9.0, 0.0], online32_online=[1.0, 0.0, 0.0], size_class="lt5k")
    per = mu.online32(w)
    assert per["share"].tolist()[:2] == [100.0, 0.0] and math.isnan(per["share"].iloc[2])   # 0 offered: no value
    pooled = mu.online32_pooled(w).set_index("group")
    assert pooled.loc["lt5k", "pooled_share"] == pytest.approx(10.0)                     # 1 / 10, not (100+0)/2
    assert pooled.loc["lt5k", "no_procedure"] == 1 and pooled.loc["lt5k", "offered"] == 10


def test_readiness_handles_missing_items():
    w = _wide(4)
    for b in BINARY:
        w[b] = 1.0
    w.loc[0, BINARY[0]] = np.nan                          # 1 of 10 missing: 9/9 met
    w.loc[1, BINARY[:7]] = np.nan                         # 7 missing: too few items, no score
    w.loc[2, BINARY] = 0.0                                # surveyed, nothing met: 0, not missing
    w.loc[3, BINARY[:2]] = [0.0, np.nan]                  # 8 of 9 met
    s = mu.readiness(w).set_index("code5")
    assert s.loc["00000", "score"] == pytest.approx(100.0) and s.loc["00000", "items_surveyed"] == 9
    assert math.isnan(s.loc["00001", "score"]) and s.loc["00001", "status"] == "too_few_items"
    assert s.loc["00002", "score"] == 0.0 and s.loc["00002", "status"] == "scored"
    assert s.loc["00003", "score"] == pytest.approx(100 * 8 / 9)
    dist = mu.readiness_by(s.reset_index(), "size_class").set_index("group")
    assert dist.loc["all", "scored"] == 3 and dist.loc["all", "municipalities"] == 4


def _simulated(n=3000, seed=7, slope=0.4, town=-0.6, governance=0.7, confounded=False):
    """Municipalities with a planted effect of log2(population), of being a town and of a
    governance item on the outcome (on the logit scale); ``confounded``: larger municipalities
    are also likelier to have the governance item."""
    rng = np.random.default_rng(seed)
    types = rng.choice(["village", "town", "city", "core_city"], size=n, p=[0.15, 0.4, 0.4, 0.05])
    log2pop = rng.uniform(9, 20, size=n)
    p_gov = 1 / (1 + np.exp(-(log2pop - 14.5))) if confounded else np.full(n, 0.5)
    gov = rng.binomial(1, p_gov).astype(float)
    eta = -4.5 + slope * log2pop + town * (types == "town") + governance * gov
    y = rng.binomial(1, 1 / (1 + np.exp(-eta))).astype(float)
    return pd.DataFrame({"code5": [f"{i:05d}" for i in range(n)], "pref_code": [f"{i % 40:02d}" for i in range(n)],
                         "pref_name": "x", "name": "m", "type": types, "size_class": "10k_50k",
                         "population_2020": np.round(2 ** log2pop), "ai": y, "dx_policy": gov})


def test_logit_recovers_a_planted_size_effect():
    w = _simulated()
    models, fits = mu.size_models(w, ["ai"])
    r = models.iloc[0]
    assert r["lo"] < math.exp(0.4) < r["hi"]                      # odds ratio per doubling
    assert r["odds_ratio"] == pytest.approx(math.exp(0.4), rel=0.1)
    assert r["or_town_lo"] < math.exp(-0.6) < r["or_town_hi"]
    assert r["fe_lo"] < math.exp(0.4) < r["fe_hi"]                # prefecture fixed effects agree
    assert r["ame_lo"] < r["ame_pp"] < r["ame_hi"] and r["ame_pp"] > 0
    assert r["converged"] and r["dropped_groups"] == ""
    curves = mu.predicted_curves(fits, w)
    assert set(curves["model_group"]) == {"village", "town", "city", "large_city"}
    assert ((curves["lo"] <= curves["p"]) & (curves["p"] <= curves["hi"])).all()
    town = curves[curves["model_group"] == "town"].sort_values("population")
    assert town["p"].is_monotonic_increasing


def test_governance_association_is_adjusted_for_size():
    w = _simulated(governance=0.7)
    a = mu.governance_outcome(w, ["dx_policy"], ["ai"]).iloc[0]
    assert a["lo"] < math.exp(0.7) < a["hi"]
    # no effect, but the item is commoner in larger municipalities: the raw shares differ a lot,
    # the size-adjusted odds ratio stays near 1
    w0 = _simulated(governance=0.0, confounded=True)
    b = mu.governance_outcome(w0, ["dx_policy"], ["ai"]).iloc[0]
    assert b["rate_with"] - b["rate_without"] > 30
    assert b["lo"] < 1 < b["hi"] and 0.75 < b["odds_ratio"] < 1.33


def test_a_separated_type_group_is_left_out_not_infinite():
    w = _simulated()
    w.loc[w["type"] == "core_city", "ai"] = 1.0               # every large city adopts
    models, _ = mu.size_models(w, ["ai"])
    r = models.iloc[0]
    assert r["dropped_groups"] == "large_city" and math.isnan(r["or_large_city"])
    assert np.isfinite([r["odds_ratio"], r["lo"], r["hi"]]).all()


def test_a_prefecture_answering_all_alike_leaves_the_fixed_effects_model():
    w = _simulated()
    w.loc[w["pref_code"] == "03", "ai"] = 1.0
    r = mu.size_models(w, ["ai"])[0].iloc[0]
    assert r["fe_left_out"] == "03" and r["fe_prefectures"] == 39


def test_prefecture_rates_carry_the_prefecture_government():
    w = _wide(4).assign(pref_code=["01", "01", "02", "02"], pref_name=["北海道", "北海道", "青森県", "青森県"])
    gov = pd.DataFrame({"pref_code": ["01", "02"], **{b: [1.0, 0.0] for b in BINARY}})
    r = mu.prefecture_rates(w, ["ai"], gov).set_index("pref_code")
    assert r.loc["01", "government"] == 1.0 and r.loc["02", "government"] == 0.0
    assert r.loc["02", "n"] == 2 and r.loc["02", "yes"] == 1


def test_wording_exists_in_both_languages_and_speaks_one_language():
    keys = [k for k in TEXT if k.startswith("muni.") or k == "theme.municipalities"]
    assert len(keys) > 100
    filled = {lang: {k: re.sub(r"\{[^}]*\}", "1", TEXT[k][lang]) for k in keys} for lang in ("ja", "en")}
    for k in keys:
        assert set(TEXT[k]) == {"ja", "en"}, k
        assert foreign_words(filled["ja"][k], "ja") == [], k
        assert foreign_words(filled["en"][k], "en") == [], k
    for ind in BINARY:
        assert t(f"muni.ind.{ind}", "ja") and t(f"muni.ind.{ind}", "en")


def test_ishikawa_note_cites_the_reason_names_the_largest_city_and_says_not_like_for_like():
    """The not-surveyed municipalities of 石川県 include 金沢市, found from the census (not typed). The
    note stands in reports that show no rank, so it does not talk about one (findings item 17)."""
    from helpers.words import entity as entity_words

    ctx = entity_words.not_surveyed_context("17", "石川県", ["17201", "17202"], "ja", ref="[9]", answered=11)
    assert "能登半島地震" in ctx and "[9]" in ctx and "金沢市" in ctx and "11団体" in ctx and "同じ範囲の比較にならない" in ctx
    assert "順位" not in ctx
    # without the largest municipality among them, it is not named
    assert "金沢市" not in entity_words.not_surveyed_context("17", "石川県", ["17202"], "ja", answered=18)
    en = entity_words.not_surveyed_context("17", "Ishikawa", ["17201"], "en", ref="[9]", answered=11)
    assert "Noto" in en and "17201" in en and "rank" not in en


def test_online_finding_gives_both_counts_of_municipalities():
    """Findings item: the text said '1,739 municipalities' beside a table row of 1,741 without saying
    that 2 offer none of the 32 procedures."""
    from helpers.words import municipal as words

    rows = [{"group": g, "pooled_share": s, "online": 10, "offered": 40, "municipalities": m, "no_procedure": z}
            for g, s, m, z in (("lt5k", 17.7, 290, 2), ("200k_plus", 52.8, 110, 0), (mu.ALL, 32.3, 1741, 2))]
    for lang, want in (("ja", "1,741団体のうち手続を扱う1,739団体"), ("en", "by the 1,739 of the 1,741 municipalities")):
        [text] = words.online_findings(pd.DataFrame(rows), lang)
        assert want in text
