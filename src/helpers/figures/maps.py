"""Municipal choropleth maps of Japan on the 国土数値情報 N03 boundaries (geopandas).

The boundaries are ``data/external/boundaries`` (N03 2021-01-01, simplified, designated cities
merged into one polygon per city; the same 1,741 codes as the municipal master plus the six
北方領土 villages, which carry no value). Okinawa and the 小笠原 islands are drawn in insets at
the scale of the main map. Every map carries the date of the data and the 国土数値情報 credit the
licence asks for; colours come from viridis (colour-blind safe, lightness increasing with value),
and a municipality that was not surveyed is grey and hatched, apart from both values of a yes/no
map. Polygons are rasterised in the SVG (150 dpi) so the vector file stays small; text stays text.
A few small municipalities have no polygon in the simplified boundaries: every national map names
them in its footer (:func:`not_drawn_note`), counted from the boundaries, never typed.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from helpers.figures import plots
from helpers.words.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    from helpers.loaders.boundaries import Shapes
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Main map: longitude min/max, latitude min/max (Okinawa and 小笠原 go to insets).
MAIN_EXTENT = (128.2, 149.3, 26.8, 45.8)
#: Longitude is shrunk by cos(latitude) at the middle of the main map (an equirectangular view).
ASPECT = 1 / math.cos(math.radians(36.5))
#: Inset → which polygons (prefecture name or code5), their extent, and where the inset's lower
#: left corner goes in the main map (longitude, latitude); drawn at the main map's scale.
INSETS: dict[str, dict] = {
    "okinawa": {"pref": "沖縄県", "extent": (122.75, 131.55, 23.85, 27.3), "at": (128.5, 41.8)},
    "ogasawara": {"code5": "13421", "extent": (141.1, 142.45, 24.6, 27.3), "at": (141.0, 27.35), "outline": 1.2},
}
#: Lower right corner of the legends of the national maps (longitude, latitude): in the open sea
#: south of 四国 and west of the 小笠原 inset, so a legend never covers an island or an inset.
LEGEND_ANCHOR = (140.7, 26.95)
YES_COLOR = "#46327E"      # viridis(0.15): dark
NO_COLOR = "#B4DE2C"       # viridis(0.9): light
NOT_SURVEYED_COLOR = "#A8A8A8"
NOT_SURVEYED_HATCH = "/////"
NO_VALUE_COLOR = "#F0F0F0"
EDGE = "#FFFFFF"
PREF_EDGE = "#303030"
CMAP = "viridis"


def _in_inset(munis: "gpd.GeoDataFrame", spec: dict) -> "pd.Series":
    if "pref" in spec:
        return munis["pref_name"] == spec["pref"]
    return munis["code5"] == spec["code5"]


@lru_cache(maxsize=2)
def _layers(shapes: "Shapes") -> dict[str, tuple["gpd.GeoDataFrame", "gpd.GeoDataFrame"]]:
    """Municipal and prefecture polygons of the main map and of each inset (prefecture outlines
    clipped so an island drawn in an inset never appears a second time in the main map)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    munis, prefs = shapes.munis, shapes.prefs
    moved = pd.Series(False, index=munis.index)
    out = {}
    for name, spec in INSETS.items():
        sel = _in_inset(munis, spec)
        moved |= sel
        x0, x1, y0, y1 = spec["extent"]
        out[name] = (munis[sel], gpd.clip(prefs, box(x0, y0, x1, y1)))
    x0, x1, y0, y1 = MAIN_EXTENT
    mask = box(x0, y0, x1, y1)
    for spec in INSETS.values():
        a0, a1, b0, b1 = spec["extent"]
        mask = mask.difference(box(a0, b0, a1, b1))
    main_prefs = gpd.clip(prefs[prefs["pref_name"] != INSETS["okinawa"]["pref"]], mask)
    out["main"] = (munis[~moved], main_prefs)
    return out


