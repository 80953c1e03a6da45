"""Municipal choropleth maps (helpers.figures.maps): insets, credit, date, not-surveyed shading."""

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from helpers.figures import maps, plots
from helpers.loaders import boundaries
from helpers.words.i18n import t
from helpers.words.lang_scan import foreign_words
from helpers.loaders.municipalities import load_master

pytest.importorskip("geopandas")


@pytest.fixture(scope="module")
def codes():
    return load_master()[["code5", "pref_code"]]


def _all_axes(fig):
    """The figure's axes and their insets (inset axes are children of an axes, not of the figure)."""
    return [a for ax in fig.get_axes() for a in (ax, *ax.child_axes)]


def _axes(fig, label):
    found = [ax for ax in _all_axes(fig) if ax.get_label() == label]
    return found[0] if found else None


def _texts(fig):
    out = [x.get_text() for x in fig.texts]
    for ax in _all_axes(fig):
        out += [x.get_text() for x in ax.texts]
        leg = ax.get_legend()
        if leg is not None:
            out += [x.get_text() for x in leg.get_texts()] + [leg.get_title().get_text()]
    return out


def test_layers_move_okinawa_and_ogasawara_to_insets():
    layers = maps._layers(boundaries.load())
    main, _ = layers["main"]
    assert not (main["pref_name"] == "沖縄県").any() and not (main["code5"] == "13421").any()
    assert (layers["okinawa"][0]["pref_name"] == "沖縄県").all() and len(layers["okinawa"][0]) >= 41
    assert layers["ogasawara"][0]["code5"].tolist() == ["13421"]
    munis, prefs = boundaries.polygons()
    assert len(prefs) == 47 and munis["code5"].notna().sum() == 1741 + 6   # + the six 北方領土 villages


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_binary_map_has_insets_credit_date_and_a_distinct_not_surveyed(codes, lang):
    rng = np.random.default_rng(3)
    values = pd.Series(rng.integers(0, 2, len(codes)).astype(float), index=codes["code5"])
    ishikawa = set(codes.loc[codes["pref_code"] == "17", "code5"][:8])
    values[list(ishikawa)] = np.nan
    fig = maps.binary_map(values, shapes=boundaries.load(), lang=lang, title="CIO", legend_title="CIO", source="source line",
                          not_surveyed=ishikawa)
    try:
        assert _axes(fig, "inset:okinawa") is not None and _axes(fig, "inset:ogasawara") is not None
        texts = _texts(fig)
        assert t("muni.map.credit_n03", lang) in "\n".join(texts)
        assert any(t("muni.map.date", lang, update=maps.data_update(lang), survey=maps.data_survey(lang)) == x for x in texts)
        assert any(t("muni.map.n", lang, n=f"{int(values.notna().sum()):,}") in x for x in texts)
        assert any(x.startswith(t("muni.map.not_surveyed", lang)) and "(8)" in x for x in texts)
        main = _axes(fig, "map:main")
        ns = [c for c in main.collections if c.get_gid() == "not_surveyed"]
        assert len(ns) == 1 and ns[0].get_hatch()
        face = to_hex(ns[0].get_facecolor()[0])
        assert face not in {maps.YES_COLOR.lower(), maps.NO_COLOR.lower(), maps.NO_VALUE_COLOR.lower()}
        filled = {to_hex(c) for c in next(c for c in main.collections if c.get_gid() == "values").get_facecolor()}
        assert {maps.YES_COLOR.lower(), maps.NO_COLOR.lower()} <= filled
        assert plots.figure_bytes(fig, "png")[:4] == b"\x89PNG"
    finally:
        plots.close(fig)


def test_continuous_map_has_a_colour_bar_with_n_and_the_credit(codes):
    values = pd.Series(np.linspace(0, 100, len(codes)), index=codes["code5"])
    values.iloc[:2] = np.nan
    fig = maps.continuous_map(values, shapes=boundaries.load(), lang="en", title="Share", legend_title="Share (%)", source="src")
    try:
        texts = "\n".join(_texts(fig))
        assert "Share (%)" in texts and t("muni.map.n", "en", n=f"{len(codes) - 2:,}") in texts
        assert t("muni.map.credit_n03", "en") in texts
        assert _axes(fig, "inset:okinawa") is not None
        assert not any(c.get_gid() == "not_surveyed" for ax in _all_axes(fig) for c in ax.collections)
    finally:
        plots.close(fig)


