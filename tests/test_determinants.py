"""Determinants (issue 23): residents covered, fiscal models, ICC, spatial weights and statistics —
each checked against an independent computation or a case with a known answer."""

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import stats

from helpers.loaders import panel, spatial
from helpers.runner import run
from helpers.analysis import determinants as de
from helpers.loaders.dashboard_labels import BINARY
from helpers.words.i18n import TEXT, t
from helpers.words.lang_scan import foreign_words
from helpers.words import determinants as words


@pytest.fixture(scope="module")
def wide() -> pd.DataFrame:
    return panel.with_finance(panel.wide_panel(panel.load_panel()))


@pytest.fixture(scope="module")
def d(wide) -> pd.DataFrame:
    return de.analysis_frame(wide)


@pytest.fixture(scope="module")
def weights() -> spatial.Weights:
    return spatial.load_weights()


def _lattice(rows: int, cols: int) -> spatial.Weights:
    """A rook lattice as Weights with string ids (a case with known answers)."""
    from libpysal.weights import W, lat2W

    base = lat2W(rows, cols, rook=True)
    ids = [f"{i:05d}" for i in range(rows * cols)]
    w = W({ids[i]: [ids[j] for j in js] for i, js in base.neighbors.items()}, id_order=ids)
    return spatial.Weights(w)


# ------------------------------------------------------------------------------ residents covered

def test_residents_covered_matches_a_direct_count(d):
    nat = de.residents_covered(d).set_index("indicator")
    s = d[d["ai"].notna() & d["population_2020"].notna()]
    assert nat.loc["ai", "n"] == len(s)
    assert nat.loc["ai", "share_munis"] == pytest.approx(100 * s["ai"].mean())
    pop = s["population_2020"].astype(float)
    assert nat.loc["ai", "share_residents"] == pytest.approx(100 * pop[s["ai"] == 1].sum() / pop.sum())
    assert round(nat.loc["ai", "share_munis"], 1) == 50.5 and round(nat.loc["ai", "share_residents"], 1) == 88.1
    assert (nat["lo"] <= nat["share_munis"]).all() and (nat["share_munis"] <= nat["hi"]).all()


def test_residents_by_prefecture_and_type(d):
    pref = de.residents_covered(d, "pref_code")
    hok = pref[(pref["group"] == "01") & (pref["indicator"] == "ai")].iloc[0]
    assert hok["pref_name"] == "北海道"
    assert round(hok["share_munis"], 1) == 17.3 and round(hok["share_residents"], 1) == 75.7
    assert pref["group"].nunique() == 47
    by_type = de.residents_covered(d, "type")
    assert list(dict.fromkeys(by_type["group"]))[0] == "village"  # smallest powers first
    total = by_type[by_type["indicator"] == "ai"]["n"].sum()
    assert total == de.residents_covered(d).set_index("indicator").loc["ai", "n"]


# ------------------------------------------------------------------------------ models

def test_analysis_frame_refuses_a_panel_without_finance(wide):
    with pytest.raises(ValueError, match="finance"):
        de.analysis_frame(panel.wide_panel(panel.load_panel()))


def test_fiscal_models_leave_the_special_wards_out(d):
    fm = de.fiscal_models(d, ["ai"]).iloc[0]
    non_ward = d[~d["ward"] & d["ai"].notna()]
    assert fm["n"] == len(non_ward) and d["ward"].sum() == 23
    assert fm["lo"] < fm["odds_ratio"] < fm["hi"]
    assert fm["ame_lo"] < fm["ame_pp"] < fm["ame_hi"]


def test_closed_form_marginal_effect_matches_statsmodels(d):
    from helpers.analysis import municipal as mu

    s = de.finance_sample(d)
    for ind in ("ai", "external_talent"):
        fit = mu.fit_logit(s, ind, extra=["fc10"])
        assert de._ame(fit, "fc10") == pytest.approx(de._ame_statsmodels(fit, "fc10"), rel=1e-9, abs=1e-12)
        assert de._ame(fit, "log2_pop") == pytest.approx(de._ame_statsmodels(fit, "log2_pop"), rel=1e-9, abs=1e-12)