def _draw(ax: "Axes", munis: "gpd.GeoDataFrame", prefs: "gpd.GeoDataFrame", faces: "pd.Series",
          not_surveyed: set[str], outline: float = 0.0, edge_width: float = 0.08) -> None:
    """Fill municipalities with ``faces`` (colour by code5; missing → no value), hatch the not
    surveyed, outline prefectures; rasterise the polygons. ``outline`` > 0 draws each polygon's
    edge in its own colour at that width, so that tiny islands stay visible. ``edge_width`` is the
    width of the white municipal borders (wider on a prefecture's map, drawn at a larger scale)."""
    with _one_render(ax.figure):
        _draw_layers(ax, munis, prefs, faces, not_surveyed, outline, edge_width)
    ax.set_rasterization_zorder(2.5)
    ax.set_axis_off()


def _faces(known: "pd.Series", cmap, norm) -> "pd.Series":
    """Fill colour (hex) per code5 for the known values: the colour map applied to all values in
    one call (value by value it cost ~1 s for three maps)."""
    import matplotlib as mpl
    import pandas as pd

    rgba = cmap(norm(known.to_numpy(dtype=float)))
    return pd.Series([mpl.colors.to_hex(c) for c in rgba], index=known.index, dtype=object)


@contextmanager
def _one_render(fig: "Figure"):
    """geopandas asks the canvas for a redraw after every layer it plots (``draw_idle``); on a
    non-interactive canvas that renders the whole figure each time — most of a map's cost. The
    figure is rendered once, when it is saved; the canvas's own method is back afterwards."""
    canvas = fig.canvas
    canvas.draw_idle = lambda *args, **kwargs: None
    try:
        yield
    finally:
        del canvas.draw_idle


def _draw_layers(ax: "Axes", munis: "gpd.GeoDataFrame", prefs: "gpd.GeoDataFrame", faces: "pd.Series",
                 not_surveyed: set[str], outline: float, edge_width: float) -> None:
    colors = [faces.get(c, NO_VALUE_COLOR) if isinstance(c, str) else NO_VALUE_COLOR for c in munis["code5"]]
    if outline:
        munis.plot(ax=ax, color=colors, edgecolor=colors, linewidth=outline, zorder=1)
    else:
        munis.plot(ax=ax, color=colors, edgecolor=EDGE, linewidth=edge_width, zorder=1)
    ax.collections[-1].set_gid("values")
    ns = munis[munis["code5"].isin(not_surveyed)]
    if len(ns):
        ns.plot(ax=ax, facecolor=NOT_SURVEYED_COLOR, edgecolor="#4D4D4D", linewidth=max(0.1, edge_width / 2),
                hatch=NOT_SURVEYED_HATCH, zorder=1.5)
        ax.collections[-1].set_gid("not_surveyed")
    prefs.boundary.plot(ax=ax, color=PREF_EDGE, linewidth=0.3 if edge_width <= 0.08 else 0.8, zorder=2)


def _inset(ax: "Axes", name: str, spec: dict, layers, faces, not_surveyed, lang: str) -> "Axes":
    x0, x1, y0, y1 = spec["extent"]
    ax_in = ax.inset_axes([spec["at"][0], spec["at"][1], x1 - x0, y1 - y0], transform=ax.transData)
    munis, prefs = layers[name]
    _draw(ax_in, munis, prefs, faces, not_surveyed, outline=spec.get("outline", 0.0))
    ax_in.set_xlim(x0, x1)
    ax_in.set_ylim(y0, y1)
    ax_in.set_aspect("auto")
    ax_in.set_axis_on()
    ax_in.set_xticks([])
    ax_in.set_yticks([])
    ax_in.set_xlabel("")
    ax_in.set_ylabel("")
    ax_in.grid(False)
    for s in ax_in.spines.values():
        s.set_visible(True)
        s.set_color("#777777")
        s.set_linewidth(0.6)
    ax_in.set_label(f"inset:{name}")
    ax_in.text(0.0, 1.015, t(f"muni.map.inset.{name}", lang), transform=ax_in.transAxes, ha="left", va="bottom",
               fontsize=7, color="#333333")
    return ax_in


