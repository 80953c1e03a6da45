import warnings

import pytest

from helpers.figures import plots


def _figure():
    fig, ax = plots.new_figure()
    ax.plot([2019, 2020, 2021], [10.0, 20.5, 30.1], color=plots.tier_color("prefecture"), label="都道府県")
    ax.set_title("CIOの任命率（都道府県・市区町村）")
    ax.set_xlabel("年度")
    ax.set_ylabel("割合（%）")
    ax.legend()
    plots.add_source_note(fig, "出典：総務省「自治体DX・情報化推進概要」")
    return fig


def test_saving_twice_gives_identical_bytes(tmp_path):
    fig = _figure()
    first = plots.save_figure(fig, "trend", tmp_path / "a")
    second = plots.save_figure(fig, "trend", tmp_path / "b")
    plots.close(fig)
    assert [p.name for p in first] == ["trend.png", "trend.svg"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_fresh_identical_figure_gives_identical_bytes(tmp_path):
    a, b = _figure(), _figure()
    pa = plots.save_figure(a, "x", tmp_path / "a")
    pb = plots.save_figure(b, "x", tmp_path / "b")
    for fa, fb in zip(pa, pb):
        assert fa.read_bytes() == fb.read_bytes(), fa.name


def test_no_dates_or_versions_in_metadata(tmp_path):
    fig = _figure()
    png, svg = plots.save_figure(fig, "meta", tmp_path)
    text = svg.read_text()
    assert "<dc:date>" not in text
    assert "Matplotlib v" not in text
    assert b"Software" not in png.read_bytes()[:2000]


def test_png_is_150_dpi(tmp_path):
    from PIL import Image

    fig = _figure()
    png, _ = plots.save_figure(fig, "dpi", tmp_path)
    dpi = Image.open(png).info["dpi"]
    assert round(dpi[0]) == 150


def test_japanese_title_has_no_missing_glyph_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = _figure()
        fig.canvas.draw()
        plots.close(fig)
    missing = [w for w in caught if "Glyph" in str(w.message) and "missing" in str(w.message)]
    assert missing == []


def test_default_font_would_warn_so_the_glyph_test_has_teeth():
    import matplotlib
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, ax = plt.subplots()
            ax.set_title("任命")
            fig.canvas.draw()
            plt.close(fig)
    assert any("missing" in str(w.message) for w in caught)


def test_bad_figure_name_is_refused(tmp_path):
    fig = _figure()
    with pytest.raises(ValueError, match="plain file stem"):
        plots.save_figure(fig, "../escape", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_one_palette_for_tiers():
    assert len(set(plots.TIER_COLORS.values())) == len(plots.TIER_COLORS)
    assert plots.tier_color("unknown") == plots.TIER_COLORS["all"]


def test_japanese_chart_text_never_breaks_inside_a_number_or_a_word():
    from helpers.figures import plots

    for text, width in (("1,733団体中1,270団体", 14), ("1,055団体", 4), ("市区町村1,741団体中1,055団体（60.6%）", 10)):
        lines = plots.wrap_text(text, width, 26).split("\n")
        assert "".join(lines) == text
        for a, b in zip(lines, lines[1:]):
            assert not (a[-1:].isdigit() and b[:1] in "0123456789,."), (a, b)
            assert not (a.endswith("団") and b.startswith("体")), (a, b)


def test_svg_clip_ids_do_not_depend_on_memory_addresses():
    """matplotlib names a clip path after its object's address: two saves of one drawing made in two
    processes differed only there. The ids are renumbered by first use, so the bytes are the same."""
    from helpers.figures.plots import _stable_svg_ids

    a = b'<clipPath id="pf3945fa041"/><path clip-path="url(#pf3945fa041)"/><g clip-path="url(#p0123456789)"/>'
    b = b'<clipPath id="p6fa65b545c"/><path clip-path="url(#p6fa65b545c)"/><g clip-path="url(#pabcdefabcd)"/>'
    assert _stable_svg_ids(a) == _stable_svg_ids(b)
    assert _stable_svg_ids(a) == b'<clipPath id="clip1"/><path clip-path="url(#clip1)"/><g clip-path="url(#clip2)"/>'


def test_readiness_points_stay_within_the_score_range():
    """The readiness points are jittered sideways only: no point above 100 or below 0; no footnote mark."""
    import numpy as np
    import pandas as pd

    from helpers.figures import plots_municipal
    from helpers.analysis.municipal import SIZE_ORDER

    scores = pd.DataFrame({"size_class": [SIZE_ORDER[0]] * 50 + [SIZE_ORDER[-1]] * 50,
                           "score": np.r_[np.zeros(25), np.full(25, 100.0), np.linspace(0, 100, 50)]})
    fig = plots_municipal.readiness_by_size(scores, lang="en", title="t", source="s", note="* Ishikawa: 8 not surveyed")
    try:
        ys = np.concatenate([c.get_offsets()[:, 1] for c in fig.axes[0].collections if len(c.get_offsets())])
        assert ys.min() >= 0 and ys.max() <= 100
        # the chart marks nothing, so its note carries no footnote mark
        texts = [x.get_text() for x in fig.texts]
        assert "Ishikawa: 8 not surveyed" in texts and not any(x.lstrip().startswith(("*", "＊")) for x in texts)
    finally:
        from helpers.figures import plots

        plots.close(fig)


def test_a_count_of_a_base_stays_on_one_line():
    """Findings item: the telework map's colour-bar title broke as 「1,741団体⏎中1,055団体」."""
    from helpers.figures import plots

    for text, width in (("1,741団体中1,055団体", 14), ("回答1,733団体中1,270団体（73.3%）", 8)):
        lines = plots.wrap_text(text, width, 26).split("\n")
        assert "".join(lines) == text
        assert any("1,7" in ln and "団体中" in ln and ln.endswith(("団体", "団体（73.3%）")) for ln in lines), lines
        assert not any(ln.startswith("中") for ln in lines), lines


def test_break_labels_sit_in_an_empty_band():
    from helpers.figures import plots

    y = plots._free_band([1.8, 3.0, 70, 70, 89.4, 93.6, 100, 49.9, 60.6, 100])
    assert 12 < y < 46.9 - 3  # between the 3.0 label and the 49.9 point, clear of both
    assert plots._free_band([]) == 54.0


def test_prefecture_dotplot_keeps_a_partial_prefecture_apart_and_notes_only_a_drawn_mark():
    """Findings items 13/23: Ishikawa (11 of 19 surveyed) was sorted among the others, and the
    uptake figure carried the '*' footnote although no '*' was drawn."""
    import pandas as pd

    from helpers.figures import plots_municipal as pm

    rows = []
    for ind in ("cio_appointed", "ai"):
        for code, name, rate, missing in (("01", "北海道", 40.0, 0), ("02", "青森県", 60.0, 0), ("17", "石川県", 90.0, 8)):
            rows.append({"pref_code": code, "pref_name": name, "indicator": ind, "municipalities": 19, "yes": 5,
                         "n": 11 if missing else 19, "missing": missing if ind == "cio_appointed" else 0,
                         "rate": rate, "lo": rate - 5, "hi": rate + 5, "government": 1.0})
    rates = pd.DataFrame(rows)
    fig = pm.prefecture_dotplot(rates, lang="en", indicators=["cio_appointed"], national={"cio_appointed": 50.0},
                                title="t", source="s", flagged={"17": "*"}, note="* note")
    labels = [x.get_text() for x in fig.axes[0].get_yticklabels()]
    assert labels[0].startswith("Ishikawa*")  # drawn apart, at the bottom, not in the ordering by share
    assert [x.split(" ")[0] for x in labels[1:]] == ["Hokkaido", "Aomori"]
    assert any(t.get_text() == "* note" for t in fig.texts)
    fig = pm.prefecture_dotplot(rates, lang="en", indicators=["ai"], national={"ai": 50.0},
                                title="t", source="s", flagged={"17": "*"}, note="* note")
    assert not any("*" in x.get_text() for x in fig.axes[0].get_yticklabels())
    assert not any(t.get_text() == "* note" for t in fig.texts)


def test_a_corrected_value_is_drawn_beside_the_held_one_and_joined_to_no_line():
    """FY2021 CIO補佐官等 of municipalities: 743 in the edition we hold, 808 after the 2023-04-28
    correction. The chart shows both, so no change is read from one value alone."""
    import matplotlib.pyplot as plt

    from helpers.loaders import data
    from helpers.figures import plots
    from helpers.analysis import reconcile
    from helpers.analysis import staffing

    appt = staffing.appointment(data.load_indicators(), ["prefecture", "municipality"])
    corrected = staffing.corrected_points(appt, reconcile.load_revisions())
    assert len(corrected) == 1
    row = corrected.iloc[0]
    assert (row["tier"], str(row["as_of"].date()), int(row["count"]), int(row["base"])) == ("municipality", "2021-04-01", 808, 1741)
    fig = plots.series_trend(appt, title="t", ylabel="%", source="s", tier_label={"prefecture": "P", "municipality": "M"},
                             tick_label=lambda d, a: str(d.year), break_label="break", assumed_note="assumed",
                             panel="indicator", alternatives=corrected, alternative_label="after the correction")
    diamonds = [ln for ax in fig.axes for ln in ax.lines if ln.get_marker() == "D"]
    assert len(diamonds) == 1 and diamonds[0].get_linestyle() == "None"
    assert abs(diamonds[0].get_ydata()[0] - 100 * 808 / 1741) < 1e-9
    plt.close(fig)
