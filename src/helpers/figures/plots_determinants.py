"""Charts of the determinants theme (notebook 07_determinants): municipalities vs residents,
odds-ratio forests, intra-class correlations and the LISA cluster map. Frames from
:mod:`helpers.analysis.determinants`; words from :mod:`helpers.words.determinants`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.figures import plots
from helpers.words.i18n import t
from helpers.words.determinants import title_label

if TYPE_CHECKING:  # pragma: no cover
    from helpers.loaders.boundaries import Shapes
    import pandas as pd
    from matplotlib.figure import Figure

MUNI_COLOR = "#0072B2"       # Okabe–Ito blue
RESIDENT_COLOR = "#D55E00"   # Okabe–Ito vermilion
RAW_COLOR = "#999999"
#: LISA cluster colours (the usual red/blue convention, light for outliers), and not significant.
LISA_COLORS = {"HH": "#C0392B", "LL": "#2C6FB7", "HL": "#F1A195", "LH": "#9CC3EA", "ns": "#CFCFCF"}


def _footer(fig: "Figure", source: str, note: str = "") -> None:
    """Note and source lines under the plot, wrapped, with room kept for them in the layout."""
    text = "\n".join(plots.wrap_text(x, 80, 150) for x in (note, source) if x)
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=7, color="#444444", linespacing=1.35)
    bottom = (0.14 * (text.count("\n") + 1) + 0.08) / fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))  # (left, bottom, width, height)


def residents_dumbbell(table: "pd.DataFrame", *, lang: str, title: str, source: str, labels: list[str] | None = None,
                       note: str = "") -> "Figure":
    """One row per indicator (or group): the municipal share with its interval and the resident
    share, joined by a line — the gap is what an area map hides."""
    import numpy as np

    rows = labels or [title_label(i, lang) for i in table["indicator"]]
    fig, ax = plots.new_figure(8.5, 0.32 * len(rows) + 1.9)
    y = np.arange(len(rows))
    ax.hlines(y, table["share_munis"], table["share_residents"], color="#BBBBBB", linewidth=1.6, zorder=1)
    ax.errorbar(table["share_munis"], y, xerr=[table["share_munis"] - table["lo"], table["hi"] - table["share_munis"]],
                fmt="o", color=MUNI_COLOR, ecolor=MUNI_COLOR, markersize=5, capsize=2, zorder=2,
                label=t("det.legend.munis", lang))
    ax.scatter(table["share_residents"], y, marker="D", s=26, color=RESIDENT_COLOR, zorder=3,
               label=t("det.legend.residents", lang))
    ax.set_yticks(y, rows, fontsize=8 if len(rows) > 15 else 9)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("det.axis.share", lang))
    ax.grid(axis="y", visible=False)
    fig.suptitle(title, fontsize=12)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    _footer(fig, source, note)
    return fig


def forest(fiscal: "pd.DataFrame", neighbours: "pd.DataFrame", *, lang: str, title: str, source: str,
           note: str = "") -> "Figure":
    """Two panels of odds ratios (log scale) with 95 % intervals, one row per indicator: per 0.1 of
    fiscal capacity, and per 10 points of neighbours' adoption (same rows)."""
    import matplotlib.pyplot as plt
    import numpy as np

    plots.apply_style()
    inds = list(fiscal["indicator"])
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 0.36 * len(inds) + 2.4), sharey=True, layout="constrained")
    y = np.arange(len(inds))
    for ax, frame, key in ((axes[0], fiscal, "det.panel.fiscal"), (axes[1], neighbours, "det.panel.neighbours")):
        f = frame.set_index("indicator").reindex(inds)
        sig = f["p_holm"] < 0.05
        ax.errorbar(f["odds_ratio"], y, xerr=[f["odds_ratio"] - f["lo"], f["hi"] - f["odds_ratio"]], fmt="none",
                    ecolor=MUNI_COLOR, capsize=2)
        ax.scatter(f["odds_ratio"], y, s=22, color=[MUNI_COLOR if s else "white" for s in sig], edgecolor=MUNI_COLOR,
                   zorder=3)
        ax.axvline(1, color="#333333", linewidth=0.8)
        ax.set_xscale("log")
        ticks = [0.8, 0.9, 1, 1.1, 1.25]
        ax.set_xlim(0.78, 1.3)
        ax.set_xticks(ticks, [f"{v:g}" for v in ticks])
        ax.minorticks_off()
        ax.set_title(t(key, lang), fontsize=10)
        ax.set_xlabel(t("det.axis.or", lang), fontsize=9)
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks(y, [title_label(i, lang) for i in inds], fontsize=9)
    axes[0].set_ylim(len(inds) - 0.5, -0.5)
    fig.suptitle(title, fontsize=11)
    _footer(fig, source, note)
    return fig


def icc_plot(iccs: "pd.DataFrame", *, lang: str, title: str, source: str, note: str = "") -> "Figure":
    """ICC with its 95 % profile interval per outcome, without and with covariates."""
    import numpy as np

    outcomes = list(dict.fromkeys(iccs["outcome"]))
    fig, ax = plots.new_figure(8.0, 0.5 * len(outcomes) + 1.9)
    y = np.arange(len(outcomes))
    for off, cov, color, key in ((-0.14, False, RAW_COLOR, "det.legend.raw"), (0.14, True, MUNI_COLOR, "det.legend.adjusted")):
        f = iccs[iccs["covariates"] == cov].set_index("outcome").reindex(outcomes)
        ax.errorbar(f["icc"], y + off, xerr=[f["icc"] - f["lo"], f["hi"] - f["icc"]], fmt="o", color=color, ecolor=color,
                    markersize=5, capsize=2, label=t(key, lang))
    ax.set_yticks(y, [title_label(o, lang) for o in outcomes], fontsize=9)
    ax.set_ylim(len(outcomes) - 0.5, -0.6)
    ax.set_xlim(0, max(0.4, float(iccs["hi"].max()) * 1.1))
    ax.set_xlabel(t("det.axis.icc", lang))
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    _footer(fig, source, note)
    return fig


def lisa_map(local: "pd.DataFrame", *, shapes: "Shapes", lang: str, title: str, source: str, alpha: float,
             note: str = "") -> "Figure":
    """The LISA clusters on the national map (insets for 沖縄 and 小笠原, date and credits)."""
    from helpers.figures import maps

    cats = local.set_index("code5")["cluster"]
    labels = {k: t(f"det.lisa.{k}", lang) for k in LISA_COLORS}
    return maps.category_map(cats, LISA_COLORS, labels, shapes=shapes, lang=lang, title=title, source=plots.wrap_text(source, 70, 140),
                             note=plots.wrap_text(note, 70, 140),
                             legend_title=t("det.lisa.legend", lang, alpha=alpha))
