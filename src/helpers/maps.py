"""Municipal choropleth maps of Japan on the 国土数値情報 N03 boundaries (geopandas).

The boundaries are ``data/external/boundaries`` (N03 2021-01-01, simplified, designated cities
merged into one polygon per city; the same 1,741 codes as the municipal master plus the six
北方領土 villages, which carry no value). Okinawa and the 小笠原 islands are drawn in insets at
the scale of the main map. Every map carries the date of the data and the 国土数値情報 credit the
licence asks for; colours come from viridis (colour-blind safe, lightness increasing with value),
and a municipality that was not surveyed is grey and hatched, apart from both values of a yes/no
map. Polygons are rasterised in the SVG (150 dpi) so the vector file stays small; text stays text.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Mapping

from helpers import plots
from helpers.i18n import t
from helpers.paths import data_dir

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BOUNDARIES = ("external", "boundaries", "N03-21_210101_designated_city.geojson")
PREFECTURES = ("external", "boundaries", "prefectures.geojson")
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
YES_COLOR = "#46327E"      # viridis(0.15): dark
NO_COLOR = "#B4DE2C"       # viridis(0.9): light
NOT_SURVEYED_COLOR = "#A8A8A8"
NOT_SURVEYED_HATCH = "/////"
NO_VALUE_COLOR = "#F0F0F0"
EDGE = "#FFFFFF"
PREF_EDGE = "#303030"
CMAP = "viridis"


@lru_cache(maxsize=2)
def _boundaries(folder: str) -> tuple["gpd.GeoDataFrame", "gpd.GeoDataFrame"]:
    import geopandas as gpd
    from pathlib import Path

    root = Path(folder)
    munis = gpd.read_file(root.joinpath(*BOUNDARIES))
    munis = munis.rename(columns={"N03_001": "pref_name", "N03_007": "code5"})[["pref_name", "code5", "geometry"]]
    prefs = gpd.read_file(root.joinpath(*PREFECTURES)).rename(columns={"N03_001": "pref_name"})[["pref_name", "geometry"]]
    return munis, prefs


def load_boundaries() -> tuple["gpd.GeoDataFrame", "gpd.GeoDataFrame"]:
    """(municipal polygons with code5 and pref_name, prefecture polygons with pref_name); copies."""
    munis, prefs = _boundaries(str(data_dir()))
    return munis.copy(), prefs.copy()


def _in_inset(munis: "gpd.GeoDataFrame", spec: dict) -> "pd.Series":
    if "pref" in spec:
        return munis["pref_name"] == spec["pref"]
    return munis["code5"] == spec["code5"]


@lru_cache(maxsize=2)
def _layers(folder: str) -> dict[str, tuple["gpd.GeoDataFrame", "gpd.GeoDataFrame"]]:
    """Municipal and prefecture polygons of the main map and of each inset (prefecture outlines
    clipped so an island drawn in an inset never appears a second time in the main map)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    munis, prefs = _boundaries(folder)
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
          not_surveyed: set[str], outline: float = 0.0) -> None:
    """Fill municipalities with ``faces`` (colour by code5; missing → no value), hatch the not
    surveyed, outline prefectures; rasterise the polygons. ``outline`` > 0 draws each polygon's
    edge in its own colour at that width, so that tiny islands stay visible."""
    colors = [faces.get(c, NO_VALUE_COLOR) if isinstance(c, str) else NO_VALUE_COLOR for c in munis["code5"]]
    if outline:
        munis.plot(ax=ax, color=colors, edgecolor=colors, linewidth=outline, zorder=1)
    else:
        munis.plot(ax=ax, color=colors, edgecolor=EDGE, linewidth=0.08, zorder=1)
    ax.collections[-1].set_gid("values")
    ns = munis[munis["code5"].isin(not_surveyed)]
    if len(ns):
        ns.plot(ax=ax, facecolor=NOT_SURVEYED_COLOR, edgecolor="#4D4D4D", linewidth=0.1, hatch=NOT_SURVEYED_HATCH,
                zorder=1.5)
        ax.collections[-1].set_gid("not_surveyed")
    prefs.boundary.plot(ax=ax, color=PREF_EDGE, linewidth=0.3, zorder=2)
    ax.set_rasterization_zorder(2.5)
    ax.set_axis_off()


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
    """The dashboard's data update as registered in data/sources.csv, in the report's language."""
    import pandas as pd

    from helpers import data
    from helpers.i18n import date_text

    src = data.load_sources().set_index("key")
    return date_text(pd.Timestamp(src.loc["digital_agency_dashboard", "published"]), lang)


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
    fig.text(0.5, 0.935, t("muni.map.date", lang, update=data_update(lang)), ha="center", va="top", fontsize=8, color="#444444")
    return fig, ax


