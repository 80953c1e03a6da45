"""Charts of the prefecture profile (notebook 06): the prefecture's municipalities among the 47
prefectures, and observed against size-expected counts. Frames from :mod:`helpers.analysis.profile`,
labels from :mod:`helpers.words.municipal`; the figure is returned for ``ThemeReport.figure`` to save.

Colours are Okabe–Ito (colour-blind safe) and every mark that carries meaning by colour also
differs in shape (▲ ahead, ▼ behind, ● within chance)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

from helpers.figures import plots
from helpers.words.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

HIGHLIGHT = "#D55E00"
OTHERS = "#A0A0A0"
POINT = "#333333"
BAND = "#D9D9D9"
VERDICT_STYLE: Mapping[str, tuple[str, str]] = {"ahead": ("#0072B2", "^"), "within": (POINT, "o"),
                                                "behind": ("#D55E00", "v")}


def _finish(fig: "Figure", title: str, source: str, note: str, bottom: float) -> None:
    fig.suptitle(title, fontsize=12)
    if note:
        fig.text(0.01, 0.035, plots.wrap_text(note, 80, 140), ha="left", va="bottom", fontsize=7, color="#444444")
    fig.subplots_adjust(left=0.3, right=0.97, top=0.86, bottom=bottom)
    plots.add_source_note(fig, source)


def prefecture_strip(shares: "pd.DataFrame", comp: "pd.DataFrame", pref_code: str, *, lang: str, pref_name: str,
                     indicators: Sequence[str], title: str, source: str, note: str = "") -> "Figure":
    """One row per item: the share of the municipalities of each of the 47 prefectures (grey dots),
    this prefecture's share with its Wilson interval (orange diamond) and the share among all
    municipalities (dashed tick). Row labels carry this prefecture's n."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.lines import Line2D

    from helpers.words.municipal import ind_title

    plots.apply_style()
    k = len(indicators)
    fig, ax = plt.subplots(figsize=(8.2, 0.42 * k + 2.0))
    rng = np.random.default_rng(14)
    c = comp.set_index("indicator")
    for i, ind in enumerate(indicators):
        s = shares[(shares["indicator"] == ind) & (shares["n"] > 0)]
        others = s[s["pref_code"] != pref_code]
        ax.scatter(others["rate"], i + rng.uniform(-0.18, 0.18, len(others)), s=10, color=OTHERS, alpha=0.8,
                   linewidth=0, zorder=1)
        ax.plot([c.loc[ind, "nat_rate"]] * 2, [i - 0.32, i + 0.32], color=POINT, linestyle="--", linewidth=1, zorder=2)
        r = c.loc[ind]
        if r["n"]:
            ax.errorbar([r["rate"]], [i], xerr=[[r["rate"] - r["lo"]], [r["hi"] - r["rate"]]], fmt="D", color=HIGHLIGHT,
                        ecolor=HIGHLIGHT, markersize=6, elinewidth=1.6, capsize=2, zorder=3)
    ax.set_yticks(range(k), [f"{ind_title(i, lang)}\n(n={int(c.loc[i, 'n']):,})" for i in indicators], fontsize=8)
    ax.set_ylim(k - 0.5, -0.5)
    ax.set_xlim(-2, 102)
    ax.set_xlabel(t("prof.axis.share", lang), fontsize=9)
    ax.grid(axis="y", visible=False)
    handles = [Line2D([], [], color=OTHERS, marker="o", linestyle="", markersize=4, label=t("prof.legend.other_prefs", lang)),
               Line2D([], [], color=HIGHLIGHT, marker="D", linestyle="-", markersize=5,
                      label=t("prof.legend.this_pref", lang, pref=pref_name)),
               Line2D([], [], color=POINT, linestyle="--", label=t("prof.legend.national", lang))]
    fig.legend(handles=handles, loc="upper center", ncol=3, bbox_to_anchor=(0.62, 0.935), fontsize=8)
    _finish(fig, title, source, note, 0.2 if note else 0.16)
    return fig


def observed_expected(oe: "pd.DataFrame", *, lang: str, title: str, source: str, note: str = "") -> "Figure":
    """One row per item: the range of the share if the prefecture's municipalities were like those of
    the same size elsewhere (grey band), the share expected from size (open diamond) and the observed
    share (no interval: one comparison, point against band), its mark by the Holm-adjusted verdict."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from helpers.words.municipal import ind_title

    plots.apply_style()
    k = len(oe)
    fig, ax = plt.subplots(figsize=(8.2, 0.42 * k + 2.0))
    for i, r in enumerate(oe.itertuples()):
        if not r.n:
            continue
        ax.barh(i, 100 * (r.range_hi - r.range_lo) / r.n, left=100 * r.range_lo / r.n, height=0.5, color=BAND,
                zorder=1)
        ax.scatter([r.exp_rate], [i], marker="D", s=34, facecolor="white", edgecolor=POINT, linewidth=1.1, zorder=3)
        color, marker = VERDICT_STYLE[r.verdict]
        ax.plot([r.obs_rate], [i], marker=marker, color=color, linestyle="", markersize=7, zorder=4)
    ax.set_yticks(range(k), [f"{ind_title(r.indicator, lang)}\n(n={int(r.n):,})" for r in oe.itertuples()], fontsize=8)
    ax.set_ylim(k - 0.5, -0.5)
    ax.set_xlim(-2, 102)
    ax.set_xlabel(t("prof.axis.share", lang), fontsize=9)
    ax.grid(axis="y", visible=False)
    handles = [Patch(facecolor=BAND, edgecolor="none", label=t("prof.legend.range", lang)),
               Line2D([], [], marker="D", markerfacecolor="white", markeredgecolor=POINT, linestyle="", markersize=5,
                      label=t("prof.legend.expected", lang))]
    for v in ("ahead", "within", "behind"):
        color, marker = VERDICT_STYLE[v]
        handles.append(Line2D([], [], color=color, marker=marker, linestyle="", markersize=6,
                              label=t(f"prof.legend.{v}", lang)))
    fig.legend(handles=handles, loc="upper center", ncol=2, bbox_to_anchor=(0.55, 0.955), fontsize=8)
    _finish(fig, title, source, note, 0.2 if note else 0.16)
    fig.subplots_adjust(top=0.78)
    return fig
