"""Charts of the online-usage theme, in the project style (``helpers.figures.plots``).

Every label, legend entry and note is passed in already translated; nothing here is worded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from helpers.figures.plots import CATEGORY_COLORS, add_source_note, apply_style, new_figure, tier_color

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

MARKERS = ("o", "s", "D", "^", "v", "P")


def totals_by_series(totals: "pd.DataFrame", breaks: "pd.DataFrame", *, series_label: Mapping[str, str],
                     break_label: Callable[[str], str], secondary: Sequence[str], title: str, xlabel: str,
                     ylabel: str, source: str, value_text: Callable[[float], str]) -> "Figure":
    """Overall online rate by fiscal year, one segment per series.

    Points of one series are joined; points of two series never are. Each break between consecutive
    years is a dashed rule half-way between them with a short label (``break_label(kind)``);
    series from a secondary source are drawn hollow."""
    fig, ax = new_figure(8.5, 5.0)
    for i, (name, g) in enumerate(totals.groupby("series", sort=False)):
        g = g.sort_values("fiscal_year")
        color = CATEGORY_COLORS[i % len(CATEGORY_COLORS)]
        hollow = name in secondary
        ax.plot(g["fiscal_year"], g["online_rate"], marker=MARKERS[i % len(MARKERS)], markersize=7, color=color,
                linestyle=":" if hollow else "-", markerfacecolor="white" if hollow else color,
                label=series_label[name])
        for x, y in zip(g["fiscal_year"], g["online_rate"]):
            ax.annotate(value_text(y), (x, y), textcoords="offset points", xytext=(0, 9), ha="center", fontsize=8)
    for r in breaks.to_dict("records"):
        x = (r["prev_fiscal_year"] + r["fiscal_year"]) / 2
        ax.axvline(x, color="#888888", linestyle="--", linewidth=0.9)
        ax.annotate(break_label(r["kind"]), (x, 3), textcoords="offset points", xytext=(-4, 0), rotation=90,
                    fontsize=8, color="#444444", ha="right", va="bottom")
    years = sorted(totals["fiscal_year"].astype(int))
    ax.set_xticks(years)
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    ax.set_ylim(0, 100)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left", ncols=2)
    add_source_note(fig, source)
    return fig


def rate_bars(df: "pd.DataFrame", *, label: str, value: str, title: str, xlabel: str, source: str,
              bar_text: Callable[[dict], str], note: str | None = None, subtitle: str | None = None) -> "Figure":
    """One year's rate per item as horizontal bars (highest at the top), each labelled by
    ``bar_text(row)`` (e.g. the rate and the case count it rests on)."""
    d = df.sort_values(value, ascending=True)
    fig, ax = new_figure(9, max(4.0, 0.34 * len(d) + 1.6))
    y = list(range(len(d)))
    ax.barh(y, d[value].astype(float), color=tier_color("all"), height=0.7)
    for yi, row in zip(y, d.to_dict("records")):
        ax.annotate(bar_text(row), (float(row[value]), yi), textcoords="offset points", xytext=(4, 0), va="center",
                    fontsize=7.5)
    ax.set_yticks(y, d[label], fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel(xlabel)
    ax.set_title(f"{title}\n{subtitle}" if subtitle else title)
    ax.grid(axis="y", visible=False)
    if note:
        ax.text(1.0, -0.08, note, transform=ax.transAxes, ha="right", va="top", fontsize=7.5, color="#444444")
    add_source_note(fig, source)
    return fig


def share_by_type(per: "pd.DataFrame", pooled: Mapping[str, float], *, order: Sequence[str],
                  type_text: Mapping[str, str], value: str, small: str, title: str, xlabel: str,
                  legend_large: str, legend_small: str, legend_pooled: str, source: str) -> "Figure":
    """Per-municipality shares by municipality type: a box (quartiles) and every municipality as a
    dot, dots with a small denominator (``small`` column) marked apart, and the type's pooled share
    (Σ numerators ÷ Σ denominators) as a diamond. ``type_text`` names each type with its n."""
    import seaborn as sns
    from matplotlib.lines import Line2D

    apply_style()
    d = per[per["municipality_type"].isin(order)].copy()
    d["_type"] = d["municipality_type"].map(type_text)
    labels = [type_text[o] for o in order]
    fig, ax = new_figure(8.5, 1.2 * len(order) + 2.0)
    sns.boxplot(data=d, x=value, y="_type", order=labels, ax=ax, showfliers=False, width=0.55,
                color="#DDDDDD", linewidth=1.0)
    big, sm = d[~d[small]], d[d[small]]
    import numpy as np

    state = np.random.get_state()  # seaborn jitters with the global generator: fix it so the figure is reproducible
    np.random.seed(0)
    sns.stripplot(data=big, x=value, y="_type", order=labels, ax=ax, size=2.5, alpha=0.45, jitter=0.25,
                  color=CATEGORY_COLORS[0])
    if len(sm):
        sns.stripplot(data=sm, x=value, y="_type", order=labels, ax=ax, size=6, jitter=0.15, marker="X",
                      color=CATEGORY_COLORS[1], linewidth=0)
    np.random.set_state(state)
    for i, o in enumerate(order):
        if o in pooled:
            ax.scatter([pooled[o]], [i], marker="D", s=60, color="black", zorder=5)
    handles = [Line2D([], [], marker="o", linestyle="", color=CATEGORY_COLORS[0], alpha=0.6, label=legend_large),
               Line2D([], [], marker="X", linestyle="", color=CATEGORY_COLORS[1], markersize=8, label=legend_small),
               Line2D([], [], marker="D", linestyle="", color="black", label=legend_pooled)]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, fontsize=8,
              title=None, frameon=False)
    ax.set_xlim(-2, 102)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.set_title(title, pad=26)
    ax.grid(axis="y", visible=False)
    add_source_note(fig, source)
    return fig