def test_fiscal_model_finds_a_planted_association():
    rng = np.random.default_rng(3)
    n = 1200
    x = rng.uniform(0.1, 1.5, n)
    logpop = rng.normal(14, 1.5, n)
    p = 1 / (1 + np.exp(-(-3 + 3 * x + 0.1 * (logpop - 14))))
    frame = pd.DataFrame({"code5": [f"{i:05d}" for i in range(n)], "pref_code": [f"{i % 40:02d}" for i in range(n)],
                          "model_group": rng.choice(["village", "town", "city"], n), "log2_pop": logpop,
                          "fc10": x / 0.1, "ward": False, "ai": (rng.random(n) < p).astype(float)})
    fm = de.fiscal_models(frame, ["ai"]).iloc[0]
    assert fm["odds_ratio"] == pytest.approx(math.exp(0.3), rel=0.15)  # 3 per unit = 0.3 per 0.1
    assert fm["p_holm"] < 0.001


def test_holm_adjusts_within_a_family():
    adj = stats.holm([0.01, 0.04, 0.03, float("nan")])
    assert adj[0] == pytest.approx(0.03) and math.isnan(adj[3])
    assert (adj[:3] >= np.array([0.01, 0.04, 0.03])).all()


def test_holm_is_statsmodels_holm():
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(11)
    for m in (1, 2, 5, 40):
        for p in (rng.random(m), rng.random(m) ** 6, np.round(rng.random(m), 1)):  # the last with ties
            assert np.array_equal(stats.holm(p), multipletests(p, method="holm")[1])
    assert np.array_equal(stats.holm([0.01, 0.01, 0.5]), multipletests([0.01, 0.01, 0.5], method="holm")[1])
    assert stats.holm([0.6, 0.6]).tolist() == [1.0, 1.0]  # capped at 1


def test_sensitivity_codes_the_dash_with_a_dummy(d):
    sens = de.sensitivity(d, ["ai"])
    assert set(sens["spec"]) == set(de.SENSITIVITY)
    s, extra, _ = de._sens_column(de.finance_sample(d), "future_burden")
    assert extra == ["z", "fb_dash"]
    dash = s["future_burden_status"] == "at_or_below_zero"
    assert s.loc[dash, "fb_dash"].eq(1).all() and s.loc[~dash, "fb_dash"].eq(0).all()


def test_icc_recovers_a_known_share():
    rng = np.random.default_rng(7)
    groups = np.repeat(np.arange(40), 40)
    u = rng.normal(0, 1.0, 40)[groups]        # between-group variance 1
    e = rng.normal(0, 2.0, len(groups))       # within variance 4 → ICC 0.2
    frame = pd.DataFrame({"pref_code": [f"{g:02d}" for g in groups], "y": u + e})
    out = de.icc(frame, "y", covariates=False)
    assert out["lo"] < 0.2 < out["hi"] and out["lo"] < out["icc"] < out["hi"]
    flat = de.icc(frame.assign(y=e), "y", covariates=False)
    assert flat["lo"] == 0.0 and flat["icc"] < 0.05


