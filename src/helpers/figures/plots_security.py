"""Charts of the security theme, and the in-text source reference security and uptake use.

Built on :mod:`helpers.figures.plots` (style, tier palette, source note, deterministic saving). A control
that was not measured is drawn as a hatched, empty row with its own legend entry, never as a 0 bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from helpers.figures import plots
from helpers.words.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

NOT_MEASURED_HATCH = "////"
NOT_MEASURED_EDGE = "#9A9A9A"


def source_ref(rep, key: str) -> str:
    """Register ``key`` in the report's source list and return its in-text reference, e.g. '[3]'."""
    return rep.ref(key)


def not_measured_patch(label: str):
    from matplotlib.patches import Patch

    return Patch(facecolor="white", edgecolor=NOT_MEASURED_EDGE, hatch=NOT_MEASURED_HATCH, label=label)


def _not_measured_row(ax, y: float, height: float, x0: float, span: float, text: str) -> None:
    """A small hatched, empty box at ``x0`` (``span`` = the axis width, for sizing) and the words
    'not measured' beside it: visibly neither a 0 bar nor a value."""
    w = 0.035 * span
    ax.barh(y, w, left=x0, height=height, color="white", edgecolor=NOT_MEASURED_EDGE, hatch=NOT_MEASURED_HATCH,
            linewidth=0.8, zorder=3)
    ax.text(x0 + w + 0.01 * span, y, text, va="center", ha="left", fontsize=7.5, color="#555555", zorder=4)


def controls_chart(snap: "pd.DataFrame", controls: list[str], labels: Mapping[str, str], tiers: list[str], *,
                   title: str, xlabel: str, source: str, tier_label: Mapping[str, str], lang: str) -> "Figure":
    """Implementation rate per control for one date, a bar per tier; a hatched row where the control
    was not measured for that tier (with its legend entry), value labels at the bar ends."""
    from matplotlib.patches import Patch

    n, k = len(controls), len(tiers)
    fig, ax = plots.new_figure(9, max(3.5, 0.36 * n * k + 1.8))
    width = 0.8 / k
    rates = {(r["indicator"], r["tier"]): r["rate"] for r in snap.to_dict("records")}
    any_missing = False
    for i, ind in enumerate(controls):
        for j, tier in enumerate(tiers):
            y = i + j * width
            v = rates.get((ind, tier))
            if v is None or v != v:
                any_missing = True
                _not_measured_row(ax, y, width * 0.9, 0.5, 112, t("security.not_measured", lang))
                continue
            ax.barh(y, v, height=width * 0.9, color=plots.tier_color(tier), zorder=2)
            ax.text(v + 1, y, f"{v:.1f}%", va="center", ha="left", fontsize=7.5, zorder=4)
    ax.set_yticks([i + width * (k - 1) / 2 for i in range(n)], [labels[c] for c in controls], fontsize=8.5)
    ax.set_ylim(n - 1 + width * k, -width)
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    handles = [Patch(color=plots.tier_color(tr), label=tier_label[tr]) for tr in tiers]
    if any_missing:
        handles.append(not_measured_patch(t("security.legend.not_measured", lang)))
    fig.legend(handles=handles, loc="outside upper center", ncol=len(handles), frameon=False)
    plots.add_source_note(fig, source)
    return fig


def gap_facets(gaps: "pd.DataFrame", headings: Mapping, labels: Mapping[str, str], *, title: str, xlabel: str,
               source: str, tier_label: Mapping[str, str], lang: str) -> "Figure":
    """One panel per reference date with at least one control measured for both tiers (heading from
    ``headings``): prefecture − municipality gap per control (``labels``: control id → its name),
    labelled with both rates; hatched rows for controls one tier was not measured on."""
    import matplotlib.pyplot as plt
    import numpy as np

    dates = [d for d in headings if gaps.loc[gaps["as_of"] == d, "gap_pp"].notna().any()]
    sizes = [max(1, int((gaps["as_of"] == d).sum())) for d in dates]
    plots.apply_style()
    fig, axes = plt.subplots(len(dates), 1, figsize=(9, 0.36 * sum(sizes) + 1.2 * len(dates) + 1.2), sharex=True,
                             layout="constrained", gridspec_kw={"height_ratios": sizes}, squeeze=False)
    lo = min(-10.0, float(np.nanmin(gaps["gap_pp"])) - 5) if gaps["gap_pp"].notna().any() else -10.0
    hi = max(10.0, float(np.nanmax(gaps["gap_pp"])) + 38) if gaps["gap_pp"].notna().any() else 10.0
    any_missing = False
    for ax, d in zip(axes[:, 0], dates):
        g = gaps[gaps["as_of"] == d].reset_index(drop=True)
        for y, r in g.iterrows():
            if np.isnan(r["gap_pp"]):
                any_missing = True
                missing = [tr for tr in ("prefecture", "municipality") if not r[f"measured_{tr}"]]
                word = ("・" if lang == "ja" else " and ").join(
                    tier_label[tr] if lang == "ja" else tier_label[tr].lower() for tr in missing)
                _not_measured_row(ax, y, 0.7, lo + 0.005 * (hi - lo), hi - lo, t("security.not_measured_tier", lang, tier=word))
                continue
            v = r["gap_pp"]
            ax.barh(y, v, height=0.7, color=plots.tier_color("prefecture" if v >= 0 else "municipality"), zorder=2)
            label = t("security.gap_label", lang, gap=f"{v:+.1f}", p=f"{r['rate_prefecture']:.1f}%",
                      m=f"{r['rate_municipality']:.1f}%")
            ax.text(max(v, 0) + 1, y, label, va="center", ha="left", fontsize=7.5, zorder=4)
        ax.set_yticks(range(len(g)), [labels[c] for c in g["indicator"]], fontsize=8.5)
        ax.set_ylim(len(g) - 0.5, -0.5)
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_title(headings[d], fontsize=10, loc="left")
        ax.grid(axis="y", visible=False)
        ax.set_xlim(lo, hi)
    axes[-1, 0].set_xlabel(xlabel)
    fig.suptitle(title, fontsize=12)
    from matplotlib.patches import Patch

    handles = [Patch(color=plots.tier_color("prefecture"), label=t("security.legend.pref_higher", lang))]
    if (gaps["gap_pp"] < 0).any():
        handles.append(Patch(color=plots.tier_color("municipality"), label=t("security.legend.muni_higher", lang)))
    if any_missing:
        handles.append(not_measured_patch(t("security.legend.not_measured", lang)))
    legend_below(axes[-1, 0], handles)
    plots.add_source_note(fig, source)
    return fig


def legend_below(ax, handles, offset_in: float = 0.62) -> None:
    """A legend under an axes' x label, ``offset_in`` inches below the axes (kept in the layout)."""
    from matplotlib.transforms import ScaledTranslation

    fig = ax.figure
    ax.legend(handles=handles, loc="upper center", ncol=len(handles), frameon=False, bbox_to_anchor=(0.5, 0),
              bbox_transform=ax.transAxes + ScaledTranslation(0, -offset_in, fig.dpi_scale_trans))