def data_update(lang: str) -> str:
    """The data update of the export this notebook reads, in the report's language: 「2024年7月12日データ更新」,
    or 「データ更新日不明」 when neither the export nor the run gives it (:func:`helpers.words.export.update_phrase`)."""
    from helpers.words.export import update_phrase

    return update_phrase(lang)


def data_survey(lang: str) -> str:
    """The survey year of the export this notebook reads: 「令和5年度調査」 / 'FY2023 surveys', or
    「調査年度不明」 / 'survey year not given' (:func:`helpers.words.export.survey_phrase`)."""
    from helpers.words.export import survey_phrase

    return survey_phrase(lang)


def _figure(title: str, lang: str) -> tuple["Figure", "Axes"]:
    plots.apply_style()
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(7.2, 8.2))
    ax = fig.add_axes((0.01, 0.085, 0.98, 0.83))
    x0, x1, y0, y1 = MAIN_EXTENT
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(ASPECT)
    ax.set_label("map:main")
    fig.suptitle(title, fontsize=12, y=0.985)
    fig.text(0.5, 0.935, t("muni.map.date", lang, update=data_update(lang), survey=data_survey(lang)), ha="center", va="top",
             fontsize=8, color="#444444")
    return fig, ax


#: Footer lines that fit below the national map as laid out by :func:`_figure`; a longer footer
#: makes the figure taller instead of running over the southern islands and the legend.
FOOTER_LINES_FIT = 5
FOOTER_LINE_INCHES = 0.13


def _room_for_footer(fig: "Figure", n_lines: int) -> None:
    """Grow the figure at the bottom by the footer lines that do not fit, keeping every axes and
    figure text where it was relative to the top (sizes in inches are unchanged)."""
    extra = max(0, n_lines - FOOTER_LINES_FIT) * FOOTER_LINE_INCHES
    if not extra:
        return
    w, h = fig.get_size_inches()
    new_h = h + extra

    def y(v: float) -> float:
        return (v * h + extra) / new_h

    fig.set_size_inches(w, new_h)
    for ax in fig.axes:
        if ax.get_label().startswith("map:"):
            box = ax.get_position(original=True)
            ax.set_position((box.x0, y(box.y0), box.width, box.height * h / new_h))
    for text in [*fig.texts, *([fig._suptitle] if fig._suptitle is not None else [])]:
        x0, y0 = text.get_position()
        text.set_position((x0, y(y0)))


def _credits(fig: "Figure", source: str, lang: str, note: str = "", drawn: str = "") -> None:
    """Footer: the note, the line on municipalities that are not drawn, the source and the credit."""
    if drawn:  # the list of names may be longer than the page: ja between phrases, en between words
        from textwrap import fill

        drawn = plots.wrap_text(drawn, 72) if lang == "ja" else fill(drawn, 110, break_long_words=False)
    lines = [line for line in (note, drawn, source, t("muni.map.credit_n03", lang)) if line]
    _room_for_footer(fig, sum(line.count("\n") + 1 for line in lines))
    fig.text(0.01, 0.008, "\n".join(lines), ha="left", va="bottom", fontsize=6.5, color="#444444", linespacing=1.4)