def test_closed_form_profile_likelihood_matches_statsmodels(d):
    """The ICC interval's profile log-likelihood (closed form) differs from statsmodels' by a constant only."""
    import warnings

    import statsmodels.formula.api as smf
    from statsmodels.regression.mixed_linear_model import MixedLMParams

    s = de.finance_sample(d).dropna(subset=["ai", "fc10"]).assign(_y=lambda x: x["ai"].astype(float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.mixedlm("_y ~ log2_pop + C(model_group) + fc10", s, groups=s["pref_code"])
        model.fit(reml=True)
        fe = np.zeros(model.exog.shape[1])
        ref = lambda p: model.loglike(MixedLMParams.from_components(fe_params=fe, cov_re=np.array([[p]])),  # noqa: E731
                                      profile_fe=True)
        mine = de._profile_reml(model)
        for a, b in ((1e-9, 0.03), (0.01, 0.2), (0.05, 2.0)):
            assert mine(a) - mine(b) == pytest.approx(ref(a) - ref(b), rel=1e-9, abs=1e-9)


def test_prefecture_r2_matches_the_issue(d):
    r = de.prefecture_r2(d).iloc[0]
    assert round(r["r2_size_type"], 2) == 0.36 and round(r["r2_with_prefecture"], 2) == 0.49
    assert r["df"] == 46 and r["df_resid"] == r["n"] - 46 - 1 - 1 - 3   # F(df1, df2): both degrees of freedom
    cell = words.r2_table(de.prefecture_r2(d), "en").iloc[0, 3]
    assert cell.endswith(f"(46, {int(r['df_resid']):,})")
    assert words.r2_table(de.prefecture_r2(d), "ja").iloc[0, 3].endswith(f"（46, {int(r['df_resid']):,}）")


# ------------------------------------------------------------------------------ spatial

def test_weights_cover_every_drawable_municipality(weights):
    w = weights.w
    assert weights.n == 1741 - len(weights.no_polygon) == 1730
    assert not w.islands                                   # the k-NN fallback attached every island
    assert all(i in w.neighbors[j] for i, js in w.neighbors.items() for j in js)  # symmetric
    assert "13102" in w.neighbors["13101"]                 # 千代田区 – 中央区
    assert "47382" in weights.islands                      # 与那国町 has no contiguous neighbour
    assert "13362" in weights.no_polygon                   # 利島村: no polygon in the simplified file


def test_subset_drops_links_to_left_out_codes(weights):
    keep = [c for c in weights.w.id_order if c != "13102"]
    sub = spatial.subset(weights, keep, "B")
    assert "13102" not in sub.neighbors["13101"] and sub.n == weights.n - 1


def test_join_count_observed_and_permutation(weights):
    lat = _lattice(10, 10)
    ids = lat.w.id_order
    clustered = pd.Series([1.0 if int(i) % 10 < 5 else 0.0 for i in ids], index=ids)
    checker = pd.Series([float((int(i) // 10 + int(i) % 10) % 2) for i in ids], index=ids)
    jc = de.join_count(clustered, lat)
    assert jc["bb"] == 10 * 4 + 5 * 9  # 5 columns of 1s: 4 joins across in each of 10 rows, 9 down in each column
    manual = sum(1 for i, js in lat.w.neighbors.items() for j in js if i < j and clustered[i] == clustered[j] == 1)
    assert jc["bb"] == manual
    assert jc["p_sim"] == pytest.approx(1 / 1000)
    assert de.join_count(checker, lat)["bb"] == 0 and de.join_count(checker, lat)["p_sim"] == 1.0
    assert de.join_count(clustered, lat) == de.join_count(clustered, lat)  # fixed seed: reproducible


def test_join_count_matches_the_pair_by_pair_permutations(d, weights):
    """The sparse, shared-permutation join count gives the very numbers of the earlier pair loop."""
    for ind in ("ai", "telework"):
        v = de._values(d, ind)
        assert de.join_count(v, weights) == de._join_count_pairs(v, weights)
    lat = _lattice(6, 7)
    rnd = pd.Series(np.random.default_rng(5).integers(0, 2, 42).astype(float), index=lat.w.id_order)
    assert de.join_count(rnd, lat, permutations=99, seed=7) == de._join_count_pairs(rnd, lat, permutations=99, seed=7)


def test_permutations_shared_only_for_the_same_draw():
    a = de._permutation_index(20, 50, 1)
    assert a is de._permutation_index(20, 50, 1)  # drawn once
    assert not np.array_equal(a, de._permutation_index(20, 50, 2))
    assert (np.sort(a, axis=1) == np.arange(20)).all()  # every row a permutation
    with pytest.raises(ValueError):
        a[0, 0] = 1  # shared: read-only


def test_moran_known_sign_and_reproducible():
    lat = _lattice(10, 10)
    ids = lat.w.id_order
    trend = pd.Series([float(int(i) % 10) for i in ids], index=ids)
    m = de.moran(trend, lat)
    assert m["I"] > 0.8 and m["p_sim"] == pytest.approx(0.001)
    assert de.moran(trend, lat) == m


def test_lisa_labels_and_neighbour_share(d, weights):
    local = de.lisa(d.set_index("code5")["online32_share"].dropna(), weights)
    assert set(local["cluster"]) <= set(de.LISA_ORDER)
    hh = local[local["cluster"] == "HH"]
    assert (hh["p_sim"] < de.LISA_ALPHA).all()
    assert local["fdr"].sum() <= (local["cluster"] != "ns").sum()
    share = de.neighbour_share(d, weights, "ai")
    vals = d.set_index("code5")["ai"].dropna()
    nb = [j for j in weights.w.neighbors["13101"] if j in vals.index]
    assert share["13101"] == pytest.approx(100 * vals[nb].mean())


# ------------------------------------------------------------------------------ words and registration

def test_texts_are_complete_and_speak_one_language():
    keys = [k for k in TEXT if k.startswith("det.") or k == "theme.determinants"]
    assert len(keys) > 50
    for k in keys:
        assert set(TEXT[k]) == {"ja", "en"}, k
        for lang in ("ja", "en"):
            filled = re.sub(r"\{[^}]*\}", "1", TEXT[k][lang])
            assert foreign_words(filled, lang) == [], (k, lang)


def test_caveats_carry_their_numbers(d, wide, weights):
    local = pd.DataFrame({"code5": ["01100"], "fdr": [False], "cluster": ["ns"]})
    ja = words.caveats(d, wide, weights, local, "ja")
    assert any("23団体" in c for c in ja) and any("816団体" in c for c in ja)
    en = words.caveats(d, wide, weights, local, "en")
    assert any("利島村 (13362)" in c for c in en)
    assert all(foreign_words(c, "en") == [] for c in en)


def test_registered_in_the_default_batch():
    assert run.NOTEBOOKS["determinants"] == "07_determinants.ipynb"
    assert "determinants" in run.EXPECTED_SECONDS
    assert t("theme.determinants", "en").startswith("What goes with adoption")
    assert set(BINARY) <= set(de.fiscal_models.__defaults__[0])


def test_weights_built_once_per_batch_are_the_ones_a_notebook_builds(monkeypatch, tmp_path):
    from helpers import batch_cache

    monkeypatch.delenv(batch_cache.ENV, raising=False)
    built = spatial.load_weights()
    folder, frames = run._check_inputs(None)
    assert run._build_cache(tmp_path, folder, frames, shared_inputs=True, weights=True)
    assert (tmp_path / ".cache" / "spatial_weights.pickle").is_file()
    monkeypatch.setattr(spatial, "_build", lambda root: pytest.fail("weights rebuilt inside a batch"))
    monkeypatch.setenv(batch_cache.ENV, str(tmp_path / ".cache"))
    cached = spatial.load_weights()
    assert cached.w.neighbors == built.w.neighbors and cached.islands == built.islands
    assert not (run._build_cache(tmp_path / "r2", folder, frames, shared_inputs=True) and
                (tmp_path / "r2" / ".cache" / "spatial_weights.pickle").exists())  # only with 07 in the batch


def test_spatial_libraries_preloaded_only_for_a_batch_with_determinants(monkeypatch, tmp_path):
    from types import SimpleNamespace

    from helpers.runner import kernel_fork

    assert not set(kernel_fork.SPATIAL_PRELOAD) & set(kernel_fork.PRELOAD)
    asked = []
    monkeypatch.setattr(kernel_fork, "enabled", lambda: True)
    monkeypatch.setattr(kernel_fork, "start_template", lambda folder, extra=(): asked.append(tuple(extra)) or None)
    job = lambda theme: SimpleNamespace(nb=Path(run.NOTEBOOKS[theme]))  # noqa: E731
    audit = SimpleNamespace(nb=None)
    runner = SimpleNamespace(ipc_dir=str(tmp_path), template=None)
    run.Batch._start_template(runner, [audit, job("municipalities"), job("staffing")])
    run.Batch._start_template(runner, [job("municipalities"), job("determinants")])
    run.Batch._start_template(runner, [job("determinants")])  # one notebook: no template at all
    assert asked == [(), kernel_fork.SPATIAL_PRELOAD]


def test_weights_warmed_by_the_template_are_used_only_for_the_same_inputs(monkeypatch, weights):
    from helpers import batch_cache

    monkeypatch.delenv(batch_cache.ENV, raising=False)
    monkeypatch.setattr(spatial, "_WARM", None)
    assert spatial.warm() and spatial.load_weights() is spatial._WARM[1]
    assert spatial._WARM[1].w.neighbors == weights.w.neighbors
    stale = spatial.Weights(weights.w, method="stale")
    monkeypatch.setattr(spatial, "_WARM", (("another input",), stale))  # inputs changed since the template built them
    assert spatial.load_weights().method != "stale"
    monkeypatch.setattr(spatial, "_build", lambda root: (_ for _ in ()).throw(FileNotFoundError("no boundaries")))
    assert not spatial.warm() and spatial._WARM is None  # nothing kept: the notebook says what is missing


def test_knn_weights_for_the_choice_of_weights(d, weights):
    alt = spatial.knn(weights, 6)
    assert alt.n == weights.n and min(len(v) for v in alt.w.neighbors.values()) >= 6
    assert all(i in alt.w.neighbors[j] for i, js in alt.w.neighbors.items() for j in js)
    sens = de.weights_sensitivity(d, weights)
    assert set(zip(sens["weights"], sens["series"])) == {("contiguity", "raw"), ("contiguity", "residual"),
                                                         ("knn6", "raw"), ("knn6", "residual")}
    same = sens.set_index(["weights", "series"]).loc[("contiguity", "raw"), "I"]
    assert same == pytest.approx(de.moran(d.set_index("code5")["online32_share"].dropna(), weights)["I"])


# ------------------------------------------------------------------------------ referee fixes

def _models(ors_los_his_pholm) -> pd.DataFrame:
    rows = [{"indicator": ind, "odds_ratio": o, "lo": lo, "hi": hi, "p_holm": ph, "p_value": ph / 10}
            for ind, (o, lo, hi, ph) in ors_los_his_pholm.items()]
    return pd.DataFrame(rows)


ONLINE = pd.DataFrame([{"term": "fc10", "coef": 1.0, "lo": 0.5, "hi": 1.5, "n": 1715}])


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_intro_never_doubles_the_update_words(lang, monkeypatch):
    from helpers.loaders import dashboard_export
    from helpers.figures import maps
    from helpers.words.export import settlement_phrase

    for info in (dashboard_export.ExportInfo(None, None, "unknown"), dashboard_export.ExportInfo(None, "2024-07-12", "option")):
        monkeypatch.setattr(dashboard_export, "current", lambda info=info: info)
        update = maps.data_update(lang)  # the words the maps' footers show
        text = words.intro(pd.DataFrame(index=range(1741)), lang)
        assert "1,741" in text and text.count(update) == 1
        for words_ in ("データ更新", "data update", "update date"):
            assert text.count(words_) <= 1, (lang, text)
    assert "データ更新日不明）" in t("det.text.intro", "ja", n="1", update=t("dash.update_unknown", "ja"), era="", fy=1,
                                latest=settlement_phrase("ja"))


def test_fiscal_finding_names_an_unadjusted_interval_the_table_shows():
    models = _models({"ai": (1.04, 0.96, 1.13, 1.0), "external_talent": (0.93, 0.87, 0.99, 0.267)})
    en = words.fiscal_findings(models, ONLINE, "en")[0]
    assert "none of the odds ratios" in en and "smallest adjusted p = 0.27" in en and "across the 2 indicators" in en
    assert "Before adjustment, external talent is lower with higher fiscal capacity (odds ratio 0.93, 95% CI 0.87–0.99)." in en
    assert "cannot be told from 1" not in en
    ja = words.fiscal_findings(models, ONLINE, "ja")[0]
    assert "調整前では、" in ja and "0.93" in ja and "低い" in ja
    # nothing outside 1 before adjustment: no such sentence
    calm = _models({"ai": (1.04, 0.96, 1.13, 1.0), "rpa": (0.99, 0.9, 1.1, 1.0)})
    assert "Before adjustment" not in words.fiscal_findings(calm, ONLINE, "en")[0]


def test_neighbour_finding_is_one_adjusted_verdict():
    models = _models({"ai": (1.05, 0.97, 1.13, 1.0), "rpa": (1.09, 1.02, 1.18, 0.155), "telework": (1.07, 1.01, 1.14, 0.23)})
    for lang in ("ja", "en"):
        out = words.neighbour_findings(models, lang)
        assert len(out) == 1 and "0.155" in out[0] and "1.09" not in out[0]
    assert words.neighbour_findings(models, "en")[0].startswith("No association with neighbours' adoption survives Holm")
    strong = _models({"ai": (1.5, 1.3, 1.7, 0.001), "rpa": (1.09, 1.02, 1.18, 0.155)})
    out = words.neighbour_findings(strong, "en")[0]
    assert "AI 1.50" in out and "RPA" not in out


def test_the_notebooks_report_texts_carry_their_numbers_and_speak_one_language(weights):
    local = pd.DataFrame({"fdr": [True, False, True, True]})
    for lang in ("ja", "en"):
        lines = words.credits("", lang)
        dates = words.reference_dates(lang)
        lisa_text, lisa_note = words.lisa_texts(local, lang)
        spatial_text = words.spatial_text(weights, lang)
        assert list(dates.values()) == [de.census_date(), pd.Timestamp("2022-03-31"), pd.Timestamp("2023-04-01")]
        assert all(("3団体" if lang == "ja" else "3 ") in x for x in (lisa_text, lisa_note))
        assert f"{de.PERMUTATIONS:,}" in spatial_text and f"{de.PERMUTATIONS:,}" in lisa_note
        assert set(lines) == {"dashboard", "residents", "all"}
        texts = [*lines.values(), *dates, words.sensitivity_text(lang), spatial_text, lisa_text, lisa_note]
        assert foreign_words(" ".join(texts), lang) == [], lang


def test_residents_text_says_why_a_complete_count_has_intervals():
    for lang in ("ja", "en"):
        text = t("det.text.residents", lang, n="1,741")
        assert "1,741" in text and ("Wilson" in text or "ウィルソン" in text)


def test_residents_by_prefecture_table(d):
    by_pref = de.residents_covered(d, "pref_code")
    for lang in ("ja", "en"):
        table = words.residents_pref_table(by_pref, lang)
        assert len(table) == 47
    en = words.residents_pref_table(by_pref, "en").set_index("prefecture")
    hokkaido = by_pref[(by_pref["group"] == "01") & (by_pref["indicator"] == "ai")].iloc[0]
    assert en.loc["Hokkaido", "AI: municipalities / residents"] == (
        f"{hokkaido['share_munis']:.1f}% / {hokkaido['share_residents']:.1f}%")


def test_one_caveats_heading():
    """The report's own caveats section follows section 5, so section 5 is not 'Data and caveats' too."""
    from helpers.words.i18n import t as tt

    for lang in ("ja", "en"):
        assert tt("report.caveats", lang) not in tt("det.sec.data", lang)


def test_census_date_from_the_manifest():
    assert de.census_date() == pd.Timestamp("2020-10-01")