def test_maps_svg_stays_light(codes):
    values = pd.Series(1.0, index=codes["code5"])
    fig = maps.binary_map(values, shapes=boundaries.load(), lang="ja", title="t", legend_title="l", source="s")
    try:
        svg = plots.figure_bytes(fig, "svg")
        assert len(svg) < 1_000_000 and b"<image" in svg       # polygons rasterised, text kept as vectors
    finally:
        plots.close(fig)


# ------------------------------------------------------------------------------ what a map cannot draw

def test_not_drawn_are_the_codes_without_a_polygon():
    munis, _ = boundaries.polygons()
    empty = munis[munis.geometry.isna() | munis.geometry.is_empty]
    expected = sorted(c for c in empty["code5"] if isinstance(c, str) and c in set(load_master()["code5"]))
    assert maps.not_drawn(boundaries.load()) == expected and "26208" in expected    # 向日市
    assert maps.not_drawn(boundaries.load(), ["26208", "01100"]) == ["26208"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_national_map_says_which_municipalities_are_not_drawn(codes, lang):
    gone = maps.not_drawn(boundaries.load())
    values = pd.Series(1.0, index=codes["code5"])
    names = maps.not_drawn_names(boundaries.load(), gone, lang, with_codes=lang == "en").replace(" (", "\u00a0(")
    figs = [maps.binary_map(values, shapes=boundaries.load(), lang=lang, title="t", legend_title="l", source="s"),
            maps.continuous_map(values * 50, shapes=boundaries.load(), lang=lang, title="t", legend_title="l", source="s"),
            maps.category_map(pd.Series("a", index=codes["code5"][:5]), {"a": "#000000"}, {"a": "A"}, shapes=boundaries.load(), lang=lang,
                              title="t", legend_title="l", source="s")]
    try:
        for i, fig in enumerate(figs):
            footer = re.sub(r" *\n *", "" if lang == "ja" else " ", "\n".join(_texts(fig)))   # the line is wrapped
            assert t("muni.map.not_drawn", lang, n=len(gone), names=names) in footer
            if lang == "en":
                assert foreign_words(footer, "en") == []
            counted = t("muni.map.not_drawn_counted", lang, k=len(gone))
            assert (counted in footer) == (i < 2)    # the value maps count them in n; the category map has no n
    finally:
        for fig in figs:
            plots.close(fig)


def test_boundaries_caveat_names_what_is_not_drawn():
    from helpers.words.municipal import boundaries_caveat

    for lang in ("ja", "en"):
        text = boundaries_caveat(lang, maps.not_drawn(boundaries.load()))
        assert f"{len(maps.not_drawn(boundaries.load()))}" in text and ("向日市（26208）" in text or "向日市 (26208)" in text)


@pytest.mark.parametrize("kind", ["binary", "continuous"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_legend_leaves_the_insets_clear(codes, kind, lang):
    """The lower legend (with its longest entries) never covers the 小笠原 or the 沖縄 inset."""
    values = pd.Series(np.linspace(0, 100, len(codes)), index=codes["code5"])
    ns = set(codes["code5"][:3])
    if kind == "binary":
        fig = maps.binary_map((values > 50).astype(float), shapes=boundaries.load(), lang=lang, title="t", legend_title="AI introduced",
                              source="s", not_surveyed=ns)
    else:
        fig = maps.continuous_map(values, shapes=boundaries.load(), lang=lang, title="t", legend_title="l", source="s", not_surveyed=ns,
                                  coarse=set(codes["code5"][:40]), coarse_label=t("muni.map.coarse", lang, k=5))
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legend = _axes(fig, "map:main").get_legend().get_window_extent(renderer)
        for name in maps.INSETS:
            inset = _axes(fig, f"inset:{name}").get_window_extent(renderer)
            assert not legend.overlaps(inset), name
        assert legend.x0 >= 0 and legend.y0 >= _axes(fig, "map:main").get_window_extent(renderer).y0 - 1
    finally:
        plots.close(fig)


@pytest.mark.parametrize("note_lines", [0, 4])
def test_a_long_footer_grows_the_figure_instead_of_covering_the_map(codes, note_lines):
    values = pd.Series(50.0, index=codes["code5"])
    note = "\n".join(f"note line {i}" for i in range(note_lines))
    fig = maps.continuous_map(values, shapes=boundaries.load(), lang="en", title="t", legend_title="l", source="s", note=note)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        main = _axes(fig, "map:main").get_window_extent(renderer)
        footer = next(x for x in fig.texts if t("muni.map.credit_n03", "en") in x.get_text()).get_window_extent(renderer)
        assert footer.y1 <= main.y0 + 2
        assert (fig.get_size_inches()[1] > 8.2) == (note_lines > 0)
    finally:
        plots.close(fig)