def binary_map(values: "pd.Series", *, shapes: "Shapes", lang: str, title: str, legend_title: str, source: str,
               not_surveyed: Iterable[str] = (), labels: Mapping[str, str] | None = None, note: str = "") -> "Figure":
    """A yes/no indicator per municipality (``values``: code5 → 1/0/NaN): two colours, the not
    surveyed grey and hatched; the legend gives the counts and n."""
    import pandas as pd
    from matplotlib.patches import Patch

    values = pd.Series(values, dtype="float64")
    ns = set(not_surveyed)
    faces = pd.Series(NO_VALUE_COLOR, index=values.index, dtype=object)
    faces[values == 1] = YES_COLOR
    faces[values == 0] = NO_COLOR
    fig, ax = _figure(title, lang)
    layers = _layers(shapes)
    _draw(ax, *layers["main"], faces, ns)
    for name, spec in INSETS.items():
        _inset(ax, name, spec, layers, faces, ns, lang)
    labels = labels or {}
    yes, no = int((values == 1).sum()), int((values == 0).sum())
    n_ns = len(ns & set(values.index))
    handles = [Patch(facecolor=YES_COLOR, edgecolor="none", label=f"{labels.get('yes', t('muni.map.yes', lang))} ({yes:,})"),
               Patch(facecolor=NO_COLOR, edgecolor="none", label=f"{labels.get('no', t('muni.map.no', lang))} ({no:,})")]
    if n_ns:
        handles.append(Patch(facecolor=NOT_SURVEYED_COLOR, edgecolor="#4D4D4D", hatch=NOT_SURVEYED_HATCH, linewidth=0.4,
                             label=f"{t('muni.map.not_surveyed', lang)} ({n_ns:,})"))
    handles.append(Patch(facecolor=NO_VALUE_COLOR, edgecolor="#999999", linewidth=0.4, label=t("muni.map.no_value", lang)))
    n_text = t("muni.map.n", lang, n=f"{yes + no:,}")
    ax.legend(handles=handles, title=f"{t('muni.map.binary_title', lang, name=legend_title)}\n{n_text}", loc="lower right",
              bbox_to_anchor=LEGEND_ANCHOR, bbox_transform=ax.transData, fontsize=8, title_fontsize=8, alignment="left",
              frameon=True, framealpha=0.9, edgecolor="#CCCCCC")
    _credits(fig, source, lang, note, not_drawn_note(shapes, values, lang))
    return fig


def continuous_map(values: "pd.Series", *, shapes: "Shapes", lang: str, title: str, legend_title: str, source: str,
                   not_surveyed: Iterable[str] = (), vmin: float = 0, vmax: float = 100, note: str = "",
                   n_label: str | None = None, coarse: Iterable[str] = (), coarse_label: str = "") -> "Figure":
    """A value per municipality (``values``: code5 → number, NaN = no value) on viridis with a
    colour bar (``legend_title`` with unit) and n; the not surveyed grey and hatched. ``coarse``
    (code5) are shares over very few items (1/1 = 100 %): dotted over their colour and counted in
    the legend (``coarse_label``), so the brightest colour is not read as a leader."""
    import matplotlib as mpl
    import pandas as pd
    from matplotlib.patches import Patch

    values = pd.Series(values, dtype="float64")
    ns = set(not_surveyed)
    cmap = mpl.colormaps[CMAP]
    norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax)
    known = values.dropna()
    faces = _faces(known, cmap, norm)
    fig, ax = _figure(title, lang)
    layers = _layers(shapes)
    _draw(ax, *layers["main"], faces, ns)
    coarse = set(coarse) & set(known.index)
    _overlay(ax, layers["main"][0], coarse)
    for name, spec in INSETS.items():
        _overlay(_inset(ax, name, spec, layers, faces, ns, lang), layers[name][0], coarse)
    cax = ax.inset_axes([143.9, 31.2, 0.45, 6.3], transform=ax.transData)
    cb = fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="vertical")
    cb.ax.tick_params(labelsize=7)
    cb.outline.set_linewidth(0.4)
    n_text = plots.wrap_text(n_label, 14, 26) if n_label else t("muni.map.n", lang, n=f"{len(known):,}")
    ax.text(143.9, 38.0, f"{legend_title}\n{n_text}", fontsize=8, ha="left", va="bottom",
            color="#222222")
    n_ns = len(ns & set(values.index))
    handles = []
    if n_ns:
        handles.append(Patch(facecolor=NOT_SURVEYED_COLOR, edgecolor="#4D4D4D", hatch=NOT_SURVEYED_HATCH, linewidth=0.4,
                             label=f"{t('muni.map.not_surveyed', lang)} ({n_ns:,})"))
    handles.append(Patch(facecolor=NO_VALUE_COLOR, edgecolor="#999999", linewidth=0.4, label=t("muni.map.no_value", lang)))
    if coarse:
        handles.append(Patch(facecolor="white", edgecolor=COARSE_EDGE, hatch=COARSE_HATCH, linewidth=0.4,
                             label=f"{coarse_label} ({len(coarse):,})"))
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=LEGEND_ANCHOR, bbox_transform=ax.transData, fontsize=8,
              frameon=True, framealpha=0.9, edgecolor="#CCCCCC")
    # a value per prefecture (n_label) is not a count of municipalities: only say which are not drawn
    _credits(fig, source, lang, note, not_drawn_note(shapes, None if n_label else values, lang))
    return fig