def _credits(fig: "Figure", source: str, lang: str, note: str = "") -> None:
    lines = [line for line in (note, source, t("muni.map.credit_n03", lang)) if line]
    fig.text(0.01, 0.008, "\n".join(lines), ha="left", va="bottom", fontsize=6.5, color="#444444", linespacing=1.4)


def binary_map(values: "pd.Series", *, lang: str, title: str, legend_title: str, source: str,
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
    layers = _layers(str(data_dir()))
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
    ax.legend(handles=handles, title=f"{t('muni.map.binary_title', lang, name=legend_title)}\n{n_text}", loc="lower right", bbox_to_anchor=(1.0, 0.0),
              fontsize=8, title_fontsize=8, alignment="left", frameon=True, framealpha=0.9, edgecolor="#CCCCCC")
    _credits(fig, source, lang, note)
    return fig


def continuous_map(values: "pd.Series", *, lang: str, title: str, legend_title: str, source: str,
                   not_surveyed: Iterable[str] = (), vmin: float = 0, vmax: float = 100, note: str = "") -> "Figure":
    """A value per municipality (``values``: code5 → number, NaN = no value) on viridis with a
    colour bar (``legend_title`` with unit) and n; the not surveyed grey and hatched."""
    import matplotlib as mpl
    import pandas as pd
    from matplotlib.patches import Patch

    values = pd.Series(values, dtype="float64")
    ns = set(not_surveyed)
    cmap = mpl.colormaps[CMAP]
    norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax)
    known = values.dropna()
    faces = pd.Series([mpl.colors.to_hex(cmap(norm(v))) for v in known], index=known.index, dtype=object)
    fig, ax = _figure(title, lang)
    layers = _layers(str(data_dir()))
    _draw(ax, *layers["main"], faces, ns)
    for name, spec in INSETS.items():
        _inset(ax, name, spec, layers, faces, ns, lang)
    cax = ax.inset_axes([143.9, 31.2, 0.45, 6.3], transform=ax.transData)
    cb = fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="vertical")
    cb.ax.tick_params(labelsize=7)
    cb.outline.set_linewidth(0.4)
    ax.text(143.9, 38.0, f"{legend_title}\n{t('muni.map.n', lang, n=f'{len(known):,}')}", fontsize=8, ha="left", va="bottom",
            color="#222222")
    n_ns = len(ns & set(values.index))
    handles = []
    if n_ns:
        handles.append(Patch(facecolor=NOT_SURVEYED_COLOR, edgecolor="#4D4D4D", hatch=NOT_SURVEYED_HATCH, linewidth=0.4,
                             label=f"{t('muni.map.not_surveyed', lang)} ({n_ns:,})"))
    handles.append(Patch(facecolor=NO_VALUE_COLOR, edgecolor="#999999", linewidth=0.4, label=t("muni.map.no_value", lang)))
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 0.0), fontsize=8, frameon=True, framealpha=0.9,
              edgecolor="#CCCCCC")
    _credits(fig, source, lang, note)
    return fig