def category_map(categories: "pd.Series", colors: Mapping[str, str], labels: Mapping[str, str], *, shapes: "Shapes", lang: str,
                 title: str, legend_title: str, source: str, note: str = "") -> "Figure":
    """A category per municipality (``categories``: code5 → key of ``colors``; missing = no value),
    drawn like the other maps (insets, date, credits); the legend lists the categories in the order
    of ``colors`` with their counts (e.g. LISA clusters)."""
    import pandas as pd
    from matplotlib.patches import Patch

    cats = pd.Series(categories, dtype=object).dropna()
    faces = cats.map(colors)
    fig, ax = _figure(title, lang)
    layers = _layers(shapes)
    _draw(ax, *layers["main"], faces, set())
    for name, spec in INSETS.items():
        _inset(ax, name, spec, layers, faces, set(), lang)
    counts = cats.value_counts()
    handles = [Patch(facecolor=c, edgecolor="#999999", linewidth=0.3, label=f"{labels[k]} ({int(counts.get(k, 0)):,})")
               for k, c in colors.items()]
    handles.append(Patch(facecolor=NO_VALUE_COLOR, edgecolor="#999999", linewidth=0.4, label=t("muni.map.no_value", lang)))
    # in the open sea east of 東北 and 関東: clear of the 小笠原 inset in the lower right
    ax.legend(handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(142.6, 38.6),
              bbox_transform=ax.transData, fontsize=8, title_fontsize=8, alignment="left", frameon=True,
              framealpha=0.9, edgecolor="#CCCCCC")
    _credits(fig, source, lang, note, not_drawn_note(shapes, None, lang))
    return fig


#: How shares over very few items are marked on a map (dots over their colour).
COARSE_HATCH, COARSE_EDGE = "....", "#222222"


def _overlay(ax: "Axes", munis: "gpd.GeoDataFrame", codes: set[str]) -> None:
    """Dot the municipalities ``codes`` over their fill (no new colour: the value stays visible)."""
    sel = munis[munis["code5"].isin(codes)]
    if len(sel):
        keep = (ax.get_xlim(), ax.get_ylim(), ax.get_xlabel(), ax.get_ylabel(), ax.get_aspect())
        sel.plot(ax=ax, facecolor="none", edgecolor=COARSE_EDGE, linewidth=0, hatch=COARSE_HATCH, zorder=1.6)
        ax.set_xlim(keep[0])
        ax.set_ylim(keep[1])
        ax.set_xlabel(keep[2])
        ax.set_ylabel(keep[3])
        ax.set_aspect(keep[4])


def prefecture_values_map(values: Mapping[str, float], *, shapes: "Shapes", lang: str, title: str, legend_title: str, source: str,
                          n_label: str, note: str = "") -> "Figure":
    """A value per prefecture (``values``: pref_code → number) drawn on the same map as the municipal
    ones (Okinawa inset, date, credit, viridis): each municipality takes its prefecture's colour.
    ``n_label`` says what the values rest on (e.g. '1,270 of 1,733 answering municipalities')."""
    import pandas as pd

    per_muni = pd.Series([values.get(shapes.master_pref[c]) for c in shapes.master_codes], dtype="float64",
                         index=list(shapes.master_codes))
    return continuous_map(per_muni, shapes=shapes, lang=lang, title=title, legend_title=legend_title, source=source,
                          note=note, n_label=n_label)


# ------------------------------------------------------------------------------ one prefecture

#: Remote islands drawn in boxes beside a prefecture's map, each box at its own scale (the main map
#: would otherwise be mostly sea): pref_code → ((box name, code5s), ...). The box names are text
#: keys ``prof.map.inset.<name>``. Other prefectures are drawn whole in one map.
PREFECTURE_INSETS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "13": (("izu", ("13361", "13362", "13363", "13364", "13381", "13382", "13401", "13402")),
           ("ogasawara", ("13421",))),
    "46": (("amami", ("46222", "46523", "46524", "46525", "46527", "46529", "46530", "46531", "46532", "46533",
                      "46534", "46535")),),
    "47": (("sakishima", ("47207", "47214", "47375", "47381", "47382")), ("daito", ("47357", "47358"))),
}
CONTEXT_EDGE = "#BBBBBB"
#: Smallest side of a box, in degrees, so that tiny islands are not blown up out of proportion.
BOX_MIN_DEGREES = 0.6


def _pref_name(shapes: "Shapes", pref_code: str) -> str:
    return str(shapes.pref_names[pref_code])


def _drawable(gdf: "gpd.GeoDataFrame") -> "gpd.GeoDataFrame":
    return gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]


def missing_polygons(shapes: "Shapes", pref_code: str) -> list[str]:
    """Codes of the prefecture's municipalities that have no polygon in the simplified boundaries
    (tiny islands and a few small municipalities lost in the simplification): they cannot be drawn."""
    munis = shapes.munis
    own = munis[munis["pref_name"] == _pref_name(shapes, pref_code)]
    gone = own[own.geometry.isna() | own.geometry.is_empty]
    return sorted(c for c in gone["code5"] if isinstance(c, str))


def not_drawn(shapes: "Shapes", codes: Iterable[str] | None = None) -> list[str]:
    """Codes of municipalities (of ``codes``; default: the municipal master) that have no polygon in
    the simplified boundaries: a national map cannot draw them, so its footer and its report say so."""
    munis = shapes.munis
    gone = munis.loc[munis.geometry.isna() | munis.geometry.is_empty, "code5"]
    gone = {c for c in gone if isinstance(c, str)}
    return sorted(gone & set(shapes.master_codes if codes is None else codes))


def not_drawn_names(shapes: "Shapes", codes: Iterable[str], lang: str, with_codes: bool = False) -> str:
    """「利島村、青ヶ島村」 / '利島村, 青ヶ島村' (the master's names, in code order), optionally with codes."""
    names = shapes.names
    parts = []
    for c in sorted(codes):
        name = str(names.get(c, c))
        parts.append(name if not with_codes else (f"{name}（{c}）" if lang == "ja" else f"{name} ({c})"))
    return ("、" if lang == "ja" else ", ").join(parts)


def not_drawn_note(shapes: "Shapes", values: "pd.Series | None", lang: str) -> str:
    """The footer line of a national map: how many municipalities are not drawn (no polygon), their
    names and, when ``values`` is given, how many of them have a value (counted in n and the legend)."""
    import pandas as pd

    gone = not_drawn(shapes)
    if not gone:
        return ""
    # en names carry their code (a Japanese name never stands alone in English text)
    # (joined by a no-break space so that a wrapped footer never separates a name from its code)
    names = not_drawn_names(shapes, gone, lang, with_codes=lang == "en").replace(" (", "\u00a0(")
    text = t("muni.map.not_drawn", lang, n=len(gone), names=names)
    if values is not None:
        known = pd.Series(values, dtype="float64").reindex(gone).notna().sum()
        if known:
            text += t("muni.map.not_drawn_counted", lang, k=int(known))
    return text


def _padded(bounds, pad: float = 0.04, min_size: float = 0.05) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) of total_bounds, widened by ``pad`` of the larger side (and to ``min_size``)."""
    x0, y0, x1, y1 = (float(v) for v in bounds)
    side = max(x1 - x0, y1 - y0, min_size)
    d = pad * side
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hw, hh = max((x1 - x0) / 2, min_size / 2) + d, max((y1 - y0) / 2, min_size / 2) + d
    return (cx - hw, cx + hw, cy - hh, cy + hh)


def _paper_ratio(extent) -> float:
    """Height ÷ width of an extent on paper (longitude shrunk by cos(latitude))."""
    x0, x1, y0, y1 = extent
    return (y1 - y0) / ((x1 - x0) * math.cos(math.radians((y0 + y1) / 2)))


def _fill(extent, ratio: float) -> tuple[float, float, float, float]:
    """The extent widened (in one direction, about its centre) to the paper ratio height ÷ width."""
    x0, x1, y0, y1 = extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    now = _paper_ratio(extent)
    if now < ratio:  # too flat: add latitude
        half = (y1 - y0) / 2 * ratio / now
        return (x0, x1, cy - half, cy + half)
    half = (x1 - x0) / 2 * now / ratio
    return (cx - half, cx + half, y0, y1)


def _frame(ax: "Axes", extent, color: str = "#777777") -> None:
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_axis_on()
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for s in ax.spines.values():
        s.set_visible(True)
        s.set_color(color)
        s.set_linewidth(0.6)


def prefecture_map(values: "pd.Series", pref_code: str, *, shapes: "Shapes", lang: str, title: str, legend_title: str, source: str,
                   not_surveyed: Iterable[str] = (), vmin: float = 0, vmax: float = 100, note: str = "") -> "Figure":
    """One prefecture's municipalities coloured by a value (``values``: code5 → number, NaN = no
    value), with the conventions of :func:`continuous_map`: viridis with a colour bar and n, the
    not surveyed grey and hatched, the data date and the 国土数値情報 credit. The map is zoomed to
    the prefecture; neighbouring prefectures are outlined for orientation; the remote islands of
    :data:`PREFECTURE_INSETS` are drawn in boxes on the right, each at its own scale."""
    import matplotlib as mpl
    import pandas as pd
    from matplotlib.patches import Patch

    plots.apply_style()
    import matplotlib.pyplot as plt

    values = pd.Series(values, dtype="float64")
    ns = set(not_surveyed)
    cmap = mpl.colormaps[CMAP]
    norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax)
    name = _pref_name(shapes, pref_code)
    munis_all, prefs_all = shapes.munis, shapes.prefs
    munis = _drawable(munis_all[munis_all["pref_name"] == name])
    own_pref = prefs_all[prefs_all["pref_name"] == name]
    others = prefs_all[prefs_all["pref_name"] != name]
    own_codes = set(munis_all.loc[munis_all["pref_name"] == name, "code5"].dropna())
    known = values[values.index.isin(own_codes)].dropna()
    faces = _faces(known, cmap, norm)

    boxes = [(b, munis[munis["code5"].isin(codes)]) for b, codes in PREFECTURE_INSETS.get(pref_code, ())]
    boxes = [(b, m) for b, m in boxes if len(m)]
    moved = munis["code5"].isin([c for _, m in boxes for c in m["code5"]])
    main = munis[~moved]
    extent = _padded(main.total_bounds)

    # layout in inches: title block, map (and a column of boxes), legend block, credit lines
    width = 7.2
    notes = [line for line in (note, source, t("muni.map.credit_n03", lang)) if line]
    credit_lines = sum(line.count("\n") + 1 for line in notes)
    top, legend_h, credit_h = 0.85, 0.95, 0.14 * credit_lines + 0.1
    map_w = width * (0.68 if boxes else 0.94)
    map_h = min(max(map_w * _paper_ratio(extent), 3.0), 7.4)
    extent = _fill(extent, map_h / map_w)  # widen the view to the box: more context, no blank band
    height = top + map_h + legend_h + credit_h
    fig = plt.figure(figsize=(width, height))
    fy = lambda inches: inches / height  # noqa: E731
    ax = fig.add_axes((0.03, fy(legend_h + credit_h), map_w / width, fy(map_h)))
    ax.set_label("map:main")
    with _one_render(fig):
        others.plot(ax=ax, facecolor="white", edgecolor=CONTEXT_EDGE, linewidth=0.5, zorder=0.5)
    _draw(ax, main, own_pref, faces, ns, edge_width=0.35)
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_axis_off()
    fig.suptitle(title, fontsize=12, y=1 - fy(0.12))
    fig.text(0.5, 1 - fy(0.5), t("muni.map.date", lang, update=data_update(lang), survey=data_survey(lang)), ha="center", va="top",
             fontsize=8, color="#444444")

    if boxes:  # a column of boxes on the right, heights by their shapes, labels above
        col_x, col_w = 0.03 + map_w / width + 0.02, 1 - (0.03 + map_w / width + 0.02) - 0.02
        col_w_in = col_w * width
        extents = [_padded(m.total_bounds, pad=0.08, min_size=BOX_MIN_DEGREES) for _, m in boxes]
        heights = [min(col_w_in * _paper_ratio(e), map_h) for e in extents]
        gap = 0.3
        scale = min(1.0, (map_h - gap * len(boxes)) / sum(heights))
        y = legend_h + credit_h + map_h
        for (bname, m), e, h in zip(boxes, extents, heights):
            h *= scale
            y -= gap + h
            ax_in = fig.add_axes((col_x, fy(y), col_w, fy(h)))
            ax_in.set_label(f"inset:{bname}")
            _draw(ax_in, m, own_pref, faces, ns, outline=1.0)
            _frame(ax_in, e)
            ax_in.set_xlabel("")
            ax_in.set_ylabel("")
            ax_in.text(0.0, 1.02, t(f"prof.map.inset.{bname}", lang), transform=ax_in.transAxes, ha="left",
                       va="bottom", fontsize=7.5, color="#333333")
        fig.text(col_x, fy(y - 0.08), t("prof.map.box_scale", lang), ha="left", va="top", fontsize=7, color="#555555")

    # legend block: colour bar with its title and n, then the grey patches
    cax = fig.add_axes((0.06, fy(credit_h + 0.3), 0.42, fy(0.14)))
    cb = fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="horizontal")
    cb.ax.tick_params(labelsize=7)
    cb.outline.set_linewidth(0.4)
    fig.text(0.06, fy(credit_h + 0.52), f"{legend_title}　{t('muni.map.n', lang, n=f'{len(known):,}')}",
             fontsize=8, ha="left", va="bottom", color="#222222")
    n_ns = len(ns & own_codes)
    handles = []
    if n_ns:
        handles.append(Patch(facecolor=NOT_SURVEYED_COLOR, edgecolor="#4D4D4D", hatch=NOT_SURVEYED_HATCH, linewidth=0.4,
                             label=f"{t('muni.map.not_surveyed', lang)} ({n_ns:,})"))
    handles.append(Patch(facecolor=NO_VALUE_COLOR, edgecolor="#999999", linewidth=0.4, label=t("muni.map.no_value", lang)))
    handles.append(Patch(facecolor="white", edgecolor=CONTEXT_EDGE, linewidth=0.8, label=t("prof.map.context", lang)))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.56, fy(credit_h + 0.12)), fontsize=8,
               frameon=False, ncol=1)
    _credits(fig, source, lang, note)
    return fig
